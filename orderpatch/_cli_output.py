"""How the command prints an order: ``--output json|table``, ``--fields a,b,detail.c`` and ``--quiet``.

A Commerce Layer update prints the whole order (hundreds of lines) by default; ``--fields``
keeps the named keys of ``UpdatedOrder.to_dict()`` (a dotted name reaches into ``detail``, the
vendor's own order), and ``--quiet`` prints nothing: the exit code says how it went.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ._facade import UpdatedOrder

__all__ = ["CliUsageError", "add_output_options", "write_order"]

_TABLE_FIELDS = ("vendor", "id", "number", "reference", "email", "status", "total", "updated_at")
_MISSING = object()


class CliUsageError(Exception):
    """A mistake in the command line itself (exit 2); the message names the flag."""


def add_output_options(parser: argparse.ArgumentParser) -> None:
    """``--output``, ``--fields`` and ``--quiet`` on a subcommand that prints an order."""
    parser.add_argument("--output", choices=("json", "table"), default="json", help="output format (default: json)")
    parser.add_argument("--fields", metavar="A,B,…",
                        help="print only these fields, e.g. id,status,email or detail.total (dotted: inside detail)")
    parser.add_argument("--quiet", "-q", action="store_true", help="print nothing on success (the exit code tells)")


def _pick(data: Mapping[str, object], name: str) -> object:
    value: object = data
    for part in name.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return _MISSING
        value = value[part]
    return value


def selected(data: Mapping[str, object], fields: str | None,
             default: tuple[str, ...] | None = None) -> dict[str, object]:
    """The chosen fields of ``data``, in the order given; ``CliUsageError`` naming ``--fields`` for an unknown one."""
    names = [name.strip() for name in fields.split(",") if name.strip()] if fields else list(default or data)
    if fields is not None and not names:
        raise CliUsageError("--fields: expected field names separated by commas, e.g. --fields id,status")
    chosen: dict[str, object] = {}
    for name in names:
        value = _pick(data, name)
        if value is _MISSING:
            known = ", ".join(data)
            raise CliUsageError(f"--fields {name}: no such field; the fields are {known} "
                                "(and detail.NAME for the vendor's own order fields)")
        chosen[name] = value
    return chosen


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def write_order(order: UpdatedOrder, args: argparse.Namespace, stdout: TextIO) -> None:
    """Print ``order`` as ``args`` asks (``--output``, ``--fields``, ``--quiet``)."""
    if getattr(args, "quiet", False):
        return
    data: dict[str, object] = dict(order.to_dict())
    fields = getattr(args, "fields", None)
    if args.output == "table":
        if order.total is not None and fields is None:
            data = {**data, "total": f"{order.total} {order.currency or ''}".strip()}
        rows = selected(data, fields, _TABLE_FIELDS)
        width = max(11, *(len(name) + 1 for name in rows))
        stdout.write("\n".join(f"{name:<{width}} {_cell(value)}" for name, value in rows.items()) + "\n")
    else:
        stdout.write(json.dumps(selected(data, fields) if fields else data, indent=2, ensure_ascii=False) + "\n")
