"""LicenseSpring clients over HTTP (pytest-httpx): request shape and every error status, sync and async."""

from __future__ import annotations

import json
from collections.abc import Awaitable
from typing import TypeVar

import pytest
from pytest_httpx import HTTPXMock

from orderpatch import (
    APIError,
    AuthenticationError,
    Conflict,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServerError,
    UnprocessableEntity,
    ValidationError,
)
from orderpatch.licensespring import AsyncLicenseSpringClient, LicenseSpringClient, Order, OrderUpdate
from tests.conftest import SleepRecorder, shared_json

T = TypeVar("T")
KEY = "h8ZTleS1.OyCHhCST5c8K9A6gjV9wA1HLxWpUVSFv"
URL = "https://saas.licensespring.com/api/v1/orders/1629789747117569/"


async def run_update(is_async: bool, changes: OrderUpdate, order_id: int | str = 1629789747117569) -> Order:
    if is_async:
        async with AsyncLicenseSpringClient(api_key=KEY, max_retries=0) as aclient:
            return await aclient.orders.update(order_id, changes)
    with LicenseSpringClient(api_key=KEY, max_retries=0) as client:
        return client.orders.update(order_id, changes)


async def resolve(value: Awaitable[T]) -> T:
    return await value


@pytest.mark.parametrize("is_async", [False, True])
async def test_update_sends_patch_with_api_key(httpx_mock: HTTPXMock, is_async: bool) -> None:
    example = shared_json("vendors", "licensespring", "examples", "update-order.response-200.json")
    httpx_mock.add_response(url=URL, method="PATCH", json=example)
    order = await run_update(is_async, OrderUpdate(store_id="patched_store_id", download_id=None))
    assert order.store_id == "patched_store_id"
    request = httpx_mock.get_requests()[0]
    assert request.headers["Authorization"] == f"Api-Key {KEY}"
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {"store_id": "patched_store_id", "download_id": None}


@pytest.mark.parametrize("is_async", [False, True])
@pytest.mark.parametrize(
    ("status", "payload", "error", "message"),
    [
        (400, {"language": ["Not a valid choice."]}, UnprocessableEntity, "language: Not a valid choice."),
        (401, {"detail": "Invalid token."}, AuthenticationError, "Invalid token."),
        (
            403,
            {"detail": "Authentication credentials were not provided."},
            PermissionDenied,
            "Authentication credentials were not provided.",
        ),
        (404, {"message": "ain't no cake like that"}, NotFound, "ain't no cake like that"),
        (409, {"detail": "conflict"}, Conflict, "conflict"),
        (422, {"detail": "nope"}, UnprocessableEntity, "nope"),
        (429, {"detail": "Request was throttled."}, RateLimited, "Request was throttled."),
        (500, {"detail": "Server error"}, ServerError, "Server error"),
        (418, {"detail": "teapot"}, APIError, "teapot"),
    ],
)
async def test_error_statuses_map_to_classes(
    httpx_mock: HTTPXMock, is_async: bool, status: int, payload: dict[str, object], error: type[APIError], message: str
) -> None:
    httpx_mock.add_response(url=URL, status_code=status, json=payload, headers={"X-Request-Id": "rid-1"})
    with pytest.raises(error) as info:
        await run_update(is_async, OrderUpdate(is_test=True))
    assert type(info.value) is error
    assert info.value.status == status
    assert info.value.vendor == "licensespring"
    assert info.value.message == message
    assert info.value.request_id == "rid-1"
    assert KEY not in str(info.value)
    assert KEY not in repr(info.value)


@pytest.mark.parametrize("is_async", [False, True])
async def test_bad_input_sends_nothing(httpx_mock: HTTPXMock, is_async: bool) -> None:
    for bad in ("", "../x", "a/b", "x\x07"):
        with pytest.raises(ValidationError):
            await run_update(is_async, OrderUpdate(), order_id=bad)
    with pytest.raises(ValidationError, match="OrderUpdate.customer: expected int"):
        await run_update(is_async, OrderUpdate(customer="123"))  # type: ignore[arg-type]
    assert httpx_mock.get_requests() == []


def test_repr_of_clients_hides_the_key() -> None:
    for client in (LicenseSpringClient(api_key=KEY), AsyncLicenseSpringClient(api_key=KEY)):
        assert KEY not in repr(client)
        assert "saas.licensespring.com" in repr(client)


async def test_async_client_retries_503_with_recorded_sleep(httpx_mock: HTTPXMock, sleeps: SleepRecorder) -> None:
    httpx_mock.add_response(url=URL, status_code=503, headers={"Retry-After": "4"}, json={})
    httpx_mock.add_response(url=URL, json={"id": 1629789747117569})
    async with AsyncLicenseSpringClient(api_key=KEY) as client:
        order = await client.orders.update(1629789747117569, OrderUpdate())
    assert order.id == 1629789747117569
    assert sleeps.delays == [4.0]
