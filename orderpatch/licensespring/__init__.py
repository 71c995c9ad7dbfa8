"""LicenseSpring Management API: update orders (``PATCH /api/v1/orders/{id}/``).

>>> from orderpatch.licensespring import LicenseSpringClient, OrderUpdate   # doctest: +SKIP
>>> with LicenseSpringClient(api_key="...") as ls:
...     order = ls.orders.update(1629789747117569, OrderUpdate(download_id=None, is_test=False))
"""

from .client import DEFAULT_BASE_URL, AsyncLicenseSpringClient, AsyncOrders, LicenseSpringClient, Orders
from .models import Order, OrderUpdate

__all__ = [
    "DEFAULT_BASE_URL",
    "AsyncLicenseSpringClient",
    "AsyncOrders",
    "LicenseSpringClient",
    "Order",
    "OrderUpdate",
    "Orders",
]
