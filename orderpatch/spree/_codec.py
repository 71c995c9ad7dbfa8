"""Spree Platform API v2, sans I/O: build the order requests, read JSON:API orders, understand errors.

Error bodies (README §7): Spree renders ``{"error": "<message>"}``, plus ``"errors": {field:
[messages]}`` on 422. Its OAuth token endpoint (Doorkeeper) answers the OAuth standard
``{"error": "invalid_client", "error_description": "…"}``. Spree answers **401, not 403**, for a
token lacking a scope and for a user token that may not touch the order; the message says
which, and what to check.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal, TypeAlias, cast

import attrs
import msgspec
from cattrs.gen import make_dict_unstructure_fn, override

from .._convert import (
    PathSegment,
    ShapeError,
    describe_value,
    make_converter,
    shape_error_at,
    structure_keeping_undeclared,
)
from .._deferred import Deferred, DeferredGroup, deferred_fields, group_of
from .._http import httpx
from .._mirror import defer_nested
from .._models import RequestModel
from .._scalars import defer_scalars
from .._spec import Call, ErrorInfo, VendorSpec, default_describe_error, encode_json, url_for
from .._types import JSONValue
from .._validation import check_id, name_list, preview
from ..errors import APIError, AuthenticationError, ErrorDetail, PermissionDenied, ValidationError
from ._order import (
    AddressResource,
    IncludedResource,
    JSONAPIResource,
    LineItemResource,
    Order,
    OrderRelationships,
    PaymentResource,
    Resource,
    ShipmentResource,
)
from .models import ID_KEY, Address, LineItem, Money, OrderUpdate, check_money

__all__ = [
    "VENDOR", "Fields", "Include", "OrderAction", "build_action_request", "build_apply_coupon_code_request",
    "build_retrieve_request", "build_update_request", "build_use_store_credit_request", "converter",
    "describe_error", "parse_order", "token_rejected",
]

converter = make_converter()

# The order's relationships (typed references, read by few callers) are built on first access:
# at parse time they are only checked against a msgspec mirror of ``OrderRelationships``
# (``_mirror``: declared names holding null, a reference or a list of references). Anything
# else is structured at once, as before (its error, or an undeclared relationship kept in ``extra``).
DEFERRED = defer_nested(converter, Order)
# Its scalar attributes are checked together in C and set on first read (``_scalars``).
SCALARS = defer_scalars(converter, Order)

#: ``include=``: relationship paths such as ``"line_items"`` or ``"line_items.variant"``, or one comma-separated string.
Include: TypeAlias = str | Sequence[str] | None
#: ``fields=``: sparse fieldsets by resource type, e.g. ``{"order": ["number", "total"]}``.
Fields: TypeAlias = Mapping[str, str | Sequence[str]] | None
#: The order events with their own endpoint (``PATCH /api/v2/platform/orders/{id}/{action}``).
OrderAction: TypeAlias = Literal["next", "advance", "complete", "empty", "approve", "cancel"]

# Whether repeating an event that may already have happened is harmless. ``empty`` leaves the
# same empty cart; the others advance, pay, approve or cancel again (or turn a success into a
# confusing 422), so they are not retried after an ambiguous failure.
_ACTION_IDEMPOTENT: Mapping[str, bool] = {
    "next": False, "advance": False, "complete": False, "empty": True, "approve": False, "cancel": False,
}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/vnd.api+json, application/json"}


def is_text(value: object) -> bool:
    """Whether ``value`` is a string with something besides white space (callers may ignore the types)."""
    return isinstance(value, str) and bool(value.strip())


def is_name(value: object) -> bool:
    """Whether ``value`` is an identifier such as a resource type or an attribute name."""
    return isinstance(value, str) and _NAME.fullmatch(value) is not None


def _is_positive_money(value: object) -> bool:
    return isinstance(value, (Decimal, int)) and not isinstance(value, bool) and value > 0


# -- request bodies -------------------------------------------------------------------------------

def _wire_id(value: int | str) -> str:
    return str(value)


def _wire_money(value: Decimal) -> float:
    return float(value)  # exact: models refuse a Decimal that a double cannot carry (check_money)


def _request_hook(cls: type[RequestModel]) -> Callable[[Any], dict[str, Any]]:
    """UNSET omitted (core default) and record ids sent as strings, as Spree's spec types them."""
    fields = attrs.fields(cast("type[attrs.AttrsInstance]", cls))
    ids: dict[str, Any] = {f.name: override(unstruct_hook=_wire_id) for f in fields if f.metadata.get(ID_KEY)}
    return make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True, **ids)


