"""The retry policy at its edges, through the pipeline: write failures, the last retry, a deadline
under a second, ``Retry-After`` forms and caps, a 300 answer, and the backoff at its ceiling."""

from __future__ import annotations

import email.utils

import httpx
import pytest
from pytest_httpx import HTTPXMock

import orderpatch._base_client as base_client
from orderpatch import APIError, ConnectionFailed, RateLimited, ServerError, Timeout
from orderpatch._constants import INITIAL_RETRY_DELAY, MAX_RETRY_AFTER, MAX_RETRY_DELAY
from orderpatch._retry import backoff_delay, is_retryable_exception, is_retryable_status, parse_retry_after
from orderpatch._spec import Call
from orderpatch._types import JSONValue
from orderpatch.licensespring import AsyncLicenseSpringClient, LicenseSpringClient, OrderUpdate
from tests.conftest import SleepRecorder

URL = "https://saas.licensespring.com/api/v1/orders/7/"
ORDER = {"id": 7, "store_id": "s-1", "metadata": {}, "license_users": []}
KEY = "h8ZTleS1.RetryKey0123456789abcdefABCD"


def client(**kwargs: object) -> LicenseSpringClient:
    return LicenseSpringClient(api_key=KEY, **kwargs)  # type: ignore[arg-type]


def post_call() -> Call[JSONValue]:
    request = httpx.Request("POST", "https://saas.licensespring.com/api/v1/orders/create_order/", content=b"{}")
    return Call(request=request, parse=lambda payload: payload, idempotent=False)


# -- failures while the request was being written ------------------------------------------------


@pytest.mark.parametrize("error", [httpx.WriteError("broken pipe"), httpx.WriteTimeout("write timed out")])
def test_an_idempotent_request_is_retried_after_a_write_failure(
    httpx_mock: HTTPXMock, sleeps: SleepRecorder, error: httpx.TransportError
) -> None:
    httpx_mock.add_exception(error, url=URL)
    httpx_mock.add_response(url=URL, json=ORDER)
    with client() as ls:
        raw = ls.orders.with_raw_response.update(7, OrderUpdate())
    assert raw.parse().id == 7
    assert raw.retries_taken == 1
    assert len(httpx_mock.get_requests()) == 2
    assert len(sleeps.delays) == 1


@pytest.mark.parametrize(
    ("error", "raised"),
    [(httpx.WriteError("broken pipe"), ConnectionFailed), (httpx.WriteTimeout("write timed out"), Timeout)],
)
def test_a_non_idempotent_request_is_not_retried_after_a_write_failure(
    httpx_mock: HTTPXMock, sleeps: SleepRecorder, error: httpx.TransportError, raised: type[Exception]
) -> None:
    httpx_mock.add_exception(error)
    with client() as ls, pytest.raises(raised) as info:
        ls.request(post_call())
    assert len(httpx_mock.get_requests()) == 1
    assert sleeps.delays == []
    assert "after 1 attempt(s)" in str(info.value)


async def test_the_async_client_retries_an_idempotent_request_after_a_write_error(
    httpx_mock: HTTPXMock, sleeps: SleepRecorder
) -> None:
    httpx_mock.add_exception(httpx.WriteError("broken pipe"), url=URL)
    httpx_mock.add_response(url=URL, json=ORDER)
    async with AsyncLicenseSpringClient(api_key=KEY) as ls:
        order = await ls.orders.update(7, OrderUpdate())
    assert order.id == 7
    assert len(httpx_mock.get_requests()) == 2


# -- the number of retries ----------------------------------------------------------------------


@pytest.mark.parametrize("max_retries", [0, 1, 2, 10])
def test_exactly_max_retries_then_the_error(httpx_mock: HTTPXMock, sleeps: SleepRecorder, max_retries: int) -> None:
    httpx_mock.add_response(url=URL, status_code=503, json={"detail": "busy"}, is_reusable=True)
    with client(max_retries=max_retries) as ls, pytest.raises(ServerError) as info:
        ls.orders.update(7, OrderUpdate())
    assert len(httpx_mock.get_requests()) == max_retries + 1
    assert len(sleeps.delays) == max_retries
    assert info.value.retries_taken == max_retries


