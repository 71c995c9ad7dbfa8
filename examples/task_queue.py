"""Bulk order updates on a real task queue: Dramatiq workers, Redis as broker and as budget.

Run it with no arguments: ``python examples/task_queue.py``. It starts a throwaway redis-server,
the sandbox, and two Dramatiq worker commands (one process of two threads each); enqueues one
task per order of two bulk jobs; kills a worker process with SIGKILL in the middle of a task of
each job; starts a replacement worker (as a supervisor would); waits until both journals account
for every order; checks what the sandbox saw; and stops everything again.

* The jobs are ``orderpatch.bulk`` jobs: the producer checks each input and writes its journal
  (``BulkTasks.open``), and each task runs one line of it (``BulkTasks.run``) with the bulk
  journal's rules. Every worker's client draws from one Redis budget per vendor account.
* The queue delivers at least once; a task whose worker was killed after its request reached the
  vendor is delivered again, and the journal row it finds (``sending``) is settled as a resumed
  bulk job settles it: Trunkery's change carries an Idempotency-Key derived from (job, order,
  change), so it is re-sent with the same key and bytes and the vendor replays its first answer;
  Commerce Layer's ``_archive`` trigger is not idempotent, so the order is read back, shows
  ``archived_at``, and is marked done without a second request.
* A task delivered twice on purpose (a duplicate message) finds its row ``done``: nothing is sent.

Needs ``pip install 'orderpatch[taskqueue,sandbox]'`` and Debian's ``redis-server``.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import dramatiq
import httpx
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker

from orderpatch import Config, Rate
from orderpatch.bulk import BulkTasks

LIMIT, PERIOD = 10, 1.0  # Trunkery's emulated account limit at the sandbox, and the budget the workers share
ORDERS = 16  # per job
LEASE = 2.0  # seconds a "sending" row belongs to the delivery that wrote it (BulkTasks lease)
HEARTBEAT_MS = 3000  # a worker silent this long is dead: the broker redelivers its unfinished tasks
HERE = Path(__file__).resolve().parent
ENV = "TASK_QUEUE_SETTINGS"  # JSON: redis URL, sandbox settings, work directory (set for the workers)
JOBS = ("trunkery", "commercelayer")

# The workers import this module by name and find their settings in the environment. Before
# main() has started Redis there are none, and a stub broker lets the actor be declared.
SETTINGS: dict[str, str] = json.loads(os.environ[ENV]) if ENV in os.environ else {}
dramatiq.set_broker(
    RedisBroker(url=SETTINGS["redis"], heartbeat_timeout=HEARTBEAT_MS, maintenance_chance=1_000_000)  # type: ignore[no-untyped-call]
    if SETTINGS else StubBroker()
)


# ---------------------------------------------------------------------------- the task


def work() -> Path:
    return Path(SETTINGS["work"])


def order_of(path: str, query: str) -> str:
    """The order a write is for: Trunkery's ``POST orders.json?ids=…``, Commerce Layer's ``PATCH …/orders/<id>``."""
    ids = urllib.parse.parse_qs(query).get("ids")
    return ids[0] if ids else path.rstrip("/").rsplit("/", 1)[-1]


def kill_once_answered(job: str, order_id: str) -> Callable[[httpx.Response], None]:
    """An httpx hook: SIGKILL this worker process right after the vendor answered ``order_id``'s
    update for the first time, before the journal records it: the worst moment to die."""
    marker = work() / f"killed-{job}"

    def hook(response: httpx.Response) -> None:
        request = response.request
        if request.method in ("PATCH", "POST") and order_of(request.url.path, request.url.query.decode()) == order_id \
                and not marker.exists():
            marker.write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)

    return hook


@functools.cache
def tasks(job: str) -> BulkTasks:
    """One ``BulkTasks`` per job and worker process: the job's input and journal, a client on the Redis budget."""
    settings: dict[str, str] = json.loads(SETTINGS[job])
    config = Config(job, **settings, rate_limit_url=SETTINGS["redis"])
    http = httpx.Client(event_hooks={"response": [kill_once_answered(job, SETTINGS[f"{job}_victim"])]})
    return BulkTasks.open(work() / f"{job}.jsonl", work() / f"{job}.sqlite3", config=config,
                          rates=[Rate(limit=LIMIT, period=PERIOD)], lease=LEASE, http_client=http)


