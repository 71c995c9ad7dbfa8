"""A bulk job on a task queue: one task per order, delivered at least once, applied at most once.

A distributed task queue (Celery, Dramatiq, RQ …) delivers a task *at least* once: a worker
killed mid-task, a lost acknowledgement or a retry delivers it again, possibly after its
request reached the vendor. ``BulkTasks`` runs one order of a journalled bulk job per task with
the same rules as ``orderpatch bulk`` (``_job.py``), so a second delivery never doubles a change:

* The producer ``open``s the job first (the input checked in full, its ``Journal`` written) and
  enqueues one task per ``pending_lines()``. Every worker process ``open``s the same input and
  journal (sqlite in WAL mode: the workers of one host share it) and calls ``run(line)``.
* ``run`` first *claims* the order's row in one transaction (``Journal.claim``): a row already
  final (``done``, ``failed``, ``skipped``, ``unknown``) sends nothing; a ``pending`` one becomes
  ``sending``, committed before the request leaves, with its idempotency key.
* A ``sending`` row is a delivery that may have reached the vendor. It is settled as a resumed
  job settles it: an idempotent change, or one carrying its key (Trunkery, Spree Admin v3:
  ``derive_idempotency_key`` of job, order and change, the same on every delivery), is sent
  again with the same key and bytes, and the vendor replays its first answer; a non-idempotent
  Commerce Layer trigger is read back (``_readback.py``): landed → ``done`` without sending,
  not landed → sent, cannot tell → ``unknown``. Anything else becomes ``unknown``, never sent blind.
* A ``sending`` row younger than ``lease`` seconds may still be in flight in another worker
  (a queue that redelivered too early): ``run`` raises ``TaskBusy``, and the queue's retry
  comes back after the lease. Choose ``lease`` longer than a task can take and shorter than the
  queue's redelivery timeout.
* A failure worth another try (429, 5xx, transport on a safe change) puts the row back to
  ``pending`` and says so (``TaskResult.retry``): raise in the task and the queue retries it.

Every worker's client draws from the configuration's budget (``rate_limit_url``: the shared
Redis one), so all processes of the job share the vendor's limits.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import attrs

from .._base_client import SyncAPIClient
from .._config import Config
from .._constants import BULK_TASK_LEASE
from .._http import httpx
from .._ratelimit import Rate, RateLimiter
from .._types import JSONValue
from ..errors import OrderPatchError, ValidationError
from ._input import BulkInput, BulkItem, read_input
from ._job import BulkOptions, Outcome, classify_error, job_rate_limiter
from ._journal import FINAL_STATES, Journal, State
from ._plan import KEYED_VENDORS, PlannedCall, capturing_copy, derive_idempotency_key, plan_call
from ._readback import can_read_back, settled

__all__ = ["BulkTasks", "TaskBusy", "TaskResult"]


class TaskBusy(RuntimeError):
    """Another worker moved this order to ``sending`` less than ``lease`` seconds ago: retry later."""


@attrs.frozen(kw_only=True)
class TaskResult:
    """What one delivery of one order's task did."""

    line: int
    order_id: str
    #: The row's state after this delivery.
    state: State
    #: Whether this delivery sent the update (a replayed keyed request counts as sent).
    sent: bool
    #: Whether the order is back to ``pending`` for the queue to retry (429, 5xx, transport on a safe change).
    retry: bool = False
    #: Why, in a few words: ``"sent"``, ``"already final"``, ``"re-sent with its key"``, ``"read back: landed"`` …
    why: str = "sent"


