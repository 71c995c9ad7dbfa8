"""Spree request models: ``None`` refused with the reason, wrong types and unsafe values refused at construction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderpatch import UNSET, ValidationError
from orderpatch.spree import Address, LineItem, OrderState, OrderUpdate
from orderpatch.spree._codec import order_body


@pytest.mark.parametrize("field", ["email", "special_instructions", "user_id", "total", "state", "public_metadata",
                                   "bill_address_attributes", "line_items_attributes", "completed_at"])
def test_none_is_refused_because_spree_drops_nulls(field: str) -> None:
    with pytest.raises(ValidationError) as info:
        OrderUpdate(**{field: None})  # type: ignore[arg-type]
    assert info.value.field == f"OrderUpdate.{field}"
    message = str(info.value)
    assert "Spree drops keys whose value is null" in message
    assert "UNSET" in message
    assert '""' in message


@pytest.mark.parametrize(("cls", "kwargs", "field"), [
    (Address, {"city": None}, "Address.city"),
    (LineItem, {"variant_id": 1, "quantity": 1, "price": None}, "LineItem.price"),
])
def test_none_in_nested_models_says_they_are_always_new(cls: type[Any], kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError, match="always created new") as info:
        cls(**kwargs)
    assert info.value.field == field


@pytest.mark.parametrize(("cls", "kwargs"), [
    (Address, {"city": "NY"}), (LineItem, {"variant_id": 1, "quantity": 1}),
])
@pytest.mark.parametrize("name", ["public_metadata", "private_metadata"])
@pytest.mark.parametrize("value", [{"floor": 3}, {}, None])
def test_nested_metadata_is_refused_because_rails_drops_it(cls: type[Any], kwargs: dict[str, Any], name: str,
                                                             value: object) -> None:
    with pytest.raises(ValidationError, match="Rails drops every object value") as info:
        cls(**kwargs, **{name: value})
    assert info.value.field == f"{cls.__name__}.{name}"
    assert "OrderUpdate.public_metadata" in str(info.value)  # says where metadata does work


def test_line_items_take_the_scalar_columns_spree_permits() -> None:
    item = LineItem(variant_id=1, quantity=2, price=Decimal("9.99"), currency="EUR", cost_price=5)
    body = order_body(OrderUpdate(line_items_attributes=[item]))
    assert body == {"order": {"line_items_attributes": [
        {"variant_id": "1", "quantity": 2, "price": 9.99, "currency": "EUR", "cost_price": 5}]}}
    with pytest.raises(ValidationError) as info:
        LineItem(variant_id=1, quantity=1, price=1.5)  # type: ignore[arg-type]
    assert info.value.field == "LineItem.price"


@pytest.mark.parametrize(("kwargs", "field", "expected"), [
    ({"email": 5}, "OrderUpdate.email", "str"),
    ({"total": 1.5}, "OrderUpdate.total", "Decimal"),
    ({"total": Decimal("NaN")}, "OrderUpdate.total", "finite Decimal"),
    ({"total": True}, "OrderUpdate.total", "Decimal"),
    ({"item_count": "2"}, "OrderUpdate.item_count", "int"),
    ({"state": "shipped"}, "OrderUpdate.state", "OrderState"),
    ({"completed_at": dt.datetime(2024, 1, 1)}, "OrderUpdate.completed_at", "timezone-aware"),
    ({"considered_risky": 1}, "OrderUpdate.considered_risky", "bool"),
    ({"public_metadata": {"a": object()}}, "OrderUpdate.public_metadata", "JSON value"),
    ({"public_metadata": "{}"}, "OrderUpdate.public_metadata", "Mapping"),
    ({"bill_address_attributes": {"city": "NY"}}, "OrderUpdate.bill_address_attributes", "Address"),
    ({"line_items_attributes": LineItem(variant_id=1, quantity=1)}, "OrderUpdate.line_items_attributes", "Sequence"),
    ({"line_items_attributes": [{"variant_id": 1}]}, "OrderUpdate.line_items_attributes", "LineItem"),
    # typing caches equal unions, so another module's ``str | int`` may set the order of the names.
    ({"user_id": 1.0}, "OrderUpdate.user_id", r"(int \| str|str \| int)"),
])
def test_wrong_types_are_refused_naming_the_field(kwargs: dict[str, Any], field: str, expected: str) -> None:
    with pytest.raises(ValidationError, match=expected) as info:
        OrderUpdate(**kwargs)
    assert info.value.field == field


@pytest.mark.parametrize("value", [0, -1, "", "../1", "1/2", "a b"])
def test_record_ids_must_be_safe(value: object) -> None:
    with pytest.raises(ValidationError, match=r"OrderUpdate\.ship_address_id") as info:
        OrderUpdate(ship_address_id=value)  # type: ignore[arg-type]
    assert info.value.field == "OrderUpdate.ship_address_id"


def test_nested_ids_are_checked_too() -> None:
    with pytest.raises(ValidationError, match=r"Address\.country_id"):
        Address(country_id="../224")
    with pytest.raises(ValidationError, match=r"LineItem\.variant_id"):
        LineItem(variant_id=-3, quantity=1)


def test_money_a_json_number_cannot_carry_is_refused() -> None:
    with pytest.raises(ValidationError, match="carries exactly") as info:
        OrderUpdate(total=Decimal("12345678901234567.89"))
    assert info.value.field == "OrderUpdate.total"
    OrderUpdate(total=Decimal("99999999.99"))  # Spree's decimal(10,2) range fits


@pytest.mark.parametrize("quantity", [0, -2])
def test_line_item_quantity_is_at_least_one(quantity: int) -> None:
    with pytest.raises(ValidationError, match="at least 1") as info:
        LineItem(variant_id=1, quantity=quantity)
    assert info.value.field == "LineItem.quantity"


def test_line_item_needs_variant_and_quantity() -> None:
    with pytest.raises(TypeError):
        LineItem(variant_id=1)  # type: ignore[call-arg]


def test_extra_attributes_may_not_shadow_typed_fields_or_be_null() -> None:
    with pytest.raises(ValidationError, match="'email' is a typed field") as info:
        OrderUpdate(extra_attributes={"email": "x@y.z"})
    assert info.value.field == "OrderUpdate.extra_attributes['email']"
    with pytest.raises(ValidationError, match="Spree drops keys whose value is null"):
        OrderUpdate(extra_attributes={"number": None})


def test_known_state_strings_are_accepted_at_run_time() -> None:
    assert order_body(OrderUpdate(state="canceled")) == {"order": {"state": "canceled"}}  # type: ignore[arg-type]


def test_models_are_frozen_and_hashable_without_lists() -> None:
    changes = OrderUpdate(email="a@b.co", state=OrderState.CART)
    with pytest.raises(AttributeError):
        changes.email = "c@d.e"  # type: ignore[misc]
    assert changes == OrderUpdate(email="a@b.co", state=OrderState.CART)
    assert "email='a@b.co'" in repr(changes)


def test_adds_records_only_for_record_creating_attributes() -> None:
    assert not OrderUpdate(email="a@b.co", bill_address_attributes=Address(city="NY")).adds_records
    assert not OrderUpdate(extra_attributes={"number": "R1"}).adds_records
    assert OrderUpdate(line_items_attributes=[LineItem(variant_id=1, quantity=1)]).adds_records
    assert OrderUpdate(extra_attributes={"payments_attributes": [{"amount": 5}]}).adds_records


_TEXT_FIELDS = ("email", "special_instructions", "currency", "channel", "last_ip_address", "internal_note")


@given(st.dictionaries(st.sampled_from(_TEXT_FIELDS), st.text(max_size=40)),
       st.dictionaries(st.sampled_from(("confirmation_delivered", "considered_risky")), st.booleans()))
def test_the_body_holds_exactly_the_fields_that_were_set(texts: dict[str, str], flags: dict[str, bool]) -> None:
    changes = OrderUpdate(**texts, **flags)  # type: ignore[arg-type]
    assert order_body(changes) == {"order": {**texts, **flags}}
    assert UNSET not in order_body(changes)["order"].values()


@pytest.mark.parametrize(
    "model",
    [OrderUpdate(), OrderUpdate(email="a@b.co", item_count=2, state=OrderState.CART),
     Address(firstname="Jo", city="NY", country_iso="US"), LineItem(variant_id=7, quantity=1)],
    ids=["nothing set", "some order fields", "an address", "a line item"],
)  # fmt: skip
def test_the_generated_set_fields_reads_what_a_getattr_loop_reads(model: Any) -> None:
    import attrs

    from orderpatch.spree.models import _set_fields, _spree_fields

    loop = [(name, value, reason, is_id) for name, reason, is_id in _spree_fields(type(model))
            if (value := getattr(model, name)) is not UNSET]  # fmt: skip
    assert _set_fields(type(model))(model) == loop
    fields = attrs.fields(type(model))
    assert [name for name, *_ in loop] == [f.name for f in fields if getattr(model, f.name) is not UNSET]
