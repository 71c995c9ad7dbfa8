"""Commerce Layer's order model: updatable fields, trigger attributes and the status machine.

Field lists are schema 7.9.16's (``shared/vendors/commercelayer/order_update_schema.json`` →
``current_order_fields_v7_9_16``); transitions follow the README's trigger table and lifecycle.
An order here is ``{"attributes": {...}, "links": {relationship: (type, id) | [...] | None}}``.
Changes are checked first and applied after, so a refused request changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ._http import JSONAPI_TYPE, Document, Reject, json_response

Link = tuple[str, str]
CloneAddress = Callable[[Link | None], Link | None]

_STRING, _BOOL, _INT, _OBJECT = "string", "boolean", "integer", "object"
_PYTHON_TYPES: dict[str, type | tuple[type, ...]] = {_STRING: str, _BOOL: bool, _OBJECT: dict}

# fmt: off
#: Updatable plain attributes and their JSON types.
ATTRIBUTES: dict[str, str] = {
    "number": _STRING, "affiliate_code": _STRING, "autorefresh": _BOOL, "place_async": _BOOL,
    "guest": _BOOL, "customer_email": _STRING, "customer_password": _STRING,
    "language_code": _STRING, "freight_taxable": _BOOL, "payment_method_taxable": _BOOL,
    "adjustment_taxable": _BOOL, "gift_card_taxable": _BOOL, "shipping_country_code_lock": _STRING,
    "coupon_code": _STRING, "gift_card_code": _STRING, "gift_card_or_coupon_code": _STRING,
    "cart_url": _STRING, "return_url": _STRING, "terms_url": _STRING, "privacy_url": _STRING,
    "expires_at": _STRING, "expiration_info": _OBJECT, "reference": _STRING,
    "reference_origin": _STRING, "metadata": _OBJECT,
}
#: Trigger attributes that carry a value rather than ``true``.
VALUE_TRIGGERS: dict[str, str] = {
    "_authorization_amount_cents": _INT, "_billing_address_clone_id": _STRING,
    "_shipping_address_clone_id": _STRING, "_customer_payment_source_id": _STRING,
    "_add_tags": _STRING, "_remove_tags": _STRING,
}
BOOL_TRIGGERS = frozenset((
    "_archive", "_unarchive", "_pending", "_place", "_cancel", "_approve", "_approve_and_capture",
    "_authorize", "_capture", "_refund", "_fulfill", "_update_taxes", "_nullify_payment_source",
    "_fix_payment_source", "_shipping_address_same_as_billing", "_billing_address_same_as_shipping",
    "_commit_invoice", "_refund_invoice", "_save_payment_source_to_customer_wallet",
    "_save_shipping_address_to_customer_address_book", "_save_billing_address_to_customer_address_book",
    "_refresh", "_refresh_prices", "_validate", "_create_subscriptions", "_start_editing",
    "_stop_editing", "_reset_circuit",
))
#: "Cannot be passed by sales channels" (``prohibited`` in the schema).
PROHIBITED = frozenset((
    "number", "_pending", "_approve", "_approve_and_capture", "_capture", "_refund", "_fulfill",
    "_fix_payment_source", "_refresh_prices", "_start_editing", "_stop_editing", "expires_at",
    "expiration_info", "_reset_circuit", "_add_tags", "_remove_tags", "tags",
))
#: Updatable relationships and the resource types each accepts.
RELATIONSHIP_TYPES: dict[str, frozenset[str]] = {
    "market": frozenset(("markets",)), "customer": frozenset(("customers",)),
    "shipping_address": frozenset(("addresses",)), "billing_address": frozenset(("addresses",)),
    "store": frozenset(("stores",)), "payment_method": frozenset(("payment_methods",)),
    "payment_source": frozenset((
        "adyen_payments", "axerve_payments", "braintree_payments", "checkout_com_payments",
        "external_payments", "klarna_payments", "paypal_payments", "satispay_payments",
        "stripe_payments", "wire_transfers",
    )),
    "tags": frozenset(("tags",)),
}
# fmt: on
NOT_FETCHABLE = frozenset({"customer_password"})
EDITABLE = frozenset({"draft", "pending", "editing"})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PLACE_NEEDS = ("customer_email", "billing_address", "shipping_address", "payment_method", "payment_source")


def error_object(
    status: int, code: str, title: str, detail: str, *, pointer: str | None = None, meta: Document | None = None
) -> Document:
    """One entry of a JSON:API ``errors[]`` array, with ``status`` as a string as documented."""
    error: Document = {"title": title, "detail": detail, "code": code, "status": str(status)}
    if pointer is not None:
        error["source"] = {"pointer": pointer}
    if meta is not None:
        error["meta"] = meta
    return error


def reject(status: int, code: str, title: str, detail: str, **extra: Any) -> Reject:
    """A Commerce Layer error response with one error, ready to ``raise``."""
    return reject_all(status, [error_object(status, code, title, detail, **extra)])


def reject_all(status: int, errors: list[Document]) -> Reject:
    """A Commerce Layer error response listing ``errors``."""
    return Reject(json_response({"errors": errors}, status, media_type=JSONAPI_TYPE))


def invalid(name: str, message: str, value: object, error: str, *, relationship: bool = False) -> Document:
    """A ``VALIDATION_ERROR`` entry shaped like the documented 422 (``detail`` = "name - message")."""
    pointer = f"/data/{'relationships' if relationship else 'attributes'}/{name}"
    meta = {"error": error, "value": value}
    return error_object(422, "VALIDATION_ERROR", message, f"{name} - {message}", pointer=pointer, meta=meta)


def apply_changes(
    order: Document, attributes: Document, relationships: Document, now: str, clone: CloneAddress
) -> None:
    """Plain attributes and relationships first, then the triggers in the order they were sent."""
    errors: list[Document] = []
    current = order["attributes"]
    for name, value in attributes.items():
        kind = ATTRIBUTES.get(name) or VALUE_TRIGGERS.get(name) or _BOOL
        problem = _type_problem(kind, value, nullable=name in ATTRIBUTES and kind != _BOOL)
        if problem is None and name == "customer_email" and value is not None and not _EMAIL.match(value):
            problem = "is invalid"
        if problem is not None:
            errors.append(invalid(name, problem, value, "invalid"))
        elif name in ATTRIBUTES and name not in NOT_FETCHABLE:
            current[name] = value
    for name, value in relationships.items():
        problem = _link_problem(name, value)
        if problem is not None:
            errors.append(invalid(name, problem, value, "invalid", relationship=True))
        else:
            order["links"][name] = _link_value(value["data"])
    if errors:
        raise reject_all(422, errors)
    for name, value in attributes.items():
        if (name in BOOL_TRIGGERS and value is True) or name in VALUE_TRIGGERS:
            fire(order, name, value, now, clone)


def _type_problem(kind: str, value: object, *, nullable: bool) -> str | None:
    if value is None:
        return None if nullable else "can't be blank"
    if kind == _INT:
        return None if isinstance(value, int) and not isinstance(value, bool) else "is not a number"
    return None if isinstance(value, _PYTHON_TYPES[kind]) else f"must be a {kind}"


def _link_problem(name: str, value: object) -> str | None:
    """Check ``{"data": identifier | null}`` (to-one) or ``{"data": [identifiers]}`` (tags)."""
    if not isinstance(value, dict) or "data" not in value:
        return "must be an object with data"
    data = value["data"]
    if name == "tags" and not isinstance(data, list):
        return "must be a list of resource identifiers"
    for item in data if isinstance(data, list) else [] if data is None else [data]:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            return "must be a resource identifier object with type and id"
        if not isinstance(item.get("type"), str) or item["type"] not in RELATIONSHIP_TYPES[name]:
            return f"{item.get('type')} is not a valid type for {name}"
    return None


def _link_value(data: object) -> Link | list[Link] | None:
    if isinstance(data, list):
        return [(item["type"], item["id"]) for item in data]
    return (data["type"], data["id"]) if isinstance(data, dict) else None


def finish_async_placing(order: Document, now: str) -> None:
    """An order left ``placing`` by ``place_async`` has finished placing by the next request."""
    if order["attributes"]["status"] == "placing":
        _complete_placing(order["attributes"], now)


def _complete_placing(attributes: Document, now: str) -> None:
    free = attributes.get("total_amount_with_taxes_cents") == 0
    attributes.update(
        status="placed", placed_at=now, payment_updated_at=now, payment_status="free" if free else "authorized"
    )


def _capture(attributes: Document, now: str) -> None:
    attributes.update(
        payment_status="paid", payment_updated_at=now, fulfillment_status="in_progress", fulfillment_updated_at=now
    )


def _require(condition: bool, trigger: str, attributes: Document) -> None:
    """Refuse a trigger that does not fit the order's state (422; body shape guessed)."""
    if not condition:
        status = attributes["status"]
        message = f"cannot transition from {status}"
        meta = {"error": "invalid_transition", "status": status, "payment_status": attributes["payment_status"]}
        pointer = f"/data/attributes/{trigger}"
        raise reject(422, "VALIDATION_ERROR", message, f"{trigger} - {message}", pointer=pointer, meta=meta)


