"""The clients end to end over mocked HTTP, each behaviour on the sync and the async client."""

from __future__ import annotations

import json

import httpx
import pytest
from pytest_httpx import HTTPXMock

from orderpatch import (
    AuthenticationError,
    ConfigurationError,
    DecodeError,
    ErrorDetail,
    NotFound,
    PermissionDenied,
    RateLimited,
    Secret,
    ServerError,
    Timeout,
    UnprocessableEntity,
    ValidationError,
)
from orderpatch.commercelayer import CommerceLayerClient, MarketRef, Order, OrderStatus, OrderUpdate, PaymentStatus
from tests.conftest import SleepRecorder

from .conftest import BASE, JSONAPI, ORDER_ID, ORDER_URL, TOKEN_URL, Api, add_token, body_of, errors_body, order_body

INVALID_TOKEN = errors_body({"title": "Invalid token", "detail": "The access token you provided is invalid.",
                             "code": "INVALID_TOKEN", "status": "401"})


# -- the update request ------------------------------------------------------------------------

async def test_update_sends_the_json_api_patch_and_parses_the_order(api: Api, httpx_mock: HTTPXMock) -> None:
    add_token(httpx_mock)
    httpx_mock.add_response(method="PATCH", url=f"{ORDER_URL}?include=market&fields%5Borders%5D=status%2Cnumber",
                            json=order_body(status="placed", payment_status="authorized", number="1234"),
                            headers={"content-type": JSONAPI})
    client = api.client()
    order = await api.call(client, "update", ORDER_ID,
                           OrderUpdate(place=True, coupon_code=None, market=MarketRef(id="mkT01")),
                           include=["market"], fields={"orders": ["status", "number"]})
    assert (order.id, order.status, order.payment_status, order.number) == (
        ORDER_ID, OrderStatus.PLACED, PaymentStatus.AUTHORIZED, "1234")
    patch = httpx_mock.get_requests(method="PATCH")[0]
    assert patch.headers["accept"] == JSONAPI
    assert patch.headers["content-type"] == JSONAPI
    assert patch.headers["authorization"] == "Bearer tok-1"
    assert patch.headers["user-agent"].startswith("orderpatch/")
    assert body_of(patch) == {"data": {
        "type": "orders", "id": ORDER_ID, "attributes": {"coupon_code": None, "_place": True},
        "relationships": {"market": {"data": {"type": "markets", "id": "mkT01"}}},
    }}


async def test_token_request_is_a_json_client_credentials_grant(api: Api, httpx_mock: HTTPXMock) -> None:
    add_token(httpx_mock)
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, json=order_body())
    client = api.client(organization="acme", client_id="cid", client_secret="csecret", scope="market:id:xyz")
    await api.call(client, "update", ORDER_ID, OrderUpdate())
    token = httpx_mock.get_requests(url=TOKEN_URL)[0]
    assert token.method == "POST"
    assert token.headers["content-type"] == "application/json"
    assert token.headers["accept"] == "application/json"
    assert body_of(token) == {"grant_type": "client_credentials", "client_id": "cid", "client_secret": "csecret",
                              "scope": "market:id:xyz"}


async def test_sales_channel_credentials_send_no_secret(api: Api, httpx_mock: HTTPXMock) -> None:
    add_token(httpx_mock)
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, json=order_body())
    client = api.client(organization="acme", client_id="sales-channel-id", scope="market:code:europe")
    await api.call(client, "update", ORDER_ID, OrderUpdate(customer_email="a@b.co"))
    assert body_of(httpx_mock.get_requests(url=TOKEN_URL)[0]) == {
        "grant_type": "client_credentials", "client_id": "sales-channel-id", "scope": "market:code:europe"}


async def test_token_is_cached_and_shared_with_copies(api: Api, httpx_mock: HTTPXMock) -> None:
    add_token(httpx_mock)
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, json=order_body(), is_reusable=True)
    client = api.client()
    await api.call(client, "update", ORDER_ID, OrderUpdate())
    await api.call(client, "place", ORDER_ID)
    await api.call(client.with_options(timeout=5.0), "refresh", ORDER_ID)
    assert len(httpx_mock.get_requests(url=TOKEN_URL)) == 1
    assert [r.headers["authorization"] for r in httpx_mock.get_requests(method="PATCH")] == ["Bearer tok-1"] * 3


