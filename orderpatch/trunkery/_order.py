"""The Trunkery (Lana Commerce) ``Order`` as the API returns it, with its addresses and totals.

Facts (``@lana-commerce/core`` 13.0.0 ``Order`` type; ``order.schema.json``): 82 top-level
fields. Money is an integer in minor units of ``currency`` (cents for USD: the vendor's CLI
divides by the currency's ``to_minor``). Timestamps are RFC 3339 strings, parsed into aware
datetimes. Enums accept values this version does not know. Related objects (customer, gateway,
coupon, …) are ``Ref`` (``{"id"}``) unless expanded. Keys the model does not know are kept in
``extra``. ``client_secret`` is a ``Secret`` and ``uuid`` (which authorizes anonymous access to
the order) is left out of ``repr``.
"""

from __future__ import annotations

import datetime as dt

import attrs

from .._models import ResponseModel
from .._types import Secret
from ._enums import (
    AddressVerificationStatus,
    GatewayType,
    OrderCancelReason,
    OrderFinancialStatus,
    OrderFulfillmentStatus,
    OrderSourceName,
    OrderState,
    RoundTaxAt,
    ZipCodeType,
)
from ._history import OrderHistory
from ._line_items import OrderCustomItem, OrderLineItem
from ._payment import PaymentDetail
from ._refs import (
    AddressShort,
    Coupon,
    Customer,
    Gateway,
    InfoCountry,
    InfoProvince,
    Message,
    OrderRisk,
    Promotion,
    Ref,
    SalesChannel,
    Subscription,
    User,
)
from ._shipping import PackedBox, ShippingDetail, ShippingRate, ShippingRateGroup, UnpackedItem

__all__ = [
    "Address", "AddressVerification", "Order", "OrderCalcLog", "OrderDisplay", "OrderRuleEvalDetail"
]


@attrs.frozen(kw_only=True)
class Order(ResponseModel):
    """A Trunkery order: what ``orders.modify`` returns (the one element of the response array).

    Money fields (``total_price``, ``subtotal_price``, ``shipping_price``, ``total_tax``,
    ``total_discounts``, ``total_line_items_price``, ``customer_balance_spent``, ``tips_preview``)
    are integers in minor units of ``currency``; ``primary_rate`` and ``usd_rate`` are conversion
    rates. Pass ``updated_at`` back as ``if_updated_at`` to modify only if nobody changed the
    order since.
    """

    #: The date and time when the order was last abandoned
    abandoned_at: dt.datetime | None
    #: Abandoned order recovery email message (you can use it to perform a resend)
    abandoned_email_message: Ref | Message | None = None
    #: The date and time when order was considered for recovery email notification
    abandoned_email_processed_at: dt.datetime | None
    #: Number of times this order was abandoned
    abandoned_times: int
    #: The date and time when order payment authorization expires
    authorization_expires_at: dt.datetime | None
    #: Billing address of the order
    billing_address: Address | None
    #: Short version of the billing address
    billing_address_short: Ref | AddressShort | None = None
    #: Order calculation log
    calc_log: list[OrderCalcLog]
    #: Whether order was successfully "calculated" or not
    calculated: bool
    #: The reason why the order was canceled
    cancel_reason: OrderCancelReason | None
    #: The date and time when the order was canceled or null
    canceled_at: dt.datetime | None
    #: Pending payment intent secret when gateway is "stripe"
    client_secret: Secret
    #: The date and time when the order was closed or null
    closed_at: dt.datetime | None
    #: Coupon associated with the order (when "discount_code" is provided and resolved)
    coupon: Ref | Coupon | None = None
    #: The date and time when the order was created
    created_at: dt.datetime
    #: Currency code
    currency: str
    #: Custom line items defined for this order
    custom_items: list[OrderCustomItem] | None
    #: Customer who created the order
    customer: Ref | Customer | None = None
    #: Amount of money spent on the customer balance
    customer_balance_spent: int
    #: Customer email, used in no auth order flows
    customer_email: str | None
    #: Coupon code if set
    discount_code: str | None
    display: OrderDisplay | None
    #: Numerical draft order identifier unique to the shop
    draft_number: int
    #: Financial status of the order
    financial_status: OrderFinancialStatus
    #: The date and time when the order was completely fulfilled
    fulfilled_at: dt.datetime | None
    #: Fulfillment status of the order
    fulfillment_status: OrderFulfillmentStatus
    #: Gateway picked for this order
    gateway: Ref | Gateway | None = None
    #: Gateway type
    gateway_type: GatewayType | None
    #: Order history
    history: list[OrderHistory]
    #: A unique order identifier
    id: str
    #: Due date and time for order's invoice
    invoice_due_date: dt.datetime | None
    #: Invoice email message (you can use it to perform a resend)
    invoice_email_message: Ref | Message | None = None
    #: Order line items
    line_items: list[OrderLineItem]
    #: The date and time when the order was marked as lost
    lost_at: dt.datetime | None
    #: The mobile phone number of the customer (used for notifications)
    mobile: str
    #: Whether to notify customer via mobile phone or not
    mobile_notifications: bool
    #: Numerical order identifier unique to the shop
    number: int
    #: Whether server thinks order is on hold or not (depends on server time)
    on_hold: bool
    #: The date and time when order is no longer considered on hold
    on_hold_until: dt.datetime | None
    packaging_detail: list[PackedBox]
    #: The date and time when the order was transitioned to one of the payment states
    paid_at: dt.datetime | None
    #: Email that was sent on payment (you can use it to perform a resend)
    paid_email_message: Ref | Message | None = None
    payment_detail: PaymentDetail | None
    #: Conversion rate from order's currency to shop's primary currency
    primary_rate: float
    #: Promotion associated with the order (when "discount_code" is provided and resolved)
    promotion: Ref | Promotion | None = None
    #: Whether this order is considered as recovered (before entering paid state it was abandoned)
    recovered: bool
    #: The date and time when the order resources were reserved
    reserved_at: dt.datetime | None
    #: The date and time when the order was last restored from being abandoned
    restored_at: dt.datetime | None
    #: Review reminder email message (you can use it to perform a resend)
    review_reminder_email_message: Ref | Message | None = None
    #: The date and time when order was considered for review reminder email notification
    review_reminder_email_processed_at: dt.datetime | None
    #: Risk evaluation result for this order
    risk: Ref | OrderRisk | None = None
    #: At what level the tax should be rounded
    round_tax_at: RoundTaxAt
    rule_eval_detail: OrderRuleEvalDetail
    #: Sales channel associated with this order
    sales_channel: Ref | SalesChannel | None = None
    selected_shipping_rates: list[ShippingRate]
    #: Should customer receive fulfillment-related notifications or not
    send_fulfillment_notifications: bool
    #: Should customer receive order-related notifications or not
    send_order_notifications: bool
    #: Shipping address of the order
    shipping_address: Address | None
    #: Shipping address override
    shipping_address_override: Address | None
    #: Short version of the shipping address
    shipping_address_short: Ref | AddressShort | None = None
    #: Verification status of the shipping address
    shipping_address_verification: AddressVerification | None
    shipping_detail: ShippingDetail | None
    #: Shipping price
    shipping_price: int
    #: A list of available shipping rates and shipping providers (only after they were calculated)
    shipping_rate_groups: list[ShippingRateGroup] | None
    #: Where the order originated from
    source_name: OrderSourceName
    #: State of an order
    state: OrderState
    #: Subscription associated with this order
    subscription: Ref | Subscription | None = None
    #: Price of the order before shipping and taxes
    subtotal_price: int
    #: Order tags (can be used for organization)
    tags: list[str]
    #: Whether prices include the tax or not
    tax_inclusive_prices: bool
    #: Difference between sum of rounded values and rounded sum for taxes
    tax_rounding: float
    #: Pre-calculated tips preview
    tips_preview: int
    #: The total amount of the discounts to be applied to the price of the order
    total_discounts: int
    #: The sum of all the prices of all the items in the order (before any discounts, taxes and shipping)
    total_line_items_price: int
    #: The sum of all the prices of all the items in the order, taxes and discounts included
    total_price: int
    #: The sum of all the taxes applied to the order
    total_tax: int
    #: The sum of all the weights of the line items in the order, in grams
    total_weight: int
    unpacked_items: list[UnpackedItem]
    #: The date and time when the order was last modified
    updated_at: dt.datetime
    #: Conversion rate from order's currency to USD
    usd_rate: float
    #: User who created the order
    user: Ref | User | None = None
    #: UUID for this order, used for anonymous users authorization
    uuid: str = attrs.field(repr=False)


