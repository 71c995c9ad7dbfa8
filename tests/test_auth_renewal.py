"""OAuth2 token renewal at its edges (exact expiry, the early renewal of short-lived tokens, an
answer without ``expires_in``), the token request, what the token answer must be, and the
fixed-header auth. Driven with a fake clock; the flows are run by the real pipeline."""

from __future__ import annotations

import json
import logging
import re
from urllib.parse import parse_qs

import httpx
import pytest

import orderpatch._base_client as base_client
from orderpatch import APIError, AuthenticationError, DecodeError, Secret
from orderpatch._auth import HeaderAuth, OAuth2ClientCredentials
from orderpatch._base_client import DEFAULT_TIMEOUT, AsyncAPIClient, SyncAPIClient
from orderpatch._constants import REPLAY_ALLOWED, TOKEN_REFRESH_MAX_MARGIN, TOKEN_REFRESH_SHARE
from orderpatch._spec import Call, VendorSpec
from orderpatch._types import JSONValue
from tests.conftest import SleepRecorder
from tests.test_auth import CLIENT_SECRET, SPEC, TOKEN_URL, FakeClock, Server, async_client, call, sync_client


def make_auth(clock: FakeClock, **kwargs: object) -> OAuth2ClientCredentials:
    options: dict[str, object] = {"client_secret": Secret(CLIENT_SECRET), **kwargs}
    return OAuth2ClientCredentials(vendor=SPEC, token_url=TOKEN_URL, client_id="cid", clock=clock, **options)  # type: ignore[arg-type]


class TokenServer(Server):
    """A ``Server`` whose token answer is given by the test (``expires_in`` may be left out)."""

    def __init__(self, answer: dict[str, object]) -> None:
        super().__init__()
        self.answer = answer
        self.token_requests: list[httpx.Request] = []

    def _token(self, request: httpx.Request) -> httpx.Response:
        self.token_requests.append(request)
        self.issued += 1
        self.valid = f"tok-{self.issued}"
        self.token_bodies.append(request.content)
        return httpx.Response(200, json={"access_token": self.valid, **self.answer})


def renews_at(expires_in: object, *, present: bool = True) -> float:
    """Seconds after the token was issued at which the next call fetches a new one."""
    clock = FakeClock()
    server = TokenServer({"expires_in": expires_in} if present else {})
    auth = make_auth(clock)
    with sync_client(auth, server) as api:
        api.request(call())
        issued_at = clock.now
        lifetime = float(expires_in) if present else 3600.0  # type: ignore[arg-type]
        margin = min(TOKEN_REFRESH_MAX_MARGIN, lifetime * TOKEN_REFRESH_SHARE)
        clock.now = issued_at + lifetime - margin - 0.001
        api.request(call())
        assert server.issued == 1, "renewed too early"
        clock.now = issued_at + lifetime - margin
        api.request(call())
        assert server.issued == 2, "not renewed at the renewal time"
    return lifetime - margin


def test_a_long_lived_token_is_renewed_sixty_seconds_before_it_expires() -> None:
    assert renews_at(3600) == 3540.0
    assert renews_at(86_400) == 86_340.0


def test_a_short_lived_token_is_renewed_a_tenth_of_its_lifetime_early() -> None:
    assert renews_at(100) == 90.0
    assert renews_at(600) == 540.0  # exactly where the share meets the cap
    assert renews_at(1.5) == pytest.approx(1.35)


def test_a_token_answer_without_expires_in_lives_an_hour() -> None:
    assert renews_at(None, present=False) == 3540.0


def test_a_token_that_expires_at_once_is_fetched_for_every_call() -> None:
    clock, server = FakeClock(), TokenServer({"expires_in": 0})
    with sync_client(make_auth(clock), server) as api:
        api.request(call())
        api.request(call())
    assert server.issued == 2


def test_the_token_stays_valid_up_to_just_before_its_renewal_time_in_async_calls() -> None:
    import asyncio

    clock, server = FakeClock(), TokenServer({"expires_in": 100})
    auth = make_auth(clock)

    async def run() -> None:
        async with async_client(auth, server) as api:
            await api.request(call())
            clock.now += 89.999
            await api.request(call())
            assert server.issued == 1
            clock.now += 0.001
            await api.request(call())
            assert server.issued == 2

    asyncio.run(run())


