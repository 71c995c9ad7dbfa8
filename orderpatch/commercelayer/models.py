"""Commerce Layer order models: ``OrderUpdate`` (the PATCH body) and ``Order`` (the answer).

Facts: ``PATCH https://{slug}.commercelayer.io/api/orders/{id}`` takes and returns JSON:API
documents (``application/vnd.api+json``). The answer is ``{"data": {"id", "type": "orders",
"links", "attributes", "relationships", "meta"}, "included": [...]}``; relationships carry only
their ``links`` unless ``include=`` asks for them, and then ``included`` holds the resources.
Every attribute may be missing (sparse fieldsets) or ``null``, so every field is optional.
"""

from __future__ import annotations

import datetime as dt

import attrs

from .._models import ResponseModel, wire
from .._types import JSONValue, OpenEnum
from ._update import (
    AddressRef,
    CustomerRef,
    MarketRef,
    OrderUpdate,
    PaymentMethodRef,
    PaymentSourceRef,
    PaymentSourceType,
    StoreRef,
    TagRef,
)

__all__ = [
    "AddressRef", "CustomerRef", "FulfillmentStatus", "Links", "MarketRef", "Order", "OrderAttributes",
    "OrderRelationships", "OrderStatus", "OrderUpdate", "PaymentMethodRef", "PaymentSourceRef", "PaymentSourceType",
    "PaymentStatus", "Relationship", "Resource", "ResourceIdentifier", "StoreRef", "TagRef",
]


class OrderStatus(OpenEnum):
    """``status``: draft → pending (customer and items) → placed → approved, or cancelled.

    ``placing`` while an asynchronous place runs; ``editing`` between ``_start_editing`` and
    ``_stop_editing``. An unknown future status is kept (``is_known`` is ``False``).
    """

    DRAFT = "draft"
    PENDING = "pending"
    EDITING = "editing"
    PLACING = "placing"
    PLACED = "placed"
    APPROVED = "approved"
    CANCELLED = "cancelled"


class PaymentStatus(OpenEnum):
    """``payment_status``: unpaid → authorized (place) → paid (capture), or voided / refunded.

    ``free`` is a zero-total order.
    """

    UNPAID = "unpaid"
    AUTHORIZED = "authorized"
    PARTIALLY_AUTHORIZED = "partially_authorized"
    PAID = "paid"
    PARTIALLY_PAID = "partially_paid"
    VOIDED = "voided"
    PARTIALLY_VOIDED = "partially_voided"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"
    FREE = "free"


class FulfillmentStatus(OpenEnum):
    """``fulfillment_status``: unfulfilled → in_progress (capture) → fulfilled (all shipped).

    ``not_required`` when every item is do-not-ship.
    """

    UNFULFILLED = "unfulfilled"
    IN_PROGRESS = "in_progress"
    FULFILLED = "fulfilled"
    NOT_REQUIRED = "not_required"


@attrs.frozen(kw_only=True)
class Links(ResponseModel):
    """JSON:API ``links``: ``self`` (this resource or relationship) and ``related`` (its target)."""

    self_url: str | None = attrs.field(default=None, metadata=wire("self"))
    related_url: str | None = attrs.field(default=None, metadata=wire("related"))


@attrs.frozen(kw_only=True)
class ResourceIdentifier(ResponseModel):
    """``{"type", "id"}``: which resource a relationship points to."""

    type: str
    id: str


@attrs.frozen(kw_only=True)
class Relationship(ResponseModel):
    """One relationship of a resource: its ``links`` and, when included, its ``data``.

    ``data`` is a ``ResourceIdentifier`` (to-one), a list of them (to-many), or ``None`` when
    the relationship is empty or was not asked for with ``include=``.
    """

    links: Links | None = None
    data: ResourceIdentifier | list[ResourceIdentifier] | None = None


