"""Bulk updates: many orders at the vendor's rate limit, resumable, nothing lost, nothing doubled.

>>> from orderpatch import OrderChanges                                     # doctest: +SKIP
>>> from orderpatch.bulk import update_orders
>>> report = update_orders([("R1", OrderChanges(reference="ERP-1")), ("R2", OrderChanges(reference="ERP-2"))],
...                        journal="backfill.sqlite3")
>>> report.counts, report.exit_code                                         # {'done': 2}, 0

The job validates every item before sending anything, journals each order before its request
leaves (``_journal.py``), paces all its workers with one rate limiter at the vendor's published
limits, and accounts for every item in the report. Running it again with the same journal
resumes: done orders are never sent again, and an order left in doubt is re-sent only when
that is safe (see ``_job.py``). The command is ``orderpatch bulk`` (``docs/bulk.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import attrs

from .._config import Config
from .._facade._registry import adapter_for
from .._ratelimit import Rate, RateLimiter
from ._input import BulkInput, BulkItem, InputProblem, InvalidInput, items_from_pairs, read_input
from ._job import BulkOptions, arun_job, job_rate_limiter, run_job
from ._journal import Journal, JournalRow, default_journal_path, selection_journal_path
from ._report import BulkReport, Progress, ProgressPrinter, ReportRow
from ._selection import (
    PreparedSelection,
    Selection,
    alist_selection,
    list_selection,
    prepare_selection,
    resumed_selection,
)
from ._task import BulkTasks, TaskBusy, TaskResult

__all__ = [
    "BulkInput",
    "BulkItem",
    "BulkOptions",
    "BulkReport",
    "BulkTasks",
    "InputProblem",
    "InvalidInput",
    "Journal",
    "JournalRow",
    "Progress",
    "ProgressPrinter",
    "ReportRow",
    "TaskBusy",
    "TaskResult",
    "Selection",
    "aopen_selection",
    "arun_job",
    "aupdate_orders",
    "default_journal_path",
    "items_from_pairs",
    "open_selection",
    "read_input",
    "run_job",
    "update_orders",
]


def _prepare(items: Iterable[tuple[str | int, object]] | str | Path, config: Config | None,
             journal: str | Path | None, restart: bool) -> tuple[BulkInput, Journal, Config]:
    config = config if config is not None else Config.load()
    adapter = adapter_for(config.vendor)
    bulk = read_input(items, adapter) if isinstance(items, (str, Path)) else items_from_pairs(items, adapter)
    path = journal if journal is not None else default_journal_path(bulk.source, config.vendor)
    return bulk, Journal.open(path, bulk, vendor=config.vendor, restart=restart), config


def _selection_setup(selection: Selection, config: Config | None, journal: str | Path | None,
                     options: BulkOptions) -> tuple[PreparedSelection, Path, Config, BulkOptions]:
    """Everything a selection job checks before any I/O; its options carry the job's one limiter."""
    config = config if config is not None else Config.load()
    prepared = prepare_selection(selection, adapter_for(config.vendor))
    limiter = job_rate_limiter(config, options)
    path = Path(journal) if journal is not None else selection_journal_path(prepared.digest, config.vendor)
    return prepared, path, config, attrs.evolve(options, rates=None, rate_limiter=limiter)


def open_selection(selection: Selection, *, config: Config | None = None, journal: str | Path | None = None,
                   restart: bool = False, options: BulkOptions | None = None,
                   ) -> tuple[BulkInput, Journal, Config, BulkOptions]:
    """List and journal a selection (or find it journalled, to resume): the job's input, journal and options.

    The listing goes through a client on the job's own limiter (``options``, returned with it
    set), so its reads spend the same budget as the writes that follow.
    """
    prepared, path, config, options = _selection_setup(selection, config, journal, options or BulkOptions())
    resumed = resumed_selection(path, prepared, vendor=config.vendor, restart=restart)
    if resumed is not None:
        return (*resumed, config, options)
    adapter = adapter_for(config.vendor)
    client = adapter.binding.sync_client(**adapter.client_options(config), rate_limiter=options.rate_limiter)
    with client:
        bulk, skipped = list_selection(getattr(client, "orders"), adapter, prepared)  # noqa: B009
    return bulk, Journal.open(path, bulk, vendor=config.vendor, restart=restart, skipped=skipped), config, options


