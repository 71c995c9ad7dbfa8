"""Fixtures of the Spree tests: a sync/async client pair driven through one ``await``-able helper."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, TypeVar

import httpx
import pytest

from orderpatch.spree import AsyncSpreeClient, SpreeClient

T = TypeVar("T")

#: A Spree store mounted under a sub-path, as the sandbox serves it.
BASE = "https://shop.test/spree"
ORDERS = f"{BASE}/api/v2/platform/orders"
TOKEN_URL = f"{BASE}/spree_oauth/token"
TOKEN_BODY = {"access_token": "tok-1", "token_type": "Bearer", "expires_in": 7200, "scope": "admin",
              "created_at": 1539863418}
#: A minimal JSON:API order document (the full examples are exercised in test_contract.py).
ORDER_DOC = {"data": {"id": "47", "type": "order", "attributes": {"number": "R484277352", "total": "110.0"},
                      "relationships": {}}}

Client = SpreeClient | AsyncSpreeClient
MakeClient = Callable[..., Client]


async def resolve(value: T | Awaitable[T]) -> T:
    """The result of a sync call as is, or of an async call awaited: one test body serves both clients."""
    if inspect.isawaitable(value):
        return await value
    return value


async def close(client: Client) -> None:
    """Close either kind of client."""
    await resolve(client.close())


@pytest.fixture(scope="session")
def shared_http() -> Iterator[dict[str, httpx.Client | httpx.AsyncClient]]:
    """One httpx client of each kind for the whole session: building one loads an SSL context (~75 ms).

    pytest-httpx patches the transport classes, so each test's mocked responses still apply.
    """
    pool: dict[str, httpx.Client | httpx.AsyncClient] = {"sync": httpx.Client(), "async": httpx.AsyncClient()}
    yield pool
    for http in pool.values():
        if isinstance(http, httpx.Client):
            http.close()
        else:
            asyncio.run(http.aclose())


@pytest.fixture(params=["sync", "async"])
async def make_client(request: pytest.FixtureRequest,
                      shared_http: dict[str, httpx.Client | httpx.AsyncClient]) -> AsyncIterator[MakeClient]:
    """Builds clients of the parametrized kind (``base_url`` defaults to ``BASE``; token ``tok-static``)."""
    kind: type[Client] = SpreeClient if request.param == "sync" else AsyncSpreeClient
    made: list[Client] = []

    def make(**kwargs: Any) -> Client:
        kwargs.setdefault("base_url", BASE)
        kwargs.setdefault("http_client", shared_http[request.param])
        if "client_id" not in kwargs:
            kwargs.setdefault("access_token", "tok-static")
        client = kind(**kwargs)
        made.append(client)
        return client

    yield make
    for client in made:
        await close(client)


@pytest.fixture
def client(make_client: MakeClient) -> Client:
    """A client of the parametrized kind with a static access token."""
    return make_client()
