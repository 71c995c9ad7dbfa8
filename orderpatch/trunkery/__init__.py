"""Trunkery (Lana Commerce) Commerce API: modify one order safely (``POST orders.json`` with ``ids``).

>>> from orderpatch.trunkery import TrunkeryClient, OrderModify               # doctest: +SKIP
>>> with TrunkeryClient(token="eyJ...", shop_id="sh_EQzGqWoY") as trunkery:
...     order = trunkery.orders.modify("or_EQzGqWoY", OrderModify(tags=["vip"], send_order_notifications=False))

Trunkery renamed itself Lana Commerce in 2024 and moved its API from ``api.trunkery.com`` to
``api.lana.dev``, the default ``base_url``; pass ``base_url=LEGACY_BASE_URL`` for the old host.
"""

from .._pagination import AsyncPager, Page, SyncPager
from ._codec import ModifyOptions
from ._enums import (
    AddressVerificationStatus,
    ErrorCode,
    GatewayType,
    OrderCancelReason,
    OrderFinancialStatus,
    OrderFulfillmentStatus,
    OrderHistoryAction,
    OrderLineItemFulfillmentStatus,
    OrderRefundReason,
    OrderSourceName,
    OrderState,
    PaymentDetailCardCompany,
    PaymentDetailCardFunding,
    PaymentDetailType,
    ProductFieldType,
    RoundTaxAt,
    ShippingTaxMethod,
    VariantType,
    ZipCodeType,
)
from ._history import (
    OrderHistory,
    OrderHistoryAuthorizeTransaction,
    OrderHistoryCancel,
    OrderHistoryCaptureTransaction,
    OrderHistoryChange,
    OrderHistoryFulfillmentCanceled,
    OrderHistoryFulfillmentCompleted,
    OrderHistoryFulfillmentCreated,
    OrderHistoryFulfillmentModified,
    OrderHistoryManualPayment,
    OrderHistoryManualRefund,
    OrderHistoryRefundLineItem,
    OrderHistoryRefundTransaction,
    OrderHistoryRestock,
    OrderHistoryRestockLineItem,
)
from ._line_items import (
    LineItemField,
    OrderBundleLineItemDetail,
    OrderCustomItem,
    OrderDetailsLineItemInventory,
    OrderLineItem,
    OrderLineItemDetail,
    TaxDetail,
)
from ._list import FILTER_NAMES, OrderFilter, OrderListType
from ._order import (
    Address,
    AddressVerification,
    Order,
    OrderCalcLog,
    OrderDisplay,
    OrderRuleEvalDetail,
)
from ._payment import (
    IPAndUAInfo,
    PaymentDetail,
    PaymentDetailBancontact,
    PaymentDetailCard,
    PaymentDetailClient,
    PaymentDetailEps,
    PaymentDetailGiropay,
    PaymentDetailIdeal,
    PaymentDetailMasterpass,
    PaymentDetailMultibanco,
    PaymentDetailP24,
    PaymentDetailSofort,
    PaymentDetailVisaCheckout,
)
from ._refs import (
    AddressShort,
    Coupon,
    Customer,
    Expanded,
    Gateway,
    InfoCountry,
    InfoProvince,
    InventoryLocation,
    Message,
    OrderRisk,
    ProductFieldSet,
    ProductVariant,
    Promotion,
    Ref,
    SalesChannel,
    ShippingProvider,
    Subscription,
    User,
)
from ._shipping import (
    PackedBox,
    PackedItem,
    ShippingDetail,
    ShippingRate,
    ShippingRateGroup,
    ShippingRateGroupItem,
    UnpackedItem,
)
from .client import (
    DEFAULT_BASE_URL,
    LEGACY_BASE_URL,
    AsyncOrders,
    AsyncOrdersWithRawResponse,
    AsyncTrunkeryClient,
    Orders,
    OrdersWithRawResponse,
    TrunkeryClient,
)
from .models import (
    AddressCreate,
    CustomItem,
    CustomItemIndex,
    LineItem,
    LineItemFieldCreate,
    OrderCustomItemCreate,
    OrderLineItemCreate,
    OrderModify,
    ProductFieldTypeName,
    SubscriptionPlanIndex,
)

__all__ = [
    "FILTER_NAMES", "AsyncPager", "OrderFilter", "OrderListType", "Page", "SyncPager",
    "Address", "AddressCreate", "AddressShort", "AddressVerification", "AddressVerificationStatus", "AsyncOrders",
    "AsyncOrdersWithRawResponse", "AsyncTrunkeryClient", "Coupon", "CustomItem", "CustomItemIndex", "Customer",
    "DEFAULT_BASE_URL", "ErrorCode", "Expanded", "Gateway", "GatewayType", "IPAndUAInfo", "InfoCountry",
    "InfoProvince", "InventoryLocation", "LEGACY_BASE_URL", "LineItem", "LineItemField", "LineItemFieldCreate",
    "Message", "ModifyOptions", "Order", "OrderBundleLineItemDetail", "OrderCalcLog", "OrderCancelReason",
    "OrderCustomItem", "OrderCustomItemCreate", "OrderDetailsLineItemInventory", "OrderDisplay",
    "OrderFinancialStatus", "OrderFulfillmentStatus", "OrderHistory", "OrderHistoryAction",
    "OrderHistoryAuthorizeTransaction", "OrderHistoryCancel", "OrderHistoryCaptureTransaction", "OrderHistoryChange",
    "OrderHistoryFulfillmentCanceled", "OrderHistoryFulfillmentCompleted", "OrderHistoryFulfillmentCreated",
    "OrderHistoryFulfillmentModified", "OrderHistoryManualPayment", "OrderHistoryManualRefund",
    "OrderHistoryRefundLineItem", "OrderHistoryRefundTransaction", "OrderHistoryRestock",
    "OrderHistoryRestockLineItem", "OrderLineItem", "OrderLineItemCreate", "OrderLineItemDetail",
    "OrderLineItemFulfillmentStatus", "OrderModify", "OrderRefundReason", "OrderRisk", "OrderRuleEvalDetail",
    "OrderSourceName", "OrderState", "Orders", "OrdersWithRawResponse", "PackedBox", "PackedItem", "PaymentDetail",
    "PaymentDetailBancontact", "PaymentDetailCard", "PaymentDetailCardCompany", "PaymentDetailCardFunding",
    "PaymentDetailClient", "PaymentDetailEps", "PaymentDetailGiropay", "PaymentDetailIdeal",
    "PaymentDetailMasterpass", "PaymentDetailMultibanco", "PaymentDetailP24", "PaymentDetailSofort",
    "PaymentDetailType", "PaymentDetailVisaCheckout", "ProductFieldSet", "ProductFieldType", "ProductFieldTypeName",
    "ProductVariant", "Promotion", "Ref", "RoundTaxAt", "SalesChannel", "ShippingDetail", "ShippingProvider",
    "ShippingRate", "ShippingRateGroup", "ShippingRateGroupItem", "ShippingTaxMethod", "Subscription",
    "SubscriptionPlanIndex", "TaxDetail", "TrunkeryClient", "UnpackedItem", "User", "VariantType", "ZipCodeType",
]
