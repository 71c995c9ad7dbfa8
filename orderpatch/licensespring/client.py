"""``LicenseSpringClient`` and ``AsyncLicenseSpringClient``: thin shells over the core pipeline."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property

from typing_extensions import Unpack

from .._auth import HeaderAuth
from .._base_client import (
    DEFAULT_TIMEOUT,
    AsyncAPIClient,
    AsyncResource,
    HttpT,
    RequestOptions,
    SyncAPIClient,
    SyncResource,
    TimeoutTypes,
    _BaseClient,
    secret_setting,
)
from .._constants import DEFAULT_MAX_RETRIES, LICENSESPRING_MAX_PAGE_SIZE
from .._http import httpx
from .._pagination import AsyncPager, Page, PageRequest, SyncPager
from .._ratelimit import RateLimiter
from .._response import async_raw_response_wrapper, raw_response_wrapper
from .._types import Secret
from ._codec import VENDOR, build_update_request
from ._list import OrderFilter, build_list_request, build_retrieve_request
from .models import Order, OrderDetail, OrderUpdate

__all__ = ["DEFAULT_BASE_URL", "AsyncLicenseSpringClient", "AsyncOrders", "LicenseSpringClient", "Orders"]

#: The Management API host. ``api.licensespring.com`` is the License API: other keys, other API.
DEFAULT_BASE_URL = "https://saas.licensespring.com"


class _LicenseSpringClientBase(_BaseClient[HttpT]):
    def __init__(
        self,
        api_key: str | Secret,
        *,
        base_url: str | httpx.URL = DEFAULT_BASE_URL,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        deadline: float | None = None,
        default_headers: Mapping[str, str] | None = None,
        http_client: HttpT | None = None,
        rate_limiter: RateLimiter | None = None,
    ) -> None:
        """A client of the LicenseSpring Management API.

        Args:
            api_key: The management API key (Account Settings > Settings > Keys), sent as
                ``Authorization: Api-Key <key>``; never shown in ``repr``, errors or logs.
            base_url: The API host; a single-tenant deployment has its own.
            timeout: Default per-attempt timeout (seconds or ``httpx.Timeout``).
            max_retries: Default retries of a retryable failure (0 turns retries off).
            deadline: Default bound in seconds on a whole call, retries included (``None``: none).
            default_headers: Headers added to every request.
            http_client: Your own httpx client; orderpatch then never closes it.
            rate_limiter: A request budget (``orderpatch.InMemoryRateLimiter``, …) drawn from before every
                attempt and steered by the server's rate-limit headers; ``None`` (default): no pacing.
        """
        key = secret_setting(api_key, name="api_key", what="the LicenseSpring management API key")
        super().__init__(
            vendor=VENDOR,
            base_url=base_url,
            auth=HeaderAuth("Api-Key", key),
            timeout=timeout,
            max_retries=max_retries,
            deadline=deadline,
            default_headers=default_headers,
            http_client=http_client, rate_limiter=rate_limiter,
        )


def _page_builder(base_url: httpx.URL, order_filter: OrderFilter | None, page_size: int) -> PageRequest[OrderDetail]:
    """The page builder of one walk; the first page's request is built now, so bad input fails here."""
    build_list_request(base_url, order_filter, page_size, None)
    return lambda cursor: build_list_request(base_url, order_filter, page_size, cursor)


class OrdersWithRawResponse:
    """``client.orders.with_raw_response``."""

    def __init__(self, orders: Orders) -> None:
        self.update = raw_response_wrapper(orders.update)


class AsyncOrdersWithRawResponse:
    """``client.orders.with_raw_response`` of the async client."""

    def __init__(self, orders: AsyncOrders) -> None:
        self.update = async_raw_response_wrapper(orders.update)


