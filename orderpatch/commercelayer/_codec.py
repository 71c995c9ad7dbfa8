"""Commerce Layer, sans I/O: build the JSON:API PATCH, read the order, understand errors.

* Requests: ``{"data": {"type": "orders", "id", "attributes", "relationships"}}`` sent with
  ``Accept`` and ``Content-Type: application/vnd.api+json`` (anything else gets 406/415).
* Errors: ``{"errors": [{"title", "detail", "code", "status", "source": {"pointer"}, "meta"}]}``;
  every entry is kept. A 401 ``INVALID_TOKEN`` means "get a new token" (refresh once, replay);
  a 401 ``UNAUTHORIZED`` means the token lacks permissions and becomes ``PermissionDenied``.
* Rate limits: without ``Retry-After`` (not promised on 429) a retry waits
  ``X-Ratelimit-Interval / X-Ratelimit-Limit`` seconds, the spacing the official batch helper
  keeps between calls; without those headers the core's backoff applies.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Mapping, Sequence
from typing import Literal, TypeAlias

import attrs
import msgspec

from .._constants import MAX_RETRY_AFTER
from .._convert import ShapeError, describe_value, make_converter, structure_keeping_undeclared
from .._deferred import Deferred, defer_field
from .._http import httpx
from .._response import RateLimitInfo
from .._retry import parse_retry_after
from .._spec import Call, ErrorInfo, VendorSpec, encode_json, text_summary, url_for
from .._types import UNSET, JSONValue
from .._validation import check_id
from ..errors import ErrorDetail, PermissionDenied, ValidationError
from ._attributes import ATTRIBUTE_NAMES as _ATTRIBUTE_NAMES
from ._attributes import defer_attributes
from ._update import NON_IDEMPOTENT_TRIGGERS, RELATIONSHIPS, PaymentSourceRef, _Ref
from .models import Links, Order, OrderRelationships, OrderUpdate, Relationship, Resource

__all__ = [
    "JSONAPI", "VENDOR", "Fields", "Include", "Trigger", "build_trigger_request", "build_update_request", "converter",
    "describe_error", "is_idempotent", "order_document", "parse_order", "rate_limit_delay", "token_rejected",
]

#: The JSON:API media type Commerce Layer requires in ``Accept`` and ``Content-Type``.
JSONAPI = "application/vnd.api+json"
#: ``include=``: relationship paths, dot-separated for nesting (``"market"``, ``"line_items.item"``).
Include: TypeAlias = str | Sequence[str]
#: ``fields=``: sparse fieldsets by resource type (``{"orders": ["status", "number"]}``).
Fields: TypeAlias = Mapping[str, str | Sequence[str]]
#: The triggers with a shortcut method on ``client.orders``.
Trigger: TypeAlias = Literal["place", "approve", "cancel", "capture", "refund", "archive", "unarchive", "refresh"]

_NAME = re.compile(r"[a-z0-9_]+")
_PATH = re.compile(r"[a-z0-9_]+(?:\.[a-z0-9_]+)*")


converter = make_converter()
converter.register_unstructure_hook(_Ref, lambda ref: {"type": ref.type, "id": ref.id})
converter.register_unstructure_hook(PaymentSourceRef, lambda ref: {"type": str(ref.type), "id": ref.id})
# The order's attributes: checked in C, built on first read (``_attributes``).
ORDER_ATTRIBUTES, attributes_snapshot = defer_attributes(converter)

# An order answer carries ~34 relationships, each ``{"links": {"self": url, "related": url}}``
# unless ``include=`` filled its ``data``: that exact shape is built directly (a third of the
# parse otherwise); anything else, or anything malformed, goes through the generic hooks.
_generic_links = converter.get_structure_hook(Links)
_generic_relationship = converter.get_structure_hook(Relationship)
_LINK_KEYS = frozenset({"self", "related"})


def _structure_links(value: object, _: object) -> Links:
    if type(value) is dict and _LINK_KEYS.issuperset(value):
        self_url, related_url = value.get("self"), value.get("related")
        if (self_url is None or type(self_url) is str) and (related_url is None or type(related_url) is str):
            return Links(self_url=self_url, related_url=related_url)
    return _generic_links(value, Links)  # type: ignore[no-any-return]


def _structure_relationship(value: object, _: object) -> Relationship:
    if type(value) is dict and len(value) == 1 and "links" in value:
        links = value["links"]
        if links is None:
            return Relationship(links=None)
        if type(links) is dict and _LINK_KEYS.issuperset(links):
            self_url, related_url = links.get("self"), links.get("related")
            if (self_url is None or type(self_url) is str) and (related_url is None or type(related_url) is str):
                return Relationship(links=Links(self_url=self_url, related_url=related_url))
    return _generic_relationship(value, Relationship)  # type: ignore[no-any-return]


converter.register_structure_hook(Links, _structure_links)
converter.register_structure_hook(Relationship, _structure_relationship)
# ``Relationship | None``, the type of the order's 34 relationships: one call each, not two.
converter.register_structure_hook_func(
    lambda t: t == Relationship | None, lambda v, _: None if v is None else _structure_relationship(v, Relationship)
)
_generic_resource = converter.get_structure_hook(Resource)


def _structure_resource(value: object, _: object) -> Resource:
    # An included resource's relationships are not declared: one of a shape not understood is kept in extra.
    if type(value) is not dict:
        return _generic_resource(value, Resource)  # type: ignore[no-any-return]
    return structure_keeping_undeclared(_generic_resource, Resource, value, member="relationships")  # type: ignore[no-any-return]


converter.register_structure_hook(Resource, _structure_resource)

# The order's relationships, read by few callers, are built on first access (``_deferred``):
# at parse time msgspec checks, in C, that each one is declared and of the links-only shape
# (``{"links": {"self": str | null, "related": str | null}}``, nothing else) and copies its two
# URLs. Anything else is structured at once by the hooks above, as before.
_RELATIONSHIP_FIELDS = frozenset(f.name for f in attrs.fields(OrderRelationships)) - {"extra"}


class _TakenLinks(msgspec.Struct, forbid_unknown_fields=True, frozen=True, gc=False):
    self: str | None = None
    related: str | None = None


class _TakenRelationship(msgspec.Struct, forbid_unknown_fields=True, frozen=True, gc=False):
    links: _TakenLinks


_Taken: TypeAlias = dict[str, _TakenRelationship]


def _relationships_snapshot(value: object) -> _Taken | None:
    """The relationships, checked and copied, when every one is declared and links-only; else ``None``."""
    if type(value) is not dict or not _RELATIONSHIP_FIELDS.issuperset(value):
        return None
    try:
        return msgspec.convert(value, _Taken)
    except msgspec.ValidationError:
        return None


def _build_relationships(taken: _Taken) -> OrderRelationships:
    return OrderRelationships(**{  # type: ignore[arg-type]
        name: Relationship(links=Links(self_url=relationship.links.self, related_url=relationship.links.related))
        for name, relationship in taken.items()
    })


defer_field(Order, "relationships", snapshot=_relationships_snapshot, build=_build_relationships)


# -- errors ----------------------------------------------------------------------------------

def _text(value: object) -> str | None:
    if isinstance(value, str) and value:
        return value
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else None


def _detail(entry: Mapping[str, JSONValue]) -> ErrorDetail:
    source = entry.get("source")
    pointer = _text(source.get("pointer")) if isinstance(source, dict) else None
    field = pointer.rsplit("/", 1)[-1] if pointer and pointer.startswith("/data/") else None
    return ErrorDetail(
        code=_text(entry.get("code")), title=_text(entry.get("title")), detail=_text(entry.get("detail")),
        field=field, pointer=pointer, status=_text(entry.get("status")), meta=entry.get("meta"),
    )


def describe_error(status: int, payload: JSONValue, text: str) -> ErrorInfo:
    """Read the JSON:API ``errors[]`` (all of them) into the core's error fields."""
    entries = payload.get("errors") if isinstance(payload, dict) else None
    details = tuple(_detail(e) for e in entries if isinstance(e, dict)) if isinstance(entries, list) else ()
    if details:
        first = details[0]
        message = first.detail or first.title or first.code or f"HTTP {status}"
        if len(details) > 1:
            message += f" (and {len(details) - 1} more error{'s' if len(details) > 2 else ''})"
        # Commerce Layer answers 401 UNAUTHORIZED ("Access denied") where others send 403.
        denied = PermissionDenied if status == 401 and first.code == "UNAUTHORIZED" else None
        return ErrorInfo(message=message, code=first.code, errors=details, error_class=denied)
    if isinstance(payload, dict):  # an OAuth-style body, as other token endpoints send
        error, description = _text(payload.get("error")), _text(payload.get("error_description"))
        if error or description:
            return ErrorInfo(message=description or error or "", code=error)
    snippet = text_summary(text)
    return ErrorInfo(message=snippet or httpx.codes.get_reason_phrase(status) or f"HTTP {status}")