converter.register_unstructure_hook(Decimal, _wire_money)
for _request_cls in (OrderUpdate, Address, LineItem):
    converter.register_unstructure_hook(_request_cls, _request_hook(_request_cls))


def order_body(changes: OrderUpdate, *, do_not_change_state: bool = False) -> dict[str, Any]:
    """The JSON body of an update: ``{"order": {...}}`` with nested attributes flat, plus the top-level flag."""
    order = converter.unstructure(changes, OrderUpdate)
    order.update(order.pop("extra_attributes", {}))
    body: dict[str, Any] = {"order": order}
    if do_not_change_state:
        body["do_not_change_state"] = True
    return body


# -- query parameters -----------------------------------------------------------------------------

def _names(value: object, *, field: str, dotted: bool) -> list[str]:
    what = "relationship paths such as 'line_items' or 'line_items.variant'" if dotted else "attribute names"
    return name_list(value, field=field, dotted=dotted, name=_NAME, what=what)


def query_params(include: Include, fields: Fields) -> dict[str, str]:
    """``include`` and ``fields[type]`` query parameters (comma-separated), checked before sending."""
    params: dict[str, str] = {}
    if include is not None:
        paths = _names(include, field="include", dotted=True)
        if paths:
            params["include"] = ",".join(paths)
    if fields is not None:
        if not isinstance(fields, Mapping):
            raise ValidationError(
                f"fields: expected a mapping of resource type to attribute names, got {preview(fields)}",
                field="fields", expected="Mapping[str, list[str]]")
        for kind, names in fields.items():
            if not is_name(kind):
                raise ValidationError(f"fields: expected resource types such as 'order' as keys, got {preview(kind)}",
                                      field="fields", expected="resource type")
            params[f"fields[{kind}]"] = ",".join(_names(names, field=f"fields[{kind}]", dotted=False))
    return params


# -- requests -------------------------------------------------------------------------------------

def _order_call(
    method: str, base_url: httpx.URL, order_id: int | str, *action: str, include: Include, fields: Fields,
    body: Mapping[str, object] | None, idempotent: bool,
) -> Call[Order]:
    path_id = check_id(order_id)
    url = url_for(base_url, "api", "v2", "platform", "orders", path_id, *action, params=query_params(include, fields))
    content = encode_json(body) if body is not None else None
    headers = _JSON_HEADERS if body is not None else {"Accept": _JSON_HEADERS["Accept"]}
    request = httpx.Request(method, url, content=content, headers=headers)
    return Call(request=request, parse=parse_order, idempotent=idempotent, read=read_order)


def build_update_request(
    base_url: httpx.URL, order_id: int | str, changes: OrderUpdate, *, include: Include = None,
    fields: Fields = None, do_not_change_state: bool = False,
) -> Call[Order]:
    """``PATCH {base}/api/v2/platform/orders/{id}`` with ``{"order": {...}}``.

    Retried after an ambiguous failure only when repeating it cannot add records twice:
    ``line_items_attributes`` (and nested lists in ``extra_attributes``) add them each time. A
    repeated nested address only leaves an unused address record behind (the order points at the
    newest), so an update with addresses is still retried.
    """
    if not isinstance(changes, OrderUpdate):
        raise ValidationError(f"changes: expected orderpatch.spree.OrderUpdate, got {type(changes).__name__}",
                              field="changes", expected="spree.OrderUpdate")
    if not isinstance(do_not_change_state, bool):
        raise ValidationError(f"do_not_change_state: expected bool, got {preview(do_not_change_state)}",
                              field="do_not_change_state", expected="bool")
    body = order_body(changes, do_not_change_state=do_not_change_state)
    return _order_call("PATCH", base_url, order_id, include=include, fields=fields, body=body,
                       idempotent=not changes.adds_records)


def build_retrieve_request(base_url: httpx.URL, order_id: int | str, *, include: Include = None,
                           fields: Fields = None) -> Call[Order]:
    """``GET {base}/api/v2/platform/orders/{id}``: safe to repeat."""
    return _order_call("GET", base_url, order_id, include=include, fields=fields, body=None, idempotent=True)


def build_action_request(base_url: httpx.URL, order_id: int | str, action: OrderAction, *,
                         include: Include = None, fields: Fields = None) -> Call[Order]:
    """``PATCH {base}/api/v2/platform/orders/{id}/{action}`` (no body): one of Spree's order events."""
    if action not in _ACTION_IDEMPOTENT:
        raise ValidationError(f"action: expected one of {sorted(_ACTION_IDEMPOTENT)}, got {preview(action)}",
                              field="action", expected=" | ".join(sorted(_ACTION_IDEMPOTENT)))
    return _order_call("PATCH", base_url, order_id, action, include=include, fields=fields, body=None,
                       idempotent=_ACTION_IDEMPOTENT[action])


