"""What the command suggests when a change cannot be sent: its own flags, not Python classes.

``UnsupportedChange`` names the Python alternative (``orderpatch.spree.OrderUpdate.private_metadata``)
for code; on the command line the same advice is ``--native --json`` with the vendor's own
field, or ``orderpatch action`` for an order action.
"""

from __future__ import annotations

import re

__all__ = ["unsupported_message"]

_FIELD = re.compile(r"orderpatch\.(?P<vendor>\w+)\.(?P<cls>[A-Z]\w*)\.(?P<field>[a-z_]+)$")
_CLASS = re.compile(r"orderpatch\.(?P<vendor>\w+)\.(?P<cls>[A-Z]\w*)$")
_METHOD = re.compile(r"orderpatch\.(?P<vendor>\w+)\.\w+Client\.orders\.(?P<method>[a-z_]+)$")


def unsupported_message(vendor: str, field: str, alternative: str | None) -> str:
    """The error line and a ``hint:`` line, for a neutral field ``vendor`` cannot take."""
    head = f"{vendor} cannot take the field {field!r} (--set {field}=…)"
    alternative = (alternative or "").split(" ")[0]
    if match := _METHOD.match(alternative):
        method = match["method"]
        return f"{head}\n  hint: it is an order action: orderpatch action ORDER_ID {method} --value …"
    if match := _FIELD.match(alternative):
        own = match["field"]
        return (f"{head}\n  hint: set {vendor}'s own field {own!r} with --native --json, e.g. "
                f"echo '{{\"{own}\": …}}' | orderpatch update ORDER_ID --native --json -")
    if _CLASS.match(alternative):
        return (f"{head}\n  hint: send {vendor}'s own fields with --native --json FILE "
                f"(see docs/vendors/{vendor}.md), or leave {field} out")
    return f"{head}\n  hint: 'orderpatch update --help' lists the fields"
