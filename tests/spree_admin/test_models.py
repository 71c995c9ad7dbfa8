"""Request models: every permitted key, None refused where Spree ignores it (with the reason), ids checked."""

from __future__ import annotations

from typing import Any

import pytest

from orderpatch import UNSET, ValidationError
from orderpatch.spree_admin import Address, ItemUpsert, OrderUpdate, check_prefixed_id
from orderpatch.spree_admin._codec import update_body

FULL_ADDRESS: dict[str, Any] = {"firstname": "Jo", "lastname": "Doe", "address1": "1 Main St", "city": "Albany",
                                "country_iso": "US", "state_abbr": "NY", "zipcode": "12207"}


def test_every_permitted_scalar_is_sent_flat_and_none_clears() -> None:
    changes = OrderUpdate(email="a@example.com", customer_id="cus_UkLWZg9DAJ", customer_note=None,
                          internal_note="<b>VIP</b>", currency="EUR", locale=None, market_id="mkt_UkLWZg9DAJ",
                          channel_id="ch_UkLWZg9DAJ", preferred_stock_location_id="sloc_UkLWZg9DAJ")
    assert update_body(changes) == {
        "email": "a@example.com", "customer_id": "cus_UkLWZg9DAJ", "customer_note": None,
        "internal_note": "<b>VIP</b>", "currency": "EUR", "locale": None, "market_id": "mkt_UkLWZg9DAJ",
        "channel_id": "ch_UkLWZg9DAJ", "preferred_stock_location_id": "sloc_UkLWZg9DAJ",
    }


def test_unset_fields_are_omitted() -> None:
    assert update_body(OrderUpdate()) == {}
    assert update_body(OrderUpdate(customer_note="x")) == {"customer_note": "x"}


def test_objects_and_arrays_replace_and_clear_with_empty() -> None:
    body = update_body(OrderUpdate(metadata={}, tags=[], items=[]))
    assert body == {"metadata": {}, "tags": [], "items": []}


@pytest.mark.parametrize("name", ["metadata", "tags", "ship_address", "bill_address", "items"])
def test_none_is_refused_for_objects_and_arrays_with_the_reason(name: str) -> None:
    none: dict[str, Any] = {name: None}
    with pytest.raises(ValidationError, match="Spree ignores null for objects and arrays") as info:
        OrderUpdate(**none)
    assert info.value.field == f"OrderUpdate.{name}"


def test_the_v2_name_special_instructions_does_not_exist() -> None:
    with pytest.raises(TypeError):
        OrderUpdate(special_instructions="x")  # type: ignore[call-arg]


def test_address_is_sent_whole_and_partial_addresses_are_refused() -> None:
    body = update_body(OrderUpdate(ship_address=Address(**FULL_ADDRESS)))
    assert body == {"ship_address": FULL_ADDRESS}
    with pytest.raises(ValidationError, match="send the complete address") as info:
        Address(city="Albany")
    assert info.value.field == "Address.firstname"


def test_address_refuses_none_and_both_aliases() -> None:
    with pytest.raises(ValidationError, match="created new"):
        Address(**{**FULL_ADDRESS, "phone": None})
    with pytest.raises(ValidationError, match="firstname or first_name"):
        Address(**FULL_ADDRESS, first_name="Jo")
    address = Address(first_name="Jo", last_name="Doe", address1="1 Main", city="X", country_id=42)
    assert update_body(OrderUpdate(bill_address=address))["bill_address"]["country_id"] == 42


def test_items_upsert_by_variant() -> None:
    items = [ItemUpsert(variant_id="variant_VqXmZF31wY", quantity=3, metadata={"gift": True}),
             ItemUpsert(variant_id=17)]
    assert update_body(OrderUpdate(items=items))["items"] == [
        {"variant_id": "variant_VqXmZF31wY", "quantity": 3, "metadata": {"gift": True}}, {"variant_id": 17}]


@pytest.mark.parametrize("quantity", [0, -1])
def test_a_quantity_below_one_is_refused_because_spree_skips_it(quantity: int) -> None:
    with pytest.raises(ValidationError, match="remove_item"):
        ItemUpsert(variant_id="variant_VqXmZF31wY", quantity=quantity)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"customer_id": "prod_UkLWZg9DAJ"}, "OrderUpdate.customer_id"),
    ({"market_id": "mkt_short"}, "OrderUpdate.market_id"),
    ({"channel_id": 5}, "OrderUpdate.channel_id"),
    ({"currency": "usd"}, "OrderUpdate.currency"),
    ({"tags": ["ok", " "]}, "OrderUpdate.tags"),
    ({"customer_id": "cus_UkLWZg9DAJ", "user_id": "cus_UkLWZg9DAJ"}, "OrderUpdate.user_id"),
    ({"email": 5}, "OrderUpdate.email"),
])
def test_bad_values_name_the_field(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        OrderUpdate(**kwargs)
    assert info.value.field == field


def test_wrong_prefix_says_spree_does_not_check_it() -> None:
    with pytest.raises(ValidationError, match="another kind of record"):
        check_prefixed_id("prod_UkLWZg9DAJ", "or", field="order_id")
    with pytest.raises(ValidationError, match="retrieve_by_number"):
        check_prefixed_id("R801110570", "or", field="order_id")
    with pytest.raises(ValidationError, match="positive int"):
        check_prefixed_id(True, "variant", field="variant_id", numeric_ok=True)
    assert check_prefixed_id("cntry_UkLWZg9DAJ", "*", field="x") == "cntry_UkLWZg9DAJ"
    assert OrderUpdate(customer_id=None).customer_id is None
    assert OrderUpdate().email is UNSET
