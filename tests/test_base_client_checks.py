"""The pipeline's checks and settings, exactly: what each bad setting or call option says (field and
expected), the timeouts each attempt gets, keyed retries, the rate limiter hooks of the async
shell, the connection pool orderpatch makes, and the DEBUG line's timing.

Complements ``test_base_client.py`` and ``test_base_client_edges.py``; these pin the behaviour a
mutation run of ``orderpatch/_base_client.py`` changes (mutation/config.toml).
"""

from __future__ import annotations

import asyncio
import logging

import attrs
import httpx
import pytest
from pytest_httpx import HTTPXMock

import orderpatch._base_client as base_client
from orderpatch import APIError, ConfigurationError, ValidationError
from orderpatch._base_client import DEFAULT_TIMEOUT, USER_AGENT, as_base_url
from orderpatch._constants import DEFAULT_CONNECT_TIMEOUT
from orderpatch._spec import Call
from orderpatch._types import JSONValue
from orderpatch.licensespring import AsyncLicenseSpringClient, LicenseSpringClient
from tests.conftest import SleepRecorder

URL = "https://saas.licensespring.com/api/v1/orders/7/"
KEY = "h8ZTleS1.CheckKey0123456789abcdefABCDEF"


def client(**kwargs: object) -> LicenseSpringClient:
    return LicenseSpringClient(api_key=KEY, **kwargs)  # type: ignore[arg-type]


def call(method: str = "PATCH", *, idempotent: bool = True, key: str | None = None, once: bool = False,
         url: str = URL) -> Call[JSONValue]:
    return Call(request=httpx.Request(method, url, content=b"{}"), parse=lambda payload: payload,
                idempotent=idempotent, idempotency_key=key, once=once)


class Clock:
    def __init__(self, now: float = 50.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


# ---------------------------------------------------------------------------------------- settings


@pytest.mark.parametrize(("name", "value", "message", "expected"), [
    ("timeout", 0, "timeout: expected a positive number of seconds or an httpx.Timeout, got 0",
     "positive float or httpx.Timeout"),
    ("timeout", "5", "timeout: expected a positive number of seconds or an httpx.Timeout, got '5'",
     "positive float or httpx.Timeout"),
    ("max_retries", 11, "max_retries: expected an int from 0 to 10, got 11", "int 0..10"),
    ("max_retries", -1, "max_retries: expected an int from 0 to 10, got -1", "int 0..10"),
    ("deadline", 0, "deadline: expected a positive number of seconds or None, got 0", "positive float or None"),
    ("deadline", -0.5, "deadline: expected a positive number of seconds or None, got -0.5", "positive float or None"),
    ("deadline", True, "deadline: expected a positive number of seconds or None, got True", "positive float or None"),
])
def test_a_bad_setting_names_itself_and_what_it_takes(name: str, value: object, message: str, expected: str) -> None:
    with pytest.raises(ValidationError) as info:
        client(**{name: value})
    assert (str(info.value), info.value.field, info.value.expected) == (message, name, expected)


@pytest.mark.parametrize(("name", "value", "message", "expected"), [
    ("timeout", -1, "timeout: expected a positive number of seconds or an httpx.Timeout, got -1",
     "positive float or httpx.Timeout"),
    ("max_retries", 99, "max_retries: expected an int from 0 to 10, got 99", "int 0..10"),
    ("deadline", 0, "deadline: expected a positive number of seconds or None, got 0", "positive float or None"),
])
def test_a_bad_call_option_names_itself_before_any_request(httpx_mock: HTTPXMock, name: str, value: object,
                                                           message: str, expected: str) -> None:
    with client() as ls, pytest.raises(ValidationError) as info:
        ls.request(call(), {name: value})  # type: ignore[misc]
    assert (str(info.value), info.value.field, info.value.expected) == (message, name, expected)
    assert httpx_mock.get_requests() == []


def test_an_unknown_call_option_is_named_with_every_known_one(httpx_mock: HTTPXMock) -> None:
    with client() as ls, pytest.raises(ValidationError) as info:
        ls.request(call(), {"timeot": 1, "retries": 2})  # type: ignore[typeddict-unknown-key]
    assert str(info.value) == ("unknown call option(s) ['retries', 'timeot']; expected some of "
                               "['deadline', 'extra_headers', 'extra_query', 'max_retries', 'timeout']")
    assert info.value.field == "retries"
    assert info.value.expected == "deadline, extra_headers, extra_query, max_retries, timeout"


def test_seconds_become_a_timeout_with_a_capped_connect() -> None:
    assert client(timeout=2.0).timeout == httpx.Timeout(2.0, connect=min(2.0, DEFAULT_CONNECT_TIMEOUT))
    assert client(timeout=60).timeout == httpx.Timeout(60.0, connect=DEFAULT_CONNECT_TIMEOUT)
    own = httpx.Timeout(1.0, read=9.0)
    assert client(timeout=own).timeout is own


def test_a_wrong_rate_limiter_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError) as info:
        client(rate_limiter=object())
    assert str(info.value) == ("rate_limiter: expected an orderpatch.RateLimiter (acquire, aacquire, observe), "
                               "got object")
    assert info.value.key == "rate_limiter"


