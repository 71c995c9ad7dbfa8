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

from orderpatch.spree import Order, OrderState
from orderpatch.spree._codec import SCALARS, parse_order
from tests.conftest import shared_json
from tests.scalar_groups import assert_read_as_eagerly, pending

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


def same(doc: Any, *, fast: bool) -> Order | None:
    return assert_read_as_eagerly(parse_order, doc, Order, fast=fast)


def test_the_attributes_are_the_group_and_id_type_relationships_included_are_not() -> None:
    assert {"number", "state", "total", "created_at", "internal_note", "public_metadata"} <= set(SCALARS)
    assert {"id", "type", "relationships", "included", "extra"}.isdisjoint(SCALARS)


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
    order = same(json.loads(FIXTURE.read_text()), fast=True)
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
        {"loyalty_points": 12, "brand_new": None},  # an extension's attributes: extra
    ],
    ids=lambda a: ",".join(a) or "as sent",
)
def test_values_the_check_vouches_for(attributes: dict[str, Any]) -> None:
    same(document(**attributes), fast=True)


def test_a_sparse_fieldset_is_read_fast() -> None:
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
