"""Spree Platform API v2, sans I/O: select orders (``GET /api/v2/platform/orders``).

* Filters go straight to Ransack as ``filter[<attribute>_<predicate>]=<value>``; ``_in`` takes
  Rails array syntax (``filter[number_in][]=R1&filter[number_in][]=R2``). Ransack drops a
  condition it does not know, a non-whitelisted attribute, or a blank value, and Spree then
  answers with the whole store, so ``OrderFilter`` sends only names built from the whitelist
  (``Spree::Order.whitelisted_ransackable_*``, 5.x) and refuses blank values.
* Pages are walked by keyset: ``sort=id``, ``per_page`` up to 500 (``api_v2_per_page_limit``;
  beyond it Spree silently falls back to 25) and ``filter[id_gt]=<last id>`` after each page.
  ``links.next`` is never null in Spree, so the end is ``meta.total_pages <= 1`` (this request
  fits in one page) or an empty page.
* ``meta.total_count`` is the total that matches the request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from .._constants import SPREE_MAX_PAGE_SIZE
from .._convert import ShapeError
from .._filters import RawFilters, check_raw, is_ransack_name, wire_list, wire_text, wire_time
from .._http import httpx
from .._models import RequestModel
from .._pagination import PageData, check_page_size
from .._spec import Call, url_for
from .._types import UNSET, JSONValue, Unset
from .._validation import check_id
from ..errors import ValidationError
from ._codec import Fields, Include, parse_order, query_params
from ._order import Order
from .models import OrderState, PaymentState, ShipmentState

__all__ = [
    "FILTERABLE_ASSOCIATIONS", "FILTERABLE_ATTRIBUTES", "FILTER_SCOPES", "OrderFilter", "build_list_request",
    "filter_params", "is_filter_name", "parse_order_page",
]

#: ``Spree::Order`` ransackable attributes (defaults plus the order's whitelist, 5.x).
FILTERABLE_ATTRIBUTES = frozenset({
    "id", "name", "created_at", "updated_at", "completed_at", "email", "number", "state", "payment_state",
    "shipment_state", "total", "item_total", "item_count", "considered_risky", "channel",
})
#: Ransackable associations: ``<association>_<attribute>_<predicate>``.
FILTERABLE_ASSOCIATIONS = frozenset({
    "shipments", "user", "created_by", "approver", "canceler", "promotions", "bill_address", "ship_address",
    "line_items", "store",
})
#: Ransackable scopes (5.0+), used as the whole key: ``filter[multi_search]=…``.
FILTER_SCOPES = frozenset({"refunded", "partially_refunded", "multi_search"})
_CURSOR = "id_gt"
_HEADERS = {"Accept": "application/vnd.api+json, application/json"}


def is_filter_name(key: str) -> bool:
    """Whether ``key`` is a scope, or a whitelisted attribute/association path plus a Ransack predicate."""
    return key in FILTER_SCOPES or is_ransack_name(key, FILTERABLE_ATTRIBUTES, FILTERABLE_ASSOCIATIONS)


@attrs.frozen(kw_only=True, repr=False)
class OrderFilter(RequestModel):
    """Which orders ``client.orders.list()`` selects; set fields are ANDed, UNSET ones are not sent.

    An app token sees every order of the store, carts included: filter on ``state`` to leave
    them out. Ranges take timezone-aware datetimes: ``*_gte`` inclusive, ``*_lt`` exclusive.
    ``raw={"total_gteq": "100"}`` sends other Ransack conditions; each key must be built from the
    whitelist, or ``ValidationError`` is raised before any request (Spree would ignore it and list
    the whole store). Spree v2 cannot filter by tags, metadata, ``approved_at`` or ``canceled_at``.
    """

    #: ``id_in``: these numeric ids.
    ids: Sequence[int] | Unset = UNSET
    #: ``number_eq`` (one) or ``number_in`` (several).
    number: str | Sequence[str] | Unset = UNSET
    #: ``state_eq`` / ``state_in`` (``complete``, ``canceled``, ``cart``, …).
    state: OrderState | Sequence[OrderState] | Unset = UNSET
    payment_state: PaymentState | Sequence[PaymentState] | Unset = UNSET
    shipment_state: ShipmentState | Sequence[ShipmentState] | Unset = UNSET
    #: ``email_eq``.
    email: str | Unset = UNSET
    created_gte: dt.datetime | Unset = UNSET
    created_lt: dt.datetime | Unset = UNSET
    updated_gte: dt.datetime | Unset = UNSET
    updated_lt: dt.datetime | Unset = UNSET
    completed_gte: dt.datetime | Unset = UNSET
    completed_lt: dt.datetime | Unset = UNSET
    #: More Ransack conditions by their wire name (``{"user_id_eq": "7"}``).
    raw: RawFilters | Unset = UNSET

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.raw is not UNSET:
            check_raw(self.raw, owner="OrderFilter", known=is_filter_name, names=sorted(FILTERABLE_ATTRIBUTES),
                      reserved={_CURSOR: "set by the pager (keyset cursor)"})
        filter_params(self)


def _add(params: list[tuple[str, str]], key: str, value: object, where: str) -> None:
    """One condition: a list goes out in Rails array syntax, one value as is."""
    if isinstance(value, bool):
        params.append((f"filter[{key}]", "true" if value else "false"))
    elif isinstance(value, dt.datetime):
        params.append((f"filter[{key}]", wire_time(value, field=where)))
    elif isinstance(value, (list, tuple)):
        if not key.endswith(("_in", "_any", "_all")):
            raise ValidationError(f"{where}: expected one value (lists go only with _in, _not_in, _any, _all)",
                                  field=where, expected="one value")
        params.extend((f"filter[{key}][]", item) for item in wire_list(value, field=where, separator=None))
    else:
        params.append((f"filter[{key}]", wire_text(value, field=where)))


def filter_params(order_filter: OrderFilter | None) -> list[tuple[str, str]]:
    """The ``filter[…]`` query parameters of ``order_filter`` (without the pager's cursor)."""
    params: list[tuple[str, str]] = []
    if order_filter is None:
        return params
    f = order_filter
    if f.ids is not UNSET:
        _add(params, "id_in", [wire_text(i, field="OrderFilter.ids") for i in f.ids], "OrderFilter.ids")
    for name in ("number", "state", "payment_state", "shipment_state"):
        value = getattr(f, name)
        if value is not UNSET:
            key = f"{name}_eq" if isinstance(value, str) else f"{name}_in"
            _add(params, key, value, f"OrderFilter.{name}")
    if f.email is not UNSET:
        _add(params, "email_eq", f.email, "OrderFilter.email")
    for name in ("created", "updated", "completed"):
        for bound, predicate in (("gte", "gteq"), ("lt", "lt")):
            value = getattr(f, f"{name}_{bound}")
            if value is not UNSET:
                _add(params, f"{name}_at_{predicate}", value, f"OrderFilter.{name}_{bound}")
    if f.raw is not UNSET:
        for key, value in f.raw.items():
            _add(params, key, value, f"OrderFilter.raw.{key}")
    return params


def build_list_request(base_url: httpx.URL, order_filter: OrderFilter | None, page_size: int, cursor: str | None,
                       *, include: Include = None, fields: Fields = None) -> Call[PageData[Order]]:
    """``GET {base}/api/v2/platform/orders?filter[…]&sort=id&per_page=N[&filter[id_gt]=cursor]``."""
    if order_filter is not None and not isinstance(order_filter, OrderFilter):
        raise ValidationError(f"filter: expected orderpatch.spree.OrderFilter, got {type(order_filter).__name__}",
                              field="filter", expected="spree.OrderFilter")
    size = check_page_size(page_size, maximum=SPREE_MAX_PAGE_SIZE)
    params = filter_params(order_filter)
    if cursor is not None:
        params.append((f"filter[{_CURSOR}]", check_id(cursor, field="cursor")))
    params.extend(query_params(include, fields).items())
    params.extend((("sort", "id"), ("per_page", str(size))))
    request = httpx.Request("GET", url_for(base_url, "api", "v2", "platform", "orders", params=params),
                            headers=_HEADERS)
    return Call(request=request, parse=lambda payload: parse_order_page(payload, page_size=size), idempotent=True)


def parse_order_page(payload: JSONValue, *, page_size: int) -> PageData[Order]:
    """A list answer: ``data[]`` as ``Order``s (sharing ``included``), the total and the next cursor."""
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
        raise ShapeError("expected a JSON:API document with a 'data' array")
    included = payload.get("included", [])
    orders = tuple(parse_order({"data": item, "included": included}) for item in payload["data"])  # type: ignore[union-attr]
    meta = payload.get("meta")
    meta = meta if isinstance(meta, dict) else {}
    total, pages = meta.get("total_count"), meta.get("total_pages")
    for name, value in (("total_count", total), ("total_pages", pages)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise ShapeError(f"expected a count for meta.{name}, got {type(value).__name__}")
    more = (pages > 1) if isinstance(pages, int) else len(orders) >= page_size
    return PageData(items=orders, total_count=total if isinstance(total, int) else None,
                    next_cursor=orders[-1].id if orders and more else None)
