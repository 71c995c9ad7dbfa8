"""The proof of the keyset walks: on a 1,000-order sandbox, each vendor's ``list`` selects orders
while the same loop updates every order it sees, and no order is missed or seen twice.

Where the update moves the order *out of the selection* (Commerce Layer: ``_approve`` on a
``status=placed`` walk; Spree: ``cancel`` on a ``state=complete`` walk; Trunkery: paying a cart
would too, but the sandbox only edits carts, so its walk changes their tags), an offset walk
would skip orders; the keyset does not. LicenseSpring has offsets only: its walk keeps the
filtered field unchanged, as its docs advise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from orderpatch.commercelayer import CommerceLayerClient, OrderStatus
from orderpatch.commercelayer import OrderFilter as CLFilter
from orderpatch.licensespring import LicenseSpringClient
from orderpatch.licensespring import OrderFilter as LSFilter
from orderpatch.licensespring import OrderUpdate as LSUpdate
from orderpatch.sandbox import Sandbox
from orderpatch.spree import OrderFilter as SpreeFilter
from orderpatch.spree import OrderState, SpreeClient
from orderpatch.trunkery import AsyncTrunkeryClient, OrderModify
from orderpatch.trunkery import OrderFilter as LanaFilter

ORDERS = 1000


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(orders=ORDERS) as running:
        yield running


def test_commercelayer_walk_while_approving_every_order_seen(sandbox: Sandbox) -> None:
    selection = CLFilter(status=OrderStatus.PLACED)
    with CommerceLayerClient(**sandbox.settings("commercelayer")) as client:
        expected = [order.id for order in client.orders.list(selection)]
        assert len(expected) == 2 * ORDERS // 5  # statuses cycle placed, approved, pending, placed, cancelled
        seen = []
        for order in client.orders.list(selection):
            seen.append(order.id)
            assert client.orders.approve(order.id).status == OrderStatus.APPROVED  # leaves the selection
        assert seen == expected
        assert client.orders.list_page(selection).items == ()


def test_spree_walk_while_cancelling_every_order_seen(sandbox: Sandbox) -> None:
    selection = SpreeFilter(state=OrderState.COMPLETE, created_gte=_start())
    with SpreeClient(**sandbox.settings("spree")) as client:
        expected = [order.id for order in client.orders.list(selection, page_size=100)]
        assert len(expected) == ORDERS // 2
        seen = []
        for order in client.orders.list(selection, page_size=100):
            seen.append(order.id)
            assert client.orders.cancel(order.id).state == OrderState.CANCELED  # leaves the selection
        assert seen == expected
        assert client.orders.list_page(selection).total_count == 0


def test_licensespring_walk_while_updating_every_order_seen(sandbox: Sandbox) -> None:
    selection = LSFilter(is_archived=False, raw={"store_id__startswith": "sbx-"})
    with LicenseSpringClient(**sandbox.settings("licensespring")) as client:
        expected = [order.id for order in client.orders.list(selection)]
        assert len(expected) == ORDERS - ORDERS // 10
        seen = []
        for order in client.orders.list(selection):
            seen.append(order.id)
            client.orders.update(order.id, LSUpdate(metadata={"walked": True}))
        assert seen == expected
        assert all(client.orders.retrieve(order_id).metadata == {"walked": True} for order_id in seen[::97])


async def test_trunkery_walk_while_modifying_every_order_seen(sandbox: Sandbox) -> None:
    selection = LanaFilter(cart=True, created_at_min=_start())
    async with AsyncTrunkeryClient(**sandbox.settings("trunkery")) as client:
        expected = [order.id async for order in client.orders.list(selection)]
        assert len(expected) == ORDERS // 2
        seen = []
        async for order in client.orders.list(selection):
            seen.append(order.id)
            await client.orders.modify(order.id, OrderModify(tags=["walked"]), if_updated_at=order.updated_at)
        assert seen == expected
        for order_id in seen[::97]:
            assert (await client.orders.retrieve(order_id)).tags == ["walked"]


def _start() -> dt.datetime:
    """When the generated orders begin (the seeded examples are older)."""
    return dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