@attrs.frozen(kw_only=True)
class Address(ResponseModel):
    """An address as an order shows it; ``country`` and ``province`` are expandable references."""

    #: Mailing address
    address1: str
    #: Additional line for mailing address
    address2: str
    #: The city
    city: str
    #: The company
    company: str
    #: The country
    country: Ref | InfoCountry | None = None
    #: Unique address identifier.
    id: str
    #: Geographic coordinate specifying the north/south location of an address
    latitude: float
    #: Geographic coordinate specifying the east/west location of an address
    longitude: float
    #: The name
    name: str
    #: The phone number
    phone: str
    #: The plus code
    plus_code: str
    #: The province
    province: Ref | InfoProvince | None = None
    #: The zip or postal code
    zip: str


@attrs.frozen(kw_only=True)
class AddressVerification(ResponseModel):
    """The result of verifying the shipping address (``status``, normalised parts, ZIP type)."""

    address: list[str]
    address1: str
    address2: str
    city: str
    company: str
    country: str
    #: Formatted address as a newline separated string
    formatted_address: str
    latitude: float
    longitude: float
    province: str
    #: This field is used internally, it's always empty in public API
    raw_response: str
    #: Address verification status
    status: AddressVerificationStatus
    status_codes: list[str]
    zip: str
    #: ZIP / Postal code type
    zip_type: ZipCodeType


@attrs.frozen(kw_only=True)
class OrderDisplay(ResponseModel):
    """Totals as checkout displays them, in minor units of the order currency."""

    #: How much the customer must pay for the order, as will be displayed during checkout
    amount_due: int
    #: Customer balance spent as will be displayed during checkout
    customer_balance_spent: int
    #: Total discount as will be displayed during checkout
    discount: int
    #: Amount paid (sum of manual payments or captured payment amount)
    paid: int
    #: Shipping price as will be displayed during checkout
    shipping: int
    #: Subtotal amount as will be displayed during checkout
    subtotal: int
    #: Total tax as will be displayed during checkout
    tax: int
    #: Total price as will be displayed during checkout
    total: int


@attrs.frozen(kw_only=True)
class OrderCalcLog(ResponseModel):
    """One entry of the order calculation log."""

    comment: str
    group: str
    key: str
    value: str


@attrs.frozen(kw_only=True)
class OrderRuleEvalDetail(ResponseModel):
    """How the discount rules evaluated for the order (opaque strings)."""

    discountable: str
    line_items: list[str]
    order: str
    shipping: str
