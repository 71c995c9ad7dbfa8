"""The retry policy's pure functions."""

from __future__ import annotations

import email.utils

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_httpx import HTTPXMock

from orderpatch import RateLimited
from orderpatch._constants import MAX_RETRY_AFTER, MAX_RETRY_DELAY
from orderpatch._retry import backoff_delay, is_retryable_exception, is_retryable_status, parse_retry_after
from orderpatch.licensespring import LicenseSpringClient, OrderUpdate
from tests.conftest import SleepRecorder

NOW = 1_700_000_000.0


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"Retry-After": "3"}, 3.0),
        ({"Retry-After": "0.5"}, 0.5),
        ({"Retry-After": "-4"}, 0.0),
        ({"Retry-After": "3600"}, MAX_RETRY_AFTER),
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": "nan"}, None),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),
        ({"retry-after-ms": "x", "Retry-After": "9"}, 9.0),
        ({"Retry-After": email.utils.formatdate(NOW + 7, usegmt=True)}, 7.0),
        ({"Retry-After": email.utils.formatdate(NOW - 7, usegmt=True)}, 0.0),
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float | None) -> None:
    assert parse_retry_after(httpx.Headers(headers), now=lambda: NOW) == expected


@pytest.mark.parametrize("value", [
    "1 Jan 99999999999999999999 10:00",  # a year that overflows the date parser
    "Mon, 01 Jan 1 00:00:00 +9999", "Fri, 31 Dec 9999 23:59:59 -2359", "99999999999999999999999", "\x00",
])
def test_parse_retry_after_ends_as_seconds_or_none_for_any_header(value: str) -> None:
    got = parse_retry_after(httpx.Headers({"Retry-After": value}), now=lambda: NOW)
    assert got is None or 0.0 <= got <= MAX_RETRY_AFTER


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126)))
def test_parse_retry_after_never_raises(value: str) -> None:
    got = parse_retry_after(httpx.Headers({"Retry-After": value, "Retry-After-Ms": value}), now=lambda: NOW)
    assert got is None or 0.0 <= got <= MAX_RETRY_AFTER


def test_an_overflowing_retry_after_still_ends_as_rate_limited(httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    url = "https://saas.licensespring.com/api/v1/orders/7/"
    httpx_mock.add_response(url=url, status_code=429, headers={"Retry-After": "1 Jan 99999999999999999999 10:00"},
                            json={"detail": "slow down"})
    with LicenseSpringClient(api_key="k" * 12, max_retries=0) as client, pytest.raises(RateLimited) as info:
        client.orders.update(7, OrderUpdate(is_test=True))
    assert info.value.retry_after is None


def test_backoff_is_full_jitter_and_capped() -> None:
    assert backoff_delay(0, rand=lambda: 1.0) == 0.5
    assert backoff_delay(1, rand=lambda: 1.0) == 1.0
    assert backoff_delay(10, rand=lambda: 1.0) == MAX_RETRY_DELAY
    assert backoff_delay(3, rand=lambda: 0.0) == 0.0
    assert all(0 <= backoff_delay(2) <= 2.0 for _ in range(100))


@pytest.mark.parametrize(
    ("status", "idempotent", "expected"),
    [
        (429, False, False),
        (429, True, True),
        (503, False, False),
        (503, True, True),
        (502, False, False),
        (504, False, False),
        (502, True, True),
        (504, True, True),
        (500, True, False),
        (400, True, False),
        (409, True, False),
        (200, True, False),
    ],
)
def test_retryable_statuses(status: int, idempotent: bool, expected: bool) -> None:
    assert is_retryable_status(status, idempotent=idempotent) is expected


REQUEST = httpx.Request("PATCH", "https://x.test/")


@pytest.mark.parametrize(
    ("exc", "idempotent", "expected"),
    [
        (httpx.ConnectError("refused", request=REQUEST), False, True),
        (httpx.ConnectTimeout("slow", request=REQUEST), False, True),
        (httpx.PoolTimeout("busy", request=REQUEST), False, True),
        (httpx.ReadTimeout("slow", request=REQUEST), False, False),
        (httpx.ReadTimeout("slow", request=REQUEST), True, True),
        (httpx.RemoteProtocolError("reset", request=REQUEST), False, False),
        (httpx.RemoteProtocolError("reset", request=REQUEST), True, True),
        (httpx.WriteError("broken", request=REQUEST), False, False),
        (httpx.UnsupportedProtocol("ftp", request=REQUEST), True, False),
        (ValueError("x"), True, False),
    ],
)
def test_retryable_exceptions(exc: Exception, idempotent: bool, expected: bool) -> None:
    assert is_retryable_exception(exc, idempotent=idempotent) is expected
