"""One order update per vendor, set up three ways over the same ``httpx`` transport.

* ``floor``: what a user writes without an SDK: raw ``httpx`` with a ``json.dumps`` body and
  ``response.json()`` (the same method, URL, headers and body as orderpatch sends);
* ``ours``: ``client.orders.update(id, OrderUpdate(...))`` through orderpatch's client;
* the same again on the async clients.

The transport answers every update with the vendor's seed response (``payloads.py``) and the
OAuth2 token endpoint with a token, so a client-credentials vendor pays its (cached) auth flow
like it would in production.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from payloads import Payload, payload

from orderpatch._http import httpx  # the package in use: httpx, or httpx2 (ORDERPATCH_HTTP)
from orderpatch._spec import decode_json

__all__ = ["VENDORS", "Case", "Ours", "check_same_request", "load_case", "mock_handler", "token_body"]

#: Every vendor orderpatch supports, in the order the tables list them.
VENDORS = ("licensespring", "commercelayer", "spree", "spree_admin", "trunkery")

JSON_OBJECT = dict[str, object]
Handler = Callable[[httpx.Request], httpx.Response]
SyncUpdate = Callable[[], object]
AsyncUpdate = Callable[[], Awaitable[object]]


@dataclass(frozen=True)
class Ours:
    """An orderpatch client and a zero-argument function that runs one update with it."""

    client: Any
    update: Callable[[], Any]


def token_body() -> bytes:
    """An OAuth2 client-credentials answer: a token valid for two hours."""
    return json.dumps({"access_token": "bench-token", "token_type": "Bearer", "expires_in": 7200}).encode()


@dataclass(frozen=True)
class Case:
    """One vendor's update: the request orderpatch sends, its answer, and how to make the clients."""

    vendor: str
    method: str
    url: str
    #: The body orderpatch sends for ``changes`` (the floor sends the same, built with ``json.dumps``).
    body: object
    content_type: str
    payload: Payload
    #: Path of the OAuth2 token endpoint the transport must answer, if the vendor uses one.
    token_path: str | None
    make_sync: Callable[[httpx.Client], Ours]
    make_async: Callable[[httpx.AsyncClient], Ours]
    #: The vendor codec's parser of a decoded 200 answer (what the client runs after ``json.loads``).
    parse: Callable[[Any], object]
    #: Floor request headers (a fixed bearer token stands in for the cached OAuth2 token).
    headers: dict[str, str] = field(default_factory=dict)
    #: The codec's typed fast path from the answer's bytes (``Call.read``; ``None``: ``parse`` is
    #: the way), which the client tries first.
    read: Callable[[bytes], object | None] | None = None

    def decode(self, content: bytes, headers: httpx.Headers) -> object:
        """The answer as the client reads it: ``read`` from the bytes, else ``decode_json`` + ``parse``."""
        if self.read is not None:
            result = self.read(content)
            if result is not None:
                return result
        return self.parse(decode_json(content, headers))

    def handler(self) -> Handler:
        return mock_handler(self.payload.body, self.content_type, self.token_path)

    def floor_sync(self, http: httpx.Client) -> SyncUpdate:
        """Raw ``httpx``: the same request with a ``json.dumps`` body, then ``response.json()``."""
        method, url, body, headers = self.method, self.url, self.body, self.headers

        def update() -> object:
            response = http.request(method, url, content=json.dumps(body), headers=headers)
            if response.status_code != 200:
                raise RuntimeError(f"unexpected status {response.status_code}")
            return response.json()

        return update

    def floor_async(self, http: httpx.AsyncClient) -> AsyncUpdate:
        """``floor_sync`` on ``httpx.AsyncClient``."""
        method, url, body, headers = self.method, self.url, self.body, self.headers

        async def update() -> object:
            response = await http.request(method, url, content=json.dumps(body), headers=headers)
            if response.status_code != 200:
                raise RuntimeError(f"unexpected status {response.status_code}")
            return response.json()

        return update


def mock_handler(body: bytes, content_type: str, token_path: str | None) -> Handler:
    """Answers the token endpoint with a token and everything else with ``body``."""
    token = token_body()
    headers = {"Content-Type": content_type}
    token_headers = {"Content-Type": "application/json"}

    def handle(request: httpx.Request) -> httpx.Response:
        if token_path is not None and request.url.path == token_path:
            return httpx.Response(200, content=token, headers=token_headers)
        return httpx.Response(200, content=body, headers=headers)

    return handle


