"""``TrunkeryClient`` and ``AsyncTrunkeryClient``: thin shells over the core pipeline.

Trunkery renamed itself Lana Commerce in 2024 and its API moved from ``api.trunkery.com`` to
``api.lana.dev`` (the default). To reach the old host, pass ``base_url=LEGACY_BASE_URL``
(``"https://api.trunkery.com"``); whether it still answers is not known. A ``base_url`` with a
path (``http://127.0.0.1:8000/trunkery``) is kept: requests go to ``…/trunkery/orders.json``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
from .._constants import DEFAULT_MAX_RETRIES, TRUNKERY_MAX_PAGE_SIZE
from .._http import httpx
from .._pagination import AsyncPager, Page, PageRequest, SyncPager
from .._ratelimit import RateLimiter
from .._response import async_raw_response_wrapper, raw_response_wrapper
from .._spec import Call
from .._types import Secret
from ._codec import VENDOR, ModifyOptions, build_modify_request, default_shop_id
from ._list import OrderFilter, build_list_request, build_retrieve_request
from ._order import Order
from .models import OrderModify

__all__ = [
    "DEFAULT_BASE_URL", "LEGACY_BASE_URL", "AsyncOrders", "AsyncTrunkeryClient", "Orders", "TrunkeryClient",
]

#: The JSON API host since the 2024 rebrand to Lana Commerce.
DEFAULT_BASE_URL = "https://api.lana.dev"
#: The Trunkery-era host (before May 2024); whether it still answers is unknown.
LEGACY_BASE_URL = "https://api.trunkery.com"


def _bearer_token(value: object) -> Secret:
    """The JWT as a ``Secret``; a pasted ``"Bearer …"`` prefix is dropped rather than sent twice."""
    what = "a Trunkery/Lana JWT: a login token or an API key token"
    secret = secret_setting(value, name="token", what=what)
    scheme, _, rest = secret.get_secret_value().partition(" ")
    return secret_setting(rest, name="token", what=what) if scheme.lower() == "bearer" else secret


class _TrunkeryClientBase(_BaseClient[HttpT]):
    shop_id: str | None

    def __init__(
        self,
        token: str | Secret,
        *,
        shop_id: str | None = None,
        base_url: str | httpx.URL = DEFAULT_BASE_URL,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        deadline: float | None = None,
        default_headers: Mapping[str, str] | None = None,
        http_client: HttpT | None = None,
        rate_limiter: RateLimiter | None = None,
    ) -> None:
        """A client of the Trunkery (Lana Commerce) Commerce JSON API.

        Args:
            token: The JWT, from ``authLogin`` or an API key (``Key.token``); sent as
                ``Authorization: Bearer <jwt>`` and never shown in ``repr``, errors or logs.
            shop_id: The default shop (``sh_…``) of every call; a call may pass its own. When
                omitted, the ``shop_id`` claim of an API key token is used, as the vendor's CLI does.
            base_url: The API host: ``DEFAULT_BASE_URL`` (``https://api.lana.dev``), or
                ``LEGACY_BASE_URL`` (``https://api.trunkery.com``) for the pre-2024 host. A path
                is kept, so a local sandbox at ``http://127.0.0.1:8000/trunkery`` works.
            timeout: Default per-attempt timeout (seconds or ``httpx.Timeout``).
            max_retries: Default retries of a retryable failure (0 turns retries off, and then
                no ``Idempotency-Key`` is generated).
            deadline: Default bound in seconds on a whole call, retries included (``None``: none).
            default_headers: Headers added to every request.
            http_client: Your own httpx client; orderpatch then never closes it.
            rate_limiter: A request budget (``orderpatch.InMemoryRateLimiter``, …) drawn from before every
                attempt and steered by the server's rate-limit headers; ``None`` (default): no pacing.
        """
        secret = _bearer_token(token)
        self.shop_id = default_shop_id(shop_id, secret.get_secret_value())
        super().__init__(
            vendor=VENDOR, base_url=base_url, auth=HeaderAuth("Bearer", secret), timeout=timeout,
            max_retries=max_retries, deadline=deadline, default_headers=default_headers, http_client=http_client,
            rate_limiter=rate_limiter,
        )

    def _modify_call(
        self, order_id: str, changes: OrderModify, options: ModifyOptions
    ) -> tuple[Call[Order], RequestOptions]:
        """The modify request of one call (shared by the sync and async resources)."""
        return build_modify_request(self.base_url, order_id, changes, options, default_shop_id=self.shop_id,
                                    default_max_retries=self.max_retries)

    def _retrieve_call(self, order_id: str, shop_id: str | None, fields: Sequence[str] | None) -> Call[Order]:
        return build_retrieve_request(self.base_url, order_id, shop_id=shop_id or self.shop_id, fields=fields)

    def _page_builder(self, order_filter: OrderFilter | None, page_size: int,
                      shop_id: str | None) -> PageRequest[Order]:
        """The page builder of one walk; the first page's request is built now, so bad input fails here."""
        base, shop = self.base_url, shop_id or self.shop_id
        build_list_request(base, order_filter, page_size, None, shop_id=shop)
        return lambda cursor: build_list_request(base, order_filter, page_size, cursor, shop_id=shop)


class OrdersWithRawResponse:
    """``client.orders.with_raw_response``."""

    def __init__(self, orders: Orders) -> None:
        self.modify = self.update = raw_response_wrapper(orders.modify)


class AsyncOrdersWithRawResponse:
    """``client.orders.with_raw_response`` of the async client."""

    def __init__(self, orders: AsyncOrders) -> None:
        self.modify = self.update = async_raw_response_wrapper(orders.modify)


class Orders(SyncResource):
    """``client.orders``: modify Trunkery orders."""

    _client: TrunkeryClient

    def modify(self, order_id: str, changes: OrderModify, **options: Unpack[ModifyOptions]) -> Order:
        """Modify order ``order_id`` (one ``or_…`` id) with the fields set in ``changes``; return it.

        Sends ``POST /orders.json?ids=<order_id>&shop_id=<shop>`` with ``[changes]``. The id is
        checked before anything is sent (empty, several or unsafe ids raise ``ValidationError``):
        without ``ids`` the same request would create a new order. ``OrderModify.line_items``
        replaces the whole list.

        Keyword arguments: ``shop_id`` (overrides the client's), ``if_updated_at`` (the order's
        ``updated_at`` as last read: the change then fails with ``Conflict`` if someone changed the
        order since), ``uuid`` (the order's own uuid, for anonymous flows), ``fields`` (the
        vendor's output filter; it must keep every field ``Order`` requires), ``idempotency_key``
        (generated once per call and reused by every retry unless retries are off; ``None``
        sends none, and then nothing that may have reached the vendor is retried), and the core's
        ``timeout``, ``max_retries``, ``deadline``, ``extra_headers``, ``extra_query``.

        Errors: ``AuthenticationError`` (401, 999, 996 token not valid for writes),
        ``PermissionDenied`` (997, missing bits in ``errors``), ``NotFound``, ``Conflict`` (1031),
        ``UnprocessableEntity`` (1000 with per-field ``errors``, 1150 e.g. ``order_not_editable``),
        ``RateLimited``, ``ServerError``, and ``DecodeError`` when the answer is not exactly the
        one order asked for.
        """
        return self._client.request(*self._client._modify_call(order_id, changes, options))

    #: The same as ``modify``, under the name the other sub-clients use.
    update = modify

    def retrieve(self, order_id: str, *, shop_id: str | None = None, fields: Sequence[str] | None = None,
                 **options: Unpack[RequestOptions]) -> Order:
        """``GET /orders.json?ids=<order_id>&shop_id=…``: the order as it is now (exactly that one)."""
        return self._client.request(self._client._retrieve_call(order_id, shop_id, fields), options)

    def list(self, filter: OrderFilter | None = None, *, page_size: int = TRUNKERY_MAX_PAGE_SIZE,
             shop_id: str | None = None, **options: Unpack[RequestOptions]) -> SyncPager[Order]:
        """Every order ``filter`` selects (carts excluded unless ``cart=True``), oldest first.

        ``GET /orders/page.json`` walked by ``last_key`` (keyset) with ``sort_by=created_at``, so
        modifying the orders while walking them neither skips nor repeats one; like the vendor's
        iterator it ends on an empty page. The filter is checked before any request.
        """
        return SyncPager(self._client.request, self._client._page_builder(filter, page_size, shop_id), options,
                         vendor="trunkery")

    def list_page(self, filter: OrderFilter | None = None, *, page_size: int = TRUNKERY_MAX_PAGE_SIZE,
                  cursor: str | None = None, shop_id: str | None = None,
                  **options: Unpack[RequestOptions]) -> Page[Order]:
        """One page: its orders, ``total_count`` (``count``) and the ``next_cursor`` (``last_key``)."""
        return SyncPager(self._client.request, self._client._page_builder(filter, page_size, shop_id), options,
                         vendor="trunkery").fetch(cursor)

    with_raw_response = cached_property(OrdersWithRawResponse)
    """The same operations, returning ``APIResponse[Order]`` with the HTTP metadata."""


class AsyncOrders(AsyncResource):
    """``client.orders`` of the async client."""

    _client: AsyncTrunkeryClient

    async def modify(self, order_id: str, changes: OrderModify, **options: Unpack[ModifyOptions]) -> Order:
        """Modify order ``order_id`` with the fields set in ``changes``; see ``Orders.modify``."""
        return await self._client.request(*self._client._modify_call(order_id, changes, options))

    #: The same as ``modify``, under the name the other sub-clients use.
    update = modify

    async def retrieve(self, order_id: str, *, shop_id: str | None = None, fields: Sequence[str] | None = None,
                       **options: Unpack[RequestOptions]) -> Order:
        """``GET /orders.json?ids=<order_id>``; see ``Orders.retrieve``."""
        return await self._client.request(self._client._retrieve_call(order_id, shop_id, fields), options)

    def list(self, filter: OrderFilter | None = None, *, page_size: int = TRUNKERY_MAX_PAGE_SIZE,
             shop_id: str | None = None, **options: Unpack[RequestOptions]) -> AsyncPager[Order]:
        """``async for`` over every order ``filter`` selects; see ``Orders.list``."""
        return AsyncPager(self._client.request, self._client._page_builder(filter, page_size, shop_id), options,
                          vendor="trunkery")

    async def list_page(self, filter: OrderFilter | None = None, *, page_size: int = TRUNKERY_MAX_PAGE_SIZE,
                        cursor: str | None = None, shop_id: str | None = None,
                        **options: Unpack[RequestOptions]) -> Page[Order]:
        """One page; see ``Orders.list_page``."""
        return await AsyncPager(self._client.request, self._client._page_builder(filter, page_size, shop_id),
                                options, vendor="trunkery").fetch(cursor)

    with_raw_response = cached_property(AsyncOrdersWithRawResponse)
    """The same operations, returning ``APIResponse[Order]`` with the HTTP metadata."""


class TrunkeryClient(_TrunkeryClientBase[httpx.Client], SyncAPIClient):
    """Blocking Trunkery (Lana Commerce) client; use it as a context manager.

    >>> with TrunkeryClient(token="eyJ...", shop_id="sh_EQzGqWoY") as trunkery:      # doctest: +SKIP
    ...     order = trunkery.orders.modify("or_EQzGqWoY", OrderModify(customer_email="new@example.com"))
    """

    orders = cached_property(Orders)
    """Order operations."""


class AsyncTrunkeryClient(_TrunkeryClientBase[httpx.AsyncClient], AsyncAPIClient):
    """asyncio Trunkery (Lana Commerce) client; use it as an async context manager."""

    orders = cached_property(AsyncOrders)
    """Order operations."""
