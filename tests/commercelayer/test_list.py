"""Reading: ``retrieve``, ``list`` (keyset walk) and ``list_page``, on the sync and the async client."""

from __future__ import annotations

import datetime as dt
import inspect
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from pytest_httpx import HTTPXMock

from orderpatch import DecodeError, RateLimited, ValidationError
from orderpatch._types import JSONValue
from orderpatch.commercelayer import (
    AsyncCommerceLayerClient,
    CommerceLayerClient,
    FulfillmentStatus,
    Order,
    OrderFilter,
    OrderStatus,
    Page,
    PaymentStatus,
)
from orderpatch.commercelayer._list import filter_params, is_filter_name
from tests.conftest import SleepRecorder

from .conftest import BASE, JSONAPI, ORDER_ID, ORDER_URL, Api, Client, add_token, order_body

LIST_URL = f"{BASE}/api/orders"


def _resource(order_id: str) -> dict[str, JSONValue]:
    data = order_body(order_id)["data"]
    assert isinstance(data, dict)
    return data


def list_body(ids: list[str], *, total: int, more: bool) -> dict[str, JSONValue]:
    links: dict[str, JSONValue] = {"first": f"{LIST_URL}?page[number]=1", "last": f"{LIST_URL}?page[number]=9"}
    if more:
        links["next"] = f"{LIST_URL}?page[number]=2"
    return {"data": [_resource(i) for i in ids], "meta": {"record_count": total, "page_count": 2 if more else 1},
            "links": links}


def query(request: httpx.Request) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(str(request.url)).query))


async def walk(client: Client, order_filter: OrderFilter | None = None, **kwargs: object) -> list[Order]:
    pager = client.orders.list(order_filter, **kwargs)  # type: ignore[arg-type]
    if isinstance(client, AsyncCommerceLayerClient):
        return [order async for order in pager]  # type: ignore[union-attr]
    return list(pager)  # type: ignore[arg-type]


async def one_page(client: Client, *args: object, **kwargs: object) -> Page[Order]:
    result = client.orders.list_page(*args, **kwargs)  # type: ignore[arg-type]
    if inspect.isawaitable(result):
        result = await result
    assert isinstance(result, Page)
    return result


# -- retrieve ----------------------------------------------------------------------------------

async def test_retrieve_gets_the_order_with_include_and_fields(api: Api, httpx_mock: HTTPXMock) -> None:
    add_token(httpx_mock)
    httpx_mock.add_response(method="GET", url=f"{ORDER_URL}?include=tags&fields%5Borders%5D=status%2Cnumber",
                            json=order_body(status="placed", number="1001"), headers={"content-type": JSONAPI})
    order = await api.call(api.client(), "retrieve", ORDER_ID, include=["tags"],
                           fields={"orders": ["status", "number"]})
    assert (order.id, order.status, order.number) == (ORDER_ID, OrderStatus.PLACED, "1001")
    request = httpx_mock.get_requests(method="GET")[0]
    assert request.headers["accept"] == JSONAPI
    assert request.headers["authorization"] == "Bearer tok-1"


async def test_retrieve_refuses_an_unsafe_id_before_any_request(api: Api) -> None:
    with pytest.raises(ValidationError) as info:
        await api.call(api.client(), "retrieve", "../x")
    assert info.value.field == "order_id"


