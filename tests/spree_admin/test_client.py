"""Both clients over pytest-httpx: request shape, one Idempotency-Key per call, retries by policy, typed errors."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from pytest_httpx import HTTPXMock

from orderpatch import (
    AuthenticationError,
    ConfigurationError,
    Conflict,
    ConnectionFailed,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServerError,
    Timeout,
    UnprocessableEntity,
    ValidationError,
)
from orderpatch.spree_admin import (
    IdempotencyKeyReused,
    ItemUpsert,
    LineItem,
    OrderNotCanceled,
    OrderStatus,
    OrderUpdate,
    RequestTooLarge,
)
from tests.conftest import SleepRecorder

from .conftest import API, KEY, ORDER, ORDER_ID, ORDER_URL, Client, MakeClient, resolve


def envelope(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return {"error": error}


async def test_update_sends_a_flat_json_patch_with_key_and_idempotency_key(httpx_mock: HTTPXMock,
                                                                           client: Client) -> None:
    httpx_mock.add_response(url=f"{ORDER_URL}?expand=items", method="PATCH", json={**ORDER, "email": "b@x.io"})
    order = await resolve(client.orders.update(ORDER_ID, OrderUpdate(email="b@x.io", customer_note=None),
                                               expand=["items"]))
    assert order.email == "b@x.io"
    assert order.id == ORDER_ID
    request = httpx_mock.get_requests()[0]
    assert json.loads(request.content) == {"email": "b@x.io", "customer_note": None}
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-Spree-Api-Key"] == KEY
    assert "Authorization" not in request.headers
    assert request.headers["Idempotency-Key"].startswith("orderpatch-")


async def test_each_call_gets_its_own_key(httpx_mock: HTTPXMock, client: Client) -> None:
    httpx_mock.add_response(url=ORDER_URL, method="PATCH", json=ORDER, is_reusable=True)
    for _ in range(2):
        await resolve(client.orders.update(ORDER_ID, OrderUpdate(email="b@x.io")))
    first, second = httpx_mock.get_requests()
    assert first.headers["Idempotency-Key"] != second.headers["Idempotency-Key"]


@pytest.mark.parametrize("failure", [500, 502, 503, 409, "timeout", "reset"])
async def test_retries_resend_the_same_key_and_bytes(httpx_mock: HTTPXMock, client: Client, sleeps: SleepRecorder,
                                                     failure: int | str) -> None:
    if failure == "timeout":
        httpx_mock.add_exception(httpx.ReadTimeout("slow"), url=ORDER_URL)
    elif failure == "reset":
        httpx_mock.add_exception(httpx.RemoteProtocolError("reset"), url=ORDER_URL)
    else:
        httpx_mock.add_response(url=ORDER_URL, status_code=int(failure),
                                json=envelope("cart_already_updated", "The cart has already been updated."))
    httpx_mock.add_response(url=ORDER_URL, json=ORDER, headers={"Idempotent-Replayed": "true"})
    changes = OrderUpdate(items=[ItemUpsert(variant_id="variant_VqXmZF31wY", quantity=2)])
    raw = await resolve(client.orders.with_raw_response.update(ORDER_ID, changes, idempotency_key="job-1-or-1"))
    first, second = httpx_mock.get_requests()
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"] == "job-1-or-1"
    assert first.content == second.content
    assert raw.retries_taken == 1
    assert raw.headers["Idempotent-Replayed"] == "true"
    assert raw.meta.idempotency_key == "job-1-or-1"


@pytest.mark.parametrize("failure", [500, 503, "timeout"])
async def test_approve_is_never_repeated(httpx_mock: HTTPXMock, client: Client, sleeps: SleepRecorder,
                                         failure: int | str) -> None:
    url = f"{ORDER_URL}/approve"
    if failure == "timeout":
        httpx_mock.add_exception(httpx.ReadTimeout("slow"), url=url)
    else:
        httpx_mock.add_response(url=url, status_code=int(failure), text="oops")
    with pytest.raises((ServerError, Timeout)):
        await resolve(client.orders.approve(ORDER_ID))
    assert len(httpx_mock.get_requests()) == 1


async def test_approve_is_retried_when_it_never_left(httpx_mock: HTTPXMock, client: Client,
                                                     sleeps: SleepRecorder) -> None:
    httpx_mock.add_exception(httpx.ConnectError("refused"), url=f"{ORDER_URL}/approve")
    httpx_mock.add_response(url=f"{ORDER_URL}/approve", json={**ORDER, "approved_at": "2026-07-27T20:01:09.626Z"})
    order = await resolve(client.orders.approve(ORDER_ID))
    assert order.approved_at is not None


async def test_cancel_that_did_not_cancel_is_a_typed_error(httpx_mock: HTTPXMock, client: Client) -> None:
    httpx_mock.add_response(url=f"{ORDER_URL}/cancel", method="PATCH", json={**ORDER, "status": "draft"})
    with pytest.raises(OrderNotCanceled) as info:
        await resolve(client.orders.cancel(ORDER_ID))
    assert info.value.order.status is OrderStatus.DRAFT
    assert ORDER_ID in str(info.value)


async def test_cancel_returns_the_canceled_order(httpx_mock: HTTPXMock, client: Client) -> None:
    httpx_mock.add_response(url=f"{ORDER_URL}/cancel", method="PATCH", json={**ORDER, "status": "canceled"})
    order = await resolve(client.orders.cancel(ORDER_ID))
    assert order.status is OrderStatus.CANCELED
    request = httpx_mock.get_requests()[0]
    assert request.content == b"{}"
    assert request.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize(("action", "method"), [("complete", "PATCH"), ("resume", "PATCH"),
                                                ("resend_confirmation", "POST")])
async def test_actions(httpx_mock: HTTPXMock, client: Client, action: str, method: str) -> None:
    httpx_mock.add_response(url=f"{ORDER_URL}/{action}", method=method, json={**ORDER, "status": "placed"})
    order = await resolve(getattr(client.orders, action)(ORDER_ID))
    assert order.status is OrderStatus.PLACED
    assert "Idempotency-Key" in httpx_mock.get_requests()[0].headers


async def test_complete_sends_its_flags(httpx_mock: HTTPXMock, client: Client) -> None:
    httpx_mock.add_response(url=f"{ORDER_URL}/complete", json={**ORDER, "status": "placed"})
    await resolve(client.orders.complete(ORDER_ID, notify_customer=True, payment_pending=False))
    assert json.loads(httpx_mock.get_requests()[0].content) == {"payment_pending": False, "notify_customer": True}


async def test_flags_of_other_actions_are_refused(client: Client) -> None:
    from orderpatch.spree_admin._codec import build_action_request

    with pytest.raises(ValidationError, match="only complete reads it"):
        build_action_request(httpx.URL("https://x.test"), ORDER_ID, "cancel", notify_customer=True)
    with pytest.raises(ValidationError, match="action"):
        build_action_request(httpx.URL("https://x.test"), ORDER_ID, "explode")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="notify_customer"):
        build_action_request(httpx.URL("https://x.test"), ORDER_ID, "complete", notify_customer="yes")  # type: ignore[arg-type]


@pytest.mark.parametrize(("status", "body", "cls", "code"), [
    (422, envelope("idempotency_key_reused", "This Idempotency-Key has already been used with different request "
                                             "parameters."), IdempotencyKeyReused, "idempotency_key_reused"),
    (422, envelope("validation_error", "Email is invalid", {"email": ["is invalid"]}), UnprocessableEntity,
     "validation_error"),
    (413, envelope("request_too_large", "Request body too large"), RequestTooLarge, "request_too_large"),
    (401, envelope("authentication_required", "Authentication required"), AuthenticationError,
     "authentication_required"),
    (403, envelope("access_denied", "API key lacks scope: write_orders", {"required_scope": "write_orders"}),
     PermissionDenied, "access_denied"),
    (404, envelope("order_not_found", "Order not found"), NotFound, "order_not_found"),
    (400, envelope("invalid_request", "Idempotency-Key must be 255 characters or less."), UnprocessableEntity,
     "invalid_request"),
    (418, envelope("some_future_code", ""), None, "some_future_code"),
])
async def test_error_envelope_becomes_typed_errors(httpx_mock: HTTPXMock, make_client: MakeClient, status: int,
                                                   body: dict[str, Any], cls: type[Exception] | None,
                                                   code: str) -> None:
    httpx_mock.add_response(url=ORDER_URL, status_code=status, json=body, headers={"X-Request-Id": "req-9"})
    client = make_client(max_retries=0)
    with pytest.raises(Exception) as info:
        await resolve(client.orders.update(ORDER_ID, OrderUpdate(email="b@x.io")))
    error = info.value
    if cls is not None:
        assert type(error) is cls
    assert getattr(error, "code", None) == code
    assert getattr(error, "request_id", None) == "req-9"
    if status == 403:
        assert "write_orders" in str(error)
        assert "scopes are fixed" in str(error)
    if code == "validation_error":
        assert [(d.field, d.detail) for d in getattr(error, "errors", ())] == [("email", "is invalid")]
    assert KEY not in str(error)
    assert KEY not in repr(error)


async def test_conflict_after_retries(httpx_mock: HTTPXMock, make_client: MakeClient, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(url=ORDER_URL, status_code=409, is_reusable=True,
                            json=envelope("cart_already_updated", "The cart has already been updated."))
    with pytest.raises(Conflict) as info:
        await resolve(make_client(max_retries=1).orders.update(ORDER_ID, OrderUpdate(email="b@x.io")))
    assert info.value.retries_taken == 1


async def test_non_envelope_server_error(httpx_mock: HTTPXMock, make_client: MakeClient) -> None:
    httpx_mock.add_response(url=ORDER_URL, status_code=500, html="<h1>We're sorry</h1>")
    with pytest.raises(ServerError, match="sorry"):
        await resolve(make_client(max_retries=0).orders.update(ORDER_ID, OrderUpdate(email="b@x.io")))


async def test_rate_limited_honours_retry_after(httpx_mock: HTTPXMock, make_client: MakeClient,
                                               sleeps: SleepRecorder) -> None:
    client = make_client(rate_limiter=None)  # the retry policy alone (the budget is tested below)
    httpx_mock.add_response(url=ORDER_URL, status_code=429, headers={"Retry-After": "7", "X-RateLimit-Remaining": "0"},
                            json=envelope("rate_limit_exceeded", "Too many requests. Please retry later."))
    httpx_mock.add_response(url=ORDER_URL, json=ORDER)
    await resolve(client.orders.update(ORDER_ID, OrderUpdate(email="b@x.io")))
    assert sleeps.delays == [7.0]


async def test_rate_limited_when_retries_run_out(httpx_mock: HTTPXMock, make_client: MakeClient) -> None:
    httpx_mock.add_response(url=ORDER_URL, status_code=429, headers={"Retry-After": "60"},
                            json=envelope("rate_limit_exceeded", "Too many requests. Please retry later."))
    with pytest.raises(RateLimited) as info:
        await resolve(make_client(max_retries=0).orders.update(ORDER_ID, OrderUpdate(email="b@x.io")))
    assert info.value.retry_after == 60.0


async def test_rate_limit_headers_are_in_the_metadata(httpx_mock: HTTPXMock, client: Client) -> None:
    httpx_mock.add_response(url=ORDER_URL, method="GET", json=ORDER,
                            headers={"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0", "Retry-After": "60"})
    raw = await resolve(client.orders.with_raw_response.retrieve(ORDER_ID))
    assert raw.meta.rate_limit is not None
    assert (raw.meta.rate_limit.limit, raw.meta.rate_limit.remaining) == (300, 0)
    assert raw.headers["Retry-After"] == "60"
    assert raw.parse().number == "R801110570"


async def test_bodies_over_100_kb_are_refused_before_sending(httpx_mock: HTTPXMock, client: Client) -> None:
    with pytest.raises(ValidationError, match="102400 bytes") as info:
        await resolve(client.orders.update(ORDER_ID, OrderUpdate(internal_note="x" * 60_000,
                                                                 customer_note="y" * 60_000)))
    assert info.value.field == "changes"
    assert httpx_mock.get_requests() == []


@pytest.mark.parametrize("order_id", ["R801110570", "123", "prod_UkLWZg9DAJ", "or_../../x", ""])
async def test_ids_that_are_not_order_ids_never_leave(httpx_mock: HTTPXMock, client: Client, order_id: str) -> None:
    with pytest.raises(ValidationError) as info:
        await resolve(client.orders.update(order_id, OrderUpdate(email="b@x.io")))
    assert info.value.field == "order_id"


async def test_the_v2_model_is_refused_by_name(client: Client) -> None:
    from orderpatch.spree import OrderUpdate as V2Update

    with pytest.raises(ValidationError, match="Platform API v2 model"):
        await resolve(client.orders.update(ORDER_ID, V2Update(email="b@x.io")))  # type: ignore[arg-type]


async def test_bad_idempotency_key_is_refused(client: Client) -> None:
    with pytest.raises(ValidationError, match="idempotency_key"):
        await resolve(client.orders.update(ORDER_ID, OrderUpdate(email="b@x.io"), idempotency_key="a b"))
    with pytest.raises(ValidationError, match="idempotency_key"):
        await resolve(client.orders.update(ORDER_ID, OrderUpdate(email="b@x.io"), idempotency_key="k" * 256))


async def test_retrieve_with_expand_and_fields(httpx_mock: HTTPXMock, client: Client) -> None:
    item = {"id": "li_gbHJdmfrXB", "variant_id": "variant_VqXmZF31wY", "quantity": 3, "price": "19.99"}
    httpx_mock.add_response(url=f"{ORDER_URL}?expand=items%2Cshipping_address&fields=number%2Ctotal", method="GET",
                            json={**ORDER, "items": [item], "shipping_address": {"city": "Albany"}})
    order = await resolve(client.orders.retrieve(ORDER_ID, expand="items, shipping_address", fields=["number",
                                                                                                    "total"]))
    assert order.items is not None
    assert order.items[0].quantity == 3
    assert order.shipping_address is not None
    assert order.shipping_address.city == "Albany"


@pytest.mark.parametrize(("expand", "fields"), [("items[]", None), ("a.b.c.d.e", None), (None, "items.x"),
                                                (5, None)])
async def test_bad_expand_or_fields(client: Client, expand: Any, fields: Any) -> None:
    with pytest.raises(ValidationError):
        await resolve(client.orders.retrieve(ORDER_ID, expand=expand, fields=fields))


async def test_retrieve_by_number(httpx_mock: HTTPXMock, client: Client) -> None:
    httpx_mock.add_response(url=f"{API}/orders?q%5Bnumber_eq%5D=R801110570&limit=1&sort=id", method="GET",
                            json={"data": [ORDER], "meta": {"count": 1}})
    order = await resolve(client.orders.retrieve_by_number("R801110570"))
    assert order.id == ORDER_ID


async def test_retrieve_by_number_not_found(httpx_mock: HTTPXMock, client: Client) -> None:
    httpx_mock.add_response(method="GET", json={"data": [], "meta": {"count": 0}})
    with pytest.raises(NotFound, match="R000000001"):
        await resolve(client.orders.retrieve_by_number("R000000001"))
    with pytest.raises(ValidationError, match="number"):
        await resolve(client.orders.retrieve_by_number(" "))


async def test_retrieve_by_number_detects_an_ignored_filter(httpx_mock: HTTPXMock, make_client: MakeClient) -> None:
    httpx_mock.add_response(method="GET", json={"data": [{**ORDER, "number": "R999"}], "meta": {}})
    with pytest.raises(Exception, match="filter was not applied"):
        await resolve(make_client(max_retries=0).orders.retrieve_by_number("R801110570"))


async def test_items_calls(httpx_mock: HTTPXMock, client: Client) -> None:
    item = {"id": "li_gbHJdmfrXB", "variant_id": "variant_VqXmZF31wY", "quantity": 3}
    httpx_mock.add_response(url=f"{ORDER_URL}/items", method="POST", status_code=201, json=item)
    httpx_mock.add_response(url=f"{ORDER_URL}/items/li_gbHJdmfrXB", method="PATCH", json={**item, "quantity": 1})
    httpx_mock.add_response(url=f"{ORDER_URL}/items/li_gbHJdmfrXB", method="DELETE", status_code=204)
    added = await resolve(client.orders.add_item(ORDER_ID, "variant_VqXmZF31wY", 3))
    assert isinstance(added, LineItem)
    assert added.quantity == 3
    changed = await resolve(client.orders.update_item(ORDER_ID, "li_gbHJdmfrXB", quantity=1, metadata={"a": 1}))
    assert changed.quantity == 1
    await resolve(client.orders.remove_item(ORDER_ID, "li_gbHJdmfrXB"))
    post, patch, delete = httpx_mock.get_requests()
    assert json.loads(post.content) == {"variant_id": "variant_VqXmZF31wY", "quantity": 3}
    assert json.loads(patch.content) == {"quantity": 1, "metadata": {"a": 1}}
    assert all("Idempotency-Key" in r.headers for r in (post, patch, delete))


async def test_item_calls_check_their_input(client: Client) -> None:
    with pytest.raises(ValidationError, match="quantity"):
        await resolve(client.orders.add_item(ORDER_ID, "variant_VqXmZF31wY", 0))
    with pytest.raises(ValidationError, match="variant_id"):
        await resolve(client.orders.add_item(ORDER_ID, "prod_VqXmZF31wY"))
    with pytest.raises(ValidationError, match="item_id"):
        await resolve(client.orders.remove_item(ORDER_ID, "7"))
    with pytest.raises(ValidationError, match="quantity and/or metadata"):
        await resolve(client.orders.update_item(ORDER_ID, "li_gbHJdmfrXB"))
    with pytest.raises(ValidationError, match="metadata"):
        await resolve(client.orders.update_item(ORDER_ID, "li_gbHJdmfrXB", metadata=[1]))  # type: ignore[arg-type]


API_KEY = {"id": "key_EfhxLZ9ck8", "name": "sync", "key_type": "secret", "token_prefix": "sk_ekeeHsr4J",
           "scopes": ["write_orders"], "revoked_at": None}


async def test_check_accepts_write_orders(httpx_mock: HTTPXMock, client: Client) -> None:
    httpx_mock.add_response(url=f"{API}/api_keys/current", method="GET", json=API_KEY)
    key = await resolve(client.check())
    assert key.allows("read_orders")
    assert not key.allows("write_products")


@pytest.mark.parametrize("scopes", [["read_orders"], ["read_all"], ["write_products"]])
async def test_check_refuses_a_key_that_cannot_update_orders(httpx_mock: HTTPXMock, client: Client,
                                                             scopes: list[str]) -> None:
    httpx_mock.add_response(url=f"{API}/api_keys/current", json={**API_KEY, "scopes": scopes})
    with pytest.raises(ConfigurationError, match="write_orders") as info:
        await resolve(client.check())
    assert info.value.key == "api_key"


async def test_check_refuses_a_revoked_key(httpx_mock: HTTPXMock, client: Client) -> None:
    httpx_mock.add_response(url=f"{API}/api_keys/current",
                            json={**API_KEY, "scopes": ["write_all"], "revoked_at": "2026-07-27T20:00:04.179Z"})
    with pytest.raises(ConfigurationError, match="revoked"):
        await resolve(client.check())


async def test_connection_failures_are_typed(httpx_mock: HTTPXMock, make_client: MakeClient) -> None:
    httpx_mock.add_exception(httpx.ConnectError("refused"), url=ORDER_URL)
    with pytest.raises(ConnectionFailed):
        await resolve(make_client(max_retries=0).orders.retrieve(ORDER_ID))


def test_configuration_is_checked(make_client: MakeClient) -> None:
    with pytest.raises(ConfigurationError, match="api_key"):
        make_client(api_key="")
    with pytest.raises(ConfigurationError, match="publishable"):
        make_client(api_key="pk_abc")
    client = make_client()
    assert KEY not in repr(client)
    assert "SpreeApiKeyAuth(api_key=***)" in repr(client)


def test_the_default_budget_is_spree_s_published_limit(make_client: MakeClient) -> None:
    from orderpatch import InMemoryRateLimiter

    assert isinstance(make_client().rate_limiter, InMemoryRateLimiter)
    assert make_client(rate_limiter=None).rate_limiter is None


async def test_remaining_zero_on_a_200_slows_the_next_call(httpx_mock: HTTPXMock, make_client: MakeClient) -> None:
    from orderpatch import InMemoryRateLimiter, Rate

    now = [1000.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    async def asleep(seconds: float) -> None:
        sleep(seconds)

    limiter = InMemoryRateLimiter([Rate(limit=300, period=60)], name="spree_admin", clock=lambda: now[0],
                                  sleep=sleep, asleep=asleep)
    client = make_client(rate_limiter=limiter)
    httpx_mock.add_response(url=ORDER_URL, json=ORDER,
                            headers={"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0", "Retry-After": "60"})
    httpx_mock.add_response(url=ORDER_URL, json=ORDER)
    await resolve(client.orders.retrieve(ORDER_ID))
    assert waits == []
    await resolve(client.orders.retrieve(ORDER_ID))
    assert sum(waits) >= 59.0