def build_apply_coupon_code_request(base_url: httpx.URL, order_id: int | str, coupon_code: str, *,
                                    include: Include = None, fields: Fields = None) -> Call[Order]:
    """``PATCH …/orders/{id}/apply_coupon_code`` with ``{"coupon_code": "…"}``; not retried when ambiguous."""
    if not is_text(coupon_code):
        raise ValidationError(f"coupon_code: expected a non-empty string, got {preview(coupon_code)}",
                              field="coupon_code", expected="non-empty str")
    return _order_call("PATCH", base_url, order_id, "apply_coupon_code", include=include, fields=fields,
                       body={"coupon_code": coupon_code}, idempotent=False)


def build_use_store_credit_request(base_url: httpx.URL, order_id: int | str, amount: Money, *,
                                   include: Include = None, fields: Fields = None) -> Call[Order]:
    """``PATCH …/orders/{id}/use_store_credit`` with ``{"amount": 15.0}``: adds a payment, so never retried."""
    if not _is_positive_money(amount):
        raise ValidationError(f"amount: expected a positive Decimal or int, got {preview(amount)}",
                              field="amount", expected="positive Decimal or int")
    check_money(amount, field="amount")
    return _order_call("PATCH", base_url, order_id, "use_store_credit", include=include, fields=fields,
                       body={"amount": float(amount) if isinstance(amount, Decimal) else amount}, idempotent=False)


# -- responses ------------------------------------------------------------------------------------


_RESERVED = frozenset({"id", "type", "relationships", "included", "attributes", "links", "meta", "extra"})
_INCLUDED_TYPES: Mapping[str, type[JSONAPIResource]] = {
    "line_item": LineItemResource, "address": AddressResource, "shipment": ShipmentResource,
    "payment": PaymentResource,
}


_ENVELOPE_KEYS = frozenset({"id", "type", "links", "meta", "included"})


def _resource_object(obj: object) -> dict[str, JSONValue]:
    if not isinstance(obj, dict):
        raise ShapeError(f"expected a JSON:API resource object, got {describe_value(obj)}")
    for key in ("id", "type"):
        if not isinstance(obj.get(key), str):
            raise ShapeError(f"expected a string, got {describe_value(obj.get(key))}", path=(key,))
    return obj


def _relationship_data(
    relationships: object, declared: frozenset[str]
) -> tuple[dict[str, JSONValue], dict[str, JSONValue]]:
    """``{name: {"data": X}}`` → ``{name: X}``; a relationship without ``data`` (not loaded) is left out.

    A relationship the model does not declare whose member is not an object is kept raw, in the
    second dict under ``relationships.<name>``: the resource's structure hook puts that key in ``extra``.
    """
    if relationships is None:
        return {}, {}
    if not isinstance(relationships, dict):
        raise ShapeError(f"expected a JSON object, got {describe_value(relationships)}", path=("relationships",))
    unwrapped: dict[str, JSONValue] = {}
    odd: dict[str, JSONValue] = {}
    for name, member in relationships.items():
        if isinstance(member, dict):
            if "data" in member:
                unwrapped[name] = member["data"]
        elif name in declared:
            raise ShapeError(f"expected a JSON object, got {describe_value(member)}", path=("relationships", name))
        else:
            odd[f"{_ODD}{name}"] = member
    return unwrapped, odd


#: The prefix of an undeclared relationship kept raw (its shape was not understood) in ``extra``.
_ODD = "relationships."


def _flatten(obj: object, declared: frozenset[str]) -> dict[str, JSONValue]:
    """A resource object with its attributes lifted to the top; a clashing attribute lands in ``extra``."""
    resource = _resource_object(obj)
    attributes = resource.get("attributes")
    attributes = {} if attributes is None else attributes
    if not isinstance(attributes, dict):
        raise ShapeError(f"expected a JSON object, got {describe_value(attributes)}", path=("attributes",))
    if _RESERVED.isdisjoint(attributes):  # the usual case: a plain copy
        flat = dict(attributes)
    else:
        flat = {(f"attributes.{k}" if k in _RESERVED else k): v for k, v in attributes.items()}
    flat.update(resource)
    del flat["attributes"]  # an attribute of that name is under "attributes.attributes"
    relationships, odd = _relationship_data(resource.get("relationships"), declared)
    flat.update(odd)
    flat["relationships"] = relationships
    return flat


