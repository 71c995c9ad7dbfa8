"""Spree's error bodies become the right ``APIError``, with the per-field messages kept; retries by operation."""

from __future__ import annotations

import httpx
import pytest
from pytest_httpx import HTTPXMock

from orderpatch import (
    AuthenticationError,
    DecodeError,
    ErrorDetail,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServerError,
    UnprocessableEntity,
)
from orderpatch.spree import Address, LineItem, OrderUpdate
from orderpatch.spree._codec import token_rejected
from tests.conftest import SleepRecorder, shared_json

from .conftest import ORDER_DOC, Client, resolve

EXAMPLES = ("vendors", "spree", "examples")
JSON_API = {"Content-Type": "application/vnd.api+json; charset=utf-8"}


async def fail(client: Client, httpx_mock: HTTPXMock, status: int, payload: object) -> pytest.ExceptionInfo[Exception]:
    httpx_mock.add_response(status_code=status, json=payload, headers={**JSON_API, "X-Request-Id": "rid-1"})
    with pytest.raises(Exception) as info:
        await resolve(client.orders.update("R1", OrderUpdate(email="bad")))
    return info


async def test_422_example_keeps_the_field_messages(client: Client, httpx_mock: HTTPXMock) -> None:
    info = await fail(client, httpx_mock, 422, shared_json(*EXAMPLES, "update_order_422.json"))
    error = info.value
    assert isinstance(error, UnprocessableEntity)
    assert error.status == 422
    assert error.vendor == "spree"
    assert error.message == "Email is invalid"
    assert error.errors == (ErrorDetail(field="email", detail="is invalid"),)
    assert error.request_id == "rid-1"
    assert str(error) == "spree answered 422: Email is invalid (request id rid-1)"


async def test_404_example(client: Client, httpx_mock: HTTPXMock) -> None:
    info = await fail(client, httpx_mock, 404, shared_json(*EXAMPLES, "update_order_404.json"))
    assert isinstance(info.value, NotFound)
    assert info.value.message == "The resource you were looking for could not be found."
    assert info.value.errors == ()


async def test_401_example_says_what_to_check(client: Client, httpx_mock: HTTPXMock) -> None:
    info = await fail(client, httpx_mock, 401, shared_json(*EXAMPLES, "update_order_401.json"))
    assert type(info.value) is AuthenticationError
    message = info.value.message
    assert message.startswith("The access token is invalid (")
    assert "not bound to an OAuth application" in message
    assert "'admin' scope" in message


async def test_401_for_a_missing_scope_names_the_scope(client: Client, httpx_mock: HTTPXMock) -> None:
    info = await fail(client, httpx_mock, 401, {"error": 'Access to this resource requires scope "write admin".'})
    assert type(info.value) is AuthenticationError
    assert "Platform API writes need 'write' or 'admin'" in info.value.message


async def test_401_for_a_cancan_denial_is_permission_denied(client: Client, httpx_mock: HTTPXMock) -> None:
    info = await fail(client, httpx_mock, 401, {"error": "You are not authorized to access this page."})
    assert isinstance(info.value, PermissionDenied)
    assert info.value.status == 401
    assert "Spree answers 401, not 403" in info.value.message


async def test_nested_field_errors_and_several_messages(client: Client, httpx_mock: HTTPXMock) -> None:
    payload = {"error": "Bill address city can't be blank, Bill address zipcode is invalid",
               "errors": {"bill_address.city": ["can't be blank"], "bill_address.zipcode": ["is invalid", "too short"],
                          "base": "odd single message"}}
    info = await fail(client, httpx_mock, 422, payload)
    assert info.value.errors == (  # type: ignore[attr-defined]
        ErrorDetail(field="bill_address.city", detail="can't be blank"),
        ErrorDetail(field="bill_address.zipcode", detail="is invalid"),
        ErrorDetail(field="bill_address.zipcode", detail="too short"),
        ErrorDetail(field="base", detail="odd single message"),
    )


async def test_an_empty_error_string_falls_back_to_the_field_messages(client: Client, httpx_mock: HTTPXMock) -> None:
    info = await fail(client, httpx_mock, 422, {"error": "", "errors": {"state": ["cannot transition"]}})
    assert info.value.message == "state cannot transition"  # type: ignore[attr-defined]


async def test_an_empty_error_without_messages_still_explains(client: Client, httpx_mock: HTTPXMock) -> None:
    # Cart::Empty on a completed order most likely answers {"error": "", "errors": {}} (README §7).
    info = await fail(client, httpx_mock, 422, {"error": "", "errors": {}})
    assert info.value.message == "Spree refused the request without a message (HTTP 422)"  # type: ignore[attr-defined]


async def test_an_error_body_without_error_keeps_its_text(client: Client, httpx_mock: HTTPXMock) -> None:
    info = await fail(client, httpx_mock, 500, {"status": 500, "exception": "boom"})
    assert isinstance(info.value, ServerError)
    assert info.value.message == '{"status":500,"exception":"boom"}'


def test_an_unread_401_is_taken_as_a_rejected_token() -> None:
    unread = httpx.Response(401, stream=httpx.ByteStream(b'{"error": "requires scope"}'))
    assert token_rejected(unread)
    assert not token_rejected(httpx.Response(403, json={"error": "The access token is invalid"}))
    assert token_rejected(httpx.Response(401, json={"error": "The access token is invalid"}))
    assert not token_rejected(httpx.Response(401, json={"error": "You are not authorized to access this page."}))


