"""Trunkery reading: ``retrieve`` (``orders.json?ids=``), the ``last_key`` walk and the filter checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from pytest_httpx import HTTPXMock

from orderpatch import DecodeError, ValidationError
from orderpatch._types import JSONValue
from orderpatch.trunkery import AsyncTrunkeryClient, OrderFilter, OrderListType, TrunkeryClient
from orderpatch.trunkery._list import FILTER_NAMES, filter_params, parse_order_page
from tests.pagers import collect, page_of, resolve

from ._fixtures import ORDER_ID, SHOP_ID, order_payload
from ._helpers import BASE_URL, make_client

Client = TrunkeryClient | AsyncTrunkeryClient


@pytest.fixture
async def client(kind: str) -> AsyncIterator[Client]:
    made = make_client(kind)
    yield made
    await resolve(made.close())


def query(request: httpx.Request) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(str(request.url)).query))


def order_page(ids: list[str], *, count: int, last_key: str | None) -> dict[str, Any]:
    return {"count": count, "items": [order_payload(id=i) for i in ids], "last_key": last_key}


async def test_retrieve_reads_exactly_the_order_asked_for(client: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="GET", json=[order_payload()])
    order = await resolve(client.orders.retrieve(ORDER_ID))
    assert order.id == ORDER_ID  # type: ignore[attr-defined]
    request = httpx_mock.get_requests()[0]
    assert urlsplit(str(request.url)).path == "/orders.json"
    assert query(request) == {"ids": ORDER_ID, "shop_id": SHOP_ID}
    assert "idempotency-key" not in request.headers


async def test_retrieve_of_another_order_or_none_is_a_decode_error(client: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="GET", json=[order_payload(id="or_Other")])
    with pytest.raises(DecodeError, match="or_Other") as info:
        await resolve(client.orders.retrieve(ORDER_ID))
    assert "applied" not in str(info.value)
    httpx_mock.add_response(method="GET", json=[])
    with pytest.raises(DecodeError, match="exactly one"):
        await resolve(client.orders.retrieve(ORDER_ID))


async def test_retrieve_checks_ids_and_shop_before_any_request(kind: str, httpx_mock: HTTPXMock) -> None:
    client = make_client(kind, shop_id=None)
    for bad in ("", "or_A,or_B", "../x"):
        with pytest.raises(ValidationError):
            await resolve(client.orders.retrieve(bad, shop_id=SHOP_ID))
    with pytest.raises(ValidationError, match="shop_id"):
        await resolve(client.orders.retrieve(ORDER_ID))
    with pytest.raises(ValidationError, match="fields"):
        await resolve(client.orders.retrieve(ORDER_ID, shop_id=SHOP_ID, fields=["id"]))
    await resolve(client.close())


async def test_list_walks_by_last_key_sorted_by_creation(client: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="GET", json=order_page(["or_1", "or_2"], count=3, last_key="k2"))
    httpx_mock.add_response(method="GET", json=order_page(["or_3"], count=3, last_key="k3"))
    httpx_mock.add_response(method="GET", json=order_page([], count=3, last_key=None))
    since = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    orders = await collect(client.orders.list(OrderFilter(type=OrderListType.PAID, created_at_min=since),
                                              page_size=2))
    assert [o.id for o in orders] == ["or_1", "or_2", "or_3"]
    first, second, third = httpx_mock.get_requests()
    assert str(first.url).startswith(f"{BASE_URL}/orders/page.json?")
    assert query(first) == {"shop_id": SHOP_ID, "type": "paid", "created_at_min": "2026-01-01T00:00:00Z",
                            "sort_by": "created_at", "limit": "2"}
    assert (query(second)["last_key"], query(third)["last_key"]) == ("k2", "k3")


async def test_list_page_has_count_and_last_key(client: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="GET", json=order_page(["or_9"], count=12, last_key="k9"))
    page = await page_of(client.orders.list_page(cursor="k8", shop_id="sh_Other"))
    assert (page.total_count, page.next_cursor) == (12, "k9")
    assert query(httpx_mock.get_requests()[0])["shop_id"] == "sh_Other"
    assert query(httpx_mock.get_requests()[0])["limit"] == "100"


def test_a_page_of_orders_without_last_key_cannot_continue() -> None:
    with pytest.raises(ValueError, match="last_key"):
        parse_order_page(order_page(["or_1"], count=1, last_key=None))
    bads: list[JSONValue] = [{"items": {}}, {"items": [], "count": "1"}, {"items": [{"id": "or_1"}]}]
    for bad in bads:
        with pytest.raises(ValueError):
            parse_order_page(bad)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"raw": {"email": "a@b.co"}}, "OrderFilter.raw.email"),  # not filterable on ordersPage
    ({"raw": {"last_key": "k"}}, "OrderFilter.raw.last_key"),
    ({"type": "closed"}, "OrderFilter.type"),
    ({"customer_id": ""}, "OrderFilter.customer_id"),
    ({"paid_at_max": dt.datetime(2026, 1, 1)}, "OrderFilter.paid_at_max"),
])
def test_unknown_or_blank_filters_are_refused_before_any_request(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        OrderFilter(**kwargs)
    assert info.value.field == field


async def test_bad_paging_input_is_refused(client: Client) -> None:
    with pytest.raises(ValidationError, match="page_size"):
        client.orders.list(page_size=0)
    with pytest.raises(ValidationError, match="filter"):
        client.orders.list({"type": "paid"})  # type: ignore[arg-type]


def test_every_filter_is_sent_by_its_documented_name() -> None:
    at = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    params = filter_params(OrderFilter(
        type=OrderListType.OPEN, cart=False, created_at_min=at, created_at_max=at, updated_at_min=at,
        updated_at_max=at, paid_at_min=at, paid_at_max=at, customer_id="cu_1", sales_channel_id="sc_1",
        subscription_id="su_1", raw={"cart": True},
    ))
    assert set(params) == set(FILTER_NAMES)
    assert (params["cart"], params["type"], params["paid_at_max"]) == ("true", "open", "2026-03-01T12:00:00Z")
    assert filter_params(None) == {}
