"""The decisions of a bulk job, one by one, without the network: options, what an error leaves an
order in, how a resume sorts the rows a crash left, read-back verdicts, the error-rate stop,
Ctrl-C, progress and the keys. ``_JobCore`` makes every one of them for both runners.

These pin the behaviour a mutation run of ``orderpatch/bulk/_job.py`` changes (mutation/config.toml).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from orderpatch import Config, InMemoryRateLimiter, Rate, ValidationError
from orderpatch._constants import BULK_DEFAULT_CONCURRENCY, BULK_DEFAULT_MAX_ERROR_RATE, BULK_ERROR_RATE_MIN_ORDERS
from orderpatch._facade._registry import adapter_for
from orderpatch.bulk import BulkOptions, Journal, Progress, read_input
from orderpatch.bulk._job import (
    _IN_DOUBT,
    Outcome,
    _JobCore,
    _open,
    _rate_limited,
    classify_error,
    default_rate_limiter,
)
from orderpatch.bulk._plan import PlannedCall, derive_idempotency_key
from orderpatch.errors import APIError, ConnectionFailed, NotFound, OrderPatchError, ServerError, Timeout

LS = adapter_for("licensespring")
CL = adapter_for("commercelayer")
KEY = "h8ZTleS1.OyCHhCST5c8K9A6gjV9wA1HLxWpUVSFv"


def ls_text(count: int) -> str:
    return "".join(f'{{"id": {n}, "reference": "R{n}"}}\n' for n in range(1, count + 1))


def core_for(tmp_path: Path, text: str, *, adapter: object = LS, vendor: str = "licensespring",
             options: BulkOptions | None = None, prepare: object = None) -> tuple[_JobCore, Journal]:
    bulk = read_input("in.jsonl", adapter, text=text)  # type: ignore[arg-type]
    journal = Journal.open(tmp_path / "job.sqlite3", bulk, vendor=vendor)
    if callable(prepare):
        prepare(journal)
    return _JobCore(bulk, journal, adapter, options or BulkOptions()), journal  # type: ignore[arg-type]


def drain(core: _JobCore, phase: int) -> list[int]:
    core.start_phase(phase)
    lines = []
    while (item := core.next_item()) is not None:
        lines.append(item.line)
    return lines


def planned(idempotent: bool) -> PlannedCall:
    return PlannedCall(call=None, options={}, idempotent=idempotent, idempotency_key=None)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------- options


def test_the_defaults_come_from_the_constants() -> None:
    options = BulkOptions()
    assert (options.concurrency, options.max_error_rate) == (BULK_DEFAULT_CONCURRENCY, BULK_DEFAULT_MAX_ERROR_RATE)
    assert (options.rates, options.rate_limiter, options.on_progress) == (None, None, None)


@pytest.mark.parametrize("concurrency", [1, 64])
def test_concurrency_from_1_to_64(concurrency: int) -> None:
    assert BulkOptions(concurrency=concurrency).concurrency == concurrency


@pytest.mark.parametrize("concurrency", [0, 65, True, 2.0, "4"])
def test_concurrency_outside_is_refused(concurrency: object) -> None:
    with pytest.raises(ValidationError) as info:
        BulkOptions(concurrency=concurrency)  # type: ignore[arg-type]
    assert str(info.value) == f"concurrency: expected a whole number from 1 to 64, got {concurrency!r}"
    assert (info.value.field, info.value.expected) == ("concurrency", "int 1..64")


@pytest.mark.parametrize("rate", [0, 0.0, 1, 1.0, 0.5])
def test_an_error_rate_from_0_to_1(rate: float) -> None:
    assert BulkOptions(max_error_rate=rate).max_error_rate == rate


@pytest.mark.parametrize("rate", [-0.01, 1.01, True, "0.1", float("nan")])
def test_an_error_rate_outside_is_refused(rate: object) -> None:
    with pytest.raises(ValidationError) as info:
        BulkOptions(max_error_rate=rate)  # type: ignore[arg-type]
    assert str(info.value) == f"max_error_rate: expected a share from 0 to 1, got {rate!r}"
    assert (info.value.field, info.value.expected) == ("max_error_rate", "float 0..1")


def test_rates_or_a_limiter_not_both() -> None:
    rates = (Rate(limit=5, period=1),)
    limiter = InMemoryRateLimiter(rates, name="x")
    assert BulkOptions(rates=rates).rates == rates
    assert BulkOptions(rate_limiter=limiter).rate_limiter is limiter
    with pytest.raises(ValidationError) as info:
        BulkOptions(rates=rates, rate_limiter=limiter)
    assert (str(info.value), info.value.field) == ("give rates= or rate_limiter=, not both", "rates")


def test_the_budget_is_the_given_limiter_the_given_rates_or_the_vendors() -> None:
    config = Config.from_mapping({"vendor": "licensespring", "api_key": KEY})
    limiter = InMemoryRateLimiter([Rate(limit=5, period=1)], name="mine")
    assert _open(config, BulkOptions(rate_limiter=limiter))[2] is limiter
    _, adapter, own = _open(config, BulkOptions(rates=(Rate(limit=7, period=2),)))
    assert adapter.vendor == "licensespring"
    assert isinstance(own, InMemoryRateLimiter)
    assert (own.rates, own.name) == ((Rate(limit=7, period=2),), "licensespring")
    default = _open(config, BulkOptions())[2]
    assert isinstance(default, InMemoryRateLimiter)
    assert default.rates == default_rate_limiter("licensespring").rates
    assert default_rate_limiter("licensespring").name == "licensespring"


def test_the_rate_limited_count_is_reported_only_when_the_limiter_keeps_one() -> None:
    limiter = InMemoryRateLimiter([], name="x")
    limiter.rate_limited = 3
    assert _rate_limited(limiter) == 3

    class Counting:
        rate_limited = "many"

    assert _rate_limited(Counting()) is None  # type: ignore[arg-type]
    assert _rate_limited(object()) is None  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(("status", "idempotent", "state", "retryable"), [
    (200, False, "done", False), (299, False, "done", False), (300, False, "failed", False),
    (199, False, "failed", False), (428, True, "failed", False), (429, False, "failed", True),
    (430, True, "failed", False), (499, True, "failed", False), (500, True, "failed", True),
    (500, False, "unknown", False), (503, False, "unknown", False),
])
def test_what_an_api_error_leaves_an_order_in(status: int, idempotent: bool, state: str, retryable: bool) -> None:
    error = APIError("no", status=status, vendor="v", code="C", request_id="req-1")
    outcome = classify_error(error, planned(idempotent))
    assert (outcome.state, outcome.retryable) == (state, retryable)
    details = {"error": "APIError", "message": str(error), "status": status, "code": "C", "request_id": "req-1"}
    assert outcome.outcome == (details if state != "unknown" else {**details, "why": _IN_DOUBT})


def test_what_a_transport_error_leaves_an_order_in() -> None:
    error = Timeout("slow", vendor="v", method="PATCH", url="u")
    safe = classify_error(error, planned(True))
    assert (safe.state, safe.retryable, safe.outcome) == ("failed", True, {"error": "Timeout", "message": "slow"})
    doubt = classify_error(ConnectionFailed("reset", vendor="v", method="PATCH", url="u"), planned(False))
    assert (doubt.state, doubt.retryable) == ("unknown", False)
    assert doubt.outcome == {"error": "ConnectionFailed", "message": "reset", "why": _IN_DOUBT}


def test_any_other_error_fails_its_order_only() -> None:
    outcome = classify_error(ValidationError("bad"), planned(False))
    assert (outcome.state, outcome.retryable, outcome.outcome) == ("failed", False,
                                                                  {"error": "ValidationError", "message": "bad"})
    assert Outcome(state="done", outcome=None).retryable is False


# ---------------------------------------------------------------------------------------- resume


def test_a_resume_sorts_what_a_crash_left(tmp_path: Path) -> None:
    def crash(journal: Journal) -> None:
        journal.sending(1, idempotency_key=None, idempotent=True)     # safe to send again: first (still in doubt)
        journal.sending(2, idempotency_key=None, idempotent=False)    # cannot be read back: unknown
        journal.sending(3, idempotency_key="k", idempotent=True)
        journal.finish(3, "failed", {"error": "RateLimited"}, retryable=True)   # another try
        journal.sending(4, idempotency_key=None, idempotent=True)
        journal.finish(4, "failed", {"error": "NotFound"})                      # stays failed
        journal.finish(5, "done", {"id": 5})
        journal.sending(6, idempotency_key=None, idempotent=False)
        journal.sending(6, idempotency_key=None, idempotent=False)    # sent twice before the crash

    core, journal = core_for(tmp_path, ls_text(7), prepare=crash)
    rows = {row.line: row for row in journal.rows()}
    assert {line: row.state for line, row in rows.items()} == {
        1: "sending", 2: "unknown", 3: "pending", 4: "failed", 5: "done", 6: "unknown", 7: "pending"}
    why = f"{_IN_DOUBT}: this vendor's order cannot show whether it landed"  # the report says why
    assert rows[2].outcome == {"error": "InDoubt", "why": why, "attempts": 1}
    assert rows[6].outcome == {"error": "InDoubt", "why": why, "attempts": 2}
    assert core.to_read_back == []
    assert drain(core, 0) == [1]
    assert drain(core, 1) == [3, 7]  # the in-doubt one is not sent twice in one run
    progress = core.progress()
    assert (progress.total, progress.done, progress.failed, progress.unknown, progress.remaining) == (7, 1, 1, 2, 3)
    journal.close()


def test_nothing_in_doubt_leaves_the_journal_as_it_was(tmp_path: Path) -> None:
    core, journal = core_for(tmp_path, ls_text(2))
    assert drain(core, 0) == []
    assert drain(core, 1) == [1, 2]
    assert journal.counts() == {"pending": 2}
    journal.close()


def _archive_text(count: int) -> str:
    return "".join(f'{{"id": "Arch00000{n}", "native": {{"archive": true}}}}\n' for n in range(1, count + 1))


def _cl_order(archived: bool) -> object:
    from orderpatch.commercelayer._codec import parse_order
    from tests.commercelayer.conftest import order_body

    return parse_order(order_body(archived_at="2026-12-01T10:00:00.000Z" if archived else None))


def test_read_back_verdicts(tmp_path: Path) -> None:
    def crash(journal: Journal) -> None:
        for line in (1, 2, 3):
            journal.sending(line, idempotency_key=None, idempotent=False)

    core, journal = core_for(tmp_path, _archive_text(3), adapter=CL, vendor="commercelayer", prepare=crash)
    assert [item.line for item in core.to_read_back] == [1, 2, 3]
    assert core.progress().remaining == 3  # read back, then maybe sent
    first, second, third = core.to_read_back
    core.read_back(first, _cl_order(archived=True), None)
    core.read_back(second, _cl_order(archived=False), None)
    failure = ServerError("boom", status=500, vendor="commercelayer")
    core.read_back(third, None, failure)
    rows = {row.line: row for row in journal.rows()}
    assert (rows[1].state, rows[1].outcome) == ("done", {"read_back": "the change had already landed"})
    assert rows[2].state == "pending"  # it did not land: sent again, first
    assert (rows[3].state, rows[3].outcome) == (
        "unknown", {"error": "InDoubt", "why": f"{_IN_DOUBT}; reading the order back failed ({failure})"})
    assert drain(core, 0) == [2]
    journal.close()


def test_an_order_that_cannot_tell_stays_unknown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(journal: Journal) -> None:
        journal.sending(1, idempotency_key=None, idempotent=False)

    core, journal = core_for(tmp_path, _archive_text(1), adapter=CL, vendor="commercelayer", prepare=crash)
    monkeypatch.setattr("orderpatch.bulk._job.settled", lambda vendor, request, order, before=None: None)
    core.read_back(core.to_read_back[0], _cl_order(archived=True), None)
    (row,) = journal.rows()
    assert (row.state, row.outcome) == ("unknown", {"error": "InDoubt", "why": f"{_IN_DOUBT}; the order cannot tell"})
    assert core.progress().unknown == 1
    journal.close()


# ---------------------------------------------------------------------------------------- keys


def test_only_keyed_vendors_get_a_derived_key(tmp_path: Path) -> None:
    core, journal = core_for(tmp_path, ls_text(1))
    assert core.key_for(core.bulk.items[0]) is None
    journal.close()
    trunkery = adapter_for("trunkery")
    bulk = read_input("in.jsonl", trunkery, text='{"id": "or_EQzGqWoY", "email": "a@b.co"}\n')
    journal = Journal.open(tmp_path / "t.sqlite3", bulk, vendor="trunkery")
    core = _JobCore(bulk, journal, trunkery, BulkOptions())
    item = bulk.items[0]
    assert core.key_for(item) == derive_idempotency_key(journal.job_id, "or_EQzGqWoY", item.change)
    journal.close()


# ---------------------------------------------------------------------------------------- stopping


def reason(core: _JobCore) -> str | None:
    """The stop reason as it is now (a function, so that type narrowing does not outlive a call)."""
    return core.stop_reason


def _fail(core: _JobCore, count: int, state: str = "failed") -> None:
    items = iter(core.bulk.items[core.progress().done + core.progress().failed + core.progress().unknown:])
    for _ in range(count):
        core.record(next(items), Outcome(state=state, outcome={"error": "x"}))  # type: ignore[arg-type]


def test_the_error_rate_stops_only_after_enough_orders(tmp_path: Path) -> None:
    core, journal = core_for(tmp_path, ls_text(40), options=BulkOptions(max_error_rate=0.1))
    _fail(core, BULK_ERROR_RATE_MIN_ORDERS - 1)
    assert reason(core) is None  # 19 of 19 failed, but that is too few to judge
    _fail(core, 1, "unknown")
    assert reason(core) == (f"stopped: {BULK_ERROR_RATE_MIN_ORDERS} of {BULK_ERROR_RATE_MIN_ORDERS} orders "
                                "failed or are unknown (100%, more than --max-error-rate 10%)")
    assert core.next_item() is None
    journal.close()


def test_exactly_the_error_rate_does_not_stop(tmp_path: Path) -> None:
    core, journal = core_for(tmp_path, ls_text(40), options=BulkOptions(max_error_rate=0.25))
    _fail(core, 15, "done")
    _fail(core, 5)
    assert reason(core) is None  # 5 of 20 is 25%: not more than the limit
    _fail(core, 1)
    assert reason(core) == ("stopped: 6 of 21 orders failed or are unknown (29%, more than --max-error-rate 25%)")
    journal.close()


def test_a_zero_error_rate_stops_at_the_first_failure_after_the_minimum(tmp_path: Path) -> None:
    core, journal = core_for(tmp_path, ls_text(30), options=BulkOptions(max_error_rate=0))
    _fail(core, BULK_ERROR_RATE_MIN_ORDERS, "done")
    assert reason(core) is None
    _fail(core, 1, "skipped")
    assert reason(core) is None  # a skipped order is no failure
    _fail(core, 1)
    stopped = reason(core)
    assert stopped is not None
    assert stopped.startswith(f"stopped: 1 of {BULK_ERROR_RATE_MIN_ORDERS + 2} orders")
    journal.close()


def test_only_this_runs_orders_count_for_the_error_rate(tmp_path: Path) -> None:
    def earlier(journal: Journal) -> None:
        for line in range(1, 31):
            journal.finish(line, "failed", {"error": "x"})

    core, journal = core_for(tmp_path, ls_text(60), options=BulkOptions(max_error_rate=0.5), prepare=earlier)
    _fail(core, BULK_ERROR_RATE_MIN_ORDERS, "done")
    assert reason(core) is None
    assert core.progress().failed == 30
    journal.close()


def test_ctrl_c_stops_taking_orders_and_keeps_the_first_reason(tmp_path: Path) -> None:
    core, journal = core_for(tmp_path, ls_text(3))
    core.start_phase(1)
    assert core.next_item() is not None
    core.interrupt()
    assert core.interrupted is True
    assert core.stop_reason == "interrupted: no new orders were started; the ones in flight finished"
    assert core.next_item() is None
    journal.close()
    other, journal = core_for(tmp_path / "b", ls_text(1))
    other.stop_reason = "stopped: earlier"
    other.interrupt()
    assert (other.interrupted, other.stop_reason) == (True, "stopped: earlier")
    journal.close()


# ---------------------------------------------------------------------------------------- progress


def test_progress_counts_this_run_and_estimates_the_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Progress] = []
    core, journal = core_for(tmp_path, ls_text(5), options=BulkOptions(on_progress=seen.append))
    core.started = 100.0
    monkeypatch.setattr("orderpatch.bulk._job.time.monotonic", lambda: 104.0)
    first = core.progress()
    assert (first.total, first.remaining, first.rate, first.eta, first.elapsed) == (5, 5, 0.0, None, 4.0)
    items = core.bulk.items
    core.record(items[0], Outcome(state="done", outcome={}))
    core.record(items[1], Outcome(state="failed", outcome={}, retryable=True))
    assert len(seen) == 2
    last = seen[-1]
    assert (last.done, last.failed, last.skipped, last.unknown, last.remaining) == (1, 1, 0, 0, 3)
    assert last.rate == pytest.approx(0.5)
    assert last.eta == pytest.approx(6.0)
    assert journal.rows()[1].retryable is True
    monkeypatch.setattr("orderpatch.bulk._job.time.monotonic", lambda: 100.0)
    assert core.progress().rate == 0.0  # no time has passed: no speed yet
    journal.close()


def test_a_success_is_recorded_as_the_orders_summary(tmp_path: Path) -> None:
    from orderpatch.licensespring._codec import parse_order

    core, journal = core_for(tmp_path, ls_text(1))
    order = parse_order({"id": 1, "store_id": "R1", "metadata": {}, "license_users": [],
                         "updated_at": "2026-12-01T10:00:00Z"})
    outcome = core.succeeded(order)
    normalized = LS.normalize(order)
    assert outcome.state == "done"
    assert outcome.outcome == {"id": normalized.id, "number": normalized.number, "status": normalized.status,
                               "updated_at": None if normalized.updated_at is None
                               else normalized.updated_at.isoformat()}
    journal.close()


def test_a_success_without_an_update_time_records_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import attrs

    core, journal = core_for(tmp_path, ls_text(1))
    real = LS.normalize

    def normalize(order: object) -> object:
        return attrs.evolve(real(order), updated_at=None)

    stamped = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(LS, "normalize", lambda order: attrs.evolve(real(order), updated_at=stamped))
    from orderpatch.licensespring._codec import parse_order

    order = parse_order({"id": 1, "store_id": "R1", "metadata": {}, "license_users": []})
    summary = core.succeeded(order).outcome
    assert isinstance(summary, dict)
    assert summary["updated_at"] == "2026-12-01T10:00:00+00:00"
    monkeypatch.setattr(LS, "normalize", normalize)
    summary = core.succeeded(order).outcome
    assert isinstance(summary, dict)
    assert summary["updated_at"] is None
    journal.close()


def test_an_error_outcome_names_the_error_class() -> None:
    class VendorDown(OrderPatchError):
        pass

    outcome = classify_error(VendorDown("down"), planned(True))
    assert outcome.outcome == {"error": "VendorDown", "message": "down"}
    not_found = classify_error(NotFound("gone", status=404, vendor="v"), planned(True))
    assert not_found.outcome == {"error": "NotFound", "message": str(NotFound("gone", status=404, vendor="v")),
                                 "status": 404, "code": None, "request_id": None}


# ---------------------------------------------------------------------------------------- before a phase


def test_nothing_is_handed_out_before_a_phase_starts(tmp_path: Path) -> None:
    core, journal = core_for(tmp_path, ls_text(2))
    assert core.next_item() is None  # the queues exist, but neither phase has started
    assert (core.interrupted, core.stop_reason) == (False, None)
    assert drain(core, 1) == [1, 2]
    journal.close()


# ---------------------------------------------------------------------------------------- already held


def _ls_order(reference: str, updated_at: str | None) -> object:
    from orderpatch.licensespring._codec import parse_order

    body: dict[str, object] = {"id": 1, "store_id": reference, "metadata": {}, "license_users": []}
    if updated_at is not None:
        body["updated_at"] = updated_at
    return parse_order(body)  # type: ignore[arg-type]


def test_an_order_that_already_holds_its_change_is_skipped_with_its_update_time(tmp_path: Path) -> None:
    def crash(journal: Journal) -> None:
        journal.sending(2, idempotency_key=None, idempotent=True)  # in doubt: a hold means it landed

    core, journal = core_for(tmp_path, ls_text(3), options=BulkOptions(skip_unchanged=True), prepare=crash)
    first, second, third = core.bulk.items
    assert core.already_held(first, _ls_order("R1", "2026-12-01T10:00:00Z")) is True
    assert core.already_held(second, _ls_order("R2", "2026-12-01T11:30:00Z")) is True
    assert core.already_held(third, _ls_order("other", "2026-12-01T10:00:00Z")) is False  # the write goes ahead
    rows = {row.line: row for row in journal.rows()}
    assert (rows[1].state, rows[1].outcome) == (
        "skipped", {"skipped": "already had the change", "updated_at": "2026-12-01T10:00:00+00:00"})
    assert (rows[2].state, rows[2].outcome) == (
        "done", {"read_back": "the change had already landed", "updated_at": "2026-12-01T11:30:00+00:00"})
    assert rows[3].state == "pending"
    progress = core.progress()
    assert (progress.skipped, progress.done, progress.remaining) == (1, 1, 1)
    journal.close()


def test_a_held_change_without_an_update_time_records_none(tmp_path: Path) -> None:
    core, journal = core_for(tmp_path, ls_text(1), options=BulkOptions(skip_unchanged=True))
    assert core.already_held(core.bulk.items[0], _ls_order("R1", None)) is True
    (row,) = journal.rows()
    assert (row.state, row.outcome) == ("skipped", {"skipped": "already had the change", "updated_at": None})
    journal.close()


# ---------------------------------------------------------------------------------------- timing


def test_the_rate_counts_from_the_first_instant(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    core, journal = core_for(tmp_path, ls_text(4))
    core.started = 100.0
    monkeypatch.setattr("orderpatch.bulk._job.time.monotonic", lambda: 100.5)
    core.record(core.bulk.items[0], Outcome(state="done", outcome={}))
    progress = core.progress()
    assert progress.rate == pytest.approx(2.0)  # one order in half a second, under a second in
    assert progress.eta == pytest.approx(1.5)
    journal.close()


def test_the_report_says_how_long_the_run_took(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    core, journal = core_for(tmp_path, ls_text(1))
    core.started = 1000.0
    monkeypatch.setattr("orderpatch.bulk._job.time.monotonic", lambda: 1012.5)
    report = core.report(rate_limited=None)
    assert report.elapsed == pytest.approx(12.5)
    journal.close()


# ---------------------------------------------------------------------------------------- budget


def test_a_budget_the_configuration_shares_comes_before_the_jobs_own() -> None:
    from orderpatch._ratelimit_redis import RedisRateLimiter
    from orderpatch.bulk._job import job_rate_limiter

    shared = InMemoryRateLimiter([Rate(limit=3, period=1)], name="shared")
    config = Config.from_mapping({"vendor": "licensespring", "api_key": KEY}).with_rate_limiter(shared)
    assert job_rate_limiter(config, BulkOptions()) is shared
    given = InMemoryRateLimiter([Rate(limit=5, period=1)], name="given")
    assert job_rate_limiter(config, BulkOptions(rate_limiter=given)) is given  # the job's own option wins
    # A Redis budget: built with the job's rates (nothing connects before the first request).
    redis_config = Config.from_mapping({"vendor": "licensespring", "api_key": KEY,
                                        "rate_limit_url": "redis://127.0.0.1:9/0"})
    limiter = job_rate_limiter(redis_config, BulkOptions(rates=(Rate(limit=7, period=2),)))
    assert isinstance(limiter, RedisRateLimiter)
    assert (limiter.rates, limiter.name) == ((Rate(limit=7, period=2),), "licensespring")
    assert job_rate_limiter(redis_config, BulkOptions(rate_limiter=given)) is given


def test_without_a_configuration_the_job_loads_it_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ORDERPATCH_CONFIG", raising=False)
    monkeypatch.setenv("ORDERPATCH_VENDOR", "licensespring")
    monkeypatch.setenv("ORDERPATCH_LICENSESPRING_API_KEY", KEY)
    config, adapter, limiter = _open(None, BulkOptions())
    assert (config.vendor, adapter.vendor) == ("licensespring", "licensespring")
    assert isinstance(limiter, InMemoryRateLimiter)
    assert limiter.rates == default_rate_limiter("licensespring").rates
