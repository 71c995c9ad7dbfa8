"""Trunkery's no-change check: ``GET /orders/page.json?limit=1&shop_id=…`` with the API key (README §12)."""

from __future__ import annotations

from .._http import httpx
from .._probe import Probe, build_probe, count_at
from .._spec import Call
from .._types import JSONValue
from .._validation import check_id

__all__ = ["build_check_request"]


def _shape(payload: JSONValue) -> int | None:
    if isinstance(payload, dict) and isinstance(payload.get("items"), list):  # {count, items, last_key}
        return count_at(payload, "count")
    raise ValueError("expected a page of orders {count, items, last_key}")


def build_check_request(base_url: httpx.URL, shop_id: str) -> Call[Probe]:
    """The probe: the first page of one order of ``shop_id``."""
    shop = check_id(shop_id, field="shop_id")
    return build_probe(base_url, "orders", "page.json", params={"limit": "1", "shop_id": shop}, shape=_shape)
