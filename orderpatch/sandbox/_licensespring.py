"""LicenseSpring Management API emulation: ``PATCH /api/v1/orders/{id}/``.

Facts from ``shared/vendors/licensespring/README.md``: ``Authorization: Api-Key <key>``; no
credentials give 403 ``{"detail": "Authentication credentials were not provided."}``; an unknown
order gives 404 ``{"message": ...}``; the 200 body is the flat order object of the docs.

The README infers a Django REST framework backend, and the sandbox behaves like one where the
docs are silent (each a guess, marked as such):

* A wrong key is a **403** with the same body as a missing one. With djangorestframework-api-key's
  ``HasAPIKey`` permission no authenticator succeeds, so DRF raises ``NotAuthenticated``; and the
  captured 403 for missing credentials shows the first authenticator sends no
  ``WWW-Authenticate``, which is when DRF turns ``NotAuthenticated`` into 403 rather than 401.
* Without the trailing slash Django's ``APPEND_SLASH`` answers 301 to the slashed URL.
* Validation errors are DRF's ``{"field": ["message"]}`` with DRF's English messages.
* Unmatched URLs get Django's HTML 404 page, 5xx nginx's HTML page, 429 DRF's throttle message.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from ._credentials import SANDBOX_CREDENTIALS
from ._http import BodyError, Document, iso_micros, json_response, media_type, parse_json, reject_json, utcnow
from ._reading import licensespring_detail, licensespring_read_routes
from ._seeds import LS_CUSTOMER_ACCOUNTS, LS_CUSTOMERS, ls_orders
from ._vendor import Vendor

_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
_NOT_PROVIDED = {"detail": "Authentication credentials were not provided."}
#: The documented 404 body (the docs' own wording).
_NOT_FOUND = {"message": "ain't no cake like that"}
_DJANGO_404 = (
    '<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n'
    "  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n"
)
_NULLABLE_TEXT = ("download_id", "language", "campaign_params")
_BOOLEANS = ("is_test", "is_trial")
#: The documented body fields; others (read-only or unknown) are ignored, as DRF does.
_WRITABLE = ("store_id", "type", *_BOOLEANS, *_NULLABLE_TEXT, "customer", "customer_account", "metadata")
_NULLABLE = frozenset((*_NULLABLE_TEXT, "customer", "customer_account"))
_TRUE = {True, "1", "true", "True", "TRUE", "yes", "on"}
_FALSE = {False, "0", "false", "False", "FALSE", "no", "off"}


class LicenseSpring(Vendor):
    """LicenseSpring Management API, mounted under ``/licensespring``."""

    name = "licensespring"

    def reset(self) -> None:
        self.orders = ls_orders()

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/api/v1/orders/{order_id}/", self.order_detail, methods=_METHODS),
            Route("/api/v1/orders/{order_id}", self.append_slash, methods=_METHODS),
            *licensespring_read_routes(self),
        ]

    def error(self, status: int, message: str) -> Response:
        if status == 404:
            return HTMLResponse(_DJANGO_404, status)
        if status >= 500:
            title = f"{status} {'Service Temporarily Unavailable' if status == 503 else message}"
            page = (
                f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n"
                "<hr><center>nginx/1.14.0 (Ubuntu)</center>\r\n</body>\r\n</html>\r\n"
            )
            return HTMLResponse(page, status)
        return json_response({"detail": message}, status)

    def throttled(self, retry_after: str) -> Response:
        unit = "second" if retry_after == "1" else "seconds"
        return json_response({"detail": f"Request was throttled. Expected available in {retry_after} {unit}."}, 429)

    async def append_slash(self, request: Request) -> Response:
        """Django's ``CommonMiddleware``: a permanent redirect to the URL with the slash."""
        location = request.url.path + "/" + (f"?{request.url.query}" if request.url.query else "")
        return Response(status_code=301, headers={"Location": location}, media_type="text/html; charset=utf-8")

    async def order_detail(self, request: Request) -> Response:
        """DRF order: authenticate, then method check, then lookup, then parse and validate."""
        credentials = request.headers.get("authorization", "")
        # djangorestframework-api-key splits on the literal keyword, so it is case-sensitive.
        if credentials.partition("Api-Key ")[2] != SANDBOX_CREDENTIALS[self.name]["api_key"]:
            raise reject_json(_NOT_PROVIDED, 403)
        if request.method not in ("PATCH", "GET"):
            raise reject_json({"detail": f'Method "{request.method}" not allowed.'}, 405)
        raw = await request.body()
        with self.state.lock:
            order_id = request.path_params["order_id"]
            order = self.orders.get(int(order_id)) if order_id.isdigit() else None
            if order is None:
                raise reject_json(_NOT_FOUND, 404)
            if request.method == "GET":  # the nested detail, unlike PATCH's flat answer
                return json_response(licensespring_detail(order))
            order.update(_clean(self._parse(request, raw)))
            order["updated_at"] = iso_micros(utcnow())
            return json_response(order)

    @staticmethod
    def _parse(request: Request, raw: bytes) -> Document:
        kind = media_type(request)
        if not raw.strip():
            return {}
        if kind != "application/json":
            raise reject_json({"detail": f'Unsupported media type "{kind}" in request.'}, 415)
        try:
            data = parse_json(raw)
        except BodyError as exc:
            raise reject_json({"detail": f"JSON parse error - {exc}"}, 400) from exc
        if not isinstance(data, dict):
            found = "list" if isinstance(data, list) else type(data).__name__
            raise reject_json({"non_field_errors": [f"Invalid data. Expected a dictionary, but got {found}."]}, 400)
        return data


def _clean(changes: Document) -> Document:
    """DRF-style partial validation: the cleaned writable fields, or a 400 listing every field error."""
    cleaned: Document = {}
    errors: dict[str, list[str]] = {}
    for key in _WRITABLE:
        if key in changes:
            try:
                cleaned[key] = _clean_field(key, changes[key])
            except ValueError as exc:
                errors[key] = [str(exc)]
    if errors:
        raise reject_json(errors, 400)
    return cleaned


def _clean_field(key: str, value: object) -> object:
    """One field as DRF's serializer fields would take it; ``ValueError`` carries DRF's message."""
    if value is None:
        if key in _NULLABLE:
            return None
        raise ValueError("This field may not be null.")
    if key in ("store_id", *_NULLABLE_TEXT):
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValueError("Not a valid string.")
        return str(value)
    if key == "type":
        if value != "normal":  # the only documented order type
            raise ValueError(f'"{value}" is not a valid choice.')
        return value
    if key in _BOOLEANS:
        if isinstance(value, bool | int | str) and (value in _TRUE or value in _FALSE):
            return value in _TRUE
        raise ValueError("Must be a valid boolean.")
    if key in ("customer", "customer_account"):
        return _primary_key(value, LS_CUSTOMERS if key == "customer" else LS_CUSTOMER_ACCOUNTS)
    return value  # metadata: any JSON value


def _primary_key(value: object, known: frozenset[int]) -> int:
    """``PrimaryKeyRelatedField``: an integer-like value naming an existing record."""
    if isinstance(value, bool) or not isinstance(value, int | str) or (isinstance(value, str) and not value.isdigit()):
        raise ValueError(f"Incorrect type. Expected pk value, received {type(value).__name__}.")
    if int(value) not in known:
        raise ValueError(f'Invalid pk "{value}" - object does not exist.')
    return int(value)
