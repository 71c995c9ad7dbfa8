"""The four vendors as the reliability suite drives them: clients, operations, bodies and secrets.

Every operation of the fault matrix is one ``Operation``: which vendor, whether the SDK may repeat
it after an ambiguous failure (``retry_safe``), and one call on a sync or an async client aimed at
a loopback server. Each ``Vendor`` knows a valid 200 document (written from the vendor facts in
the vendor test folders), its error body format, and the credentials it is built with, so the
secrets tests know exactly which strings must never show.
"""

from __future__ import annotations

import copy
import inspect
import json
import ssl
from collections.abc import Awaitable, Callable, Mapping
from decimal import Decimal
from typing import Any, Literal, TypeAlias

import attrs
import httpx

from orderpatch._types import JSONValue
from orderpatch.commercelayer import AsyncCommerceLayerClient, CommerceLayerClient
from orderpatch.commercelayer import Order as CLOrder
from orderpatch.commercelayer import OrderUpdate as CLUpdate
from orderpatch.licensespring import AsyncLicenseSpringClient, LicenseSpringClient
from orderpatch.licensespring import Order as LSOrder
from orderpatch.licensespring import OrderUpdate as LSUpdate
from orderpatch.spree import AsyncSpreeClient, SpreeClient
from orderpatch.spree import Order as SpreeOrder
from orderpatch.spree import OrderUpdate as SpreeUpdate
from orderpatch.spree_admin import AsyncSpreeAdminClient, LineItem, SpreeAdminClient
from orderpatch.spree_admin import Order as SpreeAdminOrder
from orderpatch.spree_admin import OrderUpdate as SpreeAdminUpdate
from orderpatch.trunkery import AsyncTrunkeryClient, OrderModify, TrunkeryClient
from orderpatch.trunkery import Order as TrunkeryOrder
from tests.trunkery._fixtures import ORDER_ID as TRUNKERY_ORDER_ID
from tests.trunkery._fixtures import SHOP_ID as TRUNKERY_SHOP_ID
from tests.trunkery._fixtures import jwt, order_payload

__all__ = [
    "CLIENT_TYPES", "OPERATIONS", "VENDORS", "AnyClient", "Credentials", "Kind", "Operation", "Vendor", "close_client",
    "http_for", "resolve",
]

Kind: TypeAlias = Literal["sync", "async"]
Credentials: TypeAlias = Literal["static", "oauth"]
AnyClient: TypeAlias = (
    LicenseSpringClient | AsyncLicenseSpringClient | CommerceLayerClient | AsyncCommerceLayerClient
    | SpreeClient | AsyncSpreeClient | TrunkeryClient | AsyncTrunkeryClient | SpreeAdminClient | AsyncSpreeAdminClient
)
#: Sync and async client classes by vendor.
CLIENT_TYPES: Mapping[str, tuple[type[AnyClient], type[AnyClient]]] = {
    "licensespring": (LicenseSpringClient, AsyncLicenseSpringClient),
    "commercelayer": (CommerceLayerClient, AsyncCommerceLayerClient),
    "spree": (SpreeClient, AsyncSpreeClient),
    "trunkery": (TrunkeryClient, AsyncTrunkeryClient),
    "spree_admin": (SpreeAdminClient, AsyncSpreeAdminClient),
}

# One SSL context for every httpx client of the suite: building one per client costs ~50 ms,
# and every server here is plain-HTTP loopback anyway.
_SSL = ssl.create_default_context()

