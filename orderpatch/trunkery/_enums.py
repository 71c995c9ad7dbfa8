"""Trunkery (Lana Commerce) enumerations: the ``Order`` enums, open to new values, and ``ErrorCode``.

Every enum of a response is an ``OpenEnum``: a value this version does not know (the vendor adds
them without notice) parses as a pseudo-member whose ``is_known`` is ``False`` instead of failing.
Values are those of ``@lana-commerce/core`` 13.0.0 ``types/json/commerceTypes.d.ts`` and
``types/generated/codes.d.ts``.
"""

from __future__ import annotations

import enum

from .._types import OpenEnum

__all__ = [
    "AddressVerificationStatus", "ErrorCode", "GatewayType", "OrderCancelReason", "OrderFinancialStatus",
    "OrderFulfillmentStatus", "OrderHistoryAction", "OrderLineItemFulfillmentStatus", "OrderRefundReason",
    "OrderSourceName", "OrderState", "PaymentDetailCardCompany", "PaymentDetailCardFunding", "PaymentDetailType",
    "ProductFieldType", "RoundTaxAt", "ShippingTaxMethod", "VariantType", "ZipCodeType"
]


class AddressVerificationStatus(OpenEnum):
    """How the shipping address verification ended."""

    ERROR = "error"
    INVALID = "invalid"
    PENDING = "pending"
    VERIFIED = "verified"
    WARNING = "warning"


class GatewayType(OpenEnum):
    """The kind of payment gateway an order uses."""

    MANUAL = "manual"
    PAYPAL = "paypal"
    STRIPE = "stripe"
    TEST = "test"


class OrderCancelReason(OpenEnum):
    """Why an order was canceled."""

    CUSTOMER = "customer"
    FRAUD = "fraud"
    INVENTORY = "inventory"
    MALFORMED_SHIPPING_ADDRESS = "malformed_shipping_address"
    OTHER = "other"
    PRICE_ERROR = "price_error"
    RISK = "risk"
    SHIPPING_PRICE_ERROR = "shipping_price_error"
    TAX_ERROR = "tax_error"
    UNDELIVERABLE_SHIPPING_ADDRESS = "undeliverable_shipping_address"
    UNSUPPORTED_PO_BOX_ADDRESS = "unsupported_po_box_address"


class OrderFinancialStatus(OpenEnum):
    """Where an order stands in payment: unpaid, authorized, paid, refunded, voided."""

    AUTHORIZED = "authorized"
    PAID = "paid"
    PARTIALLY_PAID = "partially_paid"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    UNPAID = "unpaid"
    VOIDED = "voided"


class OrderFulfillmentStatus(OpenEnum):
    """How much of an order has been fulfilled."""

    FULFILLED = "fulfilled"
    PARTIAL = "partial"
    UNFULFILLED = "unfulfilled"


class OrderHistoryAction(OpenEnum):
    """The kind of an order history entry."""

    ABANDON = "abandon"
    AUTHORIZE_TRANSACTION = "authorize_transaction"
    CANCEL = "cancel"
    CAPTURE_TRANSACTION = "capture_transaction"
    CLOSE = "close"
    CUSTOMER_BALANCE_REFUND = "customer_balance_refund"
    FULFILLMENT_CANCELED = "fulfillment_canceled"
    FULFILLMENT_COMPLETED = "fulfillment_completed"
    FULFILLMENT_CREATED = "fulfillment_created"
    FULFILLMENT_MODIFIED = "fulfillment_modified"
    MANUAL_PAYMENT = "manual_payment"
    MANUAL_REFUND = "manual_refund"
    OPEN = "open"
    REFUND_TRANSACTION = "refund_transaction"
    RESTOCK = "restock"
    STATE_CHANGE = "state_change"
    UNABANDON = "unabandon"
    UNDO_COUPON_USAGE = "undo_coupon_usage"
    VOID_TRANSACTION = "void_transaction"


class OrderLineItemFulfillmentStatus(OpenEnum):
    """How much of a line item has been fulfilled."""

    FULFILLED = "fulfilled"
    PARTIAL = "partial"
    UNFULFILLED = "unfulfilled"


class OrderRefundReason(OpenEnum):
    """Why (part of) an order was refunded."""

    ADJUSTMENT = "adjustment"
    COURTESY_ADJUSTMENT = "courtesy_adjustment"
    CUSTOMER_CANCELED = "customer_canceled"
    CUSTOMER_DISCRETIONARY_RETURN = "customer_discretionary_return"
    DELIVERED_LATE_BY_CARRIER = "delivered_late_by_carrier"
    FEE_ADJUSTMENT = "fee_adjustment"
    LATE_SHIPMENT_CREDIT = "late_shipment_credit"
    NO_INVENTORY = "no_inventory"
    ORDER_CANCELED = "order_canceled"
    OTHER = "other"
    PRICE_ERROR = "price_error"
    PRODUCT_ARRIVED_DAMAGED = "product_arrived_damaged"
    PRODUCT_NOT_AS_DESCRIBED = "product_not_as_described"
    SHIPPING_COST_ADJUSTMENT = "shipping_cost_adjustment"
    TAX_ADJUSTMENT = "tax_adjustment"
    UNDELIVERABLE_SHIPPING_ADDRESS = "undeliverable_shipping_address"
    WRONG_PRODUCT_SHIPPED = "wrong_product_shipped"


