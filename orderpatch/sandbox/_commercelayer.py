"""Commerce Layer emulation: ``POST /oauth/token`` and ``PATCH /api/orders/{id}`` (JSON:API).

Facts from ``shared/vendors/commercelayer/README.md``: JSON:API media types (406/415), bearer JWTs
from the token endpoint (401 ``INVALID_TOKEN`` when unknown or expired), 401 ``UNAUTHORIZED`` /
"Access denied" for attributes a sales-channel token may not pass, trigger attributes moving the
statuses (``_commercelayer_model.py``), ``include``/``fields[...]``, and ``X-Ratelimit-*`` headers.
Error bodies follow jsonapi-resources, which Commerce Layer is built on (``KEY_NOT_INCLUDED_IN_URL``,
``RECORD_NOT_FOUND``, ``PARAM_NOT_ALLOWED``, ``INVALID_INCLUDE``...).

Guesses, as no primary source shows them: the ``detail`` texts of ``INVALID_TOKEN``, the token
endpoint's error codes (Doorkeeper's), and the 409 for a ``data.type`` other than ``orders``.
"""

from __future__ import annotations

import copy
import re
import secrets

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from . import _commercelayer_model as model
from ._auth import IssuedToken, OAuthError, invalid_client, invalid_scope, jwt_encode, read_token_request
from ._credentials import SANDBOX_CREDENTIALS
from ._http import (
    JSONAPI_TYPE,
    BodyError,
    Document,
    authorization,
    csv_param,
    iso_millis,
    json_response,
    media_type,
    parse_json,
    utcnow,
)
from ._knobs import Knobs
from ._seeds import CL_ORDER_ID, CL_RELATIONSHIPS, cl_linkage, cl_order_attributes
from ._vendor import Vendor

_SCOPE = re.compile(r"^(market|store|stock_location):(id|code):[\w.-]+$|^market:(all|\d+)$")
#: Every name ``fields[orders]`` may list: fetchable attributes and relationships.
_ORDER_FIELDS = frozenset(
    ({*model.ATTRIBUTES, *cl_order_attributes()} - model.NOT_FETCHABLE) | {*CL_RELATIONSHIPS, *model.RELATIONSHIP_TYPES}
)
#: The documented test-mode average for writes, reported when no ``rate_limit`` knob is set.
_DEFAULT_LIMIT, _DEFAULT_INTERVAL = 100, 60.0


