"""Spree Platform API v2 response models: ``Order`` and the resources ``include=`` adds to it.

Facts (``shared/vendors/spree/README.md`` §4): a 200 answer is a JSON:API document
``{"data": {"id", "type": "order", "attributes", "relationships"}, "included": [...]}``.
``data.id`` is the database id as a string (the order *number* is an attribute). Money comes
as decimal strings (``"110.0"``), ``display_*`` as formatted strings (``"$110.00"``), timestamps
as ISO-8601 with milliseconds. ``included`` is present only when ``include=`` asked for it.

Each resource object is flattened: ``order.total`` rather than ``order.attributes["total"]``.
Every attribute is optional because a sparse fieldset (``fields={"order": ["number"]}``) leaves
the others out. Attributes this version does not know, e.g. from a Spree extension, are kept in
``extra``.
"""

from __future__ import annotations

import builtins
import datetime as dt
from decimal import Decimal
from typing import TypeAlias, TypeVar, cast

import attrs

from .._models import ResponseModel
from .._types import JSONValue
from .models import OrderState, PaymentResourceState, PaymentState, ShipmentState

__all__ = [
    "AddressResource", "IncludedResource", "JSONAPIResource", "LineItemResource", "Order", "OrderRelationships",
    "PaymentResource", "RelationshipData", "Resource", "ResourceIdentifier", "ShipmentResource",
]

R = TypeVar("R", bound="JSONAPIResource")


@attrs.frozen(kw_only=True)
class ResourceIdentifier(ResponseModel):
    """A JSON:API reference to another resource: ``{"id": "61", "type": "address"}``."""

    id: str
    type: str


#: A relationship's ``data``: one reference, ``None`` (an empty to-one), or a tuple (to-many).
RelationshipData: TypeAlias = ResourceIdentifier | tuple[ResourceIdentifier, ...] | None


@attrs.frozen(kw_only=True)
class OrderRelationships(ResponseModel):
    """The order's relationships, each as a typed reference (its ``data`` member).

    To-one relationships are ``None`` when empty; to-many are tuples. Relationships this version
    does not know (a Spree extension's) are kept in ``extra`` as their raw ``data``.
    """

    user: ResourceIdentifier | None = None
    created_by: ResourceIdentifier | None = None
    approver: ResourceIdentifier | None = None
    canceler: ResourceIdentifier | None = None
    bill_address: ResourceIdentifier | None = None
    ship_address: ResourceIdentifier | None = None
    line_items: tuple[ResourceIdentifier, ...] = ()
    payments: tuple[ResourceIdentifier, ...] = ()
    shipments: tuple[ResourceIdentifier, ...] = ()
    state_changes: tuple[ResourceIdentifier, ...] = ()
    return_authorizations: tuple[ResourceIdentifier, ...] = ()
    reimbursements: tuple[ResourceIdentifier, ...] = ()
    adjustments: tuple[ResourceIdentifier, ...] = ()
    all_adjustments: tuple[ResourceIdentifier, ...] = ()
    order_promotions: tuple[ResourceIdentifier, ...] = ()
    #: Spree 5.2+.
    metafields: tuple[ResourceIdentifier, ...] = ()


@attrs.frozen(kw_only=True)
class JSONAPIResource(ResponseModel):
    """Base of every resource Spree returns: its ``id`` (the database id, a string) and ``type``."""

    id: str
    type: str


@attrs.frozen(kw_only=True)
class _Stamped(JSONAPIResource):
    """The timestamps and metadata that orders, line items, shipments, addresses and payments share."""

    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    public_metadata: dict[str, JSONValue] | None = None
    private_metadata: dict[str, JSONValue] | None = None


@attrs.frozen(kw_only=True)
class _Adjusted(_Stamped):
    """The adjustment totals of Spree's adjustable records (orders, line items, shipments), as ``Decimal``."""

    adjustment_total: Decimal | None = None
    additional_tax_total: Decimal | None = None
    promo_total: Decimal | None = None
    included_tax_total: Decimal | None = None
    taxable_adjustment_total: Decimal | None = None
    non_taxable_adjustment_total: Decimal | None = None