@attrs.frozen(kw_only=True)
class Resource(ResponseModel):
    """A resource of the ``included`` array (a market, a line item, …), with untyped attributes."""

    id: str
    type: str
    attributes: dict[str, JSONValue] = attrs.field(factory=dict)
    relationships: dict[str, Relationship] = attrs.field(factory=dict)
    links: Links | None = None
    meta: dict[str, JSONValue] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class OrderAttributes(ResponseModel):
    """The attributes of an order, as flat fields; unknown ones are kept in ``extra``.

    Money comes three ways: ``*_cents`` (int, the exact value), ``*_float`` and ``formatted_*``
    (e.g. ``"€57,00"``). Timestamps are timezone-aware.
    """

    #: The order number (a string since schema 7; older schemas said integer, which is accepted).
    number: str | None = None
    affiliate_code: str | None = None
    autorefresh: bool | None = None
    place_async: bool | None = None
    status: OrderStatus | None = None
    payment_status: PaymentStatus | None = None
    fulfillment_status: FulfillmentStatus | None = None
    guest: bool | None = None
    #: Whether the order can still be edited.
    editable: bool | None = None
    customer_email: str | None = None
    language_code: str | None = None
    #: ISO 4217, inherited from the market.
    currency_code: str | None = None
    #: Whether amounts include taxes (from the price list).
    tax_included: bool | None = None
    tax_rate: float | None = None
    freight_taxable: bool | None = None
    payment_method_taxable: bool | None = None
    adjustment_taxable: bool | None = None
    gift_card_taxable: bool | None = None
    requires_billing_info: bool | None = None
    #: ISO 3166-1 alpha-2, from the shipping address.
    country_code: str | None = None
    shipping_country_code_lock: str | None = None
    coupon_code: str | None = None
    gift_card_code: str | None = None
    gift_card_or_coupon_code: str | None = None
    subtotal_amount_cents: int | None = None
    subtotal_amount_float: float | None = None
    formatted_subtotal_amount: str | None = None
    shipping_amount_cents: int | None = None
    shipping_amount_float: float | None = None
    formatted_shipping_amount: str | None = None
    payment_method_amount_cents: int | None = None
    payment_method_amount_float: float | None = None
    formatted_payment_method_amount: str | None = None
    discount_amount_cents: int | None = None
    discount_amount_float: float | None = None
    formatted_discount_amount: str | None = None
    adjustment_amount_cents: int | None = None
    adjustment_amount_float: float | None = None
    formatted_adjustment_amount: str | None = None
    gift_card_amount_cents: int | None = None
    gift_card_amount_float: float | None = None
    formatted_gift_card_amount: str | None = None
    total_tax_amount_cents: int | None = None
    total_tax_amount_float: float | None = None
    formatted_total_tax_amount: str | None = None
    subtotal_tax_amount_cents: int | None = None
    subtotal_tax_amount_float: float | None = None
    formatted_subtotal_tax_amount: str | None = None
    shipping_tax_amount_cents: int | None = None
    shipping_tax_amount_float: float | None = None
    formatted_shipping_tax_amount: str | None = None
    payment_method_tax_amount_cents: int | None = None
    payment_method_tax_amount_float: float | None = None
    formatted_payment_method_tax_amount: str | None = None
    adjustment_tax_amount_cents: int | None = None
    adjustment_tax_amount_float: float | None = None
    formatted_adjustment_tax_amount: str | None = None
    total_amount_cents: int | None = None
    total_amount_float: float | None = None
    formatted_total_amount: str | None = None
    total_taxable_amount_cents: int | None = None
    total_taxable_amount_float: float | None = None
    formatted_total_taxable_amount: str | None = None
    subtotal_taxable_amount_cents: int | None = None
    subtotal_taxable_amount_float: float | None = None
    formatted_subtotal_taxable_amount: str | None = None
    shipping_taxable_amount_cents: int | None = None
    shipping_taxable_amount_float: float | None = None
    formatted_shipping_taxable_amount: str | None = None
    payment_method_taxable_amount_cents: int | None = None
    payment_method_taxable_amount_float: float | None = None
    formatted_payment_method_taxable_amount: str | None = None
    adjustment_taxable_amount_cents: int | None = None
    adjustment_taxable_amount_float: float | None = None
    formatted_adjustment_taxable_amount: str | None = None
    total_amount_with_taxes_cents: int | None = None
    total_amount_with_taxes_float: float | None = None
    formatted_total_amount_with_taxes: str | None = None
    fees_amount_cents: int | None = None
    fees_amount_float: float | None = None
    formatted_fees_amount: str | None = None
    duty_amount_cents: int | None = None
    duty_amount_float: float | None = None
    formatted_duty_amount: str | None = None
    place_total_amount_cents: int | None = None
    place_total_amount_float: float | None = None
    formatted_place_total_amount: str | None = None
    skus_count: int | None = None
    line_item_options_count: int | None = None
    shipments_count: int | None = None
    tax_calculations_count: int | None = None
    validations_count: int | None = None
    payment_source_details: dict[str, JSONValue] | None = None
    #: The order token, used by the hosted checkout.
    token: str | None = None
    cart_url: str | None = None
    return_url: str | None = None
    terms_url: str | None = None
    privacy_url: str | None = None
    checkout_url: str | None = None
    placed_at: dt.datetime | None = None
    approved_at: dt.datetime | None = None
    cancelled_at: dt.datetime | None = None
    payment_updated_at: dt.datetime | None = None
    fulfillment_updated_at: dt.datetime | None = None
    refreshed_at: dt.datetime | None = None
    archived_at: dt.datetime | None = None
    subscription_created_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None
    expiration_info: dict[str, JSONValue] | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    reference: str | None = None
    reference_origin: str | None = None
    metadata: dict[str, JSONValue] | None = None


