"""The pagers and the shared filter checks, without any vendor: pages come from a list of answers."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from orderpatch._base_client import RequestOptions
from orderpatch._filters import check_raw, wire_list, wire_text, wire_time
from orderpatch._pagination import AsyncPager, PageData, SyncPager, check_page_size
from orderpatch._response import ResponseMeta, report_meta
from orderpatch._spec import Call
from orderpatch.errors import ValidationError

PAGES = {None: PageData(items=(1, 2), total_count=3, next_cursor="2"), "2": PageData(items=(3,), total_count=1)}


def _build(cursor: str | None) -> Call[PageData[int]]:
    return Call(request=httpx.Request("GET", f"https://x.test/items?after={cursor}"),
                parse=lambda _: PAGES[cursor], idempotent=True)


def _meta() -> ResponseMeta:
    response = httpx.Response(200)
    return ResponseMeta(status_code=200, headers=response.headers, request_id=None, retries_taken=0, elapsed=0.0,
                        idempotency_key=None, http_response=response)


def _send(call: Call[PageData[int]], options: RequestOptions) -> PageData[int]:
    report_meta(_meta)
    return call.parse(None)


async def _asend(call: Call[PageData[int]], options: RequestOptions) -> PageData[int]:
    return _send(call, options)


def test_a_sync_pager_is_an_iterator_over_every_item_and_its_pages() -> None:
    pager = SyncPager(_send, _build, {}, vendor="test")
    assert iter(pager) is pager
    assert list(pager) == [1, 2, 3]
    assert [p.items for p in SyncPager(_send, _build, {}, vendor="test").pages()] == [(1, 2), (3,)]
    assert repr(pager) == "SyncPager(vendor='test', cursor=None)"


async def test_an_async_pager_walks_the_same_pages_lazily() -> None:
    pager = AsyncPager(_asend, _build, {}, vendor="test", cursor="2")
    assert pager.__aiter__() is pager
    assert [item async for item in pager] == [3]
    assert [p.total_count async for p in AsyncPager(_asend, _build, {}, vendor="test").pages()] == [3, 1]


@pytest.mark.parametrize("value", [0, 11, True, 2.0, None])
def test_page_size_is_an_int_within_the_vendor_maximum(value: object) -> None:
    with pytest.raises(ValidationError, match="from 1 to 10"):
        check_page_size(value, maximum=10)
    assert check_page_size(10, maximum=10) == 10


def test_wire_values() -> None:
    assert wire_time(dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC), field="f") == "2026-05-01T12:00:00Z"
    assert wire_text(7, field="f") == "7"
    assert wire_list(["a", "b"], field="f") == ["a", "b"]
    for bad in (True, None, b"x"):
        with pytest.raises(ValidationError):
            wire_text(bad, field="f")
    with pytest.raises(ValidationError, match="separator"):
        wire_text("a,b", field="f", forbidden=",")
    with pytest.raises(ValidationError):
        wire_list("ab", field="f")


def test_raw_filters_are_checked_by_name_and_value() -> None:
    def known(key: str) -> bool:
        return key.startswith("ok")

    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert check_raw({"ok": "x", "ok2": ["a"], "ok3": at, "ok4": True}, owner="F", known=known, names=["ok"]) == {
        "ok": "x", "ok2": ["a"], "ok3": at, "ok4": True}
    with pytest.raises(ValidationError, match="did you mean 'ok'"):
        check_raw({"okk_x": "1", "o": "1"}, owner="F", known=lambda k: k == "okk_x", names=["ok"])
    with pytest.raises(ValidationError, match="filter names as text"):
        check_raw({1: "x"}, owner="F", known=known, names=["ok"])
    with pytest.raises(ValidationError, match="cursor"):
        check_raw({"ok": "x"}, owner="F", known=known, names=["ok"], reserved={"ok": "the cursor"})
    with pytest.raises(ValidationError):
        check_raw({"ok": []}, owner="F", known=known, names=["ok"])
