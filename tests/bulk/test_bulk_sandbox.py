"""``orderpatch bulk`` end to end: a real subprocess against the loopback sandbox, its request log as proof.

* 1,000 Commerce Layer orders under the vendor's own limits (windows scaled 100 times shorter) complete with
  every order changed exactly once and at most a couple of 429s.
* A malformed line stops the job before any request; a dry run sends no write.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from orderpatch.sandbox import Sandbox
from tests.bulk._sandbox_jobs import applied_writes, env_for, journal_states, run_bulk, write_jsonl

pytestmark = pytest.mark.loopback

SCALE = 0.01  # Commerce Layer's 25/10 s and 100/min become 25/0.1 s and 100/0.6 s


@pytest.fixture(scope="module")
def running() -> Iterator[Sandbox]:
    with Sandbox(vendor_limits=SCALE) as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(running: Sandbox) -> Sandbox:
    running.reset()
    return running


def test_a_thousand_orders_each_changed_once(sandbox: Sandbox, tmp_path: Path) -> None:
    ids = sandbox.add_orders("commercelayer", 1000)
    path = write_jsonl(tmp_path / "backfill.jsonl", [{"id": oid, "reference": f"ERP-{n}"} for n, oid in enumerate(ids)])
    env = env_for(sandbox, "commercelayer", tmp_path)
    result = run_bulk(env, "--input", str(path), "--rate", "25/0.1", "--rate", "100/0.6", "--concurrency", "8",
                      "--output", "jsonl")
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 1000
    assert {row["state"] for row in rows} == {"done"}
    assert [row["line"] for row in rows] == list(range(1, 1001))
    writes = applied_writes(sandbox, "commercelayer", "PATCH")
    assert set(writes) == set(ids)
    assert set(writes.values()) == {1}
    throttled = [r for r in sandbox.requests_log() if r.status == 429]
    assert len(throttled) <= 2, f"{len(throttled)} 429s"
    assert "journal " in result.stderr
    assert str(tmp_path) in result.stderr
    (journal,) = tmp_path.glob("*.sqlite3")
    assert journal_states(journal) == {"done": 1000}


def test_a_malformed_line_stops_the_job_before_any_request(sandbox: Sandbox, tmp_path: Path) -> None:
    ids = sandbox.add_orders("spree", 5)
    rows: list[dict[str, object]] = [{"id": oid, "email": f"u{n}@example.com"} for n, oid in enumerate(ids)]
    rows[3] = {"id": ids[3], "email": "not an email"}
    path = write_jsonl(tmp_path / "in.jsonl", rows)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("{broken\n")
    result = run_bulk(env_for(sandbox, "spree", tmp_path), "--input", str(path))
    assert result.returncode == 3
    assert "line 4 (OrderChanges.email)" in result.stderr
    assert "line 6" in result.stderr
    assert [r for r in sandbox.requests_log() if r.vendor == "spree"] == []
    assert list(tmp_path.glob("*.sqlite3")) == []


@pytest.mark.parametrize("vendor", ["commercelayer", "licensespring", "spree", "trunkery"])
def test_dry_run_sends_no_write(sandbox: Sandbox, tmp_path: Path, vendor: str) -> None:
    ids = sandbox.add_orders(vendor, 3)
    change = {"reference": "ERP"} if vendor in ("commercelayer", "licensespring") else {"email": "a@b.co"}
    path = write_jsonl(tmp_path / "in.jsonl", [{"id": oid, **change} for oid in ids])
    result = run_bulk(env_for(sandbox, vendor, tmp_path), "--input", str(path), "--dry-run")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [record["id"] for record in records] == ids
    assert all(record["method"] in ("PATCH", "POST") and record["body"] for record in records)
    assert [r for r in sandbox.requests_log() if r.vendor == vendor] == []


def set_sending(journal: Path, lines: list[int]) -> None:
    """What a crash leaves behind: these orders' requests in flight, no answer recorded."""
    import sqlite3

    db = sqlite3.connect(journal)
    try:
        db.executemany("UPDATE orders SET state = 'sending' WHERE line = ?", [(line,) for line in lines])
        db.commit()
    finally:
        db.close()


