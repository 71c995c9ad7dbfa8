"""Reading orders in the sandbox: retrieve and list, for the four vendors, as each vendor does.

Each vendor module adds ``*read_routes(self)`` to its routes; the handlers live here so that the
update emulation stays where it was. What each list emulates (``shared/vendors/*/README.md``,
"Reading, listing and selecting orders"):

* Commerce Layer: ``GET /api/orders`` with ``filter[q][<attribute>_<predicate>]`` (Ransack),
  ``sort``, ``page[size]`` (default 10, at most 25) and ``page[number]``; ``meta.record_count``
  and ``page_count``; ``links.next`` only when a next page exists.
* Spree: ``GET /api/v2/platform/orders`` with ``filter[…]`` (Ransack over the order whitelist,
  ``_in`` as ``[]`` arrays), ``sort``, ``per_page`` (default 25; outside 1 to 500 back to 25) and
  ``page``; ``meta.count/total_count/total_pages``; ``links.next`` never null.
* LicenseSpring: ``GET /api/v1/orders/`` with django-filter lookups, ``order_by``, ``limit``
  (default 20) and ``offset``; ``{count, next, previous, results}``, rows nested like GET.
* Trunkery: ``GET orders.json?ids=`` and ``GET orders/page.json`` with ``type``, ``cart``,
  ``*_min``/``*_max`` ranges, ``sort_by``/``sort_desc``, ``limit`` (default 20), ``offset`` and
  ``last_key`` (returned only when ``sort_by`` is set); ``{count, items, last_key}``.

Every vendor answers an **unknown filter by ignoring it**: the whole collection comes back. The
sandbox does the same, so tests prove that the SDK refuses such filters before sending them.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ._credentials import SANDBOX_CREDENTIALS, TRUNKERY_SHOP_ID
from ._http import JSONAPI_TYPE, Document, Reject, authorization, csv_param, json_response, parse_timestamp, reject_json
from ._ransack import matches

if TYPE_CHECKING:
    from ._state import SandboxState
    from ._vendor import Vendor

__all__ = ["commercelayer_read_routes", "licensespring_read_routes", "spree_read_routes", "trunkery_read_routes"]

Handler = Callable[[Request], Any]


# What the handlers read of a vendor emulation, so that this module imports none of them (the
# vendor modules import it): structural types, satisfied by ``_commercelayer.CommerceLayer`` & co.

class _Orders(Protocol):
    """A vendor emulation's seeded and generated orders, under its state's lock."""

    @property
    def state(self) -> SandboxState: ...
    @property
    def name(self) -> str: ...
    @property
    def orders(self) -> Mapping[Any, Document]: ...


class _CommerceLayerOrders(_Orders, Protocol):
    @property
    def resources(self) -> Mapping[tuple[str, str], Document]: ...
    def _authenticate(self, request: Request) -> object: ...
    def _read_query(self, request: Request) -> tuple[list[str], dict[str, list[str]]]: ...
    def _render(self, request: Request, order_id: str, order: Document, include: list[str],
                fields: dict[str, list[str]]) -> Document: ...


class _SpreeOrders(_Orders, Protocol):
    def _authenticate(self, request: Request) -> None: ...
    def _find(self, order_id: str) -> Document: ...
    def _read_include(self, request: Request) -> list[str]: ...
    def _respond(self, request: Request, order: Document, include: list[str]) -> Response: ...
    def resource_of(self, order: Document, fields: list[str] | None) -> Document: ...
    def _included(self, order: Document, include: list[str]) -> list[Document]: ...


def _int_param(request: Request, name: str, default: int) -> int:
    text = request.query_params.get(name)
    return int(text) if text is not None and text.isdigit() else default


def _url(request: Request, **changes: int) -> str:
    params = dict(request.query_params)
    params.update({key.replace("_", "[", 1) + "]" if key.startswith("page_") else key: str(value)
                   for key, value in changes.items()})
    return f"{request.url.scheme}://{request.url.netloc}{request.url.path}?{urlencode(params)}"


def _sort_key(view: Mapping[str, object], field: str) -> tuple[int, object]:
    value = view.get(field)
    if isinstance(value, str) and value.endswith("Z"):
        parsed = parse_timestamp(value)
        if parsed is not None:
            return (1, parsed.timestamp())
    if isinstance(value, bool) or value is None:
        return (0, 0) if value is None else (1, int(value))
    return (1, value)


def _sorted(rows: list[tuple[Mapping[str, object], Any]], sort: str | None, allowed: Iterable[str] | None) -> None:
    """Sort ``rows`` (view, payload) in place by ``sort=f1,-f2``; fields not ``allowed`` are skipped."""
    if not sort:
        return
    names = set(allowed) if allowed is not None else None
    for part in reversed([p for p in sort.split(",") if p]):
        field, descending = part.lstrip("-"), part.startswith("-")
        if names is not None and field not in names:
            continue
        rows.sort(key=lambda row, f=field: _sort_key(row[0], f), reverse=descending)  # type: ignore[misc]


def _filtered(rows: list[tuple[Mapping[str, object], Any]],
              conditions: list[tuple[str, list[str]]]) -> list[tuple[Mapping[str, object], Any]]:
    """The rows every condition keeps; a dropped condition (``None``) keeps everything."""
    return [row for row in rows if all(matches(row[0], key, values) is not False for key, values in conditions)]


# -- Commerce Layer -----------------------------------------------------------------------------

def _cl_view(vendor: _CommerceLayerOrders, order_id: str, order: Document) -> dict[str, object]:
    view: dict[str, object] = {**order["attributes"], "id": order_id}
    for name, link in order["links"].items():
        if isinstance(link, tuple):
            view[f"{name}_id"] = link[1]
        elif isinstance(link, list) and name == "tags":
            view["tags_name"] = [vendor.resources.get(tag, {}).get("name") for tag in link]
            view["tags_id"] = [tag[1] for tag in link]
    return view


def _cl_accept(request: Request) -> None:
    from . import _commercelayer_model as model

    accept = request.headers.get("accept")
    ranges = {part.split(";", 1)[0].strip().lower() for part in (accept or "").split(",")}
    if accept is not None and not ranges & {JSONAPI_TYPE, "*/*", "application/*"}:
        raise model.reject(406, "NOT_ACCEPTABLE", "Not acceptable", f"This request specified '{accept}'.")


def commercelayer_read_routes(vendor: _CommerceLayerOrders) -> list[BaseRoute]:
    """``GET /api/orders`` and ``GET /api/orders/{order_id}``."""
    from . import _commercelayer_model as model

    async def retrieve(request: Request) -> Response:
        vendor._authenticate(request)
        _cl_accept(request)
        include, fields = vendor._read_query(request)
        order_id = request.path_params["order_id"]
        with vendor.state.lock:
            order = vendor.orders.get(order_id)
            if order is None:
                detail = "The requested resource was not found. Please double-check the resource id."
                raise model.reject(404, "RECORD_NOT_FOUND", "Record not found", detail)
            document = vendor._render(request, order_id, order, include, fields)
        return json_response(document, media_type=JSONAPI_TYPE)

    async def listing(request: Request) -> Response:
        vendor._authenticate(request)
        _cl_accept(request)
        include, fields = vendor._read_query(request)
        conditions = [(key[len("filter[q]["):-1], (value.split(",") if key.endswith(("_in]", "_any]", "_all]"))
                                                   else [value]))
                      for key, value in request.query_params.multi_items()
                      if key.startswith("filter[q][") and key.endswith("]")]
        size = min(25, max(1, _int_param(request, "page[size]", 10)))
        number = max(1, _int_param(request, "page[number]", 1))
        with vendor.state.lock:
            rows = _filtered([(_cl_view(vendor, oid, order), oid) for oid, order in vendor.orders.items()],
                             conditions)
            _sorted(rows, request.query_params.get("sort"), None)
            chosen = rows[(number - 1) * size: number * size]
            documents = [vendor._render(request, oid, vendor.orders[oid], include, fields) for _, oid in chosen]
        pages = math.ceil(len(rows) / size)
        links: Document = {"first": _url(request, page_number=1), "last": _url(request, page_number=max(1, pages))}
        if number > 1:
            links["prev"] = _url(request, page_number=number - 1)
        if number < pages:
            links["next"] = _url(request, page_number=number + 1)
        body: Document = {"data": [d["data"] for d in documents], "meta": {"record_count": len(rows),
                                                                         "page_count": pages}, "links": links}
        if include:
            seen: dict[tuple[str, str], Document] = {}
            for document in documents:
                for resource in document.get("included", []):
                    seen.setdefault((resource["type"], resource["id"]), resource)
            body["included"] = list(seen.values())
        return json_response(body, media_type=JSONAPI_TYPE)

    return [Route("/api/orders", listing, methods=["GET"]),
            Route("/api/orders/{order_id}", retrieve, methods=["GET"])]


# -- Spree --------------------------------------------------------------------------------------

#: ``Spree::Order`` ransackable attributes (defaults plus the whitelist) and associations' ids.
_SPREE_RANSACKABLE = ("id", "name", "created_at", "updated_at", "completed_at", "email", "number", "state",
                      "payment_state", "shipment_state", "total", "item_total", "item_count", "considered_risky",
                      "channel")
_SPREE_SORTABLE = ("id", "name", "slug", "number", "position", "updated_at", "created_at", "deleted_at", "total",
                   "payment_total", "item_total", "shipment_total", "adjustment_total", "promo_total",
                   "included_tax_total", "additional_tax_total", "item_count", "tax_total", "completed_at")


def _spree_view(order: Document) -> dict[str, object]:
    view: dict[str, object] = {name: order.get(name) for name in _SPREE_RANSACKABLE}
    for name in ("total", "item_total"):
        if isinstance(view[name], str):
            view[name] = float(str(view[name]))
    view["user_id"] = order.get("user_id")
    view["store_id"] = order.get("store_id")
    return view


def spree_read_routes(vendor: _SpreeOrders) -> list[BaseRoute]:
    """``GET /api/v2/platform/orders`` and ``GET /api/v2/platform/orders/{order_id}``."""

    async def retrieve(request: Request) -> Response:
        vendor._authenticate(request)
        include = vendor._read_include(request)
        with vendor.state.lock:
            return vendor._respond(request, vendor._find(request.path_params["order_id"]), include)

    async def listing(request: Request) -> Response:
        vendor._authenticate(request)
        include = vendor._read_include(request)
        grouped: dict[str, list[str]] = {}
        for key, value in request.query_params.multi_items():
            if key.startswith("filter[") and key.endswith("]"):
                grouped.setdefault(key[len("filter["):].removesuffix("][]").removesuffix("]"), []).append(value)
        per_page = _int_param(request, "per_page", 25)
        per_page = per_page if 1 <= per_page <= 500 else 25
        page = max(1, _int_param(request, "page", 1))
        with vendor.state.lock:
            rows = _filtered([(_spree_view(order), order) for order in vendor.orders.values()], list(grouped.items()))
            _sorted(rows, request.query_params.get("sort"), _SPREE_SORTABLE)
            chosen = rows[(page - 1) * per_page: page * per_page]
            fields = csv_param(request, "fields[order]")
            data = [vendor.resource_of(order, fields) for _, order in chosen]
            included = [r for _, order in chosen for r in vendor._included(order, include)] if include else []
        total_pages = max(1, math.ceil(len(rows) / per_page))
        links = {"self": _url(request, page=page), "next": _url(request, page=min(page + 1, total_pages)),
                 "prev": _url(request, page=max(1, page - 1)), "last": _url(request, page=total_pages),
                 "first": _url(request, page=1)}
        body: Document = {"data": data, "meta": {"count": len(data), "total_count": len(rows),
                                                 "total_pages": total_pages}, "links": links}
        if include:
            body["included"] = included
        return json_response(body, media_type=JSONAPI_TYPE)

    return [Route("/api/v2/platform/orders", listing, methods=["GET"]),
            Route("/api/v2/platform/orders/{order_id}", retrieve, methods=["GET"])]


# -- LicenseSpring ------------------------------------------------------------------------------

_LS_CUSTOMER_FIELDS = ("customer_email", "customer_first_name", "customer_last_name", "customer_company",
                       "customer_phone", "customer_reference", "customer_account", "license_users")


def licensespring_detail(order: Document) -> Document:
    """The nested GET shape: ``customer`` an object (PATCH has its id), ``order_items`` with licenses."""
    customer_id = order.get("customer")
    customer = None if customer_id is None else {
        "id": customer_id, "email": order.get("customer_email"), "first_name": order.get("customer_first_name"),
        "last_name": order.get("customer_last_name"), "company_name": order.get("customer_company"),
        "phone": order.get("customer_phone"), "reference": order.get("customer_reference"), "total_orders": 1,
        "total_licenses": 0, "labels": [], "metadata": {}, "company": order.get("company"),
    }
    detail = {key: value for key, value in order.items() if key not in _LS_CUSTOMER_FIELDS and key != "customer"}
    return {"order_items": [], **detail, "customer": customer, "has_active_licenses": False}


#: django-filter lookups of the order list: the documented name → (order field, lookup).
_LS_FILTERS: dict[str, tuple[str, str]] = {
    "store_id": ("store_id", "exact"), "store_id__startswith": ("store_id", "startswith"),
    "store_id__icontains": ("store_id", "icontains"), "customer__email": ("customer_email", "exact"),
    "customer__email__startswith": ("customer_email", "startswith"),
    "customer__email__icontains": ("customer_email", "icontains"), "customer_email": ("customer_email", "exact"),
    "customer_id": ("customer", "exact"), "customer_company_name": ("customer_company", "exact"),
    "customer_company_name__icontains": ("customer_company", "icontains"), "company": ("company", "exact"),
    "is_archived": ("is_archived", "exact"), "short_code": ("short_code", "exact"),
}


def _ls_keep(order: Document, field: str, lookup: str, text: str) -> bool:
    value = order.get(field)
    if isinstance(value, bool):
        return value == (text.lower() in ("true", "1"))
    shown = "" if value is None else str(value)
    if lookup == "startswith":
        return shown.startswith(text)
    if lookup == "icontains":
        return text.lower() in shown.lower()
    return shown == text


def licensespring_read_routes(vendor: _Orders) -> list[BaseRoute]:
    """``GET /api/v1/orders/`` (the detail GET is answered by the order route itself)."""

    async def listing(request: Request) -> Response:
        if request.headers.get("authorization", "").partition("Api-Key ")[2] != \
                SANDBOX_CREDENTIALS[vendor.name]["api_key"]:
            raise reject_json({"detail": "Authentication credentials were not provided."}, 403)
        limit = max(1, _int_param(request, "limit", 20))
        offset = _int_param(request, "offset", 0)
        with vendor.state.lock:
            orders = list(vendor.orders.values())
            for name, text in request.query_params.items():
                rule = _LS_FILTERS.get(name)  # an undeclared parameter is ignored, as django-filter does
                if rule is not None and text != "":
                    orders = [order for order in orders if _ls_keep(order, *rule, text)]
            order_by = request.query_params.get("order_by", "")
            if order_by.lstrip("-") in ("created_at", "updated_at", "id"):
                field = order_by.lstrip("-")
                orders.sort(key=lambda order: str(order.get(field)), reverse=order_by.startswith("-"))
            rows = [licensespring_detail(order) for order in orders[offset: offset + limit]]
        base = f"{request.url.scheme}://{request.url.netloc}{request.url.path}"
        other = {k: v for k, v in request.query_params.items() if k not in ("limit", "offset")}

        def link(at: int) -> str:
            return f"{base}?{urlencode({**other, 'limit': limit, 'offset': at})}"

        body = {"count": len(orders), "next": link(offset + limit) if offset + limit < len(orders) else None,
                "previous": link(max(0, offset - limit)) if offset > 0 else None, "results": rows}
        return json_response(body)

    return [Route("/api/v1/orders/", listing, methods=["GET"])]


# -- Trunkery -----------------------------------------------------------------------------------

def _lana_error(code: int, message: str, status: int, field: str | None = None) -> Reject:
    body: Document = {"code": code, "message": message}
    if field is not None:
        body["field"] = field
    return Reject(json_response(body, status))


def _trunkery_reader(request: Request) -> Document:
    """A token that may read: valid ``exp`` (``wexp`` only limits writes) and the ``orders.read`` bit."""
    from ._auth import jwt_decode

    token = authorization(request, "Bearer")
    if token is None:
        raise _lana_error(401, "unauthorized", 401)
    claims = jwt_decode(token)
    if claims is None or not isinstance(claims.get("exp"), int) or claims["exp"] <= _now():
        raise _lana_error(999, "JWT validation failed", 401)
    if "orders.read" not in claims.get("permissions", []):
        raise Reject(json_response({"code": 997, "message": "no permissions", "meta": {"bits": ["orders.read"]}},
                                   403))
    shop_id = request.query_params.get("shop_id")
    if not shop_id:
        raise Reject(json_response({"code": 1000, "message": "invalid input", "field": "shop_id",
                                    "meta": {"fields": [{"field": "shop_id", "problem": "mandatory"}]}}, 400))
    if shop_id != claims.get("shop_id") or shop_id != TRUNKERY_SHOP_ID:
        raise _lana_error(404, "shop not found", 404, "shop_id")
    return claims


def _now() -> float:
    import time

    return time.time()


def _lana_type(order: Document, kind: str) -> bool:
    checks: dict[str, bool] = {
        "any": True, "open": order["closed_at"] is None and order["canceled_at"] is None,
        "paid": order["financial_status"] == "paid", "unpaid": order["financial_status"] != "paid",
        "unfulfilled": order["fulfillment_status"] != "fulfilled", "canceled": order["canceled_at"] is not None,
        "archived": order["closed_at"] is not None, "draft": order["state"] == "draft",
        "abandoned": order["abandoned_at"] is not None,
    }
    return checks.get(kind, True)


def _within(value: object, low: str | None, high: str | None) -> bool:
    moment = parse_timestamp(value) if isinstance(value, str) else None
    if low is not None or high is not None:
        if moment is None:
            return False
        lower, upper = parse_timestamp(low) if low else None, parse_timestamp(high) if high else None
        if (lower is not None and moment < lower) or (upper is not None and moment > upper):
            return False
    return True


def _encode_key(value: object, order_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([value, order_id]).encode()).decode().rstrip("=")


def _decode_key(key: str) -> tuple[object, str] | None:
    try:
        value, order_id = json.loads(base64.urlsafe_b64decode(key + "=" * (-len(key) % 4)))
    except (binascii.Error, ValueError, TypeError):
        return None
    return (value, str(order_id))


def trunkery_read_routes(vendor: _Orders) -> list[BaseRoute]:
    """``GET orders.json`` (by ids) and ``GET orders/page.json`` (ordersPage)."""

    async def by_ids(request: Request) -> Response:
        _trunkery_reader(request)
        ids = csv_param(request, "ids") or []
        loose = request.query_params.get("loose") == "true"
        fields = csv_param(request, "fields")
        with vendor.state.lock:
            found = [vendor.orders[i] for i in ids if i in vendor.orders]
            if len(found) < len(ids) and not loose:
                raise _lana_error(404, "not found", 404, "ids")
            items = [{k: v for k, v in o.items() if fields is None or k in fields} for o in found]
        return json_response(items)

    async def page(request: Request) -> Response:
        _trunkery_reader(request)
        query = request.query_params
        sort_by = query.get("sort_by") if query.get("sort_by") in ("created_at", "updated_at") else None
        descending = query.get("sort_desc") == "true"
        limit = max(1, _int_param(request, "limit", 20))
        with vendor.state.lock:
            orders = list(vendor.orders.values())
            carts = query.get("cart") == "true"
            orders = [o for o in orders if (o["state"] == "cart") == carts and _lana_type(o, query.get("type", "any"))]
            for name in ("created_at", "updated_at", "paid_at"):
                low, high = query.get(f"{name}_min"), query.get(f"{name}_max")
                orders = [o for o in orders if _within(o.get(name), low, high)]
            for name in ("customer_id", "sales_channel_id", "subscription_id"):
                wanted = query.get(name)
                if wanted:
                    field = name.removesuffix("_id")
                    orders = [o for o in orders if isinstance(o.get(field), dict) and o[field].get("id") == wanted]
            total = len(orders)
            if sort_by is not None:
                orders.sort(key=lambda o: (_sort_key(o, sort_by), o["id"]), reverse=descending)
                key = _decode_key(query.get("last_key", "")) if query.get("last_key") else None
                if key is not None:
                    after = (_sort_key({"v": key[0]}, "v"), key[1])
                    orders = [o for o in orders if ((_sort_key(o, sort_by), o["id"]) < after if descending
                                                    else (_sort_key(o, sort_by), o["id"]) > after)]
            offset = _int_param(request, "offset", 0)
            items = orders[offset: offset + limit]
        body: Document = {"count": total, "items": items}
        if sort_by is not None and items:
            body["last_key"] = _encode_key(items[-1][sort_by], items[-1]["id"])
        return json_response(body)

    return [Route("/orders.json", by_ids, methods=["GET"]), Route("/orders/page.json", page, methods=["GET"])]


def admin_order_routes(vendors: Mapping[str, Vendor], ids_of: Callable[[Vendor], list[str]]) -> list[BaseRoute]:
    """``GET /_sandbox/orders?vendor=V``: the ids of that vendor's orders (seeded and generated)."""

    async def listing(request: Request) -> Response:
        name = request.query_params.get("vendor")
        vendor = vendors.get(name or "")
        if vendor is None:
            return json_response({"error": f"vendor: expected one of {', '.join(vendors)}, got {name!r}"}, 400)
        with vendor.state.lock:
            ids = ids_of(vendor)
        return json_response({"vendor": name, "count": len(ids), "ids": ids})

    return [Route("/orders", listing, methods=["GET"])]