class CommerceLayer(Vendor):
    """Commerce Layer Core API, mounted under ``/commercelayer``."""

    name = "commercelayer"

    def reset(self) -> None:
        self.resources: dict[model.Link, Document] = {}
        links: dict[str, model.Link | list[model.Link] | None] = {}
        for relationship, linkage in cl_linkage().items():
            entries = linkage if isinstance(linkage, list) else [linkage]
            for kind, rid, attributes in entries:
                self.resources[(kind, rid)] = attributes
            ids = [(kind, rid) for kind, rid, _ in entries]
            links[relationship] = ids if isinstance(linkage, list) else ids[0]
        self.orders: dict[str, Document] = {CL_ORDER_ID: {"attributes": cl_order_attributes(), "links": links}}

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/oauth/token", self.token_endpoint, methods=["POST"]),
            Route("/api/orders/{order_id}", self.update_order, methods=["PATCH"]),
            Route("/api/orders/{order_id}", self.retrieve_order, methods=["GET"]),
        ]

    def error(self, status: int, message: str) -> Response:
        codes = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 429: "TOO_MANY_REQUESTS", 503: "SERVICE_UNAVAILABLE"}
        code = codes.get(status, "INTERNAL_SERVER_ERROR" if status >= 500 else "BAD_REQUEST")
        return model.reject(status, code, message, message).response

    def response_headers(self, knobs: Knobs, now: float) -> dict[str, str]:
        limit = knobs.rate_limit or _DEFAULT_LIMIT
        interval = knobs.rate_window if knobs.rate_limit else _DEFAULT_INTERVAL
        remaining = max(0, limit - self.state.rates.count_within(interval, now))
        shown = str(int(interval)) if float(interval).is_integer() else str(interval)
        return {"X-Ratelimit-Limit": str(limit), "X-Ratelimit-Interval": shown, "X-Ratelimit-Remaining": str(remaining)}

    # ------------------------------------------------------------------ token endpoint

    async def token_endpoint(self, request: Request) -> Response:
        """``client_credentials`` for the integration (id + secret) or the sales channel (id only)."""
        try:
            grant = await read_token_request(request)
            known = SANDBOX_CREDENTIALS[self.name]
            if (grant.client_id, grant.client_secret) == (known["client_id"], known["client_secret"]):
                kind = "integration"
            elif grant.client_id == known["sales_channel_client_id"] and not grant.client_secret:
                kind = "sales_channel"
            else:
                raise invalid_client()
            scope = grant.scope or "market:all"
            if not all(_SCOPE.match(part) for part in scope.split()):
                raise invalid_scope()
        except OAuthError as exc:
            # js-auth types these errors with a numeric ``status``, unlike the Core API's strings.
            error = {"code": exc.error, "title": exc.description, "detail": exc.description, "status": exc.status}
            return json_response({"errors": [{**error, "meta": {}}]}, exc.status)
        now, ttl = int(self.state.clock()), self.state.knobs.token_ttl
        claims = {
            "organization": {"id": "sandboxOrg", "slug": "sandbox", "enterprise": True},
            "application": {"id": f"sandbox-{kind}", "client_id": grant.client_id, "kind": kind,
                            "public": kind != "integration"},
            "scope": scope, "test": True, "iat": now, "exp": now + ttl, "rand": secrets.token_hex(8),
            "iss": "https://auth.commercelayer.io",
        }  # fmt: skip
        token = self.issue_token(jwt_encode(claims), kind, scope)
        body = {"access_token": token.value, "token_type": "bearer", "expires_in": ttl, "scope": scope}
        return json_response({**body, "created_at": now})

    # ------------------------------------------------------------------ PATCH /api/orders/{id}

    async def update_order(self, request: Request) -> Response:
        """Check token, media types, query and document; then change the order atomically."""
        token = self._authenticate(request)
        self._check_media_types(request)
        include, fields = self._read_query(request)
        order_id = request.path_params["order_id"]
        attributes, relationships = self._read_document(await request.body(), order_id)
        denied = sorted(model.PROHIBITED & {*attributes, *relationships}) if token.kind != "integration" else []
        if denied:
            detail = "You are not authorized to perform this action on the requested resource."
            raise model.reject(401, "UNAUTHORIZED", "Access denied", detail, meta={"attributes": denied})
        with self.state.lock:
            order = self.orders.get(order_id)
            if order is None:
                detail = "The requested resource was not found. Please double-check the resource id."
                raise model.reject(404, "RECORD_NOT_FOUND", "Record not found", detail)
            now = iso_millis(utcnow())
            model.finish_async_placing(order, now)
            working = copy.deepcopy(order)
            model.apply_changes(working, attributes, relationships, now, self._clone_address)
            working["attributes"]["editable"] = working["attributes"]["status"] in model.EDITABLE
            working["attributes"]["updated_at"] = now
            self.orders[order_id] = working
            document = self._render(request, order_id, working, include, fields)
        return json_response(document, media_type=JSONAPI_TYPE)

    async def retrieve_order(self, request: Request) -> Response:
        """``GET /api/orders/{id}``: the order as it is now, with ``include``/``fields`` as on PATCH."""
        self._authenticate(request)
        include, fields = self._read_query(request)
        order_id = request.path_params["order_id"]
        with self.state.lock:
            order = self.orders.get(order_id)
            if order is None:
                detail = "The requested resource was not found. Please double-check the resource id."
                raise model.reject(404, "RECORD_NOT_FOUND", "Record not found", detail)
            document = self._render(request, order_id, order, include, fields)
        return json_response(document, media_type=JSONAPI_TYPE)

    def _authenticate(self, request: Request) -> IssuedToken:
        value = authorization(request, "Bearer")
        token = self.tokens.find(self.name, value) if value else None
        if token is None or token.expired(self.state.clock()):
            detail = "The access token you provided is invalid or has expired." if value else "No access token given."
            raise model.reject(401, "INVALID_TOKEN", "Invalid token", detail)
        return token

    @staticmethod
    def _check_media_types(request: Request) -> None:
        accept = request.headers.get("accept")
        ranges = {part.split(";", 1)[0].strip().lower() for part in (accept or "").split(",")}
        if accept is not None and not ranges & {JSONAPI_TYPE, "*/*", "application/*"}:
            detail = (
                f"All requests must use the '{JSONAPI_TYPE}' Accept without media type parameters. "
                f"This request specified '{accept}'."
            )
            raise model.reject(406, "NOT_ACCEPTABLE", "Not acceptable", detail)
        if media_type(request) != JSONAPI_TYPE:
            detail = (
                f"All requests that create or update must use the '{JSONAPI_TYPE}' Content-Type. "
                f"This request specified '{media_type(request) or 'nothing'}'."
            )
            raise model.reject(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported media type", detail)

    @staticmethod
    def _read_query(request: Request) -> tuple[list[str], dict[str, list[str]]]:
        relationships = {*CL_RELATIONSHIPS, *model.RELATIONSHIP_TYPES}
        include = csv_param(request, "include") or []
        for path in include:
            if path.split(".", 1)[0] not in relationships:
                detail = f"{path} is not a valid includable relationship of orders"
                raise model.reject(400, "INVALID_INCLUDE", "Invalid field", detail)
        fields = {
            key[len("fields[") : -1]: csv_param(request, key) or []
            for key in request.query_params
            if key.startswith("fields[") and key.endswith("]")
        }
        for name in fields.get("orders", []):
            if name not in _ORDER_FIELDS:
                raise model.reject(400, "INVALID_FIELD", "Invalid field", f"{name} is not a valid field for orders.")
        return include, fields

    @staticmethod
    def _read_document(raw: bytes, order_id: str) -> tuple[Document, Document]:
        """The JSON:API checks jsonapi-resources makes before touching the record."""
        try:
            document = parse_json(raw)
        except BodyError as exc:
            raise model.reject(400, "BAD_REQUEST", "Bad request", f"The request body is not valid JSON: {exc}") from exc
        data = document.get("data") if isinstance(document, dict) else None
        if not isinstance(data, dict):
            raise model.reject(400, "PARAM_MISSING", "Missing Parameter", "The required parameter, data, is missing.")
        for key in ("type", "id", "attributes"):
            if key not in data:
                raise model.reject(
                    400, "PARAM_MISSING", "Missing Parameter", f"The required parameter, {key}, is missing."
                )
        if data["type"] != "orders":
            raise model.reject(409, "INVALID_RESOURCE", "Invalid resource", f"{data['type']} is not a valid resource.")
        if str(data["id"]) != order_id:
            detail = f"The URL does not support the key {data['id']}"
            raise model.reject(400, "KEY_NOT_INCLUDED_IN_URL", "Key is not included in URL", detail)
        attributes, relationships = data["attributes"], data.get("relationships") or {}
        if not isinstance(attributes, dict) or not isinstance(relationships, dict):
            raise model.reject(400, "BAD_REQUEST", "Bad request", "attributes and relationships must be objects.")
        allowed = {*model.ATTRIBUTES, *model.VALUE_TRIGGERS, *model.BOOL_TRIGGERS}
        unknown = [name for name in attributes if name not in allowed]
        unknown += [name for name in relationships if name not in model.RELATIONSHIP_TYPES]
        if unknown:
            raise model.reject(400, "PARAM_NOT_ALLOWED", "Param not allowed", f"{unknown[0]} is not allowed.")
        return attributes, relationships

    def _clone_address(self, link: model.Link | None) -> model.Link | None:
        """A new address copied from ``link`` (what the clone and same-as triggers create)."""
        if link is None:
            return None
        clone = ("addresses", f"addr{self.state.next_number():06d}")
        self.resources[clone] = dict(self.resources.get(link, {}))
        return clone

    # ------------------------------------------------------------------ rendering

    def _render(
        self, request: Request, order_id: str, order: Document, include: list[str], fields: dict[str, list[str]]
    ) -> Document:
        """The order as a JSON:API document; relationship ``data`` and ``included`` only when included."""
        root = f"{request.url.scheme}://{request.url.netloc}{request.scope.get('root_path', '')}/api"
        own = f"{root}/orders/{order_id}"
        wanted = set(fields["orders"]) if "orders" in fields else None
        attributes = {
            key: value
            for key, value in order["attributes"].items()
            if key not in model.NOT_FETCHABLE and (wanted is None or key in wanted)
        }
        included_names = {path.split(".", 1)[0] for path in include}
        names = [*CL_RELATIONSHIPS, *(name for name in order["links"] if name not in CL_RELATIONSHIPS)]
        relationships: Document = {}
        included: dict[model.Link, Document] = {}
        for name in names:  # included resources are listed even when a sparse fieldset hides the linkage
            entry: Document = {"links": {"self": f"{own}/relationships/{name}", "related": f"{own}/{name}"}}
            if name in included_names:
                to_many = CL_RELATIONSHIPS.get(name, name == "tags")
                link = order["links"].get(name, [] if to_many else None)
                targets = link if isinstance(link, list) else [] if link is None else [link]
                entry["data"] = (
                    [self._identifier(t) for t in targets]
                    if to_many
                    else (self._identifier(targets[0]) if targets else None)
                )
                for target in targets:
                    included.setdefault(target, self._included(root, target, fields.get(target[0])))
            if wanted is None or name in wanted:
                relationships[name] = entry
        resource = {
            "id": order_id,
            "type": "orders",
            "links": {"self": own},
            "attributes": attributes,
            "relationships": relationships,
            "meta": {"mode": "test"},
        }
        return {"data": resource, "included": list(included.values())} if include else {"data": resource}

    @staticmethod
    def _identifier(link: model.Link) -> Document:
        return {"type": link[0], "id": link[1]}

    def _included(self, root: str, link: model.Link, wanted: list[str] | None) -> Document:
        attributes = {k: v for k, v in self.resources.get(link, {}).items() if wanted is None or k in wanted}
        return {
            "id": link[1],
            "type": link[0],
            "links": {"self": f"{root}/{link[0]}/{link[1]}"},
            "attributes": attributes,
            "meta": {"mode": "test"},
        }
