"""Contract tests against ``shared/vendors/spree``: what we send fits Spree's spec, what Spree sends parses.

The one deliberate difference from the published spec: nested ``bill_address_attributes`` /
``ship_address_attributes`` and ``line_items_attributes`` items are sent **flat**, because Spree's
Rails controller permits flat hashes, while the spec wraps them in ``{"address": …}`` /
``{"line_item": …}`` (README §3, §11). ``spec_shape`` re-applies the spec's wrappers so the rest
of the body is checked against the spec unchanged, and ``test_the_flat_nesting_is_the_only_difference``
pins down that the wrappers are the only thing the spec would object to.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import attrs
import jsonschema
import pytest
from pytest_httpx import HTTPXMock

from orderpatch.spree import (
    Address,
    LineItem,
    Order,
    OrderRelationships,
    OrderState,
    OrderUpdate,
    PaymentState,
    ResourceIdentifier,
    ShipmentState,
)
from orderpatch.spree._codec import order_body, parse_order
from tests.conftest import shared_json

from .conftest import Client, resolve

NESTED_ADDRESSES = ("bill_address_attributes", "ship_address_attributes")


def schema_file() -> dict[str, Any]:
    data = shared_json("vendors", "spree", "order_update_schema.json")
    assert isinstance(data, dict)
    return data


def example(name: str) -> dict[str, Any]:
    data = shared_json("vendors", "spree", "examples", name)
    assert isinstance(data, dict)
    return data


def spec_shape(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` with the spec's (wrong) nested wrappers put back, to check the rest against the spec."""
    order = dict(body["order"])
    for key in NESTED_ADDRESSES:
        if key in order:
            order[key] = {"address": order[key]}
    if "line_items_attributes" in order:
        order["line_items_attributes"] = [{"line_item": item} for item in order["line_items_attributes"]]
    return {**body, "order": order}


def errors(schema: dict[str, Any], instance: object) -> list[jsonschema.ValidationError]:
    found: list[jsonschema.ValidationError] = list(jsonschema.Draft7Validator(schema).iter_errors(instance))
    return found


def seed_update() -> OrderUpdate:
    """Every attribute of the seed's request example, typed (its ``"<string>"`` placeholders filled in)."""
    at = dt.datetime(2022, 11, 8, 19, 33, 50, tzinfo=dt.UTC)
    address = Address(country_id="224", state_id="516", state_name="New York", address1="5th ave",
                      address2="1st suite", city="NY", zipcode="10001", phone="+1 123 456 789",
                      alternative_phone="+1 987", firstname="John", lastname="Snow", label="My home address",
                      company="Vendo Connect Inc", user_id="1")  # the example's nested metadata: refused
    return OrderUpdate(
        item_total=Decimal("170.9"), total=Decimal("190.9"), state=OrderState.COMPLETE, adjustment_total=20,
        user_id="1", completed_at=at, bill_address_id="1", ship_address_id="1", payment_total=Decimal("190.9"),
        shipment_state=ShipmentState.SHIPPED, payment_state=PaymentState.PAID, email="hi@getvendo.com",
        special_instructions="I need it ASAP!", currency="USD", last_ip_address="127.0.0.1", created_by_id="1",
        shipment_total=10, additional_tax_total=10, promo_total=0, channel="online", included_tax_total=0,
        item_count=2, approver_id="2", approved_at=at, confirmation_delivered=True, considered_risky=True,
        canceled_at=at, canceler_id="3", taxable_adjustment_total=Decimal("170.9"), non_taxable_adjustment_total=10,
        store_owner_notification_delivered=True, bill_address_attributes=address, ship_address_attributes=address,
        line_items_attributes=[LineItem(variant_id="1", quantity=2)], public_metadata={}, private_metadata={},
    )


def test_the_seed_body_validates_against_the_spec_once_wrapped() -> None:
    schema = schema_file()["update_order_request"]["schema"]
    body = order_body(seed_update())
    assert list(errors(schema, spec_shape(body))) == []
    spec_properties = set(schema["properties"]["order"]["properties"])
    assert set(body["order"]) == spec_properties  # every attribute of the seed is typed and sent


def test_the_flat_nesting_is_the_only_difference() -> None:
    schema = schema_file()["update_order_request"]["schema"]
    body = order_body(seed_update())
    found = list(errors(schema, body))
    assert found, "the spec should reject the flat nested hashes Spree really wants"
    places = {tuple(error.absolute_path)[:2] for error in found}
    assert places == {("order", "bill_address_attributes"), ("order", "ship_address_attributes"),
                      ("order", "line_items_attributes")}
    assert {error.validator for error in found} == {"required"}


