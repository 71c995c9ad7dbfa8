"""Commerce Layer test helpers: the seed document, response builders, and one harness that runs
the same operation on the sync and on the async client."""

from __future__ import annotations

import inspect
import json
from collections.abc import AsyncIterator
from typing import Literal

import httpx
import pytest
from pytest_httpx import HTTPXMock

from orderpatch import APIResponse
from orderpatch._types import JSONValue
from orderpatch.commercelayer import AsyncCommerceLayerClient, CommerceLayerClient, Order
from tests.conftest import shared_path

ORG = "acme"
BASE = "https://acme.commercelayer.io"
ORDER_ID = "xYZkjABcde"
ORDER_URL = f"{BASE}/api/orders/{ORDER_ID}"
TOKEN_URL = "https://auth.commercelayer.io/oauth/token"
JSONAPI = "application/vnd.api+json"

Client = CommerceLayerClient | AsyncCommerceLayerClient


def seed_document() -> dict[str, JSONValue]:
    """The 200 example of the vendor's "Update an order" page (../shared/seeds), parsed."""
    text = shared_path("seeds", "commercelayer-update-order.txt").read_text(encoding="utf-8")
    document = json.loads(text[text.index('{"data":{"id"'):])
    assert isinstance(document, dict)
    return document


def order_body(order_id: str = ORDER_ID, **attributes: JSONValue) -> dict[str, JSONValue]:
    """A small 200 answer (what Commerce Layer sends back, trimmed to a few attributes)."""
    return {
        "data": {
            "id": order_id, "type": "orders", "links": {"self": f"{BASE}/api/orders/{order_id}"},
            "attributes": {"status": "pending", "payment_status": "unpaid", **attributes},
            "relationships": {"market": {"links": {"self": f"{BASE}/api/orders/{order_id}/relationships/market",
                                                   "related": f"{BASE}/api/orders/{order_id}/market"}}},
            "meta": {"mode": "test"},
        }
    }


def errors_body(*errors: dict[str, JSONValue]) -> dict[str, JSONValue]:
    """A JSON:API error document."""
    return {"errors": list(errors)}


def add_token(httpx_mock: HTTPXMock, token: str = "tok-1", *, url: str = TOKEN_URL, expires_in: int = 7200) -> None:
    """Expect one token request and answer it as Commerce Layer does (integration: 2 h)."""
    httpx_mock.add_response(
        method="POST", url=url,
        json={"access_token": token, "token_type": "bearer", "expires_in": expires_in,
              "scope": "market:all", "created_at": 1700000000},
    )


def body_of(request: httpx.Request) -> JSONValue:
    """The JSON body a request carried."""
    result: JSONValue = json.loads(request.content)
    return result


class Api:
    """Builds the sync or the async client and runs operations on it the same way."""

    def __init__(self, kind: Literal["sync", "async"]) -> None:
        self.kind = kind
        self._clients: list[Client] = []

    def client(self, **settings: object) -> Client:
        """A client of ``kind``; by default organization ``acme`` with integration credentials."""
        settings = settings or {"organization": ORG, "client_id": "cid", "client_secret": "csecret"}
        cls = CommerceLayerClient if self.kind == "sync" else AsyncCommerceLayerClient
        client: Client = cls(**settings)  # type: ignore[arg-type]
        self._clients.append(client)
        return client

    async def call(self, client: Client, operation: str, *args: object, **kwargs: object) -> Order:
        """``client.orders.<operation>(*args, **kwargs)``, awaited when the client is async."""
        result = getattr(client.orders, operation)(*args, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        assert isinstance(result, Order)
        return result

    async def raw(self, client: Client, operation: str, *args: object, **kwargs: object) -> APIResponse[Order]:
        """``client.orders.with_raw_response.<operation>(...)``."""
        result = getattr(client.orders.with_raw_response, operation)(*args, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        assert isinstance(result, APIResponse)
        return result

    async def close(self) -> None:
        for client in self._clients:
            if isinstance(client, AsyncCommerceLayerClient):
                await client.close()
            else:
                client.close()


@pytest.fixture(params=["sync", "async"])
async def api(request: pytest.FixtureRequest) -> AsyncIterator[Api]:
    """The harness, once for the sync client and once for the async one."""
    harness = Api(request.param)
    yield harness
    await harness.close()
