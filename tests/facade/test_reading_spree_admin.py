"""The neutral ``OrderFilter`` mapped to Spree Admin API v3, and ``get_order``/``iter_orders`` through
the facade against the sandbox's v3 orders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

pytest.importorskip("starlette")

from orderpatch import Config, OrderFilter, UnsupportedFilter, aiter_orders, get_order, iter_orders
from orderpatch._facade._reading import vendor_filter
from orderpatch._facade._registry import adapter_for
from orderpatch.sandbox import DEMO_ORDER_IDS, Sandbox
from orderpatch.spree_admin import OrderFilter as AdminFilter
from orderpatch.spree_admin import OrderStatus

pytestmark = pytest.mark.loopback

ADAPTER = adapter_for("spree_admin")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


def configured(sandbox: Sandbox) -> Config:
    return Config.from_mapping({"vendor": "spree_admin", **sandbox.settings("spree_admin")})


def test_the_neutral_filter_becomes_the_v3_filter() -> None:
    since = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    mapped = vendor_filter(ADAPTER, OrderFilter(status=["placed", "canceled"], email="a@b.co", tags=["vip"],
                                                created_gte=since, number="R1", ids=["or_UkLWZg9DAJ"]))
    assert mapped == AdminFilter(status=[OrderStatus.PLACED, OrderStatus.CANCELED], email="a@b.co", tags=["vip"],
                                 created_gte=since, number="R1", ids=["or_UkLWZg9DAJ"])
    assert vendor_filter(ADAPTER, OrderFilter(status="draft")) == AdminFilter(status=OrderStatus.DRAFT)


def test_reference_is_refused_naming_field_and_vendor() -> None:
    with pytest.raises(UnsupportedFilter) as info:
        vendor_filter(ADAPTER, OrderFilter(reference="x"))
    assert (info.value.vendor, info.value.field) == ("spree_admin", "reference")


def test_get_and_iter_through_the_facade(sandbox: Sandbox) -> None:
    demo = DEMO_ORDER_IDS["spree_admin"]
    order = get_order(demo, config=configured(sandbox))
    assert (order.vendor, order.id) == ("spree_admin", demo)
    placed = list(iter_orders(OrderFilter(status="placed"), config=configured(sandbox)))
    assert placed
    assert {o.status for o in placed} == {"placed"}
    everything = [o.id for o in iter_orders(config=configured(sandbox))]
    assert len(everything) == len(set(everything)) > len(placed)


async def test_aiter_orders(sandbox: Sandbox) -> None:
    seen = [o.id async for o in aiter_orders(OrderFilter(status="canceled"), config=configured(sandbox))]
    assert seen
