"""A closed client says so with an ``OrderPatchError`` (``ClientClosed``), never httpx's bare ``RuntimeError``."""

from __future__ import annotations

import httpx
import pytest
from pytest_httpx import HTTPXMock

from orderpatch import ClientClosed, OrderPatchError
from orderpatch.licensespring import AsyncLicenseSpringClient, LicenseSpringClient, OrderUpdate

KEY = "h8ZTleS1.OyCHhCST5c8K9A6gjV9wA1HLxWpUVSFv"


def test_a_closed_sync_client_raises_client_closed(httpx_mock: HTTPXMock) -> None:
    client = LicenseSpringClient(api_key=KEY)
    client.close()
    with pytest.raises(ClientClosed, match="LicenseSpringClient is closed") as info:
        client.orders.update(7, OrderUpdate(is_test=True))
    assert isinstance(info.value, OrderPatchError)
    assert isinstance(info.value, RuntimeError)  # code that caught httpx's RuntimeError keeps working
    assert KEY not in str(info.value)
    assert httpx_mock.get_requests() == []


def test_a_copy_of_a_closed_client_is_closed_too(httpx_mock: HTTPXMock) -> None:
    with LicenseSpringClient(api_key=KEY) as client:
        copy = client.with_options(max_retries=0)
    with pytest.raises(ClientClosed):
        copy.orders.update(7, OrderUpdate(is_test=True))


def test_a_closed_http_client_given_by_the_caller(httpx_mock: HTTPXMock) -> None:
    http = httpx.Client()
    http.close()
    client = LicenseSpringClient(api_key=KEY, http_client=http)
    with pytest.raises(ClientClosed):
        client.orders.update(7, OrderUpdate(is_test=True))


async def test_a_closed_async_client_raises_client_closed(httpx_mock: HTTPXMock) -> None:
    async with AsyncLicenseSpringClient(api_key=KEY) as client:
        pass
    with pytest.raises(ClientClosed, match="AsyncLicenseSpringClient is closed"):
        await client.orders.update(7, OrderUpdate(is_test=True))