async def test_a_fixed_access_token_is_sent_as_is(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, json=order_body())
    client = api.client(organization="acme", access_token="given-token")
    await api.call(client, "update", ORDER_ID, OrderUpdate())
    assert httpx_mock.get_requests()[0].headers["authorization"] == "Bearer given-token"
    assert "given-token" not in repr(client)


async def test_sandbox_layout_base_url_with_sub_path_and_custom_auth_url(api: Api, httpx_mock: HTTPXMock) -> None:
    sandbox = "http://127.0.0.1:8765/commercelayer"
    add_token(httpx_mock, url=f"{sandbox}/oauth/token")
    httpx_mock.add_response(method="PATCH", url=f"{sandbox}/api/orders/{ORDER_ID}", json=order_body())
    client = api.client(base_url=sandbox, auth_url=f"{sandbox}/oauth/token", client_id="cid", client_secret="cs")
    assert (await api.call(client, "update", ORDER_ID, OrderUpdate())).id == ORDER_ID


async def test_base_url_ending_in_api_is_not_doubled(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, json=order_body())
    client = api.client(base_url=f"{BASE}/api/", access_token="t")
    assert str(client.base_url) == f"{BASE}/"
    await api.call(client, "update", ORDER_ID, OrderUpdate())


@pytest.mark.parametrize(("operation", "wire"), [
    ("place", "_place"), ("approve", "_approve"), ("cancel", "_cancel"), ("capture", "_capture"),
    ("refund", "_refund"), ("archive", "_archive"), ("unarchive", "_unarchive"), ("refresh", "_refresh"),
])
async def test_trigger_shortcuts(api: Api, httpx_mock: HTTPXMock, operation: str, wire: str) -> None:
    httpx_mock.add_response(method="PATCH", url=f"{ORDER_URL}?include=market", json=order_body())
    client = api.client(organization="acme", access_token="t")
    order = await api.call(client, operation, ORDER_ID, include="market")
    assert order.id == ORDER_ID
    assert body_of(httpx_mock.get_requests()[0]) == {"data": {"type": "orders", "id": ORDER_ID,
                                                              "attributes": {wire: True}}}


def test_shortcuts_are_documented_on_both_resources() -> None:
    from orderpatch.commercelayer import AsyncOrders, Orders

    for name in ("place", "approve", "cancel", "capture", "refund", "archive", "unarchive", "refresh"):
        assert f"``_{name}``" in (getattr(Orders, name).__doc__ or "")
        assert getattr(AsyncOrders, name) is getattr(Orders, name)
    with CommerceLayerClient(organization="acme", access_token="t") as client:
        assert client.orders.capture.__name__ == "capture"
        assert "Never retried" in (client.orders.capture.__doc__ or "")


async def test_bad_input_sends_nothing(api: Api, httpx_mock: HTTPXMock) -> None:
    client = api.client(organization="acme", access_token="t")
    with pytest.raises(ValidationError, match="order_id"):
        await api.call(client, "update", "../admin", OrderUpdate())
    with pytest.raises(ValidationError, match="include"):
        await api.call(client, "place", ORDER_ID, include=["market, customer"])
    assert httpx_mock.get_requests() == []


# -- tokens and errors -------------------------------------------------------------------------

async def test_invalid_token_refreshes_once_and_replays(api: Api, httpx_mock: HTTPXMock) -> None:
    sent: list[tuple[str, object]] = []  # the replay reuses the request object: record each send as it happens
    answers = iter([httpx.Response(401, json=INVALID_TOKEN), httpx.Response(200, json=order_body(status="placed"))])

    def patch(request: httpx.Request) -> httpx.Response:
        sent.append((request.headers["authorization"], body_of(request)))
        return next(answers)

    add_token(httpx_mock, "tok-1")
    add_token(httpx_mock, "tok-2")
    httpx_mock.add_callback(patch, method="PATCH", url=ORDER_URL, is_reusable=True)
    order = await api.call(api.client(), "place", ORDER_ID)
    assert order.status is OrderStatus.PLACED
    # the first token, then exactly one more for the refresh
    assert len(httpx_mock.get_requests(url=TOKEN_URL)) == 2
    place = {"data": {"type": "orders", "id": ORDER_ID, "attributes": {"_place": True}}}
    assert sent == [("Bearer tok-1", place), ("Bearer tok-2", place)]


