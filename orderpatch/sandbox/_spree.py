"""Spree Platform API v2 emulation: ``/spree_oauth/token`` and the order update and action endpoints.

Facts from ``shared/vendors/spree/README.md``: Doorkeeper client-credentials tokens whose scope
must include ``read``/``write`` or ``admin``; orders found by number or database id; a Rails-style
``{"order": {...}}`` body whose nulls are dropped, whose unknown keys are ignored and whose nested
``*_attributes`` are flat; JSON:API responses (``include``, ``fields[order]``); errors as
``{"error": ...}`` and 422 ``{"error": ..., "errors": {attr: [msgs]}}``.

Guesses: the 400 body for an unknown ``include`` (jsonapi-serializer's message), the country ids
behind ``country_iso``, and the reduced checkout requirements in ``_spree_checkout.py``.
"""

from __future__ import annotations

import copy
import re
import secrets
from decimal import Decimal

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from . import _spree_checkout as checkout
from ._auth import OAuthError, invalid_client, invalid_scope, read_token_request
from ._credentials import SANDBOX_CREDENTIALS
from ._http import (
    JSONAPI_TYPE,
    BodyError,
    Document,
    Reject,
    authorization,
    csv_param,
    is_json_media_type,
    iso_millis,
    json_response,
    media_type,
    parse_json,
    parse_timestamp,
    reject_json,
    utcnow,
)
from ._reading import spree_read_routes
from ._seeds import spree_orders, spree_related
from ._vendor import Vendor

_MONEY = frozenset(
    {
        "item_total",
        "total",
        "adjustment_total",
        "payment_total",
        "shipment_total",
        "additional_tax_total",
        "promo_total",
        "included_tax_total",
        "taxable_adjustment_total",
        "non_taxable_adjustment_total",
    }
)
_INTEGERS = frozenset({"item_count", "state_lock_version"})
#: The counters are 4-byte integers; money columns are ``decimal(10,2)`` (``checkout.fits_money``).
#: A value past them is refused with ActiveModel's "is out of range" (a 422) rather than reaching
#: the database (PostgreSQL's overflow, a 500 in Rails).
_INTEGER_LIMIT = 2**31
_IDS = frozenset(
    {
        "user_id",
        "bill_address_id",
        "ship_address_id",
        "created_by_id",
        "approver_id",
        "canceler_id",
        "store_id",
        "gift_card_id",
    }
)
_TIMES = frozenset({"completed_at", "approved_at", "canceled_at", "created_at", "updated_at"})
_BOOLEANS = frozenset(
    {
        "confirmation_delivered",
        "considered_risky",
        "store_owner_notification_delivered",
        "accept_marketing",
        "signup_for_an_account",
    }
)
_STRINGS = frozenset(
    {
        "number",
        "state",
        "shipment_state",
        "payment_state",
        "email",
        "special_instructions",
        "currency",
        "last_ip_address",
        "channel",
        "token",
        "internal_note",
    }
)
_HASHES = frozenset({"public_metadata", "private_metadata"})
_ADDRESS_COLUMNS = frozenset(
    {
        "firstname",
        "lastname",
        "address1",
        "address2",
        "city",
        "zipcode",
        "phone",
        "state_name",
        "alternative_phone",
        "company",
        "state_id",
        "country_id",
        "user_id",
        "label",
        "quick_checkout",
        "latitude",
        "longitude",
        "public_metadata",
        "private_metadata",
    }
)
def _scalar(value: object) -> bool:
    """Whether Rails' ``permit(:name)`` keeps a nested value: a non-null scalar, not an object or array."""
    return value is not None and not isinstance(value, dict | list)