# --- the vendors --------------------------------------------------------------------------------

_AUTH = {"Authorization": "Bearer bench-token"}
_JSON = {"Content-Type": "application/json", "Accept": "application/json"}


def _makers(
    vendor: str, settings: dict[str, str], update: Callable[[Any], Any]
) -> tuple[Callable[[httpx.Client], Ours], Callable[[httpx.AsyncClient], Ours]]:
    """``make_sync``/``make_async`` of a vendor: its clients built with ``settings``, one ``update(client)``."""
    package = importlib.import_module(f"orderpatch.{vendor}")
    sync_cls, async_cls = (getattr(package, name) for name in _CLIENT_CLASSES[vendor])

    def make_sync(http: httpx.Client) -> Ours:
        client = sync_cls(**settings, http_client=http)
        return Ours(client, lambda: update(client))

    def make_async(http: httpx.AsyncClient) -> Ours:
        client = async_cls(**settings, http_client=http)
        return Ours(client, lambda: update(client))

    return make_sync, make_async


_CLIENT_CLASSES = {
    "licensespring": ("LicenseSpringClient", "AsyncLicenseSpringClient"),
    "commercelayer": ("CommerceLayerClient", "AsyncCommerceLayerClient"),
    "spree": ("SpreeClient", "AsyncSpreeClient"),
    "spree_admin": ("SpreeAdminClient", "AsyncSpreeAdminClient"),
    "trunkery": ("TrunkeryClient", "AsyncTrunkeryClient"),
}


def _parser(vendor: str) -> Callable[[Any], object]:
    parse: Callable[[Any], object] = importlib.import_module(f"orderpatch.{vendor}._codec").parse_order
    return parse


def _licensespring(base: str) -> Case:
    ls = importlib.import_module("orderpatch.licensespring")
    order_id = 1629789747117569
    make_sync, make_async = _makers(
        "licensespring",
        {"api_key": "bench-key", "base_url": base},
        lambda client: client.orders.update(order_id, ls.OrderUpdate(store_id="patched_store_id", is_test=False)),
    )
    return Case(
        vendor="licensespring",
        method="PATCH",
        url=f"{base}/api/v1/orders/{order_id}/",
        body={"store_id": "patched_store_id", "is_test": False},
        content_type="application/json",
        payload=payload("licensespring"),
        parse=_parser("licensespring"),
        token_path=None,
        make_sync=make_sync,
        make_async=make_async,
        headers={"Authorization": "Api-Key bench-key", **_JSON},
    )


def _commercelayer(base: str) -> Case:
    cl = importlib.import_module("orderpatch.commercelayer")
    order_id = "xYZkjABcde"
    jsonapi = "application/vnd.api+json"
    make_sync, make_async = _makers(
        "commercelayer",
        {"base_url": base, "client_id": "bench-id", "client_secret": "bench-secret", "auth_url": f"{base}/oauth/token"},
        lambda client: client.orders.update(
            order_id, cl.OrderUpdate(coupon_code="SUMMERDISCOUNT", market=cl.MarketRef(id="dlQbPhNNop"))
        ),
    )
    market = {"data": {"type": "markets", "id": "dlQbPhNNop"}}
    body = {"type": "orders", "id": order_id, "attributes": {"coupon_code": "SUMMERDISCOUNT"}}
    return Case(
        vendor="commercelayer",
        method="PATCH",
        url=f"{base}/api/orders/{order_id}",
        body={"data": {**body, "relationships": {"market": market}}},
        content_type=jsonapi,
        payload=payload("commercelayer"),
        parse=_parser("commercelayer"),
        token_path="/oauth/token",
        make_sync=make_sync,
        make_async=make_async,
        headers={**_AUTH, "Content-Type": jsonapi, "Accept": jsonapi},
    )


def _spree(base: str) -> Case:
    spree = importlib.import_module("orderpatch.spree")
    order_id = "R484277352"
    changes = {"email": "new@example.com", "special_instructions": "Leave at the door"}
    make_sync, make_async = _makers(
        "spree",
        {"base_url": base, "client_id": "bench-id", "client_secret": "bench-secret"},
        lambda client: client.orders.update(order_id, spree.OrderUpdate(**changes)),
    )
    return Case(
        vendor="spree",
        method="PATCH",
        url=f"{base}/api/v2/platform/orders/{order_id}",
        body={"order": changes},
        content_type="application/vnd.api+json",
        payload=payload("spree"),
        parse=_parser("spree"),
        read=importlib.import_module("orderpatch.spree._codec").read_order,
        token_path="/spree_oauth/token",
        make_sync=make_sync,
        make_async=make_async,
        headers={**_AUTH, "Content-Type": "application/json", "Accept": "application/vnd.api+json"},
    )


