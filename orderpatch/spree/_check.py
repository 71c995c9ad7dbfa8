"""Spree's no-change check: the OAuth token, then ``GET /api/v2/platform/orders?per_page=1``."""

from __future__ import annotations

from .._http import httpx
from .._probe import Probe, build_probe, count_at
from .._spec import Call
from .._types import JSONValue

__all__ = ["build_check_request"]


def _shape(payload: JSONValue) -> int | None:
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
        raise ValueError("expected a JSON:API list document with a data array")
    return count_at(payload, "meta", "total_count")


def build_check_request(base_url: httpx.URL) -> Call[Probe]:
    """The probe: one order's number (``fields[order]=number``); ``meta.total_count`` is the order count."""
    return build_probe(base_url, "api", "v2", "platform", "orders",
                       params={"per_page": "1", "fields[order]": "number"}, shape=_shape)
