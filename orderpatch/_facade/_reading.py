"""Reading through the facade: ``get_order``, ``iter_orders`` and the vendor-neutral ``OrderFilter``.

>>> order = orderpatch.get_order("R123456789")                                   # doctest: +SKIP
>>> for order in orderpatch.iter_orders(orderpatch.OrderFilter(status=["complete"])):  # doctest: +SKIP
...     print(order.id, order.status)

Each vendor adapter maps the neutral filter field by field (its ``filters`` rules, like the
``rules`` of ``OrderChanges``); a field the configured vendor cannot filter on raises
``UnsupportedFilter`` naming the field and the vendor, before any request. The vendor's own
``OrderFilter`` (``orderpatch.spree.OrderFilter``, …) is accepted as well, for filters the
neutral one does not have. Results are normalized like ``UpdatedOrder``.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import Any

import attrs
from typing_extensions import Unpack

from .._base_client import AsyncAPIClient, RequestOptions, SyncAPIClient
from .._config import Config
from .._models import RequestModel
from .._types import UNSET, Unset
from ..errors import ConfigurationError, UnsupportedFilter, ValidationError
from ._adapter import To, Unsupported, VendorAdapter
from ._changes import UpdatedOrder
from ._pool import ASYNC_POOL, SYNC_POOL
from ._registry import adapter_for

__all__ = [
    "OrderFilter", "aget_order", "aiter_orders", "aread_order", "awalk_orders", "get_order", "iter_orders",
    "read_order", "vendor_filter", "walk_orders",
]


@attrs.frozen(kw_only=True, repr=False)
class OrderFilter(RequestModel):
    """Which orders to select, in words every vendor shares; UNSET fields are not applied.

    Ranges take timezone-aware datetimes: ``*_gte`` inclusive, ``*_lt`` exclusive (Trunkery's
    ``*_max`` bound is the vendor's own). ``status`` is the vendor's own word (Commerce Layer
    ``placed``, Spree ``complete``, Trunkery's list ``type`` such as ``paid``).

    Attributes:
        ids: These order ids.
        number: This order number (or any of several).
        status: This status (or any of several).
        email: The customer's email, exactly.
        reference: Your own reference of the order.
        created_gte / created_lt: Created at or after / before.
        updated_gte / updated_lt: Last changed at or after / before.
        tags: Carrying any of these tags.
    """

    ids: Sequence[str] | Unset = UNSET
    number: str | Sequence[str] | Unset = UNSET
    status: str | Sequence[str] | Unset = UNSET
    email: str | Unset = UNSET
    reference: str | Unset = UNSET
    created_gte: dt.datetime | Unset = UNSET
    created_lt: dt.datetime | Unset = UNSET
    updated_gte: dt.datetime | Unset = UNSET
    updated_lt: dt.datetime | Unset = UNSET
    tags: Sequence[str] | Unset = UNSET

    def set_fields(self) -> list[str]:
        """The names of the fields that are set."""
        return [f.name for f in attrs.fields(type(self)) if getattr(self, f.name) is not UNSET]


def vendor_filter(adapter: VendorAdapter, selection: object) -> RequestModel | None:
    """The configured vendor's ``OrderFilter`` for ``selection``, checked before any I/O."""
    if selection is None:
        return None
    vendor_class = importlib.import_module(f"orderpatch.{adapter.vendor}").OrderFilter
    if isinstance(selection, vendor_class):
        return selection  # type: ignore[no-any-return]
    if not isinstance(selection, OrderFilter):
        expected = f"orderpatch.OrderFilter or orderpatch.{adapter.vendor}.OrderFilter"
        owner = type(selection).__module__.split(".")
        if owner[0] == "orderpatch" and type(selection).__name__ == "OrderFilter":
            raise ConfigurationError(f"filter: {type(selection).__module__}.OrderFilter is another vendor's, but the "
                                     f"configured vendor is {adapter.vendor}; pass {expected}", key="vendor")
        raise ValidationError(f"filter: expected {expected}, got {type(selection).__name__}", field="filter",
                              expected=expected)
    kwargs: dict[str, object] = {}
    for name in selection.set_fields():
        rule = adapter.filters.get(name, Unsupported(""))
        if isinstance(rule, Unsupported):
            raise UnsupportedFilter(vendor=adapter.vendor, field=name, alternative=rule.alternative or None)
    for name in selection.set_fields():
        rule = adapter.filters[name]
        assert isinstance(rule, To)
        value = getattr(selection, name)
        kwargs[rule.field] = rule.convert(value) if rule.convert is not None else value
    result = vendor_class(**kwargs)
    assert isinstance(result, RequestModel)
    return result


def _setup(config: Config | None) -> tuple[Config, VendorAdapter]:
    config = config if config is not None else Config.load()
    return config, adapter_for(config.vendor)


def read_order(adapter: VendorAdapter, client: SyncAPIClient, order_id: int | str,
               options: RequestOptions) -> UpdatedOrder:
    """``client.orders.retrieve(order_id)``, normalized: the one read both ``get_order`` and ``OrderPatch`` make."""
    orders: Any = client.orders  # type: ignore[attr-defined]
    return adapter.normalize(orders.retrieve(order_id, **options))


async def aread_order(adapter: VendorAdapter, client: AsyncAPIClient, order_id: int | str,
                      options: RequestOptions) -> UpdatedOrder:
    """The asyncio twin of ``read_order``."""
    orders: Any = client.orders  # type: ignore[attr-defined]
    return adapter.normalize(await orders.retrieve(order_id, **options))


def get_order(order_id: int | str, *, config: Config | None = None, **options: Unpack[RequestOptions]) -> UpdatedOrder:
    """Read order ``order_id`` at the configured vendor, normalized (the vendor's order in ``detail``)."""
    config, adapter = _setup(config)
    return read_order(adapter, SYNC_POOL.get(config, adapter), order_id, options)


async def aget_order(order_id: int | str, *, config: Config | None = None,
                     **options: Unpack[RequestOptions]) -> UpdatedOrder:
    """The asyncio twin of ``get_order``."""
    config, adapter = _setup(config)
    return await aread_order(adapter, await ASYNC_POOL.get(config, adapter), order_id, options)


def _limit(limit: object) -> int | None:
    if limit is None or (isinstance(limit, int) and not isinstance(limit, bool) and limit >= 0):
        return limit
    raise ValidationError(f"limit: expected a non-negative int or None, got {limit!r:.40}", field="limit",
                          expected="int >= 0 or None")


def walk_orders(adapter: VendorAdapter, client: SyncAPIClient, selection: object, limit: object,
                options: RequestOptions) -> Iterator[UpdatedOrder]:
    """The orders ``selection`` matches through ``client``, normalized; filter and limit checked now, pages lazily."""
    checked, most = vendor_filter(adapter, selection), _limit(limit)
    orders: Any = client.orders  # type: ignore[attr-defined]
    pager = orders.list(checked, **options)

    def walk() -> Iterator[UpdatedOrder]:
        if most == 0:
            return
        for count, order in enumerate(pager, 1):
            yield adapter.normalize(order)
            if count == most:
                return

    return walk()


def awalk_orders(adapter: VendorAdapter, client: Callable[[], Awaitable[AsyncAPIClient]], selection: object,
                 limit: object, options: RequestOptions) -> AsyncIterator[UpdatedOrder]:
    """The asyncio twin of ``walk_orders``; ``client`` is awaited at the first page, not before."""
    checked, most = vendor_filter(adapter, selection), _limit(limit)

    async def walk() -> AsyncIterator[UpdatedOrder]:
        if most == 0:
            return
        orders: Any = (await client()).orders  # type: ignore[attr-defined]
        count = 0
        async for order in orders.list(checked, **options):
            yield adapter.normalize(order)
            count += 1
            if count == most:
                return

    return walk()


def iter_orders(selection: OrderFilter | RequestModel | None = None, *, config: Config | None = None,
                limit: int | None = None, **options: Unpack[RequestOptions]) -> Iterator[UpdatedOrder]:
    """Every order ``selection`` matches at the configured vendor (at most ``limit``), pages fetched lazily.

    The filter is mapped and checked now, before any request: a field the vendor cannot filter
    on raises ``UnsupportedFilter``. Pages are walked by keyset where the vendor allows it.
    """
    config, adapter = _setup(config)
    checked = vendor_filter(adapter, selection)  # before the client: a wrong filter needs no connection
    return walk_orders(adapter, SYNC_POOL.get(config, adapter), checked, limit, options)


def aiter_orders(selection: OrderFilter | RequestModel | None = None, *, config: Config | None = None,
                 limit: int | None = None, **options: Unpack[RequestOptions]) -> AsyncIterator[UpdatedOrder]:
    """The asyncio twin of ``iter_orders``: ``async for order in orderpatch.aiter_orders(...)``."""
    config, adapter = _setup(config)
    return awalk_orders(adapter, lambda: ASYNC_POOL.get(config, adapter), selection, limit, options)
