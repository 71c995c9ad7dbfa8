"""Settling doubt by reading the order back (Commerce Layer triggers), sync and async, over pytest-httpx."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest
from pytest_httpx import HTTPXMock

from orderpatch import Config, Rate
from orderpatch._facade._registry import adapter_for
from orderpatch.bulk import BulkOptions, Journal, arun_job, read_input, run_job
from orderpatch.bulk._readback import can_read_back, settled
from orderpatch.commercelayer import OrderUpdate
from tests.commercelayer.conftest import BASE, order_body

CONFIG = Config.from_mapping({"vendor": "commercelayer", "base_url": BASE, "access_token": "tok-1"})
FAST = (Rate(limit=10_000, period=1),)
IDS = ("Arch000001", "Arch000002", "Arch000003")


def in_doubt(tmp_path: Path) -> tuple[object, Journal]:
    """Three ``_archive`` orders whose requests a crash left in flight."""
    text = "".join(json.dumps({"id": oid, "native": {"archive": True}}) + "\n" for oid in IDS)
    bulk = read_input("in.jsonl", adapter_for("commercelayer"), text=text)
    journal = Journal.open(tmp_path / "job.sqlite3", bulk, vendor="commercelayer")
    for line in (1, 2, 3):
        journal.sending(line, idempotency_key=None, idempotent=False)
    return bulk, journal


def answer(request: httpx.Request) -> httpx.Response:
    order_id = request.url.path.rsplit("/", 1)[-1]
    if request.method == "GET":
        if order_id == IDS[0]:  # it landed before the crash
            return httpx.Response(200, json=order_body(order_id, archived_at="2026-12-01T10:00:00.000Z"))
        if order_id == IDS[1]:  # it never arrived
            return httpx.Response(200, json=order_body(order_id, archived_at=None))
        return httpx.Response(404, json={"errors": [{"title": "Record not found", "code": "RECORD_NOT_FOUND",
                                                     "status": "404", "detail": "not found"}]})
    return httpx.Response(200, json=order_body(order_id, archived_at="2026-12-01T11:00:00.000Z"))


def check(httpx_mock: HTTPXMock, journal: Journal) -> None:
    methods = [(request.method, request.url.path.rsplit("/", 1)[-1]) for request in httpx_mock.get_requests()]
    assert sorted(methods) == sorted([("GET", IDS[0]), ("GET", IDS[1]), ("GET", IDS[2]), ("PATCH", IDS[1])])
    rows = {row.order_id: row for row in journal.rows()}
    assert rows[IDS[0]].state == "done"
    assert rows[IDS[0]].outcome == {"read_back": "the change had already landed"}
    assert rows[IDS[1]].state == "done"
    assert rows[IDS[1]].attempts == 2
    assert rows[IDS[2]].state == "unknown"
    assert "reading the order back failed" in str(rows[IDS[2]].outcome)


def test_sync_runner_reads_back_before_deciding(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    httpx_mock.add_callback(answer, is_reusable=True)
    bulk, journal = in_doubt(tmp_path)
    report = run_job(bulk, journal, config=CONFIG, options=BulkOptions(rates=FAST))  # type: ignore[arg-type]
    assert report.counts == {"done": 2, "unknown": 1}
    assert report.exit_code == 4
    check(httpx_mock, journal)
    journal.close()


def test_async_runner_reads_back_before_deciding(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    httpx_mock.add_callback(answer, is_reusable=True)
    bulk, journal = in_doubt(tmp_path)
    report = asyncio.run(arun_job(bulk, journal, config=CONFIG, options=BulkOptions(rates=FAST)))  # type: ignore[arg-type]
    assert report.counts == {"done": 2, "unknown": 1}
    check(httpx_mock, journal)
    journal.close()


def test_what_a_read_can_tell() -> None:
    from orderpatch.commercelayer._codec import parse_order

    def order(**attributes: object) -> object:
        return parse_order(order_body(**attributes))  # type: ignore[arg-type]

    assert can_read_back("commercelayer", OrderUpdate(approve=True))
    assert not can_read_back("commercelayer", OrderUpdate(refresh=True))  # leaves no trace
    assert not can_read_back("spree", OrderUpdate(approve=True))
    assert settled("commercelayer", OrderUpdate(approve=True), order(status="approved")) is True
    assert settled("commercelayer", OrderUpdate(approve=True), order(status="placed")) is False
    assert settled("commercelayer", OrderUpdate(capture=True), order(payment_status="paid")) is True
    # Two triggers, one seen and one not: the order cannot tell.
    assert settled("commercelayer", OrderUpdate(archive=True, capture=True),
                   order(archived_at="2026-12-01T10:00:00.000Z", payment_status="authorized")) is None
    assert settled("commercelayer", OrderUpdate(refresh=True), order()) is None
    assert settled("trunkery", OrderUpdate(approve=True), order()) is None
    with pytest.raises(AssertionError):
        assert can_read_back("commercelayer", OrderUpdate(reference="x"))  # no trigger at all
