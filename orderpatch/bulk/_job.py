"""Running a bulk job: pacing, concurrency, resume, stop on error rate or Ctrl-C; sync and async.

Every decision is made once, in ``_JobCore``: which orders still need sending, what a result or
an error means for an order, when to stop. ``run_job`` (threads) and ``arun_job`` (asyncio
tasks) only differ in how they wait. All workers of a job share one client, so one
``RateLimiter`` paces them together, reads and writes alike.

An order whose request may have reached the vendor without an answer recorded (a ``sending``
row left by a crash) is resolved on resume by the vendor's own guarantees: an idempotent change
(or one carrying the journalled idempotency key) is read back first where the order can show it
(``_compare``) and otherwise sent again, with the same key and bytes; a non-idempotent one is
never sent blind: it becomes ``unknown`` (check by hand) unless the vendor lets us read the order
back and the read settles it (``_readback``; Spree v2 line items compare with a snapshot the
worker journals just before the request). Orders that already hold their change are
``skipped``: a selection decides it from its listing, ``skip_unchanged`` by reading first.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, Final

import attrs

from .._base_client import AsyncAPIClient, SyncAPIClient
from .._config import Config
from .._constants import BULK_DEFAULT_CONCURRENCY, BULK_DEFAULT_MAX_ERROR_RATE, BULK_ERROR_RATE_MIN_ORDERS
from .._facade._adapter import VendorAdapter
from .._facade._budget import rate_limiter_for
from .._facade._registry import adapter_for
from .._ratelimit import InMemoryRateLimiter, Rate, RateLimiter, published_rates
from .._types import JSONValue
from ..errors import APIError, OrderPatchError, TransportError, ValidationError
from ._compare import comparable, holds
from ._input import BulkInput, BulkItem
from ._journal import Journal, State
from ._plan import KEYED_VENDORS, PlannedCall, capturing_copy, derive_idempotency_key, plan_call
from ._readback import can_read_back, cannot_tell, needs_snapshot, read_options, settled, snapshot
from ._report import BulkReport, Progress, build_report

__all__ = ["BulkOptions", "Outcome", "arun_job", "classify_error", "default_rate_limiter", "job_rate_limiter",
           "run_job"]

_IN_DOUBT: Final = "the request may have reached the vendor before the job stopped, and this change is not " \
    "safe to send twice; check the order by hand"


@attrs.frozen(kw_only=True)
class BulkOptions:
    """How a job runs. ``rates`` ``None``: the vendor's published limits (``_constants.PUBLISHED_RATES``)."""

    concurrency: int = BULK_DEFAULT_CONCURRENCY
    max_error_rate: float = BULK_DEFAULT_MAX_ERROR_RATE
    rates: tuple[Rate, ...] | None = None
    rate_limiter: RateLimiter | None = None
    on_progress: Callable[[Progress], None] | None = None
    #: Read each order first and skip it (``skipped``) when it already holds the change; costs a read.
    skip_unchanged: bool = False

    def __attrs_post_init__(self) -> None:
        concurrency: object = self.concurrency
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or not 1 <= concurrency <= 64:
            raise ValidationError(f"concurrency: expected a whole number from 1 to 64, got {concurrency!r}",
                                  field="concurrency", expected="int 1..64")
        rate: object = self.max_error_rate
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0.0 <= rate <= 1.0:
            raise ValidationError(f"max_error_rate: expected a share from 0 to 1, got {rate!r}",
                                  field="max_error_rate", expected="float 0..1")
        if self.rates is not None and self.rate_limiter is not None:
            raise ValidationError("give rates= or rate_limiter=, not both", field="rates")


def default_rate_limiter(vendor: str, rates: tuple[Rate, ...] | None = None) -> InMemoryRateLimiter:
    """The job's one budget: ``rates``, or the vendor's published limits."""
    return InMemoryRateLimiter(published_rates(vendor) if rates is None else rates, name=vendor)


@attrs.frozen(kw_only=True)
class Outcome:
    """What one attempt means for its order."""

    state: State
    outcome: JSONValue
    #: A failure worth another try when the job is resumed (429, 5xx or transport on a safe change).
    retryable: bool = False


def _error_outcome(exc: BaseException) -> dict[str, JSONValue]:
    data: dict[str, JSONValue] = {"error": type(exc).__name__, "message": str(exc)}
    if isinstance(exc, APIError):
        data.update(status=exc.status, code=exc.code, request_id=exc.request_id)
    return data


