"""``CommerceLayerClient`` and ``AsyncCommerceLayerClient``: thin shells over the core pipeline."""

from __future__ import annotations

import re
from collections.abc import Coroutine, Mapping
from functools import cached_property
from typing import Protocol, overload

from typing_extensions import Unpack

from .._auth import HeaderAuth, OAuth2ClientCredentials
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
    as_base_url,
    secret_setting,
)
from .._constants import COMMERCELAYER_MAX_PAGE_SIZE, DEFAULT_MAX_RETRIES
from .._http import httpx
from .._pagination import AsyncPager, Page, PageRequest, SyncPager
from .._ratelimit import RateLimiter
from .._response import async_raw_response_wrapper, raw_response_wrapper
from .._types import Secret
from ..errors import ConfigurationError
from ._codec import VENDOR, Fields, Include, Trigger, build_trigger_request, build_update_request
from ._list import OrderFilter, build_list_request, build_retrieve_request
from .models import Order, OrderUpdate

__all__ = [
    "DEFAULT_AUTH_URL", "DEFAULT_DOMAIN", "AsyncCommerceLayerClient", "AsyncOrders", "AsyncOrdersWithRawResponse",
    "CommerceLayerClient", "Orders", "OrdersWithRawResponse",
]

#: The token endpoint of every organization (``https://{slug}.commercelayer.io/oauth/token`` is retired).
DEFAULT_AUTH_URL = "https://auth.commercelayer.io/oauth/token"
#: The API host of an organization is ``https://{slug}.{DEFAULT_DOMAIN}``.
DEFAULT_DOMAIN = "commercelayer.io"

_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def _text(value: object) -> str:
    """A setting as stripped text; anything but a string counts as empty."""
    return value.strip() if isinstance(value, str) else ""


def _api_root(organization: str | None, base_url: str | httpx.URL | None) -> httpx.URL:
    """The organization's root URL, from exactly one of ``organization`` and ``base_url``."""
    if (organization is None) == (base_url is None):
        raise ConfigurationError(
            "give exactly one of organization= (the slug, as in https://{slug}.commercelayer.io) and base_url=",
            key="organization" if organization is not None else "base_url",
        )
    if organization is not None:
        slug = _text(organization).lower()
        if not _SLUG.fullmatch(slug):
            raise ConfigurationError(
                f"organization: expected the organization slug (letters, digits, '-'), got {organization!r:.80}",
                key="organization")
        return httpx.URL(f"https://{slug}.{DEFAULT_DOMAIN}")
    url = as_base_url(base_url)
    # The spec's server entry ends in /api; the client adds it itself, so do not double it.
    return url.copy_with(path=url.path.removesuffix("/api") or "/")


def _make_auth(
    access_token: str | Secret | None,
    client_id: str | None,
    client_secret: str | Secret | None,
    scope: str | None,
    auth_url: str | httpx.URL,
) -> httpx.Auth:
    """A fixed bearer token, or the client-credentials flow with a cached, shared token."""
    if access_token is not None:
        if client_id is not None or client_secret is not None or scope is not None:
            raise ConfigurationError(
                "give either access_token= or client_id= (with client_secret= and scope= as needed), not both",
                key="access_token")
        return HeaderAuth("Bearer", secret_setting(access_token, name="access_token", what="a Commerce Layer token"))
    if not _text(client_id):
        raise ConfigurationError(
            "client_id: missing credential; expected an access_token= or the client_id= of an integration or "
            "sales channel application", key="client_id")
    if scope is not None and not _text(scope):
        raise ConfigurationError(f"scope: expected a scope such as 'market:id:xYZkjABcde', got {scope!r}", key="scope")
    secret = None if client_secret is None else secret_setting(
        client_secret, name="client_secret", what="the application's client secret")
    return OAuth2ClientCredentials(
        vendor=VENDOR, token_url=str(as_base_url(auth_url, name="auth_url")), client_id=_text(client_id),
        client_secret=secret, scope=_text(scope) or None, form_encoded=False,
    )


