"""The Spree Admin API v3 no-change check: ``GET /api_keys/current`` (needs no scope, changes nothing).

It proves the base URL, the store (a key of another store is refused with 401) and the key, and
reads the key's scopes: a key that cannot read and update orders fails the check with
``PermissionDenied`` naming the missing scopes, before any update is tried.
"""

from __future__ import annotations

from .._http import httpx
from .._probe import Probe
from .._spec import Call
from .._types import JSONValue
from ..errors import PermissionDenied
from ._codec import VENDOR, build_current_api_key_request, parse_api_key
from ._order import ApiKey

__all__ = ["build_check_request", "missing_scopes"]

#: What the key must hold to update orders.
REQUIRED_SCOPES = ("read_orders", "write_orders")


def missing_scopes(key: ApiKey, scopes: tuple[str, ...] = REQUIRED_SCOPES) -> list[str]:
    """The scopes of ``scopes`` the key lacks (``write_x`` implies ``read_x``; ``write_all`` everything)."""
    return [scope for scope in scopes if not key.allows(scope)]


def build_check_request(base_url: httpx.URL) -> Call[Probe]:
    """The probe: the calling key; ``PermissionDenied`` when it is revoked or lacks an order scope."""
    call = build_current_api_key_request(base_url)
    endpoint = "GET " + call.request.url.path

    def parse(payload: JSONValue) -> Probe:
        key = parse_api_key(payload)
        missing = missing_scopes(key)
        if key.revoked_at is not None or missing:
            why = "is revoked" if key.revoked_at is not None else f"lacks the scope(s) {', '.join(missing)}"
            raise PermissionDenied(
                f"the API key {key.token_prefix or key.id}… {why} (has: {', '.join(key.scopes) or 'none'}); "
                "create a secret key with write_orders (scopes are fixed when a key is created)",
                status=200, vendor=VENDOR.name, code="missing_scope")
        return Probe(endpoint=endpoint, order_count=None)

    return Call(request=call.request, parse=parse, idempotent=True)