def classify_error(exc: OrderPatchError, planned: PlannedCall) -> Outcome:
    """The state an error leaves an order in; a non-idempotent change that may have landed is ``unknown``."""
    details = _error_outcome(exc)
    if isinstance(exc, APIError):
        if 200 <= exc.status < 300:  # the vendor took the change; its answer was unreadable
            return Outcome(state="done", outcome=details)
        if exc.status == 429:
            return Outcome(state="failed", outcome=details, retryable=True)
        if exc.status >= 500:
            if planned.idempotent:
                return Outcome(state="failed", outcome=details, retryable=True)
            return Outcome(state="unknown", outcome={**details, "why": _IN_DOUBT})
        return Outcome(state="failed", outcome=details)
    if isinstance(exc, TransportError):
        if planned.idempotent:
            return Outcome(state="failed", outcome=details, retryable=True)
        return Outcome(state="unknown", outcome={**details, "why": _IN_DOUBT})
    return Outcome(state="failed", outcome=details)


class _JobCore:
    """The decisions of one run of a job, shared by the sync and async drivers (no I/O but the journal)."""

    def __init__(self, bulk: BulkInput, journal: Journal, adapter: VendorAdapter, options: BulkOptions) -> None:
        self.bulk = bulk
        self.journal = journal
        self.adapter = adapter
        self.options = options
        self.started = time.monotonic()
        self.stop_reason: str | None = None
        self.interrupted = False
        self._lock = threading.Lock()
        self._items = {item.line: item for item in bulk.items}
        self._in_run = {"done": 0, "failed": 0, "unknown": 0, "skipped": 0}
        #: Rows in doubt that only reading the order back can settle (``read_back``).
        self.to_read_back: list[BulkItem] = []
        #: Lines in doubt with a change safe to repeat: read back first where that can tell, else sent again.
        self._in_doubt: set[int] = set()
        first = self.settle_in_doubt()
        self._queues: list[list[BulkItem]] = [first, [self._items[row.line] for row in journal.rows(["pending"])]]
        self._queue: Iterator[BulkItem] = iter(())
        counts = journal.counts()
        self._counts = {state: counts.get(state, 0) for state in ("done", "failed", "skipped", "unknown")}
        self._to_send = counts.get("pending", 0) + len(first) + len(self.to_read_back)

    def settle_in_doubt(self) -> list[BulkItem]:
        """Sort the rows a previous run left ``sending``, and give retryable failures another try.

        Returns the orders to send again first: in-doubt changes that are safe to repeat. They
        stay ``sending`` until settled, so a job killed again before settling them still knows
        they are in doubt; where the change can be compared with the order (``_compare``) the
        worker reads the order first and sends nothing when it holds the change already. The
        non-idempotent ones go to ``to_read_back`` where the vendor lets us read the order back,
        else they become ``unknown``.
        """
        requeue: list[int] = []
        first: list[BulkItem] = []
        for row in self.journal.rows(["sending", "failed"]):
            item = self._items[row.line]
            if row.state == "failed":
                if row.retryable:
                    requeue.append(row.line)
            elif row.idempotent:
                self._in_doubt.add(row.line)
                first.append(item)
            elif can_read_back(self.adapter.vendor, item.request) and not (
                    needs_snapshot(self.adapter.vendor, item.request) and self.journal.remembered(row.line) is None):
                self.to_read_back.append(item)
            else:
                why = f"{_IN_DOUBT}: {cannot_tell(self.adapter.vendor, item.request)}"
                self.journal.finish(row.line, "unknown", {"error": "InDoubt", "why": why, "attempts": row.attempts})
        if requeue:
            self.journal.requeue(requeue)
        return first

    def read_back(self, item: BulkItem, order: object | None, error: OrderPatchError | None) -> None:
        """Settle one in-doubt order from what reading it back showed."""
        before = self.journal.remembered(item.line)
        verdict = None if order is None else settled(self.adapter.vendor, item.request, order, before)
        if verdict is False:
            self.journal.requeue([item.line])
            self._queues[0].append(item)
            return
        if verdict is True:
            outcome = Outcome(state="done", outcome={"read_back": "the change had already landed"})
        else:
            why = (f"reading the order back failed ({error})" if error is not None
                   else "the order changed in other ways since just before the request" if before is not None
                   else "the order cannot tell")
            outcome = Outcome(state="unknown", outcome={"error": "InDoubt", "why": f"{_IN_DOUBT}; {why}"})
        self.record(item, outcome)

    def needs_snapshot(self, item: BulkItem) -> bool:
        """Whether the worker reads the order just before sending, for a read-back to compare with (Spree v2)."""
        return needs_snapshot(self.adapter.vendor, item.request)

    def remember(self, item: BulkItem, order: object | None) -> None:
        """Journal the order as it is just before its request (``None``: the read failed, keep nothing stale)."""
        self.journal.remember(item.line, None if order is None else snapshot(order))

    def reads_first(self, item: BulkItem) -> bool:
        """Whether the worker reads the order before sending: in doubt, or ``skip_unchanged``, and comparable."""
        wanted = item.line in self._in_doubt or self.options.skip_unchanged
        return wanted and item.changes is not None and comparable(self.adapter.vendor, item.changes)

    def already_held(self, item: BulkItem, order: object) -> bool:
        """Settle ``item`` without a write when ``order`` holds its change: done if in doubt, else skipped."""
        if item.changes is None or not holds(self.adapter.vendor, item.changes, order):
            return False
        updated = self.adapter.normalize(order).updated_at
        stamp = None if updated is None else updated.isoformat()
        if item.line in self._in_doubt:
            outcome = Outcome(state="done", outcome={"read_back": "the change had already landed", "updated_at": stamp})
        else:
            outcome = Outcome(state="skipped", outcome={"skipped": "already had the change", "updated_at": stamp})
        self.record(item, outcome)
        return True

    def start_phase(self, phase: int) -> None:
        """Phase 0 sends the in-doubt orders again; phase 1, once they are settled, the others."""
        with self._lock:
            self._queue = iter(self._queues[phase])

    def key_for(self, item: BulkItem) -> str | None:
        if self.adapter.vendor not in KEYED_VENDORS:
            return None
        return derive_idempotency_key(self.journal.job_id, item.order_id, item.change)

    def next_item(self) -> BulkItem | None:
        """The next order to send, or ``None`` when there is none or the job is stopping."""
        with self._lock:
            if self.stop_reason is not None:
                return None
            return next(self._queue, None)

    def plan(self, capturing: SyncAPIClient | AsyncAPIClient, item: BulkItem) -> PlannedCall:
        planned = plan_call(self.adapter, capturing, item.order_id, item.request, idempotency_key=self.key_for(item))
        self.journal.sending(item.line, idempotency_key=planned.idempotency_key, idempotent=planned.idempotent)
        return planned

    def succeeded(self, order: object) -> Outcome:
        """A success journals the order's summary as the vendor answered it."""
        normalized = self.adapter.normalize(order)
        summary: JSONValue = {
            "id": normalized.id, "number": normalized.number, "status": normalized.status,
            "updated_at": None if normalized.updated_at is None else normalized.updated_at.isoformat(),
        }
        return Outcome(state="done", outcome=summary)

    def record(self, item: BulkItem, outcome: Outcome) -> None:
        self.journal.finish(item.line, outcome.state, outcome.outcome, retryable=outcome.retryable)
        with self._lock:
            self._counts[outcome.state] += 1
            self._in_run[outcome.state] += 1
            self._to_send -= 1
            self._check_error_rate()
        callback = self.options.on_progress
        if callback is not None:
            callback(self.progress())

    def _check_error_rate(self) -> None:
        processed = sum(self._in_run.values())
        bad = self._in_run["failed"] + self._in_run["unknown"]
        limit = self.options.max_error_rate
        if processed >= BULK_ERROR_RATE_MIN_ORDERS and bad / processed > limit and self.stop_reason is None:
            self.stop_reason = (f"stopped: {bad} of {processed} orders failed or are unknown "
                                f"({bad / processed:.0%}, more than --max-error-rate {limit:.0%})")

    def interrupt(self) -> None:
        with self._lock:
            self.interrupted = True
            if self.stop_reason is None:
                self.stop_reason = "interrupted: no new orders were started; the ones in flight finished"

    def progress(self) -> Progress:
        with self._lock:
            counts = dict(self._counts)
            finished = sum(self._in_run.values())
            left = self._to_send
        elapsed = time.monotonic() - self.started
        rate = finished / elapsed if elapsed > 0 else 0.0
        return Progress(total=len(self.bulk.items), done=counts["done"], failed=counts["failed"],
                        skipped=counts["skipped"], unknown=counts["unknown"], remaining=left, elapsed=elapsed,
                        rate=rate, eta=left / rate if rate > 0 else None)

    def report(self, *, rate_limited: int | None) -> BulkReport:
        return build_report(self.bulk, self.journal, elapsed=time.monotonic() - self.started,
                            stop_reason=self.stop_reason, interrupted=self.interrupted, rate_limited=rate_limited)


