"""``orderpatch bulk``: many orders from a JSONL or CSV file or a ``--where`` selection, paced, journalled, resumable.

``--where KEY=VALUE`` takes the keys of ``orderpatch list`` (``_cli_read.where_filter``) and
``--set``/``--clear`` the fields of ``orderpatch update`` (``_cli_changes.changes_data``): the same
parsers, not copies. The selection is listed and journalled before the first write
(``bulk/_selection.py``).

Exit codes: 0 every order done or skipped; 2 usage or configuration; 3 invalid input (nothing was
sent); 4 some orders failed, are unknown or were not attempted (the report lists them); 130
interrupted (rerun the same command to resume). Also ``orderpatch update --dry-run``.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final, TextIO, cast

if TYPE_CHECKING:
    from ._config import Config
    from ._models import RequestModel

__all__ = ["add_bulk_parser", "dry_run_update", "run_bulk"]

EXIT_USAGE: Final = 2
EXIT_INVALID_INPUT: Final = 3
EXIT_FAILED: Final = 4
EXIT_INTERRUPTED: Final = 130

_EPILOG = """\
selection (--where, instead of --input): the orders 'orderpatch list --where' prints, one change for all:
  orderpatch bulk --where status=placed --where created_gte=2026-01-01T00:00:00Z --set reference=ERP-1
  listed and journalled before the first write; a resume works on the journalled orders, not a new listing

input (one order per line, every line checked before anything is sent):
  JSONL  {"id": "R123", "email": "new@example.com", "tags": ["vip"]}      the fields --set takes
         {"id": "NgojhKoyYN", "native": {"approve": true}}                the vendor's own fields
  CSV    id,reference,metadata.source,tags                                 an empty cell: unchanged
         R123,ERP-1,crm,"vip,b2b"

examples:
  orderpatch bulk --input backfill.jsonl                        # at the vendor's published limits
  orderpatch bulk --input backfill.jsonl --dry-run              # show every request, send none
  orderpatch bulk --input tags.csv --rate 5/1 --concurrency 8 --output jsonl > report.jsonl
  orderpatch bulk --input backfill.jsonl --journal job.sqlite3  # rerun the same command to resume
  orderpatch bulk --where email=old@example.com --set email=new@example.com --dry-run   # what would change

exit codes: 0 all done or skipped, 2 usage or configuration, 3 invalid input (nothing sent),
            4 some failed or unknown (listed in the report), 130 interrupted (resumable)
