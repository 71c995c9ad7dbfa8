"""The pipeline at its edges: what every error it raises carries, bodies at the size limit, the
deadline while a body arrives, the per-call metadata, ``with_options`` and redirects with a
caller's following client. Complements ``test_base_client.py`` and ``test_retry_boundaries.py``."""

from __future__ import annotations

import logging

import attrs
import httpx
import pytest
from pytest_httpx import HTTPXMock

import orderpatch._base_client as base_client
from orderpatch import (
    APIError,
    ConfigurationError,
    ConnectionFailed,
    DecodeError,
    Secret,
    ServerError,
    Timeout,
    ValidationError,
)
from orderpatch._base_client import secret_setting
from orderpatch._response import raw_response_wrapper
from orderpatch._spec import Call
from orderpatch._types import JSONValue
from orderpatch.licensespring import AsyncLicenseSpringClient, LicenseSpringClient, OrderUpdate
from tests.conftest import SleepRecorder

URL = "https://saas.licensespring.com/api/v1/orders/7/"
ORDER = {"id": 7, "store_id": "s-1", "metadata": {}, "license_users": []}
KEY = "h8ZTleS1.EdgeKey0123456789abcdefABCDEF"


def client(**kwargs: object) -> LicenseSpringClient:
    return LicenseSpringClient(api_key=KEY, **kwargs)  # type: ignore[arg-type]


def patch_call(*, key: str | None = None, parse: object = None) -> Call[JSONValue]:
    request = httpx.Request("PATCH", URL + "?page=1&token=" + KEY, content=b"{}")
    return Call(request=request, parse=parse or (lambda payload: payload), idempotent=True,  # type: ignore[arg-type]
                idempotency_key=key)


class Clock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


# -- what the errors carry --------------------------------------------------------------------------


def test_a_transport_error_names_the_request_with_its_url_redacted(
    httpx_mock: HTTPXMock, sleeps: SleepRecorder
) -> None:
    httpx_mock.add_exception(httpx.ReadError(f"reset while sending Bearer {KEY}"), is_reusable=True)
    with client(max_retries=1) as ls, pytest.raises(ConnectionFailed) as info:
        ls.request(patch_call())
    error = info.value
    shown = URL + "?page=1&token=%2A%2A%2A"
    assert (error.vendor, error.method, error.url, error.retries_taken) == ("licensespring", "PATCH", shown, 1)
    assert str(error) == f"PATCH {shown} failed after 2 attempt(s): ReadError: reset while sending Bearer ***"
    assert KEY not in str(error)