def job_rate_limiter(config: Config, options: BulkOptions) -> RateLimiter:
    """The one budget of a job: ``options.rate_limiter``, a shared one the configuration names, or its own."""
    # A budget the configuration shares (rate_limit_url: Redis) before this job's own.
    return (options.rate_limiter or rate_limiter_for(config, options.rates)
            or default_rate_limiter(config.vendor, options.rates))


def _open(config: Config | None, options: BulkOptions) -> tuple[Config, VendorAdapter, RateLimiter]:
    config = config if config is not None else Config.load()
    return config, adapter_for(config.vendor), job_rate_limiter(config, options)


def _rate_limited(limiter: RateLimiter) -> int | None:
    count = getattr(limiter, "rate_limited", None)
    return count if isinstance(count, int) else None


def run_job(bulk: BulkInput, journal: Journal, *, config: Config | None = None,
            options: BulkOptions | None = None) -> BulkReport:
    """Send every order of ``bulk`` the journal does not already account for; return the report.

    ``options.concurrency`` threads share one client and one rate limiter. Ctrl-C
    (``KeyboardInterrupt``) stops taking new orders, lets the ones in flight finish, and returns
    the report with ``interrupted`` set; rerunning with the same journal resumes.
    """
    options = options or BulkOptions()
    config, adapter, limiter = _open(config, options)
    client: SyncAPIClient = adapter.binding.sync_client(**adapter.client_options(config), rate_limiter=limiter)
    with client:
        core = _JobCore(bulk, journal, adapter, options)
        capturing = capturing_copy(client)

        def worker() -> None:
            while (item := core.next_item()) is not None:
                if core.reads_first(item):
                    try:
                        current = orders.retrieve(item.order_id)
                    except OrderPatchError:
                        current = None  # the write will say what is wrong, if anything
                    if current is not None and core.already_held(item, current):
                        continue
                if core.needs_snapshot(item):
                    try:
                        core.remember(item, orders.retrieve(item.order_id))
                    except OrderPatchError:
                        core.remember(item, None)
                planned = core.plan(capturing, item)
                try:
                    order = client.request(planned.call, planned.options)
                except OrderPatchError as exc:
                    core.record(item, classify_error(exc, planned))
                else:
                    core.record(item, core.succeeded(order))

        orders: Any = getattr(client, "orders")  # noqa: B009 - every vendor client has one
        for item in core.to_read_back:
            try:
                core.read_back(item, orders.retrieve(item.order_id, **read_options(adapter.vendor)), None)
            except OrderPatchError as exc:
                core.read_back(item, None, exc)
        with concurrent.futures.ThreadPoolExecutor(options.concurrency, thread_name_prefix="orderpatch-bulk") as pool:
            for phase in (0, 1):
                core.start_phase(phase)
                futures = [pool.submit(worker) for _ in range(options.concurrency)]
                pending: set[concurrent.futures.Future[None]] = set(futures)
                while pending:
                    try:
                        _, pending = concurrent.futures.wait(pending, timeout=0.25)
                    except KeyboardInterrupt:
                        core.interrupt()
                for future in futures:
                    future.result()
    return core.report(rate_limited=_rate_limited(limiter))


