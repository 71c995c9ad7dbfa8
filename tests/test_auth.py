"""Auth flows: fixed header, and OAuth2 client credentials with one refresh in flight."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from orderpatch import AuthenticationError, DecodeError, RateLimited, Secret
from orderpatch._auth import HeaderAuth, OAuth2ClientCredentials
from orderpatch._base_client import DEFAULT_TIMEOUT, AsyncAPIClient, SyncAPIClient
from orderpatch._spec import Call, VendorSpec
from orderpatch._types import JSONValue
from tests.conftest import SleepRecorder

SPEC = VendorSpec(name="acme")
TOKEN_URL = "https://auth.acme.test/oauth/token"
CLIENT_SECRET = "client-secret-value-123"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Server:
    """A vendor with a token endpoint; tokens are ``tok-1``, ``tok-2`` …; ``valid`` is the live one."""

    def __init__(self, token_delay: float = 0.0, expires_in: int = 3600) -> None:
        self.issued = 0
        self.valid: str | None = None
        self.token_delay = token_delay
        self.expires_in = expires_in
        self.token_bodies: list[bytes] = []
        self.api_calls: list[str] = []
        self.lock = threading.Lock()

    def _token(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.issued += 1
            self.valid = f"tok-{self.issued}"
            self.token_bodies.append(request.content)
            return httpx.Response(
                200, json={"access_token": self.valid, "token_type": "bearer", "expires_in": self.expires_in}
            )

    def _api(self, request: httpx.Request) -> httpx.Response:
        auth = request.headers.get("Authorization", "")
        self.api_calls.append(auth)
        if auth != f"Bearer {self.valid}":
            return httpx.Response(401, json={"error": "invalid_token"})
        return httpx.Response(200, json={"ok": True})

    def handler(self, request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            time.sleep(self.token_delay)
            return self._token(request)
        return self._api(request)

    async def async_handler(self, request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            await asyncio.sleep(self.token_delay)
            return self._token(request)
        await asyncio.sleep(0)
        return self._api(request)


def make_auth(
    clock: FakeClock | None = None, *, scope: str | None = None, form_encoded: bool = True
) -> OAuth2ClientCredentials:
    return OAuth2ClientCredentials(
        vendor=SPEC,
        token_url=TOKEN_URL,
        client_id="cid",
        client_secret=Secret(CLIENT_SECRET),
        clock=clock or time.monotonic,
        scope=scope,
        form_encoded=form_encoded,
    )


def sync_client(auth: httpx.Auth, server: Server) -> SyncAPIClient:
    return SyncAPIClient(
        vendor=SPEC,
        base_url="https://api.acme.test",
        auth=auth,
        timeout=DEFAULT_TIMEOUT,
        max_retries=2,
        deadline=None,
        default_headers=None,
        http_client=httpx.Client(transport=httpx.MockTransport(server.handler)),
    )


def async_client(auth: httpx.Auth, server: Server) -> AsyncAPIClient:
    return AsyncAPIClient(
        vendor=SPEC,
        base_url="https://api.acme.test",
        auth=auth,
        timeout=DEFAULT_TIMEOUT,
        max_retries=2,
        deadline=None,
        default_headers=None,
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(server.async_handler)),
    )


def call(*, idempotent: bool = True) -> Call[JSONValue]:
    return Call(
        request=httpx.Request("PATCH", "https://api.acme.test/orders/1", content=b"{}"),
        parse=lambda payload: payload,
        idempotent=idempotent,
    )


def test_header_auth_sets_header_and_hides_secret() -> None:
    auth = HeaderAuth("Api-Key", Secret("abcd1234"))
    request = httpx.Request("GET", "https://x.test")
    flow = auth.auth_flow(request)
    assert next(flow).headers["Authorization"] == "Api-Key abcd1234"
    assert "abcd1234" not in repr(auth)


def test_token_is_fetched_once_and_cached() -> None:
    server = Server()
    auth = make_auth(scope="market:id:1")
    with sync_client(auth, server) as api:
        for _ in range(3):
            assert api.request(call()) == {"ok": True}
    assert server.issued == 1 == auth.token_requests
    form = dict(x.split("=") for x in server.token_bodies[0].decode().split("&"))
    assert form == {
        "grant_type": "client_credentials",
        "client_id": "cid",
        "client_secret": CLIENT_SECRET,
        "scope": "market%3Aid%3A1",
    }
    assert CLIENT_SECRET not in repr(auth)
    assert CLIENT_SECRET not in repr(api)


def test_json_token_request_body() -> None:
    server = Server()
    with sync_client(make_auth(form_encoded=False), server) as api:
        api.request(call())
    assert json.loads(server.token_bodies[0])["grant_type"] == "client_credentials"


def test_token_is_renewed_shortly_before_expiry() -> None:
    clock, server = FakeClock(), Server(expires_in=7200)
    auth = make_auth(clock)
    with sync_client(auth, server) as api:
        api.request(call())
        clock.now += 7200 - 61  # still valid: renewed 60 s before expiry at most
        api.request(call())
        assert server.issued == 1
        clock.now += 2
        api.request(call())
    assert server.issued == 2
    assert server.api_calls == ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]


def test_rejected_token_is_refreshed_once_and_replayed() -> None:
    server = Server()
    auth = make_auth()
    with sync_client(auth, server) as api:
        api.request(call())
        server.valid = "revoked-elsewhere"  # the vendor invalidated tok-1
        assert api.request(call()) == {"ok": True}
    assert server.issued == 2
    assert server.api_calls == ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]


def test_second_rejection_is_an_authentication_error() -> None:
    server = Server()

    def always_401(request: httpx.Request) -> httpx.Response:
        return (
            server._token(request)
            if str(request.url) == TOKEN_URL
            else httpx.Response(401, json={"error": "invalid_token", "error_description": "token revoked"})
        )

    api = SyncAPIClient(
        vendor=SPEC,
        base_url="https://api.acme.test",
        auth=make_auth(),
        timeout=DEFAULT_TIMEOUT,
        max_retries=2,
        deadline=None,
        default_headers=None,
        http_client=httpx.Client(transport=httpx.MockTransport(always_401)),
    )
    with api, pytest.raises(AuthenticationError, match="token revoked"):
        api.request(call())
    assert server.issued == 2  # first token, then exactly one refresh


def test_a_non_idempotent_call_is_not_replayed_after_a_token_rejection() -> None:
    server = Server()
    sent: list[str] = []

    def reject_once(request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            return server._token(request)
        sent.append(request.headers["Authorization"])
        if len(sent) == 1:
            return httpx.Response(401, json={"error": "invalid_token", "error_description": "token revoked"})
        return httpx.Response(200, json={"ok": True})

    api = SyncAPIClient(
        vendor=SPEC, base_url="https://api.acme.test", auth=make_auth(), timeout=DEFAULT_TIMEOUT, max_retries=2,
        deadline=None, default_headers=None, http_client=httpx.Client(transport=httpx.MockTransport(reject_once)),
    )
    with api:
        with pytest.raises(AuthenticationError, match="token revoked") as info:
            api.request(call(idempotent=False))
        assert len(sent) == 1  # the capture-like call reached the server once
        assert info.value.retries_taken == 0
        assert api.request(call(idempotent=False)) == {"ok": True}  # the next call gets a new token
    assert server.issued == 2
    assert sent[0] != sent[1]


@pytest.mark.parametrize(
    ("response", "error"),
    [
        (httpx.Response(401, json={"error": "invalid_client", "error_description": "bad client"}), AuthenticationError),
        (httpx.Response(200, json={"token_type": "bearer"}), DecodeError),
        (httpx.Response(200, json={"access_token": "t", "expires_in": "soon"}), DecodeError),
        (httpx.Response(200, text="<html>login</html>", headers={"content-type": "text/html"}), DecodeError),
    ],
)
def test_token_endpoint_failures(response: httpx.Response, error: type[Exception]) -> None:
    api = SyncAPIClient(
        vendor=SPEC,
        base_url="https://api.acme.test",
        auth=make_auth(),
        timeout=DEFAULT_TIMEOUT,
        max_retries=2,
        deadline=None,
        default_headers=None,
        http_client=httpx.Client(transport=httpx.MockTransport(lambda r: response)),
    )
    with api, pytest.raises(error) as info:
        api.request(call())
    assert CLIENT_SECRET not in str(info.value)


def test_token_endpoint_429_is_retried_because_the_call_was_not_sent(sleeps: SleepRecorder) -> None:
    server = Server()
    answers = iter([httpx.Response(429, headers={"Retry-After": "3"}, json={"error": "slow"})])

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            return next(answers, None) or server._token(request)
        return server._api(request)

    api = SyncAPIClient(
        vendor=SPEC,
        base_url="https://api.acme.test",
        auth=make_auth(),
        timeout=DEFAULT_TIMEOUT,
        max_retries=2,
        deadline=None,
        default_headers=None,
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    with api:
        assert api.request(call()) == {"ok": True}
    assert sleeps.delays == [3.0]
    with (
        SyncAPIClient(
            vendor=SPEC,
            base_url="https://api.acme.test",
            auth=make_auth(),
            timeout=DEFAULT_TIMEOUT,
            max_retries=0,
            deadline=None,
            default_headers=None,
            http_client=httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(429, json={}))),
        ) as api0,
        pytest.raises(RateLimited),
    ):
        api0.request(call())


def test_sixteen_threads_on_an_expired_token_make_one_token_request() -> None:
    clock, server = FakeClock(), Server(token_delay=0.05)
    auth = make_auth(clock)
    with sync_client(auth, server) as api:
        api.request(call())
        clock.now += 10_000  # expired
        with ThreadPoolExecutor(max_workers=16) as pool:
            results = list(pool.map(lambda _: api.request(call()), range(16)))
    assert results == [{"ok": True}] * 16
    assert server.issued == 2


async def test_hundred_concurrent_async_calls_on_an_expired_token_make_one_token_request() -> None:
    clock, server = FakeClock(), Server(token_delay=0.02)
    auth = make_auth(clock)
    async with async_client(auth, server) as api:
        await api.request(call())
        clock.now += 10_000  # expired
        results = await asyncio.gather(*(api.request(call()) for _ in range(100)))
    assert results == [{"ok": True}] * 100
    assert server.issued == 2 == auth.token_requests


async def test_hundred_concurrent_async_calls_rejected_at_once_refresh_once() -> None:
    server = Server()
    auth = make_auth()
    async with async_client(auth, server) as api:
        await api.request(call())
        server.valid = "revoked"
        results = await asyncio.gather(*(api.request(call()) for _ in range(100)))
    assert results == [{"ok": True}] * 100
    assert server.issued == 2


def test_async_lock_follows_the_running_loop() -> None:
    # Each event loop gets its own lock, and each is contended: an asyncio.Lock binds to the loop
    # of its first contended acquire, so a lock kept from the first loop fails in the second.
    clock, server = FakeClock(), Server(token_delay=0.01)
    auth = make_auth(clock)

    async def contended() -> list[JSONValue]:
        async with async_client(auth, server) as api:
            clock.now += 10_000  # expired: every call below waits on the one token request
            return list(await asyncio.gather(*(api.request(call()) for _ in range(10))))

    assert asyncio.run(contended()) == [{"ok": True}] * 10
    assert server.issued == 1
    assert asyncio.run(contended()) == [{"ok": True}] * 10  # a second event loop gets its own lock
    assert server.issued == 2
