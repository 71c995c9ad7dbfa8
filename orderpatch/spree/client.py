"""``SpreeClient`` and ``AsyncSpreeClient``: thin shells over the core pipeline.

The order operations are written once, in ``OrderOperations[R]``: each is one line that builds
a ``Call`` with a pure function from ``_codec`` and hands it to a ``send`` function. ``R`` is what
``send`` returns: ``Order`` on the blocking client, a coroutine of ``Order`` on the asyncio client
(``await`` it), and ``APIResponse[Order]`` (or its coroutine) under ``with_raw_response``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Mapping
from functools import cached_property
from typing import Generic, TypeAlias, TypeVar

from typing_extensions import Unpack

from .._auth import HeaderAuth, OAuth2ClientCredentials
from .._base_client import (
    DEFAULT_TIMEOUT,
    AsyncAPIClient,
    HttpT,
    RequestOptions,
    SyncAPIClient,
    TimeoutTypes,
    _BaseClient,
    as_base_url,
    secret_setting,
)
from .._constants import DEFAULT_MAX_RETRIES, SPREE_MAX_PAGE_SIZE
from .._http import httpx
from .._pagination import AsyncPager, Page, PageRequest, SyncPager
from .._ratelimit import RateLimiter
from .._response import APIResponse, async_raw_response_wrapper, raw_response_wrapper
from .._spec import Call, url_for
from .._types import Secret
from ..errors import ConfigurationError
from ._codec import (
    VENDOR,
    Fields,
    Include,
    build_action_request,
    build_apply_coupon_code_request,
    build_retrieve_request,
    build_update_request,
    build_use_store_credit_request,
    is_text,
)
from ._list import OrderFilter, build_list_request
from ._order import Order
from .models import Money, OrderUpdate

__all__ = [
    "DEFAULT_SCOPE", "TOKEN_PATH", "AsyncOrders", "AsyncSpreeClient", "OrderOperations", "Orders", "SpreeClient",
    "spree_auth",
]

#: The scope orderpatch asks for: Platform API calls need ``read``/``write`` or ``admin``, and a
#: token issued without any scope is refused with a 401.
DEFAULT_SCOPE = "admin"
#: Doorkeeper's token endpoint, below the store's ``base_url`` (sub-path included).
TOKEN_PATH = ("spree_oauth", "token")

R = TypeVar("R")
#: What the asyncio client's operations return: a coroutine to ``await``.
AsyncResult: TypeAlias = Coroutine[object, object, Order]


def spree_auth(
    base_url: httpx.URL,
    *,
    access_token: str | Secret | None,
    client_id: str | None,
    client_secret: str | Secret | None,
    token_url: str | httpx.URL | None,
    scope: str | None,
) -> httpx.Auth:
    """A fixed bearer token, or OAuth2 client credentials exchanged at ``{base_url}/spree_oauth/token``.

    No refresh token exists for this grant, so the core fetches a new token before the old one
    expires and once after a 401 that a new token may cure.
    """
    if access_token is not None:
        if client_id is not None or client_secret is not None:
            raise ConfigurationError(
                "access_token: give either access_token or client_id and client_secret, not both", key="access_token")
        token = secret_setting(access_token, name="access_token", what="a Spree OAuth access token")
        return HeaderAuth("Bearer", token)
    if client_id is None and client_secret is None:
        raise ConfigurationError(
            "credentials: missing; expected access_token=, or client_id= and client_secret= of a Spree OAuth "
            "application (admin > Apps > OAuth Applications)", key="client_id")
    if not isinstance(client_id, str) or not client_id.strip():
        got = "nothing" if not client_id else type(client_id).__name__
        raise ConfigurationError(
            f"client_id: missing credential; expected the OAuth application's client id, got {got}", key="client_id")
    secret = secret_setting(client_secret, name="client_secret", what="the OAuth application's client secret")
    if scope is not None and not is_text(scope):
        raise ConfigurationError(
            f"scope: expected a non-empty string such as 'admin', or None, got {scope!r}", key="scope")
    url = url_for(base_url, *TOKEN_PATH) if token_url is None else as_base_url(token_url, name="token_url")
    return OAuth2ClientCredentials(vendor=VENDOR, token_url=str(url), client_id=client_id.strip(),
                                   client_secret=secret, scope=scope)


class _SpreeClientBase(_BaseClient[HttpT]):
    def __init__(
        self,
        *,
        base_url: str | httpx.URL,
        access_token: str | Secret | None = None,
        client_id: str | None = None,
        client_secret: str | Secret | None = None,
        token_url: str | httpx.URL | None = None,
        scope: str | None = DEFAULT_SCOPE,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        deadline: float | None = None,
        default_headers: Mapping[str, str] | None = None,
        http_client: HttpT | None = None,
        rate_limiter: RateLimiter | None = None,
    ) -> None:
        """A client of one Spree store's Platform API v2.

        Args:
            base_url: The Spree app root, e.g. ``https://shop.example.com``, with the sub-path
                where Spree is mounted if any (``https://example.com/shop``): both the API and
                ``/spree_oauth`` live below it. Spree picks the store from the host name.
            access_token: A ready OAuth access token (needs scope ``admin``, or ``write``+``read``).
            client_id, client_secret: An OAuth application's credentials, exchanged for an app
                token with ``grant_type=client_credentials`` (cached and renewed automatically).
            token_url: Where to exchange them; defaults to ``{base_url}/spree_oauth/token``.
            scope: The scope requested with the client credentials (``admin``).
            timeout: Default per-attempt timeout (seconds or ``httpx.Timeout``).
            max_retries: Default retries of a retryable failure (0 turns retries off).
            deadline: Default bound in seconds on a whole call, retries included (``None``: none).
            default_headers: Headers added to every request.
            http_client: Your own httpx client; orderpatch then never closes it.
            rate_limiter: A request budget (``orderpatch.InMemoryRateLimiter``, …) drawn from before every
                attempt and steered by the server's rate-limit headers; ``None`` (default): no pacing.
        """
        base = as_base_url(base_url)
        auth = spree_auth(base, access_token=access_token, client_id=client_id, client_secret=client_secret,
                          token_url=token_url, scope=scope)
        super().__init__(
            vendor=VENDOR, base_url=base, auth=auth, timeout=timeout, max_retries=max_retries, deadline=deadline,
            default_headers=default_headers, http_client=http_client, rate_limiter=rate_limiter,
        )


class OrderOperations(Generic[R]):
    """The order operations of Spree's Platform API; each returns ``R`` (see the module docstring).

    Every operation takes ``include=`` (relationship paths such as ``"line_items"``,
    ``"line_items.variant"``, ``"bill_address"``, ``"ship_address"``, ``"shipments"``,
    ``"payments"``; typed in ``Order.included``) and ``fields=`` (sparse fieldsets,
    ``{"order": ["number", "total"]}``), plus the per-call options ``timeout``, ``max_retries``,
    ``deadline``, ``extra_headers`` and ``extra_query``. ``order_id`` is the order number
    (``"R123456789"``) or the numeric database id.
    """

    def __init__(self, base_url: httpx.URL, send: Callable[[Call[Order], RequestOptions], R]) -> None:
        self._base_url = base_url
        self._send = send

    def update(self, order_id: int | str, changes: OrderUpdate, *, include: Include = None, fields: Fields = None,
               do_not_change_state: bool = False, **options: Unpack[RequestOptions]) -> R:
        """``PATCH /api/v2/platform/orders/{id}``: change the fields set in ``changes``.

        ``do_not_change_state=True`` stops Spree from moving the checkout back to ``address``
        (addresses with ``country_iso``) or ``delivery`` (a selected shipping rate). Only Spree
        5.0.1 and later read it (``Spree::Checkout::Update``); 4.4 to 5.0.0 ignore it and move
        the checkout back anyway. Raises
        ``UnprocessableEntity`` with Spree's per-field messages in ``errors`` on a 422.
        """
        return self._send(build_update_request(self._base_url, order_id, changes, include=include, fields=fields,
                                               do_not_change_state=do_not_change_state), options)

    def retrieve(self, order_id: int | str, *, include: Include = None, fields: Fields = None,
                 **options: Unpack[RequestOptions]) -> R:
        """``GET /api/v2/platform/orders/{id}``: the order as it is now."""
        return self._send(build_retrieve_request(self._base_url, order_id, include=include, fields=fields), options)

    def next(self, order_id: int | str, *, include: Include = None, fields: Fields = None,
             **options: Unpack[RequestOptions]) -> R:
        """``PATCH …/next``: one checkout transition; 422 with the order's errors when it cannot move."""
        return self._send(build_action_request(self._base_url, order_id, "next", include=include, fields=fields),
                          options)

    def advance(self, order_id: int | str, *, include: Include = None, fields: Fields = None,
                **options: Unpack[RequestOptions]) -> R:
        """``PATCH …/advance``: transition until ``confirm``/``complete`` or an error; 422 if none was possible."""
        return self._send(build_action_request(self._base_url, order_id, "advance", include=include, fields=fields),
                          options)

    def complete(self, order_id: int | str, *, include: Include = None, fields: Fields = None,
                 **options: Unpack[RequestOptions]) -> R:
        """``PATCH …/complete``: transition to ``complete``, processing payments; 422 unless it gets there."""
        return self._send(build_action_request(self._base_url, order_id, "complete", include=include, fields=fields),
                          options)

    def empty(self, order_id: int | str, *, include: Include = None, fields: Fields = None,
              **options: Unpack[RequestOptions]) -> R:
        """``PATCH …/empty``: remove line items, adjustments, shipments and promotions; 422 for completed orders."""
        return self._send(build_action_request(self._base_url, order_id, "empty", include=include, fields=fields),
                          options)

    def approve(self, order_id: int | str, *, include: Include = None, fields: Fields = None,
                **options: Unpack[RequestOptions]) -> R:
        """``PATCH …/approve``: approve a risky order (an app token only clears ``considered_risky``)."""
        return self._send(build_action_request(self._base_url, order_id, "approve", include=include, fields=fields),
                          options)

    def cancel(self, order_id: int | str, *, include: Include = None, fields: Fields = None,
               **options: Unpack[RequestOptions]) -> R:
        """``PATCH …/cancel``: cancel a completed, not yet shipped order; 422 when it cannot be canceled."""
        return self._send(build_action_request(self._base_url, order_id, "cancel", include=include, fields=fields),
                          options)

    def apply_coupon_code(self, order_id: int | str, coupon_code: str, *, include: Include = None,
                          fields: Fields = None, **options: Unpack[RequestOptions]) -> R:
        """``PATCH …/apply_coupon_code`` with ``{"coupon_code": …}``; 422 with Spree's reason when refused."""
        return self._send(build_apply_coupon_code_request(self._base_url, order_id, coupon_code, include=include,
                                                          fields=fields), options)

    def use_store_credit(self, order_id: int | str, amount: Money, *, include: Include = None,
                         fields: Fields = None, **options: Unpack[RequestOptions]) -> R:
        """``PATCH …/use_store_credit`` with ``{"amount": …}``: pay with the user's store credit; never retried."""
        return self._send(build_use_store_credit_request(self._base_url, order_id, amount, include=include,
                                                         fields=fields), options)


def _page_builder(base_url: httpx.URL, order_filter: OrderFilter | None, page_size: int, include: Include,
                  fields: Fields) -> PageRequest[Order]:
    """The page builder of one walk; the first page's request is built now, so bad input fails here."""
    build_list_request(base_url, order_filter, page_size, None, include=include, fields=fields)
    return lambda cursor: build_list_request(base_url, order_filter, page_size, cursor, include=include,
                                             fields=fields)


class Orders(OrderOperations[Order]):
    """``client.orders`` of the blocking client: each operation returns ``Order``."""

    def __init__(self, client: SpreeClient) -> None:
        super().__init__(client.base_url, client.request)
        self._request = client.request

    def list(self, filter: OrderFilter | None = None, *, page_size: int = SPREE_MAX_PAGE_SIZE,
             include: Include = None, fields: Fields = None,
             **options: Unpack[RequestOptions]) -> SyncPager[Order]:
        """Every order ``filter`` selects, by ascending id, ``page_size`` (≤ 500) a page.

        ``GET /api/v2/platform/orders`` walked by keyset (``sort=id`` and ``filter[id_gt]``), so
        updating the orders while walking them neither skips nor repeats one. An app token sees
        carts too: filter on ``state``. The filter is checked before any request.
        """
        return SyncPager(self._request, _page_builder(self._base_url, filter, page_size, include, fields), options,
                         vendor="spree")

    def list_page(self, filter: OrderFilter | None = None, *, page_size: int = SPREE_MAX_PAGE_SIZE,
                  cursor: str | None = None, include: Include = None, fields: Fields = None,
                  **options: Unpack[RequestOptions]) -> Page[Order]:
        """One page: its orders, ``total_count`` (``meta.total_count``) and the ``next_cursor``."""
        return SyncPager(self._request, _page_builder(self._base_url, filter, page_size, include, fields), options,
                         vendor="spree").fetch(cursor)

    @cached_property
    def with_raw_response(self) -> OrderOperations[APIResponse[Order]]:
        """The same operations, returning ``APIResponse[Order]`` with the HTTP metadata."""
        return OrderOperations(self._base_url, raw_response_wrapper(self._send))


class AsyncOrders(OrderOperations[AsyncResult]):
    """``client.orders`` of the asyncio client: ``await`` each operation for its ``Order``."""

    def __init__(self, client: AsyncSpreeClient) -> None:
        super().__init__(client.base_url, client.request)
        self._request = client.request

    def list(self, filter: OrderFilter | None = None, *, page_size: int = SPREE_MAX_PAGE_SIZE,
             include: Include = None, fields: Fields = None,
             **options: Unpack[RequestOptions]) -> AsyncPager[Order]:
        """``async for`` over every order ``filter`` selects; see ``Orders.list``."""
        return AsyncPager(self._request, _page_builder(self._base_url, filter, page_size, include, fields), options,
                          vendor="spree")

    async def list_page(self, filter: OrderFilter | None = None, *, page_size: int = SPREE_MAX_PAGE_SIZE,
                        cursor: str | None = None, include: Include = None, fields: Fields = None,
                        **options: Unpack[RequestOptions]) -> Page[Order]:
        """One page; see ``Orders.list_page``."""
        return await AsyncPager(self._request, _page_builder(self._base_url, filter, page_size, include, fields),
                                options, vendor="spree").fetch(cursor)

    @cached_property
    def with_raw_response(self) -> OrderOperations[Awaitable[APIResponse[Order]]]:
        """The same operations, returning ``APIResponse[Order]`` with the HTTP metadata."""
        return OrderOperations(self._base_url, async_raw_response_wrapper(self._send))


class SpreeClient(_SpreeClientBase[httpx.Client], SyncAPIClient):
    """Blocking Spree Platform API v2 client; use it as a context manager.

    >>> with SpreeClient(base_url="https://shop.example.com", client_id="…", client_secret="…") as spree:  # noqa: E501
    ...     order = spree.orders.update("R123456789", OrderUpdate(email="new@example.com"))
    """

    @cached_property
    def orders(self) -> Orders:
        """Order operations."""
        return Orders(self)


class AsyncSpreeClient(_SpreeClientBase[httpx.AsyncClient], AsyncAPIClient):
    """asyncio Spree Platform API v2 client; use it as an async context manager."""

    @cached_property
    def orders(self) -> AsyncOrders:
        """Order operations; ``await`` each."""
        return AsyncOrders(self)