class OrderSourceName(OpenEnum):
    """Where an order originated from."""

    ADMIN = "admin"
    SUBSCRIPTION = "subscription"
    WEB = "web"


class OrderState(OpenEnum):
    """The state of an order (``cart`` until it is placed)."""

    AUTHORIZE_PAYMENT = "authorize_payment"
    CAPTURE_PAYMENT = "capture_payment"
    CART = "cart"
    IMPORTED = "imported"
    MANUAL_PAYMENT = "manual_payment"
    RESERVED = "reserved"


class PaymentDetailCardCompany(OpenEnum):
    """The company that issued a payment card."""

    AMEX = "amex"
    DINERS = "diners"
    DISCOVER = "discover"
    ELO = "elo"
    HIPER = "hiper"
    JCB = "jcb"
    MASTERCARD = "mastercard"
    OTHER = "other"
    UNIONPAY = "unionpay"
    VISA = "visa"


class PaymentDetailCardFunding(OpenEnum):
    """The funding type of a payment card (from Stripe)."""

    CREDIT = "credit"
    DEBIT = "debit"
    OTHER = "other"
    PREPAID = "prepaid"


class PaymentDetailType(OpenEnum):
    """The payment method behind a payment detail."""

    ALIPAY = "alipay"
    AMEX_EXPRESS_CHECKOUT = "amex_express_checkout"
    APPLE_PAY = "apple_pay"
    BANCONTACT = "bancontact"
    CARD = "card"
    EPS = "eps"
    GIROPAY = "giropay"
    GOOGLE_PAY = "google_pay"
    IDEAL = "ideal"
    MANUAL = "manual"
    MASTERPASS = "masterpass"
    MULTIBANCO = "multibanco"
    P24 = "p24"
    PAYPAL = "paypal"
    SAMSUNG_PAY = "samsung_pay"
    SOFORT = "sofort"
    VISA_CHECKOUT = "visa_checkout"
    WECHAT = "wechat"


class ProductFieldType(OpenEnum):
    """The type of a product (line item) field."""

    CHECKBOX = "checkbox"
    CHOICE = "choice"
    FILE = "file"
    NUMBER = "number"
    STRING = "string"
    TEXT = "text"


class RoundTaxAt(OpenEnum):
    """At what level tax is rounded."""

    JURISDICTION = "jurisdiction"
    LINE_ITEM = "line_item"
    ORDER = "order"


class ShippingTaxMethod(OpenEnum):
    """How the tax on shipping is calculated."""

    CUSTOM = "custom"
    HIGHEST = "highest"
    WEIGHTED = "weighted"


class VariantType(OpenEnum):
    """The kind of a product variant."""

    BUNDLE = "bundle"
    DIGITAL_GOOD = "digital_good"
    GIFT_CARD = "gift_card"
    PHYSICAL = "physical"
    SERVICE = "service"


class ZipCodeType(OpenEnum):
    """The type of a ZIP / postal code, from address verification."""

    MILITARY = "military"
    PO_BOX = "po_box"
    REGULAR = "regular"
    UNIQUE = "unique"


class ErrorCode(enum.IntEnum):
    """The vendor's numeric error codes (``code`` of an error object); member names are the vendor's own.

    ``APIError.code`` holds the code as a string: ``int(err.code) == ErrorCode.VersionMismatch``.
    """

    Unauthorized = 401
    NotFound = 404
    TooManyRequests = 429
    InternalServerError = 500
    JWTInvalidForWrite = 996
    NoPermissions = 997
    ForceRedirect = 998
    JWTValidationFailed = 999
    InvalidInput = 1000
    OrderError = 1001
    ParsingFailure = 1030
    VersionMismatch = 1031
    CSVReadError = 1066
    UserDisabled = 1068
    UserLocked = 1069
    ReviewOutOfDate = 1107
    RealtimeShippingRatesFailure = 1109
    URLFetchFailure = 1110
    TaxSystemFailure = 1111
    XeroFailure = 1112
    QuickbooksFailure = 1113
    CannotSwitchToPlan = 1116
    GatewayCreationError = 1117
    StripeAPICallFailure = 1122
    GatewayTransactionError = 1123
    TaskTypeInProgress = 1127
    InvalidFields = 1131
    InvalidInputCount = 1132
    FailedCooking = 1137
    CurrencyConversion = 1143
    LimitExceeded = 1146
    InvalidOperation = 1150
    DownloadLimitExceeded = 1151
    TryAgainLater = 1153
    ConditionEvalFailure = 1154
    RefundFailure = 1155
    AdminError = 1156
    AnalyticsAPICallFailure = 1157
    OAuth2EmailMismatch = 1158
    ExternalAPIError = 1159
    Phone2FAUnavailable = 1160
