"""Trunkery (Lana Commerce) emulation: ``POST /orders.json`` — ordersModify, or ordersCreate without ``ids``.

Facts from ``shared/vendors/trunkery/README.md`` and ``error-codes.json``: a JWT bearer token
(999 ``JWTValidationFailed`` when invalid or expired, 996 ``JWTInvalidForWrite`` after ``wexp``,
997 ``NoPermissions`` with ``meta.bits``); the "multiple objects" convention with exactly one id
and one ``OrderModify`` per call; ``updated_at`` as an optimistic-concurrency precondition (1031
``VersionMismatch``); ``Idempotency-Key`` replays of successful calls with a byte-identical body;
1000 ``InvalidInput`` with ``meta.fields``; 1150 ``InvalidOperation`` (``order_not_editable``).

The docs give no HTTP status for errors of direct (non-relay) calls, nor a body wrapper. Guessed:
the body is the bare error object ``{code, message, field?, meta?}`` and the statuses are 400
(input and operation errors), 401 (token errors 401/996/999), 403 (997), 404, 409 (1031), 429.
Also guessed: ``null`` in an ``OrderModify`` field means "not given" (Go's decoding), a type
mismatch is 1030 ``ParsingFailure``, more than one id is 1000 ``max_count_exceeded``, a body/ids
length mismatch is 1132 ``InvalidInputCount``, and only ``cart`` orders are editable.
"""

from __future__ import annotations

import copy
import hashlib
import re
import string
import uuid
from collections.abc import Callable
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ._auth import jwt_decode
from ._credentials import TRUNKERY_SHOP_ID
from ._http import (
    BodyError,
    Document,
    Reject,
    authorization,
    csv_param,
    iso_micros,
    json_response,
    parse_json,
    parse_timestamp,
    utcnow,
)
from ._reading import trunkery_read_routes
from ._seeds import (
    TRUNKERY_DISCOUNTS,
    TRUNKERY_SHIPPING_RATES,
    TRUNKERY_VARIANTS,
    trunkery_line_item,
    trunkery_order,
    trunkery_orders,
)
from ._vendor import Vendor

