"""Spree Admin API v3, sans I/O: select orders (``GET /api/v3/admin/orders``) with Ransack filters, by keyset.

* Filters are ``q[<attribute>_<predicate>]`` Ransack conditions, ANDed; lists go as Rails arrays
  (``q[status_in][]=placed&q[status_in][]=canceled``). Spree keeps Ransack's default of
  **ignoring** a condition it does not know (and a blank value), which then matches every order;
  so ``OrderFilter`` sends only names it has checked against the order whitelist
  (README §10): its typed fields, and ``raw=`` keys made of a ransackable attribute (or a
  whitelisted association and one of its attributes) and a documented predicate, or a scope.
* Spree applies no default sort, so offsets drift; pages are walked by keyset: ``sort=id``,
  ``page=1``, ``limit`` ≤ 100 (the server silently caps it) and, after each page,
  ``q[id_gt]=<the last or_… id of that page>`` (decoded by Spree before Ransack sees it).
* ``meta.count`` is the number of orders matching the request; ``meta.next`` ends the walk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from urllib.parse import urlencode

import attrs

from .._constants import SPREE_ADMIN_MAX_PAGE_SIZE
from .._convert import ShapeError
from .._filters import RawFilters, RawValue, check_raw, wire_list, wire_text, wire_time
from .._http import httpx
from .._models import RequestModel
from .._pagination import PageData, check_page_size
from .._spec import Call
from .._types import UNSET, JSONValue, Unset
from ..errors import ValidationError
from ._codec import API_PATH, Expand, Fields, converter, query_params
from ._order import Order, OrderList
from .models import FulfillmentStatus, OrderStatus, PaymentStatus, check_prefixed_id

__all__ = ["ASSOCIATIONS", "ATTRIBUTES", "PREDICATES", "SCOPES", "OrderFilter", "build_list_request",
           "filter_pairs", "is_filter_name", "parse_order_page"]

#: ``Spree::Order.whitelisted_ransackable_attributes`` (5.6.1, README §10).
ATTRIBUTES = frozenset({
    "id", "name", "created_at", "updated_at", "position", "completed_at", "email", "number", "state", "status",
    "payment_state", "shipment_state", "total", "item_total", "item_count", "considered_risky", "channel_id",
    "currency",
})
#: ``whitelisted_ransackable_associations``: ``q[<association>_<attribute>_<predicate>]``.
ASSOCIATIONS = frozenset({
    "shipments", "user", "created_by", "approver", "canceler", "promotions", "bill_address", "ship_address",
    "line_items", "store", "channel", "tags",
})
#: ``whitelisted_ransackable_scopes``: ``q[<scope>]=<value>``.
SCOPES = frozenset({"complete", "incomplete", "refunded", "partially_refunded", "search", "multi_search"})
#: The predicates the docs list, longest first for suffix matching.
PREDICATES: tuple[str, ...] = tuple(sorted(
    {"eq", "not_eq", "cont", "start", "end", "lt", "lteq", "gt", "gteq", "in", "null", "not_null", "true", "false"},
    key=lambda p: (-len(p), p)))
#: The keyset cursor the pager sets itself.
_CURSOR = "id_gt"


def is_filter_name(key: str) -> bool:
    """Whether ``key`` is a whitelisted scope, or ``<attribute>_<predicate>`` / ``<association>_<attr>_<predicate>``."""
    if key in SCOPES:
        return True
    for predicate in PREDICATES:
        if key.endswith("_" + predicate):
            subject = key[: -len(predicate) - 1]
            return subject in ATTRIBUTES or any(
                subject.startswith(f"{association}_") and len(subject) > len(association) + 1
                for association in ASSOCIATIONS)
    return False


@attrs.frozen(kw_only=True, repr=False)
class OrderFilter(RequestModel):
    """Which orders ``client.orders.list()`` selects; the fields set are ANDed, UNSET ones are not sent.

    ``status`` is the Admin API's ``draft``/``placed``/``canceled`` (the docs' ``status_eq:
    'complete'`` matches nothing: ``complete`` is a checkout ``state``). Ranges take
    timezone-aware datetimes: ``*_gte`` inclusive, ``*_lt`` exclusive. Order ``metadata`` is not
    filterable in Spree 5.6.1. ``raw={"total_gteq": "100"}`` sends a Ransack condition orderpatch
    has not typed; its key is checked against the whitelist before any request.
    """

    #: ``id_in``: these ``or_…`` ids.
    ids: Sequence[str] | Unset = UNSET
    #: ``number_eq`` (one) or ``number_in`` (several).
    number: str | Sequence[str] | Unset = UNSET
    #: ``status_eq`` / ``status_in``.
    status: OrderStatus | Sequence[OrderStatus] | Unset = UNSET
    #: ``payment_state_eq`` / ``_in`` (the response's ``payment_status``).
    payment_status: PaymentStatus | Sequence[PaymentStatus] | Unset = UNSET
    #: ``shipment_state_eq`` / ``_in`` (the response's ``fulfillment_status``).
    fulfillment_status: FulfillmentStatus | Sequence[FulfillmentStatus] | Unset = UNSET
    #: ``state_eq`` / ``_in``: the checkout state (``cart`` … ``complete``, ``canceled``, ``resumed``).
    state: str | Sequence[str] | Unset = UNSET
    #: ``email_eq``.
    email: str | Unset = UNSET
    #: ``user_id_eq``: a ``cus_…`` id.
    customer_id: str | Unset = UNSET
    #: ``channel_id_eq``: a ``ch_…`` id.
    channel_id: str | Unset = UNSET
    #: ``currency_eq``.
    currency: str | Unset = UNSET
    #: ``tags_name_in``: orders carrying any of these tags.
    tags: Sequence[str] | Unset = UNSET
    #: ``considered_risky_eq``.
    considered_risky: bool | Unset = UNSET
    #: The ``search`` scope: a number substring, an exact email or bill-address names.
    search: str | Unset = UNSET
    created_gte: dt.datetime | Unset = UNSET
    created_lt: dt.datetime | Unset = UNSET
    updated_gte: dt.datetime | Unset = UNSET
    updated_lt: dt.datetime | Unset = UNSET
    completed_gte: dt.datetime | Unset = UNSET
    completed_lt: dt.datetime | Unset = UNSET
    #: More Ransack conditions by their wire name (``{"item_count_gt": 2}``).
    raw: RawFilters | Unset = UNSET

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.raw is not UNSET:
            check_raw(self.raw, owner="OrderFilter", known=is_filter_name,
                      names=sorted(ATTRIBUTES | SCOPES), reserved={_CURSOR: "set by the pager (keyset cursor)"})
        filter_pairs(self)  # every value checked now, not at the first page


def _one_or_many(q: list[tuple[str, str]], attribute: str, value: object, *, field: str) -> None:
    if isinstance(value, str):
        q.append((f"q[{attribute}_eq]", wire_text(value, field=field)))
    else:
        q.extend((f"q[{attribute}_in][]", item) for item in wire_list(value, field=field, separator=None))


def _raw(key: str, value: RawValue) -> list[tuple[str, str]]:
    where = f"OrderFilter.raw.{key}"
    if isinstance(value, bool):
        return [(f"q[{key}]", "true" if value else "false")]
    if isinstance(value, dt.datetime):
        return [(f"q[{key}]", wire_time(value, field=where))]
    if isinstance(value, (list, tuple)):
        if not key.endswith("_in"):
            raise ValidationError(f"{where}: expected one value (lists go only with _in)", field=where,
                                  expected="one value")
        return [(f"q[{key}][]", item) for item in wire_list(value, field=where, separator=None)]
    return [(f"q[{key}]", wire_text(value, field=where))]


def filter_pairs(order_filter: OrderFilter | None) -> list[tuple[str, str]]:
    """The ``q[…]`` query parameters of ``order_filter`` (without the pager's cursor), in a stable order."""
    if order_filter is None:
        return []
    f = order_filter
    q: list[tuple[str, str]] = []
    if f.ids is not UNSET:
        ids = wire_list(f.ids, field="OrderFilter.ids", separator=None)
        q.extend(("q[id_in][]", str(check_prefixed_id(i, "or", field="OrderFilter.ids"))) for i in ids)
    for name, attribute in (("number", "number"), ("status", "status"), ("payment_status", "payment_state"),
                            ("fulfillment_status", "shipment_state"), ("state", "state")):
        value = getattr(f, name)
        if value is not UNSET:
            _one_or_many(q, attribute, value, field=f"OrderFilter.{name}")
    if f.email is not UNSET:
        q.append(("q[email_eq]", wire_text(f.email, field="OrderFilter.email")))
    for name, attribute, prefix in (("customer_id", "user_id", "cus"), ("channel_id", "channel_id", "ch")):
        value = getattr(f, name)
        if value is not UNSET:
            q.append((f"q[{attribute}_eq]", str(check_prefixed_id(value, prefix, field=f"OrderFilter.{name}"))))
    if f.currency is not UNSET:
        q.append(("q[currency_eq]", wire_text(f.currency, field="OrderFilter.currency")))
    if f.tags is not UNSET:
        q.extend(("q[tags_name_in][]", tag) for tag in wire_list(f.tags, field="OrderFilter.tags", separator=None))
    if f.considered_risky is not UNSET:
        q.append(("q[considered_risky_eq]", "true" if f.considered_risky else "false"))
    if f.search is not UNSET:
        q.append(("q[search]", wire_text(f.search, field="OrderFilter.search")))
    for name, attribute in (("created", "created_at"), ("updated", "updated_at"), ("completed", "completed_at")):
        for bound, predicate in (("gte", "gteq"), ("lt", "lt")):
            value = getattr(f, f"{name}_{bound}")
            if value is not UNSET:
                q.append((f"q[{attribute}_{predicate}]", wire_time(value, field=f"OrderFilter.{name}_{bound}")))
    if f.raw is not UNSET:
        for key, value in f.raw.items():
            q.extend(_raw(key, value))
    return q


def build_list_request(base_url: httpx.URL, order_filter: OrderFilter | None, page_size: int, cursor: str | None,
                       *, expand: Expand = None, fields: Fields = None) -> Call[PageData[Order]]:
    """``GET /orders?q[…]&sort=id&limit=N&page=1[&q[id_gt]=cursor]`` (needs ``read_orders``)."""
    if order_filter is not None and not isinstance(order_filter, OrderFilter):
        raise ValidationError(
            f"filter: expected orderpatch.spree_admin.OrderFilter, got {type(order_filter).__name__}",
            field="filter", expected="spree_admin.OrderFilter")
    size = check_page_size(page_size, maximum=SPREE_ADMIN_MAX_PAGE_SIZE)
    pairs = filter_pairs(order_filter)
    if cursor is not None:
        pairs.append((f"q[{_CURSOR}]", str(check_prefixed_id(cursor, "or", field="cursor"))))
    pairs.extend(query_params(expand, fields).items())
    pairs.extend((("sort", "id"), ("limit", str(size)), ("page", "1")))
    path = base_url.path.rstrip("/") + "/" + "/".join((*API_PATH, "orders"))
    query = urlencode(pairs)
    if base_url.query:
        query = base_url.query.decode("ascii") + "&" + query
    url = base_url.copy_with(path=path, query=query.encode("ascii"))
    request = httpx.Request("GET", url, headers={"Accept": "application/json"})
    return Call(request=request, parse=lambda payload: parse_order_page(payload, page_size=size), idempotent=True)


def parse_order_page(payload: JSONValue, *, page_size: int) -> PageData[Order]:
    """A list answer: ``data[]`` as ``Order``s, ``meta.count`` and the next keyset cursor."""
    page = converter.structure(payload, OrderList)
    orders = tuple(page.data)
    total = page.meta.count
    if total is not None and total < 0:
        raise ShapeError(f"meta.count: expected a count, got {total}")
    more = page.meta.next is not None if "next" in _meta(payload) else len(orders) >= page_size
    return PageData(items=orders, total_count=total, next_cursor=orders[-1].id if orders and more else None)


def _meta(payload: JSONValue) -> dict[str, JSONValue]:
    meta = payload.get("meta") if isinstance(payload, dict) else None
    return meta if isinstance(meta, dict) else {}
