"""Trunkery (Lana Commerce), sans I/O: build the modify request, read the order, understand errors.

``POST {host}/orders.json?ids=<one id>&shop_id=<shop>`` with a one-element JSON array body is
``ordersModify``; **the same method and path without ``ids`` is ``ordersCreate``**, so the id
is checked hard before anything is built, and the answer must be exactly one order, the one
asked for. Errors are ``{code, message?, field?, meta?}`` objects with numeric codes (also
accepted wrapped as the relay's ``{status, error}``); they map to the core's error classes.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import json
import re
import typing
import uuid
from collections.abc import Sequence
from typing import cast

import attrs

from .._base_client import RequestOptions
from .._convert import ShapeError, make_converter, shape_error_at
from .._http import httpx
from .._mirror import defer_nested, register_mirror
from .._models import WIRE_NAME
from .._scalars import body_reader, defer_scalars
from .._spec import Call, ErrorInfo, VendorSpec, encode_json, text_summary, url_for
from .._types import JSONValue, Secret
from .._validation import check_id, preview
from ..errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    Conflict,
    ErrorDetail,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServerError,
    UnprocessableEntity,
    ValidationError,
)
from ._enums import ErrorCode
from ._order import Order
from ._refs import Ref, RefMirror, structure_ref
from .models import OrderModify

__all__ = [
    "VENDOR", "ModifyOptions", "build_modify_request", "converter", "default_shop_id", "describe_error",
    "parse_modify_response", "shop_id_from_token",
]

converter = make_converter()
converter.register_structure_hook(Ref, structure_ref)
# The order's nested models (addresses, line items, totals, …: most callers read few of them)
# are checked in C against msgspec mirrors when the answer is parsed and built on first read
# (``_mirror``); a value its mirror does not vouch for is structured at once, as before.
register_mirror(Ref, RefMirror, structure_ref)
DEFERRED = defer_nested(converter, Order)
# Its scalar attributes are checked together in C and set on first read (``_scalars``).
SCALARS = defer_scalars(converter, Order)

# The usual answer decoded straight into a struct of the order (``_scalars.body_reader``).
_read_body = body_reader(converter, Order, SCALARS, one_in_array=True)

# -- errors -------------------------------------------------------------------------------------

_HINTS: dict[int, tuple[type[APIError], str]] = {
    ErrorCode.Unauthorized: (AuthenticationError, "the token was missing or not accepted"),
    ErrorCode.JWTValidationFailed: (AuthenticationError, "the token was not accepted (expired, malformed or revoked)"),
    ErrorCode.JWTInvalidForWrite: (
        AuthenticationError,
        "this token may read but no longer write (its write permission, the JWT 'wexp' claim, expired): "
        "log in again or use an API key token",
    ),
    ErrorCode.NoPermissions: (PermissionDenied, "the token lacks permission bits"),
    ErrorCode.NotFound: (NotFound, "no such order in this shop, or not visible to this token"),
    ErrorCode.TooManyRequests: (RateLimited, "too many requests"),
    ErrorCode.InternalServerError: (ServerError, "the vendor failed"),
    ErrorCode.InvalidInput: (UnprocessableEntity, "invalid input"),
    ErrorCode.OrderError: (UnprocessableEntity, "the line items cannot be ordered as given"),
    ErrorCode.VersionMismatch: (
        Conflict,
        "the order changed since you read it: re-read the order, apply your change to the fresh copy and pass "
        "its updated_at as if_updated_at",
    ),
    ErrorCode.InvalidInputCount: (UnprocessableEntity, "ordersModify takes exactly one order"),
    ErrorCode.InvalidOperation: (UnprocessableEntity, "the operation is not possible now"),
}
_REASON_HINTS = {"order_not_editable": "the order can no longer be modified in its current state"}


def _error_object(payload: JSONValue) -> dict[str, JSONValue] | None:
    if isinstance(payload, list) and len(payload) == 1:  # a relay answer: [{status, error}]
        payload = payload[0]
    if not isinstance(payload, dict):
        return None
    inner = payload.get("error")
    if isinstance(inner, dict):
        return inner
    return payload if "code" in payload or "message" in payload else None


def _text(value: JSONValue) -> str | None:
    return value if isinstance(value, str) and value else None


def _items(meta: dict[str, JSONValue], key: str) -> list[dict[str, JSONValue]]:
    value = meta.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _bounds(item: dict[str, JSONValue]) -> str:
    low, high = item.get("min"), item.get("max")
    return f" (min {low}, max {high})" if low or high else ""


def _details(code: int | None, meta: dict[str, JSONValue], field: str | None, message: str | None,
             ) -> tuple[ErrorDetail, ...]:
    """The per-field or per-item details a vendor error carries in ``meta`` (or its ``field``)."""
    if code == ErrorCode.InvalidInput:
        return tuple(
            ErrorDetail(field=_text(f.get("field")), code=_text(f.get("problem")),
                        detail=f"{f.get('problem')}{_bounds(f)}", meta=f)
            for f in _items(meta, "fields")
        )
    if code == ErrorCode.OrderError:
        return tuple(
            ErrorDetail(field=f"line_items[{e.get('line_item_index')}]", code=_text(e.get("code")),
                        detail=f"{e.get('code')}: {e.get('subject')}{_bounds(e)}", meta=e)
            for e in _items(meta, "errors")
        )
    bits = meta.get("bits")
    if code == ErrorCode.NoPermissions and isinstance(bits, list):
        return tuple(ErrorDetail(code="missing_permission", detail=bit) for bit in bits if isinstance(bit, str))
    reason = _text(meta.get("reason"))
    if code == ErrorCode.InvalidOperation and reason:
        return (ErrorDetail(code=reason, detail=reason, field=field, meta=meta),)
    if field:
        return (ErrorDetail(code=None if code is None else str(code), field=field, detail=message, meta=meta or None),)
    return ()


def _summary(details: tuple[ErrorDetail, ...], message: str | None) -> str:
    """``field: detail; …``, naming only the field where the detail just repeats the message."""
    def one(d: ErrorDetail) -> str:
        if not d.field:
            return str(d.detail or d.code)
        return f"field {d.field}" if d.detail == message else f"{d.field}: {d.detail}"

    return "; ".join(one(d) for d in details)


def _code_name(code: int | None) -> str | None:
    try:
        return ErrorCode(code).name if code is not None else None
    except ValueError:
        return None


def describe_error(status: int, payload: JSONValue, text: str) -> ErrorInfo:
    """Read a ``{code, message, field, meta}`` error into the core's fields and class."""
    error = _error_object(payload)
    if error is None:
        snippet = text_summary(text)
        return ErrorInfo(message=snippet or httpx.codes.get_reason_phrase(status) or f"HTTP {status}")
    raw_code = error.get("code")
    code = raw_code if isinstance(raw_code, int) and not isinstance(raw_code, bool) else None
    raw_meta = error.get("meta")
    meta = raw_meta if isinstance(raw_meta, dict) else {}
    message = _text(error.get("message"))
    details = _details(code, meta, _text(error.get("field")), message)
    error_class, hint = _HINTS.get(code, (None, "")) if code is not None else (None, "")
    if code == ErrorCode.InvalidOperation:
        hint = _REASON_HINTS.get(str(meta.get("reason")), hint)
    if details:
        hint = f"{hint}: {_summary(details, message)}" if hint else _summary(details, message)
    parts = _distinct(_code_name(code), message, hint)
    return ErrorInfo(
        message=" — ".join(parts) or f"HTTP {status}",
        code=None if code is None else str(code),
        errors=details,
        error_class=error_class,
    )