async def test_invalid_token_again_after_the_refresh_is_raised_without_looping(
        api: Api, httpx_mock: HTTPXMock) -> None:
    add_token(httpx_mock, "tok-1")
    add_token(httpx_mock, "tok-2")
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, status_code=401, json=INVALID_TOKEN, is_reusable=True)
    client = api.client()
    with pytest.raises(AuthenticationError) as info:
        await api.call(client, "update", ORDER_ID, OrderUpdate())
    assert info.value.code == "INVALID_TOKEN"
    assert len(httpx_mock.get_requests(url=TOKEN_URL)) == 2
    assert len(httpx_mock.get_requests(method="PATCH")) == 2


async def test_unauthorized_is_permission_denied_without_refresh(api: Api, httpx_mock: HTTPXMock) -> None:
    add_token(httpx_mock)
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, status_code=401, json=errors_body(
        {"title": "Access denied", "detail": "You are not authorized to perform this action on the requested resource.",
         "code": "UNAUTHORIZED", "status": "401"}), headers={"x-request-id": "req-9"})
    client = api.client()
    with pytest.raises(PermissionDenied) as info:
        await api.call(client, "capture", ORDER_ID)
    error = info.value
    assert (error.status, error.code, error.vendor, error.request_id) == (401, "UNAUTHORIZED", "commercelayer", "req-9")
    assert error.message == "You are not authorized to perform this action on the requested resource."
    assert len(httpx_mock.get_requests(url=TOKEN_URL)) == 1
    assert len(httpx_mock.get_requests(method="PATCH")) == 1


async def test_static_token_invalid_is_an_authentication_error(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, status_code=401, json=INVALID_TOKEN)
    with pytest.raises(AuthenticationError, match="INVALID_TOKEN"):
        await api.call(api.client(organization="acme", access_token="old"), "update", ORDER_ID, OrderUpdate())


async def test_token_endpoint_error_stops_before_the_patch(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="POST", url=TOKEN_URL, status_code=401, json=errors_body(
        {"title": "invalid_client", "detail": "Client authentication failed.", "code": "UNAUTHORIZED", "status": "401",
         "meta": {}}))
    with pytest.raises(AuthenticationError, match="Client authentication failed") as info:
        await api.call(api.client(organization="acme", client_id="cid", client_secret="wrong-secret"), "place",
                       ORDER_ID)
    # Refused credentials at the token endpoint are an authentication problem, whatever the code.
    assert type(info.value) is AuthenticationError
    assert "wrong-secret" not in str(info.value) + repr(info.value) + (info.value.body or "")
    assert httpx_mock.get_requests(method="PATCH") == []


async def test_not_found(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, status_code=404, json=errors_body(
        {"title": "Record not found", "detail": "The requested resource was not found", "code": "RECORD_NOT_FOUND",
         "status": "404"}))
    with pytest.raises(NotFound) as info:
        await api.call(api.client(organization="acme", access_token="t"), "update", ORDER_ID, OrderUpdate())
    assert (info.value.status, info.value.code) == (404, "RECORD_NOT_FOUND")
    assert info.value.errors == (ErrorDetail(code="RECORD_NOT_FOUND", title="Record not found",
                                             detail="The requested resource was not found", status="404"),)


async def test_unprocessable_keeps_every_error(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, status_code=422, json=errors_body(
        {"title": "must be less than or equal to 10", "detail": "quantity - must be less than or equal to 10",
         "code": "VALIDATION_ERROR", "source": {"pointer": "/data/attributes/quantity"}, "status": "422",
         "meta": {"error": "less_than_or_equal_to", "value": 100, "count": 10}},
        {"title": "is invalid", "detail": "customer_email - is invalid", "code": "VALIDATION_ERROR",
         "source": {"pointer": "/data/attributes/customer_email"}, "status": "422"},
        {"title": "cannot transition from draft to placed", "code": "VALIDATION_ERROR",
         "source": {"pointer": "/data/relationships/market"}, "status": 422},
    ))
    with pytest.raises(UnprocessableEntity) as info:
        await api.call(api.client(organization="acme", access_token="t"), "update", ORDER_ID,
                       OrderUpdate(customer_email="nope"))
    error = info.value
    assert error.status == 422
    assert error.code == "VALIDATION_ERROR"
    assert error.message == "quantity - must be less than or equal to 10 (and 2 more errors)"
    assert error.errors == (
        ErrorDetail(code="VALIDATION_ERROR", title="must be less than or equal to 10",
                    detail="quantity - must be less than or equal to 10", field="quantity",
                    pointer="/data/attributes/quantity", status="422",
                    meta={"error": "less_than_or_equal_to", "value": 100, "count": 10}),
        ErrorDetail(code="VALIDATION_ERROR", title="is invalid", detail="customer_email - is invalid",
                    field="customer_email", pointer="/data/attributes/customer_email", status="422"),
        ErrorDetail(code="VALIDATION_ERROR", title="cannot transition from draft to placed", field="market",
                    pointer="/data/relationships/market", status="422"),
    )
    assert len(httpx_mock.get_requests()) == 1


