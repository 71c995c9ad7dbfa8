"""Credentials: a static token, or client credentials exchanged at ``{base_url}/spree_oauth/token`` (cached)."""

from __future__ import annotations

import asyncio
import json
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from pytest_httpx import HTTPXMock

from orderpatch import AuthenticationError, ConfigurationError, Secret
from orderpatch._auth import OAuth2ClientCredentials
from orderpatch.spree import AsyncSpreeClient, OrderUpdate, SpreeClient
from tests.conftest import shared_json

from .conftest import BASE, ORDER_DOC, ORDERS, TOKEN_BODY, TOKEN_URL, Client, MakeClient, resolve

CREDENTIALS: dict[str, Any] = {"client_id": "app-id", "client_secret": "app-secret-123"}


def form(request: httpx.Request) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(request.content.decode()))


def token_requests(httpx_mock: HTTPXMock) -> list[httpx.Request]:
    return [r for r in httpx_mock.get_requests() if r.method == "POST"]


def auth_of(client: Client) -> OAuth2ClientCredentials:
    auth = client._auth
    assert isinstance(auth, OAuth2ClientCredentials)
    return auth


async def test_client_credentials_token_request(make_client: MakeClient, httpx_mock: HTTPXMock) -> None:
    client = make_client(**CREDENTIALS)
    httpx_mock.add_response(method="POST", url=TOKEN_URL, json=shared_json("vendors", "spree", "examples",
                                                                          "oauth_token_200.json"))
    httpx_mock.add_response(method="PATCH", url=f"{ORDERS}/R1", json=ORDER_DOC)
    await resolve(client.orders.update("R1", OrderUpdate(email="a@b.co")))
    token, call = httpx_mock.get_requests()
    assert token.method == "POST"
    assert str(token.url) == "https://shop.test/spree/spree_oauth/token"
    assert token.headers["Content-Type"] == "application/x-www-form-urlencoded"
    # The documented app-token request (examples/oauth_token_requests.json), form-encoded.
    documented = shared_json("vendors", "spree", "examples", "oauth_token_requests.json")
    assert isinstance(documented, dict)
    assert set(form(token)) == set(documented["Create Platform API Application Token"])
    assert form(token) == {"grant_type": "client_credentials", "client_id": "app-id",
                           "client_secret": "app-secret-123", "scope": "admin"}
    assert "Authorization" not in token.headers
    assert call.headers["Authorization"] == "Bearer 2480c16561d1391ea81ca5336b651e9a29f4524f6dee8c7f3f02a600159189c3"


async def test_token_url_and_scope_can_be_overridden(make_client: MakeClient, httpx_mock: HTTPXMock) -> None:
    client = make_client(**CREDENTIALS, token_url="https://auth.test/oauth/token", scope="read write")
    httpx_mock.add_response(method="POST", url="https://auth.test/oauth/token", json=TOKEN_BODY)
    httpx_mock.add_response(method="GET", json=ORDER_DOC)
    await resolve(client.orders.retrieve("R1"))
    assert form(token_requests(httpx_mock)[0])["scope"] == "read write"


async def test_scope_none_sends_no_scope(make_client: MakeClient, httpx_mock: HTTPXMock) -> None:
    client = make_client(**CREDENTIALS, scope=None)
    httpx_mock.add_response(method="POST", json=TOKEN_BODY)
    httpx_mock.add_response(method="GET", json=ORDER_DOC)
    await resolve(client.orders.retrieve("R1"))
    assert "scope" not in form(token_requests(httpx_mock)[0])


async def test_the_token_is_cached_across_calls(make_client: MakeClient, httpx_mock: HTTPXMock) -> None:
    client = make_client(**CREDENTIALS)
    httpx_mock.add_response(method="POST", url=TOKEN_URL, json=TOKEN_BODY)
    httpx_mock.add_response(method="PATCH", json=ORDER_DOC, is_reusable=True)
    for action in ("next", "advance", "complete"):
        await resolve(getattr(client.orders, action)("R1"))
    assert len(token_requests(httpx_mock)) == 1
    assert auth_of(client).token_requests == 1


