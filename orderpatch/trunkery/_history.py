"""The history of a Trunkery (Lana Commerce) order: ``OrderHistory`` entries and their details.

Amounts are integers in minor units of the order currency (cents for USD).
"""

from __future__ import annotations

import datetime as dt

import attrs

from .._models import ResponseModel, wire
from ._enums import OrderCancelReason, OrderHistoryAction, OrderRefundReason
from ._refs import Customer, Message, Ref, User

__all__ = [
    "OrderHistory", "OrderHistoryAuthorizeTransaction", "OrderHistoryCancel", "OrderHistoryCaptureTransaction",
    "OrderHistoryChange", "OrderHistoryFulfillmentCanceled", "OrderHistoryFulfillmentCompleted",
    "OrderHistoryFulfillmentCreated", "OrderHistoryFulfillmentModified", "OrderHistoryManualPayment",
    "OrderHistoryManualRefund", "OrderHistoryRefundLineItem", "OrderHistoryRefundTransaction", "OrderHistoryRestock",
    "OrderHistoryRestockLineItem"
]


@attrs.frozen(kw_only=True)
class OrderHistory(ResponseModel):
    """One entry of the order history; the member named by ``action`` holds its details."""

    #: Type of the history entry
    action: OrderHistoryAction
    authorize_transaction: OrderHistoryAuthorizeTransaction | None
    cancel: OrderHistoryCancel | None
    capture_transaction: OrderHistoryCaptureTransaction | None
    #: The date and time when the history entry was created
    created_at: dt.datetime
    #: Customer responsible for this action
    customer: Ref | Customer | None = None
    fulfillment_canceled: OrderHistoryFulfillmentCanceled | None
    fulfillment_completed: OrderHistoryFulfillmentCompleted | None
    fulfillment_created: OrderHistoryFulfillmentCreated | None
    fulfillment_modified: OrderHistoryFulfillmentModified | None
    manual_payment: OrderHistoryManualPayment | None
    manual_refund: OrderHistoryManualRefund | None
    refund_transaction: OrderHistoryRefundTransaction | None
    restock: OrderHistoryRestock | None
    state_change: OrderHistoryChange | None
    #: User responsible for this action
    user: Ref | User | None = None
    void_transaction: OrderHistoryRefundTransaction | None


@attrs.frozen(kw_only=True)
class OrderHistoryCancel(ResponseModel):
    """A cancellation in the order history."""

    email_message: Ref | Message | None = None
    #: The reason why the order was canceled
    reason: OrderCancelReason | None


@attrs.frozen(kw_only=True)
class OrderHistoryChange(ResponseModel):
    """A change of one value (``from_`` is the JSON key ``from``)."""

    #: Previous value
    from_: str = attrs.field(metadata=wire("from"))
    #: Name of the value
    name: str
    #: New value
    to: str


@attrs.frozen(kw_only=True)
class OrderHistoryFulfillmentCreated(ResponseModel):
    """A fulfillment was created."""

    email_message: Ref | Message | None = None
    #: Unique fulfillment identifier.
    fulfillment_id: str


@attrs.frozen(kw_only=True)
class OrderHistoryFulfillmentModified(ResponseModel):
    """A fulfillment was modified; ``changes`` lists what changed."""

    changes: list[OrderHistoryChange | None]
    email_message: Ref | Message | None = None
    #: Unique fulfillment identifier.
    fulfillment_id: str


@attrs.frozen(kw_only=True)
class OrderHistoryManualPayment(ResponseModel):
    """A payment recorded by hand."""

    #: Amount paid
    amount: int


@attrs.frozen(kw_only=True)
class OrderHistoryManualRefund(ResponseModel):
    """A refund recorded by hand."""

    #: Amount refunded
    amount: int
    customer_balance: int
    email_message: Ref | Message | None = None
    #: Refund fee
    fee: int
    line_items: list[OrderHistoryRefundLineItem]
    #: Reason why order is refunded
    refund_reason: OrderRefundReason | None
    #: Reported refund amount
    reported_amount: int


@attrs.frozen(kw_only=True)
class OrderHistoryRefundLineItem(ResponseModel):
    """The share of a refund that falls on one line item."""

    #: Amount refunded for given line item (goes into stats)
    amount: int
    #: Refund fee
    fee: int
    #: Unique order line item identifier
    line_item_id: str
    #: Amount of items refunded
    quantity: int
    #: Unique variant identifier
    variant_id: str


@attrs.frozen(kw_only=True)
class OrderHistoryRefundTransaction(ResponseModel):
    """A refund (or void) through the payment gateway."""

    #: Amount refunded
    amount: int
    customer_balance: int
    email_message: Ref | Message | None = None
    #: External transaction identifier (gateway-specific)
    external_id: str
    #: Refund fee
    fee: int
    #: Gateway token
    gateway_token: str = attrs.field(repr=False)
    line_items: list[OrderHistoryRefundLineItem]
    #: Reason why order is refunded
    refund_reason: OrderRefundReason | None
    #: Transaction token
    token: str = attrs.field(repr=False)


@attrs.frozen(kw_only=True)
class OrderHistoryRestock(ResponseModel):
    """Items put back into inventory."""

    line_items: list[OrderHistoryRestockLineItem]


@attrs.frozen(kw_only=True)
class OrderHistoryRestockLineItem(ResponseModel):
    """One line item put back into inventory."""

    #: Unique inventory location identifier (destination)
    dest_inventory_location_id: str
    #: Unique fulfillment id
    fulfillment_id: str
    #: Unique inventory location identifier
    inventory_location_id: str
    #: Unique order line item identifier
    line_item_id: str
    #: Amount of items restocked
    quantity: int
    #: Unique variant identifier
    variant_id: str



@attrs.frozen(kw_only=True)
class _GatewayTransaction(ResponseModel):
    """What a payment gateway reported for one transaction; the tokens stay out of ``repr``."""

    #: Amount of the transaction, in minor units
    amount: int
    #: External transaction identifier (gateway-specific)
    external_id: str
    #: Gateway token
    gateway_token: str = attrs.field(repr=False)
    #: Whether gateway was in test mode
    test: bool
    #: Transaction token
    token: str = attrs.field(repr=False)


@attrs.frozen(kw_only=True)
class OrderHistoryAuthorizeTransaction(_GatewayTransaction):
    """A payment authorized through the gateway (``amount`` authorized)."""


@attrs.frozen(kw_only=True)
class OrderHistoryCaptureTransaction(_GatewayTransaction):
    """A payment captured through the gateway (``amount`` captured)."""


@attrs.frozen(kw_only=True)
class _FulfillmentEvent(ResponseModel):
    """A fulfillment event: which fulfillment it concerns."""

    #: Unique fulfillment identifier.
    fulfillment_id: str


@attrs.frozen(kw_only=True)
class OrderHistoryFulfillmentCanceled(_FulfillmentEvent):
    """A fulfillment was canceled."""


@attrs.frozen(kw_only=True)
class OrderHistoryFulfillmentCompleted(_FulfillmentEvent):
    """A fulfillment was completed."""