def _spree_admin(base: str) -> Case:
    admin = importlib.import_module("orderpatch.spree_admin")
    order_id = "or_UkLWZg9DAJ"
    changes = {"email": "updated@example.com", "internal_note": "VIP: gift wrap on next order"}
    key = "bench-idempotency-key"
    # rate_limiter=None: the client's default paces one key at Spree's 300 per minute; a fixed
    # Idempotency-Key, which the floor sends too (orderpatch sends one on every mutation).
    make_sync, make_async = _makers(
        "spree_admin",
        {"base_url": base, "api_key": "sk_bench_key", "rate_limiter": None},
        lambda client: client.orders.update(order_id, admin.OrderUpdate(**changes), idempotency_key=key),
    )
    return Case(
        vendor="spree_admin",
        method="PATCH",
        url=f"{base}/api/v3/admin/orders/{order_id}",
        body=changes,
        content_type="application/json",
        payload=payload("spree_admin"),
        parse=_parser("spree_admin"),
        read=importlib.import_module("orderpatch.spree_admin._codec").read_order,
        token_path=None,
        make_sync=make_sync,
        make_async=make_async,
        headers={"X-Spree-Api-Key": "sk_bench_key", **_JSON, "Idempotency-Key": key},
    )


def _trunkery(base: str) -> Case:
    trunkery = importlib.import_module("orderpatch.trunkery")
    codec = importlib.import_module("orderpatch.trunkery._codec")
    order_id, shop_id = "or_EQzGqWoY", "sh_EQzGqWoY"
    # idempotency_key=None: the floor sends no Idempotency-Key either (the default adds a uuid4 one).
    make_sync, make_async = _makers(
        "trunkery",
        {"token": "bench-token", "shop_id": shop_id, "base_url": base},
        lambda client: client.orders.modify(
            order_id, trunkery.OrderModify(tags=["vip"], send_order_notifications=False), idempotency_key=None
        ),
    )
    return Case(
        vendor="trunkery",
        method="POST",
        url=f"{base}/orders.json?ids={order_id}&shop_id={shop_id}",
        body=[{"send_order_notifications": False, "tags": ["vip"]}],
        content_type="application/json",
        payload=payload("trunkery"),
        parse=lambda doc: codec.parse_modify_response(doc, order_id=order_id),
        read=lambda content: codec.read_modify_response(content, order_id=order_id),
        token_path=None,
        make_sync=make_sync,
        make_async=make_async,
        headers={**_AUTH, **_JSON},
    )


_LOADERS: dict[str, tuple[Callable[[str], Case], str]] = {
    "licensespring": (_licensespring, "https://saas.licensespring.test"),
    "commercelayer": (_commercelayer, "https://bench.commercelayer.io"),
    "spree": (_spree, "https://shop.spree.test"),
    "spree_admin": (_spree_admin, "https://admin.spree.test"),
    "trunkery": (_trunkery, "https://api.lana.test"),
}


def load_case(vendor: str, base: str | None = None) -> Case:
    """The vendor's case against ``base`` (a made-up host by default, or a loopback server).

    An orderpatch vendor that fails to import is an error, never a skip.
    """
    make, default = _LOADERS[vendor]
    return make(base or default)


def check_same_request(case: Case) -> str | None:
    """``None`` when orderpatch sends what the floor sends (method, URL, JSON body), else how they differ."""
    seen: list[httpx.Request] = []
    answer = case.handler()

    def record(request: httpx.Request) -> httpx.Response:
        if request.url.path != case.token_path:
            seen.append(request)
        return answer(request)

    with httpx.Client(transport=httpx.MockTransport(record)) as http:
        case.make_sync(http).update()
    request = seen[0]
    problems = []
    if request.method != case.method:
        problems.append(f"method {request.method} != {case.method}")
    if str(request.url) != case.url:
        problems.append(f"url {request.url} != {case.url}")
    sent = json.loads(request.content) if request.content else None
    if sent != case.body:
        problems.append(f"body {sent} != {case.body}")
    return "; ".join(problems) or None