def _distinct(*parts: str | None) -> list[str]:
    """The non-empty parts, without one that only repeats an earlier one (``NotFound`` and ``not found``)."""
    seen: set[str] = set()
    kept: list[str] = []
    for part in parts:
        key = "".join(ch for ch in (part or "").lower() if ch.isalnum())
        if key and key not in seen:
            seen.add(key)
            kept.append(str(part))
    return kept


VENDOR = VendorSpec(name="trunkery", describe_error=describe_error)

# -- the modify request -------------------------------------------------------------------------


class ModifyOptions(RequestOptions, total=False):
    """Keyword arguments of ``orders.modify``: Trunkery's query parameters and the core's options.

    ``shop_id`` overrides the client's; ``if_updated_at`` (the order's ``updated_at`` as last
    read) makes the change fail with ``Conflict`` if the order changed since; ``uuid`` is the
    order's own ``uuid``, which authorizes anonymous access (not needed with a staff or API key
    token); ``fields`` is the vendor's output filter; ``idempotency_key`` is generated when
    absent (``None``: send none, and retry nothing that may have reached the server).
    """

    shop_id: str
    if_updated_at: str | dt.datetime
    uuid: str | Secret
    fields: Sequence[str]
    idempotency_key: str | None


_OWN_QUERY = frozenset({"ids", "shop_id", "updated_at", "uuid", "fields"})
_VENDOR_OPTIONS = frozenset(ModifyOptions.__annotations__) - frozenset(RequestOptions.__annotations__)
_HEADER_VALUE = re.compile(r"[\x21-\x7e]{1,255}")
_FIELD_NAME = re.compile(r"[A-Za-z0-9_.]+")
_ORDER_REQUIRED = frozenset(
    f.metadata.get(WIRE_NAME, f.name) for f in attrs.fields(Order) if f.default is attrs.NOTHING
)


