"""``orderpatch._response``: rate-limit headers, ``APIResponse`` and the raw-response wrappers."""

from __future__ import annotations

import httpx
import pytest

from orderpatch._response import (
    APIResponse,
    RateLimitInfo,
    ResponseMeta,
    async_raw_response_wrapper,
    raw_response_wrapper,
    report_meta,
)


def meta(status: int = 200, headers: dict[str, str] | None = None) -> ResponseMeta:
    return ResponseMeta(
        status_code=status,
        headers=httpx.Headers(headers or {}),
        request_id="r-1",
        retries_taken=2,
        elapsed=0.25,
        idempotency_key="k-1",
        http_response=httpx.Response(status),
    )


def test_each_rate_limit_header_is_read_into_its_field() -> None:
    headers = httpx.Headers({"X-Ratelimit-Limit": "100", "X-Ratelimit-Remaining": "7",
                             "X-Ratelimit-Interval": "60", "X-Ratelimit-Reset": "30"})
    assert RateLimitInfo.from_headers(headers) == RateLimitInfo(limit=100, remaining=7, interval=60, reset=30)


@pytest.mark.parametrize(
    ("name", "field"),
    [("x-ratelimit-limit", "limit"), ("x-ratelimit-remaining", "remaining"),
     ("x-ratelimit-interval", "interval"), ("x-ratelimit-reset", "reset")],
)
def test_one_rate_limit_header_alone_is_enough(name: str, field: str) -> None:
    info = RateLimitInfo.from_headers(httpx.Headers({name: "5"}))
    assert info is not None
    expected = {"limit": None, "remaining": None, "interval": None, "reset": None, field: 5}
    assert info == RateLimitInfo(**expected)


def test_no_rate_limit_headers_is_none() -> None:
    assert RateLimitInfo.from_headers(httpx.Headers({"content-type": "application/json"})) is None


def test_a_header_that_is_not_an_integer_is_ignored() -> None:
    headers = httpx.Headers({"x-ratelimit-limit": "lots", "x-ratelimit-remaining": "3"})
    assert RateLimitInfo.from_headers(headers) == RateLimitInfo(limit=None, remaining=3, interval=None, reset=None)
    assert RateLimitInfo.from_headers(httpx.Headers({"x-ratelimit-limit": "1.5"})) is None


def test_response_meta_parses_its_rate_limit() -> None:
    assert meta(headers={"x-ratelimit-remaining": "0"}).rate_limit == RateLimitInfo(
        limit=None, remaining=0, interval=None, reset=None)
    assert meta().rate_limit is None


def test_api_response_exposes_the_meta_and_the_result() -> None:
    m = meta(201, {"x-request-id": "r-1"})
    response = APIResponse(meta=m, parsed={"id": 7})
    assert response.parse() == {"id": 7}
    assert response.status_code == 201
    assert response.headers is m.headers
    assert response.request_id == "r-1"
    assert response.retries_taken == 2
    assert response.elapsed == 0.25
    assert "parsed" not in repr(response)
    assert "http_response" not in repr(m)


def listening() -> bool:
    """Whether a raw-response wrapper is still listening (it would build the meta)."""
    built: list[int] = []

    def factory() -> ResponseMeta:
        built.append(1)
        return meta()

    report_meta(factory)
    return built != []


def test_report_meta_builds_nothing_without_a_listener() -> None:
    built: list[int] = []

    def factory() -> ResponseMeta:
        built.append(1)
        return meta()

    report_meta(factory)
    assert built == []


def test_the_sync_wrapper_returns_the_last_reported_meta_and_stops_listening() -> None:
    first, last = meta(200), meta(201)

    def operation(x: int, *, y: int) -> int:
        report_meta(lambda: first)
        report_meta(lambda: last)
        return x + y

    wrapped = raw_response_wrapper(operation)
    assert wrapped.__name__ == "operation"
    response = wrapped(1, y=2)
    assert response.parse() == 3
    assert response.meta is last
    assert not listening()


def test_the_sync_wrapper_stops_listening_when_the_operation_raises() -> None:
    def operation() -> int:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        raw_response_wrapper(operation)()
    assert not listening()


async def test_the_async_wrapper_returns_the_last_reported_meta_and_stops_listening() -> None:
    first, last = meta(200), meta(202)

    async def operation(x: int) -> int:
        report_meta(lambda: first)
        report_meta(lambda: last)
        return x * 2

    wrapped = async_raw_response_wrapper(operation)
    assert wrapped.__name__ == "operation"
    response = await wrapped(4)
    assert response.parse() == 8
    assert response.meta is last
    assert not listening()


async def test_the_async_wrapper_stops_listening_when_the_operation_raises() -> None:
    async def operation() -> int:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await async_raw_response_wrapper(operation)()
    assert not listening()


def test_api_response_reads_the_body_as_bytes_text_and_json() -> None:
    body = '{"name": "café", "n": [1, 2]}'.encode()
    http = httpx.Response(200, content=body, headers={"Content-Type": "application/json; charset=utf-8"})
    m = ResponseMeta(status_code=200, headers=http.headers, request_id=None, retries_taken=0, elapsed=0.0,
                     idempotency_key=None, http_response=http, content=body)
    response = APIResponse(meta=m, parsed=None)
    assert response.content == body
    assert response.text == '{"name": "café", "n": [1, 2]}'
    assert response.json() == {"name": "café", "n": [1, 2]}
    assert response.http_response is http
    with pytest.raises(ValueError):
        APIResponse(meta=meta(), parsed=None).json()
