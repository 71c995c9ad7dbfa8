"""The Trunkery clients end to end over mocked HTTP, each behaviour with the sync and the async client."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from pytest_httpx import HTTPXMock

from orderpatch import UNSET, APIResponse, ConfigurationError, DecodeError, ValidationError
from orderpatch.trunkery import (
    LEGACY_BASE_URL,
    AddressCreate,
    AsyncTrunkeryClient,
    Order,
    OrderModify,
    OrderState,
    Ref,
    TrunkeryClient,
)

from ._fixtures import KEY_TOKEN, ORDER_ID, SHOP_ID, TOKEN, UPDATED_AT
from ._helpers import MODIFY_URL, Api, answer, body, make_client

CHANGES = OrderModify(customer_email="new@example.com", tags=["vip"], send_order_notifications=False)


async def test_modify_sends_one_order_to_orders_json_with_ids_and_returns_it(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="POST", url=MODIFY_URL, json=answer())

    order = await api.modify(ORDER_ID, CHANGES)

    (request,) = httpx_mock.get_requests()
    assert request.method == "POST"
    assert request.url.path == "/orders.json"
    assert request.url.query == f"ids={ORDER_ID}&shop_id={SHOP_ID}".encode()
    assert request.content == b'[{"customer_email":"new@example.com","send_order_notifications":false,"tags":["vip"]}]'
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Accept"] == "application/json"
    assert uuid.UUID(request.headers["Idempotency-Key"]).version == 4
    assert isinstance(order, Order)
    assert (order.id, order.total_price, order.state) == (ORDER_ID, 3200, OrderState.CART)
    assert order.customer == Ref(id="cu_EQzGqWoY")


async def test_update_is_modify_under_the_shared_name(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="POST", url=MODIFY_URL, json=answer())
    order = await api.update(ORDER_ID, OrderModify(currency="USD"))
    assert order.id == ORDER_ID
    assert body(httpx_mock.get_requests()[0]) == [{"currency": "USD"}]


async def test_none_is_sent_as_null_and_unset_is_left_out(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=answer())
    await api.modify(ORDER_ID, OrderModify(discount_code=None, gateway_id=UNSET, shipping_address=None))
    assert body(httpx_mock.get_requests()[0]) == [{"discount_code": None, "shipping_address": None}]


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("http://127.0.0.1:8000/trunkery", "http://127.0.0.1:8000/trunkery/orders.json"),
        ("http://127.0.0.1:8000/trunkery/", "http://127.0.0.1:8000/trunkery/orders.json"),
        (LEGACY_BASE_URL, "https://api.trunkery.com/orders.json"),
    ],
)
async def test_base_url_with_a_path_or_the_legacy_host(
    kind: str, base_url: str, expected: str, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(json=answer())
    api = Api(make_client(kind, base_url=base_url))
    await api.modify(ORDER_ID, CHANGES)
    await api.close()
    assert str(httpx_mock.get_requests()[0].url).split("?")[0] == expected


def test_the_default_host_is_lana() -> None:
    with TrunkeryClient(token=TOKEN, shop_id=SHOP_ID) as client:
        assert str(client.base_url) == "https://api.lana.dev/"


async def test_query_parameters_of_every_kind(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=answer())
    await api.modify(
        ORDER_ID, CHANGES, shop_id="sh_Other", if_updated_at=UPDATED_AT, uuid="5f0c6a59-52a4",
        fields=sorted(_required_fields() | {"customer"}), extra_query={"locale": "en"},
    )
    params = httpx_mock.get_requests()[0].url.params
    assert list(params) == ["ids", "shop_id", "updated_at", "uuid", "fields", "locale"]
    assert params["ids"] == ORDER_ID
    assert params["shop_id"] == "sh_Other"
    assert params["updated_at"] == UPDATED_AT
    assert params["uuid"] == "5f0c6a59-52a4"
    assert params["fields"].split(",") == sorted(_required_fields() | {"customer"})


def _required_fields() -> set[str]:
    from orderpatch.trunkery._codec import _ORDER_REQUIRED

    return set(_ORDER_REQUIRED)


async def test_if_updated_at_takes_the_datetime_of_a_previous_answer(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=answer())
    httpx_mock.add_response(json=answer())
    first = await api.modify(ORDER_ID, CHANGES)
    await api.modify(ORDER_ID, CHANGES, if_updated_at=first.updated_at)
    assert first.updated_at == dt.datetime(2024, 5, 14, 10, 11, 12, 345678, tzinfo=dt.UTC)
    assert httpx_mock.get_requests()[1].url.params["updated_at"] == UPDATED_AT


async def test_shop_id_comes_from_the_call_the_client_or_the_key_token(kind: str, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=answer())
    httpx_mock.add_response(json=answer())
    api = Api(make_client(kind, token=KEY_TOKEN, shop_id=None))
    assert api.client.shop_id == "sh_FromKey"
    await api.modify(ORDER_ID, CHANGES)
    await api.modify(ORDER_ID, CHANGES, shop_id="sh_Call")
    await api.close()
    assert [r.url.params["shop_id"] for r in httpx_mock.get_requests()] == ["sh_FromKey", "sh_Call"]


async def test_no_shop_id_anywhere_is_refused_before_sending(kind: str, httpx_mock: HTTPXMock) -> None:
    api = Api(make_client(kind, shop_id=None))
    with pytest.raises(ValidationError, match="shop_id: missing; pass shop_id= to the client or to this call"):
        await api.modify(ORDER_ID, CHANGES)
    await api.close()
    assert httpx_mock.get_requests() == []


@pytest.mark.parametrize(
    ("order_id", "message"),
    [
        (None, r"order_id: missing; .*\(without an id, POST orders.json would create a new order\)"),
        ("", "order_id: empty; .* would create a new order"),
        ("   ", "order_id: empty"),
        ("or_a,or_b", "order_id: expected one order id .* got 2 comma-separated ids"),
        (["or_a"], r"order_id: expected one order id .* \(one order per call\), got list"),
        (("or_a", "or_b"), "one order per call"),
        ("../or_a", "order_id: str '../or_a' is not a safe id"),
        ("or_a/b", "not a safe id"),
        ("or a", "not a safe id"),
        (1042, "order_id: expected one order id string such as 'or_EQzGqWoY', got int 1042"),
    ],
)
async def test_a_missing_empty_or_multiple_order_id_never_reaches_the_vendor(
    api: Api, httpx_mock: HTTPXMock, order_id: Any, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as info:
        await api.modify(order_id, CHANGES)
    assert info.value.field == "order_id"
    assert httpx_mock.get_requests() == []


@pytest.mark.parametrize(
    ("options", "field", "message"),
    [
        ({"shop_id": "sh_a,sh_b"}, "shop_id", "comma-separated"),
        ({"if_updated_at": dt.datetime(2024, 5, 14)}, "if_updated_at", "timezone-aware datetime"),
        ({"if_updated_at": ""}, "if_updated_at", "expected the order's updated_at"),
        ({"uuid": "has space"}, "uuid", "expected the order's uuid"),
        ({"fields": "id,total_price"}, "fields", "expected a list of Order field names"),
        ({"fields": ["id", "total_price"]}, "fields", r"leaves out abandoned_at, .* and \d+ more, which Order"),
        ({"fields": ["id,total_price"]}, "fields", "expected names of letters"),
        ({"idempotency_key": ""}, "idempotency_key", "1 to 255 visible ASCII"),
        ({"idempotency_key": "a\nb"}, "idempotency_key", "1 to 255 visible ASCII"),
        ({"extra_query": {"ids": ""}}, "extra_query", "must not set ids: pass order_id"),
        ({"extra_query": {"shop_id": "x", "uuid": "y"}}, "extra_query", "must not set shop_id, uuid"),
        ({"extra_headers": {"idempotency-key": "k"}}, "extra_headers", "pass idempotency_key= instead"),
        ({"timeout": -1}, "timeout", "positive number of seconds"),
        ({"bogus": 1}, "bogus", "unknown call option"),
    ],
)
async def test_bad_call_options_are_refused_before_sending(
    api: Api, httpx_mock: HTTPXMock, options: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as info:
        await api.modify(ORDER_ID, CHANGES, **options)
    assert info.value.field == field
    assert httpx_mock.get_requests() == []


async def test_changes_must_be_an_order_modify(api: Api, httpx_mock: HTTPXMock) -> None:
    with pytest.raises(ValidationError, match="changes: expected orderpatch.trunkery.OrderModify, got dict"):
        await api.modify(ORDER_ID, {"tags": []})  # type: ignore[arg-type]
    assert httpx_mock.get_requests() == []


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], "expected exactly one order in the response array, got 0"),
        (answer() + answer(), "expected exactly one order in the response array, got 2"),
        (answer()[0], "expected a JSON array holding the modified order, got a JSON dict"),
        ({"code": 1031, "message": "x"}, "got an error object"),
        (answer(id="or_Other"), "holds order 'or_Other', not 'or_EQzGqWoY': check the shop for an unintended new"),
        ([{"id": ORDER_ID}], r"\[0\]\.abandoned_at: missing required field"),
        (answer(tags="vip"), r"\[0\]\.tags: expected a JSON array, got 'vip'"),
        (answer(total_price="32.00"), r"\[0\]\.total_price: expected an integer, got '32.00'"),
        (answer(updated_at="yesterday"), r"\[0\]\.updated_at: expected an ISO-8601 timestamp, got 'yesterday'"),
        (answer(customer="cu_1"), r"\[0\]\.customer: expected Ref or Customer or NoneType, got 'cu_1'"),
    ],
)
async def test_an_answer_that_is_not_exactly_the_one_order_is_a_decode_error(
    api: Api, httpx_mock: HTTPXMock, payload: Any, message: str
) -> None:
    httpx_mock.add_response(json=payload)
    with pytest.raises(DecodeError, match=message) as info:
        await api.modify(ORDER_ID, CHANGES)
    assert info.value.status == 200
    assert info.value.vendor == "trunkery"


async def test_a_2xx_that_is_not_json_is_a_decode_error(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(text="<html>maintenance</html>", headers={"Content-Type": "text/html"})
    with pytest.raises(DecodeError, match="expected JSON, got a text/html page"):
        await api.modify(ORDER_ID, CHANGES)


async def test_with_raw_response_gives_the_order_and_the_http_metadata(kind: str, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=answer(), headers={"X-Request-Id": "req-1"})
    httpx_mock.add_response(json=answer())
    api = Api(make_client(kind))
    raw = api.client.orders.with_raw_response
    responses = [raw.modify(ORDER_ID, CHANGES), raw.update(ORDER_ID, CHANGES, idempotency_key="k-1")]
    results = [await r if not isinstance(r, APIResponse) else r for r in responses]
    await api.close()
    assert [r.parse().id for r in results] == [ORDER_ID, ORDER_ID]
    assert results[0].request_id == "req-1"
    assert results[0].meta.idempotency_key == httpx_mock.get_requests()[0].headers["Idempotency-Key"]
    assert results[1].meta.idempotency_key == "k-1"


async def test_the_clients_are_context_managers(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=answer())
    httpx_mock.add_response(json=answer())
    with TrunkeryClient(token=TOKEN, shop_id=SHOP_ID) as sync_client:
        assert sync_client.orders.modify(ORDER_ID, CHANGES).id == ORDER_ID
    async with AsyncTrunkeryClient(token=TOKEN, shop_id=SHOP_ID) as async_client:
        assert (await async_client.orders.modify(ORDER_ID, CHANGES)).id == ORDER_ID
    assert sync_client._http.is_closed
    assert async_client._http.is_closed


def test_the_token_never_shows_and_a_bearer_prefix_is_not_doubled(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=answer())
    with TrunkeryClient(token=f"Bearer {TOKEN}", shop_id=SHOP_ID) as client:
        client.orders.modify(ORDER_ID, CHANGES)
        assert TOKEN not in repr(client)
        assert "secret=***" in repr(client)
    assert httpx_mock.get_requests()[0].headers["Authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize(
    ("settings", "key", "message"),
    [
        ({"token": ""}, "token", "token: missing credential; expected a Trunkery/Lana JWT"),
        ({"token": None}, "token", "missing credential"),
        ({"token": "Bearer  "}, "token", "missing credential"),
        ({"token": "bearer"}, "token", "missing credential"),
        ({"shop_id": "sh_a,sh_b"}, "shop_id", "comma-separated"),
        ({"shop_id": 7}, "shop_id", "expected one shop id string"),
        ({"base_url": "api.lana.dev"}, "base_url", "absolute http"),
    ],
)
def test_bad_client_settings_are_configuration_errors(
    kind: str, settings: dict[str, Any], key: str, message: str
) -> None:
    with pytest.raises(ConfigurationError, match=message) as info:
        make_client(kind, **settings)
    assert info.value.key == key


def test_a_token_without_a_usable_shop_claim_leaves_shop_id_unset() -> None:
    with TrunkeryClient(token="not-a-jwt") as client:
        assert client.shop_id is None


async def test_address_and_line_items_reach_the_vendor_whole(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=answer())
    address = AddressCreate(address1="Chestnut Street 92", city="Louisville", country="US", name="John Smith",
                            province="KY", zip="40202", phone=None)
    await api.modify(ORDER_ID, OrderModify(shipping_address=address))
    assert body(httpx_mock.get_requests()[0]) == [{"shipping_address": {
        "address1": "Chestnut Street 92", "city": "Louisville", "country": "US", "name": "John Smith",
        "province": "KY", "zip": "40202", "phone": None,
    }}]
