"""``OrderModify`` and its parts: exact JSON per field kind, checks at construction, the vendor's schema."""

from __future__ import annotations

import json
import re
from typing import Any

import attrs
import httpx
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orderpatch import UNSET, ValidationError
from orderpatch._models import WIRE_NAME
from orderpatch.trunkery import (
    DEFAULT_BASE_URL,
    AddressCreate,
    CustomItem,
    CustomItemIndex,
    LineItem,
    LineItemFieldCreate,
    OrderModify,
    ProductFieldType,
    SubscriptionPlanIndex,
)
from orderpatch.trunkery._codec import build_modify_request, converter

from ..conftest import shared_json, shared_path
from ._fixtures import ORDER_ID, SHOP_ID

ADDRESS = AddressCreate(address1="Chestnut Street 92", city="Louisville", country="US", name="John Smith",
                        province="KY", zip="40202")
BASE = httpx.URL(DEFAULT_BASE_URL)
ADDRESS_JSON = {"address1": "Chestnut Street 92", "city": "Louisville", "country": "US", "name": "John Smith",
                "province": "KY", "zip": "40202"}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (OrderModify(), {}),
        (OrderModify(customer_email="a@example.com"), {"customer_email": "a@example.com"}),
        (OrderModify(customer_email=None), {"customer_email": None}),
        (OrderModify(mobile_notifications=False, send_order_notifications=True),
         {"mobile_notifications": False, "send_order_notifications": True}),
        (OrderModify(tags=("a", "b"), shipping_rate_ids=[]), {"tags": ["a", "b"], "shipping_rate_ids": []}),
        (OrderModify(billing_address=ADDRESS), {"billing_address": ADDRESS_JSON}),
        (OrderModify(shipping_address=attrs.evolve(ADDRESS, address2=None, plus_code="PQ7W+WM")),
         {"shipping_address": {**ADDRESS_JSON, "address2": None, "plus_code": "PQ7W+WM"}}),
        (OrderModify(billing_address_short_id="ar_1", shipping_address_short_id=None),
         {"billing_address_short_id": "ar_1", "shipping_address_short_id": None}),
        (OrderModify(custom_items=[CustomItem(title="Gift wrap", price=500, physical=False, grams=None)]),
         {"custom_items": [{"title": "Gift wrap", "price": 500, "physical": False, "grams": None}]}),
        (OrderModify(line_items=[]), {"line_items": []}),
        (OrderModify(line_items=[LineItem(variant_id="va_1", quantity=2)]),
         {"line_items": [{"variant_id": "va_1", "quantity": 2}]}),
        (OrderModify(line_items=[LineItem(
            variant_id="", quantity=1, custom_item_index=CustomItemIndex(value=0), field_set_id="fs_1",
            subscription_plan_index=SubscriptionPlanIndex(value=-1),
            fields=[LineItemFieldCreate(choice_index=0, field_index=1, label="Engraving", type="string", value="J.S.")],
        )]),
         {"line_items": [{"variant_id": "", "quantity": 1, "custom_item_index": {"value": 0}, "field_set_id": "fs_1",
                          "subscription_plan_index": {"value": -1}, "fields": [
                              {"choice_index": 0, "field_index": 1, "label": "Engraving", "type": "string",
                               "value": "J.S."}]}]}),
        (OrderModify(currency="EUR", customer_id="cu_1", discount_code="AD1241251", gateway_id="gw_1", mobile="4563",
                     sales_channel_id="sc_1", subscription_id="ss_1", send_fulfillment_notifications=None),
         {"currency": "EUR", "customer_id": "cu_1", "discount_code": "AD1241251", "gateway_id": "gw_1",
          "mobile": "4563", "sales_channel_id": "sc_1", "subscription_id": "ss_1",
          "send_fulfillment_notifications": None}),
    ],
)
def test_each_field_kind_serializes_exactly(changes: OrderModify, expected: dict[str, Any]) -> None:
    call, _ = build_modify_request(
        BASE, ORDER_ID, changes, {}, default_shop_id=SHOP_ID, default_max_retries=2
    )
    assert json.loads(call.request.content) == [expected]