_HTTP_STATUS = {401: 401, 404: 404, 429: 429, 500: 500, 996: 401, 997: 403, 999: 401, 1031: 409}
#: OrderModify id fields: the prefix the docs' validation pattern asks for, and the order field set.
_REFERENCES = {
    "billing_address_short_id": ("ar_", "billing_address_short"),
    "shipping_address_short_id": ("ar_", "shipping_address_short"),
    "customer_id": ("cu_", "customer"),
    "gateway_id": ("gw_", "gateway"),
    "sales_channel_id": ("sc_", "sales_channel"),
    "subscription_id": ("", "subscription"),
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: OrderModify text fields with a content check: the InvalidInputProblem and the check.
_TEXT_CHECKS: dict[str, tuple[str, Callable[[str], bool]]] = {
    "currency": ("invalid_value", lambda text: re.fullmatch(r"[A-Z]{3}", text) is not None),
    "customer_email": ("invalid_email", lambda text: _EMAIL.match(text) is not None),
    "discount_code": ("invalid_discount_code", lambda text: text in TRUNKERY_DISCOUNTS),
    "mobile": ("invalid_phone", lambda text: re.fullmatch(r"\+?[0-9 ()-]{3,20}", text) is not None),
}
_CUSTOM_DEFAULTS: Document = {
    "grams": 0, "height": 0, "length": 0, "width": 0, "price": 0, "physical": True, "taxable": True, "tax_class": ""
}  # fmt: skip
_BOOL_FIELDS = ("mobile_notifications", "send_fulfillment_notifications", "send_order_notifications")
_GO_TYPES = {bool: "bool", str: "string", list: "[]", dict: "object"}
_ID_ALPHABET = string.ascii_letters + string.digits
_T = TypeVar("_T")
_ADDRESS_REQUIRED = ("address1", "city", "country", "name", "province", "zip")


def _fail(code: int, message: str, *, field: str | None = None, meta: Document | None = None) -> Reject:
    """An ``APIError`` body: ``{code, message, field?, meta?}`` (optional keys left out, as Go's omitempty)."""
    body: Document = {"code": code, "message": message}
    if field is not None:
        body["field"] = field
    if meta is not None:
        body["meta"] = meta
    return Reject(json_response(body, _HTTP_STATUS.get(code, 400)))


def _invalid_input(problems: list[Document]) -> Reject:
    fields = [{"min": 0, "max": 0, **problem} for problem in problems]
    return _fail(1000, "invalid input", field=fields[0]["field"], meta={"fields": fields})


def _type_error(field: str, expected: str, value: object) -> Reject:
    """What a Go JSON decoder reports for a value of the wrong type (1030 ParsingFailure)."""
    found = {bool: "bool", int: "number", float: "number", str: "string", list: "array", dict: "object"}
    got = found.get(type(value), "value")
    error = f"json: cannot unmarshal {got} into Go struct field OrderModify.{field} of type {expected}"
    return _fail(1030, "failed to parse request", field=field, meta={"error": error})


def _typed(field: str, value: object, kind: type[_T]) -> _T:
    """``value`` if it is a ``kind`` (a bool is not a number or string here), else a 1030 error."""
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise _type_error(field, _GO_TYPES.get(kind, kind.__name__), value)
    return value


def _opaque_id(prefix: str, number: int) -> str:
    """An id like the vendor's: a prefix and 8 letters/digits that hide the sequence number."""
    value, chars = number * 2654435761 % 62**8, []
    for _ in range(8):
        value, digit = divmod(value, 62)
        chars.append(_ID_ALPHABET[digit])
    return prefix + "".join(chars)


class Trunkery(Vendor):
    """Trunkery / Lana Commerce JSON API, mounted under ``/trunkery``."""

    name = "trunkery"

    def reset(self) -> None:
        self.orders = trunkery_orders()
        for order in self.orders.values():
            self._recalculate(order)
        self.next_number = 1 + max(order["number"] for order in self.orders.values())
        self.replays: dict[tuple[str, str, str, str], tuple[int, bytes]] = {}

    def routes(self) -> list[BaseRoute]:
        return [Route("/orders.json", self.orders_endpoint, methods=["POST"]), *trunkery_read_routes(self)]

    def error(self, status: int, message: str) -> Response:
        body: Document = {"message": message}
        if status in _HTTP_STATUS or status >= 500:
            body = {"code": status if status in _HTTP_STATUS else 500, **body}
        if status == 429:
            body["meta"] = {"rate_info": self._rate_info()}
        return json_response(body, status)

    def _rate_info(self) -> Document:
        knobs = self.state.knobs
        count = self.state.rates.count_within(knobs.rate_window, self.state.clock())
        return {"cap": knobs.rate_limit or 0, "count": count, "rate": knobs.rate_window}

    # ------------------------------------------------------------------ POST orders.json

    async def orders_endpoint(self, request: Request) -> Response:
        """Authenticate, replay an idempotent success, else modify (``ids``) or create."""
        raw = await request.body()
        claims = self._authenticate(request)
        key = request.headers.get("idempotency-key")
        with self.state.lock:
            replay_key = (
                (key, str(claims.get("user_id")), request.url.query, hashlib.sha256(raw).hexdigest()) if key else None
            )
            if replay_key is not None and replay_key in self.replays:
                status, body = self.replays[replay_key]
                return Response(body, status, media_type="application/json")
            response = self._handle(request, claims, raw)
            if replay_key is not None:
                self.replays[replay_key] = (response.status_code, bytes(response.body))
            return response

    def _authenticate(self, request: Request) -> Document:
        token = authorization(request, "Bearer")
        if token is None:
            raise _fail(401, "unauthorized")
        claims = jwt_decode(token)
        now = self.state.clock()
        if claims is None or not isinstance(claims.get("exp"), int) or claims["exp"] <= now:
            raise _fail(999, "JWT validation failed")
        if not isinstance(claims.get("wexp"), int) or claims["wexp"] <= now:
            raise _fail(996, "JWT is not valid for write operations")
        return claims

    def _handle(self, request: Request, claims: Document, raw: bytes) -> Response:
        ids, shop_id = csv_param(request, "ids"), request.query_params.get("shop_id")
        if not shop_id:
            raise _invalid_input([{"field": "shop_id", "problem": "mandatory"}])
        if shop_id != claims.get("shop_id") or shop_id != TRUNKERY_SHOP_ID:
            raise _fail(404, "shop not found", field="shop_id")
        bit = "orders.modify" if ids is not None else "orders.create"
        if bit not in claims.get("permissions", []):
            raise _fail(997, "no permissions", meta={"bits": [bit]})
        try:
            data = parse_json(raw)
        except BodyError as exc:
            raise _fail(1030, "failed to parse request", meta={"error": str(exc)}) from exc
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise _fail(1030, "failed to parse request", meta={"error": "request body must be an array of objects"})
        now = iso_micros(utcnow())
        if ids is None:
            if not data:
                raise _fail(1132, "invalid input count")
            results = [self._new_order(item, now) for item in data]
            self.orders.update((order["id"], order) for order in results)  # all or nothing
        else:
            results = [self._modify_one(request, ids, data, now)]
        fields = csv_param(request, "fields")
        if fields:
            results = [{k: v for k, v in order.items() if k in fields} for order in results]
        return json_response(results)

    def _modify_one(self, request: Request, ids: list[str], data: list[Document], now: str) -> Document:
        """ordersModify: one id, one object, the version precondition, then the change."""
        if len(ids) != 1:
            raise _invalid_input(
                [{"field": "ids", "problem": "mandatory" if not ids else "max_count_exceeded", "min": 1, "max": 1}]
            )
        if len(data) != len(ids):
            raise _fail(1132, "invalid input count: expected as many objects as ids")
        order = self.orders.get(ids[0])
        uuid_param = request.query_params.get("uuid")
        if order is None or (uuid_param is not None and uuid_param != order["uuid"]):
            raise _fail(404, "not found", field="ids")
        expected = request.query_params.get("updated_at")
        if expected is not None and not self._same_version(expected, order["updated_at"]):
            raise _fail(1031, "version mismatch: the order was modified after updated_at", field="updated_at")
        if order["state"] != "cart" or order["closed_at"] or order["canceled_at"]:
            raise _fail(1150, "invalid operation", meta={"reason": "order_not_editable"})
        working = copy.deepcopy(order)
        self._apply(working, data[0])
        working["updated_at"] = now
        self.orders[working["id"]] = working
        return working

    def _new_order(self, data: Document, now: str) -> Document:
        """ordersCreate: a new cart built from the same fields as a modify."""
        number, self.next_number = self.next_number, self.next_number + 1
        order = trunkery_order(_opaque_id("or_", number), number, created_at=now, uuid=str(uuid.uuid4()))
        self._apply(order, data)
        return order

    @staticmethod
    def _same_version(expected: str, current: str) -> bool:
        left, right = parse_timestamp(expected), parse_timestamp(current)
        return left == right if left is not None and right is not None else expected == current

    # ------------------------------------------------------------------ OrderModify

    def _apply(self, order: Document, data: Document) -> None:
        """Validate every given field first, then apply them all and recompute the totals."""
        problems: list[Document] = []
        changes: Document = {}
        for key, value in data.items():
            if value is not None:  # null is "not given", as for a Go pointer field
                change = self._check_field(key, value, problems)
                if change is not None:
                    changes[change[0]] = change[1]
        if problems:
            raise _invalid_input(problems)
        order.update(changes)
        self._recalculate(order)

    def _check_field(self, key: str, value: object, problems: list[Document]) -> tuple[str, object] | None:
        """The order field ``key`` sets and its new value; content problems go to ``problems``."""
        if key in _REFERENCES:
            prefix, target = _REFERENCES[key]
            if not _typed(key, value, str).startswith(prefix):
                problems.append({"field": key, "problem": "invalid_identifier"})
            return target, {"id": value}
        if key in _BOOL_FIELDS:
            return key, _typed(key, value, bool)
        if key in _TEXT_CHECKS:
            text = _typed(key, value, str)
            problem, valid = _TEXT_CHECKS[key]
            if text and not valid(text):
                problems.append({"field": key, "problem": problem})
            return key, (text or None) if key == "discount_code" else text
        if key in {"billing_address", "shipping_address"}:
            return key, self._address(key, value, problems)
        if key in {"line_items", "custom_items", "tags", "shipping_rate_ids"}:
            items = _typed(key, value, list)
            if key == "line_items":
                return key, self._line_items(items, problems)
            if key == "custom_items":
                return key, self._custom_items(items, problems)
            if key == "tags":
                return key, [_typed(f"tags[{index}]", tag, str) for index, tag in enumerate(items)]
            return "selected_shipping_rates", self._shipping_rates(items)
        return None  # unknown fields are ignored, as Go's encoding/json does by default

    def _address(self, key: str, value: object, problems: list[Document]) -> Document:
        if not isinstance(value, dict):
            raise _type_error(key, "AddressCreate", value)
        for name in _ADDRESS_REQUIRED:
            if not isinstance(value.get(name), str) or not value[name]:
                problems.append({"field": f"{key}.{name}", "problem": "mandatory"})
        for name in ("country", "province"):
            if isinstance(value.get(name), str) and value[name] and not re.fullmatch(r"[A-Za-z]{2}", value[name]):
                problems.append({"field": f"{key}.{name}", "problem": "invalid_value"})
        text = {
            name: value.get(name) or ""
            for name in ("address1", "address2", "city", "company", "name", "phone", "plus_code", "zip")
        }
        address_id = value.get("id") or f"ad_{self.state.next_number():08d}"
        return {
            **text,
            "id": address_id,
            "latitude": 0,
            "longitude": 0,
            "country": {"id": str(value.get("country", "")).upper()},
            "province": {"id": str(value.get("province", "")).upper()},
        }

    def _line_items(self, items: list[object], problems: list[Document]) -> list[Document]:
        """A full replacement of the line items (the vendor's cart sends the whole list)."""
        result: list[Document] = []
        stock_errors: list[Document] = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise _type_error(f"line_items[{index}]", "OrderLineItemCreate", item)
            variant_id, quantity = item.get("variant_id"), item.get("quantity")
            if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0:
                problems.append(
                    {
                        "field": f"line_items[{index}].quantity",
                        "problem": "mandatory" if quantity is None else "invalid_non_negative_int64",
                    }
                )
            if variant_id is None:
                problems.append({"field": f"line_items[{index}].variant_id", "problem": "mandatory"})
            elif not isinstance(variant_id, str) or variant_id not in TRUNKERY_VARIANTS:
                problems.append({"field": f"line_items[{index}].variant_id", "problem": "invalid_identifier"})
            elif isinstance(quantity, int) and quantity > TRUNKERY_VARIANTS[variant_id]["stock"]:
                stock = TRUNKERY_VARIANTS[variant_id]["stock"]
                stock_errors.append(
                    {"code": "out_of_stock", "line_item_index": index, "subject": variant_id, "min": 0, "max": stock}
                )
            elif isinstance(quantity, int) and quantity > 0:
                result.append(trunkery_line_item(f"li_{self.state.next_number():08d}", variant_id, quantity))
        if stock_errors and not problems:
            raise _fail(1001, "order error", meta={"errors": stock_errors})
        return result

    def _custom_items(self, items: list[object], problems: list[Document]) -> list[Document]:
        """A full replacement of the custom items; only ``title`` is required."""
        result: list[Document] = []
        for index, raw in enumerate(items):
            item = _typed(f"custom_items[{index}]", raw, dict)
            title = item.get("title")
            if not isinstance(title, str) or not title:
                problems.append({"field": f"custom_items[{index}].title", "problem": "mandatory"})
                continue
            custom: Document = {"id": f"ci_{self.state.next_number():08d}", "title": title, "inventory_location": None}
            for name, default in _CUSTOM_DEFAULTS.items():
                given = item.get(name)
                custom[name] = (
                    default if given is None else _typed(f"custom_items[{index}].{name}", given, type(default))
                )
            result.append(custom)
        return result

    @staticmethod
    def _shipping_rates(items: list[object]) -> list[Document]:
        if not all(isinstance(rate, str) and rate in TRUNKERY_SHIPPING_RATES for rate in items):
            raise _fail(1150, "invalid operation", field="shipping_rate_ids", meta={"reason": "shipping_rates_invalid"})
        fixed = {
            "delivery_date_guaranteed": False,
            "delivery_date_max": "",
            "delivery_date_min": "",
            "discountable": True,
            "lead_time_hours_max": 48,
            "lead_time_hours_min": 24,
            "taxable": False,
        }
        return [{"id": rate, **fixed, **TRUNKERY_SHIPPING_RATES[str(rate)]} for rate in items]

    @staticmethod
    def _recalculate(order: Document) -> None:
        """Totals in minor units from the line items, custom items, discount code and shipping."""
        items = sum(line["detail"]["price"] * line["quantity"] for line in order["line_items"] if line["detail"])
        custom = sum(item["price"] for item in order["custom_items"] or [])
        weight = sum(
            TRUNKERY_VARIANTS[line["variant"]["id"]]["grams"] * line["quantity"]
            for line in order["line_items"]
            if line.get("variant")
        ) + sum(item["grams"] for item in order["custom_items"] or [])
        subtotal = items + custom
        discount = subtotal * TRUNKERY_DISCOUNTS.get(order["discount_code"] or "", 0) // 100
        shipping = sum(rate["rate"] for rate in order["selected_shipping_rates"])
        total = subtotal - discount + shipping
        order.update(
            total_line_items_price=subtotal,
            subtotal_price=subtotal,
            total_discounts=discount,
            shipping_price=shipping,
            total_tax=0,
            total_price=total,
            total_weight=weight,
        )
        order["display"] = {
            "amount_due": total,
            "customer_balance_spent": 0,
            "discount": discount,
            "paid": 0,
            "shipping": shipping,
            "subtotal": subtotal,
            "tax": 0,
            "total": total,
        }