async def aopen_selection(selection: Selection, *, config: Config | None = None, journal: str | Path | None = None,
                          restart: bool = False, options: BulkOptions | None = None,
                          ) -> tuple[BulkInput, Journal, Config, BulkOptions]:
    """The asyncio twin of ``open_selection``."""
    prepared, path, config, options = _selection_setup(selection, config, journal, options or BulkOptions())
    resumed = resumed_selection(path, prepared, vendor=config.vendor, restart=restart)
    if resumed is not None:
        return (*resumed, config, options)
    adapter = adapter_for(config.vendor)
    client = adapter.binding.async_client(**adapter.client_options(config), rate_limiter=options.rate_limiter)
    async with client:
        bulk, skipped = await alist_selection(getattr(client, "orders"), adapter, prepared)  # noqa: B009
    return bulk, Journal.open(path, bulk, vendor=config.vendor, restart=restart, skipped=skipped), config, options


def update_orders(
    items: Iterable[tuple[str | int, object]] | str | Path | Selection,
    *,
    config: Config | None = None,
    journal: str | Path | None = None,
    restart: bool = False,
    concurrency: int | None = None,
    rates: Iterable[Rate] | None = None,
    rate_limiter: RateLimiter | None = None,
    max_error_rate: float | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    skip_unchanged: bool = False,
) -> BulkReport:
    """Apply many changes: ``(order id, OrderChanges or the vendor's update)`` pairs, a JSONL/CSV file, or a
    ``Selection`` (the orders a filter lists, each given one change).

    Every item is checked first (``InvalidInput`` lists each bad one; nothing is sent); a
    selection's filter and change are checked before it is listed, and it is listed and
    journalled before the first write. The journal (``journal=``, else ``default_journal_path``)
    makes the job resumable; ``restart`` forgets what it holds. ``rates`` (default: the
    vendor's published limits) or your own ``rate_limiter`` pace the job, reads included;
    ``skip_unchanged`` reads each order first and skips those already holding the change.
    ``on_progress`` is called after each order, from the worker threads. Returns the report;
    ``report.exit_code`` is the command's exit code.
    """
    options = _options(concurrency, rates, rate_limiter, max_error_rate, on_progress, skip_unchanged)
    if isinstance(items, Selection):
        bulk, opened, config, options = open_selection(items, config=config, journal=journal, restart=restart,
                                                       options=options)
    else:
        bulk, opened, config = _prepare(items, config, journal, restart)
    try:
        return run_job(bulk, opened, config=config, options=options)
    finally:
        opened.close()


async def aupdate_orders(
    items: Iterable[tuple[str | int, object]] | str | Path | Selection,
    *,
    config: Config | None = None,
    journal: str | Path | None = None,
    restart: bool = False,
    concurrency: int | None = None,
    rates: Iterable[Rate] | None = None,
    rate_limiter: RateLimiter | None = None,
    max_error_rate: float | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    skip_unchanged: bool = False,
) -> BulkReport:
    """The asyncio twin of ``update_orders`` (tasks instead of threads)."""
    options = _options(concurrency, rates, rate_limiter, max_error_rate, on_progress, skip_unchanged)
    if isinstance(items, Selection):
        bulk, opened, config, options = await aopen_selection(items, config=config, journal=journal,
                                                              restart=restart, options=options)
    else:
        bulk, opened, config = _prepare(items, config, journal, restart)
    try:
        return await arun_job(bulk, opened, config=config, options=options)
    finally:
        opened.close()


def _options(concurrency: int | None, rates: Iterable[Rate] | None, rate_limiter: RateLimiter | None,
             max_error_rate: float | None, on_progress: Callable[[Progress], None] | None,
             skip_unchanged: bool) -> BulkOptions:
    given: dict[str, object] = {"concurrency": concurrency, "max_error_rate": max_error_rate}
    return BulkOptions(
        **{key: value for key, value in given.items() if value is not None},  # type: ignore[arg-type]
        rates=None if rates is None else tuple(rates), rate_limiter=rate_limiter, on_progress=on_progress,
        skip_unchanged=skip_unchanged,
    )