async def test_a_new_token_is_fetched_before_expiry(make_client: MakeClient, httpx_mock: HTTPXMock) -> None:
    client = make_client(**CREDENTIALS)
    now = [1000.0]
    auth_of(client)._clock = lambda: now[0]
    httpx_mock.add_response(method="POST", url=TOKEN_URL, json={**TOKEN_BODY, "access_token": "tok-1"})
    httpx_mock.add_response(method="POST", url=TOKEN_URL, json={**TOKEN_BODY, "access_token": "tok-2"})
    httpx_mock.add_response(method="PATCH", json=ORDER_DOC, is_reusable=True)
    await resolve(client.orders.next("R1"))
    now[0] += 7200 - 61  # still more than a minute left: the cached token is used
    await resolve(client.orders.next("R1"))
    now[0] += 2  # inside the last minute of the token's two hours: renewed early
    await resolve(client.orders.next("R1"))
    calls = [r for r in httpx_mock.get_requests() if r.method == "PATCH"]
    assert [c.headers["Authorization"] for c in calls] == ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]


async def test_an_expired_token_is_replaced_once_and_the_call_replayed(make_client: MakeClient,
                                                                       httpx_mock: HTTPXMock) -> None:
    client = make_client(**CREDENTIALS)
    httpx_mock.add_response(method="POST", url=TOKEN_URL, json={**TOKEN_BODY, "access_token": "tok-1"})
    httpx_mock.add_response(method="POST", url=TOKEN_URL, json={**TOKEN_BODY, "access_token": "tok-2"})
    httpx_mock.add_response(method="PATCH", status_code=401, json={"error": "The access token expired"},
                            match_headers={"Authorization": "Bearer tok-1"})
    httpx_mock.add_response(method="PATCH", json=ORDER_DOC, match_headers={"Authorization": "Bearer tok-2"})
    order = await resolve(client.orders.update("R1", OrderUpdate(email="a@b.co")))
    assert order.id == "47"
    patches = [r for r in httpx_mock.get_requests() if r.method == "PATCH"]
    assert [json.loads(p.content) for p in patches] == [{"order": {"email": "a@b.co"}}] * 2
    assert auth_of(client).token_requests == 2


async def test_a_second_401_is_raised_without_a_third_token(make_client: MakeClient, httpx_mock: HTTPXMock) -> None:
    client = make_client(**CREDENTIALS)
    httpx_mock.add_response(method="POST", url=TOKEN_URL, json=TOKEN_BODY, is_reusable=True)
    httpx_mock.add_response(method="PATCH", status_code=401, json={"error": "The access token was revoked"},
                            is_reusable=True)
    with pytest.raises(AuthenticationError, match="The access token was revoked"):
        await resolve(client.orders.update("R1", OrderUpdate(email="a@b.co")))
    assert auth_of(client).token_requests == 2
    assert len([r for r in httpx_mock.get_requests() if r.method == "PATCH"]) == 2


async def test_a_non_idempotent_action_is_not_replayed_after_a_token_rejection(
    make_client: MakeClient, httpx_mock: HTTPXMock
) -> None:
    client = make_client(**CREDENTIALS)
    httpx_mock.add_response(method="POST", url=TOKEN_URL, json=TOKEN_BODY)
    httpx_mock.add_response(method="PATCH", url=f"{BASE}/api/v2/platform/orders/R1/cancel", status_code=401,
                            json={"error": "The access token was revoked"})
    with pytest.raises(AuthenticationError, match="The access token was revoked"):
        await resolve(client.orders.cancel("R1"))
    assert len([r for r in httpx_mock.get_requests() if r.method == "PATCH"]) == 1  # sent once, never twice
    assert auth_of(client).token_requests == 1
    # The rejected token is forgotten: the next call fetches a new one.
    httpx_mock.add_response(method="POST", url=TOKEN_URL, json={**TOKEN_BODY, "access_token": "tok-2"})
    httpx_mock.add_response(method="PATCH", json=ORDER_DOC, match_headers={"Authorization": "Bearer tok-2"})
    await resolve(client.orders.update("R1", OrderUpdate(email="a@b.co")))
    assert auth_of(client).token_requests == 2


@pytest.mark.parametrize("message", ['Access to this resource requires scope "write admin".',
                                     "You are not authorized to access this page."])
async def test_a_401_a_new_token_cannot_cure_is_not_retried(make_client: MakeClient, httpx_mock: HTTPXMock,
                                                            message: str) -> None:
    client = make_client(**CREDENTIALS)
    httpx_mock.add_response(method="POST", url=TOKEN_URL, json=TOKEN_BODY)
    httpx_mock.add_response(method="PATCH", status_code=401, json={"error": message})
    with pytest.raises(AuthenticationError if "scope" in message else Exception, match=message[:20]):
        await resolve(client.orders.approve("R1"))
    assert auth_of(client).token_requests == 1


async def test_a_static_token_is_never_exchanged(client: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="PATCH", status_code=401, json={"error": "The access token expired"})
    with pytest.raises(AuthenticationError, match="The access token expired"):
        await resolve(client.orders.next("R1"))
    assert token_requests(httpx_mock) == []