def _require_present(order: Document, names: tuple[str, ...], trigger: str) -> None:
    attributes, links = order["attributes"], order["links"]
    missing = [name for name in names if not (attributes.get(name) if name in attributes else links.get(name))]
    errors = [invalid(name, "can't be blank", None, "blank", relationship=name not in attributes) for name in missing]
    for error in errors:
        error["meta"]["trigger"] = trigger
    if errors:
        raise reject_all(422, errors)


def fire(order: Document, trigger: str, value: object, now: str, clone: CloneAddress) -> None:
    """Run one trigger attribute against ``order``."""
    attributes = order["attributes"]
    status, payment = attributes["status"], attributes["payment_status"]
    if trigger == "_pending":
        _require(status in {"draft", "placing"}, trigger, attributes)
        _require_present(order, ("customer_email",), trigger)
        attributes["status"] = "pending"
    elif trigger == "_place":
        if status in {"placing", "placed", "approved"}:
            return  # documented as idempotent: placing again changes nothing
        _require(status == "pending", trigger, attributes)
        _require_present(order, _PLACE_NEEDS, trigger)
        if attributes.get("place_async"):
            attributes["status"] = "placing"
        else:
            _complete_placing(attributes, now)
    elif trigger == "_authorize":
        if payment != "authorized":  # idempotent as well
            _require(
                status in {"pending", "placed"} and payment in {"unpaid", "partially_authorized"}, trigger, attributes
            )
            attributes.update(payment_status="authorized", payment_updated_at=now)
    elif trigger == "_cancel":
        _require(status == "placed", trigger, attributes)
        voided = "voided" if payment in {"authorized", "partially_authorized"} else payment
        attributes.update(status="cancelled", cancelled_at=now, payment_status=voided, payment_updated_at=now)
    elif trigger in {"_approve", "_approve_and_capture"}:
        _require(status == "placed" and (trigger == "_approve" or payment == "authorized"), trigger, attributes)
        attributes.update(status="approved", approved_at=now)
        if trigger == "_approve_and_capture":
            _capture(attributes, now)
    elif trigger == "_capture":
        _require(status == "approved" and payment == "authorized", trigger, attributes)
        _capture(attributes, now)
    elif trigger == "_refund":
        _require(payment == "paid", trigger, attributes)
        attributes.update(status="cancelled", cancelled_at=now, payment_status="refunded", payment_updated_at=now)
    elif trigger == "_fulfill":
        _require(status == "approved", trigger, attributes)
        attributes.update(fulfillment_status="fulfilled", fulfillment_updated_at=now)
    elif trigger in {"_start_editing", "_stop_editing"}:
        _require(status == ("placed" if trigger == "_start_editing" else "editing"), trigger, attributes)
        attributes["status"] = "editing" if trigger == "_start_editing" else "placed"
    else:
        _fire_side_effect(order, trigger, value, now, clone)


