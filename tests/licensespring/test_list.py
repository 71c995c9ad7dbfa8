"""LicenseSpring reading: the nested ``retrieve``, offset ``list``/``list_page`` and the filter checks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from pytest_httpx import HTTPXMock

from orderpatch import DecodeError, ValidationError
from orderpatch._types import JSONValue
from orderpatch.licensespring import (
    AsyncLicenseSpringClient,
    Customer,
    LicenseSpringClient,
    Order,
    OrderDetail,
    OrderFilter,
)
from orderpatch.licensespring._list import FILTER_NAMES, filter_params, parse_order_page
from tests.conftest import shared_json
from tests.pagers import collect, page_of, resolve

KEY = "h8ZTleS1.OyCHhCST5c8K9A6gjV9wA1HLxWpUVSFv"
BASE = "https://saas.licensespring.com/api/v1/orders/"
ORDER_ID = 1629789747117569

Client = LicenseSpringClient | AsyncLicenseSpringClient


def detail(order_id: int = ORDER_ID, **fields: Any) -> dict[str, Any]:
    """A GET answer as the docs show it: ``customer`` nested, ``order_items`` with licenses."""
    return {
        "id": order_id, "created_at": "2021-08-24T07:22:27Z", "updated_at": "2021-11-23T07:04:07.441338Z",
        "store_id": f"store-{order_id}", "type": "normal", "is_test": False, "is_trial": False,
        "has_active_licenses": True, "company": 339, "metadata": {},
        "customer": {"id": 42, "email": "a@b.co", "first_name": "Ana", "total_orders": 3, "labels": [],
                     "company": 339, "since": "2020"},
        "order_items": [{"product_id": 7, "licenses": [{"id": 1, "customer": {"id": 42}}]}],
        **fields,
    }


def page(ids: list[int], *, count: int, next_offset: int | None) -> dict[str, Any]:
    nxt = None if next_offset is None else f"https://saas.licensespring.com/api/v1/orders/?limit=2&offset={next_offset}"
    return {"count": count, "next": nxt, "previous": None, "results": [detail(i) for i in ids]}


@pytest.fixture(params=["sync", "async"])
async def client(request: pytest.FixtureRequest) -> AsyncIterator[Client]:
    made: Client = (LicenseSpringClient if request.param == "sync" else AsyncLicenseSpringClient)(api_key=KEY)
    yield made
    await resolve(made.close())


def query(request: httpx.Request) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(str(request.url)).query))


async def test_retrieve_reads_the_nested_order_where_patch_has_an_int(client: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="GET", url=f"{BASE}{ORDER_ID}/", json=detail())
    order = await resolve(client.orders.retrieve(ORDER_ID))
    assert isinstance(order, OrderDetail)
    assert isinstance(order.customer, Customer)
    assert (order.customer.id, order.customer.email, order.customer.extra) == (42, "a@b.co", {"since": "2020"})
    assert order.order_items[0] == {"product_id": 7, "licenses": [{"id": 1, "customer": {"id": 42}}]}
    request = httpx_mock.get_requests()[0]
    assert request.headers["authorization"] == f"Api-Key {KEY}"
    # The PATCH answer (flat, customer an int) stays an Order: each endpoint as it really is.
    flat = shared_json("vendors", "licensespring", "examples", "update-order.response-200.json")
    from orderpatch.licensespring._codec import parse_order

    assert isinstance(parse_order(flat), Order)  # type: ignore[arg-type]


async def test_retrieve_refuses_a_customer_int_where_an_object_is_documented(
        client: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="GET", url=f"{BASE}{ORDER_ID}/", json=detail(customer=123))
    with pytest.raises(DecodeError):
        await resolve(client.orders.retrieve(ORDER_ID))


async def test_list_walks_offset_pages_oldest_first(client: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="GET", json=page([1, 2], count=3, next_offset=2))
    httpx_mock.add_response(method="GET", json=page([3], count=3, next_offset=None))
    orders = await collect(client.orders.list(OrderFilter(customer_email="a@b.co"), page_size=2))
    assert [o.id for o in orders] == [1, 2, 3]
    first, second = httpx_mock.get_requests()
    assert urlsplit(str(first.url)).path == "/api/v1/orders/"
    assert query(first) == {"customer__email": "a@b.co", "order_by": "created_at", "limit": "2", "offset": "0"}
    assert query(second)["offset"] == "2"


async def test_list_page_reports_count_and_the_next_offset(client: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="GET", json=page([5], count=9, next_offset=6))
    result = await page_of(client.orders.list_page(cursor="5", page_size=1))
    assert (result.total_count, result.next_cursor) == (9, "6")
    assert query(httpx_mock.get_requests()[0])["limit"] == "1"


async def test_a_store_id_selection_is_checked_row_by_row(client: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="GET", json=page([1, 2], count=2, next_offset=None))  # filter ignored
    with pytest.raises(DecodeError, match="not applied"):
        await collect(client.orders.list(OrderFilter(store_id="store-1")))


def test_next_without_an_offset_advances_by_the_rows_read() -> None:
    body: JSONValue = {"count": 5, "next": "https://x/api/v1/orders/?page=2", "results": [detail(1), detail(2)]}
    assert parse_order_page(body, offset=10).next_cursor == "12"
    assert parse_order_page({"results": []}, offset=0).next_cursor is None
    bads: list[JSONValue] = [{"results": {}}, {"results": [], "count": -1}, {"results": [detail()], "next": 3}]
    for bad in bads:
        with pytest.raises(ValueError):
            parse_order_page(bad, offset=0)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"raw": {"store_idd": "x"}}, "OrderFilter.raw.store_idd"),
    ({"raw": {"created_at__gte": "2026-01-01"}}, "OrderFilter.raw.created_at__gte"),  # licenses only
    ({"raw": {"limit": "5"}}, "OrderFilter.raw.limit"),
    ({"raw": {"store_id": ["a", "b"]}}, "OrderFilter.raw.store_id"),
    ({"store_id": " "}, "OrderFilter.store_id"),
    ({"customer_labels": []}, "OrderFilter.customer_labels"),
])
def test_unknown_or_blank_filters_are_refused_before_any_request(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        OrderFilter(**kwargs)
    assert info.value.field == field


async def test_bad_paging_input_is_refused(client: Client) -> None:
    with pytest.raises(ValidationError, match="page_size"):
        client.orders.list(page_size=101)
    with pytest.raises(ValidationError, match="cursor"):
        await resolve(client.orders.list_page(cursor="abc"))
    with pytest.raises(ValidationError, match="filter"):
        client.orders.list({"store_id": "x"})  # type: ignore[arg-type]


def test_every_typed_filter_maps_to_its_documented_name() -> None:
    params = filter_params(OrderFilter(
        store_id="s1", customer_email="a@b.co", customer_id=42, customer_company_name="Acme",
        customer_labels=["vip", "b2b"], is_archived=False, short_code="ab",
        raw={"store_id__startswith": "2026-", "customer__account__not": True, "customer_label__in": ["x"]},
    ))
    assert params == {
        "store_id": "s1", "customer__email": "a@b.co", "customer_company_name": "Acme", "short_code": "ab",
        "customer_id": "42", "customer_label__in": "x", "is_archived": "false", "store_id__startswith": "2026-",
        "customer__account__not": "true",
    }
    assert set(params) <= set(FILTER_NAMES)
    assert filter_params(None) == {}
