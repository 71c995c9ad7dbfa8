"""The ``Order`` against the vendor's ``order.schema.json``: every field, every nested type, round trips."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import attrs
import jsonschema
import pytest

import orderpatch.trunkery as trunkery
from orderpatch import Secret
from orderpatch._models import WIRE_NAME
from orderpatch.trunkery import (
    Address,
    Customer,
    Expanded,
    Order,
    OrderFinancialStatus,
    OrderHistoryChange,
    OrderState,
    ProductFieldType,
    Ref,
)
from orderpatch.trunkery._codec import converter, parse_modify_response

from ..conftest import shared_json
from ._fixtures import ORDER_ID, order_payload

TIMESTAMPS = {"invoice_due_date", "on_hold_until"}


def _schema() -> dict[str, Any]:
    schema = shared_json("vendors", "trunkery", "order.schema.json")
    assert isinstance(schema, dict)
    return schema


def sample(schema: dict[str, Any], defs: dict[str, Any], *, required_only: bool, key: str = "") -> Any:
    """A value valid for ``schema``: every property, or only the required ones (``id`` kept on expanded objects).

    The schema types timestamps as plain strings; ``*_at`` keys and two others get RFC 3339 text.
    """
    if "$ref" in schema:
        return sample(defs[schema["$ref"].rsplit("/", 1)[1]], defs, required_only=required_only, key=key)
    if "anyOf" in schema:
        branch = next(b for b in schema["anyOf"] if b.get("type") != "null")
        return sample(branch, defs, required_only=required_only, key=key)
    if "enum" in schema:
        return schema["enum"][-1]
    kind = schema.get("type")
    if kind == "object":
        wanted = set(schema.get("required", [])) | {"id"} if required_only else set(schema["properties"])
        return {name: sample(prop, defs, required_only=required_only, key=name)
                for name, prop in schema["properties"].items() if name in wanted}
    if kind == "array":
        return [sample(schema["items"], defs, required_only=required_only, key=key)]
    if kind == "string":
        return "2024-05-14T10:11:12.5Z" if key.endswith("_at") or key in TIMESTAMPS else f"{key}_X1"
    assert kind in ("number", "boolean"), schema
    return 7 if kind == "number" else True


def _order_sample(*, required_only: bool) -> dict[str, Any]:
    schema = _schema()
    payload = sample(schema, schema["$defs"], required_only=required_only)
    jsonschema.Draft202012Validator(schema).validate(payload)
    return dict(payload)


def _model_classes() -> dict[str, Any]:
    return {name: getattr(trunkery, name) for name in trunkery.__all__ if attrs.has(getattr(trunkery, name))}


def test_every_one_of_the_82_fields_is_modelled() -> None:
    schema = _schema()
    wire = {f.metadata.get(WIRE_NAME, f.name) for f in attrs.fields(Order)} - {"extra"}
    assert len(schema["properties"]) == 82
    assert wire == set(schema["properties"])
    required = {f.metadata.get(WIRE_NAME, f.name) for f in attrs.fields(Order) if f.default is attrs.NOTHING}
    assert required == set(schema["required"])


def test_every_nested_type_matches_its_definition() -> None:
    defs = _schema()["$defs"]
    classes = _model_classes()
    modelled = [name for name, d in defs.items() if d.get("type") == "object"]
    for name in modelled:
        cls = classes[name]
        wire = {f.metadata.get(WIRE_NAME, f.name) for f in attrs.fields(cls)} - {"extra"}
        assert wire == set(defs[name]["properties"]), name
        if not issubclass(cls, Expanded):  # expanded objects are opaque but for their id
            required = {f.metadata.get(WIRE_NAME, f.name) for f in attrs.fields(cls) if f.default is attrs.NOTHING}
            assert required == set(defs[name].get("required", [])), name
    enums = {name for name, d in defs.items() if "enum" in d}
    for name in enums:
        assert [m.value for m in classes.get(name, getattr(trunkery, name))] == defs[name]["enum"], name


@pytest.mark.parametrize("required_only", [False, True], ids=["all-fields", "required-only"])
def test_an_order_built_from_the_schema_parses_and_round_trips(required_only: bool) -> None:
    payload = _order_sample(required_only=required_only)
    payload["id"] = ORDER_ID

    order = parse_modify_response([payload], order_id=ORDER_ID)

    assert order.extra == {}
    assert order.created_at == dt.datetime(2024, 5, 14, 10, 11, 12, 500000, tzinfo=dt.UTC)
    assert isinstance(order.client_secret, Secret)
    assert order.client_secret.get_secret_value() == "client_secret_X1"
    assert order.state is OrderState.RESERVED
    if required_only:
        assert order.customer is None
    else:
        assert order.customer == Ref(id="id_X1")
    again = converter.unstructure(order)
    jsonschema.Draft202012Validator(_schema()).validate(again)
    assert set(again) == set(_schema()["properties"])  # a field the answer left out comes back as null


def test_the_realistic_fixture_is_a_valid_vendor_order() -> None:
    jsonschema.Draft202012Validator(_schema()).validate(order_payload())


def test_money_is_integer_minor_units_and_rates_are_floats() -> None:
    order = parse_modify_response([order_payload(total_price=3200.0, usd_rate=1)], order_id=ORDER_ID)
    assert (order.total_price, order.subtotal_price, order.shipping_price) == (3200, 2500, 500)
    assert type(order.total_price) is int
    assert type(order.usd_rate) is float
    assert order.line_items[0].detail is not None
    assert order.line_items[0].detail.price == 1250


def test_unknown_fields_and_enum_values_are_kept() -> None:
    payload = order_payload(financial_status="pending_review", loyalty_points=12)
    payload["line_items"][0]["fields"][0]["type"] = "color"
    payload["billing_address"]["what3words"] = "index.home.raft"
    order = parse_modify_response([payload], order_id=ORDER_ID)
    assert order.extra == {"loyalty_points": 12}
    assert order.financial_status == "pending_review"
    assert isinstance(order.financial_status, OrderFinancialStatus)
    assert not order.financial_status.is_known
    assert order.line_items[0].fields[0].type == "color"
    assert isinstance(order.line_items[0].fields[0].type, ProductFieldType)
    assert isinstance(order.billing_address, Address)
    assert order.billing_address.extra == {"what3words": "index.home.raft"}
    assert converter.unstructure(order)["loyalty_points"] == 12


def test_an_expanded_reference_is_the_object_and_a_bare_one_is_a_ref() -> None:
    customer = {"id": "cu_EQzGqWoY", "email": "new@example.com", "first_name": "John"}
    order = parse_modify_response([order_payload(customer=customer, user={"id": "us_1"})], order_id=ORDER_ID)
    assert isinstance(order.customer, Customer)
    assert order.customer.id == "cu_EQzGqWoY"
    assert order.customer.extra == {"email": "new@example.com", "first_name": "John"}
    assert order.user == Ref(id="us_1")
    assert order.billing_address is not None
    assert order.billing_address.country == Ref(id="US")


def test_history_entries_with_the_from_key() -> None:
    entry = {
        "action": "state_change", "created_at": "2024-05-14T10:00:00Z", "authorize_transaction": None,
        "cancel": None, "capture_transaction": None, "fulfillment_canceled": None, "fulfillment_completed": None,
        "fulfillment_created": None, "fulfillment_modified": None, "manual_payment": None, "manual_refund": None,
        "refund_transaction": None, "restock": None, "void_transaction": None,
        "state_change": {"from": "cart", "name": "state", "to": "manual_payment"},
    }
    order = parse_modify_response([order_payload(history=[entry])], order_id=ORDER_ID)
    assert order.history[0].state_change == OrderHistoryChange(from_="cart", name="state", to="manual_payment")
    assert converter.unstructure(order.history[0])["state_change"]["from"] == "cart"


def test_secrets_of_an_order_stay_out_of_its_repr() -> None:
    payload = order_payload()
    order = parse_modify_response([payload], order_id=ORDER_ID)
    text = repr(order)
    assert payload["client_secret"] not in text
    assert payload["uuid"] not in text
    assert order.uuid == payload["uuid"]
    assert "total_price=3200" in text


def test_a_nested_type_error_is_a_shape_error_naming_the_problem() -> None:
    payload = copy.deepcopy(order_payload())
    payload["line_items"][0]["quantity"] = "2"
    message = r"^\[0\]\.line_items\[0\]\.quantity: expected an integer, got '2'; the vendor answered 2xx"
    with pytest.raises(ValueError, match=message):
        parse_modify_response([payload], order_id=ORDER_ID)
