"""Many orders at once, for bulk jobs and benchmarks: copies of each vendor's seeded editable order.

``POST /_sandbox/orders`` with ``{"vendor": "spree", "count": 1000}`` (or
``Sandbox.add_orders("spree", 1000)``) adds that many orders and answers with their ids, in the
form each vendor uses (Commerce Layer 10-character ids, Spree numbers, LicenseSpring integers,
Trunkery and Spree Admin v3 ``or_…`` ids). The copies are made under the state lock and survive until a reset.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ._http import BodyError, json_response, parse_json
from ._vendor import Vendor

__all__ = ["MAX_ADDED_ORDERS", "add_orders", "orders_route"]

#: The most orders one call may add.
MAX_ADDED_ORDERS: Final = 100_000


def _commercelayer(vendor: Any, n: int) -> str:
    template = next(iter(vendor.orders.values()))
    order_id = f"Bulk{n:06d}"
    order = copy.deepcopy(template)
    order["attributes"].update(number=str(500000 + n), archived_at=None)  # a fresh order: not archived
    vendor.orders[order_id] = order
    return order_id


def _spree(vendor: Any, n: int) -> str:
    template = next(order for order in vendor.orders.values() if order["state"] != "complete")
    oid = 900_000 + n
    order = copy.deepcopy(template)
    order.update(id=oid, number=f"R{900_000_000 + n}", token=f"tok{oid:06d}")
    vendor.orders[oid] = order
    return str(order["number"])


def _licensespring(vendor: Any, n: int) -> str:
    template = next(iter(vendor.orders.values()))
    oid = 1_700_000_000_000_000 + n
    order = copy.deepcopy(template)
    order["id"] = oid
    vendor.orders[oid] = order
    return str(oid)


def _trunkery(vendor: Any, n: int) -> str:
    template = next(order for order in vendor.orders.values() if order["state"] == "cart")
    order_id = f"or_Bulk{n:06d}"
    order = copy.deepcopy(template)
    order.update(id=order_id, number=vendor.next_number, draft_number=vendor.next_number,
                 uuid=f"00000000-0000-4000-8000-{n:012d}")
    vendor.next_number += 1
    vendor.orders[order_id] = order
    return order_id


def _spree_admin(vendor: Any, n: int) -> str:
    template = next(order for order in vendor.orders.values() if order["status"] == "draft")
    sqid = f"Bulk{n:06d}"
    order = copy.deepcopy(template)
    order.update(id=f"or_{sqid}", number=f"R{700_000_000 + n}", email=f"r{700_000_000 + n}@example.com")
    order["items"] = [{**item, "id": f"li_{sqid}{index}"} for index, item in enumerate(order["items"])]
    vendor.orders[sqid] = order
    return str(order["id"])


_MAKERS: Final = {"commercelayer": _commercelayer, "spree": _spree, "licensespring": _licensespring,
                  "trunkery": _trunkery, "spree_admin": _spree_admin}


def add_orders(vendors: Mapping[str, Vendor], vendor: object, count: object) -> list[str]:
    """Add ``count`` copies of ``vendor``'s editable seed order; their ids. ``ValueError`` for bad arguments."""
    if not isinstance(vendor, str) or vendor not in vendors or vendor not in _MAKERS:
        raise ValueError(f"vendor: expected one of {sorted(set(_MAKERS) & set(vendors))}, got {vendor!r}")
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_ADDED_ORDERS:
        raise ValueError(f"count: expected a whole number from 1 to {MAX_ADDED_ORDERS}, got {count!r}")
    target = vendors[vendor]
    make = _MAKERS[vendor]
    with target.state.lock:
        return [make(target, target.state.next_number()) for _ in range(count)]


def orders_route(vendors: Mapping[str, Vendor]) -> BaseRoute:
    """``POST /_sandbox/orders`` ``{"vendor": ..., "count": ...}`` → ``{"count": n, "ids": [...]}``."""

    async def orders(request: Request) -> Response:
        try:
            data = parse_json(await request.body())
            if not isinstance(data, dict):
                raise BodyError('expected {"vendor": NAME, "count": N}')
            ids = add_orders(vendors, data.get("vendor"), data.get("count"))
        except ValueError as exc:  # BodyError is a ValueError too
            return json_response({"error": str(exc)}, 400)
        return json_response({"count": len(ids), "ids": ids})

    return Route("/orders", orders, methods=["POST"])