def test_a_transport_error_without_a_message_names_its_class(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_exception(httpx.LocalProtocolError(""))
    with client() as ls, pytest.raises(ConnectionFailed) as info:
        ls.request(patch_call())
    assert str(info.value).endswith("failed after 1 attempt(s): LocalProtocolError: LocalProtocolError")


def test_a_known_credential_in_a_transport_error_is_scrubbed(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_exception(httpx.LocalProtocolError(f"illegal header value {KEY[:20]}{KEY[20:]}"))
    with client() as ls, pytest.raises(ConnectionFailed) as info:
        ls.request(patch_call())
    assert str(info.value).endswith(": LocalProtocolError: illegal header value ***")


def test_a_spent_deadline_names_the_call(httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    monkeypatch.setattr(base_client, "_clock", clock)

    def slow(request: httpx.Request) -> httpx.Response:
        clock.now += 1.0
        return httpx.Response(503, json={})

    httpx_mock.add_callback(slow, is_reusable=True)
    monkeypatch.setattr(base_client, "_sleep", lambda seconds: setattr(clock, "now", clock.now + 2.0))
    monkeypatch.setattr(base_client, "backoff_delay", lambda retries: 0.0)
    with client(max_retries=5) as ls, pytest.raises(Timeout) as info:
        ls.request(patch_call(), {"deadline": 3.0})
    error = info.value
    shown = URL + "?page=1&token=%2A%2A%2A"
    assert (error.vendor, error.method, error.url, error.retries_taken) == ("licensespring", "PATCH", shown, 1)
    assert str(error) == f"PATCH {shown}: deadline exceeded after 2 attempt(s)"
    assert isinstance(error.__cause__, ServerError)


def test_an_api_error_carries_the_retries_and_the_idempotency_key(httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(status_code=503, json={"detail": f"down {KEY}"}, is_reusable=True)
    with client(max_retries=1) as ls, pytest.raises(ServerError) as info:
        ls.request(patch_call(key="idem-1"))
    assert (info.value.retries_taken, info.value.idempotency_key) == (1, "idem-1")
    assert KEY not in (info.value.body or "")
    assert KEY not in str(info.value)


def test_a_decode_error_carries_the_retries_the_key_and_the_problem(
    httpx_mock: HTTPXMock, sleeps: SleepRecorder
) -> None:
    httpx_mock.add_response(status_code=503, json={})
    httpx_mock.add_response(json={"echo": KEY})

    def parse(payload: JSONValue) -> JSONValue:
        raise KeyError()

    with client() as ls, pytest.raises(DecodeError) as info:
        ls.request(patch_call(key="idem-2", parse=parse))
    assert (info.value.retries_taken, info.value.idempotency_key) == (1, "idem-2")
    assert "KeyError" in str(info.value)
    assert KEY not in (info.value.body or "")


# -- bodies at the size limit ---------------------------------------------------------------------------


def _big(size: int, *, announce: bool) -> httpx.Response:
    body = b'{"id": 7, "pad": "' + b"x" * (size - 20) + b'"}'
    assert len(body) == size
    response = httpx.Response(200, stream=httpx.ByteStream(body))
    if not announce:
        response.headers.pop("Content-Length", None)
    else:
        response.headers["Content-Length"] = str(size)
    return response


@pytest.mark.parametrize("announce", [True, False])
def test_a_body_of_exactly_the_limit_is_read(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch, announce: bool
) -> None:
    monkeypatch.setattr(base_client, "MAX_RESPONSE_BYTES", 64)
    httpx_mock.add_callback(lambda request: _big(64, announce=announce))
    with client() as ls:
        result = ls.request(patch_call())
    assert isinstance(result, dict)
    assert result["id"] == 7


@pytest.mark.parametrize("announce", [True, False])
def test_a_body_one_byte_over_the_limit_is_refused(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch, announce: bool, sleeps: SleepRecorder
) -> None:
    monkeypatch.setattr(base_client, "MAX_RESPONSE_BYTES", 64)
    httpx_mock.add_callback(lambda request: _big(65, announce=announce))
    with client() as ls, pytest.raises(DecodeError) as info:
        ls.request(patch_call(key="idem-3"))
    error = info.value
    assert "body larger than 64 bytes" in str(error)
    assert (error.status, error.retries_taken, error.idempotency_key) == (200, 0, "idem-3")
    assert error.body in ("", None)


def test_a_body_over_the_limit_after_a_retry_counts_the_retry(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch, sleeps: SleepRecorder
) -> None:
    monkeypatch.setattr(base_client, "MAX_RESPONSE_BYTES", 64)
    httpx_mock.add_response(status_code=503, headers={"Retry-After": "0"})
    httpx_mock.add_callback(lambda request: _big(65, announce=True))
    with client() as ls, pytest.raises(DecodeError) as info:
        ls.request(patch_call(key="idem-4"))
    assert (info.value.status, info.value.retries_taken) == (200, 1)
    assert len(httpx_mock.get_requests()) == 2


def test_a_body_arriving_in_chunks_is_joined(httpx_mock: HTTPXMock) -> None:
    chunks = [b'{"id": 7, ', b'"store_id": "s-1", ', b'"metadata": {}, "license_users": []}']

    class Chunks(httpx.SyncByteStream):
        def __iter__(self):  # type: ignore[no-untyped-def]
            yield from chunks

    httpx_mock.add_callback(lambda request: httpx.Response(200, stream=Chunks()))
    with client() as ls:
        assert ls.orders.update(7, OrderUpdate()).id == 7


@pytest.mark.parametrize("value", ["", "lots", "-1"])
def test_an_unusable_content_length_is_not_trusted(httpx_mock: HTTPXMock, value: str) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        response = httpx.Response(200, json=ORDER)
        response.headers["Content-Length"] = value
        return response

    httpx_mock.add_callback(answer)
    with client() as ls:
        assert ls.orders.update(7, OrderUpdate()).id == 7


def test_a_body_still_arriving_when_the_deadline_passes_is_a_timeout(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    monkeypatch.setattr(base_client, "_clock", clock)

    class Trickle(httpx.SyncByteStream):
        def __iter__(self):  # type: ignore[no-untyped-def]
            yield b'{"id": 7,'
            clock.now += 1.0  # exactly at the deadline: still in time
            yield b' "store_id": "s-1",'
            clock.now += 0.001  # past it
            yield b' "metadata": {}, "license_users": []}'

    httpx_mock.add_callback(lambda request: httpx.Response(200, stream=Trickle()))
    with client(max_retries=0) as ls, pytest.raises(Timeout) as info:
        ls.request(patch_call(), {"deadline": 1.0})
    assert "ReadTimeout: deadline exceeded while the response body was arriving" in str(info.value)
    cause = info.value.__cause__
    assert isinstance(cause, httpx.ReadTimeout)
    assert cause.request.url.path == "/api/v1/orders/7/"


def test_a_body_that_ends_exactly_at_the_deadline_is_used(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    monkeypatch.setattr(base_client, "_clock", clock)

    class Trickle(httpx.SyncByteStream):
        def __iter__(self):  # type: ignore[no-untyped-def]
            yield b'{"id": 7, "store_id": "s-1",'
            clock.now += 1.0
            yield b' "metadata": {}, "license_users": []}'

    httpx_mock.add_callback(lambda request: httpx.Response(200, stream=Trickle()))
    with client(max_retries=0) as ls:
        assert ls.orders.update(7, OrderUpdate(), deadline=1.0).id == 7


def test_a_body_announced_as_too_large_is_refused_before_it_is_read(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base_client, "MAX_RESPONSE_BYTES", 64)
    read: list[bytes] = []

    class Small(httpx.SyncByteStream):
        def __iter__(self):  # type: ignore[no-untyped-def]
            read.append(b"{}")
            yield b"{}"

    def answer(request: httpx.Request) -> httpx.Response:
        response = httpx.Response(200, stream=Small())
        response.headers["Content-Length"] = "65"
        return response

    httpx_mock.add_callback(answer)
    with client() as ls, pytest.raises(DecodeError, match="body larger than 64 bytes"):
        ls.request(patch_call())
    assert read == []


def test_attempt_timeouts_without_a_limit_get_the_rest_of_the_deadline(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base_client, "_clock", Clock())
    httpx_mock.add_response(json={})
    with client(timeout=httpx.Timeout(None, connect=2.0), deadline=1.5) as ls:
        ls.request(patch_call())
    assert httpx_mock.get_requests()[0].extensions["timeout"] == {
        "connect": 1.5, "read": 1.5, "write": 1.5, "pool": 1.5}


# -- retry delays ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "estimate", "delay"),
    [
        pytest.param(503, 4.0, 4.0, id="a vendor estimate is a floor under the backoff"),
        pytest.param(503, None, 0.25, id="without any hint the backoff alone is the delay"),
        pytest.param(502, 3.0, 3.0, id="a vendor estimate on a 502 is a floor too"),
        pytest.param(503, 0.1, 0.25, id="a smaller vendor estimate leaves the backoff"),
    ],
)
def test_the_retry_delay_is_the_larger_of_backoff_and_vendor_estimate(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch, sleeps: SleepRecorder,
    status: int, estimate: float | None, delay: float,
) -> None:
    monkeypatch.setattr(base_client, "backoff_delay", lambda retries: 0.25)
    ls = client()
    ls.vendor = attrs.evolve(ls.vendor, retry_after=lambda response: estimate)
    httpx_mock.add_response(status_code=status, json={})
    httpx_mock.add_response(json=ORDER)
    with ls:
        ls.orders.update(7, OrderUpdate())
    assert sleeps.delays == [delay]


def test_an_explicit_retry_after_wins_over_a_larger_vendor_estimate(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch, sleeps: SleepRecorder
) -> None:
    ls = client()
    ls.vendor = attrs.evolve(ls.vendor, retry_after=lambda response: 9.0)
    httpx_mock.add_response(status_code=503, headers={"Retry-After": "0.5"}, json={})
    httpx_mock.add_response(json=ORDER)
    with ls:
        ls.orders.update(7, OrderUpdate())
    assert sleeps.delays == [0.5]


def test_a_retried_status_becomes_the_cause_of_a_later_deadline_timeout(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    monkeypatch.setattr(base_client, "_clock", clock)
    monkeypatch.setattr(base_client, "_sleep", lambda seconds: setattr(clock, "now", clock.now + 5))
    httpx_mock.add_response(status_code=502, headers={"Retry-After": "1"}, json={})
    with client() as ls, pytest.raises(Timeout) as info:
        ls.request(patch_call(), {"deadline": 2.0})
    assert isinstance(info.value.__cause__, ServerError)
    assert info.value.__cause__.status == 502


def test_a_retried_transport_failure_becomes_the_cause_of_a_later_deadline_timeout(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    monkeypatch.setattr(base_client, "_clock", clock)
    monkeypatch.setattr(base_client, "_sleep", lambda seconds: setattr(clock, "now", clock.now + 5))
    monkeypatch.setattr(base_client, "backoff_delay", lambda retries: 0.1)
    httpx_mock.add_exception(httpx.ConnectError("refused"))
    with client() as ls, pytest.raises(Timeout) as info:
        ls.request(patch_call(), {"deadline": 2.0})
    assert isinstance(info.value.__cause__, httpx.ConnectError)


# -- logging ------------------------------------------------------------------------------------------


def test_the_retry_line_is_at_info_and_names_the_outcome(
    httpx_mock: HTTPXMock, caplog: pytest.LogCaptureFixture, sleeps: SleepRecorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base_client, "backoff_delay", lambda retries: 0.125)
    httpx_mock.add_response(status_code=503, json={})
    httpx_mock.add_exception(httpx.ReadTimeout("slow"))
    httpx_mock.add_response(json=ORDER)
    caplog.set_level(logging.DEBUG, logger="orderpatch")
    with client() as ls:
        ls.orders.update(7, OrderUpdate())
    retries = [r for r in caplog.records if r.name == "orderpatch" and r.levelno == logging.INFO]
    assert [r.getMessage() for r in retries] == [
        f"PATCH {URL} -> 503; retry 1 of 2 in 0.12 s",
        f"PATCH {URL} -> ReadTimeout; retry 2 of 2 in 0.12 s",
    ]
    attempts = [r.getMessage() for r in caplog.records if r.name == "orderpatch" and r.levelno == logging.DEBUG]
    assert [line.split(" -> ")[1].split(" in ")[0] for line in attempts] == ["503", "ReadTimeout", "200"]


# -- the per-call metadata ----------------------------------------------------------------------------


def test_the_raw_response_meta_of_a_retried_call(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch, sleeps: SleepRecorder
) -> None:
    clock = Clock()
    monkeypatch.setattr(base_client, "_clock", clock)

    def answer(request: httpx.Request) -> httpx.Response:
        clock.now += 0.5
        return httpx.Response(200, json=ORDER, headers={"x-request-id": "req-7"})

    httpx_mock.add_response(status_code=503, json={})
    httpx_mock.add_callback(answer)
    with client() as ls:
        raw = ls.orders.with_raw_response.update(7, OrderUpdate())
    meta = raw.meta
    assert (meta.status_code, meta.request_id, meta.retries_taken, meta.elapsed) == (200, "req-7", 1, 0.5)
    assert meta.idempotency_key is None
    assert meta.http_response.status_code == 200
    assert meta.headers["x-request-id"] == "req-7"


def test_the_raw_response_meta_carries_the_idempotency_key(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json={"ok": True})
    with client() as ls:
        raw = raw_response_wrapper(ls.request)(patch_call(key="idem-9"))
    assert raw.parse() == {"ok": True}
    assert raw.meta.idempotency_key == "idem-9"


# -- options and clones -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "field"),
    [({"timeout": 0}, "timeout"), ({"max_retries": 11}, "max_retries"), ({"deadline": -1}, "deadline")],
)
def test_with_options_checks_each_option_by_name(options: dict[str, object], field: str) -> None:
    with client() as ls, pytest.raises(ValidationError) as info:
        ls.with_options(**options)  # type: ignore[arg-type]
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}: expected ")


def test_with_options_rebuilds_resources_for_the_clone_and_never_closes_the_pool() -> None:
    ls = client()
    orders = ls.orders
    clone = ls.with_options(max_retries=0, deadline=None, timeout=3.0)
    assert clone.orders is not orders
    assert clone.orders._client is clone
    assert ls.orders is orders
    assert (clone.max_retries, clone.deadline, clone.timeout.read) == (0, None, 3.0)
    assert clone._owns_http is False
    clone.close()
    assert not ls._http.is_closed
    ls.close()
    assert ls._http.is_closed


def test_the_repr_names_the_class_and_base_url() -> None:
    with client() as ls:
        assert repr(ls) == (
            "LicenseSpringClient(base_url='https://saas.licensespring.com/', "
            "auth=HeaderAuth(scheme='Api-Key', secret=***))"
        )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({1: "x"}, "extra_headers[1]: expected a mapping of header names to printable ASCII strings, got int"),
        ({"X-A": 1}, "extra_headers['X-A']: expected a mapping of header names to printable ASCII strings, got int"),
        ({"X A": "v"}, "extra_headers['X A']: not a valid header name"),
        ({"X-A": "v\r\nInjected: 1"}, "extra_headers['X-A']: the value must be printable ASCII"),
    ],
)
def test_bad_extra_headers_say_what_is_wrong(httpx_mock: HTTPXMock, extra: dict[object, object], message: str) -> None:
    with client() as ls, pytest.raises(ValidationError) as info:
        ls.request(patch_call(), {"extra_headers": extra})  # type: ignore[typeddict-item]
    assert str(info.value).startswith(message)
    assert info.value.field == "extra_headers"
    assert info.value.expected == "a mapping of header names to printable ASCII strings"
    assert httpx_mock.get_requests() == []


def test_bad_extra_query_says_what_is_wrong(httpx_mock: HTTPXMock) -> None:
    with client() as ls, pytest.raises(ValidationError) as info:
        ls.request(patch_call(), {"extra_query": ["a"]})  # type: ignore[typeddict-item]
    assert str(info.value) == "extra_query: expected a mapping of str to str, got list"
    assert (info.value.field, info.value.expected) == ("extra_query", "a mapping of str to str")
    with client() as ls, pytest.raises(ValidationError) as info:
        ls.request(patch_call(), {"extra_query": {"a": 1}})  # type: ignore[dict-item]
    assert str(info.value) == "extra_query['a']: expected a mapping of str to str, got int"


def test_an_empty_extra_header_value_is_allowed(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json={})
    with client() as ls:
        ls.request(patch_call(), {"extra_headers": {"X-Empty": ""}})
    assert httpx_mock.get_requests()[0].headers["X-Empty"] == ""


# -- redirects with a caller's client that follows them -----------------------------------------------


def _following_client(sent: list[str], cls: type[httpx.Client] | type[httpx.AsyncClient]) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        if request.url.host == "elsewhere.test":
            return httpx.Response(200, json=ORDER)
        return httpx.Response(302, headers={"Location": "https://elsewhere.test/x"})

    return cls(transport=httpx.MockTransport(handler), follow_redirects=True)  # type: ignore[return-value]


def test_a_following_client_of_the_caller_does_not_make_orderpatch_follow() -> None:
    sent: list[str] = []
    with client(http_client=_following_client(sent, httpx.Client)) as ls, pytest.raises(APIError) as info:
        ls.orders.update(7, OrderUpdate())
    assert info.value.status == 302
    assert sent == [URL]


async def test_a_following_async_client_of_the_caller_does_not_make_orderpatch_follow() -> None:
    sent: list[str] = []
    http = _following_client(sent, httpx.AsyncClient)
    async with AsyncLicenseSpringClient(api_key=KEY, http_client=http) as ls:  # type: ignore[arg-type]
        with pytest.raises(APIError) as info:
            await ls.orders.update(7, OrderUpdate())
    assert info.value.status == 302
    assert sent == [URL]


# -- the rate-limiter hook ------------------------------------------------------------------------------


class RecordingLimiter:
    """A ``RateLimiter`` that records what the pipeline asks and tells it."""

    def __init__(self) -> None:
        self.acquired: list[float | None] = []
        self.observed: list[tuple[int, int | None, float | None]] = []

    def acquire(self, cost: int = 1, *, timeout: float | None = None) -> None:
        self.acquired.append(timeout)

    async def aacquire(self, cost: int = 1, *, timeout: float | None = None) -> None:  # noqa: ASYNC109
        self.acquired.append(timeout)

    def observe(self, *, status: int, remaining: int | None, retry_after: float | None) -> None:
        self.observed.append((status, remaining, retry_after))


@pytest.mark.parametrize(("header", "remaining"), [(" 7 ", 7), ("0", 0), ("many", None), (None, None)])
def test_the_limiter_is_told_the_remaining_budget(
    httpx_mock: HTTPXMock, header: str | None, remaining: int | None
) -> None:
    limiter = RecordingLimiter()
    headers = {} if header is None else {"X-RateLimit-Remaining": header}
    httpx_mock.add_response(json=ORDER, headers={**headers, "Retry-After": "2"})
    with client(rate_limiter=limiter) as ls:
        ls.orders.update(7, OrderUpdate())
    assert limiter.observed == [(200, remaining, 2.0)]
    assert limiter.acquired == [None]  # no deadline: the limiter may wait as long as it needs


def test_the_limiter_may_wait_what_remains_of_the_deadline_and_never_less_than_nothing(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    monkeypatch.setattr(base_client, "_clock", clock)
    limiter = RecordingLimiter()

    def slow(request: httpx.Request) -> httpx.Response:
        clock.now += 1.5
        return httpx.Response(503, json={}, headers={"Retry-After": "0"})

    httpx_mock.add_callback(slow)
    httpx_mock.add_response(json=ORDER)
    with client(rate_limiter=limiter) as ls:
        ls.orders.update(7, OrderUpdate(), deadline=2.0)
    assert limiter.acquired == [2.0, 0.5]
    assert [status for status, _, _ in limiter.observed] == [503, 200]
    attempts = base_client._Attempts(ls, patch_call(), {"deadline": 1.0})
    clock.now += 5
    assert attempts.time_left() == 0.0


async def test_the_async_client_draws_from_the_limiter_before_each_attempt(
    httpx_mock: HTTPXMock, sleeps: SleepRecorder
) -> None:
    limiter = RecordingLimiter()
    httpx_mock.add_response(status_code=503, json={}, headers={"X-RateLimit-Remaining": "3"})
    httpx_mock.add_response(json=ORDER)
    async with AsyncLicenseSpringClient(api_key=KEY, rate_limiter=limiter) as ls:
        await ls.orders.update(7, OrderUpdate())
    assert limiter.acquired == [None, None]
    assert limiter.observed == [(503, 3, None), (200, None, None)]


# -- credentials: settings, the auth's secrets, and the redacted copies errors and metadata carry ---------


@pytest.mark.parametrize(
    ("value", "got"), [(None, "nothing"), ("", "nothing"), ("   ", "str"), (5, "int"), (Secret(" "), "Secret")]
)
def test_a_missing_credential_names_the_setting_and_what_came(value: object, got: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        secret_setting(value, name="api_key", what="a LicenseSpring API key")
    assert str(info.value) == f"api_key: missing credential; expected a LicenseSpring API key, got {got}"
    assert info.value.key == "api_key"


@pytest.mark.parametrize("value", ["kéy", Secret("a\nb")])
def test_a_credential_that_cannot_be_a_header_names_the_setting(value: object) -> None:
    with pytest.raises(ConfigurationError) as info:
        secret_setting(value, name="client_secret", what="the client secret")
    assert str(info.value) == (
        "client_secret: expected the client secret of printable ASCII characters (it is sent in an HTTP header)")
    assert info.value.key == "client_secret"


def test_a_credential_is_stripped_and_a_clean_secret_kept_as_is() -> None:
    clean = Secret("abc123")
    assert secret_setting(clean, name="k", what="w") is clean
    assert secret_setting(Secret(" abc123 "), name="k", what="w") == clean
    assert secret_setting(" abc123\n", name="k", what="w") == clean
    assert isinstance(secret_setting("abc123", name="k", what="w"), Secret)


def test_an_auth_without_secrets_scrubs_nothing_and_works(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=500, json={"detail": "down"})
    ls = client()
    ls._auth = httpx.BasicAuth("user", "pass")
    with ls, pytest.raises(ServerError):
        ls.request(patch_call())
    assert ls._auth_secrets() == ()


def _body_call() -> Call[JSONValue]:
    request = httpx.Request("PATCH", URL, content=b'{"note": "' + KEY.encode() + b'"}',
                            headers={"Content-Type": "application/json"})
    return Call(request=request, parse=lambda payload: payload, idempotent=True)


def test_a_transport_error_carries_the_request_redacted(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_exception(httpx.LocalProtocolError("bad"))
    with client() as ls, pytest.raises(ConnectionFailed) as info:
        ls.request(_body_call())
    request = info.value.request
    assert request is not None
    assert request.headers["Authorization"] == "***"
    assert request.content == b'{"note": "***"}'
    assert str(request.url) == URL


def test_a_too_large_answer_after_a_retry_carries_its_retries_and_the_request_redacted(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch, sleeps: SleepRecorder
) -> None:
    monkeypatch.setattr(base_client, "MAX_RESPONSE_BYTES", 64)
    httpx_mock.add_response(status_code=503, json={})
    httpx_mock.add_callback(lambda request: _big(65, announce=True))
    with client() as ls, pytest.raises(DecodeError) as info:
        ls.request(_body_call())
    assert info.value.retries_taken == 1
    assert info.value.request is not None
    assert info.value.request.content == b'{"note": "***"}'


def test_the_raw_response_carries_the_body_and_the_request_redacted(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json={"ok": True})
    with client() as ls:
        raw = raw_response_wrapper(ls.request)(_body_call())
    meta = raw.meta
    assert meta.content == b'{"ok":true}'
    assert meta.http_response.content == b'{"ok":true}'
    assert meta.http_response.json() == {"ok": True}
    sent = meta.http_response.request
    assert sent.headers["Authorization"] == "***"
    assert sent.content == b'{"note": "***"}'


def test_a_token_endpoint_retry_under_a_deadline_is_said(
    caplog: pytest.LogCaptureFixture, sleeps: SleepRecorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_auth import SPEC, TOKEN_URL, Server, make_auth

    server = Server()
    busy = [httpx.Response(429, json={"error": "slow"}, headers={"Retry-After": "0.25"})]

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            return busy.pop() if busy else server.handler(request)
        return server.handler(request)

    caplog.set_level(logging.INFO, logger="orderpatch")
    with base_client.SyncAPIClient(vendor=SPEC, base_url="https://api.acme.test", auth=make_auth(),
                                   timeout=base_client.DEFAULT_TIMEOUT, max_retries=2, deadline=30.0,
                                   default_headers=None,
                                   http_client=httpx.Client(transport=httpx.MockTransport(handler))) as api:
        api.request(Call(request=httpx.Request("PATCH", "https://api.acme.test/orders/1", content=b"{}"),
                         parse=lambda payload: payload, idempotent=True))
    assert sleeps.delays == [0.25]
    lines = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert lines == ["PATCH https://api.acme.test/orders/1 -> token endpoint 429; retry 1 of 2 in 0.25 s"]


async def test_the_async_client_refuses_a_body_announced_as_too_large_before_reading_it(
    httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base_client, "MAX_RESPONSE_BYTES", 64)
    read: list[bytes] = []

    class Small(httpx.AsyncByteStream):
        async def __aiter__(self):  # type: ignore[no-untyped-def]
            read.append(b"{}")
            yield b"{}"

    def answer(request: httpx.Request) -> httpx.Response:
        response = httpx.Response(200, stream=Small())
        response.headers["Content-Length"] = "65"
        return response

    httpx_mock.add_callback(answer)
    async with AsyncLicenseSpringClient(api_key=KEY) as ls:
        with pytest.raises(DecodeError, match="body larger than 64 bytes"):
            await ls.orders.update(7, OrderUpdate())
    assert read == []