def test_the_last_allowed_retry_succeeds(httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(url=URL, status_code=503, json={"detail": "busy"})
    httpx_mock.add_response(url=URL, status_code=503, json={"detail": "busy"})
    httpx_mock.add_response(url=URL, json=ORDER)
    with client(max_retries=2) as ls:
        raw = ls.orders.with_raw_response.update(7, OrderUpdate())
    assert raw.retries_taken == 2
    assert raw.parse().id == 7


# -- the deadline ---------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_deadline_under_a_second_caps_every_attempt_timeout(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    monkeypatch.setattr(base_client, "_clock", clock)
    httpx_mock.add_response(url=URL, json=ORDER)
    with client(deadline=0.25) as ls:
        ls.orders.update(7, OrderUpdate())
    assert httpx_mock.get_requests()[0].extensions["timeout"] == {
        "connect": 0.25, "read": 0.25, "write": 0.25, "pool": 0.25}


def test_a_retry_that_would_end_exactly_at_the_deadline_is_not_made(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch, sleeps: SleepRecorder
) -> None:
    clock = Clock()
    monkeypatch.setattr(base_client, "_clock", clock)
    httpx_mock.add_response(url=URL, status_code=503, headers={"Retry-After": "0.5"}, json={}, is_reusable=True)
    with client(deadline=0.5) as ls, pytest.raises(ServerError) as info:
        ls.orders.update(7, OrderUpdate())
    assert len(httpx_mock.get_requests()) == 1
    assert info.value.retries_taken == 0


def test_a_retry_that_ends_just_before_the_deadline_is_made(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch, sleeps: SleepRecorder
) -> None:
    clock = Clock()
    monkeypatch.setattr(base_client, "_clock", clock)
    httpx_mock.add_response(url=URL, status_code=503, headers={"Retry-After": "0.4"}, json={})
    httpx_mock.add_response(url=URL, json=ORDER)
    with client(deadline=0.5) as ls:
        ls.orders.update(7, OrderUpdate())
    assert sleeps.delays == [0.4]
    timeouts = [r.extensions["timeout"] for r in httpx_mock.get_requests()]
    assert timeouts[1] == timeouts[0] == {"connect": 0.5, "read": 0.5, "write": 0.5, "pool": 0.5}


def test_the_deadline_reached_exactly_before_an_attempt_is_a_timeout(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    monkeypatch.setattr(base_client, "_clock", clock)

    def oversleep(seconds: float) -> None:
        clock.now += 1.0  # the back-off took longer than asked: the deadline is now reached exactly

    monkeypatch.setattr(base_client, "_sleep", oversleep)
    httpx_mock.add_response(url=URL, status_code=503, headers={"Retry-After": "0.5"}, json={})
    with client(max_retries=2) as ls, pytest.raises(Timeout) as info:
        ls.orders.update(7, OrderUpdate(), deadline=1.0)
    assert "deadline exceeded" in str(info.value)
    assert info.value.retries_taken == 1
    assert isinstance(info.value.__cause__, ServerError)
    assert len(httpx_mock.get_requests()) == 1


# -- Retry-After ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "0"}, 0.0),
        ({"Retry-After": "-3"}, 0.0),
        ({"Retry-After": "1.5"}, 1.5),
        ({"Retry-After": str(MAX_RETRY_AFTER)}, MAX_RETRY_AFTER),
        ({"Retry-After": str(MAX_RETRY_AFTER + 0.5)}, MAX_RETRY_AFTER),
        ({"Retry-After": "nan"}, None),
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": ""}, None),
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),
        ({"retry-after-ms": "x", "Retry-After": "9"}, 9.0),
        ({"retry-after-ms": "", "Retry-After": "9"}, 9.0),
        ({"retry-after-ms": "nan", "Retry-After": "9"}, None),
        ({"retry-after-ms": "999999"}, MAX_RETRY_AFTER),
        ({}, None),
    ],
)
def test_retry_after_forms(headers: dict[str, str], expected: float | None) -> None:
    assert parse_retry_after(httpx.Headers(headers)) == expected


def test_retry_after_as_an_http_date_is_seconds_from_now() -> None:
    date = email.utils.formatdate(1_000_030.0, usegmt=True)
    assert parse_retry_after(httpx.Headers({"Retry-After": date}), now=lambda: 1_000_000.0) == 30.0
    assert parse_retry_after(httpx.Headers({"Retry-After": date}), now=lambda: 1_000_100.0) == 0.0
    assert parse_retry_after(httpx.Headers({"Retry-After": date}), now=lambda: 0.0) == MAX_RETRY_AFTER