def token_rejected(response: httpx.Response) -> bool:
    """A 401 whose ``errors[]`` holds ``INVALID_TOKEN`` (expired or revoked): refresh once, replay."""
    if response.status_code != 401:
        return False
    try:
        payload = json.loads(response.content)
    except ValueError:
        return False
    entries = payload.get("errors") if isinstance(payload, dict) else None
    return isinstance(entries, list) and any(isinstance(e, dict) and e.get("code") == "INVALID_TOKEN" for e in entries)


def rate_limit_delay(response: httpx.Response) -> float | None:
    """Seconds before retrying a 429/503: ``Retry-After`` if sent, else from the rate-limit headers.

    With ``X-Ratelimit-Remaining: 0`` the whole interval (the window must pass before the
    limit lets anything through), else interval ÷ limit, the official batch helper's spacing.
    The core grows its backoff above this floor on each further retry.
    """
    hint = parse_retry_after(response.headers)
    if hint is not None:
        return hint
    info = RateLimitInfo.from_headers(response.headers)
    if info is None or not info.interval or not info.limit or info.interval < 0 or info.limit < 0:
        return None
    if info.remaining == 0:
        return float(min(MAX_RETRY_AFTER, info.interval))
    return min(MAX_RETRY_AFTER, info.interval / info.limit)


