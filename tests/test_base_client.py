"""The shared pipeline: retries by policy, deadline, options, decoding, raw metadata, logging.

LicenseSpring's client is the vehicle (the simplest vendor); non-idempotent behaviour is driven
with a hand-built ``Call`` because the pipeline only looks at ``Call.idempotent``.
"""

from __future__ import annotations

import json
import logging
import re
import sys

import httpx
import pytest
from pytest_httpx import HTTPXMock

import orderpatch._base_client as base_client
from orderpatch import (
    APIError,
    ConfigurationError,
    ConnectionFailed,
    DecodeError,
    NotFound,
    RateLimited,
    ServerError,
    Timeout,
    ValidationError,
    _http,
)
from orderpatch._spec import Call
from orderpatch._types import JSONValue
from orderpatch.licensespring import AsyncLicenseSpringClient, LicenseSpringClient, OrderUpdate
from tests.conftest import SleepRecorder

URL = "https://saas.licensespring.com/api/v1/orders/7/"
ORDER = {"id": 7, "store_id": "s-1", "metadata": {}, "license_users": []}
KEY = "h8ZTleS1.OyCHhCST5c8K9A6gjV9wA1HLxWpUVSFv"


def client(**kwargs: object) -> LicenseSpringClient:
    return LicenseSpringClient(api_key=KEY, **kwargs)  # type: ignore[arg-type]


def post_call(idempotent: bool = False, key: str | None = None) -> Call[JSONValue]:
    request = httpx.Request("POST", "https://saas.licensespring.com/api/v1/orders/create_order/", content=b"{}")
    return Call(request=request, parse=lambda payload: payload, idempotent=idempotent, idempotency_key=key)


def test_success_sends_defaults(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, method="PATCH", json=ORDER)
    with client() as ls:
        order = ls.orders.update(7, OrderUpdate(store_id="s-1"))
    assert order.id == 7
    request = httpx_mock.get_requests()[0]
    assert request.headers["User-Agent"].startswith("orderpatch/")
    user_agent = request.headers["User-Agent"]  # names the HTTP package in use: httpx, or httpx2
    assert re.fullmatch(rf"orderpatch/\S+ python/\d+\.\d+ {_http.PACKAGE}/{re.escape(_http.VERSION)}", user_agent)
    assert f" python/{sys.version_info[0]}.{sys.version_info[1]} " in request.headers["User-Agent"]
    assert request.extensions["timeout"] == {"connect": 5.0, "read": 30.0, "write": 30.0, "pool": 5.0}