def _fire_side_effect(order: Document, trigger: str, value: object, now: str, clone: CloneAddress) -> None:
    """Triggers that touch timestamps, addresses, payment source or tags but not the statuses."""
    attributes, links = order["attributes"], order["links"]
    if trigger in {"_archive", "_unarchive"}:
        attributes["archived_at"] = now if trigger == "_archive" else None
    elif trigger in {"_refresh", "_refresh_prices", "_update_taxes"}:
        attributes["refreshed_at"] = now
    elif trigger == "_nullify_payment_source":
        links["payment_source"] = None
    elif trigger == "_shipping_address_same_as_billing":
        links["shipping_address"] = clone(links.get("billing_address"))
    elif trigger == "_billing_address_same_as_shipping":
        links["billing_address"] = clone(links.get("shipping_address"))
    elif trigger in {"_billing_address_clone_id", "_shipping_address_clone_id"}:
        links[trigger[1:].removesuffix("_clone_id")] = clone(("addresses", str(value)))
    elif trigger in {"_add_tags", "_remove_tags"}:
        names = [name.strip() for name in str(value).split(",") if name.strip()]
        kept = [tag for tag in links.get("tags") or [] if tag[1] not in names]
        links["tags"] = kept + ([("tags", name) for name in names] if trigger == "_add_tags" else [])
    # The rest (_validate, _commit_invoice, _save_*, ...) act outside the order: accepted, no effect here.
