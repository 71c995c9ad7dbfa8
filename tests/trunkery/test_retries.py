"""Retries of a non-idempotent POST: only with an ``Idempotency-Key``, same key and same bytes each time."""

from __future__ import annotations

import httpx
import pytest
from pytest_httpx import HTTPXMock

from orderpatch import APIError, ConnectionFailed, ServerError, Timeout
from orderpatch.trunkery import CustomItem, LineItem, OrderModify

from ..conftest import SleepRecorder
from ._fixtures import ORDER_ID
from ._helpers import Api, answer, make_client

CHANGES = OrderModify(
    line_items=[LineItem(variant_id="va_EQzGqWoY", quantity=2)],
    custom_items=[CustomItem(title="Gift wrap", price=500)],
    customer_email="ünïcode@example.com",
)


def _keys_and_bodies(httpx_mock: HTTPXMock) -> tuple[set[str | None], set[bytes]]:
    requests = httpx_mock.get_requests()
    return {r.headers.get("Idempotency-Key") for r in requests}, {r.content for r in requests}


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(503),
        httpx.Response(429, headers={"Retry-After": "1"}),
        httpx.Response(502),
        httpx.Response(504),
        httpx.ReadTimeout("read timed out"),
        httpx.RemoteProtocolError("server disconnected"),
        httpx.ConnectError("refused"),
    ],
)
async def test_a_retried_post_carries_the_same_key_and_the_same_bytes(
    api: Api, httpx_mock: HTTPXMock, sleeps: SleepRecorder, failure: httpx.Response | Exception
) -> None:
    for _ in range(2):
        if isinstance(failure, Exception):
            httpx_mock.add_exception(failure)
        else:
            httpx_mock.add_response(status_code=failure.status_code, headers=failure.headers)
    httpx_mock.add_response(json=answer())

    order = await api.modify(ORDER_ID, CHANGES)

    assert order.id == ORDER_ID
    keys, bodies = _keys_and_bodies(httpx_mock)
    assert len(httpx_mock.get_requests()) == 3
    assert len(keys) == 1
    assert None not in keys
    assert bodies == {httpx_mock.get_requests()[0].content}
    assert len(sleeps.delays) == 2


async def test_each_logical_call_gets_its_own_key(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=answer(), is_reusable=True)
    await api.modify(ORDER_ID, CHANGES)
    await api.modify(ORDER_ID, CHANGES)
    keys, _ = _keys_and_bodies(httpx_mock)
    assert len(keys) == 2


async def test_a_given_key_is_sent_verbatim_on_every_attempt(
    api: Api, httpx_mock: HTTPXMock, sleeps: SleepRecorder
) -> None:
    httpx_mock.add_response(status_code=502)
    httpx_mock.add_response(json=answer())
    await api.modify(ORDER_ID, CHANGES, idempotency_key="order-42-change-7")
    keys, _ = _keys_and_bodies(httpx_mock)
    assert keys == {"order-42-change-7"}
    assert len(sleeps.delays) == 1


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        (httpx.Response(502), ServerError),
        (httpx.Response(504), ServerError),
        (httpx.ReadTimeout("read timed out"), Timeout),
        (httpx.RemoteProtocolError("server disconnected"), ConnectionFailed),
    ],
)
async def test_without_a_key_what_may_have_reached_the_vendor_is_never_repeated(
    api: Api, httpx_mock: HTTPXMock, sleeps: SleepRecorder, failure: httpx.Response | Exception, error: type[Exception]
) -> None:
    if isinstance(failure, Exception):
        httpx_mock.add_exception(failure)
    else:
        httpx_mock.add_response(status_code=failure.status_code)
    with pytest.raises(error):
        await api.modify(ORDER_ID, CHANGES, idempotency_key=None)
    assert len(httpx_mock.get_requests()) == 1
    assert "Idempotency-Key" not in httpx_mock.get_requests()[0].headers
    assert sleeps.delays == []


async def test_without_a_key_only_what_never_left_is_retried(
    api: Api, httpx_mock: HTTPXMock, sleeps: SleepRecorder
) -> None:
    httpx_mock.add_exception(httpx.ConnectError("refused"))  # never reached the server: safe
    httpx_mock.add_response(json=answer())
    await api.modify(ORDER_ID, CHANGES, idempotency_key=None)
    assert len(httpx_mock.get_requests()) == 2
    assert len(sleeps.delays) == 1


@pytest.mark.parametrize("status", [429, 503])
async def test_without_a_key_a_refusal_is_raised_not_repeated(
    api: Api, httpx_mock: HTTPXMock, sleeps: SleepRecorder, status: int
) -> None:
    # A POST without an Idempotency-Key reaches the vendor at most once, whatever the answer.
    httpx_mock.add_response(status_code=status, headers={"Retry-After": "1"})
    with pytest.raises(APIError) as info:
        await api.modify(ORDER_ID, CHANGES, idempotency_key=None)
    assert info.value.status == status
    assert len(httpx_mock.get_requests()) == 1
    assert sleeps.delays == []


async def test_with_retries_off_no_key_is_generated(kind: str, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=answer(), is_reusable=True)
    retries_off, default = Api(make_client(kind, max_retries=0)), Api(make_client(kind))
    await retries_off.modify(ORDER_ID, CHANGES)
    await retries_off.modify(ORDER_ID, CHANGES, max_retries=1)
    await default.modify(ORDER_ID, CHANGES, max_retries=0)
    for api in (retries_off, default):
        await api.close()
    keys = [r.headers.get("Idempotency-Key") for r in httpx_mock.get_requests()]
    assert keys[0] is None
    assert keys[1] is not None
    assert keys[2] is None


async def test_retries_stop_at_max_retries(api: Api, httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(status_code=502, is_reusable=True)
    with pytest.raises(ServerError) as info:
        await api.modify(ORDER_ID, CHANGES, max_retries=1)
    assert len(httpx_mock.get_requests()) == 2
    assert info.value.retries_taken == 1
    assert info.value.idempotency_key == httpx_mock.get_requests()[0].headers["Idempotency-Key"]