@pytest.mark.parametrize(("given", "shown"), [
    ("https://h.example/api//", "https://h.example/api"),
    ("https://h.example/api/v2/", "https://h.example/api/v2"),
    ("https://h.example//", "https://h.example/"),
    ("https://h.example", "https://h.example/"),
    (httpx.URL("https://h.example/api/"), "https://h.example/api"),
    ("https://h.example/shopX/", "https://h.example/shopX"),  # only slashes go, whatever the path ends in
    ("https://h.example/api/XX", "https://h.example/api/XX"),
])
def test_a_base_url_loses_its_trailing_slashes(given: object, shown: str) -> None:
    assert str(as_base_url(given)) == shown


def test_a_base_url_that_is_no_url_says_what_it_got() -> None:
    with pytest.raises(ConfigurationError) as info:
        as_base_url(5, name="api_url")
    assert (str(info.value), info.value.key) == ("api_url: expected an absolute http(s) URL as a string, got int",
                                                 "api_url")
    with pytest.raises(ConfigurationError) as info:
        as_base_url("ftp://x")
    assert str(info.value) == "base_url: expected an absolute http(s) URL such as https://host, got 'ftp://x'"


def test_the_user_agent_can_be_replaced_not_doubled() -> None:
    with client() as ls:
        assert ls.default_headers == {"User-Agent": USER_AGENT}
    with client(default_headers={"User-Agent": "mine/1", "X-Trace": "t"}) as ls:
        assert ls.default_headers == {"User-Agent": "mine/1", "X-Trace": "t"}


def test_the_pool_orderpatch_makes_follows_no_redirect_and_has_the_default_timeouts(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=302, headers={"Location": "https://elsewhere.example/"})
    with client() as ls:
        pool = ls._http
        assert isinstance(pool, httpx.Client)
        response = pool.get(URL)  # even a request sent on the pool directly
    assert response.status_code == 302
    (request,) = httpx_mock.get_requests()
    assert request.extensions["timeout"] == DEFAULT_TIMEOUT.as_dict()


# ---------------------------------------------------------------------------------------- each attempt


def test_each_attempt_gets_the_call_timeout(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json={})
    with client() as ls:
        ls.request(call(), {"timeout": 4.0})
    (request,) = httpx_mock.get_requests()
    assert request.extensions["timeout"] == httpx.Timeout(4.0, connect=min(4.0, DEFAULT_CONNECT_TIMEOUT)).as_dict()


def test_each_timeout_is_capped_by_what_is_left_of_the_deadline(
        httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base_client, "_clock", Clock())
    httpx_mock.add_response(json={})
    with client(timeout=httpx.Timeout(connect=1.0, read=40.0, write=2.0, pool=3.0), deadline=10.0) as ls:
        ls.request(call())
    (request,) = httpx_mock.get_requests()
    assert request.extensions["timeout"] == {"connect": 1.0, "read": 10.0, "write": 2.0, "pool": 3.0}