async def test_server_error_is_not_retried(api: Api, httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, status_code=500, json=errors_body(
        {"title": "Internal server error", "detail": "Something went wrong", "code": "INTERNAL_SERVER_ERROR",
         "status": "500"}))
    with pytest.raises(ServerError, match="Something went wrong") as info:
        await api.call(api.client(organization="acme", access_token="t"), "update", ORDER_ID, OrderUpdate())
    assert info.value.code == "INTERNAL_SERVER_ERROR"
    assert sleeps.delays == []


async def test_html_error_page_and_non_json_success(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, status_code=404, text="<html>Not Found</html>",
                            headers={"content-type": "text/html"})
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, status_code=200, text="<html>ok</html>",
                            headers={"content-type": "text/html"})
    client = api.client(organization="acme", access_token="t")
    with pytest.raises(NotFound, match="Not Found"):
        await api.call(client, "update", ORDER_ID, OrderUpdate())
    with pytest.raises(DecodeError):
        await api.call(client, "update", ORDER_ID, OrderUpdate())


async def test_wrong_shape_success_is_a_decode_error(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, json={"data": {"id": "x", "type": "customers"}})
    with pytest.raises(DecodeError, match="expected a resource of type 'orders'"):
        await api.call(api.client(organization="acme", access_token="t"), "update", ORDER_ID, OrderUpdate())


# -- rate limits and retries -------------------------------------------------------------------

RATE_HEADERS = {"x-ratelimit-limit": "100", "x-ratelimit-interval": "60", "x-ratelimit-remaining": "0"}


async def test_429_waits_interval_over_limit_without_retry_after(
        api: Api, httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, status_code=429,
                            headers={**RATE_HEADERS, "x-ratelimit-remaining": "5"}, json=errors_body(
        {"title": "Too many requests", "code": "TOO_MANY_REQUESTS", "status": "429"}))
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, json=order_body(),
                            headers={"x-ratelimit-limit": "100", "x-ratelimit-interval": "60",
                                     "x-ratelimit-remaining": "99"})
    response = await api.raw(api.client(organization="acme", access_token="t"), "update", ORDER_ID, OrderUpdate())
    assert sleeps.delays == [pytest.approx(0.6)]  # 60 s / 100 requests; above the first backoff's 0.5 s ceiling
    assert response.retries_taken == 1
    assert response.meta.rate_limit is not None
    assert (response.meta.rate_limit.limit, response.meta.rate_limit.interval, response.meta.rate_limit.remaining) == (
        100, 60, 99)
    assert response.parse().id == ORDER_ID


async def test_429_with_nothing_remaining_waits_the_whole_interval(
        api: Api, httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, status_code=429,
                            headers={**RATE_HEADERS, "x-ratelimit-interval": "10"}, json=errors_body(
        {"title": "Too many requests", "code": "TOO_MANY_REQUESTS", "status": "429"}))
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, json=order_body())
    await api.call(api.client(organization="acme", access_token="t"), "update", ORDER_ID, OrderUpdate())
    assert sleeps.delays == [10.0]


async def test_429_estimate_is_a_floor_under_the_growing_backoff(
        api: Api, httpx_mock: HTTPXMock, sleeps: SleepRecorder, monkeypatch: pytest.MonkeyPatch) -> None:
    ceiling = lambda retries: min(8.0, 0.5 * 2.0**retries)
    monkeypatch.setattr("orderpatch._base_client.backoff_delay", ceiling)
    headers = {"x-ratelimit-limit": "600", "x-ratelimit-interval": "60", "x-ratelimit-remaining": "3"}  # 0.1 s
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, status_code=429, headers=headers, is_reusable=True,
                            json=errors_body({"title": "Too many requests", "code": "TOO_MANY_REQUESTS"}))
    with pytest.raises(RateLimited):
        await api.call(api.client(organization="acme", access_token="t", max_retries=3), "update", ORDER_ID,
                       OrderUpdate())
    assert sleeps.delays == [0.5, 1.0, 2.0]