@attrs.frozen(kw_only=True)
class LineItemResource(_Adjusted):
    """An included ``line_item`` (``include=line_items``); money as ``Decimal``."""

    quantity: int | None = None
    price: Decimal | None = None
    currency: str | None = None
    cost_price: Decimal | None = None
    pre_tax_amount: Decimal | None = None
    display_discounted_amount: str | None = None
    display_amount: str | None = None
    display_final_amount: str | None = None
    display_subtotal: str | None = None
    display_pre_tax_amount: str | None = None
    display_price: str | None = None
    display_adjustment_total: str | None = None
    display_additional_tax_total: str | None = None
    display_promo_total: str | None = None
    display_total: str | None = None
    display_included_tax_total: str | None = None
    relationships: dict[str, RelationshipData] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class AddressResource(_Stamped):
    """An included ``address`` (``include=bill_address,ship_address``)."""

    firstname: str | None = None
    lastname: str | None = None
    company: str | None = None
    label: str | None = None
    address1: str | None = None
    address2: str | None = None
    city: str | None = None
    zipcode: str | None = None
    phone: str | None = None
    alternative_phone: str | None = None
    state_name: str | None = None
    deleted_at: dt.datetime | None = None
    relationships: dict[str, RelationshipData] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class ShipmentResource(_Adjusted):
    """An included ``shipment`` (``include=shipments``); ``state`` is the shipment's own state."""

    number: str | None = None
    tracking: str | None = None
    tracking_url: str | None = None
    state: ShipmentState | None = None
    cost: Decimal | None = None
    pre_tax_amount: Decimal | None = None
    shipped_at: dt.datetime | None = None
    display_discounted_cost: str | None = None
    display_item_cost: str | None = None
    display_amount: str | None = None
    display_final_price: str | None = None
    display_cost: str | None = None
    relationships: dict[str, RelationshipData] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class PaymentResource(_Stamped):
    """An included ``payment`` (``include=payments``); ``state`` is the payment's own state."""

    number: str | None = None
    amount: Decimal | None = None
    state: PaymentResourceState | None = None
    source_type: str | None = None
    response_code: str | None = None
    avs_response: str | None = None
    cvv_response_code: str | None = None
    cvv_response_message: str | None = None
    display_amount: str | None = None
    relationships: dict[str, RelationshipData] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class Resource(JSONAPIResource):
    """Any other included resource (``variant``, ``user``, ``state_change``, …), attributes untyped."""

    attributes: dict[str, JSONValue] = attrs.field(factory=dict)
    relationships: dict[str, RelationshipData] = attrs.field(factory=dict)


#: What ``Order.included`` holds: a typed class for line items, addresses, shipments and payments.
IncludedResource: TypeAlias = LineItemResource | AddressResource | ShipmentResource | PaymentResource | Resource


@attrs.frozen(kw_only=True)
class Order(_Adjusted):
    """A Spree order as the Platform API returns it, with ``included`` resources when asked for.

    ``id`` is the database id (a string); ``number`` (``R123456789``) is what people quote. Both
    work as ``order_id`` in the client's calls. Money attributes are ``Decimal``; the
    ``display_*`` attributes are Spree's formatted strings; timestamps are timezone-aware.
    Every attribute may be ``None`` because a sparse fieldset (``fields=``) can leave it out.
    ``considered_risky`` and ``token`` are never returned by Spree, though they can be written.
    """

    number: str | None = None
    email: str | None = None
    state: OrderState | None = None
    shipment_state: ShipmentState | None = None
    payment_state: PaymentState | None = None
    currency: str | None = None
    channel: str | None = None
    special_instructions: str | None = None
    last_ip_address: str | None = None
    #: A plain string in Spree 4.x; Spree 5.x declares it rich text, so another JSON shape may come.
    internal_note: JSONValue = None
    item_count: int | None = None
    state_lock_version: int | None = None
    item_total: Decimal | None = None
    total: Decimal | None = None
    payment_total: Decimal | None = None
    shipment_total: Decimal | None = None
    completed_at: dt.datetime | None = None
    approved_at: dt.datetime | None = None
    canceled_at: dt.datetime | None = None
    confirmation_delivered: bool | None = None
    store_owner_notification_delivered: bool | None = None
    #: Spree 5.0+.
    accept_marketing: bool | None = None
    #: Spree 5.0+.
    signup_for_an_account: bool | None = None
    display_ship_total: str | None = None
    display_shipment_total: str | None = None
    display_outstanding_balance: str | None = None
    display_item_total: str | None = None
    display_adjustment_total: str | None = None
    display_included_tax_total: str | None = None
    display_additional_tax_total: str | None = None
    display_tax_total: str | None = None
    display_promo_total: str | None = None
    display_total: str | None = None
    display_cart_promo_total: str | None = None
    display_pre_tax_item_amount: str | None = None
    display_pre_tax_total: str | None = None
    display_total_applicable_store_credit: str | None = None
    display_total_applied_store_credit: str | None = None
    display_order_total_after_store_credit: str | None = None
    display_total_available_store_credit: str | None = None
    display_store_credit_remaining_after_capture: str | None = None
    #: Spree 5.x.
    display_payment_total: str | None = None
    #: Spree 5.x.
    display_gift_card_total: str | None = None
    #: Spree 5.x.
    display_total_minus_store_credits: str | None = None
    relationships: OrderRelationships = attrs.field(factory=OrderRelationships)
    #: The resources ``include=`` asked for (empty otherwise).
    included: tuple[IncludedResource, ...] = ()

    def resolve(self, ref: ResourceIdentifier | None) -> IncludedResource | None:
        """The included resource a reference points to, or ``None`` when it was not included.

        >>> order.resolve(order.relationships.bill_address)          # doctest: +SKIP
        """
        if ref is None:
            return None
        return next((r for r in self.included if r.id == ref.id and r.type == ref.type), None)

    def included_of(self, cls: builtins.type[R]) -> list[R]:
        """The included resources of one class, e.g. ``order.included_of(LineItemResource)``."""
        return [cast(R, r) for r in self.included if isinstance(r, cls)]