# The credentials, distinctive enough that a leak of any of them is found by a substring search.
LS_API_KEY = "h8ZTleS1.LsSecretApiKey0123456789abcdefXY"
CL_ACCESS_TOKEN = "Qw7rTstaticTOKENcl-SECRET-4f1e2d3c"
CL_CLIENT_SECRET = "Zx9pKclientSECRETcl-8a7b6c5d4e3f"
CL_OAUTH_TOKEN = "Vb4nMissuedTOKENcl-SECRET-1a2b3c4d"
SPREE_ACCESS_TOKEN = "Hj2kLstaticTOKENsp-SECRET-9e8d7c6b5a"
SPREE_CLIENT_SECRET = "Wd5sFclientSECRETsp-0f1e2d3c4b"
SPREE_OAUTH_TOKEN = "Ty8uRissuedTOKENsp-SECRET-5a6b7c8d"
SPREE_ADMIN_KEY = "sk_SpReEaDmInSeCrEtKeY7x9Q2w"
TRUNKERY_JWT = jwt({"user_id": "us_EQzGqWoY", "exp": 4102444800, "wexp": 4102444800, "nonce": "SECRETnonce77"}).replace(
    ".c2lnbmF0dXJl", ".U0VDUkVULXNpZ25hdHVyZS1vZi10aGUtand0LTAxMjM0NQ"
)


async def resolve(value: object) -> object:
    """A sync call's result as is, or an async call's result awaited: one test body serves both."""
    if inspect.isawaitable(value):
        return await value
    return value


def http_for(kind: Kind, *, follow_redirects: bool = False) -> httpx.Client | httpx.AsyncClient:
    """A plain httpx client for a test (shared SSL context), closed by ``close_client``."""
    if kind == "async":
        return httpx.AsyncClient(verify=_SSL, follow_redirects=follow_redirects)
    return httpx.Client(verify=_SSL, follow_redirects=follow_redirects)


async def close_client(client: AnyClient, http: httpx.Client | httpx.AsyncClient | None = None) -> None:
    """Close an orderpatch client and the httpx client it was given (which it never closes itself)."""
    await resolve(client.close())
    if isinstance(http, httpx.AsyncClient):
        await http.aclose()
    elif http is not None:
        _close_sync(http)


def _close_sync(http: httpx.Client) -> None:
    """Closing a sync client only drops idle sockets: nothing to wait for."""
    http.close()


def _json(document: object) -> bytes:
    return json.dumps(document).encode()


@attrs.frozen(kw_only=True)
class Vendor:
    """How to build one vendor's clients against a URL, and what its server says."""

    name: str
    #: ``make(kind, url, http, credentials, settings)``: a client of ``kind`` aimed at ``url``.
    make: Maker
    #: A valid 200 document of the vendor's order (a fresh copy each call).
    ok_document: Callable[[], JSONValue]
    #: Where a ``"padding"`` string may be added to the 200 document without changing its meaning.
    padding_path: tuple[str | int, ...]
    #: The vendor's error body for ``status`` with ``message``.
    error_body: Callable[[int, str], bytes]
    #: Every credential this vendor's clients are built with (and the token its OAuth flow gets).
    secrets: tuple[str, ...]
    #: The credentials a client holds with ``static`` credentials (the rest are OAuth's).
    static_secrets: tuple[str, ...] = ()
    #: Path of the OAuth token endpoint on the loopback server (``None``: no client credentials).
    token_path: str | None = None
    #: The token endpoint's 200 answer.
    token_body: bytes = b""
    #: A 401 answer that means "this access token is no longer good" (refresh once, replay).
    token_rejected_body: bytes = b""

    def ok_body(self) -> bytes:
        """The 200 document as bytes."""
        return _json(self.ok_document())

    def secrets_of(self, credentials: Credentials) -> tuple[str, ...]:
        """The credentials a client built with ``credentials`` knows (and so must keep out of sight)."""
        if credentials == "static":
            return self.static_secrets or self.secrets
        return tuple(s for s in self.secrets if s not in self.static_secrets)


Maker: TypeAlias = Callable[
    [Kind, str, httpx.Client | httpx.AsyncClient | None, Credentials, Mapping[str, Any]], AnyClient]


def _maker(sync_cls: type[AnyClient], async_cls: type[AnyClient], static: Callable[[str], dict[str, Any]],
           oauth: Callable[[str], dict[str, Any]] | None = None) -> Maker:
    """``make(kind, url, http, credentials, settings)`` for one vendor's pair of client classes."""

    def make(kind: Kind, url: str, http: httpx.Client | httpx.AsyncClient | None, credentials: Credentials,
             settings: Mapping[str, Any]) -> AnyClient:
        cls: Callable[..., AnyClient] = async_cls if kind == "async" else sync_cls
        credential = oauth if credentials == "oauth" and oauth is not None else static
        return cls(base_url=url, http_client=http, **credential(url), **settings)

    return make


