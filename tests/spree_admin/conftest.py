"""Fixtures of the Spree Admin API v3 tests: a sync/async client pair behind one ``await``-able helper."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import pytest

from orderpatch.spree_admin import AsyncSpreeAdminClient, SpreeAdminClient

T = TypeVar("T")

BASE = "https://shop.test"
API = f"{BASE}/api/v3/admin"
KEY = "sk_4vX9qTzL8mNc2RbW7yHs3KdE"
ORDER_ID = "or_UkLWZg9DAJ"
ORDER_URL = f"{API}/orders/{ORDER_ID}"
ORDER = {"id": ORDER_ID, "number": "R801110570", "status": "draft", "total": "19.99", "email": "a@example.com"}

Client = SpreeAdminClient | AsyncSpreeAdminClient
MakeClient = Callable[..., Client]


async def resolve(value: T | Awaitable[T]) -> T:
    """A sync result as is, an async one awaited: one test body serves both clients."""
    if inspect.isawaitable(value):
        return await value
    return value


@pytest.fixture(params=["sync", "async"])
async def make_client(request: pytest.FixtureRequest) -> AsyncIterator[MakeClient]:
    """Builds clients of the parametrized kind (``base_url`` ``BASE``, key ``KEY`` unless given)."""
    kind: type[Client] = SpreeAdminClient if request.param == "sync" else AsyncSpreeAdminClient
    made: list[Client] = []

    def make(**kwargs: Any) -> Client:
        kwargs.setdefault("base_url", BASE)
        kwargs.setdefault("api_key", KEY)
        client = kind(**kwargs)
        made.append(client)
        return client

    yield make
    for client in made:
        await resolve(client.close())


@pytest.fixture
def client(make_client: MakeClient) -> Client:
    """A client of the parametrized kind."""
    return make_client()