@attrs.frozen(kw_only=True)
class OrderRelationships(ResponseModel):
    """The relationships of an order; ones this version does not know stay, as JSON, in ``extra``."""

    market: Relationship | None = None
    customer: Relationship | None = None
    shipping_address: Relationship | None = None
    billing_address: Relationship | None = None
    store: Relationship | None = None
    available_payment_methods: Relationship | None = None
    available_customer_payment_sources: Relationship | None = None
    available_free_skus: Relationship | None = None
    available_free_bundles: Relationship | None = None
    payment_method: Relationship | None = None
    payment_source: Relationship | None = None
    line_items: Relationship | None = None
    line_item_options: Relationship | None = None
    stock_reservations: Relationship | None = None
    stock_line_items: Relationship | None = None
    stock_transfers: Relationship | None = None
    shipments: Relationship | None = None
    payment_options: Relationship | None = None
    transactions: Relationship | None = None
    authorizations: Relationship | None = None
    captures: Relationship | None = None
    voids: Relationship | None = None
    refunds: Relationship | None = None
    returns: Relationship | None = None
    order_subscription: Relationship | None = None
    order_subscriptions: Relationship | None = None
    order_factories: Relationship | None = None
    order_copies: Relationship | None = None
    recurring_order_copies: Relationship | None = None
    attachments: Relationship | None = None
    links: Relationship | None = None
    resource_errors: Relationship | None = None
    events: Relationship | None = None
    tags: Relationship | None = None
    versions: Relationship | None = None

    def get(self, name: str) -> Relationship | None:
        """The relationship called ``name``, or ``None`` when absent or unknown."""
        value = getattr(self, name, None) if name in _RELATIONSHIP_NAMES else None
        return value if isinstance(value, Relationship) else None


_RELATIONSHIP_NAMES = frozenset(f.name for f in attrs.fields(OrderRelationships)) - {"extra"}


@attrs.frozen(kw_only=True)
class Order(OrderAttributes):
    """A Commerce Layer order: its attributes as fields, plus the JSON:API envelope.

    ``extra`` holds attributes this version does not know; ``relationships`` the links (and,
    with ``include=``, the identifiers) of related resources; ``included`` those resources;
    ``meta`` the resource meta (``{"mode": "test"}`` or ``"live"``).
    """

    id: str
    type: str = "orders"
    links: Links | None = None
    relationships: OrderRelationships = attrs.field(factory=OrderRelationships)
    meta: dict[str, JSONValue] = attrs.field(factory=dict)
    included: tuple[Resource, ...] = ()

    def related(self, name: str) -> Resource | tuple[Resource, ...] | None:
        """The included resource(s) relationship ``name`` points to (ask for them with ``include=``).

        A to-one relationship gives one ``Resource`` (or ``None``); a to-many one a tuple of the
        resources found in ``included``.
        """
        relationship = self.relationships.get(name)
        data = relationship.data if relationship is not None else None
        index = {(r.type, r.id): r for r in self.included}
        if isinstance(data, list):
            return tuple(index[(d.type, d.id)] for d in data if (d.type, d.id) in index)
        return index.get((data.type, data.id)) if data is not None else None