class _CommerceLayerClientBase(_BaseClient[HttpT]):
    def __init__(
        self,
        *,
        organization: str | None = None,
        base_url: str | httpx.URL | None = None,
        access_token: str | Secret | None = None,
        client_id: str | None = None,
        client_secret: str | Secret | None = None,
        scope: str | None = None,
        auth_url: str | httpx.URL = DEFAULT_AUTH_URL,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        deadline: float | None = None,
        default_headers: Mapping[str, str] | None = None,
        http_client: HttpT | None = None,
        rate_limiter: RateLimiter | None = None,
    ) -> None:
        """A client of the Commerce Layer Core API of one organization.

        Args:
            organization: The organization slug; the API is then ``https://{slug}.commercelayer.io``.
            base_url: Instead of ``organization``: the organization's root URL (a proxy, a sandbox).
                Requests go to ``{base_url}/api/...``; a trailing ``/api`` is not doubled.
            access_token: A token you obtained yourself, sent as ``Authorization: Bearer``. It is
                not refreshed: when it expires calls fail with ``AuthenticationError``.
            client_id: Instead of ``access_token``: the client id of an integration (with
                ``client_secret``) or a sales channel (no secret) application. The token is
                fetched once, cached until shortly before it expires, shared by ``with_options()``
                copies, and fetched again once when Commerce Layer answers 401 ``INVALID_TOKEN``.
            client_secret: The integration's client secret; never shown in ``repr``, errors or logs.
            scope: The token's scope, e.g. ``"market:id:xYZkjABcde"`` or ``"market:code:europe"``.
            auth_url: The token endpoint.
            timeout: Default per-attempt timeout (seconds or ``httpx.Timeout``).
            max_retries: Default retries of a retryable failure (0 turns retries off).
            deadline: Default bound in seconds on a whole call, retries included (``None``: none).
            default_headers: Headers added to every request.
            http_client: Your own httpx client; orderpatch then never closes it.
            rate_limiter: A request budget (``orderpatch.InMemoryRateLimiter``, …) drawn from before every
                attempt and steered by the server's rate-limit headers; ``None`` (default): no pacing.
        """
        root = _api_root(organization, base_url)
        auth = _make_auth(access_token, client_id, client_secret, scope, auth_url)
        super().__init__(
            vendor=VENDOR, base_url=root, auth=auth, timeout=timeout, max_retries=max_retries, deadline=deadline,
            default_headers=default_headers, http_client=http_client, rate_limiter=rate_limiter,
        )


class _SyncShortcut(Protocol):
    __name__: str

    def __call__(self, order_id: str, *, include: Include | None = None, fields: Fields | None = None,
                 **options: Unpack[RequestOptions]) -> Order: ...


class _AsyncShortcut(Protocol):
    __name__: str

    def __call__(self, order_id: str, *, include: Include | None = None, fields: Fields | None = None,
                 **options: Unpack[RequestOptions]) -> Coroutine[object, None, Order]: ...


class _Shortcut:
    """One trigger shortcut, defined once for both resources: ``orders.place(order_id, include=…)``.

    The sync and async resources differ only in their client's ``request`` (a result or a
    coroutine), so the same bound function serves both; the overloads give each its type.
    """

    def __init__(self, trigger: Trigger, doc: str) -> None:
        self.trigger = trigger
        self.__doc__ = doc

    @overload
    def __get__(self, resource: None, owner: type) -> _Shortcut: ...
    @overload
    def __get__(self, resource: Orders, owner: type) -> _SyncShortcut: ...
    @overload
    def __get__(self, resource: AsyncOrders, owner: type) -> _AsyncShortcut: ...

    def __get__(self, resource: Orders | AsyncOrders | None, owner: type) -> object:
        if resource is None:
            return self
        client, trigger = resource._client, self.trigger

        def shortcut(order_id: str, *, include: Include | None = None, fields: Fields | None = None,
                     **options: Unpack[RequestOptions]) -> object:
            return client.request(build_trigger_request(client.base_url, order_id, trigger, include=include,
                                                        fields=fields), options)

        shortcut.__name__ = shortcut.__qualname__ = trigger
        shortcut.__doc__ = self.__doc__
        return shortcut