_ADDRESS_REQUIRED = ("firstname", "lastname", "address1", "city", "zipcode", "phone", "country_id")
#: ``country_iso`` → ``country_id`` (Spree's seeded ids are per-install; these are the sandbox's).
_COUNTRIES = {"US": 224, "CA": 35, "GB": 77, "DE": 56, "FR": 75, "IT": 109}
#: Attributes the serializer hides: Spree::Base.json_api_columns' unanchored regex.
_HIDDEN = re.compile(r"_id$|id|preferences|password|token|api_key|^original_")
_FALSE_VALUES = {False, "0", "f", "F", "false", "FALSE", "off", "OFF"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TO_ONE = {
    "user": ("user_id", "user"),
    "created_by": ("created_by_id", "user"),
    "approver": ("approver_id", "user"),
    "canceler": ("canceler_id", "user"),
    "bill_address": ("bill_address_id", "address"),
    "ship_address": ("ship_address_id", "address"),
}
_TO_MANY = {
    "line_items": ("line_item_ids", "line_item"),
    "payments": ("payment_ids", "payment"),
    "shipments": ("shipment_ids", "shipment"),
    "state_changes": ("state_change_ids", "state_change"),
    "return_authorizations": ("", "return_authorization"),
    "reimbursements": ("", "reimbursement"),
    "adjustments": ("adjustment_ids", "adjustment"),
    "all_adjustments": ("adjustment_ids", "adjustment"),
    "order_promotions": ("promotion_ids", "order_promotion"),
}
_ACTIONS = frozenset(
    {"next", "advance", "complete", "empty", "approve", "cancel", "apply_coupon_code", "use_store_credit"}
)
_NOT_FOUND = "The resource you were looking for could not be found."


def _unprocessable(errors: dict[str, list[str]], *, sentence: bool) -> Reject:
    """A 422 with Rails' full messages: ``to_sentence`` for models, ``", "`` for service results."""
    messages = [
        message if attribute == "base" else f"{_humanize(attribute)} {message}"
        for attribute, items in errors.items()
        for message in items
    ]
    if sentence and len(messages) > 1:
        text = (
            f"{messages[0]} and {messages[1]}"
            if len(messages) == 2
            else f"{', '.join(messages[:-1])}, and {messages[-1]}"
        )
    else:
        text = ", ".join(messages)
    return reject_json({"error": text, "errors": errors}, 422, media_type=JSONAPI_TYPE)


def _humanize(attribute: str) -> str:
    return attribute.replace(".", " ").replace("_", " ").capitalize()


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


class Spree(Vendor):
    """Spree Platform API v2, mounted under ``/spree``."""

    name = "spree"

    def reset(self) -> None:
        self.orders = spree_orders()
        self.related = spree_related()

    def routes(self) -> list[BaseRoute]:
        base = "/api/v2/platform/orders/{order_id}"
        return [
            Route("/spree_oauth/token", self.token_endpoint, methods=["POST"]),
            Route(base, self.update_order, methods=["PATCH", "PUT"]),
            Route(base + "/{action}", self.order_action, methods=["PATCH"]),
            *spree_read_routes(self),
        ]

    def error(self, status: int, message: str) -> Response:
        return json_response({"error": _NOT_FOUND if status == 404 else message}, status, media_type=JSONAPI_TYPE)

    # ------------------------------------------------------------------ OAuth (Doorkeeper)

    async def token_endpoint(self, request: Request) -> Response:
        """``client_credentials`` with ``scope`` (``admin`` recommended); no refresh token."""
        try:
            grant = await read_token_request(request)
            known = SANDBOX_CREDENTIALS[self.name]
            if (grant.client_id, grant.client_secret) != (known["client_id"], known["client_secret"]):
                raise invalid_client()
            scope = " ".join((grant.scope or "").split())
            if not set(scope.split()) <= {"admin", "read", "write"}:
                raise invalid_scope()
        except OAuthError as exc:
            return json_response({"error": exc.error, "error_description": exc.description}, exc.status)
        token = self.issue_token(secrets.token_hex(32), "app", scope)
        body = {"access_token": token.value, "token_type": "Bearer", "expires_in": token.expires_in, "scope": scope}
        return json_response({**body, "created_at": int(token.created_at)})

    def _authenticate(self, request: Request) -> None:
        """Doorkeeper in raise mode: every failure is a 401 ``{"error": ...}``, reads and writes alike."""
        value = authorization(request, "Bearer") or request.query_params.get("access_token")
        token = self.tokens.find(self.name, value) if value else None
        if token is None:
            raise reject_json({"error": "The access token is invalid"}, 401, media_type=JSONAPI_TYPE)
        if token.expired(self.state.clock()):
            raise reject_json({"error": "The access token expired"}, 401, media_type=JSONAPI_TYPE)
        scopes = set(token.scope.split())
        for needed in (("read", "admin"), ("write", "admin")):  # every action here writes
            if not scopes & set(needed):
                message = f'Access to this resource requires scope "{" ".join(needed)}".'
                raise reject_json({"error": message}, 401, media_type=JSONAPI_TYPE)

    def _find(self, order_id: str) -> Document:
        """``NumberResource``: by number first, then by database id."""
        for order in self.orders.values():
            if order["number"] == order_id:
                return order
        found = self.orders.get(_as_int(order_id) or -1)
        if found is None:
            raise reject_json({"error": _NOT_FOUND}, 404, media_type=JSONAPI_TYPE)
        return found

    @staticmethod
    def _read_include(request: Request) -> list[str]:
        include = csv_param(request, "include") or []
        for path in include:
            if path.split(".", 1)[0] not in {*_TO_ONE, *_TO_MANY}:
                raise reject_json(
                    {
                        "error": f"{path} is not specified as a relationship on "
                        "Spree::Api::V2::Platform::OrderSerializer"
                    },
                    400,
                    media_type=JSONAPI_TYPE,
                )
        return include

    @staticmethod
    def _read_body(request: Request, raw: bytes) -> Document:
        """Rails' params: JSON bodies only; other content types leave the params empty."""
        if not is_json_media_type(media_type(request) or "application/json"):
            return {}
        try:
            body = parse_json(raw)
        except BodyError as exc:
            raise reject_json(
                {"error": f"Error occurred while parsing request parameters: {exc}"}, 400, media_type=JSONAPI_TYPE
            ) from exc
        return body if isinstance(body, dict) else {}

    # ------------------------------------------------------------------ PATCH orders/{id}

    async def update_order(self, request: Request) -> Response:
        """``Checkout::Update``: permit, drop nulls, validate, save; a missing ``order`` is a no-op."""
        self._authenticate(request)
        include = self._read_include(request)
        raw = await request.body()
        with self.state.lock:
            order = self._find(request.path_params["order_id"])
            body = self._read_body(request, raw)
            changes = body.get("order", {})
            if not isinstance(changes, dict):
                raise reject_json(
                    {"error": "param is missing or the value is empty: order"}, 400, media_type=JSONAPI_TYPE
                )
            working = copy.deepcopy(order)
            try:
                self._update(
                    working,
                    {k: v for k, v in changes.items() if v is not None},
                    keep_state=body.get("do_not_change_state") in (True, "true"),
                )
            except checkout.CheckoutError as exc:  # an amount the columns cannot hold (``checkout.money``)
                raise _unprocessable(exc.errors, sentence=True) from exc
            working["updated_at"] = iso_millis(utcnow())
            order.clear()
            order.update(working)
            return self._respond(request, order, include)

    def _update(self, order: Document, changes: Document, *, keep_state: bool) -> None:
        errors: dict[str, list[str]] = {}
        for key, value in changes.items():
            problem = self._assign(order, key, value)
            if problem is not None:
                errors.setdefault(key, []).append(problem)
        moved_back = False
        for kind in ("bill_address", "ship_address"):
            attrs = changes.get(f"{kind}_attributes")
            if isinstance(attrs, dict):
                order[f"{kind}_id"] = self._build_address(order, kind, attrs, errors)
                moved_back = moved_back or "country_iso" in attrs
        items = changes.get("line_items_attributes")
        if isinstance(items, dict):  # Rails also accepts {"0": {...}, "1": {...}}
            items = list(items.values())
        if isinstance(items, list):
            self._add_line_items(order, [item for item in items if isinstance(item, dict)], errors)
        if isinstance(changes.get("payments_attributes"), list):
            for payment in changes["payments_attributes"]:
                if isinstance(payment, dict) and checkout.decimal(payment.get("amount", 0)) is not None:
                    order["payment_ids"].append(
                        self._create(
                            "payment",
                            {
                                "amount": checkout.money(checkout.decimal(payment.get("amount", 0)) or Decimal(0)),
                                "state": "checkout",
                                "source_type": "Spree::CreditCard",
                            },
                        )
                    )
        if errors:
            raise _unprocessable(errors, sentence=True)
        shipments = changes.get("shipments_attributes")
        moved_to_delivery = isinstance(shipments, list) and any(
            isinstance(s, dict) and s.get("selected_shipping_rate_id") is not None for s in shipments
        )
        if not keep_state and order["state"] in checkout.CHECKOUT_STEPS[2:-1]:
            if moved_back:
                order["state"] = "address"
            elif moved_to_delivery:
                order["state"] = "delivery"

    @staticmethod
    def _assign(order: Document, key: str, value: object) -> str | None:
        """Cast one permitted column as ActiveRecord would; returns a validation message or None."""
        if key in _MONEY or key in _INTEGERS:
            number = checkout.decimal(value)
            if number is None:
                return "is not a number"
            if key in _INTEGERS:
                if number != number.to_integral_value():
                    return "must be an integer"
                if not -_INTEGER_LIMIT <= number < _INTEGER_LIMIT:
                    return "is out of range"
                order[key] = int(number)
            elif not checkout.fits_money(number):
                return "is out of range"
            else:
                order[key] = checkout.money(number)
        elif key in _IDS:
            order[key] = _as_int(value)
        elif key in _TIMES:
            moment = parse_timestamp(value) if isinstance(value, str) else None
            order[key] = iso_millis(moment) if moment else None
        elif key in _BOOLEANS:
            # ActiveModel's boolean cast: "" is nil, the listed false values are false, anything else true.
            hashable = isinstance(value, bool | int | float | str)
            order[key] = None if value == "" else not (hashable and value in _FALSE_VALUES)
        elif key in _HASHES:
            if isinstance(value, dict):
                order[key] = value
        elif key in _STRINGS and isinstance(value, str | int | float):
            text = str(value)
            if key == "state" and text not in checkout.STATES:
                return "is invalid"
            if (
                key in {"shipment_state", "payment_state"}
                and text
                and text not in (checkout.SHIPMENT_STATES if key == "shipment_state" else checkout.PAYMENT_STATES)
            ):
                return "is not included in the list"
            if key == "email" and text and not _EMAIL.match(text):
                return "is invalid"
            order[key] = text
        return None  # anything else is an unpermitted parameter: Rails drops it silently

    def _build_address(self, order: Document, kind: str, attrs: Document, errors: dict[str, list[str]]) -> int | None:
        """Nested addresses always create a record; an ``id`` of another user's address is refused."""
        raw_id = _as_int(attrs.get("id"))
        existing = self.related["address"].get(raw_id) if raw_id is not None else None
        if existing is not None and existing["user_id"] != order["user_id"]:
            raise reject_json(
                {"error": "The specified address does not belong to this user.", "errors": {}},
                422,
                media_type=JSONAPI_TYPE,
            )
        # Rails permits nested columns by bare name: object and array values are dropped there.
        fields = {k: v for k, v in attrs.items() if k in _ADDRESS_COLUMNS and _scalar(v)}
        iso = attrs.get("country_iso")
        if "country_id" not in fields and isinstance(iso, str):
            fields["country_id"] = _COUNTRIES.get(iso.upper())
        missing = [name for name in _ADDRESS_REQUIRED if fields.get(name) in (None, "")]
        for name in missing:
            errors.setdefault(f"{kind}.{name.removesuffix('_id')}", []).append("can't be blank")
        if missing:
            return order.get(f"{kind}_id")
        return self._create("address", {**fields, "user_id": order["user_id"]})

    def _add_line_items(self, order: Document, items: list[Document], errors: dict[str, list[str]]) -> None:
        """Nested line items can only be added (neither ``id`` nor ``_destroy`` is permitted)."""
        for item in items:
            variant = self.related["variant"].get(_as_int(item.get("variant_id")) or -1)
            quantity = _as_int(item.get("quantity", 1))
            if variant is None:
                errors.setdefault("line_items.variant", []).append("must exist")
            elif quantity is None or quantity < 0:
                errors.setdefault("line_items.quantity", []).append("must be greater than -1")
            else:
                given = checkout.decimal(item.get("price"))
                price = given if given is not None else checkout.decimal(variant["price"]) or Decimal(0)
                record = {
                    "variant_id": _as_int(item["variant_id"]),
                    "quantity": quantity,
                    "price": checkout.money(price),
                    "currency": order.get("currency") or "USD",
                }
                cost = checkout.decimal(item.get("cost_price"))
                if cost is not None:
                    record["cost_price"] = checkout.money(cost)
                order["line_item_ids"].append(self._create("line_item", record))
                order["item_count"] = int(order.get("item_count") or 0) + quantity
                order["item_total"] = checkout.money(checkout.amount(order, "item_total") + price * quantity)
                checkout.recalculate_totals(order)

    def _create(self, kind: str, record: Document) -> int:
        new_id = 1000 + self.state.next_number()
        self.related[kind][new_id] = record
        return new_id

    # ------------------------------------------------------------------ PATCH orders/{id}/<action>

    async def order_action(self, request: Request) -> Response:
        """``next``, ``advance``, ``complete``, ``empty``, ``approve``, ``cancel``, coupons, store credit."""
        action = request.path_params["action"]
        if action not in _ACTIONS:
            raise reject_json({"error": _NOT_FOUND}, 404, media_type=JSONAPI_TYPE)
        self._authenticate(request)
        include = self._read_include(request)
        raw = await request.body()
        with self.state.lock:
            order = self._find(request.path_params["order_id"])
            params = {**request.query_params, **self._read_body(request, raw)}
            working = copy.deepcopy(order)
            now = iso_millis(utcnow())
            try:
                self._run_action(working, action, params, now)
            except checkout.CheckoutError as exc:
                if action == "empty":
                    raise reject_json({"error": "", "errors": {}}, 422, media_type=JSONAPI_TYPE) from exc
                raise _unprocessable(exc.errors, sentence=False) from exc
            working["updated_at"] = now
            order.clear()
            order.update(working)
            return self._respond(request, order, include)

    def _run_action(self, order: Document, action: str, params: Document, now: str) -> None:
        if action == "next":
            checkout.next_step(order, now)
        elif action in {"advance", "complete"}:
            checkout.advance(order, now, until="confirm" if action == "advance" else "complete")
        elif action == "empty":
            checkout.empty(order)
        elif action == "approve":
            order["considered_risky"] = False  # an app token has no user to record as approver
        elif action == "cancel":
            checkout.cancel(order, now)
        elif action == "apply_coupon_code":
            message = checkout.apply_coupon(order, params.get("coupon_code"))
            if message is not None:
                raise reject_json({"error": message}, 422, media_type=JSONAPI_TYPE)
        else:
            self._use_store_credit(order, params.get("amount"))

    def _use_store_credit(self, order: Document, requested: object) -> None:
        user = self.related["user"].get(order["user_id"] or -1, {})
        available = checkout.amount(user, "store_credit")
        if available <= 0:
            raise reject_json(
                {"error": "User does not have any Store Credits available", "errors": {}}, 422, media_type=JSONAPI_TYPE
            )
        applied = checkout.applied_store_credit(order, self.related["payment"])
        covered = min(available - applied, checkout.amount(order, "total") - applied)
        wanted = checkout.decimal(requested) if requested is not None else None
        credit = min(wanted, covered) if wanted is not None else covered
        if credit > 0:
            payment = {"amount": checkout.money(credit), "state": "checkout", "source_type": "Spree::StoreCredit"}
            order["payment_ids"].append(self._create("payment", payment))

    # ------------------------------------------------------------------ rendering

    def _respond(self, request: Request, order: Document, include: list[str]) -> Response:
        document: Document = {"data": self.resource_of(order, csv_param(request, "fields[order]"))}
        if include:
            document["included"] = self._included(order, include)
        return json_response(document, media_type=JSONAPI_TYPE)

    def resource_of(self, order: Document, fields: list[str] | None) -> Document:
        """The order as a JSON:API resource object (``fields[order]`` applied)."""
        user = self.related["user"].get(order["user_id"] or -1, {})
        credit = checkout.applied_store_credit(order, self.related["payment"])
        attributes = {k: v for k, v in order.items() if not _HIDDEN.search(k)}
        attributes.update(checkout.display_attributes(order, checkout.amount(user, "store_credit"), credit))
        relationships: Document = {}
        for name, (column, kind) in _TO_ONE.items():
            related_id = order.get(column)
            relationships[name] = {"data": None if related_id is None else {"id": str(related_id), "type": kind}}
        for name, (column, kind) in _TO_MANY.items():
            relationships[name] = {"data": [{"id": str(i), "type": kind} for i in order.get(column, [])]}
        if fields is not None:
            attributes = {k: v for k, v in attributes.items() if k in fields}
            relationships = {k: v for k, v in relationships.items() if k in fields}
        return {"id": str(order["id"]), "type": "order", "attributes": attributes, "relationships": relationships}

    def _included(self, order: Document, include: list[str]) -> list[Document]:
        """Resource objects for ``include`` paths (one level, plus ``line_items.variant``)."""
        found: dict[tuple[str, int], Document] = {}
        for path in include:
            head, _, rest = path.partition(".")
            column, kind = _TO_ONE.get(head) or _TO_MANY[head]
            value = order.get(column) if column else None
            for related_id in value if isinstance(value, list) else [value] if value is not None else []:
                found[(kind, related_id)] = self._resource(kind, related_id)
                if kind == "line_item" and rest == "variant":
                    variant_id = self.related["line_item"].get(related_id, {}).get("variant_id")
                    if variant_id is not None:
                        found[("variant", variant_id)] = self._resource("variant", variant_id)
        return list(found.values())

    def _resource(self, kind: str, related_id: int) -> Document:
        record = self.related.get(kind, {}).get(related_id, {})
        attributes = {k: v for k, v in record.items() if not _HIDDEN.search(k) and k != "store_credit"}
        resource: Document = {"id": str(related_id), "type": kind, "attributes": attributes, "relationships": {}}
        if kind == "line_item" and record.get("variant_id") is not None:
            resource["relationships"]["variant"] = {"data": {"id": str(record["variant_id"]), "type": "variant"}}
        return resource