VENDOR = VendorSpec(
    name="commercelayer", describe_error=describe_error, retry_after=rate_limit_delay, token_rejected=token_rejected,
)


# -- responses -------------------------------------------------------------------------------

_ENVELOPE = ("id", "type", "links", "relationships", "meta")
_ENVELOPE_KEYS = frozenset((*_ENVELOPE, "included", "extra"))


def _document_path(flat_key: object) -> tuple[str, ...]:
    """Where a key of the flattened order came from: ``included``, ``data.<envelope>``, ``data.attributes``."""
    if flat_key == "included":
        return ()
    return ("data",) if flat_key in _ENVELOPE else ("data", "attributes")


def parse_order(payload: JSONValue) -> Order:
    """The ``Order`` of a 200 answer, with its ``included`` resources.

    An answer every part of which is of the usual shape is checked and read without building
    its attributes (``_attributes``: built on first read); any other goes through
    ``_structure_order``, whose result and errors it stands in for.
    """
    order = _read_order(payload)
    return order if order is not None else _structure_order(payload)


_structure_meta = converter.get_structure_hook(dict[str, JSONValue])
_structure_included = converter.get_structure_hook(tuple[Resource, ...])
_structure_order_relationships = converter.get_structure_hook(OrderRelationships)
_ORDER_NAMES = _ATTRIBUTE_NAMES | frozenset(_ENVELOPE_KEYS - {"extra"})
_MISSING: object = object()


