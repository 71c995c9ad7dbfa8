"""Commerce Layer's no-change check: the token, then ``GET /api/orders?page[size]=1`` (one order at most)."""

from __future__ import annotations

from .._http import httpx
from .._probe import Probe, build_probe, count_at
from .._spec import Call
from .._types import JSONValue

__all__ = ["build_check_request"]


def _shape(payload: JSONValue) -> int | None:
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
        raise ValueError("expected a JSON:API list document with a data array")
    return count_at(payload, "meta", "record_count")


def build_check_request(base_url: httpx.URL) -> Call[Probe]:
    """The probe: list one order id (``fields[orders]=id``); ``meta.record_count`` is the order count."""
    return build_probe(base_url, "api", "orders", params={"page[size]": "1", "fields[orders]": "id"},
                       shape=_shape, accept="application/vnd.api+json")
