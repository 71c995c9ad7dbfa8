"""Spree Admin API v3, sans I/O: build every order request, read orders, understand error bodies.

Wire rules (``shared/vendors/spree-v3/README.md`` §2, §4, §7, §8):

* Everything lives below ``{base_url}/api/v3/admin``; bodies are flat JSON, always sent with
  ``Content-Type: application/json`` (without it the server permits nothing: 200, no change).
* Every mutating request carries an ``Idempotency-Key``: one per logical call, sent with the
  same body bytes on every attempt. The server replays a stored answer for 24 h, so a call
  whose answer was lost (timeout, reset, 5xx, 409 lock conflict) is safely retried with it.
  ``approve`` is the exception: it has no guard server-side (each run adds an approval record)
  and the replay depends on the server's cache, so it is never repeated.
* Bodies over 100 KB are refused before sending (the server answers 413).
* Errors come as ``{"error": {"code", "message", "details"}}``; ``code`` is an open string.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, TypeAlias, TypeVar

from .._constants import SPREE_ADMIN_MAX_BODY_BYTES, SPREE_ADMIN_MAX_IDEMPOTENCY_KEY
from .._convert import ShapeError, make_converter
from .._http import httpx
from .._scalars import body_reader, defer_scalars
from .._spec import Call, ErrorInfo, VendorSpec, default_describe_error, encode_json, url_for
from .._types import UNSET, JSONValue, Unset
from .._validation import name_list, preview
from ..errors import APIError, ErrorDetail, RateLimited, ValidationError
from ._order import ApiKey, LineItem, Order
from .errors import IdempotencyKeyReused, OrderNotCanceled, RequestTooLarge
from .models import OrderStatus, OrderUpdate, check_prefixed_id

__all__ = [
    "API_PATH", "VENDOR", "Expand", "Fields", "OrderAction", "build_action_request", "build_add_item_request",
    "build_current_api_key_request", "build_remove_item_request", "build_retrieve_request",
    "build_update_item_request", "build_update_request", "converter", "describe_error", "new_idempotency_key",
    "parse_order", "update_body",
]

T = TypeVar("T")
converter = make_converter()
# The order's scalar fields are checked together in C and set on first read (``_scalars``).
SCALARS = defer_scalars(converter, Order)

#: The Admin API's path below the Spree app root.
API_PATH = ("api", "v3", "admin")
#: ``expand=``: associations to embed (``"items"``, ``"fulfillments"``, dot paths up to 4 levels), or one string.
Expand: TypeAlias = str | Sequence[str] | None
#: ``fields=``: top-level attributes to return (``id`` and expanded keys are always kept).
Fields: TypeAlias = str | Sequence[str] | None
#: The order actions with their own endpoint.
OrderAction: TypeAlias = Literal["complete", "cancel", "approve", "resume", "resend_confirmation"]

_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_KEY = re.compile(r"[\x21-\x7e]+")
_JSON = "application/json"
_MAX_EXPAND_DEPTH = 4


# -- idempotency keys and bodies ------------------------------------------------------------------

def new_idempotency_key() -> str:
    """A fresh key for one logical call."""
    return f"orderpatch-{uuid.uuid4()}"


def _key(value: object) -> str:
    if value is None:
        return new_idempotency_key()
    if not isinstance(value, str) or not _KEY.fullmatch(value) or len(value) > SPREE_ADMIN_MAX_IDEMPOTENCY_KEY:
        expected = f"1-{SPREE_ADMIN_MAX_IDEMPOTENCY_KEY} printable ASCII characters without spaces"
        raise ValidationError(f"idempotency_key: expected {expected}, got {preview(value)}",
                              field="idempotency_key", expected=expected)
    return value


def _encoded(body: Mapping[str, object], *, field: str) -> bytes:
    content = encode_json(body)
    if len(content) > SPREE_ADMIN_MAX_BODY_BYTES:
        raise ValidationError(
            f"{field}: the JSON body is {len(content)} bytes; Spree refuses bodies over "
            f"{SPREE_ADMIN_MAX_BODY_BYTES} bytes (413 request_too_large): split the change into several calls",
            field=field, expected=f"a body of at most {SPREE_ADMIN_MAX_BODY_BYTES} bytes")
    return content


def update_body(changes: OrderUpdate) -> dict[str, Any]:
    """The flat JSON body of ``PATCH /orders/{id}``: the fields set in ``changes``, no wrapper."""
    body: dict[str, Any] = converter.unstructure(changes, OrderUpdate)
    return body


# -- query parameters -----------------------------------------------------------------------------

def _names(value: object, *, field: str, dotted: bool) -> list[str]:
    what = ("association paths such as 'items' or 'items.variant' (at most 4 levels)" if dotted
            else "attribute names such as 'number'")
    return name_list(value, field=field, dotted=dotted, name=_NAME, what=what, max_depth=_MAX_EXPAND_DEPTH)


def query_params(expand: Expand, fields: Fields) -> dict[str, str]:
    """``expand`` and ``fields`` as the comma-joined strings Spree splits (an ``expand[]`` array breaks it)."""
    params: dict[str, str] = {}
    if expand is not None and (paths := _names(expand, field="expand", dotted=True)):
        params["expand"] = ",".join(paths)
    if fields is not None and (names := _names(fields, field="fields", dotted=False)):
        params["fields"] = ",".join(names)
    return params


# -- requests -------------------------------------------------------------------------------------

def _url(base_url: httpx.URL, *segments: str, params: Mapping[str, str] | None = None) -> httpx.URL:
    return url_for(base_url, *API_PATH, *segments, params=params)


def _order_id(order_id: object) -> str:
    return str(check_prefixed_id(order_id, "or", field="order_id"))


def _read(url: httpx.URL, parse: Callable[[JSONValue], T], read: Callable[[bytes], T | None] | None = None) -> Call[T]:
    return Call(request=httpx.Request("GET", url, headers={"Accept": _JSON}), parse=parse, idempotent=True, read=read)


def _mutation(method: str, url: httpx.URL, body: Mapping[str, object] | None, parse: Callable[[JSONValue], T], *,
              idempotency_key: str | None, once: bool = False, field: str = "body",
              read: Callable[[bytes], T | None] | None = None) -> Call[T]:
    """A mutating call: JSON content type, the body encoded once, one ``Idempotency-Key`` for every attempt."""
    key = _key(idempotency_key)
    headers = {"Accept": _JSON, "Content-Type": _JSON, "Idempotency-Key": key}
    content = _encoded(body, field=field) if body is not None else None
    request = httpx.Request(method, url, content=content, headers=headers)
    return Call(request=request, parse=parse, idempotent=False, idempotency_key=key, once=once, read=read)


def build_retrieve_request(base_url: httpx.URL, order_id: str, *, expand: Expand = None,
                           fields: Fields = None) -> Call[Order]:
    """``GET /orders/{id}`` (needs ``read_orders``)."""
    path_id = _order_id(order_id)
    return _read(_url(base_url, "orders", path_id, params=query_params(expand, fields)), parse_order, read_order)


def build_update_request(base_url: httpx.URL, order_id: str, changes: OrderUpdate, *, expand: Expand = None,
                         fields: Fields = None, idempotency_key: str | None = None) -> Call[Order]:
    """``PATCH /orders/{id}`` with the flat body of ``changes`` (needs ``write_orders``)."""
    path_id = _order_id(order_id)
    if not isinstance(changes, OrderUpdate):
        raise ValidationError(
            f"changes: expected orderpatch.spree_admin.OrderUpdate, got {type(changes).__name__}"
            + (" (that is the Platform API v2 model; v3 has its own)" if type(changes).__module__.startswith(
                "orderpatch.spree.") else ""),
            field="changes", expected="spree_admin.OrderUpdate")
    url = _url(base_url, "orders", path_id, params=query_params(expand, fields))
    return _mutation("PATCH", url, update_body(changes), parse_order, idempotency_key=idempotency_key,
                     field="changes", read=read_order)


def _flag(value: object, *, field: str) -> bool | Unset:
    if value is UNSET or isinstance(value, bool):
        return value
    raise ValidationError(f"{field}: expected bool or UNSET, got {preview(value)}", field=field, expected="bool")


def build_action_request(
    base_url: httpx.URL, order_id: str, action: OrderAction, *, expand: Expand = None, fields: Fields = None,
    idempotency_key: str | None = None, payment_pending: bool | Unset = UNSET, notify_customer: bool | Unset = UNSET,
) -> Call[Order]:
    """``PATCH /orders/{id}/{complete|cancel|approve|resume}`` or ``POST …/resend_confirmation``.

    ``payment_pending`` and ``notify_customer`` are read by ``complete`` only. ``cancel``'s
    answer is checked: a 200 with an order that is not canceled raises ``OrderNotCanceled``.
    """
    path_id = _order_id(order_id)
    if action not in _ACTIONS:
        raise ValidationError(f"action: expected one of {sorted(_ACTIONS)}, got {preview(action)}",
                              field="action", expected=" | ".join(sorted(_ACTIONS)))
    body: dict[str, object] = {}
    for name, value in (("payment_pending", payment_pending), ("notify_customer", notify_customer)):
        if _flag(value, field=name) is not UNSET:
            if action != "complete":
                raise ValidationError(f"{name}: only complete reads it; {action} would ignore it",
                                      field=name, expected="UNSET")
            body[name] = value
    method = "POST" if action == "resend_confirmation" else "PATCH"
    url = _url(base_url, "orders", path_id, action, params=query_params(expand, fields))
    if action == "cancel":  # its answer is checked: read the usual way
        return _mutation(method, url, body, parse_canceled_order, idempotency_key=idempotency_key)
    return _mutation(method, url, body, parse_order, idempotency_key=idempotency_key, once=action == "approve",
                     read=read_order)


_ACTIONS = frozenset({"complete", "cancel", "approve", "resume", "resend_confirmation"})


def _quantity(value: object, *, field: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value < 2**31:
        return value
    raise ValidationError(f"{field}: expected an int of at least 1, got {preview(value)}", field=field,
                          expected="int >= 1")


def build_add_item_request(base_url: httpx.URL, order_id: str, variant_id: str, quantity: int = 1, *,
                           idempotency_key: str | None = None) -> Call[LineItem]:
    """``POST /orders/{id}/items``: **adds** ``quantity`` to the variant's line (or creates it); 201 LineItem.

    Additive: a repeat would add again, so the one ``Idempotency-Key`` of the call is what
    makes a retry after a lost answer safe (the server replays the first answer).
    """
    path_id = _order_id(order_id)
    variant = check_prefixed_id(variant_id, "variant", field="variant_id")
    body = {"variant_id": variant, "quantity": _quantity(quantity, field="quantity")}
    return _mutation("POST", _url(base_url, "orders", path_id, "items"), body, parse_line_item,
                     idempotency_key=idempotency_key)


def build_update_item_request(base_url: httpx.URL, order_id: str, item_id: str, *, quantity: int | Unset = UNSET,
                              metadata: Mapping[str, object] | Unset = UNSET,
                              idempotency_key: str | None = None) -> Call[LineItem]:
    """``PATCH /orders/{id}/items/{item_id}``: set the quantity (absolute); ``metadata`` alone replaces it."""
    path_id = _order_id(order_id)
    item = str(check_prefixed_id(item_id, "li", field="item_id"))
    body: dict[str, object] = {}
    if quantity is not UNSET:
        body["quantity"] = _quantity(quantity, field="quantity")
    if metadata is not UNSET:
        if not isinstance(metadata, Mapping):
            raise ValidationError(f"metadata: expected a mapping, got {preview(metadata)}", field="metadata",
                                  expected="Mapping[str, JSON]")
        body["metadata"] = dict(metadata)
    if not body:
        raise ValidationError("quantity: give quantity and/or metadata; an empty update changes nothing",
                              field="quantity", expected="int >= 1")
    return _mutation("PATCH", _url(base_url, "orders", path_id, "items", item), body, parse_line_item,
                     idempotency_key=idempotency_key)


def build_remove_item_request(base_url: httpx.URL, order_id: str, item_id: str, *,
                              idempotency_key: str | None = None) -> Call[None]:
    """``DELETE /orders/{id}/items/{item_id}``: 204."""
    path_id = _order_id(order_id)
    item = str(check_prefixed_id(item_id, "li", field="item_id"))
    return _mutation("DELETE", _url(base_url, "orders", path_id, "items", item), None, parse_nothing,
                     idempotency_key=idempotency_key)


def build_current_api_key_request(base_url: httpx.URL) -> Call[ApiKey]:
    """``GET /api_keys/current``: the calling key and its scopes (no scope needed): a self-check."""
    return _read(_url(base_url, "api_keys", "current"), parse_api_key)


# -- responses ------------------------------------------------------------------------------------

def parse_order(payload: JSONValue) -> Order:
    """The ``Order`` of a 200 answer (a bare object, not wrapped)."""
    if isinstance(payload, dict) and "order" in payload and "id" not in payload:
        raise ShapeError("expected a bare order object, got one wrapped in 'order' (a Platform API v2 answer?)")
    return converter.structure(payload, Order)


_read_body = body_reader(converter, Order, SCALARS)


def read_order(content: bytes) -> Order | None:
    """The ``Order`` of a body of the usual shape, as ``parse_order`` gives it, or ``None``.

    An unknown field (a wrapped ``{"order": …}`` answer included), another shape or a value a hook
    refuses gives ``None``: the body is then decoded and parsed as usual, whose result or error
    this stands in for.
    """
    order: Order | None = _read_body(content)
    return order


def parse_canceled_order(payload: JSONValue) -> Order:
    """The order after ``cancel``; ``OrderNotCanceled`` when the 200 left it uncanceled."""
    order = parse_order(payload)
    if order.status is not OrderStatus.CANCELED:
        raise OrderNotCanceled(order)
    return order


def parse_line_item(payload: JSONValue) -> LineItem:
    """A ``LineItem`` answer (201 or 200)."""
    return converter.structure(payload, LineItem)


def parse_api_key(payload: JSONValue) -> ApiKey:
    """The ``ApiKey`` of ``GET /api_keys/current``."""
    return converter.structure(payload, ApiKey)


def parse_nothing(payload: JSONValue) -> None:
    """A 204 answer (or any 2xx body, which is ignored)."""


# -- errors ---------------------------------------------------------------------------------------

_CLASSES: Mapping[str, type[APIError]] = {
    "idempotency_key_reused": IdempotencyKeyReused,
    "request_too_large": RequestTooLarge,
    "rate_limit_exceeded": RateLimited,
}
_HINTS: Mapping[str, str] = {
    "idempotency_key_reused": "the Idempotency-Key was already used for another request; send a new key",
    "authentication_required": "check api_key: a secret key 'sk_…' of this store, not revoked",
    "order_not_found": "the id must be the order's prefixed id 'or_…' in this store; an order number gives 404",
    "cart_already_updated": "another request held the order's lock; retried with the same key",
}


def _details(details: JSONValue) -> tuple[ErrorDetail, ...]:
    if not isinstance(details, dict):
        return ()
    return tuple(
        ErrorDetail(field=field, detail=str(message))
        for field, messages in details.items()
        for message in (messages if isinstance(messages, list) else [messages])
    )


def describe_error(status: int, payload: JSONValue, text: str) -> ErrorInfo:
    """Read the ``{"error": {"code", "message", "details"}}`` envelope; anything else falls back."""
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict):
        return default_describe_error(status, payload, text)
    raw_code = error.get("code")
    code = raw_code if isinstance(raw_code, str) else None
    details = _details(error.get("details"))
    message = error.get("message")
    message = message.strip() if isinstance(message, str) else ""
    if not message:
        message = "; ".join(f"{d.field} {d.detail}" for d in details) or f"HTTP {status} without a message"
    hint = _HINTS.get(str(code))
    if status == 403 and isinstance(error.get("details"), dict):
        scope = error["details"].get("required_scope")  # type: ignore[union-attr]
        if isinstance(scope, str):
            hint = f"the API key needs the scope {scope!r}; scopes are fixed when a key is created"
    return ErrorInfo(message=f"{message} ({hint})" if hint else message, code=code, errors=details,
                     error_class=_CLASSES.get(str(code)) or (RequestTooLarge if status == 413 else None))


VENDOR = VendorSpec(name="spree_admin", describe_error=describe_error, keyed_retry_statuses=frozenset({409, 500}))
