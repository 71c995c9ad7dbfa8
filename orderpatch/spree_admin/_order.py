"""Spree Admin API v3 response models: ``Order``, expandable ``LineItem``/``OrderAddress``, ``ApiKey``, lists.

Facts (``shared/vendors/spree-v3/README.md`` §5): a single order is a bare flat object; lists
are ``{"data": [...], "meta": {...}}``. Money is a decimal **string** (``"19.99"``, ``"0.0"``)
with a formatted ``display_*`` partner; timestamps are ISO-8601, usually with milliseconds; ids
are prefixed strings. ``GET``, list rows and every order action answer with the same shape.

Every attribute but ``id`` is optional, because ``fields=`` can leave it out. Keys this version
does not know (Spree 6 adds many) are kept in ``extra``. There is no checkout ``state``: use
``status``, ``payment_status``, ``fulfillment_status`` and the ``*_at`` timestamps.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from .._models import ResponseModel
from .._types import JSONValue
from .models import FulfillmentStatus, OrderStatus, PaymentStatus

__all__ = ["ApiKey", "LineItem", "Order", "OrderAddress", "OrderList", "PageMeta"]


@attrs.frozen(kw_only=True)
class LineItem(ResponseModel):
    """A line item (``expand=items``, and the answer of the item calls); money as ``Decimal``."""

    id: str
    variant_id: str | None = None
    quantity: int | None = None
    currency: str | None = None
    name: str | None = None
    slug: str | None = None
    options_text: str | None = None
    price: Decimal | None = None
    display_price: str | None = None
    total: Decimal | None = None
    display_total: str | None = None
    adjustment_total: Decimal | None = None
    additional_tax_total: Decimal | None = None
    included_tax_total: Decimal | None = None
    discount_total: Decimal | None = None
    pre_tax_amount: Decimal | None = None
    discounted_amount: Decimal | None = None
    metadata: dict[str, JSONValue] | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


@attrs.frozen(kw_only=True)
class OrderAddress(ResponseModel):
    """An order's address as returned (``expand=billing_address,shipping_address``)."""

    id: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    full_name: str | None = None
    company: str | None = None
    address1: str | None = None
    address2: str | None = None
    city: str | None = None
    postal_code: str | None = None
    phone: str | None = None
    country_iso: str | None = None
    country_name: str | None = None
    state_abbr: str | None = None
    state_name: str | None = None
    state_text: str | None = None
    label: str | None = None
    customer_id: str | None = None


@attrs.frozen(kw_only=True)
class Order(ResponseModel):
    """A Spree order as the Admin API v3 returns it.

    ``id`` is the prefixed id (``or_…``) every call takes; ``number`` (``R801110570``) is what
    people quote: resolve it with ``orders.retrieve_by_number``. ``customer_note`` is Spree's
    ``special_instructions``; ``metadata`` is the private metadata. ``items``,
    ``billing_address`` and ``shipping_address`` are present only when expanded; other
    expansions (``fulfillments``, ``payments``, ``customer``, …) land in ``extra`` as JSON.
    """

    id: str
    number: str | None = None
    email: str | None = None
    status: OrderStatus | None = None
    payment_status: PaymentStatus | None = None
    fulfillment_status: FulfillmentStatus | None = None
    customer_note: str | None = None
    internal_note: str | None = None
    currency: str | None = None
    locale: str | None = None
    market_id: str | None = None
    channel_id: str | None = None
    preferred_stock_location_id: str | None = None
    customer_id: str | None = None
    approver_id: str | None = None
    canceler_id: str | None = None
    created_by_id: str | None = None
    total_quantity: int | None = None
    item_total: Decimal | None = None
    adjustment_total: Decimal | None = None
    discount_total: Decimal | None = None
    tax_total: Decimal | None = None
    included_tax_total: Decimal | None = None
    additional_tax_total: Decimal | None = None
    total: Decimal | None = None
    gift_card_total: Decimal | None = None
    amount_due: Decimal | None = None
    delivery_total: Decimal | None = None
    store_credit_total: Decimal | None = None
    payment_total: Decimal | None = None
    display_item_total: str | None = None
    display_adjustment_total: str | None = None
    display_discount_total: str | None = None
    display_tax_total: str | None = None
    display_included_tax_total: str | None = None
    display_additional_tax_total: str | None = None
    display_total: str | None = None
    display_gift_card_total: str | None = None
    display_amount_due: str | None = None
    display_delivery_total: str | None = None
    display_store_credit_total: str | None = None
    display_payment_total: str | None = None
    covered_by_store_credit: bool | None = None
    considered_risky: bool | None = None
    confirmation_delivered: bool | None = None
    #: Typed boolean by the spec; the examples show ``null``.
    store_owner_notification_delivered: bool | None = None
    last_ip_address: str | None = None
    metadata: dict[str, JSONValue] | None = None
    tags: list[str] | None = None
    completed_at: dt.datetime | None = None
    canceled_at: dt.datetime | None = None
    approved_at: dt.datetime | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    #: Always embedded (an object or ``null``).
    market: JSONValue = None
    gift_card: JSONValue = None
    items: list[LineItem] | None = None
    billing_address: OrderAddress | None = None
    shipping_address: OrderAddress | None = None


@attrs.frozen(kw_only=True)
class PageMeta(ResponseModel):
    """The ``meta`` of a list page (Pagy): ``count`` is the total matching the filter."""

    page: int | None = None
    limit: int | None = None
    count: int | None = None
    pages: int | None = None
    next: int | None = None
    previous: int | None = None


@attrs.frozen(kw_only=True)
class OrderList(ResponseModel):
    """One page of ``GET /orders``."""

    data: list[Order]
    meta: PageMeta = attrs.field(factory=PageMeta)


@attrs.frozen(kw_only=True)
class ApiKey(ResponseModel):
    """The calling key, from ``GET /api_keys/current`` (the plaintext token is never returned)."""

    id: str
    name: str | None = None
    key_type: str | None = None
    token_prefix: str | None = None
    scopes: list[str] = attrs.field(factory=list)
    channel_id: str | None = None
    revoked_at: dt.datetime | None = None
    created_at: dt.datetime | None = None

    def allows(self, scope: str) -> bool:
        """Whether the key holds ``scope``, counting ``write_x`` ⊇ ``read_x``, ``write_all`` and ``read_all``."""
        granted = set(self.scopes)
        if "write_all" in granted or scope in granted:
            return True
        kind, _, resource = scope.partition("_")
        return kind == "read" and ("read_all" in granted or f"write_{resource}" in granted)