def _read_order(payload: JSONValue) -> Order | None:
    """The order of ``payload`` with its attributes deferred, or ``None``: not an answer of the usual shape."""
    if type(payload) is not dict:
        return None
    data = payload.get("data")
    if type(data) is not dict or data.get("type") != "orders" or type(identifier := data.get("id")) is not str:
        return None
    attributes = data.get("attributes", _MISSING)
    if attributes is _MISSING:
        attributes = {}
    elif type(attributes) is not dict or not _ENVELOPE_KEYS.isdisjoint(attributes):
        return None
    extra = {} if _ATTRIBUTE_NAMES.issuperset(attributes) else {
        name: value for name, value in attributes.items() if name not in _ORDER_NAMES
    }
    snapshot = attributes_snapshot(attributes, extra)
    if snapshot is None:
        return None
    included = payload.get("included") or []
    links, relationships, meta = data.get("links"), data.get("relationships", _MISSING), data.get("meta", _MISSING)
    try:
        values = {
            "id": identifier,
            "type": "orders",
            "links": None if links is None else _structure_links(links, Links),
            "relationships": (
                OrderRelationships() if relationships is _MISSING else _order_relationships(relationships)
            ),
            "meta": {} if meta is _MISSING else _structure_meta(meta, dict),
            "included": () if included == [] else _structure_included(included, tuple),
        }
    except (ValueError, TypeError, KeyError, AttributeError, IndexError):  # the hooks' errors: said by the slow path
        return None
    order: Order = ORDER_ATTRIBUTES.new(values, snapshot)
    return order


def _order_relationships(value: object) -> object:
    taken = _relationships_snapshot(value)
    if taken is None:
        return _structure_order_relationships(value, OrderRelationships)
    return Deferred(_build_relationships, taken)


def _structure_order(payload: JSONValue) -> Order:
    """The ``Order`` of a 200 answer: the resource flattened (attributes beside ``id``, ``type``,
    ``links``, …) and structured straight into ``Order`` in one pass, naming the path of a defect."""
    document = payload if isinstance(payload, dict) else {}
    data = document.get("data")
    if not isinstance(data, dict):
        problem = f"expected a JSON:API document with a 'data' object, got {describe_value(data)}"
        raise ShapeError(problem, path=("data",))
    if not isinstance(data.get("type"), str):
        raise ShapeError(f"expected the resource type, got {describe_value(data.get('type'))}", path=("data", "type"))
    if "id" not in data:
        raise ShapeError("missing required field", path=("data", "id"))
    attributes = data.get("attributes", {})
    if not isinstance(attributes, dict):
        raise ShapeError(f"expected a JSON object, got {describe_value(attributes)}", path=("data", "attributes"))
    included = document.get("included") or []
    if not isinstance(included, list):
        raise ShapeError(f"expected a JSON array, got {describe_value(included)}", path=("included",))
    flat = dict(attributes)
    clashing = {name: flat.pop(name) for name in _ENVELOPE_KEYS.intersection(flat)}
    if isinstance(flat.get("number"), int):
        flat["number"] = str(flat["number"])  # schema 3.x: integer
    for name in _ENVELOPE:
        if name in data:
            flat[name] = data[name]
    flat["included"] = included
    try:
        order = converter.structure(flat, Order)
    except ShapeError as exc:  # back from the flat order to where the value sits in the document
        raise exc.at(*_document_path(exc.path[0] if exc.path else None)) from None
    if order.type != "orders":
        problem = f"expected a resource of type 'orders', got {describe_value(order.type)}"
        raise ShapeError(problem, path=("data", "type"))
    if clashing:  # attributes named like the envelope: kept, like any unknown attribute, in extra
        object.__setattr__(order, "extra", {**order.extra, **clashing})
    return order


# -- requests --------------------------------------------------------------------------------

def _names(value: object, *, field: str, pattern: re.Pattern[str], expected: str) -> str:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not items or not all(
            isinstance(item, str) and pattern.fullmatch(item) for item in items):
        raise ValidationError(f"{field}: expected {expected}, got {value!r:.80}", field=field, expected=expected)
    return ",".join(items)


