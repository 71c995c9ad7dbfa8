"""LicenseSpring, sans I/O: read one order and select orders (``GET /api/v1/orders/[{id}/]``).

* ``GET /api/v1/orders/{id}/`` answers with the *nested* order: ``customer`` is an object and
  ``order_items[]`` hold the licenses. ``PATCH`` answers with a flat order where ``customer`` is
  an int. Each is modelled as it is (``OrderDetail`` here, ``Order`` for PATCH); neither is
  coerced into the other.
* ``GET /api/v1/orders/`` is a Django REST Framework list: ``{count, next, previous, results}``,
  offset pagination (``limit``/``offset``; no keyset is documented), rows nested like GET. It
  is walked with ``order_by=created_at`` ascending, so orders created during the walk land at
  the end instead of shifting earlier pages; the next page starts at the ``offset`` of ``next``.
* Filters are django-filter lookups. django-filter ignores an undeclared parameter and answers
  with every order, so only the documented names are sent (typed fields, or ``raw=`` keys from
  ``FILTER_NAMES``), and rows of a ``store_id`` selection are checked against the value asked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import parse_qs, urlsplit

import attrs

from .._constants import LICENSESPRING_MAX_PAGE_SIZE
from .._convert import ShapeError
from .._filters import RawFilters, check_raw, wire_list, wire_text
from .._http import httpx
from .._models import RequestModel
from .._pagination import PageData, check_page_size
from .._spec import Call, url_for
from .._types import UNSET, JSONValue, Unset
from .._validation import check_id
from ..errors import ValidationError
from ._codec import converter
from .models import OrderDetail

__all__ = ["FILTER_NAMES", "OrderFilter", "build_list_request", "build_retrieve_request", "filter_params",
           "parse_order_detail", "parse_order_page"]

_ACCOUNT = ("name", "code", "description", "phone", "address", "email", "reference")
#: Every order filter LicenseSpring documents (docs "List orders"; Postman ``is_archived``, ``short_code``).
FILTER_NAMES: tuple[str, ...] = (
    "store_id", "store_id__startswith", "store_id__icontains",
    "customer__email", "customer__email__startswith", "customer__email__icontains", "customer_id",
    "customer_email", "customer_company_name", "customer_company_name__icontains",
    "customer_reference__icontains", "customer_name__icontains", "customer_label__in",
    "customer__account", "customer__account__not",
    *(f"customer__account__{name}" for name in _ACCOUNT),
    *(f"customer__account__{name}__icontains" for name in _ACCOUNT),
    "company", "metadata", "is_archived", "short_code",
)
_KNOWN = frozenset(FILTER_NAMES)
_PAGER = {"limit": "set by page_size", "offset": "set by the pager", "order_by": "the pager sorts by created_at"}
_JSON = {"Accept": "application/json"}


@attrs.frozen(kw_only=True, repr=False)
class OrderFilter(RequestModel):
    """Which orders ``client.orders.list()`` selects; set fields are ANDed, UNSET ones are not sent.

    LicenseSpring documents no status, date or id filters for orders (those exist for licenses
    only); ``raw=`` takes any other documented filter by its wire name (``FILTER_NAMES``), and
    refuses the rest before any request, because LicenseSpring would ignore it and list every order.
    """

    #: ``store_id``: your own order reference, exactly (rows are checked against it).
    store_id: str | Unset = UNSET
    #: ``customer__email``: the customer's email, exactly.
    customer_email: str | Unset = UNSET
    #: ``customer_id``.
    customer_id: int | Unset = UNSET
    #: ``customer_company_name``.
    customer_company_name: str | Unset = UNSET
    #: ``customer_label__in``: customers carrying any of these labels.
    customer_labels: Sequence[str] | Unset = UNSET
    #: ``is_archived`` (Postman collection).
    is_archived: bool | Unset = UNSET
    #: ``short_code`` (Postman collection).
    short_code: str | Unset = UNSET
    #: More documented filters by their wire name (``{"store_id__startswith": "2026-"}``).
    raw: RawFilters | Unset = UNSET

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.raw is not UNSET:
            check_raw(self.raw, owner="OrderFilter", known=_KNOWN.__contains__, names=FILTER_NAMES, reserved=_PAGER)
        filter_params(self)


def filter_params(order_filter: OrderFilter | None) -> dict[str, str]:
    """The query parameters of ``order_filter`` (without ``limit``/``offset``/``order_by``)."""
    if order_filter is None:
        return {}
    f, q = order_filter, {}
    for name, key in (("store_id", "store_id"), ("customer_email", "customer__email"),
                      ("customer_company_name", "customer_company_name"), ("short_code", "short_code")):
        value = getattr(f, name)
        if value is not UNSET:
            q[key] = wire_text(value, field=f"OrderFilter.{name}")
    if f.customer_id is not UNSET:
        q["customer_id"] = wire_text(f.customer_id, field="OrderFilter.customer_id")
    if f.customer_labels is not UNSET:
        q["customer_label__in"] = ",".join(wire_list(f.customer_labels, field="OrderFilter.customer_labels"))
    if f.is_archived is not UNSET:
        q["is_archived"] = "true" if f.is_archived else "false"
    if f.raw is not UNSET:
        for key, value in f.raw.items():
            where = f"OrderFilter.raw.{key}"
            if isinstance(value, bool):
                q[key] = "true" if value else "false"
            elif isinstance(value, (list, tuple)):
                if not key.endswith("__in"):
                    raise ValidationError(f"{where}: expected one value (a list only with __in)", field=where,
                                          expected="one value")
                q[key] = ",".join(wire_list(value, field=where))
            else:
                q[key] = wire_text(value, field=where)
    return q


def parse_order_detail(payload: JSONValue) -> OrderDetail:
    """The nested ``OrderDetail`` of a GET answer."""
    if not isinstance(payload, dict):
        raise ShapeError(f"expected a JSON object holding the order, got {type(payload).__name__}")
    return converter.structure(payload, OrderDetail)


def build_retrieve_request(base_url: httpx.URL, order_id: int | str) -> Call[OrderDetail]:
    """``GET {base}/api/v1/orders/{id}/`` (the trailing slash kept): the nested order."""
    url = url_for(base_url, "api", "v1", "orders", check_id(order_id), trailing_slash=True)
    return Call(request=httpx.Request("GET", url, headers=_JSON), parse=parse_order_detail, idempotent=True)


def _offset(cursor: str | None) -> int:
    if cursor is None:
        return 0
    if not cursor.isdigit():
        raise ValidationError(f"cursor: expected an offset (digits), got {cursor!r:.40}", field="cursor",
                              expected="digits")
    return int(cursor)


def build_list_request(base_url: httpx.URL, order_filter: OrderFilter | None, page_size: int,
                       cursor: str | None) -> Call[PageData[OrderDetail]]:
    """``GET {base}/api/v1/orders/?…&order_by=created_at&limit=N&offset=cursor``."""
    if order_filter is not None and not isinstance(order_filter, OrderFilter):
        raise ValidationError(
            f"filter: expected orderpatch.licensespring.OrderFilter, got {type(order_filter).__name__}",
            field="filter", expected="licensespring.OrderFilter")
    size = check_page_size(page_size, maximum=LICENSESPRING_MAX_PAGE_SIZE)
    offset = _offset(cursor)
    params = {**filter_params(order_filter), "order_by": "created_at", "limit": str(size), "offset": str(offset)}
    store_id = order_filter.store_id if order_filter is not None else UNSET
    url = url_for(base_url, "api", "v1", "orders", trailing_slash=True, params=params)

    def parse(payload: JSONValue) -> PageData[OrderDetail]:
        return parse_order_page(payload, offset=offset, store_id=None if store_id is UNSET else store_id)

    return Call(request=httpx.Request("GET", url, headers=_JSON), parse=parse, idempotent=True)


def _next_offset(next_url: JSONValue, offset: int, count: int) -> str | None:
    if next_url is None:
        return None
    if not isinstance(next_url, str):
        raise ShapeError(f"expected a URL or null for 'next', got {type(next_url).__name__}")
    values = parse_qs(urlsplit(next_url).query).get("offset")
    if values and values[0].isdigit():
        return values[0]
    return str(offset + count)


def parse_order_page(payload: JSONValue, *, offset: int, store_id: str | None = None) -> PageData[OrderDetail]:
    """A list answer: ``results[]`` as ``OrderDetail``s, ``count`` and the next page's offset."""
    if not isinstance(payload, Mapping) or not isinstance(payload.get("results"), list):
        raise ShapeError("expected a page object {count, next, previous, results[]}")
    rows = tuple(parse_order_detail(row) for row in payload["results"])  # type: ignore[union-attr]
    if store_id is not None:
        stray = [row.id for row in rows if row.store_id != store_id]
        if stray:
            raise ShapeError(f"asked for store_id={store_id!r:.60} but got orders {stray[:3]} with another "
                             "store_id: the filter was not applied")
    total = payload.get("count")
    if total is not None and (not isinstance(total, int) or isinstance(total, bool) or total < 0):
        raise ShapeError(f"expected a count for 'count', got {type(total).__name__}")
    cursor = _next_offset(payload.get("next"), offset, len(rows)) if rows else None
    return PageData(items=rows, total_count=total, next_cursor=cursor)
