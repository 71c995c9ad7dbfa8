"""LicenseSpring Management API: read, select and update orders (``/api/v1/orders/``).

>>> from orderpatch.licensespring import LicenseSpringClient, OrderUpdate   # doctest: +SKIP
>>> with LicenseSpringClient(api_key="...") as ls:
...     order = ls.orders.update(1629789747117569, OrderUpdate(download_id=None, is_test=False))
"""

from .._pagination import AsyncPager, Page, SyncPager
from ._list import FILTER_NAMES, OrderFilter
from .client import DEFAULT_BASE_URL, AsyncLicenseSpringClient, AsyncOrders, LicenseSpringClient, Orders
from .models import Customer, Order, OrderDetail, OrderUpdate

__all__ = [
    "DEFAULT_BASE_URL",
    "FILTER_NAMES",
    "AsyncPager",
    "Customer",
    "OrderDetail",
    "OrderFilter",
    "Page",
    "SyncPager",
    "AsyncLicenseSpringClient",
    "AsyncOrders",
    "LicenseSpringClient",
    "Order",
    "OrderUpdate",
    "Orders",
]
