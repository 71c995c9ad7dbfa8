"""Contract tests against ../shared/vendors/commercelayer/order_update_schema.json (skipped when absent).

The saved ``orderUpdate``/``orderResponse`` are schema 3.6.0; ``current_order_fields_v7_9_16`` is
the current field list. The request schema used here is the 3.6.0 one brought to 7.9.16, with
each change stated where it is made:

* ``attributes`` lists exactly the 7.9.16 updatable attributes, with their types, and refuses
  any other name (so a wrong wire name such as ``place`` for ``_place`` fails);
* strings, datetimes and objects accept ``null``, except ``customer_password``, the ``_*_id``
  values and the tag strings (7.10.1 nullability, README §5); booleans and triggers do not;
* relationships list exactly the 7.9.16 updatable ones, each ``{"data": {"type", "id"}}`` with
  the plural type, ``null`` for a cleared to-one and an array for ``tags``;
* ``payment_source`` loses its ``oneOf`` of whole payment resources (a generator artefact that
  demands ``attributes`` a relationship linkage never has) and takes the 7.9.16 type list.

The response schema keeps the 3.6.0 attributes but drops the relationship ``data.type`` enums,
which hold the relationship name instead of the type (README §2 warning), and lets ``number``
be the string the seed and 7.9.16 use.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import attrs
import httpx
import jsonschema
import pytest

from orderpatch import UNSET
from orderpatch._models import WIRE_NAME
from orderpatch.commercelayer import (
    AddressRef,
    CustomerRef,
    MarketRef,
    OrderUpdate,
    PaymentMethodRef,
    PaymentSourceRef,
    PaymentSourceType,
    StoreRef,
    TagRef,
)
from orderpatch.commercelayer._codec import build_trigger_request, build_update_request, parse_order
from orderpatch.commercelayer._update import IDEMPOTENT, RELATIONSHIP, TRIGGER
from tests.conftest import shared_json

from .conftest import BASE, ORDER_ID, body_of, seed_document

Schema = dict[str, Any]
JSON_TYPES = {"string": "string", "boolean": "boolean", "integer": "integer", "datetime": "string", "object": "object"}
NOT_NULLABLE_STRINGS = re.compile(r"customer_password|_\w+_id|_add_tags|_remove_tags")


def _vendor() -> Schema:
    document = shared_json("vendors", "commercelayer", "order_update_schema.json")
    assert isinstance(document, dict)
    return document


def _current() -> Schema:
    current: Schema = _vendor()["current_order_fields_v7_9_16"]
    return current


def _plural(class_name: str) -> str:
    snake = re.sub(r"(?<!^)([A-Z])", r"_\1", class_name).lower()
    return snake + ("es" if snake.endswith("s") else "s")


def _attribute_schema(name: str, spec: Schema) -> Schema:
    json_type = JSON_TYPES[spec["type"]]
    nullable = json_type in ("string", "object") and not spec.get("trigger")
    nullable = nullable and not NOT_NULLABLE_STRINGS.fullmatch(name)
    return {"type": [json_type, "null"] if nullable else json_type}


def _identifier(types: list[str]) -> Schema:
    return {"type": "object", "required": ["type", "id"], "additionalProperties": False,
            "properties": {"type": {"enum": types}, "id": {"type": "string", "minLength": 1}}}


def _relationship_schema(spec: Schema) -> Schema:
    types = spec.get("enum") or [_plural(spec["class_name"])]
    if spec["type"] == "has_many":
        data: Schema = {"type": "array", "items": _identifier(types)}
    else:
        data = {"anyOf": [_identifier(types), {"type": "null"}]}
    return {"type": "object", "required": ["data"], "additionalProperties": False, "properties": {"data": data}}


def request_schema() -> Schema:
    schema: Schema = copy.deepcopy(_vendor()["update_order_request"])
    current = _current()
    data = schema["properties"]["data"]
    data["additionalProperties"] = False
    data["properties"]["attributes"] = {
        "type": "object", "additionalProperties": False,
        "properties": {name: _attribute_schema(name, spec) for name, spec in current["updatable_attributes"].items()},
    }
    data["properties"]["relationships"] = {
        "type": "object", "additionalProperties": False,
        "properties": {name: _relationship_schema(spec) for name, spec in current["updatable_relationships"].items()},
    }
    return schema


def response_schema() -> Schema:
    schema: Schema = copy.deepcopy(_vendor()["update_order_response"])
    data = schema["properties"]["data"]
    for relationship in data["properties"]["relationships"]["properties"].values():
        del relationship["properties"]["data"]["properties"]["type"]["enum"]
    data["properties"]["attributes"]["properties"]["number"]["type"] = ["string", "integer"]
    return schema


def _check(instance: object, schema: Schema) -> None:
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(instance), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def _wire_name(field: attrs.Attribute[object]) -> str:
    return str(field.metadata.get(WIRE_NAME, field.name))


def _update_fields() -> dict[str, attrs.Attribute[object]]:
    return {_wire_name(f): f for f in attrs.fields(OrderUpdate)}


# -- OrderUpdate against the current field list ------------------------------------------------

def test_order_update_has_every_updatable_attribute_and_relationship_and_nothing_else() -> None:
    current = _current()
    fields = _update_fields()
    assert len(current["updatable_attributes"]) == 59
    assert len([n for n in current["updatable_attributes"] if n.startswith("_")]) == 34
    expected = set(current["updatable_attributes"]) | set(current["updatable_relationships"])
    assert set(fields) == expected


def test_triggers_and_their_idempotent_flags_match_the_schema() -> None:
    fields = _update_fields()
    for name, spec in _current()["updatable_attributes"].items():
        field = fields[name]
        assert bool(field.metadata.get(TRIGGER)) is name.startswith("_"), name
        if name.startswith("_"):
            assert field.name == name[1:], "a trigger is its wire name without the underscore"
            assert field.metadata[IDEMPOTENT] is bool(spec.get("idempotent")), name
    for name in _current()["updatable_relationships"]:
        assert fields[name].metadata.get(RELATIONSHIP) is True, name


def test_the_3_6_0_update_attributes_kept_their_types_in_7_9_16() -> None:
    old = _vendor()["update_order_request"]["properties"]["data"]["properties"]["attributes"]["properties"]
    current = _current()["updatable_attributes"]
    for name, spec in old.items():
        assert JSON_TYPES[current[name]["type"]] == spec["type"], name


def _sample(name: str, spec: Schema) -> object:
    kind = spec["type"]
    if kind == "boolean":
        return True
    if kind == "integer":
        return 500
    if kind == "datetime":
        return dt.datetime(2018, 1, 2, 12, tzinfo=dt.UTC)
    if kind == "object":
        return {"summary_message": "Reserved", "nested": {"n": [1, None]}}
    return "cc92c23e" if name != "_add_tags" else "vip,gift"


def test_a_request_setting_every_attribute_validates() -> None:
    fields = _update_fields()
    values = {fields[name].name: _sample(name, spec) for name, spec in _current()["updatable_attributes"].items()}
    body = body_of(build_update_request(httpx.URL(BASE), ORDER_ID, OrderUpdate(**values)).request)  # type: ignore[arg-type]
    _check(body, request_schema())
    assert isinstance(body, dict)
    assert isinstance(body["data"], dict)
    assert isinstance(body["data"]["attributes"], dict)
    assert set(body["data"]["attributes"]) == set(_current()["updatable_attributes"])


def test_a_request_clearing_every_nullable_field_validates() -> None:
    nullable = {f.name: None for f in attrs.fields(OrderUpdate)
                if f.name != "tags" and "None" in str(f.type)}
    assert "coupon_code" in nullable
    assert "market" in nullable
    assert "place" not in nullable
    changes = OrderUpdate(**nullable, tags=[])  # type: ignore[arg-type]
    _check(body_of(build_update_request(httpx.URL(BASE), ORDER_ID, changes).request), request_schema())


@pytest.mark.parametrize("source_type", list(PaymentSourceType))
def test_every_relationship_and_payment_source_type_validates(source_type: PaymentSourceType) -> None:
    changes = OrderUpdate(
        market=MarketRef(id="m1"), customer=CustomerRef(id="c1"), shipping_address=AddressRef(id="a1"),
        billing_address=AddressRef(id="a2"), store=StoreRef(id="s1"), payment_method=PaymentMethodRef(id="p1"),
        payment_source=PaymentSourceRef(type=source_type, id="ps1"), tags=[TagRef(id="t1")],
    )
    _check(body_of(build_update_request(httpx.URL(BASE), ORDER_ID, changes).request), request_schema())


@pytest.mark.parametrize("trigger", ["place", "approve", "cancel", "capture", "refund", "archive", "unarchive",
                                     "refresh"])
def test_trigger_shortcut_requests_validate(trigger: str) -> None:
    call = build_trigger_request(httpx.URL(BASE), ORDER_ID, trigger)  # type: ignore[arg-type]
    _check(body_of(call.request), request_schema())


def test_the_adapted_schema_still_catches_mistakes() -> None:
    schema = request_schema()
    good = {"data": {"type": "orders", "id": "x", "attributes": {"_place": True}}}
    _check(good, schema)
    bad = [
        {"data": {"type": "orders", "id": "x", "attributes": {"place": True}}},
        {"data": {"type": "orders", "id": "x", "attributes": {"_place": None}}},
        {"data": {"type": "orders", "id": "x", "attributes": {"_capture": "true"}}},
        {"data": {"type": "orders", "id": "x"}},
        {"data": {"type": "order", "id": "x", "attributes": {}}},
        {"data": {"type": "orders", "id": "x", "attributes": {},
                  "relationships": {"market": {"data": {"type": "market", "id": "m"}}}}},
        {"data": {"type": "orders", "id": "x", "attributes": {},
                  "relationships": {"payment_source": {"data": {"id": "m"}}}}},
        {"data": {"type": "orders", "id": "x", "attributes": {}, "relationships": {"tags": {"data": None}}}},
    ]
    for instance in bad:
        assert not jsonschema.Draft7Validator(schema).is_valid(instance), instance


def test_unset_fields_are_absent_from_validated_requests() -> None:
    body = body_of(build_update_request(httpx.URL(BASE), ORDER_ID, OrderUpdate(guest=True)).request)
    _check(body, request_schema())
    assert body == {"data": {"type": "orders", "id": ORDER_ID, "attributes": {"guest": True}}}
    assert OrderUpdate().guest is UNSET


# -- responses --------------------------------------------------------------------------------

def test_the_seed_answer_validates_against_the_response_schema() -> None:
    _check(seed_document(), response_schema())


def test_every_documented_response_attribute_has_a_typed_field() -> None:
    documented = _vendor()["update_order_response"]["properties"]["data"]["properties"]["attributes"]["properties"]
    parsed = parse_order({"data": {"id": "x", "type": "orders", "attributes": {}}})
    known = {f.name for f in attrs.fields(type(parsed))}
    assert set(documented) - known == set()
    for name, spec in _current()["read_only_status_attributes"].items():
        enum_type = str(attrs.fields_dict(type(parsed))[name].type)
        members = {"status": "OrderStatus", "payment_status": "PaymentStatus",
                   "fulfillment_status": "FulfillmentStatus"}[name]
        assert members in enum_type
        module = __import__("orderpatch.commercelayer", fromlist=[members])
        assert [m.value for m in getattr(module, members)] == spec["enum"]


def test_parsed_seed_round_trips_to_what_was_sent() -> None:
    document = seed_document()
    order = parse_order(document)
    data = document["data"]
    assert isinstance(data, dict)
    attributes = data["attributes"]
    assert isinstance(attributes, Mapping)
    for name, raw in attributes.items():
        value = getattr(order, name)
        if isinstance(value, dt.datetime):
            assert value == dt.datetime.fromisoformat(str(raw)), name
        else:
            assert value == raw, name