class Orders(SyncResource):
    """``client.orders``: update LicenseSpring orders."""

    _client: LicenseSpringClient

    def update(self, order_id: int | str, changes: OrderUpdate, **options: Unpack[RequestOptions]) -> Order:
        """Change the given fields of order ``order_id`` (LicenseSpring's numeric id).

        Raises ``NotFound`` with LicenseSpring's message when the order does not exist or is
        not visible to this key. Per-call options: ``timeout``, ``max_retries``, ``deadline``,
        ``extra_headers``, ``extra_query``.
        """
        return self._client.request(build_update_request(self._client.base_url, order_id, changes), options)

    def retrieve(self, order_id: int | str, **options: Unpack[RequestOptions]) -> OrderDetail:
        """``GET /api/v1/orders/{id}/``: the nested order (``customer`` an object, ``order_items``)."""
        return self._client.request(build_retrieve_request(self._client.base_url, order_id), options)

    def list(self, filter: OrderFilter | None = None, *, page_size: int = LICENSESPRING_MAX_PAGE_SIZE,
             **options: Unpack[RequestOptions]) -> SyncPager[OrderDetail]:
        """Every order ``filter`` selects, oldest first (``order_by=created_at``), ``page_size`` a page.

        LicenseSpring pages by offset only: orders created during the walk come at the end, but
        a change that moves an order out of the filter shifts later pages. For bulk work, collect
        the ids first, then update. The filter is checked before any request.
        """
        return SyncPager(self._client.request, _page_builder(self._client.base_url, filter, page_size), options,
                         vendor="licensespring")

    def list_page(self, filter: OrderFilter | None = None, *, page_size: int = LICENSESPRING_MAX_PAGE_SIZE,
                  cursor: str | None = None, **options: Unpack[RequestOptions]) -> Page[OrderDetail]:
        """One page: its orders, ``total_count`` (``count``) and the ``next_cursor`` (an offset)."""
        return SyncPager(self._client.request, _page_builder(self._client.base_url, filter, page_size), options,
                         vendor="licensespring").fetch(cursor)

    with_raw_response = cached_property(OrdersWithRawResponse)
    """The same operations, returning ``APIResponse[Order]`` with the HTTP metadata."""


class AsyncOrders(AsyncResource):
    """``client.orders`` of the async client."""

    _client: AsyncLicenseSpringClient

    async def update(self, order_id: int | str, changes: OrderUpdate, **options: Unpack[RequestOptions]) -> Order:
        """Change the given fields of order ``order_id``; see ``Orders.update``."""
        return await self._client.request(build_update_request(self._client.base_url, order_id, changes), options)

    async def retrieve(self, order_id: int | str, **options: Unpack[RequestOptions]) -> OrderDetail:
        """``GET /api/v1/orders/{id}/``; see ``Orders.retrieve``."""
        return await self._client.request(build_retrieve_request(self._client.base_url, order_id), options)

    def list(self, filter: OrderFilter | None = None, *, page_size: int = LICENSESPRING_MAX_PAGE_SIZE,
             **options: Unpack[RequestOptions]) -> AsyncPager[OrderDetail]:
        """``async for`` over every order ``filter`` selects; see ``Orders.list``."""
        return AsyncPager(self._client.request, _page_builder(self._client.base_url, filter, page_size), options,
                          vendor="licensespring")

    async def list_page(self, filter: OrderFilter | None = None, *, page_size: int = LICENSESPRING_MAX_PAGE_SIZE,
                        cursor: str | None = None, **options: Unpack[RequestOptions]) -> Page[OrderDetail]:
        """One page; see ``Orders.list_page``."""
        return await AsyncPager(self._client.request, _page_builder(self._client.base_url, filter, page_size),
                                options, vendor="licensespring").fetch(cursor)

    with_raw_response = cached_property(AsyncOrdersWithRawResponse)
    """The same operations, returning ``APIResponse[Order]`` with the HTTP metadata."""


class LicenseSpringClient(_LicenseSpringClientBase[httpx.Client], SyncAPIClient):
    """Blocking LicenseSpring Management API client; use it as a context manager.

    >>> with LicenseSpringClient(api_key="...") as ls:           # doctest: +SKIP
    ...     ls.orders.update(1629789747117569, OrderUpdate(is_test=False))
    """

    orders = cached_property(Orders)
    """Order operations."""


class AsyncLicenseSpringClient(_LicenseSpringClientBase[httpx.AsyncClient], AsyncAPIClient):
    """asyncio LicenseSpring Management API client; use it as an async context manager."""

    orders = cached_property(AsyncOrders)
    """Order operations."""
