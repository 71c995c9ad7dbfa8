"""LicenseSpring, sans I/O: build the update request, read the order, understand error bodies.

Error bodies are not uniform: the docs show ``{"message": …}`` for 404, a real 403 shows
``{"detail": …}``, and validation errors from its Django REST Framework backend are most likely
``{"<field>": ["msg", …]}`` or ``{"non_field_errors": […]}``. All three are understood.
"""

from __future__ import annotations

from .._convert import make_converter
from .._http import httpx
from .._spec import Call, ErrorInfo, VendorSpec, encode_json, text_summary, url_for
from .._types import JSONValue
from .._validation import check_id
from ..errors import ErrorDetail, ValidationError
from .models import Order, OrderUpdate

__all__ = ["VENDOR", "build_update_request", "converter", "describe_error", "parse_order"]

converter = make_converter()


def describe_error(status: int, payload: JSONValue, text: str) -> ErrorInfo:
    """Read ``{"message"}``, ``{"detail"}`` or DRF field errors into the core's error fields."""
    if isinstance(payload, dict):
        for key in ("message", "detail"):
            value = payload.get(key)
            if isinstance(value, str) and value:
                code = payload.get("code")
                return ErrorInfo(message=value, code=code if isinstance(code, str) else None)
        details = tuple(
            ErrorDetail(field=None if field == "non_field_errors" else field, detail=str(message))
            for field, messages in payload.items()
            for message in (messages if isinstance(messages, list) else [messages])
        )
        if details:
            summary = "; ".join(f"{d.field}: {d.detail}" if d.field else str(d.detail) for d in details)
            return ErrorInfo(message=summary, errors=details)
    snippet = text_summary(text)
    return ErrorInfo(message=snippet or httpx.codes.get_reason_phrase(status) or f"HTTP {status}")


VENDOR = VendorSpec(name="licensespring", describe_error=describe_error)


def parse_order(payload: JSONValue) -> Order:
    """The ``Order`` of a 200 answer."""
    return converter.structure(payload, Order)


def build_update_request(base_url: httpx.URL, order_id: int | str, changes: OrderUpdate) -> Call[Order]:
    """``PATCH {base}/api/v1/orders/{id}/`` (the trailing slash is required) with the changed fields."""
    if not isinstance(changes, OrderUpdate):
        raise ValidationError(
            f"changes: expected orderpatch.licensespring.OrderUpdate, got {type(changes).__name__}",
            field="changes",
            expected="licensespring.OrderUpdate",
        )
    path_id = check_id(order_id)
    request = httpx.Request(
        "PATCH",
        url_for(base_url, "api", "v1", "orders", path_id, trailing_slash=True),
        content=encode_json(converter.unstructure(changes)),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    # PATCH of the same fields is naturally idempotent; LicenseSpring documents no idempotency key.
    return Call(request=request, parse=parse_order, idempotent=True)
