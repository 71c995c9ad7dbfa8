"""Commerce Layer, sans I/O: read one order and select orders (``GET /api/orders[/{id}]``).

* Filters are Ransack predicates, ``filter[q][<attribute>_<predicate>]=<value>``, ANDed; lists
  are comma-joined (``status_in=placed,approved``). Commerce Layer ignores a filter name it does
  not know and answers with every order, so ``OrderFilter`` only sends names it has checked:
  its typed fields, and ``raw=`` keys made of a filterable attribute (or a relationship prefix)
  and a documented predicate.
* Pages are walked by keyset, as the official ``retrieveAll`` does: ``sort=id``,
  ``page[number]=1`` and, after each page, ``filter[q][id_gt]=<last id of that page>``. Offset
  pages drift when the caller updates the orders it is walking; a keyset does not.
* ``meta.record_count`` is the total that matches the request; a missing ``links.next`` ends
  the walk (the one-page example has only ``first`` and ``last``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

import attrs

from .._constants import COMMERCELAYER_MAX_PAGE_SIZE
from .._convert import ShapeError, describe_value
from .._filters import (
    RANSACK_PREDICATES,
    RawFilters,
    RawValue,
    check_raw,
    is_ransack_name,
    wire_list,
    wire_text,
    wire_time,
)
from .._http import httpx
from .._models import RequestModel
from .._pagination import PageData, check_page_size
from .._spec import Call, url_for
from .._types import UNSET, JSONValue, Unset
from .._validation import check_id
from ..errors import ValidationError
from ._codec import JSONAPI, Fields, Include, _query, parse_order
from .models import FulfillmentStatus, Order, OrderStatus, PaymentStatus

__all__ = [
    "FILTERABLE_ATTRIBUTES", "FILTERABLE_RELATIONSHIPS", "PREDICATES", "OrderFilter", "build_list_request",
    "build_retrieve_request", "filter_params", "is_filter_name", "parse_order_page",
]

#: Order attributes Commerce Layer lets you filter on (schema 7.9.16, ``resources.json``).
FILTERABLE_ATTRIBUTES = frozenset({
    "id", "number", "token", "reference", "reference_origin", "metadata", "customer_email", "guest", "status",
    "payment_status", "fulfillment_status", "currency_code", "country_code", "language_code", "coupon_code",
    "gift_card_code", "affiliate_code", "tax_included", "created_at", "updated_at", "placed_at", "approved_at",
    "cancelled_at", "payment_updated_at", "fulfillment_updated_at", "refreshed_at", "archived_at", "expires_at",
    "subscription_created_at", "subtotal_amount_cents", "discount_amount_cents", "gift_card_amount_cents",
    "total_amount_cents", "total_tax_amount_cents", "total_taxable_amount_cents", "subtotal_tax_amount_cents",
    "total_amount_with_taxes_cents", "duty_amount_cents", "fees_amount_cents",
})
#: Relationships whose attributes filter orders as ``<relationship>_<attribute>_<predicate>``.
FILTERABLE_RELATIONSHIPS = frozenset({
    "market", "customer", "store", "tags", "shipping_address", "billing_address", "line_items", "shipments",
    "payment_method", "payment_source", "authorizations", "captures", "voids", "refunds", "returns",
    "order_subscriptions", "order_copies", "attachments", "events",
})
#: Ransack predicates Commerce Layer documents (``filter.ts``).
PREDICATES = RANSACK_PREDICATES
_LIST_PREDICATE = re.compile(r"(?:.*_)?(?:in|not_in|in_or_null|not_in_or_null|any|all)")
#: The keyset cursor the pager sets itself.
_CURSOR = "id_gt"


def is_filter_name(key: str) -> bool:
    """Whether ``key`` is ``<attribute>[_or_<attribute>…]_<predicate>`` with documented parts."""
    return is_ransack_name(key, FILTERABLE_ATTRIBUTES, FILTERABLE_RELATIONSHIPS)


def _statuses(value: object, *, field: str) -> str:
    items = [value] if isinstance(value, str) else value
    return ",".join(wire_list(items, field=field))


@attrs.frozen(kw_only=True, repr=False)
class OrderFilter(RequestModel):
    """Which orders ``client.orders.list()`` selects; every field set is ANDed, UNSET ones are not sent.

    Ranges take timezone-aware datetimes: ``*_gte`` is inclusive, ``*_lt`` exclusive.
    ``raw={"total_amount_cents_gteq": "10000"}`` sends Ransack predicates orderpatch has not
    typed; each key must be a filterable attribute or relationship path plus a documented
    predicate, or ``ValidationError`` is raised before any request (Commerce Layer would
    otherwise ignore it and list every order).
    """

    #: ``id_in``: these order ids.
    ids: Sequence[str] | Unset = UNSET
    #: ``number_eq`` (one) or ``number_in`` (several).
    number: str | Sequence[str] | Unset = UNSET
    #: ``status_eq`` / ``status_in`` (drafts and pending carts are orders too).
    status: OrderStatus | Sequence[OrderStatus] | Unset = UNSET
    payment_status: PaymentStatus | Sequence[PaymentStatus] | Unset = UNSET
    fulfillment_status: FulfillmentStatus | Sequence[FulfillmentStatus] | Unset = UNSET
    #: ``customer_email_eq``.
    customer_email: str | Unset = UNSET
    #: ``reference_eq``.
    reference: str | Unset = UNSET
    #: ``market_id_eq``.
    market_id: str | Unset = UNSET
    #: ``tags_name_in``: orders carrying any of these tags.
    tags: Sequence[str] | Unset = UNSET
    created_gte: dt.datetime | Unset = UNSET
    created_lt: dt.datetime | Unset = UNSET
    updated_gte: dt.datetime | Unset = UNSET
    updated_lt: dt.datetime | Unset = UNSET
    placed_gte: dt.datetime | Unset = UNSET
    placed_lt: dt.datetime | Unset = UNSET
    #: ``archived_at_null``: ``False`` selects orders not archived, ``True`` archived ones.
    archived: bool | Unset = UNSET
    #: More Ransack predicates by their wire name (``{"coupon_code_present": True}``).
    raw: RawFilters | Unset = UNSET

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.raw is not UNSET:
            check_raw(self.raw, owner="OrderFilter", known=is_filter_name,
                      names=sorted(FILTERABLE_ATTRIBUTES), reserved={_CURSOR: "set by the pager (keyset cursor)"})
        filter_params(self)  # every value checked now, not at the first page


def _raw_value(key: str, value: RawValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return wire_time(value, field=f"OrderFilter.raw.{key}")
    if isinstance(value, (list, tuple)):
        if not _LIST_PREDICATE.fullmatch(key):
            expected = "one value (lists go only with _in, _not_in, _any, _all)"
            raise ValidationError(f"OrderFilter.raw.{key}: expected {expected}", field=f"OrderFilter.raw.{key}",
                                  expected=expected)
        return ",".join(wire_list(value, field=f"OrderFilter.raw.{key}"))
    return wire_text(value, field=f"OrderFilter.raw.{key}")


def filter_params(order_filter: OrderFilter | None) -> dict[str, str]:
    """The ``filter[q][…]`` query parameters of ``order_filter`` (without the pager's cursor)."""
    if order_filter is None:
        return {}
    q: dict[str, str] = {}
    f = order_filter
    if f.ids is not UNSET:
        q["id_in"] = ",".join(wire_list(f.ids, field="OrderFilter.ids"))
    if isinstance(f.number, str):
        q["number_eq"] = wire_text(f.number, field="OrderFilter.number")
    elif f.number is not UNSET:
        q["number_in"] = ",".join(wire_list(f.number, field="OrderFilter.number"))
    for name in ("status", "payment_status", "fulfillment_status"):
        value = getattr(f, name)
        if value is not UNSET:
            key = f"{name}_eq" if isinstance(value, str) else f"{name}_in"
            q[key] = _statuses(value, field=f"OrderFilter.{name}")
    for name, key in (("customer_email", "customer_email_eq"), ("reference", "reference_eq"),
                      ("market_id", "market_id_eq")):
        value = getattr(f, name)
        if value is not UNSET:
            q[key] = wire_text(value, field=f"OrderFilter.{name}")
    if f.tags is not UNSET:
        q["tags_name_in"] = ",".join(wire_list(f.tags, field="OrderFilter.tags"))
    for name, attribute in (("created", "created_at"), ("updated", "updated_at"), ("placed", "placed_at")):
        for bound, predicate in (("gte", "gteq"), ("lt", "lt")):
            value = getattr(f, f"{name}_{bound}")
            if value is not UNSET:
                q[f"{attribute}_{predicate}"] = wire_time(value, field=f"OrderFilter.{name}_{bound}")
    if f.archived is not UNSET:
        q["archived_at_null"] = "false" if f.archived else "true"
    if f.raw is not UNSET:
        for key, value in f.raw.items():
            q[key] = _raw_value(key, value)
    return {f"filter[q][{key}]": value for key, value in q.items()}


def build_retrieve_request(base_url: httpx.URL, order_id: str, *, include: Include | None = None,
                           fields: Fields | None = None) -> Call[Order]:
    """``GET {base}/api/orders/{id}[?include=…&fields[…]=…]``: the same ``Order`` PATCH returns."""
    request = httpx.Request("GET", url_for(base_url, "api", "orders", check_id(order_id),
                                           params=_query(include, fields)), headers={"Accept": JSONAPI})
    return Call(request=request, parse=parse_order, idempotent=True)


def build_list_request(
    base_url: httpx.URL,
    order_filter: OrderFilter | None,
    page_size: int,
    cursor: str | None,
    *,
    include: Include | None = None,
    fields: Fields | None = None,
) -> Call[PageData[Order]]:
    """``GET {base}/api/orders?filter[q][…]&sort=id&page[size]=N&page[number]=1[&filter[q][id_gt]=cursor]``."""
    if order_filter is not None and not isinstance(order_filter, OrderFilter):
        raise ValidationError(
            f"filter: expected orderpatch.commercelayer.OrderFilter, got {type(order_filter).__name__}",
            field="filter", expected="commercelayer.OrderFilter")
    size = check_page_size(page_size, maximum=COMMERCELAYER_MAX_PAGE_SIZE)
    params = filter_params(order_filter)
    if cursor is not None:
        params[f"filter[q][{_CURSOR}]"] = check_id(cursor, field="cursor")
    params.update(_query(include, fields))
    params.update({"sort": "id", "page[size]": str(size), "page[number]": "1"})
    request = httpx.Request("GET", url_for(base_url, "api", "orders", params=params), headers={"Accept": JSONAPI})
    return Call(request=request, parse=lambda payload: parse_order_page(payload, page_size=size), idempotent=True)


def _has_more(document: Mapping[str, JSONValue], count: int, page_size: int) -> bool:
    links = document.get("links")
    if isinstance(links, dict) and links:
        return isinstance(links.get("next"), str) and bool(links["next"])
    meta = document.get("meta")
    if isinstance(meta, dict) and isinstance(meta.get("page_count"), int):
        return meta["page_count"] > 1  # type: ignore[operator]
    return count >= page_size


def _parse_item(index: int, item: JSONValue, included: JSONValue) -> Order:
    """One order of ``data[]``; an error names ``data[index]…`` (or ``included…``), as in the document."""
    try:
        return parse_order({"data": item, "included": included})
    except ShapeError as exc:
        if exc.path[:1] == ("data",):
            exc.path = ("data", index, *exc.path[1:])
        raise


def parse_order_page(payload: JSONValue, *, page_size: int) -> PageData[Order]:
    """A list answer: ``data[]`` as ``Order``s (sharing ``included``), the total and the next cursor."""
    document = payload if isinstance(payload, dict) else {}
    data = document.get("data")
    if not isinstance(data, list):
        raise ShapeError(f"expected a JSON array, got {describe_value(data)}", path=("data",))
    included = document.get("included") or []
    orders = tuple(_parse_item(index, item, included) for index, item in enumerate(data))
    meta = document.get("meta")
    total = meta.get("record_count") if isinstance(meta, dict) else None
    if total is not None and (not isinstance(total, int) or isinstance(total, bool) or total < 0):
        raise ShapeError(f"expected a count, got {describe_value(total)}", path=("meta", "record_count"))
    more = bool(orders) and _has_more(document, len(orders), page_size)
    return PageData(items=orders, total_count=total, next_cursor=orders[-1].id if more else None)
