"""Spree Admin API v3 emulation (Spree 5.5-5.6.1): orders, order actions, line items, the API key self-check.

Facts from ``shared/vendors/spree-v3/README.md``, emulated faithfully, hazards included:

* ``X-Spree-Api-Key: sk_…`` (401 ``authentication_required`` without a valid one; a read-only
  key gets 403 ``access_denied`` with ``details.required_scope`` on writes).
* Prefixed ids decoded from the part after ``_`` only: the prefix is **not** checked (§2).
* The **silent no-ops** of §4: without ``Content-Type: application/json`` or with a v2-style
  ``{"order": …}`` wrapper nothing is permitted (200, no change); unknown keys (the spec's
  ``special_instructions``, ``line_items``) are dropped; ``null`` clears scalars and is ignored
  for ``metadata``/``tags``/addresses/``items``; an ``items`` entry with quantity <= 0 is skipped.
* ``cancel`` answers 200 with the order unchanged when it may not be canceled; ``approve`` adds
  an approval record on every call; ``complete`` repeated is a 200 no-op.
* ``Idempotency-Key`` (§8): the answer (status < 500; not the rescued 404/409/422-transition
  errors) is stored per key and credential with ``sha256(METHOD:path:body)``; the same request
  replays with ``Idempotent-Replayed: true``, another one with the key is 422
  ``idempotency_key_reused``; keys over 255 characters are 400 ``invalid_request``.
* 413 ``request_too_large`` over 102 400 bytes; rate-limit headers per key per controller
  (``X-RateLimit-Limit``/``-Remaining``, ``Retry-After: 60`` once spent) and, as 5.5-5.6.1 do,
  **no** 429 (``rate_limit`` is a knob of this module to scale the limit down in tests).
* Unknown routes and 5xx use the host app's HTML error pages, not the envelope.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from ._credentials import SANDBOX_CREDENTIALS
from ._http import BodyError, Document, Reject, iso_millis, json_response, media_type, parse_json, utcnow
from ._vendor import Vendor

_ORDER_KEYS = ("email", "customer_id", "user_id", "customer_note", "internal_note", "currency", "locale",
               "market_id", "channel_id", "preferred_stock_location_id")
_ADDRESS_KEYS = frozenset(("firstname", "lastname", "first_name", "last_name", "address1", "address2", "city",
                           "country_iso", "state_abbr", "country_id", "state_id", "zipcode", "postal_code", "phone",
                           "alternative_phone", "state_name", "company", "label"))
_SQID = re.compile(r"[A-Za-z0-9]+")
_MAX_BODY = 102_400
_MAX_KEY = 255
_RAILS_404 = ("<!DOCTYPE html>\n<html>\n<head>\n  <title>The page you were looking for doesn't exist (404)</title>\n"
              "</head>\n<body>\n  <h1>The page you were looking for doesn't exist.</h1>\n</body>\n</html>\n")
_RAILS_500 = ("<!DOCTYPE html>\n<html>\n<head>\n  <title>We're sorry, but something went wrong (500)</title>\n"
              "</head>\n<body>\n  <h1>We're sorry, but something went wrong.</h1>\n</body>\n</html>\n")
_VARIANTS = {"VqXmZF31wY": Decimal("19.99"), "Hs3KdE7yTz": Decimal("5.0"), "Nc2RbW8mLq": Decimal("120.0")}
_CANCELABLE_SHIPMENT_STATES = (None, "ready", "backorder", "pending", "canceled")
#: The demo order, a draft cart with one line and an address; the others are placed / canceled.
DEMO_ORDER = "or_UkLWZg9DAJ"


def _error(code: str, message: str, status: int, details: Document | None = None) -> Response:
    error: Document = {"code": code, "message": message}
    if details:
        error["details"] = details
    return json_response({"error": error}, status)


class _Rescued(Reject):
    """An error the controller rescues from an exception: not stored under the idempotency key."""


def _rescued(code: str, message: str, status: int) -> _Rescued:
    return _Rescued(_error(code, message, status))


def _money(value: Decimal) -> str:
    """``BigDecimal#to_s`` as Spree renders it: ``"19.99"``, ``"5.0"``, ``"0.0"``."""
    text = str(value)
    return text if "." in text else f"{text}.0"