def _query(include: Include | None, fields: Fields | None) -> dict[str, str]:
    params: dict[str, str] = {}
    if include is not None:
        params["include"] = _names(include, field="include", pattern=_PATH,
                                   expected="relationship paths such as 'market' or 'line_items.item'")
    if fields is not None:
        if not isinstance(fields, Mapping):
            raise ValidationError(f"fields: expected a mapping of resource type to field names, got {fields!r:.80}",
                                  field="fields", expected="Mapping[str, Sequence[str]]")
        for resource_type, names in fields.items():
            key = _names(resource_type, field="fields", pattern=_NAME, expected="resource types such as 'orders'")
            params[f"fields[{key}]"] = _names(names, field=f"fields[{key}]", pattern=_NAME,
                                              expected="attribute names such as 'status'")
    return params


def order_document(order_id: str, changes: OrderUpdate) -> dict[str, object]:
    """The JSON:API body: attributes (always present, even empty) and relationships (if any)."""
    attributes = converter.unstructure(changes)
    relationships = {name: {"data": attributes.pop(name)} for name in _RELATIONSHIPS_SORTED if name in attributes}
    data: dict[str, object] = {"type": "orders", "id": order_id, "attributes": attributes}
    if relationships:
        data["relationships"] = relationships
    return {"data": data}


_RELATIONSHIPS_SORTED = tuple(sorted(RELATIONSHIPS))
#: The non-idempotent triggers' values of an ``OrderUpdate``, read in one call.
_triggers = operator.attrgetter(*sorted(NON_IDEMPOTENT_TRIGGERS))
_TRIGGER_COUNT = len(NON_IDEMPOTENT_TRIGGERS)


def is_idempotent(changes: OrderUpdate) -> bool:
    """Whether sending ``changes`` twice is harmless: no trigger the schema leaves unflagged."""
    return _triggers(changes).count(UNSET) == _TRIGGER_COUNT  # every one of them left UNSET


def build_update_request(
    base_url: httpx.URL,
    order_id: str,
    changes: OrderUpdate,
    *,
    include: Include | None = None,
    fields: Fields | None = None,
) -> Call[Order]:
    """``PATCH {base}/api/orders/{id}[?include=…&fields[…]=…]`` with the JSON:API document."""
    if not isinstance(changes, OrderUpdate):
        raise ValidationError(
            f"changes: expected orderpatch.commercelayer.OrderUpdate, got {type(changes).__name__}",
            field="changes", expected="commercelayer.OrderUpdate",
        )
    path_id = check_id(order_id)
    request = httpx.Request(
        "PATCH",
        url_for(base_url, "api", "orders", path_id, params=_query(include, fields)),
        content=encode_json(order_document(path_id, changes)),
        headers={"Accept": JSONAPI, "Content-Type": JSONAPI},
    )
    return Call(request=request, parse=parse_order, idempotent=is_idempotent(changes))


def build_trigger_request(
    base_url: httpx.URL,
    order_id: str,
    trigger: Trigger,
    *,
    include: Include | None = None,
    fields: Fields | None = None,
) -> Call[Order]:
    """The PATCH of one trigger set to ``true``, as the official SDK's helpers send it."""
    changes = _SHORTCUTS.get(trigger)
    if changes is None:
        expected = " | ".join(map(repr, _SHORTCUTS))
        raise ValidationError(f"trigger: expected {expected}, got {trigger!r:.80}", field="trigger", expected=expected)
    return build_update_request(base_url, order_id, changes, include=include, fields=fields)


_SHORTCUTS: dict[str, OrderUpdate] = {
    "place": OrderUpdate(place=True), "approve": OrderUpdate(approve=True), "cancel": OrderUpdate(cancel=True),
    "capture": OrderUpdate(capture=True), "refund": OrderUpdate(refund=True), "archive": OrderUpdate(archive=True),
    "unarchive": OrderUpdate(unarchive=True), "refresh": OrderUpdate(refresh=True),
}
