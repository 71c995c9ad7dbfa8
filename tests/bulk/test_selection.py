"""A selection as a job's input (``Selection``: a filter + one change), sync and async, against the sandbox.

The selection is checked before any request, listed through the job's own rate limiter, journalled
with the orders that already hold the change marked ``skipped`` (no write), and a resumed job works
on the journalled orders even when the filter would now list others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from orderpatch import (
    Config,
    ConfigurationError,
    InMemoryRateLimiter,
    OrderChanges,
    OrderFilter,
    Rate,
    UnsupportedFilter,
    ValidationError,
    update_order,
)
from orderpatch._facade._pool import SYNC_POOL
from orderpatch._facade._registry import adapter_for
from orderpatch.bulk import Journal, Selection, aupdate_orders, update_orders
from orderpatch.bulk._selection import prepare_selection
from orderpatch.commercelayer import OrderFilter as CommerceLayerFilter
from orderpatch.sandbox import Sandbox
from tests.bulk._sandbox_jobs import applied_writes

pytestmark = pytest.mark.loopback

FAST = (Rate(limit=10_000, period=1),)


@pytest.fixture(scope="module")
def running() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(running: Sandbox) -> Iterator[Sandbox]:
    running.reset()
    yield running
    SYNC_POOL.close()


def config(sandbox: Sandbox, vendor: str = "commercelayer") -> Config:
    return Config.from_mapping({"vendor": vendor, **sandbox.settings(vendor)})


class CountingLimiter(InMemoryRateLimiter):
    """The job's budget, counting what it was asked for."""

    def __init__(self) -> None:
        super().__init__(FAST, name="counting")
        self.acquired = 0

    def acquire(self, cost: int = 1, *, timeout: float | None = None) -> None:
        self.acquired += cost
        super().acquire(cost, timeout=timeout)

    async def aacquire(self, cost: int = 1, *, timeout: float | None = None) -> None:  # noqa: ASYNC109
        self.acquired += cost
        await super().aacquire(cost, timeout=timeout)


def test_a_selection_is_listed_through_the_jobs_budget_and_each_order_changed_once(
        sandbox: Sandbox, tmp_path: Path) -> None:
    ids = sandbox.add_orders("commercelayer", 30)
    cfg = config(sandbox)
    update_order(ids[0], OrderChanges(reference="SEL-1"), config=cfg)  # already holds the change
    before = len(sandbox.requests_log())
    limiter = CountingLimiter()
    report = update_orders(Selection(where=OrderFilter(ids=ids), changes=OrderChanges(reference="SEL-1")),
                           config=cfg, journal=tmp_path / "sel.sqlite3", rate_limiter=limiter, concurrency=4)
    assert report.counts == {"done": 29, "skipped": 1}
    assert report.exit_code == 0
    assert [row.order_id for row in report.rows] == ids  # listed oldest id first: lines follow the listing
    skipped = report.rows[0]
    assert skipped.state == "skipped"
    assert skipped.attempts == 0
    assert isinstance(skipped.outcome, dict)
    assert "already had the change" in str(skipped.outcome["skipped"])
    log = sandbox.requests_log()[before:]
    writes = applied_writes(sandbox, "commercelayer", "PATCH")
    assert writes[ids[0]] == 1  # only the update_order above: the job sent none
    assert {oid: writes[oid] for oid in ids[1:]} == dict.fromkeys(ids[1:], 1)
    reads = [r for r in log if r.method == "GET" and r.path.endswith("/api/orders")]
    assert reads  # the listing
    api_calls = [r for r in log if r.path.startswith("/commercelayer/api/")]
    assert limiter.acquired == len(api_calls)  # every read and write drew from the job's one budget
    assert "selection where" in report.source


