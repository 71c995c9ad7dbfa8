"""Trunkery (Lana Commerce), sans I/O: read orders by id and select them (``GET orders[/page].json``).

* ``GET orders.json?ids=or_X&shop_id=sh_Y[&fields=…]`` answers ``Order[]``: retrieve asks for one
  id and insists on exactly that one order back.
* ``GET orders/page.json?shop_id=…&sort_by=created_at&limit=N[&last_key=K]`` answers
  ``OrderPage {count, items, last_key}``. The walk is keyset (``last_key``), which Lana
  recommends as stable under inserts and deletes, sorted by ``created_at``: sorting by
  ``updated_at`` would list every order the caller modifies again, after the cursor. Like the
  vendor's own iterator it stops on an empty page (the maximum ``limit`` is not documented, so a
  short page does not prove the end) and refuses a non-empty page without ``last_key``.
* Filters are the documented query parameters of ``ordersPage``; an unknown one would be ignored
  by the vendor, so ``raw=`` keys must be among them too.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Sequence

import attrs

from .._constants import TRUNKERY_MAX_PAGE_SIZE
from .._convert import ShapeError
from .._filters import RawFilters, check_raw, wire_text, wire_time
from .._http import httpx
from .._models import RequestModel
from .._pagination import PageData, check_page_size
from .._spec import Call, url_for
from .._types import UNSET, JSONValue, Unset
from ..errors import ValidationError
from ._codec import _fields, _one_id, converter, parse_modify_response
from ._order import Order

__all__ = ["FILTER_NAMES", "OrderFilter", "OrderListType", "build_list_request", "build_retrieve_request",
           "filter_params", "parse_order_page"]


class OrderListType(enum.StrEnum):
    """``type`` of ``ordersPage``: which orders (``any`` for all but carts)."""

    ANY = "any"
    OPEN = "open"
    PAID = "paid"
    UNPAID = "unpaid"
    UNFULFILLED = "unfulfilled"
    CANCELED = "canceled"
    ARCHIVED = "archived"
    DRAFT = "draft"
    ABANDONED = "abandoned"


#: The filters ``ordersPage`` documents (docs ``get_orders_page_json``; ``@lana-commerce/core``).
FILTER_NAMES: tuple[str, ...] = (
    "cart", "type", "created_at_min", "created_at_max", "updated_at_min", "updated_at_max", "paid_at_min",
    "paid_at_max", "customer_id", "sales_channel_id", "subscription_id",
)
_PAGER = dict.fromkeys(("shop_id", "sort_by", "sort_desc", "limit", "offset", "last_key"), "set by the pager")
_JSON = {"Accept": "application/json"}


@attrs.frozen(kw_only=True, repr=False)
class OrderFilter(RequestModel):
    """Which orders ``client.orders.list()`` selects; set fields are ANDed, UNSET ones are not sent.

    Timestamps are timezone-aware datetimes (sent as RFC 3339 in UTC); ``*_min``/``*_max`` bound
    the range as the vendor defines them. Lana cannot filter by tags, email, number or metadata
    here (its search endpoint can, with offsets only).
    """

    #: ``type``: open, paid, unpaid, unfulfilled, canceled, archived, draft, abandoned, or any.
    type: OrderListType | Unset = UNSET
    #: ``cart``: ``True`` lists only carts; otherwise carts are left out.
    cart: bool | Unset = UNSET
    created_at_min: dt.datetime | Unset = UNSET
    created_at_max: dt.datetime | Unset = UNSET
    updated_at_min: dt.datetime | Unset = UNSET
    updated_at_max: dt.datetime | Unset = UNSET
    paid_at_min: dt.datetime | Unset = UNSET
    paid_at_max: dt.datetime | Unset = UNSET
    customer_id: str | Unset = UNSET
    sales_channel_id: str | Unset = UNSET
    subscription_id: str | Unset = UNSET
    #: Documented filters by their wire name, for a vendor version that adds some.
    raw: RawFilters | Unset = UNSET

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.raw is not UNSET:
            check_raw(self.raw, owner="OrderFilter", known=frozenset(FILTER_NAMES).__contains__, names=FILTER_NAMES,
                      reserved=_PAGER)
        filter_params(self)


def filter_params(order_filter: OrderFilter | None) -> dict[str, str]:
    """The ``ordersPage`` query parameters of ``order_filter`` (without the pager's)."""
    if order_filter is None:
        return {}
    values: dict[str, object] = {name: getattr(order_filter, name) for name in FILTER_NAMES}
    if order_filter.raw is not UNSET:
        values.update(order_filter.raw)
    params: dict[str, str] = {}
    for name, value in values.items():
        where = f"OrderFilter.{name}"
        if value is UNSET:
            continue
        if isinstance(value, bool):
            params[name] = "true" if value else "false"
        elif isinstance(value, dt.datetime):
            params[name] = wire_time(value, field=where)
        else:
            params[name] = wire_text(value, field=where)
    return params


def _parse_one(payload: JSONValue, *, order_id: str) -> Order:
    try:
        return parse_modify_response(payload, order_id=order_id)
    except ShapeError as exc:  # the modify wording ("the change was most likely applied") does not fit a read
        raise ShapeError(str(exc).split("; the vendor answered 2xx")[0]) from None


def build_retrieve_request(base_url: httpx.URL, order_id: str, *, shop_id: str | None,
                           fields: Sequence[str] | None = None) -> Call[Order]:
    """``GET {base}/orders.json?ids=<one id>&shop_id=…[&fields=…]``: exactly that order back."""
    params = {"ids": _one_id(order_id, "order_id", "order"), "shop_id": _shop(shop_id)}
    if fields is not None:
        params["fields"] = _fields(fields)
    request = httpx.Request("GET", url_for(base_url, "orders.json", params=params), headers=_JSON)
    return Call(request=request, parse=functools.partial(_parse_one, order_id=params["ids"]), idempotent=True)


def _shop(shop_id: str | None) -> str:
    if shop_id is None:
        raise ValidationError("shop_id: missing; pass shop_id= to the client or to this call", field="shop_id",
                              expected="a shop id")
    return _one_id(shop_id, "shop_id", "shop")


def build_list_request(base_url: httpx.URL, order_filter: OrderFilter | None, page_size: int, cursor: str | None,
                       *, shop_id: str | None) -> Call[PageData[Order]]:
    """``GET {base}/orders/page.json?shop_id=…&…&sort_by=created_at&limit=N[&last_key=cursor]``."""
    if order_filter is not None and not isinstance(order_filter, OrderFilter):
        raise ValidationError(f"filter: expected orderpatch.trunkery.OrderFilter, got {type(order_filter).__name__}",
                              field="filter", expected="trunkery.OrderFilter")
    size = check_page_size(page_size, maximum=TRUNKERY_MAX_PAGE_SIZE)
    params = {"shop_id": _shop(shop_id), **filter_params(order_filter), "sort_by": "created_at", "limit": str(size)}
    if cursor is not None:
        params["last_key"] = wire_text(cursor, field="cursor")
    request = httpx.Request("GET", url_for(base_url, "orders", "page.json", params=params), headers=_JSON)
    return Call(request=request, parse=parse_order_page, idempotent=True)


def parse_order_page(payload: JSONValue) -> PageData[Order]:
    """An ``OrderPage``: its ``items`` as ``Order``s, ``count`` and ``last_key`` (the next cursor)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("items"), list):
        raise ShapeError("expected an OrderPage object {count, items[], last_key}")
    try:
        orders = tuple(converter.structure(item, Order) for item in payload["items"])  # type: ignore[union-attr]
    except KeyError as exc:
        raise ShapeError(f"an order lacks the field {exc.args[0]!r}") from None
    total = payload.get("count")
    if total is not None and (not isinstance(total, int) or isinstance(total, bool) or total < 0):
        raise ShapeError(f"expected a count for 'count', got {type(total).__name__}")
    last_key = payload.get("last_key")
    if orders and not (isinstance(last_key, str) and last_key):
        raise ShapeError("a page of orders came without 'last_key': the walk cannot continue")
    return PageData(items=orders, total_count=total, next_cursor=last_key if orders else None)  # type: ignore[arg-type]