async def arun_job(bulk: BulkInput, journal: Journal, *, config: Config | None = None,
                   options: BulkOptions | None = None) -> BulkReport:
    """The asyncio twin of ``run_job``: ``options.concurrency`` tasks on one async client.

    Cancelling it (Ctrl-C under ``asyncio.run``) stops taking new orders and waits for the ones
    in flight before the cancellation goes on.
    """
    options = options or BulkOptions()
    config, adapter, limiter = _open(config, options)
    client: AsyncAPIClient = adapter.binding.async_client(**adapter.client_options(config), rate_limiter=limiter)
    async with client:
        core = _JobCore(bulk, journal, adapter, options)
        capturing = capturing_copy(client)

        async def worker() -> None:
            while (item := core.next_item()) is not None:
                if core.reads_first(item):
                    try:
                        current = await orders.retrieve(item.order_id)
                    except OrderPatchError:
                        current = None  # the write will say what is wrong, if anything
                    if current is not None and core.already_held(item, current):
                        continue
                if core.needs_snapshot(item):
                    try:
                        core.remember(item, await orders.retrieve(item.order_id))
                    except OrderPatchError:
                        core.remember(item, None)
                planned = core.plan(capturing, item)
                try:
                    order: Any = await client.request(planned.call, planned.options)
                except OrderPatchError as exc:
                    core.record(item, classify_error(exc, planned))
                else:
                    core.record(item, core.succeeded(order))

        orders: Any = getattr(client, "orders")  # noqa: B009 - every vendor client has one
        for item in core.to_read_back:
            try:
                core.read_back(item, await orders.retrieve(item.order_id, **read_options(adapter.vendor)), None)
            except OrderPatchError as exc:
                core.read_back(item, None, exc)
        for phase in (0, 1):
            core.start_phase(phase)
            workers = [asyncio.create_task(worker()) for _ in range(options.concurrency)]
            try:
                await asyncio.wait(workers)  # unlike gather, being cancelled leaves the workers running
            except asyncio.CancelledError:
                core.interrupt()
                await asyncio.wait(workers)
                raise
            for task in workers:
                task.result()
    return core.report(rate_limited=_rate_limited(limiter))

