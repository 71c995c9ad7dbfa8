"""A Spree order's scalar attributes: checked at parse time, built on first read, as eager structuring builds them.

Each document is parsed twice by ``parse_order``: as it is, and with the order's checked group
refusing (every attribute through its hook). Both must give the same order, or the same error
naming its JSON path; the test also checks which way the first took.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from orderpatch._http import httpx
from orderpatch.spree import Order, OrderState, OrderUpdate
from orderpatch.spree._codec import (
    SCALARS,
    build_action_request,
    build_retrieve_request,
    build_update_request,
    parse_order,
    read_order,
)
from tests.conftest import shared_json
from tests.scalar_groups import assert_read_three_ways, pending

FIXTURE = Path(__file__).parent / "fixtures" / "order_with_included.json"

#: Every attribute Spree 4.x and 5.x send for an order, as the Platform API serializes them.
ATTRIBUTES: dict[str, Any] = {
    "number": "R484277352", "email": "spree@example.com", "state": "complete", "shipment_state": "ready",
    "payment_state": "paid", "currency": "USD", "channel": "spree", "special_instructions": None,
    "last_ip_address": "127.0.0.1", "internal_note": None, "item_count": 2, "state_lock_version": 0,
    "item_total": "100.0", "total": "110.0", "payment_total": "110.0", "shipment_total": "10.0",
    "adjustment_total": "0.0", "additional_tax_total": "0.0", "promo_total": "-5.0", "included_tax_total": "0.0",
    "taxable_adjustment_total": "0.0", "non_taxable_adjustment_total": "0.0",
    "created_at": "2024-05-14T10:11:12.345Z", "updated_at": "2024-05-14T10:12:13.456Z",
    "completed_at": "2024-05-14T10:12:13.000Z", "approved_at": None, "canceled_at": None,
    "confirmation_delivered": True, "store_owner_notification_delivered": False, "accept_marketing": False,
    "signup_for_an_account": False, "public_metadata": {"source": "pos"}, "private_metadata": {},
    "display_total": "$110.00", "display_item_total": "$100.00", "display_ship_total": "$10.00",
}


def document(**attributes: Any) -> dict[str, Any]:
    return {"data": {"id": "47", "type": "order", "attributes": {**ATTRIBUTES, **attributes},
                     "relationships": {"line_items": {"data": [{"id": "1", "type": "line_item"}]},
                                       "bill_address": {"data": None}}}}


def same(doc: Any, *, fast: bool, from_bytes: bool | None = None) -> Order | None:
    """``parse_order`` as eager structuring gives it; ``read_order`` of the body the same (or ``None``)."""
    return assert_read_three_ways(parse_order, read_order, doc, Order, fast=fast, from_bytes=from_bytes)


def test_the_attributes_are_the_group_and_id_type_relationships_included_are_not() -> None:
    assert {"number", "state", "total", "created_at", "internal_note", "public_metadata"} <= set(SCALARS.names)
    assert {"id", "type", "relationships", "included", "extra"}.isdisjoint(SCALARS.names)


def test_a_full_order_is_read_without_building_its_attributes() -> None:
    order = same(document(), fast=True)
    assert order is not None
    fresh = parse_order(copy.deepcopy(document()))
    assert fresh.id == "47"
    assert pending(Order, fresh)
    assert fresh.state is OrderState.COMPLETE
    assert not pending(Order, fresh)
    assert fresh.total == Decimal("110.0")
    assert fresh.public_metadata == {"source": "pos"}


def test_included_resources_and_the_local_fixture_read_the_same_way() -> None:
    order = same(json.loads(FIXTURE.read_text()), fast=True, from_bytes=False)  # ``included``: read as usual
    assert order is not None
    assert order.included


@pytest.mark.parametrize("name", ["update_order_200.json", "get_order_200.json", "complete_order_200.json",
                                  "approve_order_200_app_token.json"])
def test_the_vendors_examples_read_the_same_way(name: str) -> None:
    same(shared_json("vendors", "spree", "examples", name), fast=True)


@pytest.mark.parametrize(
    "attributes",
    [
        {},
        {"state": "awaiting_return", "payment_state": "new_state"},  # open enums
        {"total": 110, "item_total": 99.5, "promo_total": "1E+2"},  # numbers: the hook's Decimal
        {"internal_note": {"body": "rich text"}},  # Spree 5 may send another JSON shape
        {"created_at": "2024-05-14T10:11:12"},  # naive: taken as UTC
    ],
    ids=lambda a: ",".join(a) or "as sent",
)
def test_values_the_check_vouches_for(attributes: dict[str, Any]) -> None:
    same(document(**attributes), fast=True)


def test_an_extensions_attributes_land_in_extra_by_the_usual_read_of_the_body() -> None:
    order = same(document(loyalty_points=12, brand_new=None), fast=True, from_bytes=False)
    assert order is not None
    assert order.extra == {"loyalty_points": 12, "brand_new": None}


def _with(change: Any) -> dict[str, Any]:
    doc = document()
    change(doc)
    return doc


@pytest.mark.parametrize(
    ("change", "from_bytes"),
    [
        (lambda d: d["data"]["relationships"].update(payments={"data": []}, user={"links": {"self": "u"}}), True),
        (lambda d: d["data"]["relationships"].update(store={"data": {"id": "1", "type": "store"}}), False),
        (lambda d: d["data"]["relationships"].update(loyalty="odd"), False),  # kept raw in extra
        (lambda d: d["data"].pop("relationships"), True),
        (lambda d: d["data"].update(relationships={}), True),
        (lambda d: d["data"].update(links={"self": "https://shop/api/v2/platform/orders/47"}), False),
        (lambda d: d["data"].update(meta={"count": 1}), False),
        (lambda d: d.update(jsonapi={"version": "1.0"}, meta={}), True),  # not read by parse_order either
        (lambda d: d.update(included=[]), True),
        (lambda d: d["data"]["attributes"].update(id="clash"), False),  # kept as "attributes.id" in extra
    ],
    ids=["member without data", "undeclared relationship", "odd relationship", "no relationships",
         "relationships empty", "data links", "data meta", "document keys", "included empty", "attribute id"],
)
def test_envelopes_read_from_the_bytes_or_as_usual(change: Any, from_bytes: bool) -> None:
    same(_with(change), fast=True, from_bytes=from_bytes)


@pytest.mark.parametrize(
    "body",
    [b"", b"[]", b"not json", b'{"data": null}', b'{"data": {"id": 47, "type": "order"}}',
     b'{"data": {"id": "47", "type": "line_item"}}', b'{"data": {"id": "47", "type": "order", "attributes": null}}',
     b'{"data": {"id": "47", "type": "order"}, "included": {"x": 1}}', b'\xef\xbb\xbf{"data": {}}'],
)
def test_other_bodies_are_left_to_the_usual_read(body: bytes) -> None:
    assert read_order(body) is None


def test_a_duplicated_key_reads_as_json_does_the_last_one_wins() -> None:
    body = json.dumps(document()).encode().replace(b'"number": "R484277352"', b'"number": "R1", "number": "R2"')
    read = read_order(body)
    assert read is not None
    assert read.number == "R2" == parse_order(json.loads(body)).number


def test_a_sparse_fieldset_is_read_fast() -> None:  # no relationships either
    order = same({"data": {"id": "47", "type": "order", "attributes": {"number": "R1", "total": "1.0"}}}, fast=True)
    assert order is not None
    assert order.state is None
    assert order.total == Decimal("1.0")


@pytest.mark.parametrize(
    "attributes",
    [
        {"item_count": 2.0},  # an integral float: the hook makes it an int
        {"item_count": "2"},
        {"total": "NaN"},
        {"total": True},
        {"total": "lots"},
        {"created_at": "yesterday"},
        {"state": 3},
        {"confirmation_delivered": "yes"},
        {"public_metadata": []},
        {"number": 484277352},
    ],
    ids=lambda a: ",".join(f"{k}={v!r}" for k, v in a.items()),
)
def test_values_the_check_refuses_go_through_the_hooks(attributes: dict[str, Any]) -> None:
    same(document(**attributes), fast=False)


def test_a_refused_value_still_names_its_path() -> None:
    with pytest.raises(Exception, match=r"data\.attributes\.created_at: expected an ISO-8601 timestamp"):
        parse_order(document(created_at="yesterday"))


def test_every_order_call_reads_its_answer_from_the_bytes() -> None:
    base = httpx.URL("https://shop.test")
    calls = [build_update_request(base, "R1", OrderUpdate(email="a@example.com")), build_retrieve_request(base, "R1"),
             build_action_request(base, "R1", "approve")]
    for call in calls:
        assert call.read is read_order