def _display(value: Decimal) -> str:
    return f"${value:,.2f}"


@dataclass
class _Stored:
    fingerprint: str
    status: int
    body: bytes
    content_type: str


@dataclass
class _Window:
    started: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


class SpreeAdmin(Vendor):
    """Spree Admin API v3, mounted under ``/spree_admin`` (the app root: the API is at ``/api/v3/admin``)."""

    name = "spree_admin"
    #: Requests per key per controller per ``rate_window`` (Spree 5.6.1: 300 per 60 s); scale down in tests.
    rate_limit = 300
    rate_window = 60.0

    def reset(self) -> None:
        self.orders: dict[str, Document] = _seed_orders()
        self.approvals: dict[str, int] = {}
        self.confirmations: dict[str, int] = {}
        self.idempotency: dict[tuple[str, str], _Stored] = {}
        self.window = _Window()
        self._next_line = 100

    def routes(self) -> list[BaseRoute]:
        api = "/api/v3/admin"
        return [
            Route(f"{api}/api_keys/current", self._endpoint("api_keys", self.current_key), methods=["GET"]),
            Route(f"{api}/orders", self._endpoint("orders", self.list_orders), methods=["GET"]),
            Route(f"{api}/orders/{{order_id}}", self._endpoint("orders", self.order),
                  methods=["GET", "PATCH", "PUT"]),
            Route(f"{api}/orders/{{order_id}}/items", self._endpoint("orders/items", self.add_item),
                  methods=["POST"]),
            Route(f"{api}/orders/{{order_id}}/items/{{item_id}}", self._endpoint("orders/items", self.item),
                  methods=["PATCH", "DELETE"]),
            Route(f"{api}/orders/{{order_id}}/{{action:str}}", self._endpoint("orders", self.action),
                  methods=["PATCH", "POST"]),
        ]

    def error(self, status: int, message: str) -> Response:
        if status == 429:
            return _error("rate_limit_exceeded", "Too many requests. Please retry later.", 429)
        if status >= 500:
            return HTMLResponse(_RAILS_500, status)
        return HTMLResponse(_RAILS_404, 404)  # Rails: no route matches, whatever the method

    # -- the controller frame: size limit, auth, scope, idempotency, rate-limit headers -------------

    def _endpoint(self, controller: str,
                  handler: Callable[[Request, Document, bytes], Response]) -> Callable[[Request], object]:
        async def endpoint(request: Request) -> Response:
            length = request.headers.get("content-length", "0")
            if length.isdigit() and int(length) > _MAX_BODY:
                return _error("request_too_large", "Request body too large", 413)
            raw = await request.body()
            with self.state.lock:
                return self._run(controller, handler, request, raw)

        return endpoint

    def _run(self, controller: str, handler: Callable[[Request, Document, bytes], Response], request: Request,
             raw: bytes) -> Response:
        key = request.headers.get("x-spree-api-key", "")
        credentials = SANDBOX_CREDENTIALS[self.name]
        scopes = {credentials["api_key"]: ("write_orders",), credentials["read_only_api_key"]: ("read_orders",)}
        mutating = request.method in ("POST", "PUT", "PATCH", "DELETE")
        idem = request.headers.get("idempotency-key") if mutating else None
        if idem is not None and len(idem) > _MAX_KEY:
            return _error("invalid_request", "Idempotency-Key must be 255 characters or less.", 400)
        fingerprint = hashlib.sha256(f"{request.method}:{request.url.path}:".encode() + raw).hexdigest()
        slot = (hashlib.sha256(key.encode()).hexdigest(), idem or "")
        if idem is not None and slot in self.idempotency:
            stored = self.idempotency[slot]
            if stored.fingerprint != fingerprint:
                return _error("idempotency_key_reused",
                              "This Idempotency-Key has already been used with different request parameters.", 422)
            return Response(stored.body, stored.status, media_type=stored.content_type,
                            headers={"Idempotent-Replayed": "true"})
        if key not in scopes:
            response = _error("authentication_required", "Authentication required", 401)
        elif controller != "api_keys" and (mutating or request.method == "PUT") and "write_orders" not in scopes[key]:
            response = _error("access_denied", "API key lacks scope: write_orders", 403,
                              {"required_scope": "write_orders"})
        else:
            try:
                response = handler(request, _params(request, raw), raw)
            except _Rescued as exc:
                return exc.response
            except Reject as exc:
                response = exc.response
            response.headers.update(self._rate_headers(controller, key))
        if idem is not None and response.status_code < 500:
            self.idempotency[slot] = _Stored(fingerprint, response.status_code, bytes(response.body),
                                             response.media_type or "application/json")
        return response

    def _rate_headers(self, controller: str, key: str) -> dict[str, str]:
        now = self.state.clock()
        if now - self.window.started >= self.rate_window:
            self.window = _Window(started=now)
        bucket = f"{controller}:{key}"
        count = self.window.counts[bucket] = self.window.counts.get(bucket, 0) + 1
        headers = {"X-RateLimit-Limit": str(self.rate_limit), "X-RateLimit-Remaining": str(max(self.rate_limit - count,
                                                                                               0))}
        if count >= self.rate_limit:
            headers["Retry-After"] = str(int(self.rate_window))
        return headers

    # -- orders ---------------------------------------------------------------------------------

    def _find(self, order_id: str) -> Document:
        _, _, sqid = order_id.partition("_")  # the prefix is never checked (PrefixedId.decode_prefixed_id)
        order = self.orders.get(sqid) if _SQID.fullmatch(sqid or "-") else None
        if order is None:
            raise _rescued("order_not_found", "Order not found", 404)
        return order

    def current_key(self, request: Request, params: Document, raw: bytes) -> Response:
        key = request.headers.get("x-spree-api-key", "")
        write = key == SANDBOX_CREDENTIALS[self.name]["api_key"]
        return json_response({"id": "key_EfhxLZ9ck8" if write else "key_ReadOnly01", "name": "sandbox",
                              "key_type": "secret", "token_prefix": key[:12],
                              "scopes": ["write_orders"] if write else ["read_orders"], "revoked_at": None,
                              "last_used_at": None, "channel_id": None, "plaintext_token": None,
                              "created_at": "2026-07-27T20:00:04.179Z", "updated_at": "2026-07-27T20:00:04.179Z"})

    def list_orders(self, request: Request, params: Document, raw: bytes) -> Response:
        query = request.query_params
        rows = list(self.orders.values())
        for name, value in query.multi_items():
            match = re.fullmatch(r"q\[(\w+?)_(eq|not_eq|cont|gt|lt|in)\]", name)
            if match is None or value == "":
                continue  # Ransack ignores unknown conditions and blank values: everything matches
            attribute, predicate = match.groups()
            if attribute not in ("id", "number", "email", "status", "state", "currency", "payment_state"):
                continue
            rows = [row for row in rows if _matches(_attribute(row, attribute), predicate, value)]
        sort = query.get("sort")
        if sort:
            for part in reversed(sort.split(",")):
                rows.sort(key=functools.partial(_sort_key, part.lstrip("-")), reverse=part.startswith("-"))
        limit = min(_int(query.get("limit"), 25), 100)
        page = max(_int(query.get("page"), 1), 1)
        count = len(rows)
        chunk = rows[(page - 1) * limit: page * limit]
        pages = max((count + limit - 1) // limit, 1)
        meta = {"page": page, "limit": limit, "count": count, "pages": pages, "from": (page - 1) * limit + 1,
                "to": (page - 1) * limit + len(chunk), "in": len(chunk),
                "previous": page - 1 if page > 1 else None, "next": page + 1 if page < pages else None}
        return json_response({"data": [self._render(row, request, params) for row in chunk], "meta": meta})

    def order(self, request: Request, params: Document, raw: bytes) -> Response:
        order = self._find(request.path_params["order_id"])
        if request.method != "GET":
            self._update(order, params)
        return json_response(self._render(order, request, params))

    def _update(self, order: Document, params: Document) -> None:
        for key in _ORDER_KEYS:
            if key in params and (params[key] is None or isinstance(params[key], (str, int, float, bool))):
                target = {"user_id": "customer_id"}.get(key, key)
                value = params[key]
                if value is None and target in ("currency", "locale"):
                    value = {"currency": "USD", "locale": "en"}[target]  # re-defaulted by callbacks
                order[target] = value
        if isinstance(params.get("metadata"), dict):
            order["metadata"] = copy.deepcopy(params["metadata"])
        if isinstance(params.get("tags"), list):
            order["tags"] = [str(tag) for tag in params["tags"]]
        for key, stored in (("ship_address", "shipping_address"), ("bill_address", "billing_address")):
            value = params.get(key)
            if isinstance(value, dict):
                order[stored] = _address(value) if value else None
        items = params.get("items")
        if isinstance(items, list):
            for entry in items:
                self._upsert(order, entry)
            order["shipments_rebuilt"] = order.get("shipments_rebuilt", 0) + 1
        _totals(order)
        order["updated_at"] = iso_millis(utcnow())

    def _upsert(self, order: Document, entry: object) -> None:
        if not isinstance(entry, dict) or not entry.get("variant_id"):
            return
        variant = str(entry["variant_id"]).partition("_")[2] or str(entry["variant_id"])
        if variant not in _VARIANTS:
            raise _rescued("variant_not_found", "Variant not found", 404)
        quantity = _int(entry.get("quantity"), 1)
        if quantity <= 0:
            return  # skipped, not removed
        line = next((li for li in order["items"] if li["variant_id"] == f"variant_{variant}"), None)
        if line is None:
            self._next_line += 1
            line = {"id": f"li_Line{self._next_line:07d}", "variant_id": f"variant_{variant}", "quantity": 0,
                    "price": _money(_VARIANTS[variant]), "currency": order["currency"], "metadata": {}}
            order["items"].append(line)
        line["quantity"] = quantity
        if isinstance(entry.get("metadata"), dict):
            line["metadata"] = {**line["metadata"], **entry["metadata"]}

    def action(self, request: Request, params: Document, raw: bytes) -> Response:
        name = request.path_params["action"]
        expected = "POST" if name == "resend_confirmation" else "PATCH"
        if name not in ("complete", "cancel", "approve", "resume", "resend_confirmation") or \
                request.method != expected:
            raise Reject(self.error(404, "Not Found"))
        order = self._find(request.path_params["order_id"])
        now = iso_millis(utcnow())
        if name == "complete":
            if order["status"] == "canceled":
                raise Reject(_error("order_cannot_complete", "Order is canceled", 422))
            if order["status"] == "draft":
                if not order["items"] or order.get("shipping_address") is None:
                    raise Reject(_error("order_cannot_complete", "No payment found", 422,
                                        {"base": ["No payment found"]}))
                order.update(status="placed", completed_at=now, fulfillment_status="ready", payment_status="paid")
        elif name == "cancel":
            if order["status"] == "placed" and order.get("fulfillment_status") in _CANCELABLE_SHIPMENT_STATES:
                order.update(status="canceled", canceled_at=now, fulfillment_status="canceled",
                             payment_status="void")
            # else: 200 with the order unchanged, as 5.5-5.6.1 ignore the service's result
        elif name == "approve":
            self.approvals[order["id"]] = self.approvals.get(order["id"], 0) + 1
            order.update(approved_at=now, considered_risky=False)
        elif name == "resume":
            if order["status"] != "canceled":
                raise _rescued("cart_cannot_transition",
                               f"Cannot transition state via :resume from :{order['state']}", 422)
            order.update(status="placed", canceled_at=None, state="resumed", fulfillment_status="ready")
        else:
            self.confirmations[order["id"]] = self.confirmations.get(order["id"], 0) + 1
        order["updated_at"] = now
        return json_response(self._render(order, request, params))

    def add_item(self, request: Request, params: Document, raw: bytes) -> Response:
        order = self._find(request.path_params["order_id"])
        variant_id = params.get("variant_id")
        variant = variant_id.partition("_")[2] if isinstance(variant_id, str) else ""
        if variant not in _VARIANTS:
            raise _rescued("variant_not_found", "Variant not found", 404)
        line = next((li for li in order["items"] if li["variant_id"] == f"variant_{variant}"), None)
        added = max(_int(params.get("quantity"), 1), 1)
        self._upsert(order, {"variant_id": variant_id, "quantity": added + (line["quantity"] if line else 0)})
        _totals(order)
        line = next(li for li in order["items"] if li["variant_id"] == f"variant_{variant}")
        return json_response(_render_line(line), 201)

    def item(self, request: Request, params: Document, raw: bytes) -> Response:
        order = self._find(request.path_params["order_id"])
        line = next((li for li in order["items"] if li["id"] == request.path_params["item_id"]), None)
        if line is None:
            raise _rescued("line_item_not_found", "Line item not found", 404)
        if request.method == "DELETE":
            order["items"].remove(line)
            _totals(order)
            return Response(status_code=204)
        if "quantity" in params:
            quantity = _int(params["quantity"], 0)
            if quantity <= 0:
                raise Reject(_error("invalid_quantity", "Quantity must be greater than 0", 422))
            line["quantity"] = quantity
        elif isinstance(params.get("metadata"), dict):
            line["metadata"] = dict(params["metadata"])
        _totals(order)
        return json_response(_render_line(line))

    def _render(self, order: Document, request: Request, params: Document) -> Document:
        expand = _csv(request.query_params.get("expand") or params.get("expand"))
        fields = _csv(request.query_params.get("fields") or params.get("fields"))
        body = {k: v for k, v in order.items() if k not in ("items", "shipping_address", "billing_address", "state",
                                                            "shipments_rebuilt")}
        for money in ("item_total", "total", "amount_due"):
            body[money] = _money(order[money])
            body[f"display_{money}"] = _display(order[money])
        if fields:
            body = {k: v for k, v in body.items() if k in fields or k == "id"}
        if "items" in expand:
            body["items"] = [_render_line(line) for line in order["items"]]
        for name in ("shipping_address", "billing_address"):
            if name in expand:
                body[name] = copy.deepcopy(order.get(name))
        return body


def _params(request: Request, raw: bytes) -> Document:
    """Rails' params: a JSON body only with a JSON content type; anything else permits nothing."""
    if media_type(request) != "application/json":
        return {}
    try:
        data = parse_json(raw)
    except BodyError as exc:
        raise _rescued("invalid_request", f"Invalid JSON: {exc}", 400) from exc
    return data if isinstance(data, dict) else {}


def _address(value: Document) -> Document:
    permitted = {k: v for k, v in value.items() if k in _ADDRESS_KEYS and isinstance(v, (str, int))}
    first = permitted.get("firstname", permitted.get("first_name"))
    last = permitted.get("lastname", permitted.get("last_name"))
    return {"id": f"addr_{hashlib.sha256(json.dumps(permitted, sort_keys=True).encode()).hexdigest()[:10]}",
            "first_name": first, "last_name": last, "address1": permitted.get("address1"),
            "address2": permitted.get("address2"), "city": permitted.get("city"),
            "postal_code": permitted.get("zipcode", permitted.get("postal_code")), "phone": permitted.get("phone"),
            "company": permitted.get("company"), "country_iso": permitted.get("country_iso"),
            "state_abbr": permitted.get("state_abbr"), "state_name": permitted.get("state_name"),
            "label": permitted.get("label")}


def _totals(order: Document) -> None:
    total = sum((Decimal(li["price"]) * li["quantity"] for li in order["items"]), Decimal(0))
    order.update(item_total=total, total=total, amount_due=total if order["status"] != "placed" else Decimal(0),
                 total_quantity=sum(li["quantity"] for li in order["items"]))


def _render_line(line: Document) -> Document:
    price = Decimal(line["price"])
    return {**line, "display_price": _display(price), "total": _money(price * line["quantity"]),
            "display_total": _display(price * line["quantity"])}


def _csv(value: object) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()] if isinstance(value, str) else []


