"""Spree Admin API v3 (Spree 5.5+): update orders (``PATCH /api/v3/admin/orders/{id}``) and run order actions.

Not the Platform API v2 of ``orderpatch.spree`` (Spree 4.4-5.3, or the ``spree_legacy_api_v2``
gem): v3 has its own ids (``or_…``), secret API keys, flat JSON and idempotency keys.

>>> from orderpatch.spree_admin import SpreeAdminClient, OrderUpdate      # doctest: +SKIP
>>> with SpreeAdminClient(base_url="https://shop.example.com", api_key="sk_...") as spree:
...     order = spree.orders.retrieve_by_number("R801110570")
...     order = spree.orders.update(order.id, OrderUpdate(customer_note="Leave at the door"))
"""

from ._codec import Expand, Fields, OrderAction, new_idempotency_key
from ._order import ApiKey, LineItem, Order, OrderAddress, OrderList, PageMeta
from .client import (
    API_KEY_HEADER,
    REQUIRED_SCOPES,
    AsyncOrders,
    AsyncSpreeAdminClient,
    Orders,
    SpreeAdminClient,
    SpreeApiKeyAuth,
)
from .errors import IdempotencyKeyReused, OrderNotCanceled, RequestTooLarge
from .models import (
    Address,
    FulfillmentStatus,
    ItemUpsert,
    OrderStatus,
    OrderUpdate,
    PaymentStatus,
    PrefixedId,
    check_prefixed_id,
)

__all__ = [
    "API_KEY_HEADER", "REQUIRED_SCOPES", "Address", "ApiKey", "AsyncOrders", "AsyncSpreeAdminClient", "Expand",
    "Fields", "FulfillmentStatus", "IdempotencyKeyReused", "ItemUpsert", "LineItem", "Order", "OrderAction",
    "OrderAddress", "OrderList", "OrderNotCanceled", "OrderStatus", "OrderUpdate", "Orders", "PageMeta",
    "PaymentStatus", "PrefixedId", "RequestTooLarge", "SpreeAdminClient", "SpreeApiKeyAuth", "check_prefixed_id",
    "new_idempotency_key",
]
