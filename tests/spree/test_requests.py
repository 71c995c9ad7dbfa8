"""What the Spree client sends: method, path (sub-path kept), query, headers and the exact JSON body."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import httpx
import pytest
from pytest_httpx import HTTPXMock

from orderpatch import UNSET, ValidationError
from orderpatch.spree import Address, LineItem, OrderState, OrderUpdate, PaymentState, ShipmentState

from .conftest import BASE, ORDER_DOC, ORDERS, Client, MakeClient, resolve


def sent(httpx_mock: HTTPXMock) -> httpx.Request:
    """The one request the test made."""
    requests = httpx_mock.get_requests()
    assert len(requests) == 1
    return requests[0]


def body(request: httpx.Request) -> object:
    return json.loads(request.content)


async def update(httpx_mock: HTTPXMock, client: Client, changes: OrderUpdate, **kwargs: object) -> httpx.Request:
    httpx_mock.add_response(method="PATCH", json=ORDER_DOC)
    order = await resolve(client.orders.update("R484277352", changes, **kwargs))  # type: ignore[arg-type]
    assert order.number == "R484277352"
    return sent(httpx_mock)


async def test_plain_fields_path_and_headers(client: Client, httpx_mock: HTTPXMock) -> None:
    request = await update(httpx_mock, client, OrderUpdate(email="new@example.com", special_instructions=""))
    assert request.method == "PATCH"
    assert str(request.url) == f"{ORDERS}/R484277352"
    assert request.headers["Authorization"] == "Bearer tok-static"
    assert request.headers["Content-Type"] == "application/json"
    assert "application/vnd.api+json" in request.headers["Accept"]
    assert request.headers["User-Agent"].startswith("orderpatch/")
    assert body(request) == {"order": {"email": "new@example.com", "special_instructions": ""}}


async def test_every_kind_of_scalar_field(client: Client, httpx_mock: HTTPXMock) -> None:
    changes = OrderUpdate(
        currency="EUR", channel="online", last_ip_address="127.0.0.1", internal_note="call first",
        accept_marketing=True, signup_for_an_account=False, user_id=1, created_by_id="2", approver_id=3,
        canceler_id=4, bill_address_id=5, ship_address_id="6", state=OrderState.COMPLETE,
        shipment_state=ShipmentState.SHIPPED, payment_state=PaymentState.PAID, item_total=Decimal("170.90"),
        total=Decimal("190.9"), adjustment_total=20, payment_total=Decimal("190.90"), shipment_total=10,
        additional_tax_total=Decimal("10"), promo_total=0, included_tax_total=Decimal("0.00"),
        taxable_adjustment_total=Decimal("170.9"), non_taxable_adjustment_total=Decimal("10.0"), item_count=2,
        completed_at=dt.datetime(2022, 11, 8, 19, 33, 50, tzinfo=dt.UTC),
        approved_at=dt.datetime(2022, 11, 8, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        canceled_at=dt.datetime(2022, 11, 9, tzinfo=dt.UTC),
        confirmation_delivered=True, considered_risky=False, store_owner_notification_delivered=True,
    )
    assert body(await update(httpx_mock, client, changes)) == {"order": {
        "currency": "EUR", "channel": "online", "last_ip_address": "127.0.0.1", "internal_note": "call first",
        "accept_marketing": True, "signup_for_an_account": False, "user_id": "1", "created_by_id": "2",
        "approver_id": "3", "canceler_id": "4", "bill_address_id": "5", "ship_address_id": "6",
        "state": "complete", "shipment_state": "shipped", "payment_state": "paid", "item_total": 170.9,
        "total": 190.9, "adjustment_total": 20, "payment_total": 190.9, "shipment_total": 10,
        "additional_tax_total": 10.0, "promo_total": 0, "included_tax_total": 0.0, "taxable_adjustment_total": 170.9,
        "non_taxable_adjustment_total": 10.0, "item_count": 2, "completed_at": "2022-11-08T19:33:50+00:00",
        "approved_at": "2022-11-08T20:00:00+01:00", "canceled_at": "2022-11-09T00:00:00+00:00",
        "confirmation_delivered": True, "considered_risky": False, "store_owner_notification_delivered": True,
    }}


async def test_nested_addresses_and_line_items_are_sent_flat(client: Client, httpx_mock: HTTPXMock) -> None:
    ship = Address(firstname="Jo", lastname="Doe", address1="1 Main St", city="NY", zipcode="10001", phone="555",
                   country_iso="US", state_id=516)
    bill = Address(company="Vendo", country_id="224", user_id=7, label="HQ", address2="Suite 1", state_name="NY",
                   alternative_phone="556", quick_checkout=False)
    changes = OrderUpdate(
        email="a@b.co", ship_address_attributes=ship, bill_address_attributes=bill,
        line_items_attributes=[LineItem(variant_id=123, quantity=2),
                               LineItem(variant_id="124", quantity=1, price=Decimal("9.5"), currency="USD",
                                        cost_price=4)],
    )
    assert body(await update(httpx_mock, client, changes)) == {"order": {
        "email": "a@b.co",
        "bill_address_attributes": {
            "company": "Vendo", "label": "HQ", "address2": "Suite 1", "alternative_phone": "556", "state_name": "NY",
            "country_id": "224", "user_id": "7", "quick_checkout": False},
        "ship_address_attributes": {
            "firstname": "Jo", "lastname": "Doe", "address1": "1 Main St", "city": "NY", "zipcode": "10001",
            "phone": "555", "state_id": "516", "country_iso": "US"},
        "line_items_attributes": [{"variant_id": "123", "quantity": 2},
                                  {"variant_id": "124", "quantity": 1, "price": 9.5, "currency": "USD",
                                   "cost_price": 4}],
    }}


async def test_metadata_is_sent_as_given_including_nested_nulls(client: Client, httpx_mock: HTTPXMock) -> None:
    changes = OrderUpdate(public_metadata={"tags": ["a", "b"], "gone": None, "n": {"x": 1.5}}, private_metadata={})
    assert body(await update(httpx_mock, client, changes)) == {
        "order": {"public_metadata": {"tags": ["a", "b"], "gone": None, "n": {"x": 1.5}}, "private_metadata": {}}}


async def test_unset_fields_are_not_sent(client: Client, httpx_mock: HTTPXMock) -> None:
    changes = OrderUpdate(email=UNSET, channel="pos", bill_address_attributes=UNSET)
    assert body(await update(httpx_mock, client, changes)) == {"order": {"channel": "pos"}}


async def test_an_empty_update_still_wraps_in_order(client: Client, httpx_mock: HTTPXMock) -> None:
    # Without the "order" key Spree answers 200 and changes nothing: the wrapper is always sent.
    assert body(await update(httpx_mock, client, OrderUpdate())) == {"order": {}}


async def test_extra_attributes_and_do_not_change_state(client: Client, httpx_mock: HTTPXMock) -> None:
    changes = OrderUpdate(ship_address_attributes=Address(country_iso="US"),
                          extra_attributes={"shipments_attributes": [{"selected_shipping_rate_id": 9}]})
    request = await update(httpx_mock, client, changes, do_not_change_state=True)
    assert body(request) == {
        "order": {"ship_address_attributes": {"country_iso": "US"},
                  "shipments_attributes": [{"selected_shipping_rate_id": 9}]},
        "do_not_change_state": True,
    }


async def test_include_and_sparse_fields_query(client: Client, httpx_mock: HTTPXMock) -> None:
    request = await update(httpx_mock, client, OrderUpdate(email="a@b.co"),
                           include=["line_items", "line_items.variant", "bill_address"],
                           fields={"order": ["number", "total"], "line_item": "quantity,price"})
    assert request.url.path == "/spree/api/v2/platform/orders/R484277352"
    assert dict(request.url.params) == {
        "include": "line_items,line_items.variant,bill_address",
        "fields[order]": "number,total",
        "fields[line_item]": "quantity,price",
    }


async def test_include_as_one_string_and_extra_query(client: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="GET", json=ORDER_DOC)
    await resolve(client.orders.retrieve(47, include="payments, shipments", extra_query={"locale": "de"},
                                         extra_headers={"X-Trace": "t1"}))
    request = sent(httpx_mock)
    assert request.method == "GET"
    assert request.url.path == "/spree/api/v2/platform/orders/47"
    assert dict(request.url.params) == {"include": "payments,shipments", "locale": "de"}
    assert request.headers["X-Trace"] == "t1"
    assert "Content-Type" not in request.headers
    assert request.content == b""


async def test_an_empty_include_sends_no_parameter(client: Client, httpx_mock: HTTPXMock) -> None:
    request = await update(httpx_mock, client, OrderUpdate(email="a@b.co"), include=[], fields={})
    assert request.url.query == b""


@pytest.mark.parametrize("action", ["next", "advance", "complete", "empty", "approve", "cancel"])
async def test_order_actions_hit_their_own_path(client: Client, httpx_mock: HTTPXMock, action: str) -> None:
    httpx_mock.add_response(method="PATCH", url=f"{ORDERS}/R1/{action}?include=line_items", json=ORDER_DOC)
    order = await resolve(getattr(client.orders, action)("R1", include="line_items"))
    assert order.id == "47"
    request = sent(httpx_mock)
    assert request.content == b""
    assert request.headers["Authorization"] == "Bearer tok-static"


async def test_apply_coupon_code(client: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="PATCH", url=f"{ORDERS}/R1/apply_coupon_code", json=ORDER_DOC)
    await resolve(client.orders.apply_coupon_code("R1", "SPRING-10"))
    request = sent(httpx_mock)
    assert body(request) == {"coupon_code": "SPRING-10"}
    assert request.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize(("amount", "wire"), [(Decimal("15.50"), 15.5), (15, 15)])
async def test_use_store_credit(client: Client, httpx_mock: HTTPXMock, amount: Decimal | int, wire: float) -> None:
    httpx_mock.add_response(method="PATCH", url=f"{ORDERS}/R1/use_store_credit", json=ORDER_DOC)
    await resolve(client.orders.use_store_credit("R1", amount))
    assert body(sent(httpx_mock)) == {"amount": wire}


@pytest.mark.parametrize("base_url", ["https://shop.test", "https://shop.test/", "https://shop.test/a/b/"])
async def test_base_url_with_or_without_sub_path(make_client: MakeClient, httpx_mock: HTTPXMock,
                                                 base_url: str) -> None:
    client = make_client(base_url=base_url)
    httpx_mock.add_response(json=ORDER_DOC)
    await resolve(client.orders.next("R1"))
    prefix = httpx.URL(base_url).path.rstrip("/")
    assert sent(httpx_mock).url.path == f"{prefix}/api/v2/platform/orders/R1/next"


# -- refused before any request ---------------------------------------------------------------------

@pytest.mark.parametrize("order_id", ["", "../x", "a/b", "R1?x=1", "R1#f", " R1", 0, -5, True, 1.5, None])
async def test_unsafe_order_ids_are_refused(client: Client, order_id: object) -> None:
    with pytest.raises(ValidationError, match="order_id"):
        await resolve(client.orders.update(order_id, OrderUpdate(email="a@b.co")))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="order_id"):
        await resolve(client.orders.cancel(order_id))  # type: ignore[arg-type]


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"include": ["line items"]}, "include"),
    ({"include": ["line_items..variant"]}, "include"),
    ({"include": [3]}, "include"),
    ({"include": b"line_items"}, "include"),
    ({"include": 7}, "include"),
    ({"fields": ["number"]}, "fields"),
    ({"fields": {"or der": ["number"]}}, "fields"),
    ({"fields": {"order": ["num-ber"]}}, r"fields\[order\]"),
    ({"do_not_change_state": "yes"}, "do_not_change_state"),
])
async def test_bad_call_arguments_are_refused(client: Client, kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        await resolve(client.orders.update("R1", OrderUpdate(email="a@b.co"), **kwargs))  # type: ignore[arg-type]


async def test_update_needs_a_spree_order_update(client: Client) -> None:
    with pytest.raises(ValidationError, match=r"changes: expected orderpatch\.spree\.OrderUpdate, got dict"):
        await resolve(client.orders.update("R1", {"email": "a@b.co"}))  # type: ignore[arg-type]


@pytest.mark.parametrize("code", ["", "   ", None, 5])
async def test_coupon_code_must_be_text(client: Client, code: object) -> None:
    with pytest.raises(ValidationError, match="coupon_code"):
        await resolve(client.orders.apply_coupon_code("R1", code))  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", [0, -1, Decimal("-0.5"), 1.5, True, "15", None, Decimal("1.00000000000000000001")])
async def test_store_credit_amount_must_be_positive_money(client: Client, amount: object) -> None:
    with pytest.raises(ValidationError, match="amount"):
        await resolve(client.orders.use_store_credit("R1", amount))  # type: ignore[arg-type]


def test_unknown_action_is_refused() -> None:
    from orderpatch.spree._codec import build_action_request

    with pytest.raises(ValidationError, match="action: expected one of"):
        build_action_request(httpx.URL(BASE), "R1", "resume")  # type: ignore[arg-type]