def test_the_debug_line_says_how_long_the_attempt_took(
        httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    monkeypatch.setattr(base_client, "_clock", clock)

    def answer(request: httpx.Request) -> httpx.Response:
        clock.now += 0.125
        return httpx.Response(200, json={})

    httpx_mock.add_callback(answer)
    caplog.set_level(logging.DEBUG, logger="orderpatch")
    with client(max_retries=2) as ls:
        ls.request(call())
    lines = [record.getMessage() for record in caplog.records if record.name == "orderpatch"]
    assert f"PATCH {URL} -> 200 in 125.0 ms (attempt 1 of 3)" in lines


def test_a_204_is_parsed_from_nothing_whatever_it_carries(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=204, content=b'{"a": 1}', headers={"Content-Type": "application/json"})
    httpx_mock.add_response(status_code=205, content=b'{"a": 1}', headers={"Content-Type": "application/json"})
    with client() as ls:
        assert ls.request(call()) is None
        assert ls.request(call()) == {"a": 1}


def test_a_body_too_large_after_a_retry_counts_the_retry(
        httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch, sleeps: SleepRecorder) -> None:
    monkeypatch.setattr(base_client, "MAX_RESPONSE_BYTES", 64)
    httpx_mock.add_response(status_code=503, json={"detail": "busy"})
    httpx_mock.add_response(content=b"x" * 100)
    with client(max_retries=2) as ls, pytest.raises(APIError) as info:
        ls.request(call())
    assert info.value.retries_taken == 1


# ---------------------------------------------------------------------------------------- keyed retries


def keyed_client(**kwargs: object) -> LicenseSpringClient:
    ls = client(**kwargs)
    ls.vendor = attrs.evolve(ls.vendor, keyed_retry_statuses=frozenset({409}))
    return ls


def conflict() -> dict[str, object]:
    return {"status_code": 409, "json": {"detail": "locked"}}


def test_a_keyed_call_is_retried_on_the_vendors_keyed_statuses(httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(**conflict())  # type: ignore[arg-type]
    httpx_mock.add_response(json={"ok": True})
    with keyed_client(max_retries=2) as ls:
        assert ls.request(call("POST", idempotent=False, key="k-1")) == {"ok": True}
    assert len(httpx_mock.get_requests()) == 2


@pytest.mark.parametrize(("idempotent", "key", "once"), [
    (True, None, False),    # idempotent, but no key for the vendor to replay
    (False, "k-1", True),   # keyed, but never repeated once it may have been sent
])
def test_without_a_replayable_key_the_keyed_statuses_are_not_retried(
        httpx_mock: HTTPXMock, sleeps: SleepRecorder, idempotent: bool, key: str | None, once: bool) -> None:
    httpx_mock.add_response(**conflict())  # type: ignore[arg-type]
    with keyed_client(max_retries=2) as ls, pytest.raises(APIError) as info:
        ls.request(call("POST", idempotent=idempotent, key=key, once=once))
    assert info.value.status == 409
    assert len(httpx_mock.get_requests()) == 1


def test_a_keyed_call_is_not_retried_on_other_statuses(httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(status_code=422, json={"detail": "invalid"})
    with keyed_client(max_retries=2) as ls, pytest.raises(APIError):
        ls.request(call("POST", idempotent=False, key="k-1"))
    assert len(httpx_mock.get_requests()) == 1


# ---------------------------------------------------------------------------------------- the async shell


class AsyncRecorder:
    """A rate limiter with an async ``aobserve``: the async shell must await it, not call ``observe``."""

    def __init__(self) -> None:
        self.acquired: list[float | None] = []
        self.observed: list[tuple[str, int, int | None, float | None]] = []

    def acquire(self, cost: int = 1, *, timeout: float | None = None) -> None:
        self.acquired.append(timeout)

    async def aacquire(self, cost: int = 1, *, timeout: float | None = None) -> None:  # noqa: ASYNC109
        self.acquired.append(timeout)

    def observe(self, *, status: int, remaining: int | None, retry_after: float | None) -> None:
        self.observed.append(("observe", status, remaining, retry_after))

    async def aobserve(self, *, status: int, remaining: int | None, retry_after: float | None) -> None:
        self.observed.append(("aobserve", status, remaining, retry_after))


def test_the_async_shell_awaits_aobserve_and_gives_aacquire_the_deadline(
        httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(status_code=429, headers={"Retry-After": "2", "X-RateLimit-Remaining": "0"},
                            json={"detail": "slow"})
    httpx_mock.add_response(json={}, headers={"X-RateLimit-Remaining": "41"})
    recorder = AsyncRecorder()

    async def run() -> None:
        async with AsyncLicenseSpringClient(api_key=KEY, rate_limiter=recorder, deadline=30.0, max_retries=2) as ls:
            await ls.request(call())

    asyncio.run(run())
    assert recorder.observed == [("aobserve", 429, 0, 2.0), ("aobserve", 200, 41, None)]
    assert len(recorder.acquired) == 2
    for timeout in recorder.acquired:
        assert timeout is not None
        assert 0.0 < timeout <= 30.0


def test_a_closed_client_names_itself_and_the_request_redacted(httpx_mock: HTTPXMock) -> None:
    from orderpatch.errors import ClientClosed

    ls = client()
    ls.close()
    with pytest.raises(ClientClosed) as info:
        ls.request(call(url=URL + "?token=s3cr3t-value&page=2"))
    assert str(info.value) == ("LicenseSpringClient is closed: create a new client (or use it in a `with` block) "
                               f"to send PATCH {URL}?token=%2A%2A%2A&page=2")
    assert httpx_mock.get_requests() == []