def test_a_spree_admin_v3_job_end_to_end_with_its_idempotency_keys(sandbox: Sandbox, tmp_path: Path) -> None:
    from orderpatch.spree_admin import SpreeAdminClient

    ids = sandbox.add_orders("spree_admin", 30)
    rows: list[dict[str, object]] = [{"id": oid, "email": f"v3-{n}@example.com", "tags": ["bulk", f"n{n}"]}
                                     for n, oid in enumerate(ids[:20])]
    rows += [{"id": oid, "native": {"internal_note": f"note {n}"}} for n, oid in enumerate(ids[20:])]
    path = write_jsonl(tmp_path / "v3.jsonl", rows)
    journal = tmp_path / "v3.sqlite3"
    env = env_for(sandbox, "spree_admin", tmp_path)
    args = ("--input", str(path), "--journal", str(journal), "--rate", "300/0.6", "--concurrency", "4",
            "--output", "jsonl")
    result = run_bulk(env, *args)
    assert result.returncode == 0, result.stderr[-2000:]
    assert {json.loads(line)["state"] for line in result.stdout.splitlines()} == {"done"}
    writes = applied_writes(sandbox, "spree_admin", "PATCH")
    assert writes == dict.fromkeys(ids, 1)
    keys = {r.path.rsplit("/", 1)[-1]: r.headers.get("idempotency-key") for r in sandbox.requests_log()
            if r.vendor == "spree_admin" and r.method == "PATCH"}
    assert all(str(key).startswith("orderpatch-bulk-") for key in keys.values())
    assert len(set(keys.values())) == len(ids)  # one key per order and change
    settings = sandbox.settings("spree_admin")
    with SpreeAdminClient(**settings) as client:
        stamp = client.orders.retrieve(ids[25]).updated_at
    # A crash left two comparable changes and one native change in flight.
    set_sending(journal, [1, 2, 26])
    before = len(sandbox.requests_log())
    result = run_bulk(env, *args)
    assert result.returncode == 0, result.stderr[-2000:]
    log = sandbox.requests_log()[before:]
    reads = sorted(r.path.rsplit("/", 1)[-1] for r in log if r.method == "GET" and "/orders/" in r.path)
    assert reads == sorted(ids[:2])  # the comparable ones were read back: they held the change
    (resent,) = [r for r in log if r.method == "PATCH"]  # the native one was sent again, with its key
    assert resent.path.endswith(ids[25])
    assert resent.headers.get("idempotency-key") == keys[ids[25]]
    with SpreeAdminClient(**settings) as client:
        assert client.orders.retrieve(ids[25]).updated_at == stamp  # replayed by the vendor, not applied again


def test_ctrl_c_finishes_what_is_in_flight_and_prints_how_to_resume(sandbox: Sandbox, tmp_path: Path) -> None:
    import shlex
    import signal
    import subprocess
    import sys
    import time

    from tests.bulk._sandbox_jobs import bulk_command, journal_done_fresh

    ids = sandbox.add_orders("commercelayer", 200)
    path = write_jsonl(tmp_path / "in.jsonl", [{"id": oid, "reference": f"C-{n}"} for n, oid in enumerate(ids)])
    journal = tmp_path / "ctrl-c.sqlite3"
    env = env_for(sandbox, "commercelayer", tmp_path)
    # 20 orders a second without a burst: about ten seconds of job, so the interrupt lands mid-job even
    # when this process is slow to notice the first orders done.
    # The command as a terminal runs it: a background test run (``cmd &``) starts its children with SIGINT
    # ignored, which Python keeps, so the child puts back the handler an interactive shell would leave it.
    interactive = [sys.executable, "-c", "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler)"
                   "; from orderpatch.cli import main; sys.exit(main(sys.argv[1:]))"]
    process = subprocess.Popen([*interactive, *bulk_command("--input", str(path), "--journal", str(journal),
                                                            "--rate", "5/0.25", "--concurrency", "2",
                                                            "--no-progress")[3:]],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while journal_done_fresh(journal, set(range(1, 201))) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err[-2000:]
    hint = err.split("resume with: ", 1)[1].splitlines()[0]
    assert hint.startswith("orderpatch bulk --input")
    states = journal_states(journal)
    assert "sending" not in states  # the orders in flight finished and were journalled
    assert states["pending"] > 0
    assert "pending" in out  # the report so far
    words = shlex.split(hint)[2:]
    assert words[words.index("--rate") + 1] == "5/0.25"
    words[words.index("--rate") + 1] = "25/0.1"  # the same command, resumed at the sandbox's full pace
    resumed = run_bulk(env, *words)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert journal_states(journal) == {"done": 200}
    assert applied_writes(sandbox, "commercelayer", "PATCH") == dict.fromkeys(ids, 1)