@dramatiq.actor(max_retries=30, min_backoff=250, max_backoff=2000)
def update_order(job: str, line: int) -> None:
    """One order of a bulk job, applied at most once however often the queue delivers this."""
    result = tasks(job).run(line)  # TaskBusy (another delivery holds the row): raised, retried by the queue
    with open(work() / "deliveries.jsonl", "a", encoding="utf-8") as log:  # one short append per delivery
        log.write(json.dumps({"job": job, "line": line, "state": result.state, "sent": result.sent,
                              "why": result.why}) + "\n")
    if result.retry:
        raise RuntimeError(f"{job} line {line}: {result.why}; the queue retries it")


# ---------------------------------------------------------------------------- the demo


def workers() -> subprocess.Popen[str]:
    """One Dramatiq worker command: one process, two threads (a second command runs beside it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "dramatiq", "task_queue", "--path", str(HERE), "--processes", "1", "--threads", "2",
         "--worker-shutdown-timeout", "5000"],
        env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )


def stop(fleet: subprocess.Popen[str]) -> str:
    if fleet.poll() is None:
        fleet.send_signal(signal.SIGTERM)
    try:
        return fleet.communicate(timeout=30)[1]
    except subprocess.TimeoutExpired:
        fleet.kill()
        return fleet.communicate()[1]


def deliveries(folder: Path) -> list[dict[str, object]]:
    path = folder / "deliveries.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.endswith("}")]


def main() -> int:
    from orderpatch.sandbox import RedisServer, RedisUnavailable, Sandbox
    from orderpatch.sandbox._redis_server import redis_server_binary

    if redis_server_binary() is None:
        message = "redis-server is not installed (Debian: apt-get install redis-server)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            raise RedisUnavailable(message)
        print(f"skipped: {message}")
        return 0
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp, RedisServer() as redis_server, \
            Sandbox(rate_limit=LIMIT, rate_window=PERIOD) as trunkery_sandbox, Sandbox() as cl_sandbox:
        folder = Path(tmp)
        sandboxes = {"trunkery": trunkery_sandbox, "commercelayer": cl_sandbox}
        ids = {job: sandboxes[job].add_orders(job, ORDERS) for job in JOBS}
        victims = {job: ids[job][5] for job in JOBS}
        rows: dict[str, list[dict[str, object]]] = {
            "trunkery": [{"id": oid, "tags": ["bulk", f"task-{n}"]} for n, oid in enumerate(ids["trunkery"])],
            "commercelayer": [{"id": oid, "native": {"archive": True}} for oid in ids["commercelayer"]],
        }
        settings = {"trunkery": json.dumps(trunkery_sandbox.settings("trunkery")),
                    "commercelayer": json.dumps(cl_sandbox.settings("commercelayer"))}
        settings.update({f"{job}_victim": victims[job] for job in JOBS})
        for job in JOBS:
            (folder / f"{job}.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows[job]), "utf-8")
        os.environ[ENV] = json.dumps({"redis": redis_server.url, "work": tmp, **settings})
        sys.path.insert(0, str(HERE))
        import task_queue as queued  # this file again, with the Redis broker this time

        queued.SETTINGS.update(json.loads(os.environ[ENV]))
        producer = {job: queued.tasks(job) for job in JOBS}  # checks each input, writes each journal
        fleets = [workers(), workers()]
        errors: list[str] = []
        started = time.monotonic()
        try:
            for job in JOBS:
                for line in producer[job].pending_lines():
                    queued.update_order.send(job, line)
            queued.update_order.send("trunkery", 3)  # a duplicate delivery of line 3
            replacements = 0
            deadline = started + 120
            while time.monotonic() < deadline:
                for index, fleet in enumerate(fleets):
                    if fleet.poll() is not None and replacements < 4:  # a worker died: its command stopped
                        errors.append(stop(fleet))
                        fleets[index], replacements = workers(), replacements + 1
                counts = [producer[job].journal.counts() for job in JOBS]
                seen = sum(1 for d in deliveries(folder) if d["job"] == "trunkery" and d["line"] == 3)
                if all(count.get("done", 0) == ORDERS for count in counts) and seen >= 2:
                    break
                time.sleep(0.1)
            elapsed = time.monotonic() - started
        finally:
            errors += [stop(fleet) for fleet in fleets]
            counts = [producer[job].journal.counts() for job in JOBS]
            for each in producer.values():
                each.close()
        logs = {job: [r for r in sandboxes[job].requests_log() if r.vendor == job] for job in JOBS}
        killed = [job for job in JOBS if (folder / f"killed-{job}").exists()]
        delivered = deliveries(folder)
    writes = {job: Counter(order_of(r.path, r.query) for r in logs[job]
                           if r.method in ("PATCH", "POST") and "/oauth" not in r.path and r.fault is None)
              for job in JOBS}
    print(f"2 jobs x {ORDERS} orders on 2 worker commands (1 process x 2 threads each) in {elapsed:.1f} s; "
          f"budget {LIMIT}/{PERIOD:g}s per vendor account")
    print(f"journals: {dict(zip(JOBS, counts, strict=True))}; worker processes killed mid-task: {killed}; "
          f"{len(delivered)} deliveries recorded")
    arrived = sorted(r.received_at for r in logs["trunkery"])
    busiest = max(sum(1 for t in arrived if end - PERIOD < t <= end) for end in arrived)
    throttled = sum(1 for r in logs["trunkery"] if r.fault == "rate_limited")
    print(f"trunkery: {len(arrived)} requests, {throttled} answered 429; busiest {PERIOD:g}s window: {busiest}")
    victim_t, victim_cl = victims["trunkery"], victims["commercelayer"]
    sent_t = [r for r in logs["trunkery"] if r.method == "POST" and order_of(r.path, r.query) == victim_t]
    keys = {r.headers.get("idempotency-key") for r in sent_t}
    bodies = {r.body for r in sent_t}
    reads = sum(1 for r in logs["commercelayer"] if r.method == "GET" and order_of(r.path, r.query) == victim_cl)
    print(f"trunkery order killed after its answer: sent {writes['trunkery'][victim_t]} times, {len(keys)} key, "
          f"{len(bodies)} body (replayed by the vendor, applied once); orders sent twice in all: "
          f"{sum(1 for count in writes['trunkery'].values() if count == 2)}")
    print(f"commercelayer order killed after its answer: _archive sent {writes['commercelayer'][victim_cl]} time, "
          f"read back {reads} time(s), then marked done")
    duplicate = [d["why"] for d in delivered if d["job"] == "trunkery" and d["line"] == 3]
    print(f"the duplicate delivery of a task: {duplicate}")
    if any(count.get("done", 0) != ORDERS for count in counts):
        problems.append(f"every order must be done: {counts}; the workers' logs:\n{''.join(errors)[-3000:]}")
    if sorted(killed) != sorted(JOBS):
        problems.append(f"a worker process of each job must have been killed mid-task, got {killed}")
    if set(writes["trunkery"]) != set(ids["trunkery"]) or set(writes["commercelayer"]) != set(ids["commercelayer"]):
        problems.append("every order must have been written")
    if writes["trunkery"][victim_t] != 2 or len(keys) != 1 or len(bodies) != 1:
        problems.append(f"the killed Trunkery task must be re-sent once with its key and bytes: "
                        f"{writes['trunkery'][victim_t]} sends, {len(keys)} keys, {len(bodies)} bodies")
    # The killed process' other thread may have had an order in flight too: re-sent the same way.
    for oid, count in writes["trunkery"].items():
        sends = [r for r in logs["trunkery"] if r.method == "POST" and order_of(r.path, r.query) == oid]
        keys_of = {r.headers.get("idempotency-key") for r in sends}
        if count > 2 or len(keys_of) != 1 or len({r.body for r in sends}) != 1:
            problems.append(f"Trunkery order {oid}: {count} sends must be at most 2, with one key and one body")
    if any(count != 1 for count in writes["commercelayer"].values()) or reads < 1:
        problems.append(f"each _archive must be sent exactly once (the killed one settled by reading back): "
                        f"{writes['commercelayer']}, {reads} reads")
    if duplicate.count("already final") < 1:
        problems.append(f"the duplicate delivery must have found its row done: {duplicate}")
    # A slot comes back one period after its answer, so the budget holds by construction: no 429 at all.
    if busiest > LIMIT or throttled:
        problems.append(f"the shared budget was exceeded: {busiest} in a window, {throttled} 429s")
    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
