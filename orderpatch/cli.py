# PYTHON_ARGCOMPLETE_OK
"""The ``orderpatch`` command: update an order from the shell, the vendor chosen by configuration.

Shell completion comes from ``argcomplete`` when it is installed (``pip install
'orderpatch[completion]'``, then ``eval "$(register-python-argcomplete orderpatch)"``); it is
imported only while the shell asks for completions.

Exit codes: 0 success, 2 usage or configuration error, 3 validation error (nothing was sent),
4 the vendor answered with an error, 5 transport error (no usable answer). Messages never carry
a credential. Only ``argparse`` is imported up front, so ``orderpatch --version`` stays fast.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import Final, TextIO

from . import _cli_action, _cli_check, _cli_read
from ._cli_changes import changes_data, read_json
from ._cli_options import positive_seconds, retries, vendor_flag
from ._cli_output import CliUsageError, add_output_options, write_order
from ._version import __version__

__all__ = ["EXIT_API", "EXIT_OK", "EXIT_TRANSPORT", "EXIT_USAGE", "EXIT_VALIDATION", "build_parser", "main"]

EXIT_OK: Final = 0
EXIT_USAGE: Final = 2
EXIT_VALIDATION: Final = 3
EXIT_API: Final = 4
EXIT_TRANSPORT: Final = 5

_DESCRIPTION = """\
Update orders on Commerce Layer, Spree, LicenseSpring and Trunkery (Lana Commerce).

The vendor and its credentials come from a TOML file (--config, or $ORDERPATCH_CONFIG) and from
environment variables (ORDERPATCH_VENDOR, ORDERPATCH_<VENDOR>_<SETTING>), which override the file.
"""

_TOP_EPILOG = """\
examples:
  orderpatch check                                                # credentials and reachability, no change
  orderpatch update R123456789 --set email=new@example.com     # the vendor from the configuration
  orderpatch update R123456789 --set email=a@b.co --fields id,status,email
  orderpatch action R123456789 complete                           # a Spree action / Commerce Layer trigger
  orderpatch update 1629789747117569 --config orderpatch.toml --set reference=ERP-42 --output table
  orderpatch bulk --input backfill.jsonl                          # many orders, paced and resumable
  orderpatch sandbox --port 8080                                  # the four vendors, locally

'orderpatch update --help' lists the fields and more examples.
exit codes: 0 ok, 2 usage or configuration, 3 validation (nothing sent), 4 vendor error, 5 transport
"""

_UPDATE_EPILOG = """\
fields (--set FIELD=VALUE; the vendor-neutral OrderChanges):
  email, reference, currency, coupon_code, language, customer_id, note   plain values
  tags=a,b,c                         the order's tags (replaces them; "tags=" removes all)
  metadata.KEY=VALUE                 VALUE is read as JSON when it parses (3, true, {...}), else as text
  billing_address.FIELD=VALUE        FIELD: first_name last_name company line1 line2 city
  shipping_address.FIELD=VALUE              postal_code region country_code phone
  --clear FIELD                      set FIELD to null (clear it), where the vendor can

examples:
  ORDERPATCH_VENDOR=spree ORDERPATCH_SPREE_BASE_URL=https://shop.example.com \\
  ORDERPATCH_SPREE_CLIENT_ID=... ORDERPATCH_SPREE_CLIENT_SECRET=... \\
      orderpatch update R123456789 --set email=new@example.com --set metadata.source=crm

  orderpatch update 1629789747117569 --config orderpatch.toml --set reference=ERP-42 --output table
  echo '{"email": "a@b.co", "tags": ["vip"]}' | orderpatch update or_EQzGqWoY --json -
  orderpatch update NgojhKoyYN --vendor commercelayer --native --json place.json   # {"place": true}