def test_retry_after_is_the_exact_delay_on_a_retry(httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(url=URL, status_code=503, headers={"retry-after-ms": "1250"}, json={})
    httpx_mock.add_response(url=URL, json=ORDER)
    with client() as ls:
        ls.orders.update(7, OrderUpdate())
    assert sleeps.delays == [1.25]


# -- statuses ----------------------------------------------------------------------------------------


def test_a_300_answer_is_an_api_error_and_not_retried(httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(url=URL, status_code=300, json={"detail": "choose"})
    with client() as ls, pytest.raises(APIError) as info:
        ls.orders.update(7, OrderUpdate())
    assert type(info.value) is APIError
    assert info.value.status == 300
    assert len(httpx_mock.get_requests()) == 1
    assert sleeps.delays == []


def test_a_299_answer_is_a_success(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, status_code=299, json=ORDER)
    with client() as ls:
        assert ls.orders.update(7, OrderUpdate()).id == 7


def test_a_199_answer_is_an_api_error(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, status_code=199, json=ORDER)
    with client() as ls, pytest.raises(APIError) as info:
        ls.orders.update(7, OrderUpdate())
    assert info.value.status == 199


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_the_retryable_statuses_need_an_idempotent_request(status: int) -> None:
    assert is_retryable_status(status, idempotent=True) is True
    assert is_retryable_status(status, idempotent=False) is False


@pytest.mark.parametrize("status", [200, 300, 400, 408, 409, 428, 430, 500, 501, 505])
def test_other_statuses_are_never_retried(status: int) -> None:
    assert is_retryable_status(status, idempotent=True) is False


def test_a_429_with_retry_after_is_retried_once_then_rate_limited(httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(url=URL, status_code=429, headers={"Retry-After": "3"}, json={}, is_reusable=True)
    with client(max_retries=1) as ls, pytest.raises(RateLimited) as info:
        ls.orders.update(7, OrderUpdate())
    assert sleeps.delays == [3.0]
    assert info.value.retry_after == 3.0


# -- exceptions ---------------------------------------------------------------------------------------


def _request() -> httpx.Request:
    return httpx.Request("PATCH", URL)


@pytest.mark.parametrize(
    "exc",
    [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), httpx.PoolTimeout("busy")],
)
def test_failures_before_sending_are_retried_even_when_not_idempotent(exc: Exception) -> None:
    assert is_retryable_exception(exc, idempotent=False) is True
    assert is_retryable_exception(exc, idempotent=True) is True


@pytest.mark.parametrize(
    "exc",
    [httpx.ReadTimeout("r"), httpx.WriteTimeout("w"), httpx.ReadError("r"), httpx.WriteError("w"),
     httpx.RemoteProtocolError("p")],
)
def test_failures_after_sending_are_retried_only_when_idempotent(exc: Exception) -> None:
    assert is_retryable_exception(exc, idempotent=True) is True
    assert is_retryable_exception(exc, idempotent=False) is False


@pytest.mark.parametrize(
    "exc",
    [httpx.UnsupportedProtocol("ftp"), httpx.LocalProtocolError("bad"), httpx.ProxyError("proxy"),
     httpx.DecodingError("gzip"), httpx.TooManyRedirects("loop"), ValueError("x")],
)
def test_other_failures_are_never_retried(exc: Exception) -> None:
    assert is_retryable_exception(exc, idempotent=True) is False
    assert is_retryable_exception(exc, idempotent=False) is False


# -- backoff ------------------------------------------------------------------------------------------


def test_the_backoff_doubles_from_the_initial_delay_up_to_its_ceiling() -> None:
    ceilings = [backoff_delay(n, rand=lambda: 1.0) for n in range(8)]
    expected = [min(MAX_RETRY_DELAY, INITIAL_RETRY_DELAY * 2**n) for n in range(8)]
    assert ceilings == expected
    assert ceilings[0] == INITIAL_RETRY_DELAY
    assert ceilings[-1] == MAX_RETRY_DELAY
    assert backoff_delay(3, rand=lambda: 0.5) == INITIAL_RETRY_DELAY * 8 * 0.5
    assert backoff_delay(50, rand=lambda: 0.0) == 0.0
