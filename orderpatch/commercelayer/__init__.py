"""Commerce Layer Core API: read, select and update orders (``/api/orders``), run their triggers.

>>> from orderpatch.commercelayer import CommerceLayerClient, MarketRef, OrderUpdate   # doctest: +SKIP
>>> with CommerceLayerClient(organization="acme", client_id="...", client_secret="...") as cl:
...     order = cl.orders.update("xYZkjABcde", OrderUpdate(coupon_code="SUMMER", market=MarketRef(id="dlQbPhNNop")))
...     order = cl.orders.place("xYZkjABcde")
"""

from .._pagination import AsyncPager, Page, SyncPager
from ._codec import Fields, Include, Trigger
from ._list import OrderFilter
from .client import (
    DEFAULT_AUTH_URL,
    DEFAULT_DOMAIN,
    AsyncCommerceLayerClient,
    AsyncOrders,
    AsyncOrdersWithRawResponse,
    CommerceLayerClient,
    Orders,
    OrdersWithRawResponse,
)
from .models import (
    AddressRef,
    CustomerRef,
    FulfillmentStatus,
    Links,
    MarketRef,
    Order,
    OrderAttributes,
    OrderRelationships,
    OrderStatus,
    OrderUpdate,
    PaymentMethodRef,
    PaymentSourceRef,
    PaymentSourceType,
    PaymentStatus,
    Relationship,
    Resource,
    ResourceIdentifier,
    StoreRef,
    TagRef,
)

__all__ = [
    "AddressRef", "AsyncCommerceLayerClient", "AsyncOrders", "AsyncOrdersWithRawResponse", "AsyncPager",
    "CommerceLayerClient", "CustomerRef", "DEFAULT_AUTH_URL", "DEFAULT_DOMAIN", "Fields", "FulfillmentStatus",
    "Include", "Links", "MarketRef", "Order", "OrderAttributes", "OrderFilter", "OrderRelationships", "OrderStatus",
    "OrderUpdate", "Orders", "OrdersWithRawResponse", "Page", "PaymentMethodRef", "PaymentSourceRef",
    "PaymentSourceType", "PaymentStatus", "Relationship", "Resource", "ResourceIdentifier", "StoreRef", "SyncPager",
    "TagRef", "Trigger",
]