async def test_retrieve_is_retried_on_502_because_a_get_is_idempotent(
        api: Api, httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    add_token(httpx_mock)
    httpx_mock.add_response(method="GET", url=ORDER_URL, status_code=502)
    httpx_mock.add_response(method="GET", url=ORDER_URL, json=order_body())
    assert (await api.call(api.client(), "retrieve", ORDER_ID)).id == ORDER_ID
    assert len(sleeps.delays) == 1


# -- list: the keyset walk ---------------------------------------------------------------------

async def test_list_walks_every_page_by_keyset(api: Api, httpx_mock: HTTPXMock) -> None:
    add_token(httpx_mock)
    httpx_mock.add_response(method="GET", json=list_body(["a1", "a2"], total=3, more=True))
    httpx_mock.add_response(method="GET", json=list_body(["a3"], total=1, more=False))
    orders = await walk(api.client(), OrderFilter(status=[OrderStatus.PLACED, OrderStatus.APPROVED]), page_size=2)
    assert [o.id for o in orders] == ["a1", "a2", "a3"]
    first, second = httpx_mock.get_requests(method="GET")
    assert query(first) == {"filter[q][status_in]": "placed,approved", "sort": "id", "page[size]": "2",
                            "page[number]": "1"}
    assert query(second) == {**query(first), "filter[q][id_gt]": "a2"}
    assert urlsplit(str(first.url)).path == "/api/orders"
    assert first.headers["accept"] == JSONAPI


async def test_list_defaults_to_pages_of_25_and_stops_without_a_next_link(api: Api, httpx_mock: HTTPXMock) -> None:
    add_token(httpx_mock)
    httpx_mock.add_response(method="GET", json=list_body([f"o{i:02}" for i in range(25)], total=25, more=False))
    assert len(await walk(api.client())) == 25
    (request,) = httpx_mock.get_requests(method="GET")
    assert query(request)["page[size]"] == "25"


async def test_an_empty_page_ends_the_walk(api: Api, httpx_mock: HTTPXMock) -> None:
    add_token(httpx_mock)
    httpx_mock.add_response(method="GET", json={"data": [], "meta": {"record_count": 0, "page_count": 0},
                                                "links": {"first": LIST_URL, "last": LIST_URL, "next": LIST_URL}})
    assert await walk(api.client()) == []


async def test_without_links_a_full_page_means_more(api: Api, httpx_mock: HTTPXMock) -> None:
    add_token(httpx_mock)
    httpx_mock.add_response(method="GET", json={"data": [_resource("a1"), _resource("a2")]})
    httpx_mock.add_response(method="GET", json={"data": [_resource("a3")]})
    assert [o.id for o in await walk(api.client(), page_size=2)] == ["a1", "a2", "a3"]


async def test_list_page_reports_the_total_the_cursor_and_the_meta(api: Api, httpx_mock: HTTPXMock) -> None:
    add_token(httpx_mock)
    httpx_mock.add_response(method="GET", json=list_body(["b1", "b2"], total=7, more=True),
                            headers={"x-request-id": "req-9"})
    page = await one_page(api.client(), None, page_size=2, cursor="b0")
    assert [o.id for o in page.items] == ["b1", "b2"]
    assert (page.total_count, page.next_cursor, page.has_next) == (7, "b2", True)
    assert (page.meta.status_code, page.meta.request_id) == (200, "req-9")
    assert query(httpx_mock.get_requests(method="GET")[0])["filter[q][id_gt]"] == "b0"


async def test_a_429_on_a_page_is_retried_like_any_call(
        api: Api, httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    add_token(httpx_mock)
    httpx_mock.add_response(method="GET", status_code=429, headers={"retry-after": "1"},
                            json={"errors": [{"title": "Too many requests", "code": "TOO_MANY_REQUESTS"}]})
    httpx_mock.add_response(method="GET", json=list_body(["c1"], total=1, more=False))
    assert [o.id for o in await walk(api.client())] == ["c1"]
    assert sleeps.delays == [1.0]


async def test_a_429_beyond_the_retries_raises(api: Api, httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    add_token(httpx_mock)
    httpx_mock.add_response(method="GET", status_code=429, json={"errors": [{"code": "TOO_MANY_REQUESTS"}]})
    with pytest.raises(RateLimited):
        await walk(api.client(), max_retries=0)


async def test_a_page_that_does_not_advance_raises_instead_of_looping(api: Api, httpx_mock: HTTPXMock) -> None:
    add_token(httpx_mock)
    httpx_mock.add_response(method="GET", json=list_body(["d1"], total=2, more=True))
    with pytest.raises(DecodeError, match="same cursor"):
        await one_page(api.client(), None, cursor="d1")


async def test_a_body_without_a_data_array_is_a_decode_error(api: Api, httpx_mock: HTTPXMock) -> None:
    add_token(httpx_mock)
    httpx_mock.add_response(method="GET", json={"data": {"id": "x"}})
    with pytest.raises(DecodeError, match="data: expected a JSON array, got a JSON object"):
        await walk(api.client())


async def test_a_wrong_record_count_is_a_decode_error(api: Api, httpx_mock: HTTPXMock) -> None:
    add_token(httpx_mock)
    httpx_mock.add_response(method="GET", json={"data": [], "meta": {"record_count": "many"}})
    with pytest.raises(DecodeError, match=r"meta\.record_count: expected a count, got 'many'"):
        await walk(api.client())


async def test_a_wrong_value_in_a_listed_order_names_its_index(api: Api, httpx_mock: HTTPXMock) -> None:
    add_token(httpx_mock)
    body = list_body(["d1", "d2"], total=2, more=False)
    body["data"][1]["attributes"]["placed_at"] = "x"  # type: ignore[index,call-overload]
    httpx_mock.add_response(method="GET", json=body)
    with pytest.raises(DecodeError, match=r"data\[1\]\.attributes\.placed_at: expected an ISO-8601 timestamp"):
        await walk(api.client())


# -- filters: checked before any request ---------------------------------------------------------

@pytest.mark.parametrize("page_size", [0, 26, True, "10"])
async def test_page_size_beyond_the_vendor_maximum_is_refused(api: Api, page_size: object) -> None:
    with pytest.raises(ValidationError) as info:
        await walk(api.client(), page_size=page_size)
    assert info.value.field == "page_size"


def test_unknown_and_misspelled_filters_are_refused_before_any_request() -> None:
    with pytest.raises(ValidationError, match="stauts_eq") as info:
        OrderFilter(raw={"stauts_eq": "placed"})
    assert info.value.field == "OrderFilter.raw.stauts_eq"
    with pytest.raises(ValidationError):
        OrderFilter(raw={"status_equals": "placed"})  # no such predicate
    with pytest.raises(ValidationError, match="pager"):
        OrderFilter(raw={"id_gt": "x"})
    with pytest.raises(TypeError, match="statuss"):  # a misspelled keyword fails as in any attrs class
        OrderFilter(statuss="placed")  # type: ignore[call-arg]


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"status": "nope"}, "OrderFilter.status"),
    ({"customer_email": " "}, "OrderFilter.customer_email"),
    ({"created_gte": dt.datetime(2026, 1, 1)}, "OrderFilter.created_gte"),
    ({"tags": []}, "OrderFilter.tags"),
    ({"ids": ["a,b"]}, "OrderFilter.ids"),
    ({"raw": {"status_eq": ""}}, "OrderFilter.raw.status_eq"),
    ({"raw": {"status_eq": ["a", "b"]}}, "OrderFilter.raw.status_eq"),
    ({"raw": {"created_at_gt": dt.datetime(2026, 1, 1)}}, "OrderFilter.raw"),
    ({"raw": "status_eq=x"}, "OrderFilter.raw"),
])
def test_bad_filter_values_are_refused_naming_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        OrderFilter(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_a_filter_of_another_type_is_refused() -> None:
    with CommerceLayerClient(organization="acme", access_token="t") as client, pytest.raises(ValidationError) as info:
        client.orders.list({"status": "placed"})  # type: ignore[arg-type]
    assert info.value.field == "filter"


def test_every_typed_filter_maps_to_its_ransack_predicate() -> None:
    at = dt.datetime(2026, 1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    params = filter_params(OrderFilter(
        ids=["x1", "x2"], number="1001", status=OrderStatus.PLACED,
        payment_status=[PaymentStatus.AUTHORIZED, PaymentStatus.PAID], fulfillment_status=FulfillmentStatus.UNFULFILLED,
        customer_email="a@b.co", reference="ref-1", market_id="mk1",
        tags=["vip", "b2b"], created_gte=at, created_lt=at, updated_gte=at, updated_lt=at, placed_gte=at,
        placed_lt=at, archived=False,
        raw={"total_amount_cents_gteq": 1000, "guest_true": True, "coupon_code_present": True,
             "status_or_payment_status_in": ["placed", "paid"], "approved_at_lt": at},
    ))
    assert {k.removeprefix("filter[q][").removesuffix("]"): v for k, v in params.items()} == {
        "id_in": "x1,x2", "number_eq": "1001", "status_eq": "placed", "payment_status_in": "authorized,paid",
        "fulfillment_status_eq": "unfulfilled", "customer_email_eq": "a@b.co", "reference_eq": "ref-1",
        "market_id_eq": "mk1", "tags_name_in": "vip,b2b", "created_at_gteq": "2026-01-01T00:00:00Z",
        "created_at_lt": "2026-01-01T00:00:00Z", "updated_at_gteq": "2026-01-01T00:00:00Z",
        "updated_at_lt": "2026-01-01T00:00:00Z", "placed_at_gteq": "2026-01-01T00:00:00Z",
        "placed_at_lt": "2026-01-01T00:00:00Z", "archived_at_null": "true", "total_amount_cents_gteq": "1000",
        "guest_true": "true", "coupon_code_present": "true", "status_or_payment_status_in": "placed,paid",
        "approved_at_lt": "2026-01-01T00:00:00Z",
    }
    assert filter_params(OrderFilter(number=["1", "2"], archived=True)) == {
        "filter[q][number_in]": "1,2", "filter[q][archived_at_null]": "false"}
    assert filter_params(None) == {}


@pytest.mark.parametrize(("key", "known"), [
    ("status_eq", True), ("market_id_eq", True), ("tags_name_in", True), ("customer_email_or_reference_cont", True),
    ("metadata_jcont", True), ("stauts_eq", False), ("status", False), ("_eq", False), ("market__eq", False),
    ("editable_true", False),
])
def test_filter_names_are_attribute_or_relationship_plus_predicate(key: str, known: bool) -> None:
    assert is_filter_name(key) is known
