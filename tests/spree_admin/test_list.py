"""Reading and selecting: OrderFilter checked against Spree's whitelist, keyset pages (sort=id, q[id_gt])."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qsl

import pytest
from pytest_httpx import HTTPXMock

from orderpatch import ValidationError
from orderpatch.spree_admin import OrderFilter, OrderStatus
from orderpatch.spree_admin._list import build_list_request, filter_pairs, is_filter_name

from .conftest import ORDER, Client, resolve

BASE_ORDERS = "https://shop.test/api/v3/admin/orders"


def row(sqid: str) -> dict[str, Any]:
    return {**ORDER, "id": f"or_{sqid}"}


def pairs_of(url: object) -> list[tuple[str, str]]:
    return parse_qsl(str(url).partition("?")[2])


def test_typed_filters_become_ransack_conditions() -> None:
    when = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)
    pairs = filter_pairs(OrderFilter(number="R801110570", status=[OrderStatus.PLACED, OrderStatus.CANCELED],
                                     customer_id="cus_UkLWZg9DAJ", tags=["vip"], completed_gte=when,
                                     considered_risky=False, search="Jo", raw={"item_count_gt": "2"}))
    assert pairs == [
        ("q[number_eq]", "R801110570"), ("q[status_in][]", "placed"), ("q[status_in][]", "canceled"),
        ("q[user_id_eq]", "cus_UkLWZg9DAJ"), ("q[tags_name_in][]", "vip"), ("q[considered_risky_eq]", "false"),
        ("q[search]", "Jo"), ("q[completed_at_gteq]", "2026-07-01T00:00:00Z"), ("q[item_count_gt]", "2"),
    ]


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"raw": {"numbr_eq": "R1"}}, "OrderFilter.raw.numbr_eq"),          # misspelled: would match every order
    ({"raw": {"metadata_cont": "x"}}, "OrderFilter.raw.metadata_cont"),  # not ransackable
    ({"raw": {"id_gt": "or_UkLWZg9DAJ"}}, "OrderFilter.raw.id_gt"),      # the pager's cursor
    ({"number": " "}, "OrderFilter.number"),                             # blank: would match every order
    ({"customer_id": "42"}, "OrderFilter.customer_id"),
    ({"ids": ["R801110570"]}, "OrderFilter.ids"),
    ({"created_gte": dt.datetime(2026, 7, 1)}, "OrderFilter.created_gte"),  # naive
    ({"raw": {"email_eq": ["a", "b"]}}, "OrderFilter.raw.email_eq"),
])
def test_bad_filters_are_refused_before_any_request(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        OrderFilter(**kwargs)
    assert info.value.field is not None
    assert info.value.field.startswith(field.rsplit(".", 1)[0])


def test_whitelist() -> None:
    assert is_filter_name("ship_address_firstname_cont")
    assert is_filter_name("complete")
    assert not is_filter_name("private_metadata_cont")
    assert not is_filter_name("total_between")


def test_the_list_request_always_sorts_and_limits() -> None:
    call = build_list_request(__import__("httpx").URL("https://shop.test"), None, 100, None)
    assert pairs_of(call.request.url) == [("sort", "id"), ("limit", "100"), ("page", "1")]
    with pytest.raises(ValidationError, match="page_size"):
        build_list_request(__import__("httpx").URL("https://shop.test"), None, 101, None)
    with pytest.raises(ValidationError, match="cursor"):
        build_list_request(__import__("httpx").URL("https://shop.test"), None, 10, "R801110570")


async def test_list_walks_pages_by_keyset(httpx_mock: HTTPXMock, client: Client) -> None:
    httpx_mock.add_response(method="GET", json={"data": [row("AAAAAAAAA1"), row("AAAAAAAAA2")],
                                                "meta": {"count": 3, "next": 2}})
    httpx_mock.add_response(method="GET", json={"data": [row("AAAAAAAAA3")], "meta": {"count": 1, "next": None}})
    pager = client.orders.list(OrderFilter(status=OrderStatus.PLACED), page_size=2, expand="items")
    if hasattr(pager, "__aiter__"):
        ids = [order.id async for order in pager]
    else:
        ids = [order.id for order in pager]
    assert ids == ["or_AAAAAAAAA1", "or_AAAAAAAAA2", "or_AAAAAAAAA3"]
    first, second = (pairs_of(r.url) for r in httpx_mock.get_requests())
    assert ("q[status_eq]", "placed") in first
    assert ("sort", "id") in first
    assert ("expand", "items") in first
    assert ("q[id_gt]", "or_AAAAAAAAA2") in second


async def test_list_page(httpx_mock: HTTPXMock, client: Client) -> None:
    httpx_mock.add_response(method="GET", json={"data": [row("AAAAAAAAA1")], "meta": {"count": 7, "next": 2}},
                            headers={"X-RateLimit-Remaining": "299"})
    page = await resolve(client.orders.list_page(page_size=1, cursor="or_AAAAAAAAA0"))
    assert page.total_count == 7
    assert page.next_cursor == "or_AAAAAAAAA1"
    assert page.meta.rate_limit is not None
    assert ("q[id_gt]", "or_AAAAAAAAA0") in pairs_of(httpx_mock.get_requests()[0].url)


async def test_a_page_without_meta_next_ends_when_short(httpx_mock: HTTPXMock, client: Client) -> None:
    httpx_mock.add_response(method="GET", json={"data": [row("AAAAAAAAA1")]})
    page = await resolve(client.orders.list_page(page_size=5))
    assert page.next_cursor is None
    assert page.total_count is None