_make_licensespring = _maker(LicenseSpringClient, AsyncLicenseSpringClient, lambda url: {"api_key": LS_API_KEY})
_make_commercelayer = _maker(
    CommerceLayerClient, AsyncCommerceLayerClient, lambda url: {"access_token": CL_ACCESS_TOKEN},
    lambda url: {"client_id": "cl-client-id", "client_secret": CL_CLIENT_SECRET, "auth_url": f"{url}/oauth/token"})
_make_spree = _maker(SpreeClient, AsyncSpreeClient, lambda url: {"access_token": SPREE_ACCESS_TOKEN},
                     lambda url: {"client_id": "spree-client-id", "client_secret": SPREE_CLIENT_SECRET})
# No pacing here: the matrix is about retries (the default budget would wait out a Retry-After for real).
_make_spree_admin = _maker(SpreeAdminClient, AsyncSpreeAdminClient,
                           lambda url: {"api_key": SPREE_ADMIN_KEY, "rate_limiter": None})
_make_trunkery = _maker(TrunkeryClient, AsyncTrunkeryClient,
                        lambda url: {"token": TRUNKERY_JWT, "shop_id": TRUNKERY_SHOP_ID})


LS_ORDER_ID = 1629789747117569
CL_ORDER_ID = "xYZkjABcde"
SPREE_ORDER_ID = "R484277352"
SPREE_ADMIN_ORDER_ID = "or_UkLWZg9DAJ"

_LS_ORDER: dict[str, JSONValue] = {
    "id": LS_ORDER_ID, "created_at": "2021-08-24T07:22:27Z", "updated_at": "2021-11-23T07:04:07.441338Z",
    "store_id": "patched_store_id", "type": "normal", "customer_email": None, "is_test": True,
    "customer_reference": "", "is_trial": False, "download_id": None, "language": None, "campaign_params": None,
    "customer_first_name": None, "customer_last_name": None, "customer_company": None, "customer_phone": None,
    "metadata": {}, "company": 339, "customer": None, "customer_account": None, "license_users": [],
}
_CL_ORDER: dict[str, JSONValue] = {
    "data": {
        "id": CL_ORDER_ID, "type": "orders", "links": {"self": f"https://acme.commercelayer.io/api/orders/{CL_ORDER_ID}"},
        "attributes": {"number": "1234", "status": "placed", "payment_status": "paid",
                       "fulfillment_status": "in_progress",
                       "customer_email": "a@example.com", "total_amount_cents": 5700, "currency_code": "EUR"},
        "relationships": {"market": {"links": {"self": "https://acme.commercelayer.io/api/orders/x/relationships/market"}}},
        "meta": {"mode": "test"},
    }
}
_SPREE_ORDER: dict[str, JSONValue] = {
    "data": {"id": "47", "type": "order",
             "attributes": {"number": SPREE_ORDER_ID, "email": "a@example.com", "state": "delivery", "total": "110.0",
                            "currency": "USD"},
             "relationships": {"line_items": {"data": [{"id": "38", "type": "line_item"}]}}}
}

