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

from .._config import Config
from .._facade._registry import adapter_for
from .._ratelimit import Rate, RateLimiter
from ._input import BulkInput, BulkItem, InputProblem, InvalidInput, items_from_pairs, read_input
from ._job import BulkOptions, arun_job, run_job
from ._journal import Journal, JournalRow, default_journal_path
from ._report import BulkReport, Progress, ProgressPrinter, ReportRow

__all__ = [
    "BulkInput",
    "BulkItem",
    "BulkOptions",
    "BulkReport",
    "InputProblem",
    "InvalidInput",
    "Journal",
    "JournalRow",
    "Progress",
    "ProgressPrinter",
    "ReportRow",
    "arun_job",
    "aupdate_orders",
    "default_journal_path",
    "items_from_pairs",
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


def update_orders(
    items: Iterable[tuple[str | int, object]] | str | Path,
    *,
    config: Config | None = None,
    journal: str | Path | None = None,
    restart: bool = False,
    concurrency: int | None = None,
    rates: Iterable[Rate] | None = None,
    rate_limiter: RateLimiter | None = None,
    max_error_rate: float | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> BulkReport:
    """Apply many changes: ``(order id, OrderChanges or the vendor's update)`` pairs, or a JSONL/CSV file.

    Every item is checked first (``InvalidInput`` lists each bad one; nothing is sent). The
    journal (``journal=``, else ``default_journal_path``) makes the job resumable; ``restart``
    forgets what it holds. ``rates`` (default: the vendor's published limits) or your own
    ``rate_limiter`` pace the job; ``on_progress`` is called after each order, from the
    worker threads. Returns the report; ``report.exit_code`` is the command's exit code.
    """
    options = _options(concurrency, rates, rate_limiter, max_error_rate, on_progress)
    bulk, opened, config = _prepare(items, config, journal, restart)
    try:
        return run_job(bulk, opened, config=config, options=options)
    finally:
        opened.close()


async def aupdate_orders(
    items: Iterable[tuple[str | int, object]] | str | Path,
    *,
    config: Config | None = None,
    journal: str | Path | None = None,
    restart: bool = False,
    concurrency: int | None = None,
    rates: Iterable[Rate] | None = None,
    rate_limiter: RateLimiter | None = None,
    max_error_rate: float | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> BulkReport:
    """The asyncio twin of ``update_orders`` (tasks instead of threads)."""
    options = _options(concurrency, rates, rate_limiter, max_error_rate, on_progress)
    bulk, opened, config = _prepare(items, config, journal, restart)
    try:
        return await arun_job(bulk, opened, config=config, options=options)
    finally:
        opened.close()


def _options(concurrency: int | None, rates: Iterable[Rate] | None, rate_limiter: RateLimiter | None,
             max_error_rate: float | None, on_progress: Callable[[Progress], None] | None) -> BulkOptions:
    given: dict[str, object] = {"concurrency": concurrency, "max_error_rate": max_error_rate}
    return BulkOptions(
        **{key: value for key, value in given.items() if value is not None},  # type: ignore[arg-type]
        rates=None if rates is None else tuple(rates), rate_limiter=rate_limiter, on_progress=on_progress,
    )
