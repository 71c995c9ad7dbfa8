"""Spree Platform API v2: read, select and update orders (``/api/v2/platform/orders``), run order events.

>>> from orderpatch.spree import SpreeClient, OrderUpdate, Address        # doctest: +SKIP
>>> with SpreeClient(base_url="https://shop.example.com", client_id="...", client_secret="...") as spree:
...     order = spree.orders.update("R123456789", OrderUpdate(email="new@example.com"), include=["line_items"])
...     order = spree.orders.next(order.number)
"""

from .._pagination import AsyncPager, Page, SyncPager
from ._codec import Fields, Include, OrderAction
from ._list import OrderFilter
from ._order import (
    AddressResource,
    IncludedResource,
    JSONAPIResource,
    LineItemResource,
    Order,
    OrderRelationships,
    PaymentResource,
    RelationshipData,
    Resource,
    ResourceIdentifier,
    ShipmentResource,
)
from .client import DEFAULT_SCOPE, AsyncOrders, AsyncSpreeClient, OrderOperations, Orders, SpreeClient
from .models import (
    Address,
    LineItem,
    Money,
    OrderState,
    OrderUpdate,
    PaymentResourceState,
    PaymentState,
    ShipmentState,
    SpreeId,
)

__all__ = [
    "AsyncPager", "OrderFilter", "Page", "SyncPager",
    "DEFAULT_SCOPE", "Address", "AddressResource", "AsyncOrders", "AsyncSpreeClient", "Fields", "Include",
    "IncludedResource", "JSONAPIResource", "LineItem", "LineItemResource", "Money", "Order", "OrderAction",
    "OrderOperations", "OrderRelationships", "OrderState", "OrderUpdate", "Orders", "PaymentResource",
    "PaymentResourceState", "PaymentState", "RelationshipData", "Resource", "ResourceIdentifier", "ShipmentResource",
    "ShipmentState", "SpreeClient", "SpreeId",
]