async def test_400_bad_include(client: Client, httpx_mock: HTTPXMock) -> None:
    info = await fail(client, httpx_mock, 400, {"error": "variants is not specified as a relationship on Order"})
    assert isinstance(info.value, UnprocessableEntity)
    assert info.value.status == 400


async def test_a_non_json_error_body_keeps_its_text(client: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=404, text="<h1>Not Found</h1>", headers={"Content-Type": "text/html"})
    with pytest.raises(NotFound, match="Not Found"):
        await resolve(client.orders.retrieve("R1"))


@pytest.mark.parametrize("payload", [
    {"data": None}, {"data": []}, {"data": {"id": 47, "type": "order"}}, {"data": {"id": "1", "type": "user"}},
    {"data": {"id": "1", "type": "order", "attributes": []}}, {"data": {"id": "1", "type": "order"}, "included": {}},
    {"data": {"id": "1", "type": "order", "relationships": {"user": []}}},
    {"data": {"id": "1", "type": "order", "attributes": {"total": "lots"}}},
    {"data": {"id": "1", "type": "order", "attributes": {"created_at": "yesterday"}}},
    {"data": {"id": "1", "type": "order"}, "included": [{"id": "1"}]}, [],
    {"data": {"id": "1", "type": "order", "attributes": {"state": 5}}},
    {"data": {"id": "1", "type": "order", "relationships": []}},
])
async def test_a_wrong_shape_is_a_decode_error(client: Client, httpx_mock: HTTPXMock, payload: object) -> None:
    httpx_mock.add_response(json=payload)
    with pytest.raises(DecodeError) as info:
        await resolve(client.orders.retrieve("R1"))
    assert info.value.status == 200


# -- retries: only what is safe to repeat -------------------------------------------------------------

async def test_a_plain_update_is_retried_after_502(client: Client, httpx_mock: HTTPXMock,
                                                   sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(status_code=502, text="bad gateway")
    httpx_mock.add_response(json=ORDER_DOC)
    changes = OrderUpdate(email="a@b.co", ship_address_attributes=Address(city="NY"))
    order = await resolve(client.orders.update("R1", changes))
    assert order.id == "47"
    assert len(httpx_mock.get_requests()) == 2
    assert len(sleeps.delays) == 1


async def test_adding_line_items_is_not_retried_after_502(client: Client, httpx_mock: HTTPXMock,
                                                          sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(status_code=502, text="bad gateway")
    changes = OrderUpdate(line_items_attributes=[LineItem(variant_id=1, quantity=1)])
    with pytest.raises(ServerError):
        await resolve(client.orders.update("R1", changes))
    assert len(httpx_mock.get_requests()) == 1
    assert sleeps.delays == []


@pytest.mark.parametrize(("action", "retried"), [("next", False), ("advance", False), ("complete", False),
                                                 ("approve", False), ("cancel", False), ("empty", True)])
async def test_actions_are_retried_after_504_only_when_idempotent(client: Client, httpx_mock: HTTPXMock,
                                                                  sleeps: SleepRecorder, action: str,
                                                                  retried: bool) -> None:
    httpx_mock.add_response(status_code=504, text="timeout")
    if retried:
        httpx_mock.add_response(json=ORDER_DOC)
        await resolve(getattr(client.orders, action)("R1"))
    else:
        with pytest.raises(ServerError):
            await resolve(getattr(client.orders, action)("R1"))
    assert len(httpx_mock.get_requests()) == (2 if retried else 1)


async def test_use_store_credit_answered_429_is_raised_at_once(client: Client, httpx_mock: HTTPXMock,
                                                               sleeps: SleepRecorder) -> None:
    # Not idempotent: it reaches Spree at most once; the caller decides when to try again.
    httpx_mock.add_response(status_code=429, json={"error": "slow down"}, headers={"Retry-After": "3"})
    with pytest.raises(RateLimited) as info:
        await resolve(client.orders.use_store_credit("R1", 5))
    assert info.value.retry_after == 3.0
    assert sleeps.delays == []
    assert len(httpx_mock.get_requests()) == 1


async def test_an_update_answered_429_is_retried_after_its_retry_after(client: Client, httpx_mock: HTTPXMock,
                                                                       sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(status_code=429, json={"error": "slow down"}, headers={"Retry-After": "3"})
    httpx_mock.add_response(json=ORDER_DOC)
    await resolve(client.orders.update("R1", OrderUpdate(email="a@b.co")))
    assert sleeps.delays == [3.0]


async def test_429_after_the_last_retry_is_rate_limited(client: Client, httpx_mock: HTTPXMock,
                                                        sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(status_code=429, json={"error": "Too many requests"}, headers={"Retry-After": "1"},
                            is_reusable=True)
    with pytest.raises(RateLimited) as info:
        await resolve(client.orders.update("R1", OrderUpdate(email="a@b.co"), max_retries=1))
    assert info.value.retry_after == 1.0
    assert info.value.retries_taken == 1
    assert len(httpx_mock.get_requests()) == 2