"""


def _concurrency(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to 64, got {text!r}") from None
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to 64, got {text!r}")
    return value


def _share(text: str) -> float:
    try:
        value = float(text.rstrip("%")) / (100.0 if text.endswith("%") else 1.0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a share such as 0.1 or 10%, got {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a share from 0 to 1 (or 0% to 100%), got {text!r}")
    return value


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of orders (1 or more), got {text!r}")
    return int(text)


def _rate(text: str) -> object:
    from ._ratelimit import Rate
    from .errors import ValidationError

    try:
        return Rate.parse(text, field="--rate")
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--rate: ")) from None


def add_bulk_parser(commands: Any) -> None:
    """Register ``bulk`` on the ``orderpatch`` command's subparsers."""
    from ._cli_options import vendor_flag
    from ._constants import BULK_DEFAULT_CONCURRENCY, BULK_DEFAULT_MAX_ERROR_RATE

    bulk = commands.add_parser(
        "bulk",
        help="update many orders from a JSONL or CSV file, paced and resumable",
        description="Update many orders at the configured vendor, at its published rate limits, with a journal "
        "that makes the job resumable: orders done are never sent again, orders in doubt are only re-sent when "
        "that is safe.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    source = bulk.add_mutually_exclusive_group(required=True)
    source.add_argument("--input", metavar="FILE|-", help="a .jsonl or .csv file ('-': JSONL on stdin)")
    source.add_argument("--where", dest="wheres", action="append", metavar="KEY=VALUE",
                        help="select the orders as 'orderpatch list --where' does (repeatable); needs --set/--clear")
    bulk.add_argument("--set", dest="sets", action="append", default=[], metavar="FIELD=VALUE",
                      help="with --where: a field to change on every selected order, as 'orderpatch update --set'")
    bulk.add_argument("--clear", dest="clears", action="append", default=[], metavar="FIELD",
                      help="with --where: a field to set to null on every selected order")
    bulk.add_argument("--limit", type=_positive, metavar="N", help="with --where: at most N orders of the selection")
    bulk.add_argument("--skip-unchanged", action="store_true",
                      help="with --input: read each order first and skip it when it already holds the change "
                      "(costs a read per order; a --where selection always does this, from its listing)")
    bulk.add_argument("--format", dest="input_format", choices=("jsonl", "csv"),
                      help="the input format (default: from the file name; JSONL unless it ends in .csv)")
    bulk.add_argument("--journal", metavar="PATH",
                      help="the job's journal (default: one per vendor and input file, printed at the start)")
    bulk.add_argument("--restart", action="store_true",
                      help="forget what the journal holds and start over (orders done there are sent again)")
    bulk.add_argument("--dry-run", action="store_true",
                      help="print the method, URL and body each order would get; send nothing")
    bulk.add_argument("--rate", dest="rates", action="append", type=_rate, metavar="N/SECONDS",
                      help="at most N requests per SECONDS (repeatable; default: the vendor's published limits)")
    bulk.add_argument("--concurrency", type=_concurrency, default=BULK_DEFAULT_CONCURRENCY, metavar="N",
                      help="orders in flight at once (default: %(default)s)")
    bulk.add_argument("--max-error-rate", type=_share, default=BULK_DEFAULT_MAX_ERROR_RATE, metavar="R",
                      help="stop when more than this share of orders fails (default: %(default)s)")
    bulk.add_argument("--output", choices=("table", "jsonl"), default="table",
                      help="the final report: a table, or one JSON object per input line (default: table)")
    bulk.add_argument("--vendor", type=vendor_flag, help="the vendor, overriding the configuration")
    bulk.add_argument("--config", metavar="FILE", help="a TOML configuration file (default: $ORDERPATCH_CONFIG)")
    bulk.add_argument("--no-progress", action="store_true", help="no progress bar or progress lines")


def _config(args: argparse.Namespace) -> Config:
    from ._config import ENV_VENDOR, Config

    env = dict(os.environ)
    if args.vendor:
        env[ENV_VENDOR] = args.vendor
    return Config.load(args.config, env=env)


def _dry_run(config: Config, bulk: Any, stdout: TextIO, *, read: bool) -> int:
    """Print each order's request; with ``read`` (``--skip-unchanged``) read the order and say what would change."""
    from ._facade._registry import adapter_for

    adapter = adapter_for(config.vendor)
    client = adapter.open_sync(config)
    try:
        orders: Any = getattr(client, "orders")  # noqa: B009 - every vendor client has one
        for item in bulk.items:
            current = orders.retrieve(item.order_id) if read and item.changes is not None else None
            stdout.write(json.dumps(_dry_record(adapter, client, item, current), ensure_ascii=False) + "\n")
    finally:
        client.close()
    return 0


def _dry_record(adapter: Any, client: Any, item: Any, current: object | None) -> dict[str, object]:
    """One ``--dry-run`` line: the request, its key's form, and what would change where the order was read."""
    from ._facade._changes import redact_secrets
    from .bulk._compare import holds, would_change
    from .bulk._plan import KEYED_VENDORS, capturing_copy, derive_idempotency_key, dry_run_record, plan_call

    # The real key is derived from the job's id (made when its journal is): this one shows its form.
    key = derive_idempotency_key("dry-run", item.order_id, item.change) if adapter.vendor in KEYED_VENDORS else None
    request = cast("RequestModel", redact_secrets(item.request))
    planned = plan_call(adapter, capturing_copy(client), item.order_id, request, idempotency_key=key)
    record: dict[str, object] = dict(dry_run_record(item.line, item.order_id, planned))
    if current is not None and item.changes is not None:
        record["would_change"] = would_change(adapter.vendor, item.changes, current)
        record["skip"] = holds(adapter.vendor, item.changes, current)
    return record


def _dry_run_selection(config: Config, prepared: Any, stdout: TextIO) -> int:
    """``--where … --dry-run``: list the selection (reads only), print each order's request and what would change."""
    from ._facade._registry import adapter_for
    from .bulk._input import BulkItem

    adapter = adapter_for(config.vendor)
    client = adapter.open_sync(config)
    try:
        orders: Any = getattr(client, "orders")  # noqa: B009 - every vendor client has one
        for line, order in enumerate(orders.list(prepared.filter), start=1):
            order_id = adapter.normalize(order).id
            item = BulkItem(line=line, order_id=order_id, request=prepared.request, change=prepared.change,
                            changes=prepared.changes)
            stdout.write(json.dumps(_dry_record(adapter, client, item, order), ensure_ascii=False) + "\n")
            if prepared.limit is not None and line >= prepared.limit:
                break
    finally:
        client.close()
    return 0


def _selection(args: argparse.Namespace, stdin: TextIO) -> object:
    """The ``Selection`` of ``--where``/``--set``/``--clear``/``--limit``, by the parsers of ``list`` and ``update``."""
    from ._cli_changes import changes_data
    from ._cli_output import CliUsageError
    from ._cli_read import where_filter
    from ._facade._changes import OrderChanges
    from .bulk import Selection

    where = where_filter(args.wheres)
    args.json_file = None  # bulk takes no --json: the change is --set/--clear
    data = changes_data(args, stdin)
    if not data:
        raise CliUsageError("--where needs the change: give --set FIELD=VALUE or --clear FIELD")
    return Selection(where=where, changes=OrderChanges.from_dict(data), limit=args.limit)


def _check_flags(args: argparse.Namespace) -> None:
    from ._cli_output import CliUsageError

    if args.input is not None:
        extra = [flag for flag, given in (("--set", args.sets), ("--clear", args.clears), ("--limit", args.limit))
                 if given]
        if extra:
            raise CliUsageError(f"{extra[0]} goes with --where; with --input the changes come from the file")
    elif args.input_format is not None:
        raise CliUsageError("--format goes with --input")


def _resume_hint(argv: Sequence[str], journal: str) -> str:
    words = ["orderpatch", "bulk", *[word for word in argv if word != "--restart"]]
    if "--journal" not in argv and not any(word.startswith("--journal=") for word in argv):
        words += ["--journal", journal]
    return shlex.join(words)


def run_bulk(args: argparse.Namespace, argv: Sequence[str], stdout: TextIO, stderr: TextIO, stdin: TextIO) -> int:
    """Run ``orderpatch bulk``; return its exit code."""
    import attrs

    from ._cli_output import CliUsageError
    from ._facade._registry import adapter_for
    from .bulk import (
        BulkOptions,
        Journal,
        ProgressPrinter,
        Selection,
        default_journal_path,
        open_selection,
        read_input,
        run_job,
    )
    from .bulk._input import InvalidInput
    from .bulk._selection import prepare_selection
    from .errors import ConfigurationError, OrderPatchError, ValidationError

    listed = ""
    try:
        _check_flags(args)
        config = _config(args)
        adapter = adapter_for(config.vendor)
        options = BulkOptions(concurrency=args.concurrency, max_error_rate=args.max_error_rate,
                              rates=None if args.rates is None else tuple(args.rates),
                              skip_unchanged=args.skip_unchanged)
        if args.wheres:
            selection = cast("Selection", _selection(args, stdin))
            if args.dry_run:
                return _dry_run_selection(config, prepare_selection(selection, adapter), stdout)
            stderr.write("orderpatch bulk: listing the selection (reads spend the job's budget)\n")
            stderr.flush()
            bulk, journal, config, options = open_selection(selection, config=config, journal=args.journal,
                                                            restart=args.restart, options=options)
            if not journal.resumed:
                skipped = journal.counts().get("skipped", 0)
                listed = f"; {skipped} already had the change" if skipped else ""
        else:
            text = stdin.read() if args.input == "-" else None
            bulk = read_input(args.input, adapter, text=text, input_format=args.input_format)
            if args.dry_run:
                return _dry_run(config, bulk, stdout, read=args.skip_unchanged)
            path = args.journal or str(default_journal_path(bulk.source, config.vendor))
            journal = Journal.open(path, bulk, vendor=config.vendor, restart=args.restart)
    except CliUsageError as exc:
        stderr.write(f"orderpatch bulk: error: {exc}\n")
        return EXIT_USAGE
    except ConfigurationError as exc:
        stderr.write(f"orderpatch bulk: error: {exc}\n")
        return EXIT_USAGE
    except InvalidInput as exc:
        stderr.write(f"orderpatch bulk: error: {exc}\n")
        return EXIT_INVALID_INPUT
    except ValidationError as exc:  # the input file itself (unreadable, wrong format), or --where/--set
        stderr.write(f"orderpatch bulk: error: {exc}\n")
        return EXIT_INVALID_INPUT
    except OrderPatchError as exc:  # listing the selection (or a dry run's reads) failed: nothing was written
        stderr.write(f"orderpatch bulk: error: reading the orders failed, nothing was written: {exc}\n")
        return EXIT_FAILED
    except KeyboardInterrupt:
        stderr.write("orderpatch bulk: interrupted before the first write; nothing was sent\n")
        return EXIT_INTERRUPTED
    try:
        verb = "resuming" if journal.resumed else "journal"
        stderr.write(f"orderpatch bulk: {verb} {journal.path} ({len(bulk.items)} orders{listed}, {config.vendor})\n")
        stderr.flush()
        printer = None if args.no_progress else ProgressPrinter(stderr, total=len(bulk.items))
        options = attrs.evolve(options, on_progress=printer)
        try:
            report = run_job(bulk, journal, config=config, options=options)
        finally:
            if printer is not None:
                printer.close()
    except ConfigurationError as exc:
        stderr.write(f"orderpatch bulk: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        stderr.write(f"orderpatch bulk: interrupted; resume with: {_resume_hint(argv, str(journal.path))}\n")
        return EXIT_INTERRUPTED
    finally:
        journal.close()
    stdout.write(report.to_jsonl() if args.output == "jsonl" else report.to_table())
    stdout.flush()
    if report.interrupted:
        stderr.write(f"orderpatch bulk: interrupted; resume with: {_resume_hint(argv, report.journal)}\n")
    elif report.stop_reason:
        stderr.write(f"orderpatch bulk: {report.stop_reason}; resume with: {_resume_hint(argv, report.journal)}\n")
    return report.exit_code


def dry_run_update(config: Config, order_id: str, changes: object, stdout: TextIO) -> int:
    """``orderpatch update --dry-run``: print the request the update would send; send nothing."""
    from ._facade._changes import redact_secrets
    from ._facade._registry import adapter_for
    from .bulk._plan import capturing_copy, dry_run_record, plan_call

    adapter = adapter_for(config.vendor)
    request = adapter.prepare(changes)
    client = adapter.open_sync(config)
    try:
        planned = plan_call(adapter, capturing_copy(client), order_id, cast("RequestModel", redact_secrets(request)))
    finally:
        client.close()
    record = dry_run_record(1, order_id, planned)
    del record["line"]
    stdout.write(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    return 0