async def test_429_on_a_capture_is_raised_at_once_with_the_wait(
        api: Api, httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, status_code=429,
                            headers={**RATE_HEADERS, "x-ratelimit-remaining": "5"}, json=errors_body(
        {"title": "Too many requests", "code": "TOO_MANY_REQUESTS", "status": "429"}))
    with pytest.raises(RateLimited) as info:
        await api.call(api.client(organization="acme", access_token="t"), "capture", ORDER_ID)
    assert len(httpx_mock.get_requests()) == 1  # never sent twice
    assert sleeps.delays == []
    assert info.value.retry_after == pytest.approx(0.6)
    assert info.value.retries_taken == 0


@pytest.mark.parametrize("status", [502, 503, 504])
async def test_a_capture_answered_5xx_is_not_repeated(
        api: Api, httpx_mock: HTTPXMock, sleeps: SleepRecorder, status: int) -> None:
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, status_code=status, text="upstream trouble")
    with pytest.raises(ServerError):
        await api.call(api.client(organization="acme", access_token="t"), "capture", ORDER_ID)
    assert len(httpx_mock.get_requests()) == 1
    assert sleeps.delays == []


async def test_429_honours_retry_after_and_gives_up_as_rate_limited(
        api: Api, httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, status_code=429,
                            headers={**RATE_HEADERS, "retry-after": "3"}, json=errors_body(
                                {"title": "Too many requests", "code": "TOO_MANY_REQUESTS", "status": "429"}),
                            is_reusable=True)
    with pytest.raises(RateLimited) as info:
        await api.call(api.client(organization="acme", access_token="t", max_retries=2), "update", ORDER_ID,
                       OrderUpdate())
    assert sleeps.delays == [3.0, 3.0]
    assert (info.value.retry_after, info.value.retries_taken, info.value.code) == (3.0, 2, "TOO_MANY_REQUESTS")
    assert len(httpx_mock.get_requests()) == 3


async def test_429_without_any_hint_uses_the_core_backoff(
        api: Api, httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, status_code=429, text="slow down")
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, json=order_body())
    await api.call(api.client(organization="acme", access_token="t"), "update", ORDER_ID, OrderUpdate())
    assert len(sleeps.delays) == 1
    assert 0.0 <= sleeps.delays[0] <= 0.5


async def test_rate_limit_headers_on_the_raw_response(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, json=order_body(),
                            headers={"X-Ratelimit-Limit": "50", "X-Ratelimit-Interval": "10",
                                     "X-Ratelimit-Remaining": "42", "x-request-id": "r-1"})
    response = await api.raw(api.client(organization="acme", access_token="t"), "update", ORDER_ID, OrderUpdate())
    assert response.status_code == 200
    assert response.request_id == "r-1"
    assert response.meta.rate_limit is not None
    assert (response.meta.rate_limit.limit, response.meta.rate_limit.interval,
            response.meta.rate_limit.remaining) == (50, 10, 42)


@pytest.mark.parametrize("operation", ["capture", "refund", "approve", "cancel"])
async def test_non_idempotent_trigger_is_not_retried_after_a_read_timeout(
        api: Api, httpx_mock: HTTPXMock, sleeps: SleepRecorder, operation: str) -> None:
    httpx_mock.add_exception(httpx.ReadTimeout("read timed out"), method="PATCH", url=ORDER_URL)
    with pytest.raises(Timeout):
        await api.call(api.client(organization="acme", access_token="t"), operation, ORDER_ID)
    assert len(httpx_mock.get_requests()) == 1
    assert sleeps.delays == []


async def test_non_idempotent_update_is_not_retried_after_a_502(
        api: Api, httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, status_code=502, text="Bad Gateway")
    with pytest.raises(ServerError):
        await api.call(api.client(organization="acme", access_token="t"), "update", ORDER_ID,
                       OrderUpdate(approve_and_capture=True, reference="r1"))
    assert len(httpx_mock.get_requests()) == 1


@pytest.mark.parametrize("changes", [OrderUpdate(place=True), OrderUpdate(authorize=True),
                                     OrderUpdate(customer_email="a@b.co", market=MarketRef(id="m1"))])
