"""A griffe extension for the API reference: doctest lines in docstrings (``>>> …``) become code blocks.

Docstrings show examples as doctest lines (``>>> client.orders.update(…)  # doctest: +SKIP``);
Markdown reads ``>>>`` as three nested blockquotes. This turns each run of prompt lines (and
the output lines after them, up to a blank line) into a fenced ``pycon`` block and drops the
``# doctest:`` directives, which are for the test runner, not the reader.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_PROMPT = re.compile(r"^(?P<indent>\s*)(?:>>>|\.\.\.)(?: |$)")
_DIRECTIVE = re.compile(r"\s*#\s*doctest:[^\n]*$")


def fence_doctests(text: str) -> str:
    """``text`` with every run of doctest lines fenced as ``pycon``."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        match = _PROMPT.match(lines[i])
        if match is None:
            out.append(lines[i])
            i += 1
            continue
        indent = match["indent"]
        block: list[str] = []
        while i < len(lines) and lines[i].strip() and lines[i].startswith(indent):
            block.append(_DIRECTIVE.sub("", lines[i][len(indent):]))
            i += 1
        if out and out[-1].strip():
            out.append("")
        out += [f"{indent}```pycon", *(f"{indent}{line}" for line in block), f"{indent}```", ""]
    return "\n".join(out)


class DoctestBlocks(griffe.Extension):
    """Fence the doctest lines of every docstring griffe loads."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None and ">>>" in obj.docstring.value:
            obj.docstring.value = fence_doctests(obj.docstring.value)


class ShortcutDocs(griffe.Extension):
    """Commerce Layer's trigger shortcuts (``place = _Shortcut("place", "<doc>")``) are documented
    by their second argument, which only exists at run time; give it to griffe, so that
    ``orders.place`` / ``approve`` / ``capture`` … appear in the reference."""

    def on_attribute_instance(self, *, node: Any, attr: griffe.Attribute, **kwargs: Any) -> None:
        import ast

        value = getattr(node, "value", None)
        if (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "_Shortcut"
                and len(value.args) == 2 and isinstance(value.args[1], ast.Constant)
                and isinstance(value.args[1].value, str) and attr.docstring is None):
            attr.docstring = griffe.Docstring(value.args[1].value, parent=attr)
            attr.labels.add("trigger shortcut")
            attr.value = None  # the call that builds it says nothing the docstring does not
