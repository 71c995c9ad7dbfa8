"""A Trunkery order's scalar fields are checked at parse time and built on first read, as eager structuring builds them.

Each answer is parsed twice by ``parse_modify_response``: as it is, and with the order's
checked group refusing (every field through its hook). Both must give the same order, or the
same error naming its JSON path (``[0].financial_status: …``); the test also checks which way
the first took.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from orderpatch._http import httpx
from orderpatch._types import Secret
from orderpatch.trunkery import Order, OrderFinancialStatus, OrderModify
from orderpatch.trunkery._codec import (
    DEFERRED,
    SCALARS,
    build_modify_request,
    parse_modify_response,
    read_modify_response,
)
from tests.scalar_groups import assert_read_three_ways, pending

from ._fixtures import ORDER_ID, order_payload


def parse(payload: Any) -> Order:
    return parse_modify_response(payload, order_id=ORDER_ID)


def same(*, fast: bool, from_bytes: bool | None = None, **fields: Any) -> Order | None:
    """``parse_modify_response`` as eager structuring gives it; ``read_modify_response`` of the body the same."""
    return assert_read_three_ways(parse, read, [order_payload(**fields)], Order, fast=fast, from_bytes=from_bytes)


def read(content: bytes) -> Order | None:
    return read_modify_response(content, order_id=ORDER_ID)


def test_the_scalars_are_the_group_and_id_and_nested_models_are_not() -> None:
    assert {"number", "state", "total_price", "created_at", "client_secret", "uuid", "tags"} <= set(SCALARS.names)
    assert {"id", "extra", *DEFERRED}.isdisjoint(SCALARS.names)
    assert {"customer", "gateway", "line_items"}.isdisjoint(SCALARS.names)


def test_the_order_is_read_without_building_its_scalars_and_its_id_checked() -> None:
    order = same(fast=True)
    assert order is not None
    fresh = parse([order_payload()])
    assert fresh.id == ORDER_ID
    assert pending(Order, fresh)
    assert fresh.financial_status is OrderFinancialStatus.UNPAID
    assert not pending(Order, fresh)
    assert type(fresh.client_secret) is Secret
    assert "pi_secret_123" not in repr(fresh)
    assert "5f0c6a59" not in repr(fresh)  # ``uuid`` stays out of repr


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"financial_status": "partially_refunded_v2", "state": "archived"},  # open enums
        {"tax_rounding": 1, "primary_rate": 2, "usd_rate": 1.25},  # ints for floats
        {"paid_at": "2024-05-14T10:11:12.123456+02:00", "created_at": "2024-05-14T09:00:00"},
        {"tags": [], "discount_code": "SPRING", "customer_email": None},
    ],
    ids=lambda f: ",".join(f) or "as sent",
)
def test_values_the_check_vouches_for(fields: dict[str, Any]) -> None:
    same(fast=True, **fields)


@pytest.mark.parametrize(
    "fields",
    [
        {"brand_new_field": {"a": 1}},  # kept in extra: the usual read of the body
        {"billing_address": {"id": "ad_1"}},  # a nested model its hook refuses (fields missing)
        {"customer": {"id": 5}},
    ],
    ids=lambda f: ",".join(f),
)
def test_bodies_the_struct_reader_leaves_to_the_usual_read(fields: dict[str, Any]) -> None:
    same(fast=True, from_bytes=False, **fields)


@pytest.mark.parametrize(
    "body",
    [b"{}", b"[]", b"[1]", b"not json", b'[{"id": "or_EQzGqWoY"}]'],
)
def test_other_bodies_are_left_to_the_usual_read(body: bytes) -> None:
    assert read_modify_response(body, order_id=ORDER_ID) is None


def test_two_orders_or_another_order_are_left_to_the_usual_read_and_its_error() -> None:
    two = json.dumps([order_payload(), order_payload()]).encode()
    other = json.dumps([order_payload(id="or_Other")]).encode()
    assert read_modify_response(two, order_id=ORDER_ID) is None
    assert read_modify_response(other, order_id=ORDER_ID) is None


@pytest.mark.parametrize(
    "fields",
    [
        {"total_price": 3200.0},  # an integral float: the hook makes it an int
        {"total_price": "3200"},
        {"number": True},
        {"calculated": 1},
        {"financial_status": None},
        {"created_at": None},
        {"updated_at": "2024-13-01T00:00:00Z"},
        {"client_secret": 5},
        {"tags": "vip"},
        {"currency": None},
    ],
    ids=lambda f: ",".join(f"{k}={v!r}" for k, v in f.items()),
)
def test_values_the_check_refuses_go_through_the_hooks(fields: dict[str, Any]) -> None:
    same(fast=False, **fields)


def test_a_missing_required_field_is_the_hooks_error_with_its_path() -> None:
    payload = order_payload()
    del payload["abandoned_times"]
    assert_read_three_ways(parse, read, [payload], Order, fast=False)
    with pytest.raises(Exception, match=r"\[0\]\.abandoned_times"):
        parse([copy.deepcopy(payload)])
    with pytest.raises(Exception, match=r"\[0\]\.financial_status: expected .*got null"):
        parse([order_payload(financial_status=None)])


def test_the_modify_call_reads_its_answer_from_the_bytes_for_its_own_order() -> None:
    call, _ = build_modify_request(httpx.URL("https://api.lana.dev"), ORDER_ID, OrderModify(tags=[]), {},
                                   default_shop_id="sh_EQzGqWoY", default_max_retries=2)
    assert call.read is not None
    order = call.read(json.dumps([order_payload()]).encode())
    assert order is not None
    assert pending(Order, order)
    assert call.read(json.dumps([order_payload(id="or_Other")]).encode()) is None
