"""The first page of one order, per vendor: what ``orderpatch check`` reads to prove credentials.

Each vendor's list endpoint answers here with at most one order and its count, after that
vendor's own authentication. They are appended after the vendor's own routes
(``Vendor.application``), so a fuller list emulation declared by the vendor takes precedence.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ._auth import jwt_decode
from ._credentials import SANDBOX_CREDENTIALS, TRUNKERY_SHOP_ID
from ._http import JSONAPI_TYPE, authorization, json_response, reject_json
from ._vendor import Vendor

__all__ = ["probe_routes"]

def _commercelayer(vendor: Vendor) -> Route:
    async def first_page(request: Request) -> Response:
        vendor._authenticate(request)  # type: ignore[attr-defined]
        with vendor.state.lock:
            ids = sorted(vendor.orders)  # type: ignore[attr-defined]
        data = [{"id": order_id, "type": "orders"} for order_id in ids[:1]]
        return json_response({"data": data, "meta": {"record_count": len(ids), "page_count": len(ids)}},
                             media_type=JSONAPI_TYPE)

    return Route("/api/orders", first_page, methods=["GET"])


def _spree(vendor: Vendor) -> Route:
    async def first_page(request: Request) -> Response:
        vendor._authenticate(request)  # type: ignore[attr-defined]
        with vendor.state.lock:
            orders = sorted(vendor.orders.items())  # type: ignore[attr-defined]
        data = [{"id": str(oid), "type": "order", "attributes": {"number": order.get("number")}}
                for oid, order in orders[:1]]
        meta = {"count": len(data), "total_count": len(orders), "total_pages": len(orders)}
        return json_response({"data": data, "meta": meta, "links": {}}, media_type=JSONAPI_TYPE)

    return Route("/api/v2/platform/orders", first_page, methods=["GET"])


def _licensespring(vendor: Vendor) -> Route:
    async def first_page(request: Request) -> Response:
        key = request.headers.get("authorization", "").partition("Api-Key ")[2]
        if key != SANDBOX_CREDENTIALS[vendor.name]["api_key"]:
            raise reject_json({"detail": "Authentication credentials were not provided."}, 403)
        with vendor.state.lock:
            orders = [vendor.orders[oid] for oid in sorted(vendor.orders)]  # type: ignore[attr-defined]
        return json_response({"count": len(orders), "next": None, "previous": None, "results": orders[:1]})

    return Route("/api/v1/orders/", first_page, methods=["GET"])


def _trunkery(vendor: Vendor) -> Route:
    async def first_page(request: Request) -> Response:
        claims = jwt_decode(authorization(request, "Bearer") or "")
        exp = claims.get("exp") if claims else None
        if claims is None or not isinstance(exp, int) or exp <= vendor.state.clock():
            return vendor.error(401, "unauthorized")
        shop_id = request.query_params.get("shop_id")
        if shop_id != claims.get("shop_id") or shop_id != TRUNKERY_SHOP_ID:
            return vendor.error(404, "shop not found")
        with vendor.state.lock:
            orders = [vendor.orders[oid] for oid in sorted(vendor.orders)]  # type: ignore[attr-defined]
        return json_response({"count": len(orders), "items": orders[:1], "last_key": None})

    return Route("/orders/page.json", first_page, methods=["GET"])


_PROBES: dict[str, Callable[[Vendor], Route]] = {
    "commercelayer": _commercelayer,
    "spree": _spree,
    "licensespring": _licensespring,
    "trunkery": _trunkery,
}


def probe_routes(vendor: Vendor) -> list[BaseRoute]:
    """The probe route of ``vendor`` (none for a vendor without one)."""
    make = _PROBES.get(vendor.name)
    return [make(vendor)] if make is not None else []
