"""The facade with ``vendor = "spree_admin"``: Config and its environment prefix, OrderChanges mapped to v3."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

import orderpatch
from orderpatch import Address, Config, OrderChanges, UnsupportedChange, ValidationError
from orderpatch.sandbox import DEMO_ORDER_IDS, Sandbox
from orderpatch.spree_admin import OrderUpdate

pytestmark = pytest.mark.loopback
DRAFT = DEMO_ORDER_IDS["spree_admin"]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


@pytest.fixture
def config(sandbox: Sandbox) -> Config:
    sandbox.reset()
    settings = sandbox.settings("spree_admin")
    return Config.from_env({"ORDERPATCH_VENDOR": "spree_admin", "ORDERPATCH_SPREE_ADMIN_BASE_URL": settings["base_url"],
                            "ORDERPATCH_SPREE_ADMIN_API_KEY": settings["api_key"]})


def test_the_environment_prefix_is_not_taken_for_spree_v2(config: Config) -> None:
    assert config.vendor == "spree_admin"
    assert "sk_" not in repr(config)
    with pytest.raises(orderpatch.ConfigurationError, match="ORDERPATCH_SPREE_ADMIN_API_KEYS"):
        Config.from_env({"ORDERPATCH_VENDOR": "spree_admin", "ORDERPATCH_SPREE_ADMIN_API_KEYS": "x"})


def test_order_changes_are_mapped_to_v3(config: Config) -> None:
    address = Address(first_name="Jo", last_name="Doe", line1="1 Main St", city="Albany", postal_code="12207",
                      country_code="US", region="New York")
    order = orderpatch.update_order(DRAFT, OrderChanges(email="facade@example.com", note="VIP", tags=["b2b"],
                                                        metadata={"erp": 1}, language="en",
                                                        shipping_address=address), config=config)
    assert (order.vendor, order.id, order.number, order.email, order.status) == (
        "spree_admin", DRAFT, "R801110570", "facade@example.com", "draft")
    assert order.total == Decimal("19.99")
    assert isinstance(order.detail, orderpatch.spree_admin.Order)
    assert order.detail.internal_note == "VIP"
    assert order.detail.tags == ["b2b"]


def test_native_request_and_clearing_scalars(config: Config) -> None:
    order = orderpatch.update_order(DRAFT, OrderUpdate(customer_note="door"), config=config)
    assert order.detail.customer_note == "door"  # type: ignore[union-attr]
    cleared = orderpatch.update_order(DRAFT, OrderChanges(note=None), config=config)
    assert cleared.detail.internal_note is None  # type: ignore[union-attr]


def test_what_v3_cannot_take_is_refused_before_sending(config: Config) -> None:
    with pytest.raises(UnsupportedChange, match="coupon"):
        orderpatch.update_order(DRAFT, OrderChanges(coupon_code="SAVE10"), config=config)
    with pytest.raises(ValidationError, match="ignores null"):
        orderpatch.update_order(DRAFT, OrderChanges(metadata=None), config=config)
    with pytest.raises(ValidationError, match="complete address"):
        orderpatch.update_order(DRAFT, OrderChanges(billing_address=Address(city="Albany")), config=config)


async def test_async_facade(config: Config) -> None:
    order = await orderpatch.aupdate_order(DRAFT, OrderChanges(currency="EUR"), config=config)
    assert order.currency == "EUR"


def test_orderpatch_check_probes_the_key(config: Config, sandbox: Sandbox) -> None:
    result = orderpatch.check_connection(config)
    assert result.vendor == "spree_admin"
    from orderpatch.sandbox import SANDBOX_CREDENTIALS

    reader = Config("spree_admin", base_url=sandbox.base_url("spree_admin"),
                    api_key=SANDBOX_CREDENTIALS["spree_admin"]["read_only_api_key"])
    with pytest.raises(orderpatch.PermissionDenied, match="write_orders"):
        orderpatch.check_connection(reader)


async def test_async_check(config: Config) -> None:
    result = await orderpatch.acheck_connection(config)
    assert result.vendor == "spree_admin"
