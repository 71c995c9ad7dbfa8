"""Bulk order updates on a real task queue: Dramatiq workers, Redis as the broker and as the budget.

Run it with no arguments: ``python examples/task_queue.py``. It starts a throwaway redis-server,
the sandbox (with an emulated account limit of LIMIT requests per PERIOD), and two Dramatiq worker
processes of two threads each; it enqueues one task per order change, waits for the journal to
show every change done, checks what the sandbox saw, and stops everything again.

* Every worker's client draws from one ``RedisRateLimiter``: four threads in two processes share
  the account's budget, and the sandbox counts no 429 storm.
* The queue delivers at least once: a task can run twice. Each change has a journal row (sqlite,
  WAL) keyed by (job, order, change) and an ``Idempotency-Key`` derived from the same. The row is
  written *before* the request leaves (``sending``) and marked ``done`` after. A second delivery
  of a ``done`` change sends nothing; a delivery that finds ``sending`` (the first one crashed
  after sending) re-sends the same key and bytes, which Trunkery answers from its idempotency
  store instead of applying the change again. This is the bulk journal's rule
  (docs/task-queue.md): resend only where the vendor's own guarantee makes it safe.

Needs ``pip install 'orderpatch[taskqueue,sandbox]'`` and Debian's ``redis-server``.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker

from orderpatch import Rate, RedisRateLimiter, account_key
from orderpatch.trunkery import OrderModify, TrunkeryClient

LIMIT, PERIOD = 10, 1.0  # the emulated account limit, and the budget the workers share
TASKS = 30
HERE = Path(__file__).resolve().parent
ENV_REDIS, ENV_SANDBOX, ENV_JOURNAL = "TASK_QUEUE_REDIS_URL", "TASK_QUEUE_SANDBOX_URL", "TASK_QUEUE_JOURNAL"

# The workers import this module by name; they find the broker's URL in the environment. Before
# main() has started Redis there is none, and a stub broker lets the actor be declared.
broker = RedisBroker(url=os.environ[ENV_REDIS]) if ENV_REDIS in os.environ else None  # type: ignore[no-untyped-call]
dramatiq.set_broker(broker if broker is not None else StubBroker())


# ---------------------------------------------------------------------------- the journal


@contextlib.contextmanager
def journal() -> Iterator[sqlite3.Connection]:
    """The job's journal: one row per change, shared by every worker process on this host."""
    db = sqlite3.connect(os.environ[ENV_JOURNAL], timeout=10, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE IF NOT EXISTS changes (key TEXT PRIMARY KEY, job TEXT, order_id TEXT, "
                   "state TEXT, deliveries INTEGER)")
        yield db
    finally:
        db.close()


def change_key(job: str, order_id: str, change: dict[str, list[str]]) -> str:
    """The change's identity, and its Idempotency-Key: the same on every delivery of the task."""
    text = json.dumps([job, order_id, change], sort_keys=True, separators=(",", ":"))
    return f"{job}-{hashlib.sha256(text.encode()).hexdigest()[:32]}"


def claim(key: str, job: str, order_id: str) -> str:
    """Write ahead: record the change as ``sending`` and return its state before this delivery."""
    with journal() as db:
        db.execute("BEGIN IMMEDIATE")
        row = db.execute("SELECT state FROM changes WHERE key = ?", (key,)).fetchone()
        if row is None:
            db.execute("INSERT INTO changes VALUES (?, ?, ?, 'sending', 1)", (key, job, order_id))
        else:
            db.execute("UPDATE changes SET deliveries = deliveries + 1 WHERE key = ?", (key,))
        db.execute("COMMIT")
    return "new" if row is None else str(row[0])


def mark_done(key: str) -> None:
    with journal() as db:
        db.execute("UPDATE changes SET state = 'done' WHERE key = ?", (key,))


# ---------------------------------------------------------------------------- the task


@functools.cache
def trunkery() -> TrunkeryClient:
    """One client per worker process, its budget in Redis (shared by every process and thread)."""
    from orderpatch.sandbox import SANDBOX_CREDENTIALS

    base_url = f"{os.environ[ENV_SANDBOX]}/trunkery"
    token = SANDBOX_CREDENTIALS["trunkery"]["token"]
    limiter = RedisRateLimiter([Rate(limit=LIMIT, period=PERIOD)], name="trunkery",
                               key=account_key("trunkery", base_url, token), url=os.environ[ENV_REDIS])
    return TrunkeryClient(token=token, shop_id=SANDBOX_CREDENTIALS["trunkery"]["shop_id"], base_url=base_url,
                          rate_limiter=limiter, max_retries=5)


@dramatiq.actor(max_retries=3, min_backoff=200, max_backoff=1000)
def update_order(job: str, order_id: str, tags: list[str], lose_first_answer: bool = False) -> None:
    """Set the tags of one order, at most once in effect however often the queue delivers this."""
    key = change_key(job, order_id, {"tags": tags})
    state = claim(key, job, order_id)
    if state == "done":
        return  # delivered again after it was done: nothing is sent
    # "new", or "sending": an earlier delivery may have reached the vendor. Trunkery honours
    # Idempotency-Key, so the same key and bytes are safe: it replays its first answer.
    trunkery().orders.modify(order_id, OrderModify(tags=tags), idempotency_key=key)
    if lose_first_answer and state == "new":
        raise RuntimeError("simulated crash after the request was sent; the queue delivers the task again")
    mark_done(key)


# ---------------------------------------------------------------------------- the demo


def wait_for(condition: object, timeout: float) -> bool:
    assert callable(condition)
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def done_count() -> int:
    with journal() as db:
        return int(db.execute("SELECT count(*) FROM changes WHERE state = 'done'").fetchone()[0])


def main() -> int:
    from orderpatch.sandbox import DEMO_ORDER_IDS, RedisServer, RedisUnavailable, Sandbox
    from orderpatch.sandbox._redis_server import redis_server_binary

    if redis_server_binary() is None:
        message = "redis-server is not installed (Debian: apt-get install redis-server)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            raise RedisUnavailable(message)
        print(f"skipped: {message}")
        return 0
    order_id, job = DEMO_ORDER_IDS["trunkery"], "retag-2026-12"
    with tempfile.TemporaryDirectory() as tmp, RedisServer() as redis_server, \
            Sandbox(rate_limit=LIMIT, rate_window=PERIOD) as sandbox:
        os.environ.update({ENV_REDIS: redis_server.url, ENV_SANDBOX: sandbox.url,
                           ENV_JOURNAL: str(Path(tmp) / "journal.sqlite")})
        sys.path.insert(0, str(HERE))
        tasks = importlib.import_module("task_queue")  # this file, with the Redis broker this time
        workers = subprocess.Popen(
            [sys.executable, "-m", "dramatiq", "task_queue", "--path", str(HERE), "--processes", "2",
             "--threads", "2", "--worker-shutdown-timeout", "5000"],
            env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        changes = [["bulk", f"task-{index}"] for index in range(TASKS)]
        duplicate = change_key(job, order_id, {"tags": changes[3]})
        try:
            started = time.monotonic()
            for index, tags in enumerate(changes):
                tasks.update_order.send(job, order_id, tags, lose_first_answer=index == 7)
            finished = wait_for(lambda: done_count() == TASKS, 90)
            elapsed = time.monotonic() - started
            tasks.update_order.send(job, order_id, changes[3])  # delivered twice: sends nothing
            finished = finished and wait_for(lambda: deliveries(duplicate) == 2, 30)
        finally:
            workers.send_signal(signal.SIGTERM)
            try:
                _, errors = workers.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                workers.kill()
                _, errors = workers.communicate()
        log = [r for r in sandbox.requests_log() if r.vendor == "trunkery"]
        done = done_count()
    if not finished:
        print(f"PROBLEM: the workers did not finish ({done} of {TASKS} done); their log:\n{errors[-3000:]}")
        return 1
    sent = Counter(r.headers.get("idempotency-key") for r in log if r.fault != "rate_limited")
    bodies = {key: {r.body for r in log if r.headers.get("idempotency-key") == key} for key in sent}
    throttled = sum(1 for r in log if r.fault == "rate_limited")
    served = sorted(r.received_at for r in log if r.fault != "rate_limited")
    arrived = sorted(r.received_at for r in log)  # every request that reached the vendor, 429 or not
    busiest = max(sum(1 for t in arrived if end - PERIOD < t <= end) for end in arrived)
    lost = change_key(job, order_id, {"tags": changes[7]})
    print(f"{TASKS} tasks on 2 worker processes x 2 threads in {elapsed:.1f} s, budget {LIMIT}/{PERIOD:g}s")
    print(f"requests: {len(served)} served, {throttled} answered 429; busiest {PERIOD:g}s window: {busiest}")
    print(f"the task whose answer was lost was sent {sent[lost]} times with one key and one body "
          f"(replayed by the vendor, applied once); the duplicate of a done task sent nothing")
    problems = []
    if len(sent) != TASKS or any(len(b) != 1 for b in bodies.values()):
        problems.append("each change must have one key and one body")
    if sent[lost] != 2 or sum(sent.values()) != TASKS + 1:
        problems.append(f"expected {TASKS + 1} requests (one re-send), got {dict(sent)}")
    # A slot comes back one period after its answer, so the budget holds by construction: no 429 at all.
    if busiest > LIMIT or throttled:
        problems.append(f"the shared budget was exceeded: {busiest} in a window, {throttled} 429s")
    if workers.returncode not in (0, -signal.SIGTERM):
        problems.append(f"the workers exited with {workers.returncode}: {errors[-2000:]}")
    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems else 0


def deliveries(key: str) -> int:
    with journal() as db:
        row = db.execute("SELECT deliveries FROM changes WHERE key = ?", (key,)).fetchone()
        return 0 if row is None else int(row[0])


if __name__ == "__main__":
    raise SystemExit(main())