@pytest.mark.parametrize("expires_in", ["3600", True, None, [1]])
def test_an_expires_in_that_is_not_a_number_is_a_decode_error(expires_in: object) -> None:
    server = TokenServer({"expires_in": expires_in})
    with sync_client(make_auth(FakeClock()), server) as api, pytest.raises(DecodeError) as info:
        api.request(call())
    assert "token response: expires_in is not a number" in str(info.value)
    assert CLIENT_SECRET not in str(info.value)


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ([{"access_token": "t"}], "token response: expected a JSON object"),
        ({"access_token": ""}, "token response: access_token is missing"),
        ({"access_token": 7}, "token response: access_token is missing"),
        ({"access_token": "tök"}, "token response: access_token is not printable ASCII"),
        ({"access_token": "a b"}, "token response: access_token is not printable ASCII"),
        ({"token": "t"}, "token response: 'access_token'"),
    ],
)
def test_a_token_answer_that_is_not_usable_is_a_decode_error(payload: object, problem: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=payload)

    auth = make_auth(FakeClock())
    api = SyncAPIClient(vendor=SPEC, base_url="https://api.acme.test", auth=auth, timeout=DEFAULT_TIMEOUT,
                        max_retries=0, deadline=None, default_headers=None,
                        http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    with api, pytest.raises(DecodeError) as info:
        api.request(call())
    assert problem in str(info.value)
    assert info.value.status == 200
    assert auth.secrets() == (CLIENT_SECRET, "")


@pytest.mark.parametrize("status", [201, 204, 400, 403])
def test_a_token_answer_other_than_200_is_an_api_error(status: int) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"access_token": "t", "error": "nope"})

    api = SyncAPIClient(vendor=SPEC, base_url="https://api.acme.test", auth=make_auth(FakeClock()),
                        timeout=DEFAULT_TIMEOUT, max_retries=0, deadline=None, default_headers=None,
                        http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    with api, pytest.raises(APIError) as info:
        api.request(call())
    assert info.value.status == status
    assert not isinstance(info.value, DecodeError)


# -- the token request ----------------------------------------------------------------------------


def test_the_form_token_request() -> None:
    server = TokenServer({"expires_in": 3600})
    auth = make_auth(FakeClock(), scope="market:1", extra_params={"audience": "orders"})
    with sync_client(auth, server) as api:
        api.request(call())
    (request,) = server.token_requests
    assert request.method == "POST"
    assert str(request.url) == TOKEN_URL
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["User-Agent"].startswith("orderpatch/")
    assert parse_qs(request.content.decode()) == {
        "grant_type": ["client_credentials"], "client_id": ["cid"], "audience": ["orders"],
        "client_secret": [CLIENT_SECRET], "scope": ["market:1"],
    }
    assert request.extensions["timeout"] == DEFAULT_TIMEOUT.as_dict()
    assert auth.token_requests == 1


def test_the_json_token_request_of_a_public_client_without_scope() -> None:
    server = TokenServer({"expires_in": 3600})
    auth = make_auth(FakeClock(), client_secret=None, form_encoded=False, scope="")
    with sync_client(auth, server) as api:
        api.request(call())
    (request,) = server.token_requests
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {"grant_type": "client_credentials", "client_id": "cid"}
    assert auth.secrets() == ("", "tok-1")


def test_the_token_request_keeps_the_callers_user_agent_and_has_a_default() -> None:
    auth = make_auth(FakeClock())
    original = httpx.Request("GET", "https://api.acme.test/x", headers={"User-Agent": "mine/1"})
    assert auth._token_request(original).headers["User-Agent"] == "mine/1"
    bare = httpx.Request("GET", "https://api.acme.test/x")
    assert "User-Agent" not in bare.headers
    token_request = auth._token_request(bare)
    assert token_request.headers["User-Agent"] == "orderpatch"
    assert "timeout" not in token_request.extensions


# -- what the auth shows and forgets ------------------------------------------------------------------


def test_secrets_repr_and_expire() -> None:
    clock, server = FakeClock(), TokenServer({"expires_in": 3600})
    auth = make_auth(clock)
    assert auth.secrets() == (CLIENT_SECRET, "")
    assert repr(auth) == (
        f"OAuth2ClientCredentials(token_url={TOKEN_URL!r}, client_id='cid', client_secret=***)")
    with sync_client(auth, server) as api:
        api.request(call())
        assert auth.secrets() == (CLIENT_SECRET, "tok-1")
        auth.expire()
        assert auth.secrets() == (CLIENT_SECRET, "")
        api.request(call())
    assert server.issued == 2


def test_a_refused_replay_forgets_only_the_token_it_used() -> None:
    auth = make_auth(FakeClock())
    request = httpx.Request("POST", "https://api.acme.test/x", extensions={REPLAY_ALLOWED: False})
    auth._token, auth._expires_at = Secret("current"), 10_000.0
    assert auth._replay_refused(request, Secret("older")) is True
    assert auth._token == Secret("current")
    assert auth._replay_refused(request, Secret("current")) is True
    assert auth.secrets() == (CLIENT_SECRET, "")
    assert auth._valid_token() is None
    allowed = httpx.Request("PATCH", "https://api.acme.test/x", extensions={REPLAY_ALLOWED: True})
    assert auth._replay_refused(allowed, Secret("x")) is False
    assert auth._replay_refused(httpx.Request("GET", "https://api.acme.test/x"), Secret("x")) is False


async def test_an_async_non_idempotent_call_is_not_replayed() -> None:
    server = TokenServer({"expires_in": 3600})
    sent: list[str] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            return server._token(request)
        sent.append(request.headers["Authorization"])
        return httpx.Response(401, json={"error": "invalid_token"})

    auth = make_auth(FakeClock())
    async with AsyncAPIClient(vendor=SPEC, base_url="https://api.acme.test", auth=auth, timeout=DEFAULT_TIMEOUT,
                              max_retries=2, deadline=None, default_headers=None,
                              http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler))) as api:
        with pytest.raises(AuthenticationError):
            await api.request(call(idempotent=False))
    assert sent == ["Bearer tok-1"]
    assert auth.secrets() == (CLIENT_SECRET, "")  # the rejected token was forgotten


