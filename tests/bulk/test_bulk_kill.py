"""SIGKILL a bulk job at 20+ random points and resume it each time: nothing lost, nothing doubled.

The job mixes idempotent changes (``reference``) with non-idempotent Commerce Layer triggers
(``_archive``). Each run is a real process forked from a zygote that has orderpatch imported
(``_zygote.py``: a fresh interpreter would spend most of the test importing); the last run is
the plain ``python -m orderpatch bulk`` command. Half the runs are killed at a random moment once
1 or 2 orders they had never attempted are finished, so the kill lands mid-job: while rows are
``sending``, between the journal's commit and the request, or while answers arrive. The other
half, when the previous kill left orders in doubt, are killed while settling them: right after
the first read-back, before the last (the test checks an order in doubt was still unsettled).
The sandbox's request log proves the result: every order changed, no non-idempotent request
applied twice, no order sent more than twice.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from orderpatch.sandbox import Sandbox
from tests.bulk._sandbox_jobs import (
    applied_writes,
    env_for,
    journal_done_fresh,
    journal_states,
    never_attempted,
    run_bulk,
    write_jsonl,
)

pytestmark = pytest.mark.loopback

ORDERS = 200  # each run is killed once 1-2 new orders are done (up to ~8 finish), or while it settles its doubts
KILLS = 24


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    # Commerce Layer's X-Ratelimit-Remaining counts against 100/min unless a limit is set: a job run at
    # --rate 400/1 would then be told its budget is spent and wait a second after every hundred requests.
    with Sandbox(rate_limit=100_000, rate_window=1.0) as running:
        yield running


class Zygote:
    """The forking helper process (``tests/bulk/_zygote.py``)."""

    def __init__(self) -> None:
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        self.process = subprocess.Popen([sys.executable, "-m", "tests.bulk._zygote"], cwd=root, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def ask(self, command: dict[str, object]) -> int:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        return int(next(iter(answer.values())))

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(10)


@pytest.fixture
def zygote() -> Iterator[Zygote]:
    forker = Zygote()
    yield forker
    forker.close()


def lines_in(path: Path, state: str) -> set[int]:
    import sqlite3

    if not path.exists():
        return set()
    db = sqlite3.connect(path)
    try:
        return {line for (line,) in db.execute("SELECT line FROM orders WHERE state = ?", (state,)).fetchall()}
    except sqlite3.Error:
        return set()
    finally:
        db.close()


def reads_since(sandbox: Sandbox, start: int) -> int:
    """Reads of single orders (read-backs, reads before a resend) the sandbox got since ``start`` log entries."""
    return sum(1 for r in sandbox.requests_log()[start:] if r.method == "GET" and "/api/orders/" in r.path)


def test_sigkill_and_resume(sandbox: Sandbox, zygote: Zygote, tmp_path: Path) -> None:
    rng = random.Random(1818)
    ids = sandbox.add_orders("commercelayer", ORDERS)
    archive = set(ids[::2])
    rows: list[dict[str, object]] = [{"id": oid, "native": {"archive": True}} if oid in archive
                                     else {"id": oid, "reference": f"K-{n}"} for n, oid in enumerate(ids)]
    path = write_jsonl(tmp_path / "job.jsonl", rows)
    journal = tmp_path / "job.sqlite3"
    env = env_for(sandbox, "commercelayer", tmp_path)
    args = ["--input", str(path), "--journal", str(journal), "--concurrency", "4", "--no-progress"]
    # 100 orders a second in bursts of 4 while killing: a run this process is slow to kill finishes few orders.
    paced = ["--rate", "4/0.04"]
    kills = settling_kills = doubts = 0
    started = time.monotonic()
    while kills < KILLS:
        fresh = never_attempted(journal) or set(range(1, ORDERS + 1))
        in_doubt = lines_in(journal, "sending")
        doubts += len(in_doubt)
        # Every other run that starts with orders in doubt is killed while it settles them: once it has
        # read one back, before it has read them all. The others are killed once a few new orders are done.
        settle = bool(in_doubt) and kills % 2 == 1
        mark = len(sandbox.requests_log())
        target = rng.randint(1, 2)
        pid = zygote.ask({"run": ["bulk", *args, *paced], "env": env})
        deadline = time.monotonic() + 30
        if settle:
            while reads_since(sandbox, mark) < 1 and time.monotonic() < deadline:
                time.sleep(0.001)
            time.sleep(rng.uniform(0.0, 0.003))
        else:
            while journal_done_fresh(journal, fresh) < target and time.monotonic() < deadline:
                time.sleep(0.005)
            time.sleep(rng.uniform(0.0, 0.005))
        os.kill(pid, signal.SIGKILL)
        status = zygote.ask({"wait": pid})
        assert status == -signal.SIGKILL, f"the job ended by itself (exit {status}) before kill {kills + 1}"
        kills += 1
        if in_doubt & (lines_in(journal, "sending") | lines_in(journal, "pending")):
            settling_kills += 1  # some order in doubt at the start was still unsettled when it was killed
    killing = time.monotonic() - started
    untouched = len(never_attempted(journal))
    final = run_bulk(env, *args, "--rate", "400/1")
    assert final.returncode == 0, final.stdout[-2000:] + final.stderr[-2000:]
    assert journal_states(journal) == {"done": ORDERS}  # 0 lost, none unknown
    assert settling_kills >= 5, f"only {settling_kills} kills landed while orders in doubt were being settled"
    assert doubts >= 10, f"only {doubts} orders were left in doubt by the kills"

    writes = applied_writes(sandbox, "commercelayer", "PATCH")
    assert set(writes) == set(ids)
    doubled = {oid: count for oid, count in writes.items() if oid in archive and count > 1}
    assert doubled == {}, f"non-idempotent requests applied twice: {doubled}"
    assert max(count for oid, count in writes.items() if oid not in archive) <= 2
    sent = [r for r in sandbox.requests_log() if r.method == "PATCH"]
    per_order: dict[str, int] = {}
    for record in sent:
        per_order[record.path.rsplit("/", 1)[-1]] = per_order.get(record.path.rsplit("/", 1)[-1], 0) + 1
    assert max(per_order.values()) <= 2, "an order was sent more than twice"
    resent = sum(1 for oid, count in writes.items() if count == 2)
    print(f"{kills} kills ({settling_kills} while settling, {doubts} orders left in doubt, {untouched} orders "
          f"left for the last run) in {killing:.1f} s; "
          f"{resent} idempotent orders "
          f"applied twice; {sum(writes.values())} writes for {ORDERS} orders")


def journal_ids(path: Path) -> list[str]:
    import sqlite3

    db = sqlite3.connect(path)
    try:
        return [oid for (oid,) in db.execute("SELECT order_id FROM orders ORDER BY line").fetchall()]
    finally:
        db.close()


def test_a_selection_job_killed_and_resumed_works_on_what_it_listed(sandbox: Sandbox, zygote: Zygote,
                                                                     tmp_path: Path) -> None:
    from orderpatch import Config, OrderChanges, update_order
    from orderpatch._facade._pool import SYNC_POOL

    ids = sandbox.add_orders("commercelayer", 80)
    config = Config.from_mapping({"vendor": "commercelayer", **sandbox.settings("commercelayer")})
    for oid in ids[:4]:  # these already hold the change: the job must not write them
        update_order(oid, OrderChanges(reference="SEL-9"), config=config)
    SYNC_POOL.close()
    journal = tmp_path / "selection.sqlite3"
    env = env_for(sandbox, "commercelayer", tmp_path)
    args = ["--where", "status=draft", "--set", "reference=SEL-9", "--journal", str(journal), "--concurrency", "2",
            "--no-progress"]
    slow = ["--rate", "2/0.1"]  # 20 writes a second without a burst: the kill lands mid-job even on a loaded machine
    for target in (0, 6):  # killed while listing (or right after), then in the middle of the writes
        pid = zygote.ask({"run": ["bulk", *args, *slow], "env": env})
        deadline = time.monotonic() + 30
        while journal_done_fresh(journal, set(range(1, 100))) < target and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.02 if target == 0 else 0.0)
        os.kill(pid, signal.SIGKILL)
        assert zygote.ask({"wait": pid}) == -signal.SIGKILL
    listed = journal_ids(journal)
    assert set(ids) <= set(listed)
    later = sandbox.add_orders("commercelayer", 10)  # the filter would now select these too
    final = run_bulk(env, *args, "--rate", "400/1", "--output", "jsonl")  # the rate is no part of the job
    assert final.returncode == 0, final.stderr[-2000:]
    assert "resuming" in final.stderr
    rows = [json.loads(line) for line in final.stdout.splitlines()]
    assert [row["id"] for row in rows] == listed  # the journalled orders, not a new listing
    states = {row["id"]: row["state"] for row in rows}
    assert {states[oid] for oid in ids[:4]} == {"skipped"}
    assert {states[oid] for oid in listed if oid not in ids[:4]} == {"done"}
    writes = applied_writes(sandbox, "commercelayer", "PATCH")
    assert {oid: writes[oid] for oid in ids[:4]} == dict.fromkeys(ids[:4], 1)  # update_order's, not the job's
    assert all(1 <= writes[oid] <= 2 for oid in listed if oid not in ids[:4])
    assert not set(writes) & set(later)