def test_a_resumed_selection_works_on_the_journalled_orders(sandbox: Sandbox, tmp_path: Path) -> None:
    ids = sandbox.add_orders("commercelayer", 12)
    cfg = config(sandbox)
    selection = Selection(where=OrderFilter(status="draft"), changes=OrderChanges(reference="RES-1"))
    journal_path = tmp_path / "sel.sqlite3"
    # A first run lists and journals the selection, then "dies" after three orders.
    from orderpatch.bulk import open_selection

    bulk, journal, _, _ = open_selection(selection, config=cfg, journal=journal_path)
    listed = [item.order_id for item in bulk.items]
    assert set(ids) <= set(listed)
    for item in bulk.items[:3]:
        journal.finish(item.line, "done", {"id": item.order_id})
    journal.close()
    later = sandbox.add_orders("commercelayer", 5)  # the filter would now list these too
    before = len(sandbox.requests_log())
    report = update_orders(selection, config=cfg, journal=journal_path, rates=FAST)
    assert [row.order_id for row in report.rows] == listed
    assert report.counts == {"done": len(listed)}
    log = sandbox.requests_log()[before:]
    assert not [r for r in log if r.method == "GET" and r.path.endswith("/api/orders")]  # not listed again
    patched = {r.path.rsplit("/", 1)[-1] for r in log if r.method == "PATCH"}
    assert patched == set(listed[3:])
    assert not patched & set(later)
    # Another selection (or change) is refused on this journal, before anything is listed.
    before = len(sandbox.requests_log())
    with pytest.raises(ConfigurationError, match="belongs to another job"):
        update_orders(Selection(where=OrderFilter(status="draft"), changes=OrderChanges(reference="RES-2")),
                      config=cfg, journal=journal_path)
    assert len(sandbox.requests_log()) == before


def test_the_async_twin_and_a_limit(sandbox: Sandbox, tmp_path: Path) -> None:
    ids = sandbox.add_orders("spree", 8)
    cfg = config(sandbox, "spree")
    limiter = CountingLimiter()
    report = asyncio.run(aupdate_orders(
        Selection(where=OrderFilter(number=ids), changes=OrderChanges(email="sel@example.com"), limit=5),
        config=cfg, journal=tmp_path / "a.sqlite3", rate_limiter=limiter))
    assert report.counts == {"done": 5}
    assert limiter.acquired >= 6  # the listing's page and five writes
    patched = [r for r in sandbox.requests_log() if r.method == "PATCH" and r.status == 200]
    assert len(patched) == 5
    # Resumed: nothing is listed or sent again.
    before = len(sandbox.requests_log())
    again = asyncio.run(aupdate_orders(
        Selection(where=OrderFilter(number=ids), changes=OrderChanges(email="sel@example.com"), limit=5),
        config=cfg, journal=tmp_path / "a.sqlite3", rates=FAST))
    assert again.counts == {"done": 5}
    assert len(sandbox.requests_log()) == before


def test_an_empty_selection_is_a_finished_job(sandbox: Sandbox, tmp_path: Path) -> None:
    report = update_orders(Selection(where=OrderFilter(reference="no-such-reference"),
                                     changes=OrderChanges(reference="X")),
                           config=config(sandbox), journal=tmp_path / "e.sqlite3", rates=FAST)
    assert report.rows == ()
    assert report.exit_code == 0


def test_a_bad_selection_is_refused_before_any_request(sandbox: Sandbox, tmp_path: Path) -> None:
    cfg = config(sandbox, "licensespring")
    adapter = adapter_for("licensespring")
    with pytest.raises(UnsupportedFilter):  # LicenseSpring cannot filter orders on their status
        update_orders(Selection(where=OrderFilter(status="paid"), changes=OrderChanges(reference="X")), config=cfg,
                      journal=tmp_path / "x.sqlite3")
    for bad, field in [
        (Selection(where=OrderFilter(), changes=OrderChanges(reference="X")), "Selection.where"),
        (Selection(where=None, changes=OrderChanges(reference="X")), "Selection.where"),
        (Selection(where=OrderFilter(reference="a"), changes=OrderChanges(reference="X"), limit=0), "Selection.limit"),
    ]:
        with pytest.raises(ValidationError) as caught:
            prepare_selection(bad, adapter)
        assert caught.value.field == field
    with pytest.raises(ValidationError, match="expected orderpatch.bulk.Selection"):
        prepare_selection(object(), adapter)
    with pytest.raises(ConfigurationError, match="another vendor"):
        prepare_selection(Selection(where=CommerceLayerFilter(reference="a"), changes=OrderChanges(reference="X")),
                          adapter)
    assert sandbox.requests_log() == []
    assert not (tmp_path / "x.sqlite3").exists()


def test_a_vendor_filter_and_a_native_change(sandbox: Sandbox, tmp_path: Path) -> None:
    from orderpatch.commercelayer import OrderUpdate

    ids = sandbox.add_orders("commercelayer", 3)
    report = update_orders(Selection(where=CommerceLayerFilter(ids=ids), changes=OrderUpdate(reference="NAT")),
                           config=config(sandbox), journal=tmp_path / "n.sqlite3", rates=FAST)
    assert report.counts == {"done": 3}
    journal = Journal.probe(tmp_path / "n.sqlite3")
    assert journal is not None
    assert journal["orders"] == "3"
