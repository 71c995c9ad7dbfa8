"""The job runners over pytest-httpx: each order once, resume by the journal, doubt, error rate, Ctrl-C."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import re
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_httpx import HTTPXMock

from orderpatch import Config, InMemoryRateLimiter, Rate, ValidationError
from orderpatch._facade._registry import adapter_for
from orderpatch.bulk import BulkOptions, Journal, Progress, arun_job, read_input, run_job, update_orders
from orderpatch.bulk._job import classify_error
from orderpatch.bulk._plan import PlannedCall, derive_idempotency_key
from orderpatch.errors import APIError, ConnectionFailed, DecodeError, NotFound, ServerError, UnprocessableEntity
from tests.conftest import SleepRecorder
from tests.trunkery._fixtures import SHOP_ID, TOKEN

KEY = "h8ZTleS1.OyCHhCST5c8K9A6gjV9wA1HLxWpUVSFv"
LS_CONFIG = Config.from_mapping({"vendor": "licensespring", "api_key": KEY})
LS_URL = re.compile(r"https://saas\.licensespring\.com/api/v1/orders/(\d+)/")
FAST = (Rate(limit=10_000, period=1),)


def ls_order(order_id: int, reference: str = "r") -> dict[str, object]:
    return {"id": order_id, "store_id": reference, "metadata": {}, "license_users": []}


def ls_input(count: int) -> str:
    return "".join(json.dumps({"id": n, "reference": f"ERP-{n}"}) + "\n" for n in range(1, count + 1))


def echo(request: httpx.Request) -> httpx.Response:
    match = LS_URL.match(str(request.url))
    assert match is not None
    if request.method == "GET":  # a read first: the order does not hold the change yet
        return httpx.Response(200, json=ls_order(int(match.group(1)), "before"))
    return httpx.Response(200, json=ls_order(int(match.group(1)), json.loads(request.content)["store_id"]))


def open_job(tmp_path: Path, text: str, vendor: str = "licensespring") -> tuple[object, Journal]:
    bulk = read_input("in.jsonl", adapter_for(vendor), text=text)
    return bulk, Journal.open(tmp_path / "job.sqlite3", bulk, vendor=vendor)


def sent_ids(httpx_mock: HTTPXMock, method: str = "PATCH") -> list[int]:
    ids = []
    for request in httpx_mock.get_requests(method=method):
        match = LS_URL.match(str(request.url))
        assert match is not None
        ids.append(int(match.group(1)))
    return ids


def test_every_order_sent_once_with_progress(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    httpx_mock.add_callback(echo, is_reusable=True)
    bulk, journal = open_job(tmp_path, ls_input(30))
    seen: list[Progress] = []
    report = run_job(bulk, journal, config=LS_CONFIG,  # type: ignore[arg-type]
                     options=BulkOptions(concurrency=4, rates=FAST, on_progress=seen.append))
    assert sorted(sent_ids(httpx_mock)) == list(range(1, 31))
    assert report.counts == {"done": 30}
    assert report.exit_code == 0
    assert not report.interrupted
    assert report.rate_limited == 0
    assert len(seen) == 30
    assert seen[-1].done == 30
    assert seen[-1].remaining == 0
    assert seen[-1].total == 30
    assert [row.state for row in journal.rows()] == ["done"] * 30
    assert journal.rows()[0].outcome == {"id": "1", "number": None, "status": None, "updated_at": None}
    # Nothing is sent again on a rerun with the same journal.
    again = run_job(bulk, journal, config=LS_CONFIG, options=BulkOptions(rates=FAST))  # type: ignore[arg-type]
    assert again.counts == {"done": 30}
    assert len(httpx_mock.get_requests()) == 30
    journal.close()


def test_resume_settles_doubt_by_the_journal(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    httpx_mock.add_callback(echo, is_reusable=True)
    bulk, journal = open_job(tmp_path, ls_input(6))
    journal.finish(1, "done", {"id": "1"})
    journal.sending(2, idempotency_key=None, idempotent=True)       # in flight, safe to repeat
    journal.sending(3, idempotency_key=None, idempotent=False)      # in flight, not safe
    journal.finish(4, "failed", {"error": "RateLimited"}, retryable=True)
    journal.finish(5, "failed", {"error": "UnprocessableEntity"})
    report = run_job(bulk, journal, config=LS_CONFIG, options=BulkOptions(rates=FAST))  # type: ignore[arg-type]
    assert sorted(sent_ids(httpx_mock)) == [2, 4, 6]
    assert sent_ids(httpx_mock, "GET") == [2]  # the order in doubt is read first: it did not hold the change
    assert journal.rows()[1].attempts == 2
    states = {row.line: row.state for row in report.rows}
    assert states == {1: "done", 2: "done", 3: "unknown", 4: "done", 5: "failed", 6: "done"}
    unknown = report.rows[2].outcome
    assert isinstance(unknown, dict)
    assert "check the order by hand" in str(unknown["why"])
    assert report.exit_code == 4
    table = report.to_table()
    assert "unknown 1" in table
    assert "check the order by hand" in table
    assert "failed 1" in table
    lines = [json.loads(line) for line in report.to_jsonl().splitlines()]
    assert [line["line"] for line in lines] == [1, 2, 3, 4, 5, 6]
    journal.close()


def test_vendor_errors_fail_their_order_only(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if str(request.url).endswith("/2/"):
            return httpx.Response(404, json={"message": "Not found."})
        return echo(request)

    httpx_mock.add_callback(answer, is_reusable=True)
    bulk, journal = open_job(tmp_path, ls_input(3))
    report = run_job(bulk, journal, config=LS_CONFIG, options=BulkOptions(rates=FAST))  # type: ignore[arg-type]
    assert report.counts == {"done": 2, "failed": 1}
    failed = report.rows[1]
    assert failed.state == "failed"
    assert isinstance(failed.outcome, dict)
    assert failed.outcome["status"] == 404
    journal.close()


def test_stops_when_the_error_rate_is_passed(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    httpx_mock.add_response(status_code=422, json={"detail": "no"}, is_reusable=True)
    bulk, journal = open_job(tmp_path, ls_input(60))
    report = run_job(bulk, journal, config=LS_CONFIG,  # type: ignore[arg-type]
                     options=BulkOptions(concurrency=1, rates=FAST, max_error_rate=0.1))
    assert report.counts == {"failed": 20, "pending": 40}
    assert report.stop_reason is not None
    assert "max-error-rate" in report.stop_reason
    assert report.exit_code == 4
    assert "not attempted" in report.to_table()
    journal.close()


def test_ctrl_c_stops_taking_orders(httpx_mock: HTTPXMock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    httpx_mock.add_callback(echo, is_reusable=True)
    real_wait = concurrent.futures.wait
    calls = []

    def interrupted_wait(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 4:  # about half a second into sending
            raise KeyboardInterrupt
        return real_wait(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(concurrent.futures, "wait", interrupted_wait)
    bulk, journal = open_job(tmp_path, ls_input(500))
    report = run_job(bulk, journal, config=LS_CONFIG,  # type: ignore[arg-type]
                     options=BulkOptions(concurrency=2, rates=(Rate(limit=20, period=1),)))
    assert report.interrupted
    assert report.exit_code == 130
    assert 0 < report.counts["pending"] < 500
    assert report.counts.get("sending", 0) == 0  # in-flight orders finished and were journalled
    assert len(httpx_mock.get_requests()) == report.counts["done"]
    journal.close()


def test_async_runner(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    httpx_mock.add_callback(echo, is_reusable=True)
    bulk, journal = open_job(tmp_path, ls_input(12))
    limiter = InMemoryRateLimiter(FAST, name="licensespring")
    report = asyncio.run(arun_job(bulk, journal, config=LS_CONFIG,  # type: ignore[arg-type]
                                  options=BulkOptions(concurrency=3, rate_limiter=limiter)))
    assert report.counts == {"done": 12}
    assert sorted(sent_ids(httpx_mock)) == list(range(1, 13))
    journal.close()


def test_async_runner_cancelled_lets_in_flight_orders_finish(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    httpx_mock.add_callback(echo, is_reusable=True)
    bulk, journal = open_job(tmp_path, ls_input(200))

    async def main() -> None:
        task = asyncio.create_task(arun_job(bulk, journal, config=LS_CONFIG,  # type: ignore[arg-type]
                                            options=BulkOptions(concurrency=2, rates=(Rate(limit=20, period=1),))))
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    counts = journal.counts()
    assert counts.get("sending", 0) == 0
    assert 0 < counts["done"] < 200
    journal.close()


def test_trunkery_resends_with_the_journalled_key(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    from tests.trunkery._fixtures import order_payload

    httpx_mock.add_callback(lambda request: httpx.Response(200, json=[order_payload()]), is_reusable=True)
    config = Config.from_mapping({"vendor": "trunkery", "token": TOKEN, "shop_id": SHOP_ID})
    text = '{"id": "or_EQzGqWoY", "email": "a@b.co"}\n'
    bulk, journal = open_job(tmp_path, text, vendor="trunkery")
    expected = derive_idempotency_key(journal.job_id, "or_EQzGqWoY", bulk.items[0].change)  # type: ignore[attr-defined]
    journal.sending(1, idempotency_key=expected, idempotent=True)  # a crash left it in flight
    report = run_job(bulk, journal, config=config, options=BulkOptions(rates=FAST))  # type: ignore[arg-type]
    assert report.counts == {"done": 1}
    (read,) = httpx_mock.get_requests(method="GET")  # read first: the order did not hold the change
    assert "ids=or_EQzGqWoY" in str(read.url)
    (request,) = httpx_mock.get_requests(method="POST")
    assert request.headers["Idempotency-Key"] == expected
    assert journal.rows()[0].idempotency_key == expected
    assert journal.rows()[0].attempts == 2
    journal.close()


def test_update_orders_python_api(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    from orderpatch import OrderChanges

    httpx_mock.add_callback(echo, is_reusable=True)
    pairs = [(n, OrderChanges(reference=f"R-{n}")) for n in (1, 2, 3)]
    report = update_orders(pairs, config=LS_CONFIG, journal=tmp_path / "api.sqlite3", rates=FAST, concurrency=2)
    assert report.counts == {"done": 3}
    assert report.source == "items"
    path = tmp_path / "in.jsonl"
    path.write_text(ls_input(2), encoding="utf-8")
    report = asyncio.run(__import__("orderpatch.bulk", fromlist=["x"]).aupdate_orders(
        path, config=LS_CONFIG, journal=tmp_path / "file.sqlite3", rates=FAST))
    assert report.counts == {"done": 2}


@pytest.mark.parametrize(("error", "idempotent", "state", "retryable"), [
    (UnprocessableEntity("no", status=422, vendor="v"), True, "failed", False),
    (NotFound("no", status=404, vendor="v"), False, "failed", False),
    (APIError("slow", status=429, vendor="v"), False, "failed", True),
    (ServerError("boom", status=502, vendor="v"), True, "failed", True),
    (ServerError("boom", status=500, vendor="v"), False, "unknown", False),
    (ConnectionFailed("reset", vendor="v", method="PATCH", url="u"), True, "failed", True),
    (ConnectionFailed("reset", vendor="v", method="PATCH", url="u"), False, "unknown", False),
    (DecodeError("bad body", status=200, vendor="v"), False, "done", False),
    (ValidationError("bad"), True, "failed", False),
])
def test_classify_error(error: Exception, idempotent: bool, state: str, retryable: bool) -> None:
    planned = PlannedCall(call=None, options={}, idempotent=idempotent, idempotency_key=None)  # type: ignore[arg-type]
    outcome = classify_error(error, planned)  # type: ignore[arg-type]
    assert (outcome.state, outcome.retryable) == (state, retryable)
    assert isinstance(outcome.outcome, dict)
    assert outcome.outcome["error"] == type(error).__name__


def test_options_are_checked() -> None:
    for bad in ({"concurrency": 0}, {"concurrency": True}, {"max_error_rate": 1.5},
                {"rates": FAST, "rate_limiter": InMemoryRateLimiter(FAST, name="x")}):
        with pytest.raises(ValidationError):
            BulkOptions(**bad)


def test_the_default_budget_is_the_vendors(httpx_mock: HTTPXMock, tmp_path: Path, sleeps: SleepRecorder) -> None:
    from orderpatch.bulk._job import default_rate_limiter

    assert default_rate_limiter("commercelayer").rates == (Rate(limit=25, period=10), Rate(limit=100, period=60))
    assert default_rate_limiter("spree", FAST).rates == FAST


@pytest.mark.parametrize("runner", ["sync", "async"])
def test_skip_unchanged_reads_first_and_doubt_is_settled_by_a_read(httpx_mock: HTTPXMock, tmp_path: Path,
                                                                   runner: str) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        match = LS_URL.match(str(request.url))
        assert match is not None
        order_id = int(match.group(1))
        if request.method == "GET":
            if order_id == 4:
                return httpx.Response(503, json={"detail": "down"})  # the read fails: the write goes ahead
            return httpx.Response(200, json=ls_order(order_id, f"ERP-{order_id}" if order_id in (1, 2) else "old"))
        return echo(request)

    httpx_mock.add_callback(answer, is_reusable=True)
    bulk, journal = open_job(tmp_path, ls_input(4))
    journal.sending(1, idempotency_key=None, idempotent=True)  # in doubt, and it had landed
    options = BulkOptions(rates=FAST, skip_unchanged=True, concurrency=1)
    report = (run_job(bulk, journal, config=LS_CONFIG, options=options) if runner == "sync"  # type: ignore[arg-type]
              else asyncio.run(arun_job(bulk, journal, config=LS_CONFIG, options=options)))  # type: ignore[arg-type]
    states = {row.line: row.state for row in report.rows}
    assert states == {1: "done", 2: "skipped", 3: "done", 4: "done"}
    assert report.rows[0].outcome == {"read_back": "the change had already landed", "updated_at": None}
    assert sorted(sent_ids(httpx_mock)) == [3, 4]
    assert report.exit_code == 0
    journal.close()


def run(runner: str, bulk: object, journal: Journal, options: BulkOptions) -> object:
    """One job with the sync or the async runner."""
    if runner == "sync":
        return run_job(bulk, journal, config=LS_CONFIG, options=options)  # type: ignore[arg-type]
    return asyncio.run(arun_job(bulk, journal, config=LS_CONFIG, options=options))  # type: ignore[arg-type]


@pytest.mark.parametrize("runner", ["sync", "async"])
def test_each_runner_journals_what_each_error_means(httpx_mock: HTTPXMock, tmp_path: Path, sleeps: SleepRecorder,
                                                    runner: str) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        order_id = sent_ids_of(request)
        if order_id == 2:
            return httpx.Response(404, json={"detail": "Not found."})
        if order_id == 3:
            return httpx.Response(503, json={"detail": "down"})  # retried, then left for a resume
        if order_id == 4:
            raise httpx.ConnectError("connection refused", request=request)
        return echo(request)

    httpx_mock.add_callback(answer, is_reusable=True)
    bulk, journal = open_job(tmp_path, ls_input(5))
    report: Any = run(runner, bulk, journal, BulkOptions(rates=FAST, concurrency=2))
    assert report.counts == {"done": 2, "failed": 3}
    assert (report.interrupted, report.stop_reason, report.rate_limited) == (False, None, 0)
    rows = {row.line: row for row in journal.rows()}
    assert [rows[line].state for line in (1, 5)] == ["done", "done"]
    assert rows[1].outcome == {"id": "1", "number": None, "status": None, "updated_at": None}
    not_found, down, refused = rows[2].outcome, rows[3].outcome, rows[4].outcome
    assert isinstance(not_found, dict)
    assert isinstance(down, dict)
    assert isinstance(refused, dict)
    assert (not_found["error"], not_found["status"], rows[2].retryable) == ("NotFound", 404, False)
    assert (down["error"], down["status"], rows[3].retryable) == ("ServerError", 503, True)
    assert (refused["error"], rows[4].retryable) == ("ConnectionFailed", True)  # a PATCH: safe to send again
    assert sorted(sent_ids(httpx_mock)) == [1, 2, 3, 3, 3, 4, 4, 4, 5]  # the client's own retries
    journal.close()


def sent_ids_of(request: httpx.Request) -> int:
    match = LS_URL.match(str(request.url))
    assert match is not None
    return int(match.group(1))


def test_the_workers_are_named_and_as_many_run_at_once_as_asked(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    # More workers than a thread pool starts by default (at most 32): each must hold one request open.
    workers = 33
    barrier = threading.Barrier(workers, timeout=60)
    names: set[str] = set()

    def answer(request: httpx.Request) -> httpx.Response:
        names.add(threading.current_thread().name)
        barrier.wait()  # every worker has an order in flight at the same time, or this breaks
        return echo(request)

    httpx_mock.add_callback(answer, is_reusable=True)
    bulk, journal = open_job(tmp_path, ls_input(workers))
    report = run_job(bulk, journal, config=LS_CONFIG,  # type: ignore[arg-type]
                     options=BulkOptions(rates=FAST, concurrency=workers))
    assert report.counts == {"done": workers}
    assert len(names) == workers
    assert all(re.fullmatch(r"orderpatch-bulk_\d+", name) for name in names), names  # as log records show them
    journal.close()
