"""Property tests (hypothesis): every OrderUpdate built becomes a flat body the brief's schema accepts, under 100 KB
or refused before sending; every id with a wrong prefix is refused naming its field."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderpatch import ValidationError
from orderpatch.spree_admin import Address, ItemUpsert, OrderUpdate
from orderpatch.spree_admin._codec import build_update_request

from .test_contract import BASE, ORDER_ID, brief_update_schema

_SCHEMA: dict[str, Any] = {}


def schema() -> dict[str, Any]:
    if not _SCHEMA:
        _SCHEMA.update(brief_update_schema())
    return _SCHEMA

SQID = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789", min_size=10, max_size=14)
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
JSON = st.recursive(st.none() | st.booleans() | st.integers(-(2**53), 2**53) | TEXT,
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3), max_leaves=8)


def prefixed(prefix: str) -> st.SearchStrategy[str]:
    return SQID.map(lambda sqid: f"{prefix}_{sqid}")


ADDRESSES = st.builds(Address, firstname=TEXT, lastname=TEXT, address1=TEXT, city=TEXT, country_iso=st.just("US"),
                      zipcode=TEXT, phone=TEXT, state_abbr=st.just("NY"))
ITEMS = st.lists(st.builds(ItemUpsert, variant_id=prefixed("variant") | st.integers(1, 2**40),
                           quantity=st.integers(1, 1000), metadata=st.dictionaries(TEXT, JSON, max_size=2)),
                 max_size=3)
UPDATES = st.builds(
    OrderUpdate,
    email=st.none() | TEXT, customer_id=st.none() | prefixed("cus"), customer_note=st.none() | TEXT,
    internal_note=st.none() | TEXT, currency=st.none() | st.sampled_from(["USD", "EUR"]), locale=st.none() | TEXT,
    market_id=st.none() | prefixed("mkt"), channel_id=st.none() | prefixed("ch"),
    preferred_stock_location_id=st.none() | prefixed("sloc"), metadata=st.dictionaries(TEXT, JSON, max_size=3),
    tags=st.lists(TEXT.filter(lambda t: bool(t.strip())), max_size=3), ship_address=ADDRESSES,
    bill_address=ADDRESSES, items=ITEMS,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(UPDATES)
def test_every_update_is_a_body_the_brief_accepts(changes: OrderUpdate) -> None:
    call = build_update_request(BASE, ORDER_ID, changes)
    body = json.loads(call.request.content or b"")
    jsonschema.validate(body, schema())
    assert call.request.headers["Content-Type"] == "application/json"
    assert "order" not in body


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["customer_id", "market_id", "channel_id", "preferred_stock_location_id"]),
       st.sampled_from(["prod", "or", "variant", "li", ""]), SQID)
def test_a_wrong_prefix_is_refused_naming_the_field(field: str, prefix: str, sqid: str) -> None:
    value = f"{prefix}_{sqid}" if prefix else sqid
    kwargs: dict[str, Any] = {field: value}
    with pytest.raises(ValidationError) as info:
        OrderUpdate(**kwargs)
    assert info.value.field == f"OrderUpdate.{field}"