class _Triggers:
    """The trigger shortcuts users reach for most, each one PATCH of its one trigger set to ``true``.

    Each takes ``order_id``, ``include=``, ``fields=`` and the per-call options, and returns the
    updated ``Order`` (awaitable on the async client).
    """

    place = _Shortcut("place", "``_place``: pending → placed (placing with ``place_async``), authorizing the payment. "
                      "The order needs everything checkout needs (customer, addresses, shipping, payment source). "
                      "Flagged idempotent: retried after a timeout or a 502/504.")
    approve = _Shortcut("approve", "``_approve``: placed → approved. Needs an integration token (not a sales channel).")
    cancel = _Shortcut("cancel", "``_cancel``: placed → cancelled; the payment authorization is voided.")
    capture = _Shortcut("capture", "``_capture``: an authorized payment is captured (payment_status paid, fulfillment "
                        "in_progress). Needs an integration token. Never retried once it may have reached Commerce "
                        "Layer.")
    refund = _Shortcut("refund", "``_refund``: a captured (paid) order is refunded in full (cancelled, refunded). "
                       "Needs an integration token. Never retried once it may have reached Commerce Layer.")
    archive = _Shortcut("archive", "``_archive``: sets ``archived_at`` (placed orders can be archived, not deleted).")
    unarchive = _Shortcut("unarchive", "``_unarchive``: clears ``archived_at`` of an archived order.")
    refresh = _Shortcut("refresh", "``_refresh``: recomputes an order not yet placed (e.g. with ``autorefresh`` off).")


def _page_builder(base_url: httpx.URL, order_filter: OrderFilter | None, page_size: int, include: Include | None,
                  fields: Fields | None) -> PageRequest[Order]:
    """The page builder of one walk; the first page's request is built now, so bad input fails here."""
    build_list_request(base_url, order_filter, page_size, None, include=include, fields=fields)
    return lambda cursor: build_list_request(base_url, order_filter, page_size, cursor, include=include,
                                             fields=fields)


class OrdersWithRawResponse:
    """``client.orders.with_raw_response``: each operation returns ``APIResponse[Order]``."""

    def __init__(self, orders: Orders) -> None:
        self.update = raw_response_wrapper(orders.update)
        self.place = raw_response_wrapper(orders.place)
        self.approve = raw_response_wrapper(orders.approve)
        self.cancel = raw_response_wrapper(orders.cancel)
        self.capture = raw_response_wrapper(orders.capture)
        self.refund = raw_response_wrapper(orders.refund)
        self.archive = raw_response_wrapper(orders.archive)
        self.unarchive = raw_response_wrapper(orders.unarchive)
        self.refresh = raw_response_wrapper(orders.refresh)


class AsyncOrdersWithRawResponse:
    """``client.orders.with_raw_response`` of the async client."""

    def __init__(self, orders: AsyncOrders) -> None:
        self.update = async_raw_response_wrapper(orders.update)
        self.place = async_raw_response_wrapper(orders.place)
        self.approve = async_raw_response_wrapper(orders.approve)
        self.cancel = async_raw_response_wrapper(orders.cancel)
        self.capture = async_raw_response_wrapper(orders.capture)
        self.refund = async_raw_response_wrapper(orders.refund)
        self.archive = async_raw_response_wrapper(orders.archive)
        self.unarchive = async_raw_response_wrapper(orders.unarchive)
        self.refresh = async_raw_response_wrapper(orders.refresh)


