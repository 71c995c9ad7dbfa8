"""``orderpatch check``: are the configured credentials good and the vendor reachable? Nothing is changed.

Each vendor's facade adapter names its read-only probe (``VendorAdapter.check_call``); this
command sends it through ``orderpatch.check_connection`` and prints one line (or JSON).
"""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from ._cli_options import add_connection_options, call_options, load_config

__all__ = ["register"]

_EPILOG = """\
what it does: one read-only request to the configured vendor (OAuth vendors fetch a token first):
  commercelayer  GET /api/orders?page[size]=1        spree          GET /api/v2/platform/orders?per_page=1
  licensespring  GET /api/v1/orders/?limit=1         trunkery       GET /orders/page.json?limit=1&shop_id=…

examples:
  orderpatch check                                  # the vendor from ORDERPATCH_VENDOR / --config
  orderpatch check --vendor spree --config orderpatch.toml --output json

exit codes: 0 ok, 2 usage or configuration, 4 refused (credentials, wrong base URL), 5 unreachable
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``check`` to the command's subcommands."""
    parser = commands.add_parser(
        "check",
        help="check the configured credentials and that the vendor answers (changes nothing)",
        description="Check the configured vendor's credentials and reachability with one read-only request.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_connection_options(parser)
    parser.add_argument("--output", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--quiet", "-q", action="store_true", help="print nothing on success (the exit code tells)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, stdout: TextIO, stdin: TextIO) -> int:
    """Check, print the result; errors propagate to the command's error report."""
    from ._facade import check_connection

    result = check_connection(load_config(args), **call_options(args))  # type: ignore[arg-type]
    if not args.quiet:
        text = json.dumps(result.to_dict(), indent=2) if args.output == "json" else result.summary()
        stdout.write(text + "\n")
    return 0
