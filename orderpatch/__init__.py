"""orderpatch: update orders on Commerce Layer, Spree (v2 and Admin API v3), LicenseSpring and Trunkery, typed.

``import orderpatch`` is light: the error classes, the vendor sub-packages and the facade are
loaded on first use (PEP 562 ``__getattr__``); type checkers see everything through the
``TYPE_CHECKING`` imports below.
"""

from __future__ import annotations

import importlib

from ._types import UNSET, OpenEnum, Secret
from ._version import __version__

TYPE_CHECKING = False  # not ``typing``'s: ``import orderpatch`` does not load ``typing`` (see ``_types``)
if TYPE_CHECKING:
    from . import commercelayer, errors, licensespring, spree, spree_admin, trunkery
    from ._base_client import RequestOptions
    from ._config import Config
    from ._facade import (
        Address,
        AsyncOrderPatch,
        CheckResult,
        OrderChanges,
        OrderPatch,
        UpdatedOrder,
        VendorOrder,
        VendorUpdate,
        acheck_connection,
        aupdate_order,
        check_connection,
        update_order,
    )
    from ._facade._reading import OrderFilter, aget_order, aiter_orders, get_order, iter_orders
    from ._ratelimit import AsyncObserver, InMemoryRateLimiter, Rate, RateLimiter
    from ._ratelimit_redis import KeyedRate, RedisRateLimiter, account_key
    from ._response import APIResponse, RateLimitInfo, ResponseMeta
    from ._types import JSONInput, JSONObject, JSONValue, Unset
    from .errors import (
        APIError,
        AuthenticationError,
        ClientClosed,
        ConfigurationError,
        Conflict,
        ConnectionFailed,
        DecodeError,
        ErrorDetail,
        NotFound,
        OrderPatchError,
        PermissionDenied,
        RateLimited,
        ServerError,
        Timeout,
        TransportError,
        UnprocessableEntity,
        UnsupportedChange,
        UnsupportedFilter,
        ValidationError,
    )

_LAZY: dict[str, str] = {
    **dict.fromkeys(("JSONInput", "JSONObject", "JSONValue", "Unset"), "._types"),
    **dict.fromkeys(
        (
            "APIError",
            "AuthenticationError",
            "ClientClosed",
            "ConfigurationError",
            "Conflict",
            "ConnectionFailed",
            "DecodeError",
            "ErrorDetail",
            "NotFound",
            "OrderPatchError",
            "PermissionDenied",
            "RateLimited",
            "ServerError",
            "Timeout",
            "TransportError",
            "UnprocessableEntity",
            "UnsupportedChange",
            "UnsupportedFilter",
            "ValidationError",
        ),
        ".errors",
    ),
    "APIResponse": "._response",
    "RateLimitInfo": "._response",
    "ResponseMeta": "._response",
    "RequestOptions": "._base_client",
    "Config": "._config",
    **dict.fromkeys(("AsyncObserver", "InMemoryRateLimiter", "Rate", "RateLimiter"), "._ratelimit"),
    **dict.fromkeys(("KeyedRate", "RedisRateLimiter", "account_key"), "._ratelimit_redis"),
    **dict.fromkeys(
        ("Address", "AsyncOrderPatch", "OrderChanges", "OrderPatch", "UpdatedOrder", "VendorOrder", "VendorUpdate",
         "aupdate_order", "update_order"),
        "._facade",
    ),
    **dict.fromkeys(("OrderFilter", "aget_order", "aiter_orders", "get_order", "iter_orders"), "._facade._reading"),
    **dict.fromkeys(
        ("CheckResult", "acheck_connection", "check_connection"),
        "._facade",
    ),
}
_SUBMODULES = frozenset({"commercelayer", "errors", "licensespring", "sandbox", "spree", "spree_admin", "trunkery"})

__all__ = [
    "UNSET",
    "APIError",
    "APIResponse",
    "Address",
    "AsyncObserver",
    "AsyncOrderPatch",
    "CheckResult",
    "Config",
    "OrderChanges",
    "OrderPatch",
    "UpdatedOrder",
    "VendorOrder",
    "VendorUpdate",
    "account_key",
    "acheck_connection",
    "aupdate_order",
    "check_connection",
    "update_order",
    "OrderFilter",
    "UnsupportedFilter",
    "aget_order",
    "aiter_orders",
    "get_order",
    "iter_orders",
    "AuthenticationError",
    "ClientClosed",
    "ConfigurationError",
    "Conflict",
    "ConnectionFailed",
    "DecodeError",
    "ErrorDetail",
    "InMemoryRateLimiter",
    "KeyedRate",
    "JSONInput",
    "JSONObject",
    "JSONValue",
    "NotFound",
    "OpenEnum",
    "OrderPatchError",
    "PermissionDenied",
    "Rate",
    "RateLimitInfo",
    "RateLimited",
    "RateLimiter",
    "RedisRateLimiter",
    "RequestOptions",
    "ResponseMeta",
    "Secret",
    "ServerError",
    "Timeout",
    "TransportError",
    "UnprocessableEntity",
    "Unset",
    "UnsupportedChange",
    "ValidationError",
    "__version__",
    "commercelayer",
    "errors",
    "licensespring",
    "spree",
    "spree_admin",
    "trunkery",
]


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module, __name__), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module 'orderpatch' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
