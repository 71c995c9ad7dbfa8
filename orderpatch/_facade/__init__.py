"""The facade: update an order wherever it lives, the vendor chosen by configuration.

>>> import orderpatch                                                       # doctest: +SKIP
>>> order = orderpatch.update_order("R123456789", orderpatch.OrderChanges(email="new@example.com"))
>>> order.vendor, order.number, order.total, order.detail                   # doctest: +SKIP

``update_order``/``aupdate_order`` reuse one vendor client (one connection pool) per
configuration; ``OrderPatch``/``AsyncOrderPatch`` hold one for their own lifetime.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Self, TypeAlias, Union

from typing_extensions import Unpack

from .._base_client import AsyncAPIClient, RequestOptions, SyncAPIClient
from .._config import Config
from .._http import httpx
from ._changes import Address, OrderChanges, UpdatedOrder, VendorOrder
from ._check import CheckResult, acheck_connection, check_connection
from ._pool import ASYNC_POOL, SYNC_POOL
from ._reading import OrderFilter, aread_order, awalk_orders, read_order, walk_orders
from ._registry import adapter_for

if TYPE_CHECKING:
    from .. import commercelayer, licensespring, spree, spree_admin, trunkery
    from .._models import RequestModel

    #: A vendor's own request class, accepted by the facade when that vendor is configured.
    VendorUpdate: TypeAlias = Union[  # noqa: UP007
        commercelayer.OrderUpdate, licensespring.OrderUpdate, spree.OrderUpdate, trunkery.OrderModify,
        spree_admin.OrderUpdate,
    ]
else:
    VendorUpdate = object

__all__ = [
    "Address",
    "AsyncOrderPatch",
    "CheckResult",
    "Config",
    "OrderChanges",
    "OrderPatch",
    "UpdatedOrder",
    "VendorOrder",
    "VendorUpdate",
    "acheck_connection",
    "aupdate_order",
    "check_connection",
    "update_order",
]


def update_order(
    order_id: int | str,
    changes: OrderChanges | VendorUpdate,
    *,
    config: Config | None = None,
    **options: Unpack[RequestOptions],
) -> UpdatedOrder:
    """Update order ``order_id`` at the configured vendor and return it, normalized.

    ``changes`` is an ``OrderChanges`` (mapped to the vendor's request; a field the vendor cannot
    take raises ``UnsupportedChange``) or the configured vendor's own ``OrderUpdate``. Without
    ``config`` the configuration is ``Config.load()`` (``$ORDERPATCH_CONFIG`` and the
    environment). One client per configuration is reused across calls and closed at exit.
    Per-call ``options``: ``timeout``, ``max_retries``, ``deadline``, ``extra_headers``, ``extra_query``.
    """
    config = config if config is not None else Config.load()
    adapter = adapter_for(config.vendor)
    request = adapter.prepare(changes)
    order = adapter.send(SYNC_POOL.get(config, adapter), order_id, request, options)
    return adapter.normalize(order)


async def aupdate_order(
    order_id: int | str,
    changes: OrderChanges | VendorUpdate,
    *,
    config: Config | None = None,
    **options: Unpack[RequestOptions],
) -> UpdatedOrder:
    """The asyncio twin of ``update_order``; one client per configuration and event loop is reused."""
    config = config if config is not None else Config.load()
    adapter = adapter_for(config.vendor)
    request = adapter.prepare(changes)
    order = await adapter.asend(await ASYNC_POOL.get(config, adapter), order_id, request, options)
    return adapter.normalize(order)


class _PatchBase:
    """What ``OrderPatch`` and ``AsyncOrderPatch`` share: the configuration and its adapter."""

    def __init__(self, config: Config | None) -> None:
        self.config = config if config is not None else Config.load()
        self._adapter = adapter_for(self.config.vendor)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.config!r})"


class OrderPatch(_PatchBase):
    """One vendor client (one connection pool) for the lifetime of a service; a context manager.

    >>> with OrderPatch(Config.from_env()) as patch:                     # doctest: +SKIP
    ...     patch.update_order("R123", OrderChanges(email="a@b.co"))
    """

    def __init__(self, config: Config | None = None, *, http_client: httpx.Client | None = None) -> None:
        """Build the configured vendor's client; ``http_client`` is used as is and never closed here."""
        super().__init__(config)
        #: The vendor's own client (``SpreeClient``, …), for everything beyond the facade.
        self.client: SyncAPIClient = self._adapter.open_sync(self.config, http_client)

    def update_order(
        self, order_id: int | str, changes: OrderChanges | VendorUpdate, **options: Unpack[RequestOptions]
    ) -> UpdatedOrder:
        """Update order ``order_id``; see ``orderpatch.update_order``."""
        request = self._adapter.prepare(changes)
        return self._adapter.normalize(self._adapter.send(self.client, order_id, request, options))

    def get_order(self, order_id: int | str, **options: Unpack[RequestOptions]) -> UpdatedOrder:
        """Read order ``order_id``; see ``orderpatch.get_order``."""
        return read_order(self._adapter, self.client, order_id, options)

    def iter_orders(self, selection: OrderFilter | RequestModel | None = None, *, limit: int | None = None,
                    **options: Unpack[RequestOptions]) -> Iterator[UpdatedOrder]:
        """The orders ``selection`` matches, pages fetched lazily; see ``orderpatch.iter_orders``."""
        return walk_orders(self._adapter, self.client, selection, limit, options)

    def close(self) -> None:
        """Close the client's connection pool."""
        self.client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncOrderPatch(_PatchBase):
    """The asyncio twin of ``OrderPatch``; use it as an async context manager on one event loop."""

    def __init__(self, config: Config | None = None, *, http_client: httpx.AsyncClient | None = None) -> None:
        """Build the configured vendor's async client; ``http_client`` is used as is and never closed here."""
        super().__init__(config)
        #: The vendor's own async client (``AsyncSpreeClient``, …).
        self.client: AsyncAPIClient = self._adapter.open_async(self.config, http_client)

    async def update_order(
        self, order_id: int | str, changes: OrderChanges | VendorUpdate, **options: Unpack[RequestOptions]
    ) -> UpdatedOrder:
        """Update order ``order_id``; see ``orderpatch.aupdate_order``."""
        request = self._adapter.prepare(changes)
        return self._adapter.normalize(await self._adapter.asend(self.client, order_id, request, options))

    async def get_order(self, order_id: int | str, **options: Unpack[RequestOptions]) -> UpdatedOrder:
        """Read order ``order_id``; see ``orderpatch.aget_order``."""
        return await aread_order(self._adapter, self.client, order_id, options)

    def iter_orders(self, selection: OrderFilter | RequestModel | None = None, *, limit: int | None = None,
                    **options: Unpack[RequestOptions]) -> AsyncIterator[UpdatedOrder]:
        """``async for order in patch.iter_orders(...)``; see ``orderpatch.aiter_orders``."""
        return awalk_orders(self._adapter, self._client, selection, limit, options)

    async def _client(self) -> AsyncAPIClient:
        return self.client

    async def close(self) -> None:
        """Close the client's connection pool."""
        await self.client.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
