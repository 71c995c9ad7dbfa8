"""Spree reading: ``list`` (keyset walk) and ``list_page``, and the filter checks, sync and async."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from pytest_httpx import HTTPXMock

from orderpatch import DecodeError, ValidationError
from orderpatch.spree import OrderFilter, OrderState, PaymentState, ShipmentState
from orderpatch.spree._list import filter_params, is_filter_name, parse_order_page
from tests.pagers import collect, page_of

from .conftest import Client


def _order(order_id: str) -> dict[str, Any]:
    return {"id": order_id, "type": "order", "attributes": {"number": f"R{order_id:0>9}", "state": "complete"},
            "relationships": {}}


def list_doc(ids: list[str], *, total: int, pages: int) -> dict[str, Any]:
    link = "https://shop.test/spree/api/v2/platform/orders?page=1"
    return {"data": [_order(i) for i in ids], "meta": {"count": len(ids), "total_count": total, "total_pages": pages},
            "links": {"self": link, "next": link, "prev": link, "last": link, "first": link}}


def pairs(request: httpx.Request) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(str(request.url)).query)


async def test_list_walks_by_keyset_until_the_request_fits_one_page(client: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="GET", json=list_doc(["1", "2"], total=3, pages=2))
    httpx_mock.add_response(method="GET", json=list_doc(["3"], total=1, pages=1))
    orders = await collect(client.orders.list(OrderFilter(state=OrderState.COMPLETE, number=["R1", "R2"]),
                                              page_size=2))
    assert [o.id for o in orders] == ["1", "2", "3"]
    first, second = httpx_mock.get_requests()
    assert urlsplit(str(first.url)).path == "/spree/api/v2/platform/orders"
    assert pairs(first) == [("filter[number_in][]", "R1"), ("filter[number_in][]", "R2"),
                            ("filter[state_eq]", "complete"), ("sort", "id"), ("per_page", "2")]
    assert pairs(second) == [*pairs(first)[:3], ("filter[id_gt]", "2"), ("sort", "id"), ("per_page", "2")]
    assert first.headers["authorization"] == "Bearer tok-static"


async def test_links_next_is_ignored_it_is_never_null_in_spree(client: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="GET", json=list_doc(["5"], total=1, pages=1))
    assert len(await collect(client.orders.list())) == 1
    assert dict(pairs(httpx_mock.get_requests()[0]))["per_page"] == "500"


async def test_list_page_has_the_total_and_the_cursor(client: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="GET", json=list_doc(["8", "9"], total=40, pages=20))
    page = await page_of(client.orders.list_page(page_size=2, cursor="7", include=["line_items"]))
    assert (page.total_count, page.next_cursor) == (40, "9")
    query = dict(pairs(httpx_mock.get_requests()[0]))
    assert (query["filter[id_gt]"], query["include"]) == ("7", "line_items")


async def test_an_empty_page_ends_the_walk(client: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="GET", json=list_doc([], total=0, pages=0))
    assert await collect(client.orders.list()) == []


def test_without_meta_a_full_page_means_more() -> None:
    assert parse_order_page({"data": [_order("1")]}, page_size=1).next_cursor == "1"
    assert parse_order_page({"data": [_order("1")]}, page_size=2).next_cursor is None
    with pytest.raises(ValueError, match="total_pages"):
        parse_order_page({"data": [], "meta": {"total_pages": "2"}}, page_size=2)
    with pytest.raises(ValueError, match="'data' array"):
        parse_order_page({"data": {}}, page_size=2)


async def test_a_wrong_body_is_a_decode_error(client: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="GET", json={"data": "nope"})
    with pytest.raises(DecodeError):
        await collect(client.orders.list())


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"raw": {"stat_eq": "complete"}}, "OrderFilter.raw.stat_eq"),
    ({"raw": {"approved_at_null": True}}, "OrderFilter.raw.approved_at_null"),  # not whitelisted
    ({"raw": {"id_gt": "5"}}, "OrderFilter.raw.id_gt"),
    ({"raw": {"state_eq": ""}}, "OrderFilter.raw.state_eq"),
    ({"raw": {"state_eq": ["a"]}}, "OrderFilter.raw.state_eq"),
    ({"email": ""}, "OrderFilter.email"),
    ({"state": "completed"}, "OrderFilter.state"),
    ({"created_gte": dt.datetime(2026, 1, 1)}, "OrderFilter.created_gte"),
])
def test_unknown_blank_or_wrong_filters_are_refused_before_any_request(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        OrderFilter(**kwargs)
    assert info.value.field == field


async def test_page_size_is_at_most_500(client: Client) -> None:
    with pytest.raises(ValidationError, match="page_size"):
        client.orders.list(page_size=501)
    with pytest.raises(ValidationError, match="filter"):
        client.orders.list({"state_eq": "complete"})  # type: ignore[arg-type]


def test_every_typed_filter_maps_to_its_ransack_condition() -> None:
    at = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    params = filter_params(OrderFilter(
        ids=[1, 2], number="R1", state=[OrderState.COMPLETE, OrderState.CANCELED], payment_state=PaymentState.PAID,
        shipment_state=ShipmentState.READY, email="a@b.co", created_gte=at, created_lt=at, updated_gte=at,
        updated_lt=at, completed_gte=at, completed_lt=at,
        raw={"user_id_eq": "7", "multi_search": "R1", "considered_risky_true": True, "total_gteq": 10,
             "completed_at_lt": at},
    ))
    t = "2026-02-01T00:00:00Z"
    assert params == [
        ("filter[id_in][]", "1"), ("filter[id_in][]", "2"), ("filter[number_eq]", "R1"),
        ("filter[state_in][]", "complete"), ("filter[state_in][]", "canceled"), ("filter[payment_state_eq]", "paid"),
        ("filter[shipment_state_eq]", "ready"), ("filter[email_eq]", "a@b.co"), ("filter[created_at_gteq]", t),
        ("filter[created_at_lt]", t), ("filter[updated_at_gteq]", t), ("filter[updated_at_lt]", t),
        ("filter[completed_at_gteq]", t), ("filter[completed_at_lt]", t), ("filter[user_id_eq]", "7"),
        ("filter[multi_search]", "R1"), ("filter[considered_risky_true]", "true"), ("filter[total_gteq]", "10"),
        ("filter[completed_at_lt]", t),
    ]
    assert filter_params(None) == []


@pytest.mark.parametrize(("key", "known"), [
    ("state_eq", True), ("user_id_eq", True), ("multi_search", True), ("bill_address_firstname_cont", True),
    ("email_or_number_cont", True), ("stat_eq", False), ("approved_at_null", False), ("metadata_eq", False),
])
def test_filter_names_come_from_the_ransack_whitelist(key: str, known: bool) -> None:
    assert is_filter_name(key) is known