def _resource_path(path: tuple[PathSegment, ...]) -> tuple[PathSegment, ...]:
    """A path in a flattened resource, back to where the value sits in the resource object."""
    head, rest = path[0], path[1:]
    if head == "relationships" and rest:
        return ("relationships", rest[0], "data", *rest[1:])
    return path if head in _ENVELOPE_KEYS else ("attributes", *path)


def _structure_resource(
    base: Callable[[Any, Any], Any], cls: type[Any], flat: dict[str, JSONValue], declared: frozenset[str]
) -> Any:
    """``base(flat)``; an undeclared relationship that fails is kept in ``extra``; a path back to the document."""
    try:
        return structure_keeping_undeclared(
            base, cls, flat, member="relationships", declared=declared, keep=lambda data: {"data": data}
        )
    except (ValueError, TypeError, KeyError) as exc:
        error = shape_error_at(exc)
        error.path = _resource_path(error.path) if error.path else error.path
        raise error from None


def _declared_relationships(cls: type[Any]) -> frozenset[str]:
    field = attrs.fields_dict(cls).get("relationships")
    if field is None or not isinstance(field.type, type) or not attrs.has(field.type):
        return frozenset()
    return frozenset(f.name for f in attrs.fields(field.type) if f.name != "extra")


def _flattening_hook(cls: type[Any]) -> Callable[[Any, Any], Any]:
    base = converter.get_structure_hook(cls)
    attrs.resolve_types(cls)
    declared = _declared_relationships(cls)
    return lambda obj, _: _structure_resource(base, cls, _flatten(obj, declared), declared)


def _generic_hook() -> Callable[[Any, Any], Resource]:
    base = converter.get_structure_hook(Resource)

    def structure(obj: Any, _: Any) -> Resource:
        resource = dict(_resource_object(obj))
        relationships, odd = _relationship_data(resource.get("relationships"), frozenset())
        resource.update(odd)
        resource["relationships"] = relationships
        return _structure_resource(base, Resource, resource, frozenset())  # type: ignore[no-any-return]

    return structure


def _structure_included(obj: Any, _: Any) -> IncludedResource:
    cls = _INCLUDED_TYPES.get(str(_resource_object(obj)["type"]), Resource)
    return cast("IncludedResource", converter.structure(obj, cls))


# Order matters: a class's generated hook binds its fields' hooks, so the included union comes first.
converter.register_structure_hook(Resource, _generic_hook())
converter.register_structure_hook_func(lambda t: t == IncludedResource, _structure_included)
for _cls in (*_INCLUDED_TYPES.values(), Order):
    converter.register_structure_hook(_cls, _flattening_hook(_cls))


def parse_order(payload: JSONValue) -> Order:
    """The ``Order`` of a 200 JSON:API document, with its ``included`` resources typed.

    A wrong value is a ``ShapeError`` naming its JSON path (``data.attributes.total: …``).
    """
    if not isinstance(payload, dict):
        raise ShapeError(f"expected a JSON:API document (object), got {describe_value(payload)}")
    data = payload.get("data")
    if isinstance(data, dict) and data.get("type") not in ("order", None):
        raise ShapeError(f"expected 'order', got {describe_value(data.get('type'))}", path=("data", "type"))
    included = payload.get("included", [])
    if not isinstance(included, list):
        raise ShapeError(f"expected a JSON array, got {describe_value(included)}", path=("included",))
    try:
        return converter.structure({**_resource_object(data), "included": included}, Order)
    except ShapeError as exc:
        raise (exc if exc.path[:1] == ("included",) else exc.at("data")) from None


# The usual answer (an order with its attributes, relationships holding references, nothing
# included) decoded straight into structs: no JSON dicts for the ~55 attributes, no flattened
# copy. Anything else (an unknown attribute or data member, ``included``, another shape) makes
# ``read_order`` give ``None``, and the body is decoded and parsed as usual.


class _Member(msgspec.Struct, frozen=True, gc=False):
    """A relationship member; only its ``data`` is read, as ``_relationship_data`` does."""

    data: Any = msgspec.UNSET


#: ``data``: a key besides these (``links``, ``meta``) belongs in ``extra``, so it is refused.
_Data: Any = msgspec.defstruct(
    "_Data", [("id", str), ("type", str), ("attributes", SCALARS.strict), ("relationships", dict[str, _Member], {})],
    frozen=True, gc=False, forbid_unknown_fields=True, module=__name__,
)  # fmt: skip
#: The document: keys besides ``data`` and ``included`` are not read (as ``parse_order``).
_Document: Any = msgspec.defstruct(
    "_Document", [("data", _Data), ("included", list[Any], [])], frozen=True, gc=False, module=__name__
)


