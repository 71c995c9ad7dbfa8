"""Neutral ``OrderChanges`` → each vendor's exact request, and what each vendor refuses before any I/O."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpx import HTTPXMock

from orderpatch._facade import Address, OrderChanges, UpdatedOrder, aupdate_order, update_order
from orderpatch._facade._registry import adapter_for, mapping_table
from orderpatch._types import JSONValue
from orderpatch.errors import ConfigurationError, UnsupportedChange, ValidationError
from tests.facade._support import METHODS, ORDER_IDS, URLS, config, seed_response

FULL_ADDRESS = Address(
    first_name="Jo", last_name="Doe", company="Acme", line1="1 Main St", line2="Apt 2", city="Louisville",
    postal_code="40202", region="KY", country_code="US", phone="+1 555 0100",
)

# The neutral changes each vendor takes, and the exact body it must send for them.
CASES: list[tuple[str, OrderChanges, JSONValue]] = [
    (
        "licensespring",
        OrderChanges(metadata={"source": "crm", "n": 1}, reference="ERP-42", language="en", customer_id="1234"),
        {"metadata": {"source": "crm", "n": 1}, "store_id": "ERP-42", "language": "en", "customer": 1234},
    ),
    (
        "licensespring",
        OrderChanges(metadata=None, reference=None, language=None, customer_id=None),
        {"metadata": None, "store_id": None, "language": None, "customer": None},
    ),
    (
        "commercelayer",
        OrderChanges(email="new@example.com", metadata={"source": "crm"}, reference="ERP-42", coupon_code="SUMMER",
                     language="it", customer_id="wBXVhKzrnq"),
        {"data": {"type": "orders", "id": "xYZkjABcde",
                  "attributes": {"customer_email": "new@example.com", "metadata": {"source": "crm"},
                                 "reference": "ERP-42", "coupon_code": "SUMMER", "language_code": "it"},
                  "relationships": {"customer": {"data": {"type": "customers", "id": "wBXVhKzrnq"}}}}},
    ),
    (
        "commercelayer",
        OrderChanges(email=None, coupon_code=None, customer_id=None),
        {"data": {"type": "orders", "id": "xYZkjABcde",
                  "attributes": {"customer_email": None, "coupon_code": None},
                  "relationships": {"customer": {"data": None}}}},
    ),
    (
        "spree",
        OrderChanges(email="new@example.com", metadata={"source": "crm"}, currency="EUR", customer_id=7,
                     note="call before delivery", billing_address=FULL_ADDRESS,
                     shipping_address=Address(city="Boston", country_code="US")),
        {"order": {"email": "new@example.com", "private_metadata": {"source": "crm"}, "currency": "EUR",
                   "user_id": "7", "internal_note": "call before delivery",
                   "bill_address_attributes": {
                       "firstname": "Jo", "lastname": "Doe", "company": "Acme", "address1": "1 Main St",
                       "address2": "Apt 2", "city": "Louisville", "zipcode": "40202", "state_name": "KY",
                       "country_iso": "US", "phone": "+1 555 0100"},
                   "ship_address_attributes": {"city": "Boston", "country_iso": "US"}}},
    ),
    (
        "trunkery",
        OrderChanges(email="new@example.com", currency="USD", coupon_code="SUMMER", customer_id="cu_EQzGqWoY",
                     tags=["vip", "crm"], billing_address=FULL_ADDRESS,
                     shipping_address=Address(last_name="Doe", line1="2 Side St", city="Louisville",
                                              postal_code="40203", region="KY", country_code="US")),
        [{"customer_email": "new@example.com", "currency": "USD", "discount_code": "SUMMER",
          "customer_id": "cu_EQzGqWoY", "tags": ["vip", "crm"],
          "billing_address": {"name": "Jo Doe", "company": "Acme", "address1": "1 Main St", "address2": "Apt 2",
                              "city": "Louisville", "zip": "40202", "province": "KY", "country": "US",
                              "phone": "+1 555 0100"},
          "shipping_address": {"name": "Doe", "address1": "2 Side St", "city": "Louisville", "zip": "40203",
                               "province": "KY", "country": "US"}}],
    ),
    ("trunkery", OrderChanges(email=None, tags=[]), [{"customer_email": None, "tags": []}]),
]

# What each vendor cannot take, and the vendor-specific alternative the error names (docs/facade.md).
UNSUPPORTED: dict[str, dict[str, str]] = {
    "licensespring": {
        "email": "orderpatch.licensespring.OrderUpdate.customer",
        "currency": "orderpatch.licensespring.OrderUpdate",
        "coupon_code": "orderpatch.licensespring.OrderUpdate",
        "billing_address": "orderpatch.licensespring.OrderUpdate",
        "shipping_address": "orderpatch.licensespring.OrderUpdate",
        "note": "orderpatch.licensespring.OrderUpdate.metadata",
        "tags": "orderpatch.licensespring.OrderUpdate.metadata",
    },
    "commercelayer": {
        "currency": "orderpatch.commercelayer.OrderUpdate.market",
        "billing_address": "orderpatch.commercelayer.OrderUpdate.billing_address",
        "shipping_address": "orderpatch.commercelayer.OrderUpdate.shipping_address",
        "note": "orderpatch.commercelayer.OrderUpdate.metadata",
        "tags": "orderpatch.commercelayer.OrderUpdate.add_tags",
    },
    "spree": {
        "reference": "orderpatch.spree.OrderUpdate.private_metadata",
        "coupon_code": "orderpatch.spree.SpreeClient.orders.apply_coupon_code",
        "language": "orderpatch.spree.OrderUpdate",
        "tags": "orderpatch.spree.OrderUpdate",
    },
    "trunkery": {
        "metadata": "orderpatch.trunkery.OrderModify",
        "reference": "orderpatch.trunkery.OrderModify",
        "language": "orderpatch.trunkery.OrderModify",
        "note": "orderpatch.trunkery.OrderModify",
    },
}
SAMPLES: dict[str, object] = {
    "email": "a@example.com", "metadata": {"k": "v"}, "reference": "R-1", "currency": "EUR", "coupon_code": "C10",
    "language": "en", "customer_id": "42", "billing_address": Address(city="X"), "shipping_address": Address(city="X"),
    "note": "a note", "tags": ["t"],
}


async def run(is_async: bool, vendor: str, changes: object) -> UpdatedOrder:
    if is_async:
        return await aupdate_order(ORDER_IDS[vendor], changes, config=config(vendor))  # type: ignore[arg-type]
    return update_order(ORDER_IDS[vendor], changes, config=config(vendor))  # type: ignore[arg-type]


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(("vendor", "changes", "body"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
async def test_neutral_changes_become_the_exact_vendor_body(
    httpx_mock: HTTPXMock, is_async: bool, vendor: str, changes: OrderChanges, body: JSONValue
) -> None:
    httpx_mock.add_response(method=METHODS[vendor], url=URLS[vendor], json=seed_response(vendor))
    order = await run(is_async, vendor, changes)
    assert order.vendor == vendor
    (request,) = httpx_mock.get_requests()
    assert json.loads(request.content) == body


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(
    ("vendor", "field", "alternative"),
    [(vendor, field, alt) for vendor, fields in UNSUPPORTED.items() for field, alt in fields.items()],
)
async def test_unsupported_fields_raise_before_any_request(
    httpx_mock: HTTPXMock, is_async: bool, vendor: str, field: str, alternative: str
) -> None:
    changes = OrderChanges(**{field: SAMPLES[field]})  # type: ignore[arg-type]
    with pytest.raises(UnsupportedChange) as exc_info:
        await run(is_async, vendor, changes)
    error = exc_info.value
    assert (error.vendor, error.field, error.alternative) == (vendor, field, alternative)
    assert str(error) == f"{vendor} cannot take OrderChanges.{field}; use {alternative} instead"
    assert isinstance(error, ValidationError)
    assert httpx_mock.get_requests() == []


@pytest.mark.parametrize("vendor", sorted(UNSUPPORTED))
def test_every_other_field_is_taken(vendor: str) -> None:
    """The supported set is the complement of the unsupported one: each maps without error."""
    for field in set(SAMPLES) - set(UNSUPPORTED[vendor]):
        value = SAMPLES[field]
        if vendor == "trunkery" and field.endswith("address"):
            value = FULL_ADDRESS
        if vendor == "commercelayer" and field == "customer_id":
            value = "wBXVhKzrnq"
        adapter_for(vendor).prepare(OrderChanges(**{field: value}))  # type: ignore[arg-type]


def test_one_unsupported_field_among_supported_ones_still_stops_everything(httpx_mock: HTTPXMock) -> None:
    with pytest.raises(UnsupportedChange, match="cannot take OrderChanges.tags"):
        update_order("R1", OrderChanges(email="a@b.co", tags=["x"]), config=config("spree"))
    assert httpx_mock.get_requests() == []


@pytest.mark.parametrize(
    ("vendor", "changes", "message"),
    [
        ("spree", OrderChanges(email=None),
         "OrderChanges.email: None (clear the field) is not possible on spree: Spree drops null values; send an "
         "empty string through orderpatch.spree.OrderUpdate where the column allows it"),
        ("spree", OrderChanges(note=None), "OrderChanges.note: None (clear the field) is not possible on spree"),
        ("trunkery", OrderChanges(billing_address=Address(city="Louisville", first_name="Jo")),
         "OrderChanges.billing_address: Trunkery needs line1, city, postal_code, region, country_code and a "
         "first_name or last_name; missing line1, postal_code, region, country_code"),
        ("trunkery", OrderChanges(shipping_address=Address(line1="1 Main", city="L", postal_code="1", region="KY",
                                                           country_code="US")),
         "OrderChanges.shipping_address: Trunkery needs line1, city, postal_code, region, country_code and a "
         "first_name or last_name; missing first_name or last_name"),
        ("licensespring", OrderChanges(customer_id="cu_1"),
         "OrderChanges.customer_id: expected an integer LicenseSpring customer id, got 'cu_1'"),
        ("licensespring", OrderChanges(), "OrderChanges: no field is set; nothing to update"),
        ("commercelayer", OrderChanges(customer_id="../x"), "CustomerRef.id: "),
    ],
)
def test_values_a_vendor_cannot_send_are_validation_errors(
    httpx_mock: HTTPXMock, vendor: str, changes: OrderChanges, message: str
) -> None:
    with pytest.raises(ValidationError) as exc_info:
        update_order(ORDER_IDS[vendor], changes, config=config(vendor))
    assert str(exc_info.value).startswith(message)
    assert not isinstance(exc_info.value, UnsupportedChange)
    assert httpx_mock.get_requests() == []


def test_the_vendor_own_request_class_is_sent_as_is(httpx_mock: HTTPXMock) -> None:
    from orderpatch.spree import OrderUpdate

    httpx_mock.add_response(method="PATCH", url=URLS["spree"], json=seed_response("spree"))
    update_order(ORDER_IDS["spree"], OrderUpdate(special_instructions=""), config=config("spree"))
    assert json.loads(httpx_mock.get_requests()[0].content) == {"order": {"special_instructions": ""}}


def test_another_vendor_request_class_is_a_configuration_error(httpx_mock: HTTPXMock) -> None:
    from orderpatch.spree import OrderUpdate

    with pytest.raises(ConfigurationError) as exc_info:
        update_order("1", OrderUpdate(email="a@b.co"), config=config("licensespring"))
    assert str(exc_info.value) == (
        "changes: orderpatch.spree.OrderUpdate is a spree request, but the configured vendor is licensespring; "
        "pass orderpatch.OrderChanges or orderpatch.licensespring.OrderUpdate"
    )
    assert exc_info.value.key == "vendor"
    assert httpx_mock.get_requests() == []


def test_anything_else_as_changes_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as exc_info:
        update_order("1", {"email": "a@b.co"}, config=config("trunkery"))  # type: ignore[arg-type]
    assert str(exc_info.value) == (
        "changes: expected orderpatch.OrderChanges or orderpatch.trunkery.OrderModify, got dict"
    )


def test_the_docs_show_the_mapping_table_of_the_code() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "facade.md").read_text(encoding="utf-8")
    assert mapping_table() in docs
    for vendor, fields in UNSUPPORTED.items():
        for field in fields:
            assert adapter_for(vendor).rules[field].__class__.__name__ == "Unsupported"


def test_an_unknown_vendor_has_no_adapter() -> None:
    with pytest.raises(ConfigurationError, match=r"^vendor: unknown vendor 'shopify' \(known vendors: commercelayer"):
        adapter_for("shopify")


def test_integer_customer_ids_and_totals_without_taxes() -> None:
    from orderpatch.commercelayer import Order

    assert adapter_for("licensespring").prepare(OrderChanges(customer_id=42)).customer == 42  # type: ignore[attr-defined]
    order = Order(id="x", total_amount_cents=500, currency_code="JPY")
    assert adapter_for("commercelayer").normalize(order).total == 500
    assert adapter_for("commercelayer").normalize(Order(id="x")).total is None