def _refuse(field: str, expected: str, value: object) -> typing.NoReturn:
    """``field: expected …, got <value>``: a value of the wrong kind."""
    raise ValidationError(f"{field}: expected {expected}, got {preview(value)}", field=field, expected=expected)


def _refuse_because(field: str, expected: str, problem: str) -> typing.NoReturn:
    """``field: <problem>``: the message says itself what is wrong (and quotes the value where it helps)."""
    raise ValidationError(f"{field}: {problem}", field=field, expected=expected)


def _one_id(value: object, field: str, what: str) -> str:
    """One Trunkery id as a string; never empty, several or unsafe."""
    expected = f"one {what} id string such as {'or_EQzGqWoY' if field == 'order_id' else 'sh_EQzGqWoY'!r}"
    if value is None or (isinstance(value, str) and not value.strip()):
        guard = " (without an id, POST orders.json would create a new order)" if field == "order_id" else ""
        _refuse_because(field, expected, f"{'missing' if value is None else 'empty'}; expected {expected}{guard}")
    if isinstance(value, (list, tuple, set, frozenset)):
        _refuse_because(field, expected, f"expected {expected} (one {what} per call), got {preview(value)}")
    if not isinstance(value, str):
        _refuse(field, expected, value)
    if "," in value:
        _refuse_because(field, expected, f"expected {expected}, got {value.count(',') + 1} comma-separated ids "
                                         f"{preview(value)}; a call takes exactly one {what}")
    return check_id(value, field=field)


def _timestamp(value: object) -> str:
    """``if_updated_at`` as sent: a string verbatim, a datetime as RFC 3339 in UTC (``…Z``)."""
    expected = "the order's updated_at: a str as read, or a timezone-aware datetime"
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        utc = value.astimezone(dt.UTC)
        fraction = f".{utc.microsecond:06d}".rstrip("0") if utc.microsecond else ""
        return utc.strftime("%Y-%m-%dT%H:%M:%S") + fraction + "Z"
    if isinstance(value, str) and value.strip() and value.isprintable():
        return value
    _refuse("if_updated_at", expected, value)


def _order_uuid(value: object) -> str:
    raw = value.get_secret_value() if isinstance(value, Secret) else value
    if isinstance(raw, str) and _HEADER_VALUE.fullmatch(raw):
        return raw
    _refuse("uuid", "the order's uuid: a str or Secret of visible ASCII characters", value)


def _fields(value: object) -> str:
    expected = "a list of Order field names including every field Order requires"
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or not value:
        _refuse("fields", expected, value)
    names = list(value)
    for name in names:
        if not isinstance(name, str) or not _FIELD_NAME.fullmatch(name):
            _refuse_because("fields", expected, f"expected names of letters, digits, '_' and '.', got {preview(name)}")
    missing = sorted(_ORDER_REQUIRED.difference(names))
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        _refuse_because("fields", expected, f"leaves out {shown}, which Order requires; the vendor would not return "
                                            "them and the modified order could not be read: list them too, or leave "
                                            "fields unset")
    return ",".join(names)


def _idempotency_key(options: ModifyOptions, max_retries: object) -> str | None:
    if "idempotency_key" not in options:
        # One key per logical call, reused by every retry; with retries off there is nothing to dedupe.
        return None if max_retries == 0 else str(uuid.uuid4())
    key: object = options["idempotency_key"]
    if key is None or (isinstance(key, str) and _HEADER_VALUE.fullmatch(key)):
        return key
    _refuse("idempotency_key", "a str of 1 to 255 visible ASCII characters, or None to send none", key)


def _core_options(options: ModifyOptions) -> RequestOptions:
    query = options.get("extra_query") or {}
    clash = sorted(_OWN_QUERY.intersection(query))
    if clash:
        _refuse_because("extra_query", "query parameters orderpatch does not set itself",
                        f"must not set {', '.join(clash)}: pass order_id, shop_id=, if_updated_at=, uuid= "
                        "or fields= instead")
    if "extra_headers" in options and any(
            name.lower() == "idempotency-key" for name in options.get("extra_headers") or {}):
        _refuse_because("extra_headers", "headers other than Idempotency-Key",
                        "must not set Idempotency-Key: pass idempotency_key= instead")
    return cast(RequestOptions, {k: v for k, v in options.items() if k not in _VENDOR_OPTIONS})


