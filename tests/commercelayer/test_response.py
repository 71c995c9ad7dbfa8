"""Reading answers: the seed's full 200 example, unknown members, ``included``, and wrong shapes."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import attrs
import pytest

from orderpatch._convert import ShapeError
from orderpatch._types import JSONValue
from orderpatch.commercelayer import (
    FulfillmentStatus,
    Links,
    Order,
    OrderAttributes,
    OrderStatus,
    PaymentStatus,
    Relationship,
    Resource,
    ResourceIdentifier,
)
from orderpatch.commercelayer._codec import parse_order

from .conftest import order_body, seed_document

NOON = dt.datetime(2018, 1, 1, 12, 0, tzinfo=dt.UTC)
STATUS_ENUMS = {"status": OrderStatus, "payment_status": PaymentStatus, "fulfillment_status": FulfillmentStatus}


def _expected_type(name: str) -> type:
    if name in STATUS_ENUMS:
        return STATUS_ENUMS[name]
    if name.endswith(("_cents", "_count")):
        return int
    if name.endswith("_float") or name == "tax_rate":
        return float
    if name.endswith("_at"):
        return dt.datetime
    if name in ("payment_source_details", "metadata"):
        return dict
    return str


def test_seed_parses_with_every_attribute_typed() -> None:
    document = seed_document()
    order = parse_order(document)
    data = document["data"]
    assert isinstance(data, dict)
    attributes = data["attributes"]
    assert isinstance(attributes, dict)
    assert order.extra == {}, "every attribute of the seed has a typed field"
    assert len(attributes) == 110
    for name, raw in attributes.items():
        value = getattr(order, name)
        expected = bool if isinstance(raw, bool) else _expected_type(name)
        assert type(value) is expected or isinstance(value, expected), (name, value)
        if isinstance(value, dt.datetime):
            assert value == NOON, name
        elif isinstance(value, (OrderStatus, PaymentStatus, FulfillmentStatus)):
            assert value.is_known, name
            assert value.value == raw, name
        else:
            assert value == raw, name


def test_seed_values_people_read() -> None:
    order = parse_order(seed_document())
    assert order.id == "xYZkjABcde"
    assert order.type == "orders"
    assert order.links == Links(self_url="https://yourdomain.commercelayer.io/api/orders/xYZkjABcde")
    assert order.number == "1234"
    assert order.status is OrderStatus.DRAFT
    assert order.payment_status is PaymentStatus.UNPAID
    assert order.fulfillment_status is FulfillmentStatus.UNFULFILLED
    assert (order.total_amount_cents, order.total_amount_float, order.formatted_total_amount) == (5700, 57.0, "€57,00")
    assert (order.discount_amount_cents, order.formatted_discount_amount) == (-500, "-€5,00")
    assert order.tax_rate == 0.22
    assert order.placed_at == NOON
    assert order.placed_at is not None
    assert order.placed_at.utcoffset() == dt.timedelta(0)
    assert order.metadata == {"foo": "bar"}
    assert order.meta == {"mode": "test"}
    assert order.included == ()
    assert isinstance(order, OrderAttributes)


def test_seed_relationships_all_typed_with_links() -> None:
    document = seed_document()
    order = parse_order(document)
    data = document["data"]
    assert isinstance(data, dict)
    relationships = data["relationships"]
    assert isinstance(relationships, dict)
    assert len(relationships) == 34
    assert order.relationships.extra == {}
    prefix = "https://yourdomain.commercelayer.io/api/orders/xYZkjABcde"
    for name in relationships:
        relationship = order.relationships.get(name)
        assert relationship == Relationship(links=Links(self_url=f"{prefix}/relationships/{name}",
                                                        related_url=f"{prefix}/{name}")), name
        assert relationship is getattr(order.relationships, name)
        assert order.related(name) is None
    assert order.relationships.store is None


def test_unknown_attributes_relationships_and_statuses_are_kept() -> None:
    document = order_body(status="on_hold", payment_status="partially_captured", fulfillment_status="fulfilled",
                          circuit_state="open", circuit_failure_count=3)
    data = document["data"]
    assert isinstance(data, dict)
    relationships = data["relationships"]
    assert isinstance(relationships, dict)
    relationships["loyalty_points"] = {"links": {"self": "x", "related": "y"}}
    order = parse_order(document)
    assert order.extra == {"circuit_state": "open", "circuit_failure_count": 3}
    assert order.status is not None
    assert order.status.value == "on_hold"
    assert not order.status.is_known
    assert order.payment_status == "partially_captured"
    assert order.fulfillment_status is FulfillmentStatus.FULFILLED
    assert order.relationships.extra == {"loyalty_points": {"links": {"self": "x", "related": "y"}}}
    assert order.relationships.get("loyalty_points") is None
    assert order.relationships.market is not None


def test_included_resources_and_related_lookup() -> None:
    document = order_body()
    data = document["data"]
    assert isinstance(data, dict)
    data["relationships"] = {
        "market": {"links": {"self": "s", "related": "r"}, "data": {"type": "markets", "id": "m1"}},
        "line_items": {"data": [{"type": "line_items", "id": "l1"}, {"type": "line_items", "id": "l2"},
                                {"type": "line_items", "id": "missing"}]},
        "customer": {"data": None},
    }
    document["included"] = [
        {"id": "m1", "type": "markets", "attributes": {"name": "Europe", "code": "EU"},
         "relationships": {"price_list": {"links": {"related": "p"}}}, "links": {"self": "m"},
         "meta": {"mode": "test"}},
        {"id": "l1", "type": "line_items", "attributes": {"quantity": 2}},
        {"id": "l2", "type": "line_items", "attributes": {"quantity": 1}},
    ]
    order = parse_order(document)
    market = order.related("market")
    assert market == Resource(id="m1", type="markets", attributes={"name": "Europe", "code": "EU"},
                              relationships={"price_list": Relationship(links=Links(related_url="p"))},
                              links=Links(self_url="m"), meta={"mode": "test"})
    assert order.relationships.market is not None
    assert order.relationships.market.data == ResourceIdentifier(type="markets", id="m1")
    line_items = order.related("line_items")
    assert isinstance(line_items, tuple)
    assert [item.id for item in line_items] == ["l1", "l2"]
    assert order.related("customer") is None
    assert order.related("no_such_relationship") is None
    assert len(order.included) == 3


def test_number_as_integer_from_older_schemas_becomes_a_string() -> None:
    assert parse_order(order_body(number=1234)).number == "1234"


def test_sparse_fieldsets_leave_other_fields_none() -> None:
    order = parse_order({"data": {"id": "a1", "type": "orders", "attributes": {"status": "placed"}}})
    assert order.status is OrderStatus.PLACED
    assert order.total_amount_cents is None
    assert order.relationships.market is None
    assert order.links is None
    assert order.meta == {}


def test_nulls_are_accepted_everywhere() -> None:
    fields = [f.name for f in attrs.fields(OrderAttributes) if f.name != "extra"]
    document = order_body()
    data = document["data"]
    assert isinstance(data, dict)
    data["attributes"] = dict.fromkeys(fields)
    order = parse_order(document)
    assert all(getattr(order, name) is None for name in fields)


def _mutated(change: str) -> JSONValue:
    document = copy.deepcopy(order_body())
    data = document["data"]
    assert isinstance(data, dict)
    attributes = data["attributes"]
    assert isinstance(attributes, dict)
    if change == "no data":
        return {"errors": []}
    if change == "data list":
        return {"data": [data]}
    if change == "not an object":
        return ["data"]
    if change == "wrong type":
        data["type"] = "customers"
    elif change == "no id":
        del data["id"]
    elif change == "no type":
        del data["type"]
    elif change == "link not a string":
        data["relationships"] = {"market": {"links": {"self": 5, "related": "https://x"}}}
    elif change == "links a list":
        data["links"] = ["https://x"]
    elif change == "cents as string":
        attributes["total_amount_cents"] = "5700"
    elif change == "bad timestamp":
        attributes["placed_at"] = "yesterday"
    elif change == "status number":
        attributes["status"] = 3
    elif change == "attributes list":
        data["attributes"] = []
    elif change == "relationship data string":
        data["relationships"] = {"market": {"data": "m1"}}
    elif change == "included object":
        document["included"] = {"id": "x"}
    return document


@pytest.mark.parametrize("change", [
    "no data", "data list", "not an object", "wrong type", "no id", "cents as string", "bad timestamp",
    "status number", "attributes list", "relationship data string", "included object", "no type",
    "link not a string", "links a list",
])
def test_wrong_shapes_raise_errors_the_core_turns_into_decode_errors(change: str) -> None:
    with pytest.raises((ValueError, TypeError, KeyError)):
        parse_order(_mutated(change))


def test_wrong_resource_type_names_it() -> None:
    with pytest.raises(ShapeError, match="expected a resource of type 'orders', got 'customers'"):
        parse_order(_mutated("wrong type"))


def test_order_is_frozen() -> None:
    order = parse_order(order_body())
    assert isinstance(order, Order)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        order.status = OrderStatus.PLACED  # type: ignore[misc]


def test_relationships_of_every_shape_keep_what_they_carry() -> None:
    document = copy.deepcopy(order_body())
    data = document["data"]
    assert isinstance(data, dict)
    data["relationships"] = {
        "market": {"links": {"self": "https://s", "related": "https://r"}},
        "customer": {"links": None},
        "shipments": {"links": {"self": "https://s", "next": "https://n"}, "meta": {"count": 2}},
        "store": {"data": {"type": "stores", "id": "st1"}},
    }
    order = parse_order(document)
    assert order.relationships.market == Relationship(links=Links(self_url="https://s", related_url="https://r"))
    assert order.relationships.customer == Relationship(links=None)
    shipments = order.relationships.shipments
    assert shipments is not None
    assert shipments.links is not None
    assert shipments.links.extra == {"next": "https://n"}
    assert shipments.extra == {"meta": {"count": 2}}
    assert order.relationships.store == Relationship(data=ResourceIdentifier(type="stores", id="st1"))


def test_attributes_named_like_the_envelope_are_kept_in_extra() -> None:
    document = copy.deepcopy(order_body())
    data = document["data"]
    assert isinstance(data, dict)
    attributes = data["attributes"]
    assert isinstance(attributes, dict)
    attributes.update({"type": "gift", "id": 7, "brand_new": True})
    order = parse_order(document)
    assert order.type == "orders"
    assert order.id == data["id"]
    assert order.extra == {"type": "gift", "id": 7, "brand_new": True}


def test_an_included_resource_relationship_of_an_unexpected_shape_is_kept_in_its_extra() -> None:
    document: Any = seed_document()
    document["included"] = [
        {"id": "m1", "type": "markets", "attributes": {"name": "EU"},
         "relationships": {"price_list": {"links": {"self": "https://x/1"}}, "odd": ["?"], "odder": {"data": 5}}},
    ]
    order = parse_order(document)
    market = order.included[0]
    assert set(market.relationships) == {"price_list"}
    assert market.extra == {"relationships.odd": ["?"], "relationships.odder": {"data": 5}}


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        (("data", "attributes", "placed_at"), "x", "data.attributes.placed_at: expected an ISO-8601 timestamp"),
        (("data", "attributes", "status"), 5, "data.attributes.status: expected a string, got 5"),
        (("data", "relationships", "market"), [], "data.relationships.market: expected a JSON object for Relationship"),
        (("data", "links", "self"), 1, "data.links.self: expected a string, got 1"),
        (("data", "type"), "customers", "data.type: expected a resource of type 'orders', got 'customers'"),
        (("data", "attributes"), [], "data.attributes: expected a JSON object, got a JSON array"),
        (("included",), {"a": 1}, "included: expected a JSON array, got a JSON object"),
    ],
)
def test_a_wrong_value_is_named_by_its_path_in_the_document(
    where: tuple[str, ...], value: JSONValue, message: str
) -> None:
    document: Any = seed_document()
    target = document
    for step in where[:-1]:
        target = target[step]
    target[where[-1]] = value
    with pytest.raises(ShapeError) as info:
        parse_order(document)
    assert str(info.value).startswith(message)


def test_a_document_without_data_or_id_names_what_is_missing() -> None:
    with pytest.raises(ShapeError, match=r"^data: expected a JSON:API document with a 'data' object, got null"):
        parse_order({})
    document: Any = seed_document()
    del document["data"]["id"]
    with pytest.raises(ShapeError, match=r"^data\.id: missing required field"):
        parse_order(document)
    document = seed_document()
    document["data"]["type"] = 5
    with pytest.raises(ShapeError, match=r"^data\.type: expected the resource type, got 5"):
        parse_order(document)


def test_the_relationships_are_built_on_first_read_and_equal_the_eager_ones() -> None:
    from orderpatch._deferred import Deferred
    from orderpatch.commercelayer._codec import converter
    from orderpatch.commercelayer.models import OrderRelationships

    document = seed_document()
    order = parse_order(document)
    slot = Order.__dict__["relationships"]._slot
    assert type(slot.__get__(order, Order)) is Deferred  # links-only: checked, not yet built
    data = document["data"]
    assert isinstance(data, dict)
    eager = converter.get_structure_hook(OrderRelationships)(data["relationships"], OrderRelationships)
    assert order.relationships == eager
    assert isinstance(slot.__get__(order, Order), OrderRelationships)
    assert order == parse_order(seed_document())
    assert order.to_dict() == parse_order(seed_document()).to_dict()


@pytest.mark.parametrize(
    "relationship",
    [{"data": {"type": "markets", "id": "m1"}}, {"links": None}, {"links": {"self": 7}}, None],
    ids=["with data", "links null", "bad link", "null"],
)
def test_a_relationship_not_of_the_links_only_shape_is_structured_at_parse_time(relationship: Any) -> None:
    from orderpatch._deferred import Deferred

    document = seed_document()
    data = document["data"]
    assert isinstance(data, dict)
    assert isinstance(data["relationships"], dict)
    data["relationships"]["market"] = relationship
    if relationship == {"links": {"self": 7}}:
        with pytest.raises(ShapeError, match=r"^data\.relationships\.market\.links\.self: expected a string, got 7"):
            parse_order(document)
        return
    order = parse_order(document)
    assert type(Order.__dict__["relationships"]._slot.__get__(order, Order)) is not Deferred
    market = order.relationships.market
    assert market is None if relationship is None else isinstance(market, Relationship)