def test_the_field_type_takes_the_enum_or_its_string() -> None:
    by_enum = LineItemFieldCreate(choice_index=0, field_index=0, label="", type=ProductFieldType.FILE, value="")
    by_name = LineItemFieldCreate(choice_index=0, field_index=0, label="", type="file", value="")
    assert by_enum == by_name
    assert by_name.type is ProductFieldType.FILE


@pytest.mark.parametrize(
    ("cls", "kwargs", "field", "expected"),
    [
        (OrderModify, {"mobile_notifications": "yes"}, "OrderModify.mobile_notifications", "bool | None"),
        (OrderModify, {"tags": "vip"}, "OrderModify.tags", "Sequence[str] | None"),
        (OrderModify, {"tags": ["a", 1]}, "OrderModify.tags", "list of str (an item: str)"),
        (OrderModify, {"line_items": [{"variant_id": "va_1", "quantity": 1}]}, "OrderModify.line_items",
         "list of LineItem"),
        (OrderModify, {"billing_address": {"city": "x"}}, "OrderModify.billing_address", "AddressCreate | None"),
        (AddressCreate, {**ADDRESS_JSON, "zip": 40202}, "AddressCreate.zip", "str"),
        (LineItem, {"variant_id": "va_1", "quantity": 1.5}, "LineItem.quantity", "int"),
        (LineItem, {"variant_id": "va_1", "quantity": True}, "LineItem.quantity", "int"),
        (LineItem, {"variant_id": "va_1", "quantity": 1, "custom_item_index": 0}, "LineItem.custom_item_index",
         "CustomItemIndex | None"),
        (CustomItem, {"title": "x", "price": 5.0}, "CustomItem.price", "int | None"),
        (CustomItem, {"title": None}, "CustomItem.title", "str"),
        (LineItemFieldCreate, {"choice_index": 0, "field_index": 0, "label": "", "type": "bogus", "value": ""},
         "LineItemFieldCreate.type", "ProductFieldType (one of"),
        (SubscriptionPlanIndex, {"value": "-1"}, "SubscriptionPlanIndex.value", "int"),
    ],
)
def test_wrong_types_fail_at_construction_naming_the_field(
    cls: Any, kwargs: dict[str, Any], field: str, expected: str
) -> None:
    with pytest.raises(ValidationError) as info:
        cls(**kwargs)
    assert info.value.field == field
    assert (info.value.expected or "").startswith(expected)
    assert str(info.value).startswith(f"{field}: expected ")


def test_models_are_frozen_and_address_fields_are_required() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        ADDRESS.city = "Lexington"  # type: ignore[misc]
    with pytest.raises(TypeError, match="zip"):
        AddressCreate(address1="a", city="b", country="US", name="n", province="KY")  # type: ignore[call-arg]


# -- the vendor's schema ------------------------------------------------------------------------

REQUEST_MODELS = {
    "AddressCreate": AddressCreate, "OrderCustomItemCreate": CustomItem, "OrderLineItemCreate": LineItem,
    "LineItemFieldCreate": LineItemFieldCreate, "CustomItemIndex": CustomItemIndex,
    "SubscriptionPlanIndex": SubscriptionPlanIndex,
}


def _schema() -> dict[str, Any]:
    schema = shared_json("vendors", "trunkery", "order-modify.schema.json")
    assert isinstance(schema, dict)
    return schema


def _validate(element: object) -> None:
    jsonschema.Draft202012Validator(_schema()).validate(element)


def _wire(cls: type) -> tuple[set[str], set[str]]:
    fields = attrs.fields(cls)
    names = {f.metadata.get(WIRE_NAME, f.name) for f in fields}
    return names, {f.metadata.get(WIRE_NAME, f.name) for f in fields if f.default is attrs.NOTHING}