def build_modify_request(
    base_url: httpx.URL,
    order_id: str,
    changes: OrderModify,
    options: ModifyOptions,
    *,
    default_shop_id: str | None,
    default_max_retries: int,
) -> tuple[Call[Order], RequestOptions]:
    """``POST {base}/orders.json?ids=…&shop_id=…`` with ``[changes]``, and the options left for the core.

    The body is serialized once, so every retry sends the same bytes with the same
    ``Idempotency-Key``, as the vendor's idempotency requires.
    """
    if not isinstance(changes, OrderModify):
        _refuse("changes", "orderpatch.trunkery.OrderModify", changes)
    params = {"ids": _one_id(order_id, "order_id", "order")}
    shop_id = options.get("shop_id", default_shop_id)
    if shop_id is None:
        _refuse_because("shop_id", "a shop id", "missing; pass shop_id= to the client or to this call")
    params["shop_id"] = _one_id(shop_id, "shop_id", "shop")
    if "if_updated_at" in options:
        params["updated_at"] = _timestamp(options["if_updated_at"])
    if "uuid" in options:
        params["uuid"] = _order_uuid(options["uuid"])
    if "fields" in options:
        params["fields"] = _fields(options["fields"])
    core = _core_options(options)
    key = _idempotency_key(options, core.get("max_retries", default_max_retries))
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if key is not None:
        headers["Idempotency-Key"] = key
    request = httpx.Request(
        "POST", url_for(base_url, "orders.json", params=params), headers=headers,
        content=encode_json([converter.unstructure(changes)]),
    )
    parse = functools.partial(parse_modify_response, order_id=params["ids"])
    read = functools.partial(read_modify_response, order_id=params["ids"])
    # POST is not idempotent; the key (when sent) lets the core retry what may have reached the vendor.
    return Call(request=request, parse=parse, idempotent=False, idempotency_key=key, read=read), core


def parse_modify_response(payload: JSONValue, *, order_id: str) -> Order:
    """The one ``Order`` of the answer array; anything else is a ``ShapeError`` (→ ``DecodeError``)."""
    after = "; the vendor answered 2xx, so the change was most likely applied: re-read the order before retrying"
    if not isinstance(payload, list):
        error = _error_object(payload) if isinstance(payload, dict) else None
        # Named by its code only: the object itself may echo a credential, and a cut one escapes scrubbing.
        what = f"an error object (code {error.get('code')!r})" if error else f"a JSON {type(payload).__name__}"
        raise ShapeError(f"expected a JSON array holding the modified order, got {what}{after}")
    if len(payload) != 1:
        raise ShapeError(f"expected exactly one order in the response array, got {len(payload)}{after}")
    try:
        order = converter.structure(payload[0], Order)
    except (ValueError, TypeError, KeyError) as exc:  # named by its JSON path: [0].financial_status: …
        shape = shape_error_at(exc, 0)
        raise ShapeError(f"{shape.problem}{after}", path=shape.path) from None
    if order.id != order_id:
        raise ShapeError(f"the response holds order {order.id!r}, not {order_id!r}: check the shop for an "
                         "unintended new order")
    return order


def read_modify_response(content: bytes, *, order_id: str) -> Order | None:
    """The one ``Order`` of a body of the usual shape, as ``parse_modify_response`` gives it, or ``None``.

    An unknown field, another shape or a value a hook refuses gives ``None``: the body is then
    decoded and parsed as usual, whose result or error this stands in for.
    """
    order: Order | None = _read_body(content)
    return order if order is not None and order.id == order_id else None


def default_shop_id(shop_id: object, token: str) -> str | None:
    """A client's default shop: ``shop_id`` checked like every call's, else the token's claim."""
    if shop_id is None:
        return shop_id_from_token(token)
    try:
        return _one_id(shop_id, "shop_id", "shop")
    except ValidationError as exc:
        raise ConfigurationError(str(exc), key="shop_id") from None


def shop_id_from_token(token: str) -> str | None:
    """The ``shop_id`` claim of a Trunkery API key JWT (read, not verified), as the vendor's CLI does."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError):
        return None
    shop = claims.get("shop_id") if isinstance(claims, dict) else None
    try:
        return _one_id(shop, "shop_id", "shop") if isinstance(shop, str) else None
    except ValidationError:
        return None