def test_the_replay_uses_the_token_another_call_already_refreshed() -> None:
    clock, server = FakeClock(), TokenServer({"expires_in": 3600})
    auth = make_auth(clock)
    with sync_client(auth, server) as api:
        api.request(call())
        server.valid = "revoked"
        # Another call refreshed meanwhile: the cached token is no longer the one this call used.
        auth._token = Secret("tok-9")
        server.valid = "tok-9"
        seen: list[str] = []
        original = server._api

        def spy(request: httpx.Request) -> httpx.Response:
            seen.append(request.headers["Authorization"])
            return original(request)

        server._api = spy  # type: ignore[method-assign]
        request_call: Call[JSONValue] = call()
        auth._authorize(request_call.request, Secret("tok-1"))
        assert api.request(request_call) == {"ok": True}
    assert server.issued == 1
    assert seen[-1] == "Bearer tok-9"


# -- the fixed header ---------------------------------------------------------------------------------


def test_header_auth_sends_scheme_and_secret_and_shows_neither() -> None:
    auth = HeaderAuth("Bearer", Secret("k-123456"))
    request = httpx.Request("GET", "https://x.test")
    assert next(auth.auth_flow(request)).headers["Authorization"] == "Bearer k-123456"
    assert auth.secrets() == ("k-123456",)
    assert auth.scheme == "Bearer"
    assert repr(auth) == "HeaderAuth(scheme='Bearer', secret=***)"


def test_a_token_endpoint_503_without_retry_after_backs_off_then_succeeds(
    sleeps: SleepRecorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base_client, "backoff_delay", lambda retries: 0.125)
    server = TokenServer({"expires_in": 3600})
    busy = [httpx.Response(503, json={"error": "busy"})]

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            return busy.pop() if busy else server._token(request)
        return server._api(request)

    with SyncAPIClient(vendor=SPEC, base_url="https://api.acme.test", auth=make_auth(FakeClock()),
                       timeout=DEFAULT_TIMEOUT, max_retries=2, deadline=None, default_headers=None,
                       http_client=httpx.Client(transport=httpx.MockTransport(handler))) as api:
        assert api.request(call()) == {"ok": True}
    assert sleeps.delays == [0.125]


def _token_client(handler: object, **kwargs: object) -> SyncAPIClient:
    return SyncAPIClient(vendor=SPEC, base_url="https://api.acme.test", auth=make_auth(FakeClock(), **kwargs),
                         timeout=DEFAULT_TIMEOUT, max_retries=0, deadline=None, default_headers=None,
                         http_client=httpx.Client(transport=httpx.MockTransport(handler)))  # type: ignore[arg-type]


@pytest.mark.parametrize("status", [400, 401])
def test_a_token_endpoint_400_or_401_is_an_authentication_error_without_the_secret(status: int) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"error": "invalid_client", "error_description": f"who is {CLIENT_SECRET}"})

    with _token_client(handler) as api, pytest.raises(AuthenticationError) as info:
        api.request(call())
    assert info.value.status == status
    assert CLIENT_SECRET not in (info.value.body or "")
    assert CLIENT_SECRET not in str(info.value)


def test_an_unusable_token_answer_does_not_show_the_secret_it_echoes() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[f"echo {CLIENT_SECRET}"])

    with _token_client(handler) as api, pytest.raises(DecodeError) as info:
        api.request(call())
    assert CLIENT_SECRET not in (info.value.body or "")


def test_the_json_token_request_has_the_same_headers_and_timeout() -> None:
    server = TokenServer({"expires_in": 3600})
    with sync_client(make_auth(FakeClock(), form_encoded=False), server) as api:
        api.request(call())
    (request,) = server.token_requests
    assert request.method == "POST"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["User-Agent"].startswith("orderpatch/")
    assert request.extensions["timeout"] == DEFAULT_TIMEOUT.as_dict()