LICENSESPRING = Vendor(
    name="licensespring", make=_make_licensespring, ok_document=lambda: copy.deepcopy(_LS_ORDER), padding_path=(),
    error_body=lambda status, message: _json({"detail": message}), secrets=(LS_API_KEY,),
)
COMMERCELAYER = Vendor(
    name="commercelayer", make=_make_commercelayer, ok_document=lambda: copy.deepcopy(_CL_ORDER),
    padding_path=("data", "attributes"),
    error_body=lambda status, message: _json(
        {"errors": [{"title": message, "detail": message, "code": f"HTTP_{status}", "status": str(status)}]}),
    secrets=(CL_ACCESS_TOKEN, CL_CLIENT_SECRET, CL_OAUTH_TOKEN), static_secrets=(CL_ACCESS_TOKEN,),
    token_path="/oauth/token",
    token_body=_json({"access_token": CL_OAUTH_TOKEN, "token_type": "bearer", "expires_in": 7200,
                      "scope": "market:all", "created_at": 1700000000}),
    token_rejected_body=_json({"errors": [{"title": "Invalid token", "detail": "The access token you provided is "
                                           "invalid.", "code": "INVALID_TOKEN", "status": "401"}]}),
)
SPREE = Vendor(
    name="spree", make=_make_spree, ok_document=lambda: copy.deepcopy(_SPREE_ORDER),
    padding_path=("data", "attributes"),
    error_body=lambda status, message: _json({"error": message}),
    secrets=(SPREE_ACCESS_TOKEN, SPREE_CLIENT_SECRET, SPREE_OAUTH_TOKEN), static_secrets=(SPREE_ACCESS_TOKEN,),
    token_path="/spree_oauth/token",
    token_body=_json({"access_token": SPREE_OAUTH_TOKEN, "token_type": "Bearer", "expires_in": 7200, "scope": "admin",
                      "created_at": 1539863418}),
    token_rejected_body=_json({"error": "The access token expired"}),
)
SPREE_ADMIN = Vendor(
    name="spree_admin", make=_make_spree_admin,
    ok_document=lambda: {"id": SPREE_ADMIN_ORDER_ID, "number": "R801110570", "status": "draft", "total": "19.99",
                         "currency": "USD", "email": "a@example.com", "metadata": {"erp": 7}, "tags": ["vip"],
                         "completed_at": None, "updated_at": "2026-07-27T20:01:09.626Z",
                         "items": [{"id": "li_gbHJdmfrXB", "variant_id": "variant_VqXmZF31wY", "quantity": 2,
                                    "price": "19.99"}]},
    padding_path=(),
    error_body=lambda status, message: _json({"error": {"code": f"http_{status}", "message": message}}),
    secrets=(SPREE_ADMIN_KEY,),
)
TRUNKERY = Vendor(
    name="trunkery", make=_make_trunkery, ok_document=lambda: [order_payload()], padding_path=(0,),
    error_body=lambda status, message: _json({"code": status, "message": message}),
    secrets=(TRUNKERY_JWT,),
)
VENDORS: Mapping[str, Vendor] = {v.name: v for v in (LICENSESPRING, COMMERCELAYER, SPREE, TRUNKERY, SPREE_ADMIN)}


@attrs.frozen(kw_only=True)
class Operation:
    """One operation of the matrix: a call on a vendor client, and whether it may be repeated."""

    key: str
    vendor: Vendor
    #: What the operation is, for the docs.
    title: str
    #: Whether the SDK may repeat it after a failure that may have reached the server.
    retry_safe: bool
    method: str
    #: The request path the server sees (without the query).
    path: str
    #: ``call(client)``: the operation, returning the result or (async client) an awaitable of it.
    call: Callable[[Any], object]
    #: The typed result class.
    result_type: type
    #: Trunkery, Spree v3: whether the call carries an ``Idempotency-Key``.
    keyed: bool = False
    #: Spree v3: a keyed call is also retried on a 500 (the server never stores a 5xx under the key).
    retries_500: bool = False

    def run(self, client: AnyClient) -> object | Awaitable[object]:
        """Start the operation on ``client``."""
        return self.call(client)


