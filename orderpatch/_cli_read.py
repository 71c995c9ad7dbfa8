"""``orderpatch get ORDER_ID`` and ``orderpatch list --where KEY=VALUE ...``: reading from the command line.

``get`` prints one order like ``update`` does (``--output json|table``). ``list`` prints the
selection: a JSON array (``json``), one JSON object per line (``jsonl``, to pipe into a bulk
job), or a table. ``--where`` takes the fields of ``orderpatch.OrderFilter``; ``ids``,
``number``, ``status`` and ``tags`` take comma-separated values, the ranges ISO 8601 times with
a zone (``2026-01-01T00:00:00Z``). Exit codes are those of ``update``: 2 usage or
configuration, 3 validation (nothing sent), 4 vendor error, 5 transport.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Iterable
from typing import TextIO

__all__ = ["register", "run_get", "run_list", "where_filter"]

_LISTS = frozenset({"ids", "number", "status", "tags"})
_TIMES = frozenset({"created_gte", "created_lt", "updated_gte", "updated_lt"})

_LIST_EPILOG = """\
--where keys (the fields of orderpatch.OrderFilter; each at most once, all ANDed):
  ids=A,B  number=N[,N]  status=S[,S]  email=E  reference=R  tags=T[,T]
  created_gte=TIME  created_lt=TIME  updated_gte=TIME  updated_lt=TIME   (ISO 8601 with a zone)
A key the configured vendor cannot filter on is refused before any request (exit 3).

examples:
  orderpatch list --where status=placed,approved --where created_gte=2026-01-01T00:00:00Z --limit 50
  orderpatch list --where email=ada@example.com --output jsonl > selection.jsonl
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``get`` and ``list`` to the command's subcommands."""
    from ._cli_options import add_connection_options
    from ._cli_output import add_output_options

    get = commands.add_parser("get", help="print one order",
                              description="Read one order at the configured vendor and print it.")
    get.add_argument("order_id", metavar="ORDER_ID", help="the vendor's order id or number")
    add_output_options(get)
    add_connection_options(get)
    get.set_defaults(run=run_get)
    listing = commands.add_parser("list", help="print the orders a filter selects",
                                  description="List the orders the --where conditions select, page by page.",
                                  epilog=_LIST_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    listing.add_argument("--where", dest="wheres", action="append", default=[], metavar="KEY=VALUE",
                         help="a condition (repeatable; see below)")
    listing.add_argument("--limit", type=_count, metavar="N", help="print at most N orders")
    listing.add_argument("--output", choices=("json", "jsonl", "table"), default="jsonl",
                         help="output format (default: jsonl, one JSON object per line)")
    add_connection_options(listing)
    listing.set_defaults(run=run_list)


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a number of orders (0 or more), got {text!r}")
    return int(text)


def _time(key: str, text: str) -> dt.datetime:
    from .errors import ValidationError

    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        expected = "an ISO 8601 time with a zone, such as 2026-01-01T00:00:00Z"
        raise ValidationError(f"--where {key}: expected {expected}, got {text!r:.60}", field=f"OrderFilter.{key}",
                              expected=expected)
    return moment


def where_filter(conditions: Iterable[str]) -> object:
    """The ``orderpatch.OrderFilter`` of ``--where`` conditions (``None`` when there are none)."""
    import attrs

    from ._cli_output import CliUsageError as _UsageError
    from ._facade._reading import OrderFilter
    from ._validation import unknown_field

    names = [f.name for f in attrs.fields(OrderFilter)]
    values: dict[str, object] = {}
    for condition in conditions:
        key, sep, text = condition.partition("=")
        key = key.strip()
        if not sep or not key:
            raise _UsageError(f"--where {condition!r}: expected KEY=VALUE")
        if key not in names:
            raise unknown_field("--where", key, names)
        if key in values:
            raise _UsageError(f"--where {key}: given twice; join several values with commas")
        if key in _TIMES:
            values[key] = _time(key, text)
        elif key in _LISTS and ("," in text or key in ("ids", "tags")):
            values[key] = [part.strip() for part in text.split(",")]
        else:
            values[key] = text
    return OrderFilter(**values) if values else None  # type: ignore[arg-type]


def _row(order: object) -> str:
    from ._facade import UpdatedOrder

    assert isinstance(order, UpdatedOrder)
    total = "-" if order.total is None else f"{order.total} {order.currency or ''}".strip()
    cells = (order.id, order.number or "-", order.status or "-", order.email or "-", total,
             order.updated_at.isoformat() if order.updated_at else "-")
    return "  ".join(f"{cell:<{width}}" for cell, width in zip(cells, (20, 12, 12, 28, 14, 0), strict=True)).rstrip()


def run_get(args: argparse.Namespace, stdout: TextIO, stdin: TextIO) -> int:
    """``orderpatch get``: read one order and print it as ``update`` prints one."""
    from ._cli_options import call_options, load_config
    from ._cli_output import write_order
    from ._facade._pool import SYNC_POOL
    from ._facade._reading import get_order

    try:
        order = get_order(args.order_id, config=load_config(args), **call_options(args))  # type: ignore[arg-type]
    finally:
        SYNC_POOL.close()
    write_order(order, args, stdout)
    return 0


def run_list(args: argparse.Namespace, stdout: TextIO, stdin: TextIO) -> int:
    """``orderpatch list``: print the selection; errors propagate to the command's error report."""
    from ._cli_options import call_options, load_config
    from ._facade._pool import SYNC_POOL
    from ._facade._reading import iter_orders

    selection = where_filter(args.wheres)  # before the configuration: a typo needs no credentials
    config = load_config(args)
    try:
        orders = iter_orders(selection, config=config, limit=args.limit, **call_options(args))  # type: ignore[arg-type]
        if args.output == "json":
            stdout.write(json.dumps([o.to_dict() for o in orders], indent=2, ensure_ascii=False) + "\n")
        elif args.output == "table":
            stdout.write(_row_header() + "\n")
            for order in orders:
                stdout.write(_row(order) + "\n")
        else:
            for order in orders:
                stdout.write(json.dumps(order.to_dict(), ensure_ascii=False) + "\n")
                stdout.flush()
    finally:
        SYNC_POOL.close()
    return 0


def _row_header() -> str:
    cells = ("id", "number", "status", "email", "total", "updated_at")
    return "  ".join(f"{cell:<{width}}" for cell, width in zip(cells, (20, 12, 12, 28, 14, 0), strict=True)).rstrip()
