"""``SpreeAdminClient`` and ``AsyncSpreeAdminClient``: thin shells over the core pipeline.

Each operation is one line: a pure function of ``_codec`` builds the ``Call`` and the client
sends it. What the shells add is the little that needs an answer first: ``retrieve_by_number``
(a list filtered by number, one row expected) and ``check`` (the key's scopes).
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from functools import cached_property

from typing_extensions import Unpack

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
from .._constants import DEFAULT_MAX_RETRIES
from .._http import httpx
from .._ratelimit import InMemoryRateLimiter, RateLimiter, published_rates
from .._response import async_raw_response_wrapper, raw_response_wrapper
from .._types import UNSET, JSONInput, Secret, Unset
from ..errors import ConfigurationError, NotFound
from ._check import REQUIRED_SCOPES, missing_scopes
from ._codec import (
    VENDOR,
    Expand,
    Fields,
    build_action_request,
    build_add_item_request,
    build_current_api_key_request,
    build_remove_item_request,
    build_retrieve_request,
    build_update_item_request,
    build_update_request,
)
from ._lookup import build_number_lookup_request
from ._order import ApiKey, LineItem, Order
from .models import OrderUpdate

__all__ = [
    "API_KEY_HEADER", "REQUIRED_SCOPES", "AsyncOrders", "AsyncSpreeAdminClient", "Orders", "SpreeAdminClient",
    "SpreeApiKeyAuth",
]

#: The header that carries the secret API key.
API_KEY_HEADER = "X-Spree-Api-Key"


class SpreeApiKeyAuth(httpx.Auth):
    """Sends the secret key as ``X-Spree-Api-Key`` (never an ``Authorization`` header as well)."""

    def __init__(self, api_key: Secret) -> None:
        self._key = api_key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[API_KEY_HEADER] = self._key.get_secret_value()
        yield request

    def secrets(self) -> tuple[str, ...]:
        """Values to scrub from anything shown to a person."""
        return (self._key.get_secret_value(),)

    def __repr__(self) -> str:
        return "SpreeApiKeyAuth(api_key=***)"


def _checked(key: ApiKey, scopes: tuple[str, ...]) -> ApiKey:
    missing = missing_scopes(key, scopes)
    if key.revoked_at is not None or missing:
        why = "it is revoked" if key.revoked_at is not None else f"it lacks the scope(s) {', '.join(missing)}"
        raise ConfigurationError(
            f"api_key: the key {key.token_prefix or key.id}… cannot update orders: {why} "
            f"(has: {', '.join(key.scopes) or 'none'}); create a key with write_orders (scopes are fixed at creation)",
            key="api_key")
    return key


def _found(number: str, order: Order | None) -> Order:
    if order is None:
        raise NotFound(f"no order with number {number!r} in this store", status=404, vendor=VENDOR.name,
                       code="order_not_found")
    return order


class _SpreeAdminClientBase(_BaseClient[HttpT]):
    def __init__(
        self,
        *,
        base_url: str | httpx.URL,
        api_key: str | Secret,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        deadline: float | None = None,
        default_headers: Mapping[str, str] | None = None,
        http_client: HttpT | None = None,
        rate_limiter: RateLimiter | Unset | None = UNSET,
    ) -> None:
        """A client of one Spree store's Admin API v3 (Spree 5.5+).

        Args:
            base_url: The Spree app root, e.g. ``https://shop.example.com`` (with its sub-path, if
                mounted below one); the API lives at ``{base_url}/api/v3/admin``. Spree picks the
                store from the host name, and a key of another store is refused (401).
            api_key: A secret API key (``sk_…``) of that store with ``read_orders`` and
                ``write_orders`` (or ``write_all``); sent as ``X-Spree-Api-Key``, never shown.
            timeout: Default per-attempt timeout (seconds or ``httpx.Timeout``).
            max_retries: Default retries of a retryable failure (0 turns retries off).
            deadline: Default bound in seconds on a whole call, retries included (``None``: none).
            default_headers: Headers added to every request.
            http_client: Your own httpx client; orderpatch then never closes it.
            rate_limiter: The request budget drawn from before every attempt and steered by
                ``X-RateLimit-Remaining``/``Retry-After``, so a ``Remaining: 0`` on a 200 slows the
                next call. Default: this client's own 300 requests per minute (Spree 5.6.1's limit per
                key); share one limiter between clients of one key; ``None``: no pacing.
        """
        key = secret_setting(api_key, name="api_key", what="a Spree secret API key 'sk_…'")
        if key.get_secret_value().startswith("pk_"):
            raise ConfigurationError("api_key: a publishable key 'pk_…' is for the Store API; the Admin API needs "
                                     "a secret key 'sk_…'", key="api_key")
        if rate_limiter is UNSET:
            rate_limiter = InMemoryRateLimiter(published_rates(VENDOR.name), name=VENDOR.name)
        super().__init__(
            vendor=VENDOR, base_url=base_url, auth=SpreeApiKeyAuth(key), timeout=timeout, max_retries=max_retries,
            deadline=deadline, default_headers=default_headers, http_client=http_client, rate_limiter=rate_limiter,
        )


class Orders(SyncResource):
    """``client.orders``: read, update and act on Spree orders (Admin API v3).

    ``order_id`` is always the prefixed id ``or_…``; find it for an order number with
    ``retrieve_by_number``. Every mutating call sends one ``Idempotency-Key`` (pass your own
    with ``idempotency_key=`` to make a re-run of your job replay instead of repeating).
    Per-call options: ``timeout``, ``max_retries``, ``deadline``, ``extra_headers``, ``extra_query``.
    """

    _client: SpreeAdminClient

    def retrieve(self, order_id: str, *, expand: Expand = None, fields: Fields = None,
                 **options: Unpack[RequestOptions]) -> Order:
        """``GET /orders/{id}``: the order as it is now (``expand=["items"]`` embeds its line items)."""
        return self._client.request(build_retrieve_request(self._client.base_url, order_id, expand=expand,
                                                           fields=fields), options)

    def retrieve_by_number(self, number: str, *, expand: Expand = None, fields: Fields = None,
                           **options: Unpack[RequestOptions]) -> Order:
        """The order with this number (``R801110570``), through ``GET /orders?q[number_eq]=…``; ``NotFound`` if none."""
        call = build_number_lookup_request(self._client.base_url, number, expand=expand, fields=fields)
        return _found(number, self._client.request(call, options))

    def update(self, order_id: str, changes: OrderUpdate, *, expand: Expand = None, fields: Fields = None,
               idempotency_key: str | None = None, **options: Unpack[RequestOptions]) -> Order:
        """``PATCH /orders/{id}``: change the fields set in ``changes``; retried safely under one key."""
        return self._client.request(build_update_request(
            self._client.base_url, order_id, changes, expand=expand, fields=fields,
            idempotency_key=idempotency_key), options)

    def complete(self, order_id: str, *, payment_pending: bool | Unset = UNSET, notify_customer: bool | Unset = UNSET,
                 expand: Expand = None, fields: Fields = None, idempotency_key: str | None = None,
                 **options: Unpack[RequestOptions]) -> Order:
        """``PATCH …/complete``: finish the checkout; a repeat is a 200 no-op; 422 ``order_cannot_complete``."""
        return self._client.request(build_action_request(
            self._client.base_url, order_id, "complete", expand=expand, fields=fields, idempotency_key=idempotency_key,
            payment_pending=payment_pending, notify_customer=notify_customer), options)

    def cancel(self, order_id: str, *, expand: Expand = None, fields: Fields = None,
               idempotency_key: str | None = None, **options: Unpack[RequestOptions]) -> Order:
        """``PATCH …/cancel``; ``OrderNotCanceled`` when Spree answers 200 but did not cancel."""
        return self._client.request(build_action_request(
            self._client.base_url, order_id, "cancel", expand=expand, fields=fields,
            idempotency_key=idempotency_key), options)

    def approve(self, order_id: str, *, expand: Expand = None, fields: Fields = None,
                idempotency_key: str | None = None, **options: Unpack[RequestOptions]) -> Order:
        """``PATCH …/approve``: sent at most once (each run adds an approval record); check ``approved_at`` first."""
        return self._client.request(build_action_request(
            self._client.base_url, order_id, "approve", expand=expand, fields=fields,
            idempotency_key=idempotency_key), options)

    def resume(self, order_id: str, *, expand: Expand = None, fields: Fields = None,
               idempotency_key: str | None = None, **options: Unpack[RequestOptions]) -> Order:
        """``PATCH …/resume``: back to ``placed`` after a cancel; 422 ``cart_cannot_transition`` otherwise."""
        return self._client.request(build_action_request(
            self._client.base_url, order_id, "resume", expand=expand, fields=fields,
            idempotency_key=idempotency_key), options)

    def resend_confirmation(self, order_id: str, *, expand: Expand = None, fields: Fields = None,
                            idempotency_key: str | None = None, **options: Unpack[RequestOptions]) -> Order:
        """``POST …/resend_confirmation``: fires every ``order.completed`` subscriber again; keyed retries only."""
        return self._client.request(build_action_request(
            self._client.base_url, order_id, "resend_confirmation", expand=expand, fields=fields,
            idempotency_key=idempotency_key), options)

    def add_item(self, order_id: str, variant_id: str, quantity: int = 1, *, idempotency_key: str | None = None,
                 **options: Unpack[RequestOptions]) -> LineItem:
        """``POST …/items``: **add** ``quantity`` of a variant (adds to an existing line)."""
        return self._client.request(build_add_item_request(
            self._client.base_url, order_id, variant_id, quantity, idempotency_key=idempotency_key), options)

    def update_item(self, order_id: str, item_id: str, *, quantity: int | Unset = UNSET,
                    metadata: Mapping[str, JSONInput] | Unset = UNSET, idempotency_key: str | None = None,
                    **options: Unpack[RequestOptions]) -> LineItem:
        """``PATCH …/items/{item_id}``: set a line's quantity; ``metadata`` alone replaces the line's metadata."""
        return self._client.request(build_update_item_request(
            self._client.base_url, order_id, item_id, quantity=quantity, metadata=metadata,
            idempotency_key=idempotency_key), options)

    def remove_item(self, order_id: str, item_id: str, *, idempotency_key: str | None = None,
                    **options: Unpack[RequestOptions]) -> None:
        """``DELETE …/items/{item_id}``: remove the line."""
        return self._client.request(build_remove_item_request(
            self._client.base_url, order_id, item_id, idempotency_key=idempotency_key), options)

    @cached_property
    def with_raw_response(self) -> OrdersWithRawResponse:
        """The same operations, returning ``APIResponse[...]`` with the HTTP metadata."""
        return OrdersWithRawResponse(self)


class OrdersWithRawResponse:
    """``client.orders.with_raw_response``: each operation returns ``APIResponse`` (``.parse()`` for the result)."""

    def __init__(self, orders: Orders) -> None:
        self.retrieve = raw_response_wrapper(orders.retrieve)
        self.retrieve_by_number = raw_response_wrapper(orders.retrieve_by_number)
        self.update = raw_response_wrapper(orders.update)
        self.complete = raw_response_wrapper(orders.complete)
        self.cancel = raw_response_wrapper(orders.cancel)
        self.approve = raw_response_wrapper(orders.approve)
        self.resume = raw_response_wrapper(orders.resume)
        self.resend_confirmation = raw_response_wrapper(orders.resend_confirmation)
        self.add_item = raw_response_wrapper(orders.add_item)
        self.update_item = raw_response_wrapper(orders.update_item)
        self.remove_item = raw_response_wrapper(orders.remove_item)


class AsyncOrders(AsyncResource):
    """``client.orders`` of the asyncio client; see ``Orders``. ``await`` each operation."""

    _client: AsyncSpreeAdminClient

    async def retrieve(self, order_id: str, *, expand: Expand = None, fields: Fields = None,
                       **options: Unpack[RequestOptions]) -> Order:
        """See ``Orders.retrieve``."""
        return await self._client.request(build_retrieve_request(self._client.base_url, order_id, expand=expand,
                                                                 fields=fields), options)

    async def retrieve_by_number(self, number: str, *, expand: Expand = None, fields: Fields = None,
                                 **options: Unpack[RequestOptions]) -> Order:
        """See ``Orders.retrieve_by_number``."""
        call = build_number_lookup_request(self._client.base_url, number, expand=expand, fields=fields)
        return _found(number, await self._client.request(call, options))

    async def update(self, order_id: str, changes: OrderUpdate, *, expand: Expand = None, fields: Fields = None,
                     idempotency_key: str | None = None, **options: Unpack[RequestOptions]) -> Order:
        """See ``Orders.update``."""
        return await self._client.request(build_update_request(
            self._client.base_url, order_id, changes, expand=expand, fields=fields,
            idempotency_key=idempotency_key), options)

    async def complete(self, order_id: str, *, payment_pending: bool | Unset = UNSET,
                       notify_customer: bool | Unset = UNSET, expand: Expand = None, fields: Fields = None,
                       idempotency_key: str | None = None, **options: Unpack[RequestOptions]) -> Order:
        """See ``Orders.complete``."""
        return await self._client.request(build_action_request(
            self._client.base_url, order_id, "complete", expand=expand, fields=fields, idempotency_key=idempotency_key,
            payment_pending=payment_pending, notify_customer=notify_customer), options)

    async def cancel(self, order_id: str, *, expand: Expand = None, fields: Fields = None,
                     idempotency_key: str | None = None, **options: Unpack[RequestOptions]) -> Order:
        """See ``Orders.cancel``."""
        return await self._client.request(build_action_request(
            self._client.base_url, order_id, "cancel", expand=expand, fields=fields,
            idempotency_key=idempotency_key), options)

    async def approve(self, order_id: str, *, expand: Expand = None, fields: Fields = None,
                      idempotency_key: str | None = None, **options: Unpack[RequestOptions]) -> Order:
        """See ``Orders.approve``."""
        return await self._client.request(build_action_request(
            self._client.base_url, order_id, "approve", expand=expand, fields=fields,
            idempotency_key=idempotency_key), options)

    async def resume(self, order_id: str, *, expand: Expand = None, fields: Fields = None,
                     idempotency_key: str | None = None, **options: Unpack[RequestOptions]) -> Order:
        """See ``Orders.resume``."""
        return await self._client.request(build_action_request(
            self._client.base_url, order_id, "resume", expand=expand, fields=fields,
            idempotency_key=idempotency_key), options)

    async def resend_confirmation(self, order_id: str, *, expand: Expand = None, fields: Fields = None,
                                  idempotency_key: str | None = None, **options: Unpack[RequestOptions]) -> Order:
        """See ``Orders.resend_confirmation``."""
        return await self._client.request(build_action_request(
            self._client.base_url, order_id, "resend_confirmation", expand=expand, fields=fields,
            idempotency_key=idempotency_key), options)

    async def add_item(self, order_id: str, variant_id: str, quantity: int = 1, *,
                       idempotency_key: str | None = None, **options: Unpack[RequestOptions]) -> LineItem:
        """See ``Orders.add_item``."""
        return await self._client.request(build_add_item_request(
            self._client.base_url, order_id, variant_id, quantity, idempotency_key=idempotency_key), options)

    async def update_item(self, order_id: str, item_id: str, *, quantity: int | Unset = UNSET,
                          metadata: Mapping[str, JSONInput] | Unset = UNSET, idempotency_key: str | None = None,
                          **options: Unpack[RequestOptions]) -> LineItem:
        """See ``Orders.update_item``."""
        return await self._client.request(build_update_item_request(
            self._client.base_url, order_id, item_id, quantity=quantity, metadata=metadata,
            idempotency_key=idempotency_key), options)

    async def remove_item(self, order_id: str, item_id: str, *, idempotency_key: str | None = None,
                          **options: Unpack[RequestOptions]) -> None:
        """See ``Orders.remove_item``."""
        return await self._client.request(build_remove_item_request(
            self._client.base_url, order_id, item_id, idempotency_key=idempotency_key), options)

    @cached_property
    def with_raw_response(self) -> AsyncOrdersWithRawResponse:
        """The same operations, returning ``APIResponse[...]`` with the HTTP metadata."""
        return AsyncOrdersWithRawResponse(self)


class AsyncOrdersWithRawResponse:
    """``client.orders.with_raw_response`` of the asyncio client."""

    def __init__(self, orders: AsyncOrders) -> None:
        self.retrieve = async_raw_response_wrapper(orders.retrieve)
        self.retrieve_by_number = async_raw_response_wrapper(orders.retrieve_by_number)
        self.update = async_raw_response_wrapper(orders.update)
        self.complete = async_raw_response_wrapper(orders.complete)
        self.cancel = async_raw_response_wrapper(orders.cancel)
        self.approve = async_raw_response_wrapper(orders.approve)
        self.resume = async_raw_response_wrapper(orders.resume)
        self.resend_confirmation = async_raw_response_wrapper(orders.resend_confirmation)
        self.add_item = async_raw_response_wrapper(orders.add_item)
        self.update_item = async_raw_response_wrapper(orders.update_item)
        self.remove_item = async_raw_response_wrapper(orders.remove_item)


class SpreeAdminClient(_SpreeAdminClientBase[httpx.Client], SyncAPIClient):
    """Blocking Spree Admin API v3 client (Spree 5.5+); use it as a context manager.

    >>> with SpreeAdminClient(base_url="https://shop.example.com", api_key="sk_…") as spree:  # doctest: +SKIP
    ...     order = spree.orders.update("or_UkLWZg9DAJ", OrderUpdate(customer_note="Leave at the door"))
    """

    orders = cached_property(Orders)
    """Order operations."""

    def check(self, *, scopes: tuple[str, ...] = REQUIRED_SCOPES, **options: Unpack[RequestOptions]) -> ApiKey:
        """``GET /api_keys/current``: the key is valid here and holds ``scopes``, else ``ConfigurationError``."""
        return _checked(self.request(build_current_api_key_request(self.base_url), options), scopes)


class AsyncSpreeAdminClient(_SpreeAdminClientBase[httpx.AsyncClient], AsyncAPIClient):
    """asyncio Spree Admin API v3 client; use it as an async context manager."""

    orders = cached_property(AsyncOrders)
    """Order operations; ``await`` each."""

    async def check(self, *, scopes: tuple[str, ...] = REQUIRED_SCOPES, **options: Unpack[RequestOptions]) -> ApiKey:
        """See ``SpreeAdminClient.check``."""
        return _checked(await self.request(build_current_api_key_request(self.base_url), options), scopes)
