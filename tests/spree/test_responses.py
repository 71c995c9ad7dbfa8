"""Reading Spree's JSON:API orders: included resources typed, unknown keys kept, sparse fieldsets, raw responses."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pytest_httpx import HTTPXMock

from orderpatch import APIResponse, JSONValue
from orderpatch.spree import (
    AddressResource,
    LineItemResource,
    Order,
    OrderState,
    OrderUpdate,
    PaymentResource,
    PaymentResourceState,
    Resource,
    ResourceIdentifier,
    ShipmentResource,
    ShipmentState,
)
from orderpatch.spree._codec import parse_order

from .conftest import ORDER_DOC, Client, resolve

FIXTURES = Path(__file__).parent / "fixtures"


def with_included() -> dict[str, Any]:
    data = json.loads((FIXTURES / "order_with_included.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_included_resources_are_typed_by_their_type() -> None:
    order = parse_order(with_included())
    assert [type(r) for r in order.included] == [LineItemResource, AddressResource, ShipmentResource,
                                                 PaymentResource, Resource]
    (item,) = order.included_of(LineItemResource)
    assert (item.id, item.quantity, item.price, item.cost_price) == ("38", 1, Decimal("10.0"), Decimal("17.0"))
    assert item.display_total == "$10.00"
    assert item.relationships["variant"] == ResourceIdentifier(id="183", type="variant")
    assert item.relationships["adjustments"] == ()
    (shipment,) = order.included_of(ShipmentResource)
    assert (shipment.number, shipment.state, shipment.cost) == ("H74819281258", ShipmentState.PENDING, Decimal(100))
    assert shipment.relationships["address"] is None
    assert shipment.relationships["shipping_rates"] == (ResourceIdentifier(id="30", type="shipping_rate"),)
    (payment,) = order.included_of(PaymentResource)
    assert (payment.amount, payment.state, payment.number) == (Decimal("45.75"), PaymentResourceState.INVALID,
                                                               "PPC5V5ZL")
    (variant,) = order.included_of(Resource)
    assert variant.attributes == {"sku": "SKU-183", "price": "10.0", "is_master": False}
    assert variant.relationships == {"product": ResourceIdentifier(id="12", type="product")}


def test_references_resolve_to_included_resources() -> None:
    order = parse_order(with_included())
    bill = order.resolve(order.relationships.bill_address)
    assert isinstance(bill, AddressResource)
    assert (bill.firstname, bill.city, bill.state_name) == ("John", "Herndon", None)
    assert bill.extra == {"quick_checkout": False}  # an attribute this version does not type is kept
    assert order.resolve(order.relationships.ship_address) is None
    assert order.resolve(ResourceIdentifier(id="38", type="address")) is None  # same id, other type
    assert [order.resolve(ref) for ref in order.relationships.line_items] == order.included_of(LineItemResource)


def test_unknown_attributes_and_relationships_are_kept() -> None:
    order = parse_order(with_included())
    assert order.extra == {"loyalty_points": 12, "attributes.type": "wholesale"}
    assert order.type == "order"
    # Unknown relationships keep their data; one without data (links only, not loaded) is left out.
    assert order.relationships.extra == {"gift_wrap": {"id": "9", "type": "gift_wrap"}}


def test_a_sparse_fieldset_leaves_the_other_attributes_none() -> None:
    order = parse_order({"data": {"id": "47", "type": "order", "attributes": {"number": "R1", "total": "5.5"}}})
    assert (order.number, order.total, order.email, order.state, order.created_at) == ("R1", Decimal("5.5"), None,
                                                                                       None, None)
    assert order.relationships.line_items == ()


def test_an_unknown_state_is_kept_not_refused() -> None:
    order = parse_order({"data": {"id": "1", "type": "order", "attributes": {"state": "awaiting_pickup"}}})
    assert order.state == "awaiting_pickup"
    assert order.state is not None
    assert not order.state.is_known
    assert OrderState("returned").is_known


def test_internal_note_may_be_rich_text() -> None:
    note: dict[str, JSONValue] = {"body": "<div>call first</div>"}
    order = parse_order({"data": {"id": "1", "type": "order", "attributes": {"internal_note": note}}})
    assert order.internal_note == note


def test_resolve_of_nothing_is_nothing() -> None:
    assert Order(id="1", type="order").resolve(None) is None


async def test_with_raw_response_gives_the_http_metadata(client: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=ORDER_DOC, headers={"X-Request-Id": "req-42"})
    raw = await resolve(client.orders.with_raw_response.update("R1", OrderUpdate(email="a@b.co"), include="payments"))
    assert isinstance(raw, APIResponse)
    assert (raw.status_code, raw.request_id, raw.retries_taken) == (200, "req-42", 0)
    assert raw.parse().number == "R484277352"
    assert httpx_mock.get_requests()[0].url.params["include"] == "payments"


@pytest.mark.parametrize("action", ["retrieve", "next", "advance", "complete", "empty", "approve", "cancel"])
async def test_every_action_has_a_raw_twin(client: Client, httpx_mock: HTTPXMock, action: str) -> None:
    httpx_mock.add_response(json=ORDER_DOC, headers={"X-Request-Id": f"rid-{action}"})
    raw = await resolve(getattr(client.orders.with_raw_response, action)("R1"))
    assert raw.request_id == f"rid-{action}"


async def test_with_options_keeps_the_token_and_the_sub_path(client: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=ORDER_DOC)
    quick = client.with_options(max_retries=0, default_headers={"X-Store": "eu"})
    assert quick.orders is not client.orders
    await resolve(quick.orders.next("R1"))
    request = httpx_mock.get_requests()[0]
    assert request.url.path == "/spree/api/v2/platform/orders/R1/next"
    assert request.headers["X-Store"] == "eu"
    assert request.headers["Authorization"] == "Bearer tok-static"
    assert client.max_retries == 2
    assert quick.max_retries == 0


def test_an_undeclared_relationship_of_an_unexpected_shape_is_kept_not_fatal() -> None:
    document = with_included()
    document["data"]["relationships"]["gift_box"] = ["not", "an", "object"]
    document["included"].append(
        {"id": "3", "type": "variant", "relationships": {"images": {"data": "img-1"}, "product": {"data": None}}}
    )
    order = parse_order(document)
    assert order.extra["relationships.gift_box"] == ["not", "an", "object"]
    variant = order.included[-1]
    assert variant.extra == {"relationships.images": {"data": "img-1"}}
    assert variant.relationships == {"product": None}


def test_a_declared_relationship_of_the_wrong_shape_names_its_path() -> None:
    document = with_included()
    document["data"]["relationships"]["line_items"] = {"data": {"id": 38, "type": "line_item"}}
    with pytest.raises(ValueError, match=r"^data\.relationships\.line_items\.data: expected a JSON array"):
        parse_order(document)
    document["data"]["relationships"]["bill_address"] = "61"
    with pytest.raises(ValueError, match=r"^data\.relationships\.bill_address: expected a JSON object, got '61'"):
        parse_order(document)


def _relationships_slot(order: Order) -> object:
    return Order.__dict__["relationships"]._slot.__get__(order, Order)


def test_the_relationships_are_built_on_first_read_and_equal_the_eager_ones() -> None:
    from orderpatch._deferred import Deferred
    from orderpatch.spree._codec import _relationship_data, converter
    from orderpatch.spree._order import OrderRelationships

    document = with_included()
    for undeclared in ("gift_wrap", "store"):  # an undeclared relationship is structured at once
        del document["data"]["relationships"][undeclared]
    order = parse_order(document)
    assert type(_relationships_slot(order)) is Deferred  # plain references: checked, not yet built
    raw, _ = _relationship_data(document["data"]["relationships"], frozenset())
    eager = converter.get_structure_hook(OrderRelationships)(raw, OrderRelationships)
    assert order.relationships == eager
    assert isinstance(_relationships_slot(order), OrderRelationships)
    assert repr(parse_order(document)) == repr(order)
    assert parse_order(document).to_dict() == order.to_dict()
    assert type(_relationships_slot(parse_order(with_included()))) is not Deferred


@pytest.mark.parametrize(
    ("name", "data", "fails"),
    [("user", [{"id": "1", "type": "user"}], True), ("line_items", {"id": "1", "type": "line_item"}, True),
     ("user", {"id": "1", "type": "user", "meta": {}}, False), ("line_items", [{"id": 1, "type": "line_item"}], True),
     ("user", "x", True)],
    ids=["to-one as list", "to-many as object", "extra member", "numeric id", "a string"],
)
def test_a_relationship_not_of_its_plain_shape_is_structured_at_parse_time(name: str, data: Any, fails: bool) -> None:
    from orderpatch._deferred import Deferred

    document = with_included()
    for undeclared in ("gift_wrap", "store"):
        del document["data"]["relationships"][undeclared]
    document["data"]["relationships"][name] = {"data": data}
    if fails:  # the eager hook's verdict, at parse time, naming the path
        with pytest.raises(ValueError, match=rf"^data\.relationships\.{name}\.data"):
            parse_order(document)
        return
    order = parse_order(document)
    assert type(_relationships_slot(order)) is not Deferred
    assert order.relationships.user is not None
    assert order.relationships.user.extra == {"meta": {}}
