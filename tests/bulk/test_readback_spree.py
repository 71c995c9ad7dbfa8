"""Spree v2 line items added through nested attributes, left in doubt by a crash: settled by a read, not guessed.

The job reads the order just before sending such a change and journals its line item ids and
``updated_at``. On resume each order in doubt is read back: unchanged since → the request did not
land, send it once; exactly the added line items → it landed, done; anything else → unknown, with why.
Sync and async runners against the sandbox; its request log proves what was sent.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from orderpatch import Config, Rate
from orderpatch._facade._registry import adapter_for
from orderpatch.bulk import BulkInput, BulkOptions, BulkReport, Journal, arun_job, read_input, run_job
from orderpatch.bulk._job import _IN_DOUBT
from orderpatch.bulk._readback import can_read_back, cannot_tell, needs_snapshot, settled, snapshot
from orderpatch.sandbox import Sandbox
from orderpatch.spree import LineItem, OrderUpdate, SpreeClient

pytestmark = pytest.mark.loopback

FAST = (Rate(limit=10_000, period=1),)
ADD = {"line_items_attributes": [{"variant_id": "2", "quantity": 2}]}


@pytest.fixture(scope="module")
def running() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(running: Sandbox) -> Sandbox:
    running.reset()
    return running


def line_item_patches(sandbox: Sandbox) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in sandbox.requests_log():
        if record.method == "PATCH" and record.status == 200 and "line_items_attributes" in record.body:
            number = record.path.rstrip("/").rsplit("/", 1)[-1]
            counts[number] = counts.get(number, 0) + 1
    return counts


def run(runner: str, bulk: BulkInput, journal: Journal, config: Config) -> BulkReport:
    options = BulkOptions(rates=FAST)
    if runner == "sync":
        return run_job(bulk, journal, config=config, options=options)
    return asyncio.run(arun_job(bulk, journal, config=config, options=options))


@pytest.mark.parametrize("runner", ["sync", "async"])
def test_a_job_snapshots_each_order_before_adding_line_items(sandbox: Sandbox, tmp_path: Path, runner: str) -> None:
    numbers = sandbox.add_orders("spree", 3)
    settings = sandbox.settings("spree")
    config = Config.from_mapping({"vendor": "spree", **settings})
    text = "".join(json.dumps({"id": number, "native": ADD}) + "\n" for number in numbers)
    bulk = read_input("in.jsonl", adapter_for("spree"), text=text)
    journal = Journal.open(tmp_path / "j.sqlite3", bulk, vendor="spree")
    with SpreeClient(**settings) as client:
        expected = [snapshot(client.orders.retrieve(number)) for number in numbers]
    report = run(runner, bulk, journal, config)
    assert report.counts == {"done": 3}
    assert line_item_patches(sandbox) == dict.fromkeys(numbers, 1)
    for line in (1, 2, 3):
        before = journal.remembered(line)
        assert isinstance(before, dict)
        assert isinstance(before["line_items"], list)
        assert before["updated_at"]
        assert before == expected[line - 1]  # each line's own order, as it was just before its request
    log = [(r.method, r.path.rsplit("/", 1)[-1]) for r in sandbox.requests_log() if r.vendor == "spree"
           and "/orders/" in r.path]
    assert log.index(("GET", numbers[0])) < log.index(("PATCH", numbers[0]))  # read just before the write
    journal.close()


@pytest.mark.parametrize("runner", ["sync", "async"])
def test_orders_in_doubt_are_settled_by_what_the_read_shows(sandbox: Sandbox, tmp_path: Path, runner: str) -> None:
    numbers = sandbox.add_orders("spree", 5)
    settings = sandbox.settings("spree")
    config = Config.from_mapping({"vendor": "spree", **settings})
    text = "".join(json.dumps({"id": number, "native": ADD}) + "\n" for number in numbers)
    bulk = read_input("in.jsonl", adapter_for("spree"), text=text)
    journal = Journal.open(tmp_path / "j.sqlite3", bulk, vendor="spree")
    change = OrderUpdate(line_items_attributes=[LineItem(variant_id="2", quantity=2)])
    with SpreeClient(**settings) as client:
        for line, number in enumerate(numbers, start=1):
            if line < 5:  # line 5: in flight without a snapshot (the read just before it failed)
                journal.remember(line, snapshot(client.orders.retrieve(number)))
            journal.sending(line, idempotency_key=None, idempotent=False)
        client.orders.update(numbers[0], change)  # line 1: the request had landed before the crash
        client.orders.update(numbers[2], OrderUpdate(email="other@example.com"))  # line 3: changed otherwise
        client.orders.update(numbers[3], OrderUpdate(line_items_attributes=[LineItem(variant_id="2", quantity=1)]))
    before = line_item_patches(sandbox)
    report = run(runner, bulk, journal, config)
    states = {row.line: row.state for row in report.rows}
    assert states == {1: "done", 2: "done", 3: "unknown", 4: "unknown", 5: "unknown"}
    sent = {number: count - before.get(number, 0) for number, count in line_item_patches(sandbox).items()}
    assert {number: count for number, count in sent.items() if count} == {numbers[1]: 1}  # sent once, only it
    rows = {row.line: row for row in report.rows}
    assert rows[1].outcome == {"read_back": "the change had already landed"}
    changed = {"error": "InDoubt", "why": f"{_IN_DOUBT}; the order changed in other ways since just before the request"}
    assert rows[3].outcome == changed
    assert rows[4].outcome == changed  # other line items than the request's
    assert rows[5].outcome == {"error": "InDoubt", "attempts": 1,
                               "why": f"{_IN_DOUBT}: the order was not read just before the request, so a read "
                                      "cannot tell"}
    journal.close()


@pytest.mark.parametrize("runner", ["sync", "async"])
def test_a_failed_read_before_the_request_keeps_no_stale_snapshot(sandbox: Sandbox, tmp_path: Path,
                                                                  runner: str) -> None:
    config = Config.from_mapping({"vendor": "spree", **sandbox.settings("spree")})
    text = json.dumps({"id": "R999999999", "native": ADD}) + "\n"  # no such order: the read (and write) fail
    bulk = read_input("in.jsonl", adapter_for("spree"), text=text)
    journal = Journal.open(tmp_path / "j.sqlite3", bulk, vendor="spree")
    journal.remember(1, {"line_items": ["1"], "updated_at": "2026-12-01T10:00:00+00:00"})  # from an earlier run
    report = run(runner, bulk, journal, config)
    assert report.counts == {"failed": 1}
    assert journal.remembered(1) is None  # a resume cannot compare with what the order no longer was
    log = [(r.method, r.status) for r in sandbox.requests_log() if "/orders/R999999999" in r.path]
    assert log == [("GET", 404), ("PATCH", 404)]
    journal.close()


def test_what_spree_can_tell() -> None:
    adds = OrderUpdate(line_items_attributes=[LineItem(variant_id="2", quantity=2)])
    with_payment = OrderUpdate(line_items_attributes=[LineItem(variant_id="2", quantity=2)],
                               extra_attributes={"payments_attributes": [{"amount": 5}]})
    assert needs_snapshot("spree", adds)
    assert can_read_back("spree", adds)
    assert not needs_snapshot("spree", with_payment)
    assert not can_read_back("spree", with_payment)
    assert not needs_snapshot("spree", OrderUpdate(email="a@b.co"))
    assert "nested records" in cannot_tell("spree", with_payment)
    assert "no trace" in cannot_tell("commercelayer", adds)
    assert "cannot show" in cannot_tell("licensespring", adds)
    assert settled("spree", adds, object(), None) is None
    assert settled("spree", with_payment, object(), {"line_items": []}) is None
    assert settled("licensespring", adds, object()) is None