OPERATIONS: tuple[Operation, ...] = (
    Operation(key="licensespring.update", vendor=LICENSESPRING, title="LicenseSpring `update` (PATCH)",
              retry_safe=True, method="PATCH", path=f"/api/v1/orders/{LS_ORDER_ID}/",
              call=lambda c: c.orders.update(LS_ORDER_ID, LSUpdate(is_test=True)), result_type=LSOrder),
    Operation(key="commercelayer.update", vendor=COMMERCELAYER, title="Commerce Layer `update` (attributes only)",
              retry_safe=True, method="PATCH", path=f"/api/orders/{CL_ORDER_ID}",
              call=lambda c: c.orders.update(CL_ORDER_ID, CLUpdate(customer_email="a@example.com")),
              result_type=CLOrder),
    Operation(key="commercelayer.capture", vendor=COMMERCELAYER, title="Commerce Layer `capture` (`_capture`)",
              retry_safe=False, method="PATCH", path=f"/api/orders/{CL_ORDER_ID}",
              call=lambda c: c.orders.capture(CL_ORDER_ID), result_type=CLOrder),
    Operation(key="commercelayer.refund", vendor=COMMERCELAYER, title="Commerce Layer `refund` (`_refund`)",
              retry_safe=False, method="PATCH", path=f"/api/orders/{CL_ORDER_ID}",
              call=lambda c: c.orders.refund(CL_ORDER_ID), result_type=CLOrder),
    Operation(key="commercelayer.approve_and_capture", vendor=COMMERCELAYER,
              title="Commerce Layer `update(OrderUpdate(approve_and_capture=True))`", retry_safe=False, method="PATCH",
              path=f"/api/orders/{CL_ORDER_ID}",
              call=lambda c: c.orders.update(CL_ORDER_ID, CLUpdate(approve_and_capture=True)), result_type=CLOrder),
    Operation(key="spree.update", vendor=SPREE, title="Spree `update` (PATCH, no line items)", retry_safe=True,
              method="PATCH", path=f"/api/v2/platform/orders/{SPREE_ORDER_ID}",
              call=lambda c: c.orders.update(SPREE_ORDER_ID, SpreeUpdate(email="a@example.com")),
              result_type=SpreeOrder),
    Operation(key="spree.use_store_credit", vendor=SPREE, title="Spree `use_store_credit` (adds a payment)",
              retry_safe=False, method="PATCH", path=f"/api/v2/platform/orders/{SPREE_ORDER_ID}/use_store_credit",
              call=lambda c: c.orders.use_store_credit(SPREE_ORDER_ID, Decimal("15.00")), result_type=SpreeOrder),
    Operation(key="trunkery.modify", vendor=TRUNKERY, title="Trunkery `modify` (POST, with `Idempotency-Key`)",
              retry_safe=True, method="POST", path="/orders.json", keyed=True,
              call=lambda c: c.orders.modify(TRUNKERY_ORDER_ID, OrderModify(tags=["vip"])), result_type=TrunkeryOrder),
    Operation(key="trunkery.modify_unkeyed", vendor=TRUNKERY,
              title="Trunkery `modify(..., idempotency_key=None)` (POST, no key)", retry_safe=False, method="POST",
              path="/orders.json",
              call=lambda c: c.orders.modify(TRUNKERY_ORDER_ID, OrderModify(tags=["vip"]), idempotency_key=None),
              result_type=TrunkeryOrder),
    Operation(key="spree_admin.update", vendor=SPREE_ADMIN, title="Spree v3 `update` (PATCH, `Idempotency-Key`)",
              retry_safe=True, method="PATCH", path=f"/api/v3/admin/orders/{SPREE_ADMIN_ORDER_ID}", keyed=True,
              retries_500=True, call=lambda c: c.orders.update(SPREE_ADMIN_ORDER_ID, SpreeAdminUpdate(tags=["vip"])),
              result_type=SpreeAdminOrder),
    Operation(key="spree_admin.add_item", vendor=SPREE_ADMIN, title="Spree v3 `add_item` (additive POST, keyed)",
              retry_safe=True, method="POST", path=f"/api/v3/admin/orders/{SPREE_ADMIN_ORDER_ID}/items", keyed=True,
              retries_500=True, call=lambda c: c.orders.add_item(SPREE_ADMIN_ORDER_ID, "variant_VqXmZF31wY", 2),
              result_type=LineItem),
    Operation(key="spree_admin.approve", vendor=SPREE_ADMIN, title="Spree v3 `approve` (no server guard: sent once)",
              retry_safe=False, method="PATCH", path=f"/api/v3/admin/orders/{SPREE_ADMIN_ORDER_ID}/approve",
              keyed=True, call=lambda c: c.orders.approve(SPREE_ADMIN_ORDER_ID), result_type=SpreeAdminOrder),
)
