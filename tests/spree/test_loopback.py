"""The Spree client against the local sandbox over a real socket (the sandbox shares no code with it).

A real connection streams its responses: these tests show the whole OAuth flow, the sub-path
and Spree's error bodies work end to end, not only against mocked transports.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from orderpatch import AuthenticationError, UnprocessableEntity
from orderpatch.spree import Address, AddressResource, AsyncSpreeClient, LineItem, OrderState, OrderUpdate, SpreeClient

pytestmark = pytest.mark.loopback
ORDER = "R484277352"  # the spec's update example, seeded by the sandbox in "delivery"


@pytest.fixture(scope="module")
def settings() -> Iterator[dict[str, Any]]:
    """The sandbox's Spree base URL (with its ``/spree`` sub-path) and OAuth application credentials."""
    sandbox_module = pytest.importorskip("orderpatch.sandbox", reason="the sandbox extra is not installed")
    with sandbox_module.Sandbox() as sandbox:
        yield dict(sandbox.settings("spree"))


def test_update_with_nested_attributes_and_actions(settings: dict[str, Any]) -> None:
    with SpreeClient(base_url=settings["base_url"], client_id=settings["client_id"],
                     client_secret=settings["client_secret"]) as spree:
        ship = Address(firstname="Jo", lastname="Doe", address1="1 Main St", city="NY", zipcode="10001",
                       phone="555", country_iso="US", state_id=516)
        changes = OrderUpdate(email="loop@example.com", ship_address_attributes=ship,
                              line_items_attributes=[LineItem(variant_id=1, quantity=1)])
        order = spree.orders.update(ORDER, changes, include=["line_items", "ship_address"])
        assert order.email == "loop@example.com"
        address = order.resolve(order.relationships.ship_address)
        assert isinstance(address, AddressResource)
        assert (address.firstname, address.city) == ("Jo", "NY")
        assert order.state is OrderState.ADDRESS  # country_iso moved the checkout back (README §3)
        assert spree.orders.next(order.number or ORDER).state is OrderState.DELIVERY
        with pytest.raises(UnprocessableEntity) as info:
            spree.orders.update(ORDER, OrderUpdate(email="bad"))
        assert [(d.field, d.detail) for d in info.value.errors] == [("email", "is invalid")]
        assert spree._auth.token_requests == 1  # type: ignore[attr-defined]


def test_a_wrong_token_is_explained(settings: dict[str, Any]) -> None:
    with SpreeClient(base_url=settings["base_url"], access_token="not-a-token") as spree, \
            pytest.raises(AuthenticationError, match="The access token is invalid"):
        spree.orders.next(ORDER)


async def test_one_token_for_100_concurrent_calls(settings: dict[str, Any]) -> None:
    async with AsyncSpreeClient(base_url=settings["base_url"], client_id=settings["client_id"],
                                client_secret=settings["client_secret"]) as spree:
        orders = await asyncio.gather(*(spree.orders.update(ORDER, OrderUpdate(channel=f"c{i}")) for i in range(100)))
        assert {o.number for o in orders} == {ORDER}
        assert spree._auth.token_requests == 1  # type: ignore[attr-defined]
