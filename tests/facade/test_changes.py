"""``OrderChanges`` and ``Address``: checks at construction, ``from_dict``, and money in minor units."""

from __future__ import annotations

from decimal import Decimal

import pytest

from orderpatch._facade import Address, OrderChanges
from orderpatch._facade._changes import minor_units_to_decimal, redact_secrets
from orderpatch._facade._native import model_from_json
from orderpatch._types import UNSET, Secret
from orderpatch.errors import ValidationError


def test_unset_none_and_values_are_three_different_things() -> None:
    changes = OrderChanges(email=None, tags=[], metadata={"a": {"b": [1, None]}})
    assert changes.changed_fields() == ("email", "metadata", "tags")
    assert changes.reference is UNSET
    assert OrderChanges().changed_fields() == ()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"email": "not-an-email"}, "OrderChanges.email: expected an email address like name@example.com, "
                                    "got str 'not-an-email'"),
        ({"email": 3}, "OrderChanges.email: expected str | None, got int 3"),
        ({"currency": "eur"}, "OrderChanges.currency: expected a three-letter ISO 4217 code like 'EUR', got str 'eur'"),
        ({"currency": None}, "OrderChanges.currency: expected str, got NoneType None"),
        ({"language": "english!"}, "OrderChanges.language: expected a language code like 'en' or 'pt-BR', "
                                   "got str 'english!'"),
        ({"reference": " "}, "OrderChanges.reference: expected a non-empty string (None clears the field), "
                             "got str ' '"),
        ({"customer_id": 0}, "OrderChanges.customer_id: expected a positive int or a non-empty string, got int 0"),
        ({"customer_id": ""}, "OrderChanges.customer_id: expected a positive int or a non-empty string, got str ''"),
        ({"tags": ["ok", ""]}, "OrderChanges.tags: expected tags that are non-empty strings, got str ''"),
        ({"tags": "vip"}, "OrderChanges.tags: expected Sequence[str], got str 'vip'"),
        ({"metadata": {"n": float("nan")}}, "OrderChanges.metadata: expected mapping whose values are JSON value "
                                            "(finite numbers only) (at key 'n'), got dict {'n': nan}"),
        ({"billing_address": {"city": "X"}}, "OrderChanges.billing_address: expected Address, got dict {'city': 'X'}"),
    ],
)
def test_bad_changes_are_refused_at_construction(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        OrderChanges(**kwargs)  # type: ignore[arg-type]
    assert str(exc_info.value) == message


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"country_code": "USA"}, "Address.country_code: expected a two-letter ISO 3166-1 code like 'US', "
                                  "got str 'USA'"),
        ({}, "Address: no field is set; give at least one"),
        ({"city": 1}, "Address.city: expected str, got int 1"),
    ],
)
def test_bad_addresses_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        Address(**kwargs)  # type: ignore[arg-type]
    assert str(exc_info.value) == message


def test_from_dict_builds_addresses_and_refuses_unknown_keys() -> None:
    changes = OrderChanges.from_dict({"email": "a@b.co", "shipping_address": {"city": "NY", "country_code": "US"}})
    assert changes == OrderChanges(email="a@b.co", shipping_address=Address(city="NY", country_code="US"))
    with pytest.raises(ValidationError) as exc_info:
        OrderChanges.from_dict({"emial": "a@b.co"})
    assert str(exc_info.value) == (
        "OrderChanges: unknown field 'emial'; did you mean 'email'? (known: email, metadata, reference, currency, "
        "coupon_code, language, customer_id, billing_address, shipping_address, note, tags)"
    )
    assert exc_info.value.field == "OrderChanges.emial"
    with pytest.raises(ValidationError, match=r"^OrderChanges.billing_address: unknown field 'zip'"):
        OrderChanges.from_dict({"billing_address": {"zip": "1"}})
    with pytest.raises(ValidationError, match=r"^OrderChanges: expected a JSON object, got list \[\]"):
        OrderChanges.from_dict([])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [(5700, "EUR", "57.00"), (-500, "usd", "-5.00"), (500, "JPY", "500"), (1234, "KWD", "1.234"),
     (12345, "CLF", "1.2345"), (99, None, "0.99")],
)
def test_minor_units_follow_the_currency(amount: int, currency: str | None, expected: str) -> None:
    assert minor_units_to_decimal(amount, currency) == Decimal(expected)
    assert str(minor_units_to_decimal(amount, currency)) == expected


def test_redact_secrets_replaces_only_secrets_and_shares_the_rest() -> None:
    address = Address(city="NY")
    assert redact_secrets(address) is address
    data = {"a": [1, (Secret("x"), "y")], "b": {"c": 2}}
    redacted = redact_secrets(data)
    assert redacted == {"a": [1, (Secret("***"), "y")], "b": {"c": 2}}
    assert isinstance(redacted, dict)
    assert redacted["b"] is data["b"]


def test_native_json_builds_nested_vendor_models_and_refuses_unknown_keys() -> None:
    from orderpatch.commercelayer import MarketRef, OrderUpdate
    from orderpatch.spree import LineItem
    from orderpatch.spree import OrderUpdate as SpreeUpdate

    update = model_from_json(OrderUpdate, {"place": True, "market": {"id": "dlQbPhNNop"}, "metadata": {"a": 1}})
    assert update == OrderUpdate(place=True, market=MarketRef(id="dlQbPhNNop"), metadata={"a": 1})
    spree = model_from_json(SpreeUpdate, {"line_items_attributes": [{"variant_id": 1, "quantity": 2}]})
    assert spree == SpreeUpdate(line_items_attributes=[LineItem(variant_id=1, quantity=2)])
    with pytest.raises(ValidationError, match=r"^OrderUpdate: unknown field 'plac'; did you mean 'place'\?"):
        model_from_json(OrderUpdate, {"plac": True})
    with pytest.raises(ValidationError, match=r"^OrderUpdate\.market: expected MarketRef \| None, got str"):
        model_from_json(OrderUpdate, {"market": "dlQbPhNNop"})
    with pytest.raises(ValidationError, match=r"^LineItem: .*missing 1 required keyword-only argument: 'quantity'"):
        model_from_json(LineItem, {"variant_id": 1})


def test_native_json_must_be_an_object() -> None:
    from orderpatch.licensespring import OrderUpdate

    with pytest.raises(ValidationError) as exc_info:
        model_from_json(OrderUpdate, [1])
    assert str(exc_info.value) == "OrderUpdate: expected a JSON object for OrderUpdate, got list"