exit codes: 0 ok, 2 usage or configuration, 3 validation (nothing sent), 4 vendor error, 5 transport
"""


_UsageError = CliUsageError  # a mistake in the command line itself (exit 2)
_positive_seconds = positive_seconds
_retries = retries


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``orderpatch`` command."""
    parser = argparse.ArgumentParser(
        prog="orderpatch", description=_DESCRIPTION, epilog=_TOP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"orderpatch {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    update = commands.add_parser(
        "update",
        help="update one order and print it",
        description="Update one order at the configured vendor and print the updated order.",
        epilog=_UPDATE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    update.add_argument("order_id", metavar="ORDER_ID", help="the vendor's order id or number")
    update.add_argument("--set", dest="sets", action="append", default=[], metavar="FIELD=VALUE",
                        help="a field to change (repeatable; see below)")
    update.add_argument("--clear", dest="clears", action="append", default=[], metavar="FIELD",
                        help="a field to set to null (repeatable)")
    update.add_argument("--json", dest="json_file", metavar="FILE|-",
                        help="the changes as a JSON object, from a file or stdin ('-'); --set applies on top")
    update.add_argument("--native", action="store_true",
                        help="--json holds the configured vendor's own OrderUpdate fields, not OrderChanges")
    update.add_argument("--vendor", type=vendor_flag, help="the vendor, overriding the configuration")
    update.add_argument("--config", metavar="FILE", help="a TOML configuration file (default: $ORDERPATCH_CONFIG)")
    add_output_options(update)
    update.add_argument("--timeout", type=_positive_seconds, metavar="SECONDS", help="per-attempt timeout")
    update.add_argument("--max-retries", type=_retries, metavar="N", help="retries of a retryable failure (0-10)")
    update.add_argument("--deadline", type=_positive_seconds, metavar="SECONDS",
                        help="bound on the whole call, retries included")
    update.add_argument("--dry-run", action="store_true",
                        help="print the method, URL and body the update would send; send nothing")
    from ._cli_bulk import add_bulk_parser

    add_bulk_parser(commands)
    _cli_check.register(commands)
    _cli_action.register(commands)
    _cli_read.register(commands)
    commands.add_parser(
        "sandbox",
        help="run the local vendor sandbox (needs the 'sandbox' extra); 'orderpatch sandbox --help' for options",
        add_help=False,
    )
    return parser


# ---------------------------------------------------------------------------------------------
# ---------------------------------------------------------------------------------------------


def _run_update(args: argparse.Namespace, stdout: TextIO, stdin: TextIO) -> int:
    from ._config import ENV_VENDOR, Config
    from ._facade import OrderChanges, update_order
    from ._facade._pool import SYNC_POOL
    from ._facade._registry import adapter_for

    if args.native and (args.sets or args.clears or args.json_file is None):
        raise _UsageError("--native takes the whole update from --json, without --set or --clear")
    env = dict(os.environ)
    if args.vendor:
        env[ENV_VENDOR] = args.vendor
    config = Config.load(args.config, env=env)
    if args.native:
        changes: object = adapter_for(config.vendor).from_json(read_json(args.json_file, stdin))
    else:
        data = changes_data(args, stdin)
        if not data:
            raise _UsageError("nothing to change: give --set FIELD=VALUE, --clear FIELD or --json FILE")
        changes = OrderChanges.from_dict(data)
    options: dict[str, float | int] = {}
    for name in ("timeout", "max_retries", "deadline"):
        if getattr(args, name) is not None:
            options[name] = getattr(args, name)
    if args.dry_run:
        from ._cli_bulk import dry_run_update

        return dry_run_update(config, args.order_id, changes, stdout)
    try:
        order = update_order(args.order_id, changes, config=config, **options)  # type: ignore[arg-type]
    finally:
        SYNC_POOL.close()
    write_order(order, args, stdout)
    return EXIT_OK


def _run_sandbox(argv: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    from .sandbox import main as sandbox_main  # needs no extra: help works, serving says what to install

    try:
        return sandbox_main(list(argv), prog="orderpatch sandbox", stdout=stdout, stderr=stderr)
    except SystemExit as exc:  # --help, or a usage error argparse has reported
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE


def _report(error: BaseException, stderr: TextIO) -> None:
    from ._cli_hints import unsupported_message
    from .errors import APIError, UnsupportedChange

    if isinstance(error, UnsupportedChange):  # the command's own flags, not the Python class
        stderr.write(f"orderpatch: error: {unsupported_message(error.vendor, str(error.field), error.alternative)}\n")
        return
    stderr.write(f"orderpatch: error: {error}\n")
    if isinstance(error, APIError):
        message = " ".join(error.message.lower().split())
        for detail in error.errors:
            text = detail.detail or detail.title or ""
            where = detail.field or detail.pointer or "error"
            if " ".join(f"{where}: {text}".lower().split()) in message:
                continue  # the message already says it: no second line repeating it
            stderr.write(f"  - {where}: {text}\n")


def _complete(parser: argparse.ArgumentParser) -> None:
    """Answer the shell's completion request and exit, when ``argcomplete`` asks (``_ARGCOMPLETE`` is set)."""
    if "_ARGCOMPLETE" not in os.environ:
        return
    import importlib

    try:  # by name: the extra is optional, and type checkers may not have it either
        argcomplete = importlib.import_module("argcomplete")
    except ImportError:  # the 'completion' extra is not installed: no completions, no error
        return
    argcomplete.autocomplete(parser)


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None,
         stdin: TextIO | None = None) -> int:
    """Run the command; return its exit code (the console script exits with it)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    stdout, stderr, stdin = stdout or sys.stdout, stderr or sys.stderr, stdin or sys.stdin
    if argv[:1] == ["sandbox"]:
        return _run_sandbox(argv[1:], stdout, stderr)
    parser = build_parser()
    _complete(parser)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):  # --help and usage errors
            args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error argparse has reported
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if args.command is None:
        parser.print_help(stdout)
        return EXIT_USAGE
    if args.command == "bulk":
        from ._cli_bulk import run_bulk

        return run_bulk(args, argv[1:], stdout, stderr, stdin)
    from .errors import APIError, ConfigurationError, OrderPatchError, TransportError, ValidationError

    exit_codes: tuple[tuple[type[OrderPatchError], int], ...] = (
        (ConfigurationError, EXIT_USAGE),
        (ValidationError, EXIT_VALIDATION),
        (APIError, EXIT_API),
        (TransportError, EXIT_TRANSPORT),
    )
    runner = getattr(args, "run", None) or _run_update
    try:
        return int(runner(args, stdout, stdin))
    except _UsageError as exc:
        stderr.write(f"orderpatch {args.command}: error: {exc}\n")
        return EXIT_USAGE
    except OrderPatchError as exc:
        _report(exc, stderr)
        return next((code for cls, code in exit_codes if isinstance(exc, cls)), EXIT_API)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
