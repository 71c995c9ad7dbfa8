"""A bulk job run as task-queue tasks (``BulkTasks``) over pytest-httpx: each delivery claims its
row, a second delivery of a finished order sends nothing, a delivery that died after sending is
settled by the vendor's guarantee (its key, or reading the order back), never sent blind."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import httpx
import pytest
from pytest_httpx import HTTPXMock

from orderpatch import Config, InMemoryRateLimiter, Rate, ValidationError
from orderpatch.bulk import BulkTasks, Journal, TaskBusy
from orderpatch.bulk._plan import derive_idempotency_key
from orderpatch.errors import ConfigurationError
from tests.commercelayer.conftest import BASE, order_body
from tests.trunkery._fixtures import SHOP_ID, TOKEN, order_payload

TRUNKERY = Config.from_mapping({"vendor": "trunkery", "token": TOKEN, "shop_id": SHOP_ID, "max_retries": 0})
CL = Config.from_mapping({"vendor": "commercelayer", "base_url": BASE, "access_token": "tok-1"})
FAST = (Rate(limit=10_000, period=1),)
T_IDS = ("or_EQzGqWoY", "or_EQzGqWoZ")
CL_IDS = ("Arch000001", "Arch000002", "Arch000003")


def job(tmp_path: Path, config: Config, rows: list[dict[str, object]], *, lease: float = 60.0) -> BulkTasks:
    source = tmp_path / "job.jsonl"
    if not source.exists():
        source.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return BulkTasks.open(source, tmp_path / "job.sqlite3", config=config, rates=FAST, lease=lease)


def trunkery_job(tmp_path: Path, **options: float) -> BulkTasks:
    return job(tmp_path, TRUNKERY, [{"id": oid, "email": f"{n}@b.co"} for n, oid in enumerate(T_IDS)], **options)


def archive_job(tmp_path: Path, **options: float) -> BulkTasks:
    return job(tmp_path, CL, [{"id": oid, "native": {"archive": True}} for oid in CL_IDS], **options)


def died_after_sending(tasks: BulkTasks, line: int) -> None:
    """A delivery claimed ``line`` and its worker was killed before the journal heard the answer."""
    planned = tasks._plan(tasks.bulk.items[line - 1])
    assert tasks.journal.claim(line, idempotency_key=planned.idempotency_key, idempotent=planned.idempotent,
                               lease=0) is not None


def test_each_order_is_sent_once_and_a_second_delivery_sends_nothing(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    httpx_mock.add_callback(lambda request: httpx.Response(200, json=[order_payload()]), is_reusable=True)
    with trunkery_job(tmp_path) as tasks:
        assert tasks.pending_lines() == [1, 2]
        first = tasks.run(1)
        assert (first.state, first.sent, first.retry, first.why) == ("done", True, False, "sent")
        again = tasks.run(1)
        assert (again.state, again.sent, again.why) == ("done", False, "already final")
        (request,) = httpx_mock.get_requests()
        expected = derive_idempotency_key(tasks.journal.job_id, T_IDS[0], tasks.bulk.items[0].change)
        assert request.headers["Idempotency-Key"] == expected
        assert tasks.pending_lines() == [2]
        assert tasks.journal.rows()[0].attempts == 1  # the duplicate did not count as an attempt
        assert "trunkery" in repr(tasks)


def test_a_delivery_killed_after_sending_is_re_sent_with_the_same_key_and_bytes(
    httpx_mock: HTTPXMock, tmp_path: Path
) -> None:
    httpx_mock.add_callback(lambda request: httpx.Response(200, json=[order_payload()]), is_reusable=True)
    with trunkery_job(tmp_path) as reference:
        reference.run(2)  # how line 2 goes out the first time
    (tmp_path / "job.sqlite3").unlink()
    with trunkery_job(tmp_path, lease=0) as tasks:
        died_after_sending(tasks, 2)
        result = tasks.run(2)
        assert (result.state, result.sent, result.why) == ("done", True, "re-sent with its key")
        row = tasks.journal.rows()[1]
        assert row.attempts == 2
        first, resent = httpx_mock.get_requests()
        assert resent.headers["Idempotency-Key"] == row.idempotency_key
        assert resent.content == first.content  # the same bytes (the key differs: another job)


def test_a_sending_row_younger_than_the_lease_is_left_to_its_delivery(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    with trunkery_job(tmp_path, lease=60) as tasks:
        died_after_sending(tasks, 1)  # ... or it is still on its way in another worker
        with pytest.raises(TaskBusy, match="retry after 60 s"):
            tasks.run(1)
    assert httpx_mock.get_requests() == []


def test_a_retryable_failure_goes_back_to_pending_for_the_queue(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    httpx_mock.add_response(method="POST", status_code=503, json={"error": "busy"})
    httpx_mock.add_response(method="POST", json=[order_payload()])
    with trunkery_job(tmp_path) as tasks:
        failed = tasks.run(1)
        assert (failed.state, failed.sent, failed.retry) == ("pending", True, True)
        assert tasks.journal.rows()[0].state == "pending"
        assert tasks.run(1).state == "done"  # the queue's retry
        keys = {request.headers["Idempotency-Key"] for request in httpx_mock.get_requests()}
        assert len(keys) == 1


def test_a_non_idempotent_trigger_in_doubt_is_read_back(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        order_id = request.url.path.rsplit("/", 1)[-1]
        if request.method == "GET":
            if order_id == CL_IDS[0]:  # it landed before the worker died
                return httpx.Response(200, json=order_body(order_id, archived_at="2026-12-01T10:00:00.000Z"))
            if order_id == CL_IDS[1]:  # it never arrived
                return httpx.Response(200, json=order_body(order_id, archived_at=None))
            return httpx.Response(404, json={"errors": [{"title": "Record not found", "code": "RECORD_NOT_FOUND",
                                                         "status": "404", "detail": "not found"}]})
        return httpx.Response(200, json=order_body(order_id, archived_at="2026-12-01T11:00:00.000Z"))

    httpx_mock.add_callback(answer, is_reusable=True)
    with archive_job(tmp_path, lease=0) as tasks:
        for line in (1, 2, 3):
            died_after_sending(tasks, line)
        results = [tasks.run(line) for line in (1, 2, 3)]
        assert [(r.state, r.sent, r.why) for r in results] == [
            ("done", False, "read back: landed"),
            ("done", True, "read back: not landed, sent"),
            ("unknown", False, "read back failed"),
        ]
        sent = [(r.method, r.url.path.rsplit("/", 1)[-1]) for r in httpx_mock.get_requests()]
        assert sent == [("GET", CL_IDS[0]), ("GET", CL_IDS[1]), ("PATCH", CL_IDS[1]), ("GET", CL_IDS[2])]
        assert tasks.journal.rows()[0].outcome == {"read_back": "the change had already landed"}


def test_a_change_that_leaves_no_trace_is_never_sent_blind(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    with job(tmp_path, CL, [{"id": CL_IDS[0], "native": {"refresh": True}}], lease=0) as tasks:
        died_after_sending(tasks, 1)
        result = tasks.run(1)
        assert (result.state, result.sent, result.why) == ("unknown", False, "in doubt")
        outcome = tasks.journal.rows()[0].outcome
        assert isinstance(outcome, dict)
        assert "check the order by hand" in str(outcome["why"])
    assert httpx_mock.get_requests() == []


def test_a_first_delivery_of_a_trigger_is_sent(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    httpx_mock.add_response(method="PATCH", json=order_body(CL_IDS[0], archived_at="2026-12-01T11:00:00.000Z"))
    with archive_job(tmp_path) as tasks:
        assert tasks.run(1).state == "done"
        (request,) = httpx_mock.get_requests()
        assert request.method == "PATCH"
        assert "Idempotency-Key" not in request.headers


def test_workers_on_one_journal_see_one_winner(tmp_path: Path) -> None:
    """Two workers (each its own connection, as in two processes) claim one row at once."""
    with trunkery_job(tmp_path) as first, trunkery_job(tmp_path) as second:
        start = threading.Barrier(2)
        claimed: list[object] = []

        def claim(tasks: BulkTasks) -> None:
            start.wait(5)
            claimed.append(tasks.journal.claim(1, idempotency_key="k", idempotent=True, lease=60))

        threads = [threading.Thread(target=claim, args=(each,)) for each in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert sorted(claimed, key=lambda row: row is None) == [claimed[0] or claimed[1], None]
        assert first.journal.rows()[0].state == "sending"


def test_bad_lines_and_settings_are_refused_naming_them(tmp_path: Path) -> None:
    with trunkery_job(tmp_path) as tasks:
        for line in (0, 3, True, "1"):
            with pytest.raises(ValidationError) as caught:
                tasks.run(line)  # type: ignore[arg-type]
            assert caught.value.field == "line"
        with pytest.raises(ConfigurationError, match="no order on line 9"):
            tasks.journal.claim(9, idempotency_key=None, idempotent=True, lease=0)
        assert tasks.journal.rows()[0].state == "pending"  # the failed claim changed nothing
    for lease in (-1, float("nan"), True):
        with pytest.raises(ValidationError) as refused:
            trunkery_job(tmp_path, lease=lease)
        assert refused.value.field == "lease"


def test_a_journal_of_another_job_is_refused(tmp_path: Path) -> None:
    trunkery_job(tmp_path).close()
    (tmp_path / "job.jsonl").write_text(json.dumps({"id": T_IDS[0], "email": "other@b.co"}) + "\n", "utf-8")
    with pytest.raises(ConfigurationError, match="belongs to another job"):
        trunkery_job(tmp_path)


def test_the_budget_is_the_one_given(tmp_path: Path) -> None:
    limiter = InMemoryRateLimiter([Rate(limit=5, period=1.0)], name="mine")
    source = tmp_path / "job.jsonl"
    source.write_text(json.dumps({"id": T_IDS[0], "email": "a@b.co"}) + "\n", "utf-8")
    with BulkTasks.open(source, tmp_path / "j.sqlite3", config=TRUNKERY, rate_limiter=limiter) as tasks:
        assert tasks.rate_limiter is limiter
        assert tasks.client.rate_limiter is limiter


def test_a_failed_claim_is_rolled_back(tmp_path: Path) -> None:
    """``Journal.claim`` rolls back when the row read fails (the database closed under it)."""
    with trunkery_job(tmp_path) as tasks:
        journal = Journal.open(tasks.journal.path, tasks.bulk, vendor="trunkery")
        journal._db.execute("DROP TABLE orders")
        with pytest.raises(Exception, match="no such table"):
            journal.claim(1, idempotency_key=None, idempotent=True, lease=0)
        journal.close()


def test_a_read_back_that_cannot_tell_leaves_the_order_unknown(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    """Two triggers, one of which shows and one not: neither "landed" nor "not landed"."""
    httpx_mock.add_response(method="GET", json=order_body(CL_IDS[0], archived_at="2026-12-01T10:00:00.000Z",
                                                          payment_status="authorized"))
    with job(tmp_path, CL, [{"id": CL_IDS[0], "native": {"archive": True, "capture": True}}], lease=0) as tasks:
        died_after_sending(tasks, 1)
        result = tasks.run(1)
        assert (result.state, result.sent, result.why) == ("unknown", False, "read back: cannot tell")
    assert [request.method for request in httpx_mock.get_requests()] == ["GET"]