async def test_idempotent_updates_are_retried_after_a_read_timeout_or_502(
        api: Api, httpx_mock: HTTPXMock, sleeps: SleepRecorder, changes: OrderUpdate) -> None:
    httpx_mock.add_exception(httpx.ReadTimeout("read timed out"), method="PATCH", url=ORDER_URL)
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, status_code=502, text="Bad Gateway")
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, json=order_body())
    order = await api.call(api.client(organization="acme", access_token="t"), "update", ORDER_ID, changes)
    assert order.id == ORDER_ID
    assert len(sleeps.delays) == 2
    requests = httpx_mock.get_requests()
    assert len(requests) == 3
    assert len({r.content for r in requests}) == 1


async def test_connect_errors_are_retried_even_for_capture(
        api: Api, httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_exception(httpx.ConnectError("refused"), method="PATCH", url=ORDER_URL)
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, json=order_body())
    assert (await api.call(api.client(organization="acme", access_token="t"), "capture", ORDER_ID)).id == ORDER_ID
    assert len(sleeps.delays) == 1


async def test_token_endpoint_429_is_retried(api: Api, httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(method="POST", url=TOKEN_URL, status_code=429, headers={"retry-after": "2"},
                            json=errors_body({"title": "Too many requests", "code": "TOO_MANY_REQUESTS",
                                              "status": "429"}))
    add_token(httpx_mock)
    httpx_mock.add_response(method="PATCH", url=ORDER_URL, json=order_body())
    assert (await api.call(api.client(), "place", ORDER_ID)).id == ORDER_ID
    assert sleeps.delays == [2.0]


# -- configuration ---------------------------------------------------------------------------

@pytest.mark.parametrize(("settings", "key"), [
    ({"client_id": "c", "client_secret": "s"}, "base_url"),
    ({"organization": "acme", "base_url": BASE, "access_token": "t"}, "organization"),
    ({"organization": "acme.evil.com", "access_token": "t"}, "organization"),
    ({"organization": "", "access_token": "t"}, "organization"),
    ({"organization": "a/b", "access_token": "t"}, "organization"),
    ({"base_url": "ftp://x", "access_token": "t"}, "base_url"),
    ({"base_url": "https://x.io?a=1", "access_token": "t"}, "base_url"),
    ({"organization": "acme"}, "client_id"),
    ({"organization": "acme", "client_id": "  "}, "client_id"),
    ({"organization": "acme", "access_token": "t", "client_id": "c"}, "access_token"),
    ({"organization": "acme", "access_token": "t", "scope": "market:id:x"}, "access_token"),
    ({"organization": "acme", "access_token": ""}, "access_token"),
    ({"organization": "acme", "client_id": "c", "client_secret": ""}, "client_secret"),
    ({"organization": "acme", "client_id": "c", "scope": " "}, "scope"),
    ({"organization": "acme", "client_id": "c", "auth_url": "not a url"}, "auth_url"),
])
def test_configuration_errors_name_the_setting(settings: dict[str, object], key: str) -> None:
    harness = Api("sync")
    with pytest.raises(ConfigurationError) as info:
        harness.client(**settings)
    assert info.value.key == key


async def test_organization_builds_the_host_and_secrets_stay_hidden(api: Api) -> None:
    client = api.client(organization="Acme-Shop", client_id="cid", client_secret=Secret("top-secret-value"))
    assert str(client.base_url) == "https://acme-shop.commercelayer.io/"
    assert "top-secret-value" not in repr(client)
    assert "auth.commercelayer.io/oauth/token" in repr(client)


async def test_context_managers_close_their_pool(httpx_mock: HTTPXMock) -> None:
    from orderpatch.commercelayer import AsyncCommerceLayerClient

    httpx_mock.add_response(method="PATCH", url=ORDER_URL, json=order_body())
    httpx_mock.add_response(method="PATCH", url=f"{ORDER_URL}?include=market", json=order_body())
    with CommerceLayerClient(organization="acme", access_token="t") as client:
        placed: Order = client.orders.place(ORDER_ID)
        assert placed.id == ORDER_ID
    assert client._http.is_closed
    async with AsyncCommerceLayerClient(organization="acme", access_token="t") as aclient:
        aplaced: Order = await aclient.orders.place(ORDER_ID, include=["market"], timeout=3.0)
        assert aplaced.id == ORDER_ID
    assert aclient._http.is_closed
    assert json.loads(httpx_mock.get_requests()[1].content)["data"]["attributes"] == {"_place": True}
    assert httpx_mock.get_requests()[1].url.params["include"] == "market"
