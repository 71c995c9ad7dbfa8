"""LicenseSpring's no-change check: ``GET /api/v1/orders/?limit=1`` with the Api-Key (one order at most)."""

from __future__ import annotations

from .._http import httpx
from .._probe import Probe, build_probe, count_at
from .._spec import Call
from .._types import JSONValue

__all__ = ["build_check_request"]


def _shape(payload: JSONValue) -> int | None:
    if isinstance(payload, list):  # an unpaginated list
        return len(payload)
    if isinstance(payload, dict) and isinstance(payload.get("results"), list):  # DRF's paginated form
        return count_at(payload, "count")
    raise ValueError("expected a list of orders, or {count, results}")


def build_check_request(base_url: httpx.URL) -> Call[Probe]:
    """The probe: the order list's first page of one (the trailing slash is required)."""
    return build_probe(base_url, "api", "v1", "orders", params={"limit": "1"}, shape=_shape, trailing_slash=True)