def test_retry_after_is_honoured_on_429_then_success(httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(url=URL, status_code=429, headers={"Retry-After": "2"}, json={"detail": "slow down"})
    httpx_mock.add_response(url=URL, json=ORDER)
    with client() as ls:
        raw = ls.orders.with_raw_response.update(7, OrderUpdate())
    assert raw.parse().id == 7
    assert raw.retries_taken == 1
    assert sleeps.delays == [2.0]
    assert len(httpx_mock.get_requests()) == 2


def test_rate_limited_after_retries_are_spent(httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(
        url=URL, status_code=429, headers={"Retry-After": "1"}, json={"detail": "x"}, is_reusable=True
    )
    with client(max_retries=1) as ls, pytest.raises(RateLimited) as info:
        ls.orders.update(7, OrderUpdate())
    assert info.value.retry_after == 1.0
    assert info.value.retries_taken == 1
    assert len(httpx_mock.get_requests()) == 2


@pytest.mark.parametrize("status", [502, 504])
def test_gateway_errors_retried_for_idempotent_patch(httpx_mock: HTTPXMock, sleeps: SleepRecorder, status: int) -> None:
    httpx_mock.add_response(
        url=URL, status_code=status, text="<html>bad gateway</html>", headers={"content-type": "text/html"}
    )
    httpx_mock.add_response(url=URL, json=ORDER)
    with client() as ls:
        assert ls.orders.update(7, OrderUpdate()).id == 7
    assert len(sleeps.delays) == 1


@pytest.mark.parametrize("status", [500, 502, 504])
def test_non_idempotent_request_is_not_repeated_on_5xx(
    httpx_mock: HTTPXMock, sleeps: SleepRecorder, status: int
) -> None:
    httpx_mock.add_response(status_code=status, json={"detail": "boom"})
    with client() as ls, pytest.raises(ServerError) as info:
        ls.request(post_call())
    assert info.value.status == status
    assert info.value.message == "boom"
    assert len(httpx_mock.get_requests()) == 1
    assert sleeps.delays == []


def test_idempotency_key_makes_a_post_retryable(httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(status_code=502, json={})
    httpx_mock.add_response(json={"ok": True})
    with client() as ls:
        assert ls.request(post_call(key="k-1")) == {"ok": True}
    first, second = httpx_mock.get_requests()
    assert first.content == second.content


def test_500_is_not_retried_even_when_idempotent(httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(url=URL, status_code=500, json={"detail": "oops"})
    with client() as ls, pytest.raises(ServerError):
        ls.orders.update(7, OrderUpdate())
    assert len(httpx_mock.get_requests()) == 1


def test_connect_error_is_retried_even_for_post(httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_exception(httpx.ConnectError("refused"))
    httpx_mock.add_response(json={"ok": True})
    with client() as ls:
        assert ls.request(post_call()) == {"ok": True}
    assert len(sleeps.delays) == 1


def test_read_timeout_after_send_is_not_retried_for_post(httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_exception(httpx.ReadTimeout("slow"))
    with client() as ls, pytest.raises(Timeout) as info:
        ls.request(post_call())
    assert info.value.retries_taken == 0
    assert info.value.vendor == "licensespring"
    assert len(httpx_mock.get_requests()) == 1


def test_read_timeout_is_retried_for_idempotent_then_raised(httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_exception(httpx.ReadTimeout("slow"), is_reusable=True)
    with client(max_retries=2) as ls, pytest.raises(Timeout) as info:
        ls.orders.update(7, OrderUpdate())
    assert info.value.retries_taken == 2
    assert len(httpx_mock.get_requests()) == 3
    assert "3 attempt(s)" in str(info.value)


def test_reset_becomes_connection_failed(httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_exception(httpx.RemoteProtocolError("peer closed"), is_reusable=True)
    with client(max_retries=0) as ls, pytest.raises(ConnectionFailed):
        ls.orders.update(7, OrderUpdate())


def test_per_call_max_retries_overrides_client(httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(url=URL, status_code=503, json={}, is_reusable=True)
    with client(max_retries=5) as ls, pytest.raises(ServerError):
        ls.orders.update(7, OrderUpdate(), max_retries=0)
    assert len(httpx_mock.get_requests()) == 1


def test_deadline_bounds_retries(httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    # Retry-After 30 s does not fit in a 5 s deadline: the 503 is raised at once.
    httpx_mock.add_response(url=URL, status_code=503, headers={"Retry-After": "30"}, json={})
    with client() as ls, pytest.raises(ServerError) as info:
        ls.orders.update(7, OrderUpdate(), deadline=5)
    assert info.value.retry_after == 30.0
    assert sleeps.delays == []


def test_deadline_caps_attempt_timeouts(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, json=ORDER)
    with client(deadline=2.0) as ls:
        ls.orders.update(7, OrderUpdate())
    timeouts = httpx_mock.get_requests()[0].extensions["timeout"]
    assert all(0 < value <= 2.0 for value in timeouts.values())


def test_spent_deadline_raises_timeout(httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch) -> None:
    ticks = iter([0.0, 10.0, 10.0, 10.0])
    monkeypatch.setattr(base_client, "_clock", lambda: next(ticks))
    with client() as ls, pytest.raises(Timeout, match="deadline exceeded"):
        ls.orders.update(7, OrderUpdate(), deadline=1)
    assert httpx_mock.get_requests() == []


def test_extra_headers_and_query(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL + "?trace=1", json=ORDER)
    with client(default_headers={"X-App": "shop"}) as ls:
        ls.orders.update(7, OrderUpdate(), extra_headers={"X-Trace": "t"}, extra_query={"trace": "1"})
    request = httpx_mock.get_requests()[0]
    assert request.headers["X-App"] == "shop"
    assert request.headers["X-Trace"] == "t"


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"extra_headers": "X-Trace: 1"}, "extra_headers: expected a mapping"),
        ({"extra_headers": {"X-Trace": 1}}, "extra_headers['X-Trace']: expected a mapping of header names to"),
        ({"extra_headers": {"X-Trace": "a\r\nInjected: 1"}}, "no CR, LF or other control characters"),
        ({"extra_headers": {"X-Trace": "caf\u00e9"}}, "printable ASCII"),
        ({"extra_headers": {"X Trace": "1"}}, "not a valid header name"),
        ({"extra_query": {"trace": object()}}, "extra_query['trace']: expected a mapping of str to str, got object"),
        ({"extra_query": ["trace"]}, "extra_query: expected a mapping of str to str, got list"),
    ],
)
def test_bad_extra_headers_or_query_are_refused_before_sending(
    httpx_mock: HTTPXMock, options: dict[str, object], problem: str
) -> None:
    with client() as ls, pytest.raises(ValidationError) as info:
        ls.orders.update(7, OrderUpdate(), **options)  # type: ignore[arg-type]
    assert problem in str(info.value)
    assert info.value.field in ("extra_headers", "extra_query")
    assert httpx_mock.get_requests() == []


def test_unknown_option_is_a_validation_error(httpx_mock: HTTPXMock) -> None:
    with client() as ls, pytest.raises(ValidationError, match="unknown call option"):
        ls.orders.update(7, OrderUpdate(), tiemout=3)  # type: ignore[call-arg]
    with client() as ls, pytest.raises(ValidationError, match="max_retries"):
        ls.orders.update(7, OrderUpdate(), max_retries=-1)
    assert httpx_mock.get_requests() == []


@pytest.mark.parametrize(
    ("body", "headers", "problem"),
    [
        (b"<html><body>Oops</body></html>", {"content-type": "text/html"}, "text/html"),
        (b'{"id": 7, "store_', {"content-type": "application/json"}, "malformed"),
        (b"", {"content-type": "application/json"}, "empty body"),
        (b"[1, 2]", {"content-type": "application/json"}, "JSON object"),
        (b'{"id": "seven"}', {"content-type": "application/json"}, "integer"),
        (b'{"store_id": "x"}', {"content-type": "application/json"}, "id"),
    ],
)
def test_unusable_2xx_bodies_are_decode_errors(
    httpx_mock: HTTPXMock, body: bytes, headers: dict[str, str], problem: str
) -> None:
    httpx_mock.add_response(url=URL, content=body, headers={**headers, "x-request-id": "req-9"})
    with client() as ls, pytest.raises(DecodeError) as info:
        ls.orders.update(7, OrderUpdate())
    assert info.value.status == 200
    assert info.value.request_id == "req-9"
    assert problem in info.value.message
    assert info.value.body is not None


def test_too_large_body_is_refused(httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base_client, "MAX_RESPONSE_BYTES", 1000)
    httpx_mock.add_response(url=URL, json={"id": 7, "metadata": {"x": "y" * 5000}})
    with client() as ls, pytest.raises(DecodeError, match="larger than 1000 bytes"):
        ls.orders.update(7, OrderUpdate())


def test_error_body_is_truncated_and_scrubbed(httpx_mock: HTTPXMock) -> None:
    body = json.dumps({"detail": f"bad key Api-Key {KEY}", "padding": "z" * 5000})
    httpx_mock.add_response(url=URL, status_code=418, text=body)
    with client() as ls, pytest.raises(APIError) as info:
        ls.orders.update(7, OrderUpdate())
    error = info.value
    assert type(error) is APIError
    assert KEY not in str(error)
    assert KEY not in (error.body or "")
    assert KEY not in error.message
    assert "truncated" in (error.body or "")
    assert len(error.body or "") < 2200


def test_redirect_is_not_followed(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, status_code=301, headers={"Location": "https://evil.test/x"})
    with client() as ls, pytest.raises(APIError, match="unexpected redirect to https://evil.test/x"):
        ls.orders.update(7, OrderUpdate())
    assert len(httpx_mock.get_requests()) == 1


def test_with_options_shares_pool_and_leaves_original(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, json=ORDER, is_reusable=True)
    with client() as ls:
        fast = ls.with_options(timeout=1.0, max_retries=0, deadline=3, default_headers={"X-A": "1"})
        assert fast._http is ls._http
        assert (ls.max_retries, ls.deadline, "X-A" in ls.default_headers) == (2, None, False)
        assert (fast.max_retries, fast.deadline) == (0, 3.0)
        assert fast.orders is not ls.orders
        fast.orders.update(7, OrderUpdate())
        fast.close()  # does not close the shared pool
        ls.orders.update(7, OrderUpdate())
    assert httpx_mock.get_requests()[0].headers["X-A"] == "1"
    assert httpx_mock.get_requests()[0].extensions["timeout"]["read"] == 1.0


def test_callers_http_client_is_not_closed(httpx_mock: HTTPXMock) -> None:
    own = httpx.Client()
    with client(http_client=own):
        pass
    assert not own.is_closed
    own.close()


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"api_key": ""}, "api_key"),
        ({"api_key": None}, "api_key"),
        ({"api_key": KEY, "base_url": "ftp://x"}, "base_url"),
        ({"api_key": KEY, "base_url": "not a url"}, "base_url"),
        ({"api_key": KEY, "base_url": "https://x.test/?a=1"}, "base_url"),
        ({"api_key": KEY, "base_url": "https://x.test:99999"}, "base_url"),
        ({"api_key": KEY, "base_url": "https://x_.test .com"}, "base_url"),
        ({"api_key": KEY, "base_url": 42}, "base_url"),
        ({"api_key": KEY, "http_client": httpx.AsyncClient()}, "http_client"),
    ],
)
def test_configuration_mistakes_name_the_key(kwargs: dict[str, object], key: str) -> None:
    """(The URL cases: a port out of range, a host with a space, not a string at all.)"""
    with pytest.raises(ConfigurationError) as info:
        LicenseSpringClient(**kwargs)  # type: ignore[arg-type]
    assert info.value.key == key
    assert str(info.value).startswith(key + ":")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"timeout": 0}, "timeout"), ({"max_retries": 11}, "max_retries"), ({"deadline": -1}, "deadline")],
)
def test_client_defaults_are_validated(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        LicenseSpringClient(api_key=KEY, **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_debug_log_has_one_line_per_attempt_and_no_secret(
    httpx_mock: HTTPXMock, sleeps: SleepRecorder, caplog: pytest.LogCaptureFixture
) -> None:
    httpx_mock.add_response(url=URL, status_code=503, json={})
    httpx_mock.add_response(url=URL, json=ORDER)
    with caplog.at_level(logging.DEBUG), client() as ls:
        ls.orders.update(7, OrderUpdate())
    lines = [r.getMessage() for r in caplog.records if r.name == "orderpatch" and r.levelno == logging.DEBUG]
    assert len(lines) == 2
    assert lines[0].startswith("PATCH https://saas.licensespring.com/api/v1/orders/7/ -> 503 in ")
    assert lines[0].endswith("(attempt 1 of 3)")
    assert lines[1].endswith("(attempt 2 of 3)")
    assert "-> 200" in lines[1]
    assert all(KEY not in r.getMessage() and KEY not in str(r.args) for r in caplog.records)


async def test_async_pipeline_retries_and_raises(httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(url=URL, status_code=503, headers={"Retry-After": "1"}, json={})
    httpx_mock.add_response(url=URL, status_code=404, json={"message": "ain't no cake like that"})
    async with AsyncLicenseSpringClient(api_key=KEY) as ls:
        with pytest.raises(NotFound) as info:
            await ls.orders.update(7, OrderUpdate())
    assert info.value.message == "ain't no cake like that"
    assert info.value.retries_taken == 1
    assert sleeps.delays == [1.0]


async def test_async_raw_response_and_post_not_repeated(httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(url=URL, json=ORDER, headers={"X-Ratelimit-Limit": "100", "X-Ratelimit-Remaining": "99"})
    httpx_mock.add_exception(httpx.ReadTimeout("slow"))
    async with AsyncLicenseSpringClient(api_key=KEY) as ls:
        raw = await ls.orders.with_raw_response.update(7, OrderUpdate())
        with pytest.raises(Timeout):
            await ls.request(post_call())
    assert raw.status_code == 200
    assert raw.parse().id == 7
    assert raw.elapsed >= 0
    assert raw.meta.rate_limit is not None
    assert raw.meta.rate_limit.remaining == 99
    assert raw.headers["content-type"] == "application/json"
    assert raw.request_id is None
    assert len(httpx_mock.get_requests()) == 2


def test_a_password_in_the_base_url_is_never_quoted() -> None:
    with pytest.raises(ConfigurationError) as info:
        client(base_url="https://me:pa55w0rd-xyz@x.test:abc")
    assert "pa55w0rd-xyz" not in str(info.value)
    assert "***@" in str(info.value)
    with pytest.raises(ConfigurationError, match="must not contain a user name or password") as info:
        client(base_url="https://me:pa55w0rd-xyz@x.test")
    assert "pa55w0rd-xyz" not in str(info.value)