def test_the_body_sends_what_the_controller_permits() -> None:
    derived = schema_file()["update_order_request_server_behaviour_derived"]
    permitted = {name.split(" (")[0].strip() for name in derived["order_scalar_attributes"].split(":", 1)[1].split(",")}
    body = order_body(seed_update())["order"]
    nested = {"bill_address_attributes", "ship_address_attributes", "line_items_attributes"}
    assert set(body) - nested <= permitted
    assert set(body["bill_address_attributes"]) <= {
        "firstname", "lastname", "address1", "address2", "city", "zipcode", "phone", "state_name", "alternative_phone",
        "company", "state_id", "country_id", "country_iso", "user_id", "label", "quick_checkout", "public_metadata",
        "private_metadata"}
    assert body["line_items_attributes"] == [{"variant_id": "1", "quantity": 2}]


@pytest.mark.parametrize("name", ["update_order_200.json", "get_order_200.json", "complete_order_200.json",
                                  "approve_order_200_app_token.json"])
def test_examples_fit_the_derived_response_schema(name: str) -> None:
    assert list(errors(schema_file()["order_response_schema_derived"], example(name))) == []


def test_every_derived_attribute_and_relationship_is_typed() -> None:
    properties = schema_file()["order_response_schema_derived"]["properties"]["data"]["properties"]
    order_fields = {f.name for f in attrs.fields(Order)}
    relationship_fields = {f.name for f in attrs.fields(OrderRelationships)}
    assert set(properties["attributes"]["properties"]) <= order_fields
    assert set(properties["relationships"]["properties"]) <= relationship_fields


def test_the_update_example_parses_field_by_field() -> None:
    order = parse_order(example("update_order_200.json"))
    assert (order.id, order.type, order.number, order.email) == ("47", "order", "R484277352", "new@example.com")
    assert order.state is OrderState.DELIVERY
    assert order.shipment_state is None
    assert order.payment_state is None
    assert order.total == Decimal("110.0")
    assert isinstance(order.total, Decimal)
    assert order.item_total == Decimal("10")
    assert order.shipment_total == Decimal("100")
    assert order.promo_total == Decimal("0")
    assert order.display_total == "$110.00"
    assert order.display_store_credit_remaining_after_capture == "$0.00"
    assert order.created_at == dt.datetime(2022, 11, 8, 19, 34, 38, 200000, tzinfo=dt.UTC)
    assert order.completed_at is None
    assert (order.item_count, order.state_lock_version, order.confirmation_delivered) == (1, 0, False)
    assert order.store_owner_notification_delivered is None
    assert order.public_metadata == {}
    assert order.internal_note is None
    rel = order.relationships
    assert rel.user == ResourceIdentifier(id="47", type="user")
    assert rel.created_by is None
    assert rel.bill_address == ResourceIdentifier(id="61", type="address")
    assert rel.line_items == (ResourceIdentifier(id="38", type="line_item"),)
    assert rel.payments == ()
    assert rel.metafields == ()
    assert order.included == ()
    assert order.extra == {}
    assert rel.extra == {}


def test_the_complete_example_has_its_states_and_state_changes() -> None:
    order = parse_order(example("complete_order_200.json"))
    assert order.state is OrderState.COMPLETE
    assert order.shipment_state is ShipmentState.PENDING
    assert order.payment_state is PaymentState.BALANCE_DUE
    assert order.completed_at == dt.datetime(2022, 11, 8, 19, 34, 42, 207000, tzinfo=dt.UTC)
    assert [ref.id for ref in order.relationships.state_changes] == ["4", "5", "8", "9", "10"]


def test_the_app_token_approve_example_leaves_approved_at_empty() -> None:
    order = parse_order(example("approve_order_200_app_token.json"))
    assert order.approved_at is None
    assert order.relationships.approver is None


def test_every_order_of_the_list_example_parses() -> None:
    listing = example("list_orders_200.json")
    orders = [parse_order({"data": item}) for item in listing["data"]]
    assert [(o.id, o.number, o.state) for o in orders] == [("40", "R936148131", OrderState.CART),
                                                           ("41", "R877925031", OrderState.CART)]
    assert all(o.relationships.ship_address is None for o in orders)


@pytest.mark.parametrize(("call", "name"), [
    (lambda c: c.orders.update("R484277352", OrderUpdate(email="new@example.com")), "update_order_200.json"),
    (lambda c: c.orders.retrieve("R612921489"), "get_order_200.json"),
    (lambda c: c.orders.complete("R923002122"), "complete_order_200.json"),
    (lambda c: c.orders.approve("R057732263"), "approve_order_200_app_token.json"),
])
async def test_examples_parse_through_both_clients(client: Client, httpx_mock: HTTPXMock, call: Any,
                                                   name: str) -> None:
    document = example(name)
    httpx_mock.add_response(content=json.dumps(document).encode(),
                            headers={"Content-Type": "application/vnd.api+json; charset=utf-8"})
    order = await resolve(call(client))
    assert order == parse_order(document)
    assert order.number == document["data"]["attributes"]["number"]
