"""The order's nested models are checked at parse time and built on first read, equal to eager structuring."""

from __future__ import annotations

import copy
import typing
from typing import Any

import pytest

from orderpatch._convert import ShapeError
from orderpatch._deferred import Deferred
from orderpatch.trunkery import Address, Customer, InfoCountry, Order, Ref
from orderpatch.trunkery._codec import DEFERRED, converter, parse_modify_response

from ._fixtures import ORDER_ID, address, line_item, order_payload

HINTS = typing.get_type_hints(Order)


def _slot(order: Order, name: str) -> object:
    return Order.__dict__[name]._slot.__get__(order, Order)


def _eager(payload: dict[str, Any], name: str) -> object:
    return converter.get_structure_hook(HINTS[name])(payload[name], HINTS[name])


def _rich() -> dict[str, Any]:
    return order_payload(
        shipping_address=address(id="ad_Ship", country={"id": "US"}), line_items=[line_item(), line_item(id="li_2")],
        display={"amount_due": 3200, "customer_balance_spent": 0, "discount": 0, "paid": 0, "shipping": 500,
                 "subtotal": 2500, "tax": 200, "total": 3200},
    )  # fmt: skip


def test_the_nested_models_are_deferred() -> None:
    assert {"billing_address", "shipping_address", "line_items", "display", "custom_items"} <= set(DEFERRED)
    assert {"customer", "created_at", "tags", "id"}.isdisjoint(DEFERRED)


def test_each_nested_model_is_kept_unbuilt_and_then_equals_the_eager_one() -> None:
    payload = _rich()
    order = parse_modify_response([payload], order_id=ORDER_ID)
    kept = [name for name in DEFERRED if type(_slot(order, name)) is Deferred]
    assert {"billing_address", "shipping_address", "line_items", "display", "custom_items"} <= set(kept)
    for name in DEFERRED:
        assert getattr(order, name) == _eager(payload, name), name
        assert type(_slot(order, name)) is not Deferred
    assert isinstance(order.billing_address, Address)
    assert order.billing_address.country == Ref(id="US")
    assert order.line_items[1].id == "li_2"


def test_laziness_does_not_show_in_repr_equality_or_to_dict() -> None:
    payload = _rich()
    read, unread = (parse_modify_response([payload], order_id=ORDER_ID) for _ in range(2))
    for name in DEFERRED:  # one order fully built, the other untouched
        getattr(read, name)
    assert repr(parse_modify_response([payload], order_id=ORDER_ID)) == repr(read)
    assert unread == read
    assert parse_modify_response([payload], order_id=ORDER_ID).to_dict() == read.to_dict()
    assert copy.copy(parse_modify_response([payload], order_id=ORDER_ID)) == read


def test_the_raw_answer_changed_after_parsing_does_not_change_the_order() -> None:
    payload = _rich()
    order = parse_modify_response([payload], order_id=ORDER_ID)
    payload["billing_address"]["city"] = "Elsewhere"
    payload["line_items"].clear()
    assert order.billing_address is not None
    assert order.billing_address.city == "Louisville"
    assert len(order.line_items) == 2


@pytest.mark.parametrize(
    ("overrides", "check"),
    [({"billing_address": address(country={"id": "US", "name": "United States"})},
      lambda o: isinstance(o.billing_address.country, InfoCountry) and o.billing_address.country.extra),
     ({"billing_address": address(geo_hash="dn0m")}, lambda o: o.billing_address.extra == {"geo_hash": "dn0m"}),
     ({"line_items": [line_item(quantity=2.0)]}, lambda o: type(o.line_items[0].quantity) is int),
     ({"customer": {"id": "cu_1", "email": "a@b.co"}}, lambda o: isinstance(o.customer, Customer))],
    ids=["expanded reference", "unknown key", "integral float for an int", "expanded customer"],
)  # fmt: skip
def test_a_shape_the_mirror_does_not_vouch_for_is_structured_at_once(overrides: dict[str, Any], check: Any) -> None:
    payload = order_payload(**overrides)
    order = parse_modify_response([payload], order_id=ORDER_ID)
    name = next(iter(overrides))
    if name in DEFERRED:
        assert type(_slot(order, name)) is not Deferred
    assert check(order)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [({"billing_address": address(latitude="38.2")},
      r"^\[0\]\.billing_address\.latitude: expected a number, got '38.2'"),
     ({"line_items": [line_item(), line_item(fields=[{"label": "x"}])]},
      r"^\[0\]\.line_items\[1\]\.fields\[0\]\.choice_index: missing required field"),
     ({"display": {"total": 1}}, r"^\[0\]\.display\.amount_due: missing required field")],
)  # fmt: skip
def test_a_defect_in_a_nested_model_fails_the_parse_naming_its_path(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ShapeError, match=message):
        parse_modify_response([order_payload(**overrides)], order_id=ORDER_ID)