class Orders(_Triggers, SyncResource):
    """``client.orders``: update Commerce Layer orders and run their triggers."""

    _client: CommerceLayerClient

    def update(
        self, order_id: str, changes: OrderUpdate, *, include: Include | None = None, fields: Fields | None = None,
        **options: Unpack[RequestOptions],
    ) -> Order:
        """Change attributes, run triggers and set relationships of order ``order_id`` in one PATCH.

        ``include=["market", "line_items.item"]`` returns those resources in ``Order.included``;
        ``fields={"orders": ["status"]}`` returns only those attributes. A request with a
        trigger the schema does not flag idempotent (``capture``, ``refund``, …) is never
        retried once it may have reached Commerce Layer. Per-call options: ``timeout``,
        ``max_retries``, ``deadline``, ``extra_headers``, ``extra_query``.
        """
        call = build_update_request(self._client.base_url, order_id, changes, include=include, fields=fields)
        return self._client.request(call, options)

    def retrieve(self, order_id: str, *, include: Include | None = None, fields: Fields | None = None,
                 **options: Unpack[RequestOptions]) -> Order:
        """``GET /api/orders/{id}``: the order as it is now (``include=["tags"]`` for its tags)."""
        return self._client.request(build_retrieve_request(self._client.base_url, order_id, include=include,
                                                           fields=fields), options)

    def list(self, filter: OrderFilter | None = None, *, page_size: int = COMMERCELAYER_MAX_PAGE_SIZE,
             include: Include | None = None, fields: Fields | None = None,
             **options: Unpack[RequestOptions]) -> SyncPager[Order]:
        """Every order ``filter`` selects, oldest id first, fetched ``page_size`` (≤ 25) at a time.

        Pages are walked by keyset (``sort=id`` and ``filter[q][id_gt]``), so updating the orders
        while walking them neither skips nor repeats one. Each page request goes through the
        same retries and 429 handling as any call. The filter is checked before any request.
        """
        build = _page_builder(self._client.base_url, filter, page_size, include, fields)
        return SyncPager(self._client.request, build, options, vendor="commercelayer")

    def list_page(self, filter: OrderFilter | None = None, *, page_size: int = COMMERCELAYER_MAX_PAGE_SIZE,
                  cursor: str | None = None, include: Include | None = None, fields: Fields | None = None,
                  **options: Unpack[RequestOptions]) -> Page[Order]:
        """One page: its orders, ``total_count`` (``meta.record_count``) and the ``next_cursor``."""
        build = _page_builder(self._client.base_url, filter, page_size, include, fields)
        return SyncPager(self._client.request, build, options, vendor="commercelayer").fetch(cursor)

    with_raw_response = cached_property(OrdersWithRawResponse)
    """The same operations, returning ``APIResponse[Order]`` with the HTTP metadata."""


class AsyncOrders(_Triggers, AsyncResource):
    """``client.orders`` of the async client; see ``Orders`` for each operation."""

    _client: AsyncCommerceLayerClient

    async def update(
        self, order_id: str, changes: OrderUpdate, *, include: Include | None = None, fields: Fields | None = None,
        **options: Unpack[RequestOptions],
    ) -> Order:
        """Change order ``order_id`` in one PATCH; see ``Orders.update``."""
        call = build_update_request(self._client.base_url, order_id, changes, include=include, fields=fields)
        return await self._client.request(call, options)

    async def retrieve(self, order_id: str, *, include: Include | None = None, fields: Fields | None = None,
                       **options: Unpack[RequestOptions]) -> Order:
        """``GET /api/orders/{id}``; see ``Orders.retrieve``."""
        return await self._client.request(build_retrieve_request(self._client.base_url, order_id, include=include,
                                                                 fields=fields), options)

    def list(self, filter: OrderFilter | None = None, *, page_size: int = COMMERCELAYER_MAX_PAGE_SIZE,
             include: Include | None = None, fields: Fields | None = None,
             **options: Unpack[RequestOptions]) -> AsyncPager[Order]:
        """``async for`` over every order ``filter`` selects; see ``Orders.list``."""
        build = _page_builder(self._client.base_url, filter, page_size, include, fields)
        return AsyncPager(self._client.request, build, options, vendor="commercelayer")

    async def list_page(self, filter: OrderFilter | None = None, *, page_size: int = COMMERCELAYER_MAX_PAGE_SIZE,
                        cursor: str | None = None, include: Include | None = None, fields: Fields | None = None,
                        **options: Unpack[RequestOptions]) -> Page[Order]:
        """One page; see ``Orders.list_page``."""
        build = _page_builder(self._client.base_url, filter, page_size, include, fields)
        return await AsyncPager(self._client.request, build, options, vendor="commercelayer").fetch(cursor)

    with_raw_response = cached_property(AsyncOrdersWithRawResponse)
    """The same operations, returning ``APIResponse[Order]`` with the HTTP metadata."""


class CommerceLayerClient(_CommerceLayerClientBase[httpx.Client], SyncAPIClient):
    """Blocking Commerce Layer client; use it as a context manager.

    >>> with CommerceLayerClient(organization="acme", client_id="...", client_secret="...") as cl:  # doctest: +SKIP
    ...     order = cl.orders.update("xYZkjABcde", OrderUpdate(customer_email="john@example.com"))
    ...     order = cl.orders.place("xYZkjABcde")
    """

    orders = cached_property(Orders)
    """Order operations."""


class AsyncCommerceLayerClient(_CommerceLayerClientBase[httpx.AsyncClient], AsyncAPIClient):
    """asyncio Commerce Layer client; use it as an async context manager."""

    orders = cached_property(AsyncOrders)
    """Order operations."""