_read_document = msgspec.json.Decoder(_Document).decode
_pend_attributes = cast("DeferredGroup[Any]", group_of(Order)).pend  # the group ``defer_scalars`` made above
_RELATIONSHIPS = deferred_fields(Order)["relationships"]
_structure_relationships = converter.get_structure_hook(OrderRelationships)


def read_order(content: bytes) -> Order | None:
    """The order of a 200 body of the usual shape, as ``parse_order`` would give it, or ``None``."""
    try:
        document = _read_document(content)
    except (msgspec.ValidationError, msgspec.DecodeError, RecursionError):
        return None
    data = document.data
    if data.type != "order" or document.included:
        return None
    values = SCALARS.checked(data.attributes)
    if values is None:
        return None
    unwrapped = {name: member.data for name, member in data.relationships.items() if member.data is not msgspec.UNSET}
    if unwrapped:
        taken = _RELATIONSHIPS.snapshot(unwrapped)
        if taken is None:
            return None  # an undeclared relationship, or one of another shape: the hooks decide
        relationships: object = Deferred(_RELATIONSHIPS.build, taken)
    else:
        relationships = _structure_relationships(unwrapped, OrderRelationships)
    order: Order = object.__new__(Order)
    for name, value in (("id", data.id), ("type", "order"), ("relationships", relationships), ("included", ()),
                        ("extra", {})):
        object.__setattr__(order, name, value)
    _pend_attributes(order, values)
    return order


# -- errors ---------------------------------------------------------------------------------------

_TOKEN_MESSAGES = ("access token is invalid", "access token expired", "access token was revoked")
_OAUTH_HINTS: Mapping[str, str] = {
    "invalid_client": "check client_id and client_secret (Spree admin > Apps > OAuth Applications)",
    "invalid_scope": "the OAuth application must allow the requested scope (orderpatch asks for 'admin')",
    "unauthorized_client": "the OAuth application may not use the client_credentials grant",
}


def _field_errors(errors: JSONValue) -> tuple[ErrorDetail, ...]:
    if not isinstance(errors, dict):
        return ()
    return tuple(
        ErrorDetail(field=field, detail=str(message))
        for field, messages in errors.items()
        for message in (messages if isinstance(messages, list) else [messages])
    )


def _explain_401(message: str) -> tuple[str, type[APIError]]:
    lowered = message.lower()
    if "scope" in lowered:
        return (f"{message} (the token lacks a scope this call needs: Platform API writes need 'write' or 'admin'; "
                "request tokens with scope='admin', orderpatch's default)", AuthenticationError)
    if "not authorized" in lowered:
        return (f"{message} (Spree answers 401, not 403, when a user token's user may not do this; use an "
                "application token from client_id/client_secret, or a user allowed to manage this order)",
                PermissionDenied)
    return (f"{message} (Spree answers 401 for a missing, invalid, expired or revoked token, for a token not bound "
            "to an OAuth application and for one without the 'admin' scope; check access_token, or client_id, "
            "client_secret and scope)", AuthenticationError)


def describe_error(status: int, payload: JSONValue, text: str) -> ErrorInfo:
    """Read Spree's ``{"error", "errors"}`` or Doorkeeper's OAuth error into the core's error fields."""
    if isinstance(payload, dict):
        error, description = payload.get("error"), payload.get("error_description")
        code = error if isinstance(error, str) and error else None
        if isinstance(description, str) and description:
            hint = _OAUTH_HINTS.get(code or "")
            return ErrorInfo(message=f"{description} ({hint})" if hint else description, code=code)
        details = _field_errors(payload.get("errors"))
        message = error.strip() if isinstance(error, str) else ""
        if not message and details:
            message = "; ".join(f"{d.field} {d.detail}" for d in details)
        if message:
            if status == 401:
                message, cls = _explain_401(message)
                return ErrorInfo(message=message, errors=details, error_class=cls)
            return ErrorInfo(message=message, errors=details)
        if "error" in payload:
            return ErrorInfo(message=f"Spree refused the request without a message (HTTP {status})", errors=details)
    return default_describe_error(status, payload, text)


def token_rejected(response: httpx.Response) -> bool:
    """A 401 that a new token may cure: not one about a missing scope or a user's permissions."""
    if response.status_code != 401:
        return False
    try:
        text = response.text.lower()
    except httpx.ResponseNotRead:
        return True
    return any(m in text for m in _TOKEN_MESSAGES) or not ("scope" in text or "not authorized" in text)


VENDOR = VendorSpec(name="spree", describe_error=describe_error, token_rejected=token_rejected)
