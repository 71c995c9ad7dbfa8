"""Commerce Layer Core API: update orders (``PATCH /api/orders/{id}``), run their triggers.

>>> from orderpatch.commercelayer import CommerceLayerClient, MarketRef, OrderUpdate   # doctest: +SKIP
>>> with CommerceLayerClient(organization="acme", client_id="...", client_secret="...") as cl:
...     order = cl.orders.update("xYZkjABcde", OrderUpdate(coupon_code="SUMMER", market=MarketRef(id="dlQbPhNNop")))
...     order = cl.orders.place("xYZkjABcde")
"""

from ._codec import Fields, Include, Trigger
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
    "DEFAULT_AUTH_URL", "DEFAULT_DOMAIN", "AddressRef", "AsyncCommerceLayerClient", "AsyncOrders",
    "AsyncOrdersWithRawResponse", "CommerceLayerClient", "CustomerRef", "Fields", "FulfillmentStatus", "Include",
    "Links", "MarketRef", "Order", "OrderAttributes", "OrderRelationships", "OrderStatus", "OrderUpdate", "Orders",
    "OrdersWithRawResponse", "PaymentMethodRef", "PaymentSourceRef", "PaymentSourceType", "PaymentStatus",
    "Relationship", "Resource", "ResourceIdentifier", "StoreRef", "TagRef", "Trigger",
]