async def test_token_endpoint_errors_are_explained(make_client: MakeClient, httpx_mock: HTTPXMock) -> None:
    client = make_client(**CREDENTIALS)
    httpx_mock.add_response(method="POST", url=TOKEN_URL, status_code=401, json={
        "error": "invalid_client",
        "error_description": "Client authentication failed due to unknown client, no client authentication "
                             "included, or unsupported authentication method."})
    with pytest.raises(AuthenticationError) as info:
        await resolve(client.orders.next("R1"))
    assert info.value.code == "invalid_client"
    assert "check client_id and client_secret" in info.value.message
    assert "app-secret-123" not in str(info.value) + repr(info.value) + (info.value.body or "")
    assert [r.method for r in httpx_mock.get_requests()] == ["POST"]


async def test_token_endpoint_error_without_a_hint(make_client: MakeClient, httpx_mock: HTTPXMock) -> None:
    client = make_client(**CREDENTIALS)
    httpx_mock.add_response(method="POST", url=TOKEN_URL, status_code=400,
                            json={"error": "invalid_request", "error_description": "Missing grant_type."})
    with pytest.raises(Exception, match=r"answered 400 invalid_request: Missing grant_type\.$"):
        await resolve(client.orders.next("R1"))


async def test_one_token_request_for_100_concurrent_async_calls(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="POST", url=TOKEN_URL, json=TOKEN_BODY)
    httpx_mock.add_response(method="PATCH", json=ORDER_DOC, is_reusable=True)
    async with AsyncSpreeClient(base_url=BASE, **CREDENTIALS) as client:
        orders = await asyncio.gather(*(client.orders.update(f"R{i}", OrderUpdate(email=f"u{i}@b.co"))
                                        for i in range(1, 101)))
        assert auth_of(client).token_requests == 1
    assert len(orders) == 100
    assert len(token_requests(httpx_mock)) == 1
    patches = [r for r in httpx_mock.get_requests() if r.method == "PATCH"]
    assert len(patches) == 100
    assert {r.headers["Authorization"] for r in patches} == {"Bearer tok-1"}


def test_one_token_request_for_100_concurrent_threads(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="POST", url=TOKEN_URL, json=TOKEN_BODY)
    httpx_mock.add_response(method="PATCH", json=ORDER_DOC, is_reusable=True)
    with SpreeClient(base_url=BASE, **CREDENTIALS) as client, ThreadPoolExecutor(max_workers=25) as pool:
        orders = list(pool.map(lambda i: client.orders.update(f"R{i}", OrderUpdate(email="a@b.co")), range(1, 101)))
        assert auth_of(client).token_requests == 1
    assert len(orders) == 100
    assert len(token_requests(httpx_mock)) == 1


# -- configuration -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("kwargs", "key", "text"), [
    ({}, "client_id", "expected access_token=, or client_id= and client_secret="),
    ({"client_secret": "s"}, "client_id", "client id, got nothing"),
    ({"client_id": "id"}, "client_secret", "client secret, got nothing"),
    ({"client_id": "id", "client_secret": "  "}, "client_secret", "client secret, got str"),
    ({"access_token": ""}, "access_token", "access token, got nothing"),
    ({"access_token": "t", "client_id": "id"}, "access_token", "not both"),
    ({"client_id": "id", "client_secret": "s", "scope": ""}, "scope", "non-empty string"),
    ({"client_id": "id", "client_secret": "s", "token_url": "/spree_oauth/token"}, "token_url", "absolute"),
    ({"access_token": "t", "base_url": "shop.test"}, "base_url", "absolute"),
])
@pytest.mark.parametrize("cls", [SpreeClient, AsyncSpreeClient])
def test_configuration_errors_name_the_setting(cls: type[Client], kwargs: dict[str, object], key: str,
                                               text: str) -> None:
    kwargs.setdefault("base_url", BASE)
    with pytest.raises(ConfigurationError, match=text) as info:
        cls(**kwargs)  # type: ignore[arg-type]
    assert info.value.key == key


@pytest.mark.parametrize("cls", [SpreeClient, AsyncSpreeClient])
def test_secrets_never_show(cls: type[Client]) -> None:
    oauth = cls(base_url=BASE, client_id="app-id", client_secret=Secret("app-secret-123"))
    static = cls(base_url=BASE, access_token="tok-very-secret")
    shown = repr(oauth) + str(oauth) + repr(static) + repr(oauth.orders) + repr(vars(oauth))
    assert "app-secret-123" not in shown
    assert "tok-very-secret" not in shown
    assert "https://shop.test/spree/spree_oauth/token" in repr(oauth)