def _streamed(status: int, body: bytes) -> httpx.Response:
    # Not read yet: the flow itself must read an error body before the vendor looks at it.
    return httpx.Response(status, stream=httpx.ByteStream(body), headers={"Content-Type": "application/json"})


# A vendor that answers 400 with {"error": "expired"}: the flow must read the error body (here still
# unread, streamed) before it asks the vendor whether the token was rejected.
@pytest.mark.parametrize("status", [400, 401])
def test_the_sync_flow_reads_a_streamed_error_body_before_asking_the_vendor(status: int) -> None:
    spec = VendorSpec(name="acme", token_rejected=lambda r: r.status_code == status and b"expired" in r.content)
    server = TokenServer({"expires_in": 3600})

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            return server._token(request)
        if request.headers["Authorization"] == "Bearer tok-1":
            return _streamed(status, b'{"error": "expired"}')
        return httpx.Response(200, json={"ok": True})

    auth = OAuth2ClientCredentials(vendor=spec, token_url=TOKEN_URL, client_id="cid",
                                   client_secret=Secret(CLIENT_SECRET), clock=FakeClock())
    with SyncAPIClient(vendor=spec, base_url="https://api.acme.test", auth=auth, timeout=DEFAULT_TIMEOUT,
                       max_retries=0, deadline=None, default_headers=None,
                       http_client=httpx.Client(transport=httpx.MockTransport(handler))) as api:
        assert api.request(call()) == {"ok": True}
    assert server.issued == 2


@pytest.mark.parametrize("status", [400, 401])
async def test_the_async_flow_reads_a_streamed_error_body_before_asking_the_vendor(status: int) -> None:
    spec = VendorSpec(name="acme", token_rejected=lambda r: r.status_code == status and b"expired" in r.content)
    server = TokenServer({"expires_in": 3600})

    class Stream(httpx.AsyncByteStream):
        async def __aiter__(self):  # type: ignore[no-untyped-def]
            yield b'{"error": "expired"}'

    async def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            return server._token(request)
        if request.headers["Authorization"] == "Bearer tok-1":
            return httpx.Response(status, stream=Stream())
        return httpx.Response(200, json={"ok": True})

    auth = OAuth2ClientCredentials(vendor=spec, token_url=TOKEN_URL, client_id="cid",
                                   client_secret=Secret(CLIENT_SECRET), clock=FakeClock())
    async with AsyncAPIClient(vendor=spec, base_url="https://api.acme.test", auth=auth, timeout=DEFAULT_TIMEOUT,
                              max_retries=0, deadline=None, default_headers=None,
                              http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler))) as api:
        assert await api.request(call()) == {"ok": True}
    assert server.issued == 2


def test_a_call_rejected_after_a_refused_replay_forgot_the_token_fetches_a_new_one() -> None:
    """Two calls share a token; the non-idempotent one is rejected first (not replayed, token
    forgotten), then the other: that one still renews the token and is replayed with the new one."""
    auth = make_auth(FakeClock())
    post = httpx.Request("POST", "https://api.acme.test/x", extensions={REPLAY_ALLOWED: False})
    get = httpx.Request("GET", "https://api.acme.test/x")
    first = auth.sync_auth_flow(post)
    token_request = next(first)
    sent_post = first.send(httpx.Response(200, json={"access_token": "tok-1", "expires_in": 3600},
                                          request=token_request))
    second = auth.sync_auth_flow(get)
    sent_get = next(second)  # the cached token, while the POST is still on its way
    assert sent_get.headers["Authorization"] == "Bearer tok-1"
    with pytest.raises(StopIteration):
        first.send(httpx.Response(401, json={"error": "invalid_token"}, request=sent_post))
    renewal = second.send(httpx.Response(401, json={"error": "invalid_token"}, request=sent_get))
    assert str(renewal.url) == TOKEN_URL
    replay = second.send(httpx.Response(200, json={"access_token": "tok-2", "expires_in": 3600}, request=renewal))
    assert replay.headers["Authorization"] == "Bearer tok-2"


def test_the_token_request_has_its_debug_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="orderpatch")
    server = TokenServer({"expires_in": 3600})
    with sync_client(make_auth(FakeClock()), server) as api:
        api.request(call())
    lines = [r.getMessage() for r in caplog.records if r.getMessage().endswith("(token request)")]
    assert len(lines) == 1, lines
    assert re.fullmatch(rf"POST {re.escape(TOKEN_URL)} -> 200( in \d+\.\d ms)? \(token request\)", lines[0])