class BulkTasks:
    """One bulk job run as tasks: open it once per worker process, ``run(line)`` in each task."""

    def __init__(self, bulk: BulkInput, journal: Journal, *, config: Config | None = None,
                 rates: Sequence[Rate] | None = None, rate_limiter: RateLimiter | None = None,
                 lease: float = BULK_TASK_LEASE, http_client: httpx.Client | None = None) -> None:
        given: object = lease
        if isinstance(given, bool) or not isinstance(given, (int, float)) or not given >= 0:
            raise ValidationError(f"lease: expected seconds >= 0, got {lease!r}", field="lease", expected="float >= 0")
        from .._facade._registry import adapter_for

        options = BulkOptions(rates=None if rates is None else tuple(rates), rate_limiter=rate_limiter)
        self.config = config if config is not None else Config.load()
        self.adapter = adapter_for(self.config.vendor)
        self.rate_limiter = job_rate_limiter(self.config, options)
        self.bulk = bulk
        self.journal = journal
        self.lease = float(lease)
        self._items = {item.line: item for item in bulk.items}
        self.client: SyncAPIClient = self.adapter.binding.sync_client(
            **self.adapter.client_options(self.config), rate_limiter=self.rate_limiter, http_client=http_client)
        self._capturing = capturing_copy(self.client)

    @classmethod
    def open(cls, source: str | Path, journal: str | Path, *, config: Config | None = None, restart: bool = False,
             rates: Sequence[Rate] | None = None, rate_limiter: RateLimiter | None = None,
             lease: float = BULK_TASK_LEASE, http_client: httpx.Client | None = None) -> BulkTasks:
        """The job of the JSONL/CSV file ``source`` with its ``journal``; the producer opens it first (which
        checks every line and writes the journal) and enqueues ``pending_lines()``, then each worker process
        opens the same two (``ConfigurationError`` if the journal is another job's)."""
        from .._facade._registry import adapter_for

        config = config if config is not None else Config.load()
        bulk = read_input(source, adapter_for(config.vendor))
        opened = Journal.open(journal, bulk, vendor=config.vendor, restart=restart)
        try:
            return cls(bulk, opened, config=config, rates=rates, rate_limiter=rate_limiter, lease=lease,
                       http_client=http_client)
        except BaseException:
            opened.close()
            raise

    def pending_lines(self) -> list[int]:
        """The lines that still need a task: every order not final in the journal (enqueue each once)."""
        return [row.line for row in self.journal.rows() if row.state not in FINAL_STATES]

    def run(self, line: int) -> TaskResult:
        """One delivery of the task of ``line``: claim, then send, re-send, read back or nothing (see the module)."""
        given: object = line
        item = self._items.get(line) if isinstance(given, int) and not isinstance(given, bool) else None
        if item is None:
            raise ValidationError(f"line: no order on line {line!r} of {self.bulk.source}", field="line")
        planned = self._plan(item)
        before = self.journal.claim(line, idempotency_key=planned.idempotency_key, idempotent=planned.idempotent,
                                    lease=self.lease)
        if before is None:
            raise TaskBusy(f"order {item.order_id} (line {line}) is being sent by another delivery; "
                           f"retry after {self.lease:g} s")
        if before.state in FINAL_STATES:
            return TaskResult(line=line, order_id=item.order_id, state=before.state, sent=False, why="already final")
        if before.state == "sending":
            return self._in_doubt(item, planned)
        return self._send(item, planned, why="sent")

    def _plan(self, item: BulkItem) -> PlannedCall:
        key = (derive_idempotency_key(self.journal.job_id, item.order_id, item.change)
               if self.adapter.vendor in KEYED_VENDORS else None)
        return plan_call(self.adapter, self._capturing, item.order_id, item.request, idempotency_key=key)

    def _in_doubt(self, item: BulkItem, planned: PlannedCall) -> TaskResult:
        """An earlier delivery may have reached the vendor: the resumed job's rules."""
        if planned.idempotent:
            return self._send(item, planned, why="re-sent with its key" if planned.idempotency_key else "re-sent")
        if not can_read_back(self.adapter.vendor, item.request):
            return self._finish(item, Outcome(state="unknown", outcome={
                "error": "InDoubt", "why": "an earlier delivery may have sent this change, which is not safe to "
                "send twice and leaves no trace to read back; check the order by hand"}), sent=False, why="in doubt")
        orders: Any = getattr(self.client, "orders")  # noqa: B009 - every vendor client has one
        try:
            verdict = settled(self.adapter.vendor, item.request, orders.retrieve(item.order_id))
        except OrderPatchError as exc:
            return self._finish(item, Outcome(state="unknown", outcome={
                "error": "InDoubt", "why": f"reading the order back failed ({exc})"}), sent=False,
                why="read back failed")
        if verdict is True:
            return self._finish(item, Outcome(state="done", outcome={"read_back": "the change had already landed"}),
                                sent=False, why="read back: landed")
        if verdict is False:
            return self._send(item, planned, why="read back: not landed, sent")
        return self._finish(item, Outcome(state="unknown", outcome={"error": "InDoubt",
                                                                    "why": "the order cannot tell"}),
                            sent=False, why="read back: cannot tell")

    def _send(self, item: BulkItem, planned: PlannedCall, *, why: str) -> TaskResult:
        try:
            order = self.client.request(planned.call, planned.options)
        except OrderPatchError as exc:
            return self._finish(item, classify_error(exc, planned), sent=True, why=why)
        normalized = self.adapter.normalize(order)
        summary: JSONValue = {
            "id": normalized.id, "number": normalized.number, "status": normalized.status,
            "updated_at": None if normalized.updated_at is None else normalized.updated_at.isoformat(),
        }
        return self._finish(item, Outcome(state="done", outcome=summary), sent=True, why=why)

    def _finish(self, item: BulkItem, outcome: Outcome, *, sent: bool, why: str) -> TaskResult:
        if outcome.retryable:
            self.journal.finish(item.line, "pending", outcome.outcome, retryable=True)  # one commit: sent again
            return TaskResult(line=item.line, order_id=item.order_id, state="pending", sent=sent, retry=True, why=why)
        self.journal.finish(item.line, outcome.state, outcome.outcome, retryable=False)
        return TaskResult(line=item.line, order_id=item.order_id, state=outcome.state, sent=sent, why=why)

    def close(self) -> None:
        """Close the client and the journal."""
        self.client.close()
        self.journal.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"BulkTasks({self.bulk.source!r}, journal={str(self.journal.path)!r}, vendor={self.adapter.vendor!r})"
