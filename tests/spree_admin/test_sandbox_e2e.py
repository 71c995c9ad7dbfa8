"""End to end against the bundled sandbox (a real loopback server): both clients, replays, silent no-ops refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from orderpatch import UNSET, NotFound, PermissionDenied, ValidationError
from orderpatch.sandbox import DEMO_ORDER_IDS, SANDBOX_CREDENTIALS, Sandbox
from orderpatch.sandbox._spree_admin import SpreeAdmin
from orderpatch.spree_admin import (
    Address,
    AsyncSpreeAdminClient,
    ItemUpsert,
    OrderNotCanceled,
    OrderStatus,
    OrderUpdate,
    SpreeAdminClient,
)

pytestmark = pytest.mark.loopback
DRAFT = DEMO_ORDER_IDS["spree_admin"]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[SpreeAdminClient]:
    sandbox.reset()
    with SpreeAdminClient(**sandbox.settings("spree_admin")) as spree:
        yield spree


def vendor(sandbox: Sandbox) -> SpreeAdmin:
    emulator = sandbox._core.vendors["spree_admin"]
    assert isinstance(emulator, SpreeAdmin)
    return emulator


def test_update_and_read_back(client: SpreeAdminClient) -> None:
    address = Address(firstname="Jo", lastname="Doe", address1="2 Side St", city="Troy", zipcode="12180",
                      country_iso="US", state_abbr="NY")
    order = client.orders.update(DRAFT, OrderUpdate(customer_note="Leave at the door", tags=["vip"],
                                                    metadata={"erp": 7}, ship_address=address,
                                                    items=[ItemUpsert(variant_id="variant_VqXmZF31wY", quantity=3)]),
                                 expand=["items", "shipping_address"])
    assert order.customer_note == "Leave at the door"
    assert order.tags == ["vip"]
    assert order.items is not None
    assert [(i.variant_id, i.quantity) for i in order.items] == [("variant_VqXmZF31wY", 3)]
    assert order.shipping_address is not None
    assert order.shipping_address.city == "Troy"
    again = client.orders.retrieve_by_number("R801110570")
    assert again.id == DRAFT
    assert again.metadata == {"erp": 7}


def test_the_check_and_a_read_only_key(sandbox: Sandbox, client: SpreeAdminClient) -> None:
    assert "write_orders" in client.check().scopes
    read_key = SANDBOX_CREDENTIALS["spree_admin"]["read_only_api_key"]
    with SpreeAdminClient(base_url=sandbox.base_url("spree_admin"), api_key=read_key) as reader:
        with pytest.raises(Exception, match="write_orders"):
            reader.check()
        with pytest.raises(PermissionDenied, match="write_orders"):
            reader.orders.update(DRAFT, OrderUpdate(customer_note="x"))


def test_cancel_that_does_nothing_is_an_error(client: SpreeAdminClient) -> None:
    with pytest.raises(OrderNotCanceled):
        client.orders.cancel(DRAFT)
    assert client.orders.cancel("or_Pq7RtZ3mXa").status is OrderStatus.CANCELED
    assert client.orders.resume("or_Pq7RtZ3mXa").status is OrderStatus.PLACED


def test_a_lost_answer_is_retried_and_replayed_not_repeated(sandbox: Sandbox, client: SpreeAdminClient) -> None:
    first = client.orders.with_raw_response.add_item(DRAFT, "variant_Hs3KdE7yTz", 2, idempotency_key="job-7-item")
    # A re-run of the job with the same key (the answer was lost): replayed, not added again.
    second = client.orders.with_raw_response.add_item(DRAFT, "variant_Hs3KdE7yTz", 2, idempotency_key="job-7-item")
    assert second.headers["Idempotent-Replayed"] == "true"
    assert first.parse().quantity == second.parse().quantity == 2
    order = client.orders.retrieve(DRAFT, expand="items")
    assert order.items is not None
    assert [i.quantity for i in order.items if i.variant_id == "variant_Hs3KdE7yTz"] == [2]


def test_approve_is_sent_once(sandbox: Sandbox, client: SpreeAdminClient) -> None:
    order = client.orders.approve(DRAFT)
    assert order.approved_at is not None
    assert vendor(sandbox).approvals[DRAFT] == 1


def test_numbers_are_resolved_explicitly(client: SpreeAdminClient) -> None:
    with pytest.raises(ValidationError, match="retrieve_by_number"):
        client.orders.retrieve("R801110570")
    with pytest.raises(NotFound):
        client.orders.retrieve_by_number("R000000000")
    with pytest.raises(NotFound):
        client.orders.retrieve("or_Missing00001")


def test_rate_limit_headers_reach_the_metadata(sandbox: Sandbox, client: SpreeAdminClient) -> None:
    raw = client.orders.with_raw_response.retrieve(DRAFT)
    assert raw.meta.rate_limit is not None
    assert raw.meta.rate_limit.limit == 300


async def test_async_client(sandbox: Sandbox) -> None:
    sandbox.reset()
    async with AsyncSpreeAdminClient(**sandbox.settings("spree_admin")) as spree:
        order = await spree.orders.update(DRAFT, OrderUpdate(email="async@example.com", customer_note=None))
        assert order.email == "async@example.com"
        assert order.customer_note is None
        completed = await spree.orders.complete(DRAFT)
        assert completed.status is OrderStatus.PLACED
        assert (await spree.check()).id
        assert OrderUpdate().customer_note is UNSET
