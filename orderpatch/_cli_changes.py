"""Building an order's changes from the command line: ``--json FILE``, ``--set FIELD=VALUE`` and ``--clear FIELD``.

Shared by ``orderpatch update`` and ``orderpatch bulk --where``, so both read the flags the same way.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TextIO

from ._cli_output import CliUsageError

__all__ = ["changes_data", "read_json"]


def read_json(source: str, stdin: TextIO) -> object:
    """``--json FILE`` (``-`` for stdin) as JSON; a file that cannot be read is a usage error (exit 2)."""
    try:
        text = stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise CliUsageError(f"--json {source}: cannot read it ({exc.strerror or exc})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        from .errors import ValidationError

        where = "stdin" if source == "-" else source
        raise ValidationError(f"--json {where}: not valid JSON ({exc.msg} at line {exc.lineno})") from None


def _json_or_text(raw: str) -> object:
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


def _apply_set(data: dict[str, object], item: str) -> None:
    from .errors import ValidationError

    name, sep, raw = item.partition("=")
    name = name.strip()
    if not sep or not name:
        raise CliUsageError(f"--set {item!r}: expected FIELD=VALUE, e.g. --set email=new@example.com")
    head, dot, rest = name.partition(".")
    if not dot:
        if name == "tags":
            data["tags"] = [tag.strip() for tag in raw.split(",") if tag.strip()]
        elif name == "metadata":
            value = _json_or_text(raw)
            if not isinstance(value, dict):
                raise ValidationError("--set metadata=…: expected a JSON object; use metadata.KEY=VALUE for one key",
                                      field="OrderChanges.metadata")
            data["metadata"] = value
        else:
            data[name] = raw
        return
    if head not in ("metadata", "billing_address", "shipping_address"):
        raise ValidationError(
            f"--set {name}: only metadata.KEY, billing_address.FIELD and shipping_address.FIELD take a dotted name",
            field=f"OrderChanges.{head}",
        )
    target = data.get(head)
    if not isinstance(target, dict):
        target = data[head] = {}
    keys = rest.split(".") if head == "metadata" else [rest]
    for key in keys[:-1]:
        inner = target.get(key)
        target = target.setdefault(key, {}) if isinstance(inner, dict) or inner is None else {}
    target[keys[-1]] = _json_or_text(raw) if head == "metadata" else raw


def changes_data(args: argparse.Namespace, stdin: TextIO) -> dict[str, object]:
    """The fields of ``--json``, then ``--set`` and ``--clear`` over them, for ``OrderChanges.from_dict``."""
    from .errors import ValidationError

    data: dict[str, object] = {}
    if args.json_file is not None:
        loaded = read_json(args.json_file, stdin)
        if not isinstance(loaded, dict):
            raise ValidationError(f"--json: expected a JSON object, got {type(loaded).__name__}", field="changes")
        data = loaded
    for item in args.sets:
        _apply_set(data, item)
    for name in args.clears:
        data[name.strip()] = None
    return data
