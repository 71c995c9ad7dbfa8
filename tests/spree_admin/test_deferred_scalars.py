"""A Spree Admin API v3 order: scalar fields checked at parse time and built on first read, the body read from bytes.

Each answer is parsed three ways: ``parse_order`` as it is, ``parse_order`` with the order's
checked group refusing (every field through its hook), and ``read_order`` of its bytes (the
struct reader the client tries first). All must give the same order, or ``read_order`` ``None``
and the others the same error; the tests also check which way each took.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from orderpatch._http import httpx
from orderpatch.spree_admin import Order, OrderStatus, OrderUpdate
from orderpatch.spree_admin._codec import (
    SCALARS,
    build_action_request,
    build_retrieve_request,
    build_update_request,
    parse_order,
    read_order,
)
from tests.conftest import shared_json
from tests.scalar_groups import assert_read_three_ways

from .conftest import ORDER, ORDER_ID


def same(payload: Any, *, fast: bool, from_bytes: bool | None = None) -> Order | None:
    return assert_read_three_ways(parse_order, read_order, payload, Order, fast=fast, from_bytes=from_bytes)


def test_the_scalars_are_the_group_and_id_is_not() -> None:
    assert {"number", "status", "total", "completed_at", "email"} <= set(SCALARS.names)
    assert "id" not in SCALARS.names


def test_the_vendors_example_is_read_from_its_bytes() -> None:
    order = same(shared_json("vendors", "spree-v3", "examples", "update_order_200.json"), fast=True)
    assert order is not None


def test_a_small_order_is_read_from_its_bytes() -> None:
    order = same(dict(ORDER), fast=True)
    assert order is not None
    assert order.status is OrderStatus.DRAFT


@pytest.mark.parametrize(
    "change",
    [{"status": "brand_new_status"}, {"total": 19.99}, {"completed_at": "2025-01-01T10:00:00Z"}, {"email": None}],
    ids=lambda c: ",".join(c),
)
def test_values_the_check_vouches_for(change: dict[str, Any]) -> None:
    same({**ORDER, **change}, fast=True)


@pytest.mark.parametrize(
    "change",
    [{"total": "NaN"}, {"total": True}, {"status": 3}, {"completed_at": "yesterday"}, {"number": 801110570}],
    ids=lambda c: ",".join(f"{k}={v!r}" for k, v in c.items()),
)
def test_values_the_check_refuses_go_through_the_hooks(change: dict[str, Any]) -> None:
    same({**ORDER, **change}, fast=False)


def test_an_unknown_field_is_kept_in_extra_by_the_usual_read() -> None:
    order = same({**ORDER, "loyalty_tier": "gold"}, fast=True, from_bytes=False)
    assert order is not None
    assert order.extra == {"loyalty_tier": "gold"}


def test_a_wrapped_answer_is_left_to_the_usual_read_and_its_error() -> None:
    assert read_order(json.dumps({"order": ORDER}).encode()) is None
    assert read_order(b"[]") is None
    assert read_order(b"not json") is None


def test_the_order_calls_are_wired_to_the_typed_read_but_cancel_is_checked_as_usual() -> None:
    base = httpx.URL("https://shop.test")
    for call in (build_retrieve_request(base, ORDER_ID), build_update_request(base, ORDER_ID, OrderUpdate()),
                 build_action_request(base, ORDER_ID, "approve")):
        assert call.read is read_order
    assert build_action_request(base, ORDER_ID, "cancel").read is None