@pytest.mark.parametrize("name", ["OrderModify", *REQUEST_MODELS])
def test_every_field_of_the_vendor_type_is_modelled_with_its_required_ones(name: str) -> None:
    schema = _schema()
    definition = schema if name == "OrderModify" else schema["$defs"][name]
    names, required = _wire(OrderModify if name == "OrderModify" else REQUEST_MODELS[name])
    assert names == set(definition["properties"])
    assert required == set(definition.get("required", []))


def _seed_example() -> dict[str, Any]:
    text = shared_path("seeds", "trunkery-modify-order.txt").read_text(encoding="utf-8")
    match = re.search(r"Array of OrderModify\s*\n(\[.*?\n\])", text, re.S)
    assert match, "the seed's request body example moved"
    (element,) = json.loads(match.group(1))
    assert isinstance(element, dict)
    return element


def test_the_seed_example_body_round_trips_exactly_and_validates() -> None:
    example = _seed_example()
    changes = converter.structure(example, OrderModify)
    assert converter.unstructure(changes) == example
    _validate(converter.unstructure(changes))


def test_the_doc_examples_serialize_and_validate() -> None:
    docs = shared_json("vendors", "trunkery", "examples", "ordersModify.doc-examples.json")
    assert isinstance(docs, dict)
    examples = {name: spec["example"] for name, spec in docs["data_fields"].items() if "example" in spec}
    changes = OrderModify(**examples, billing_address=ADDRESS, shipping_address=ADDRESS, tags=["vip"],
                          shipping_rate_ids=["sr_1"], custom_items=[CustomItem(title="Gift wrap")],
                          line_items=[LineItem(variant_id="va_EQzGqWoY", quantity=1)],
                          customer_email="a@example.com", subscription_id="ss_1")
    element = converter.unstructure(changes)
    assert set(element) == set(docs["data_fields"])
    _validate(element)
    for name, spec in docs["data_fields"].items():
        if "pattern" in spec:
            assert re.match(spec["pattern"], element[name]), name
    args = docs["arguments"]
    call, _ = build_modify_request(BASE, args["ids"]["example"][0], changes, {},
                                   default_shop_id=args["shop_id"]["example"], default_max_retries=2)
    assert call.request.url.query == b"ids=or_EQzGqWoY&shop_id=sh_EQzGqWoY"
    assert call.request.url.host == httpx.URL(docs["json_api_url_example_from_docs"]).host


_text = st.text(max_size=8)
_address = st.builds(AddressCreate, address1=_text, city=_text, country=_text, name=_text, province=_text,
                     zip=_text, phone=st.none() | _text | st.just(UNSET))
_line_item = st.builds(
    LineItem, variant_id=_text, quantity=st.integers(-1, 10**6),
    custom_item_index=st.just(UNSET) | st.none() | st.builds(CustomItemIndex, value=st.integers(0, 9)),
    fields=st.just(UNSET) | st.lists(st.builds(
        LineItemFieldCreate, choice_index=st.integers(0, 9), field_index=st.integers(0, 9), label=_text,
        type=st.sampled_from(list(ProductFieldType)), value=_text), max_size=2),
)
_changes = st.builds(
    OrderModify,
    billing_address=st.just(UNSET) | st.none() | _address, shipping_address=st.just(UNSET) | _address,
    currency=st.just(UNSET) | st.none() | _text, mobile_notifications=st.just(UNSET) | st.none() | st.booleans(),
    custom_items=st.just(UNSET) | st.lists(st.builds(CustomItem, title=_text, price=st.integers(0, 10**9)), max_size=2),
    line_items=st.just(UNSET) | st.none() | st.lists(_line_item, max_size=3),
    tags=st.just(UNSET) | st.lists(_text, max_size=3),
)


@settings(max_examples=60, deadline=None)
@given(changes=_changes)
def test_every_request_body_validates_against_the_vendor_schema(changes: OrderModify) -> None:
    call, _ = build_modify_request(BASE, ORDER_ID, changes, {}, default_shop_id=SHOP_ID,
                                   default_max_retries=2)
    (element,) = json.loads(call.request.content)
    sent = {f.name for f in attrs.fields(OrderModify) if getattr(changes, f.name) is not UNSET}
    assert set(element) == sent
    _validate(element)