def _int(value: object, default: int) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    try:
        return int(str(value))
    except ValueError:
        return default


def _attribute(row: Document, attribute: str) -> object:
    if attribute == "id":
        return row["id"].partition("_")[2]
    return row.get({"payment_state": "payment_status"}.get(attribute, attribute))


def _matches(actual: object, predicate: str, wanted: str) -> bool:
    if predicate in ("gt", "lt") and isinstance(actual, str):
        target = wanted.partition("_")[2] if "_" in wanted else wanted
        return actual > target if predicate == "gt" else actual < target
    text = "" if actual is None else str(actual)
    return {"eq": text == wanted, "not_eq": text != wanted, "cont": wanted.lower() in text.lower(),
            "in": text in wanted.split(",")}.get(predicate, False)


def _sort_key(attribute: str, row: Document) -> tuple[int, str]:
    value = _attribute(row, attribute)
    return (0, "") if value is None else (1, str(value))


def _seed_orders() -> dict[str, Document]:
    created = "2026-07-27T20:01:09.626Z"

    def order(sqid: str, number: str, status: str, **extra: object) -> Document:
        row: Document = {
            "id": f"or_{sqid}", "number": number, "email": f"{number.lower()}@example.com", "status": status,
            "state": {"draft": "cart", "placed": "complete", "canceled": "canceled"}[status],
            "customer_note": None, "internal_note": None, "currency": "USD", "locale": "en", "market_id": None,
            "channel_id": "ch_UkLWZg9DAJ", "preferred_stock_location_id": None, "customer_id": "cus_UkLWZg9DAJ",
            "payment_status": None, "fulfillment_status": None, "completed_at": None, "canceled_at": None,
            "approved_at": None, "considered_risky": False, "metadata": {}, "tags": [], "created_at": created,
            "updated_at": created, "items": [], "shipping_address": None, "billing_address": None,
        }
        row.update(extra)
        _totals(row)
        return row

    line = {"id": "li_gbHJdmfrXB", "variant_id": "variant_VqXmZF31wY", "quantity": 1, "price": "19.99",
            "currency": "USD", "metadata": {}}
    address = _address({"firstname": "Leah", "lastname": "Huels", "address1": "1 Main St", "city": "Albany",
                        "zipcode": "12207", "country_iso": "US", "state_abbr": "NY"})
    orders = [
        order("UkLWZg9DAJ", "R801110570", "draft", items=[line], shipping_address=address, billing_address=address),
        order("Pq7RtZ3mXa", "R138037474", "placed", items=[{**line, "id": "li_Pq7RtZ3mXa"}],
              completed_at=created, payment_status="paid", fulfillment_status="ready"),
        order("Zx9WvB2nQe", "R936148177", "placed", items=[{**line, "id": "li_Zx9WvB2nQe"}],
              completed_at=created, payment_status="paid", fulfillment_status="shipped"),
        order("Cn4LkH8jYs", "R512733090", "canceled", completed_at=created, canceled_at=created,
              payment_status="void", fulfillment_status="canceled"),
    ]
    return {row["id"].partition("_")[2]: row for row in orders}
