"""Errors carry ``.response`` / ``.request`` and raw responses ``.text`` / ``.json()`` / ``.http_response``,
as openai-python's do; every copy has its credentials redacted."""

from __future__ import annotations

import gzip
import json

import httpx
import pytest
from pytest_httpx import HTTPXMock

from orderpatch import AuthenticationError, ConnectionFailed, NotFound, UnprocessableEntity
from orderpatch._exchange import readable_response, redacted_headers, redacted_request
from orderpatch.licensespring import AsyncLicenseSpringClient, LicenseSpringClient, OrderUpdate
from orderpatch.spree import OrderUpdate as SpreeUpdate
from orderpatch.spree import SpreeClient

URL = "https://saas.licensespring.com/api/v1/orders/7/"
ORDER = {"id": 7, "store_id": "s-1", "metadata": {}, "license_users": []}
KEY = "h8ZTleS1.OyCHhCST5c8K9A6gjV9wA1HLxWpUVSFv"


def test_raw_response_gives_the_body_as_openai_does(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, method="PATCH", json=ORDER, headers={"X-Request-Id": "req-1"})
    with LicenseSpringClient(api_key=KEY) as client:
        raw = client.orders.with_raw_response.update(7, OrderUpdate(store_id="s-1"))
    assert raw.parse().id == 7
    assert raw.json() == ORDER
    assert json.loads(raw.text) == ORDER
    assert raw.content == raw.http_response.content
    assert isinstance(raw.http_response, httpx.Response)
    assert raw.http_response.status_code == 200
    assert raw.http_response.json() == ORDER
    assert raw.http_response.headers["x-request-id"] == "req-1"
    sent = raw.http_response.request
    assert (sent.method, str(sent.url)) == ("PATCH", URL)
    assert sent.headers["authorization"] == "***"
    assert KEY not in repr(sent.headers) + str(sent.headers.raw) + sent.content.decode()


def test_a_copy_of_a_compressed_response_holds_the_decoded_body() -> None:
    body = json.dumps(ORDER).encode()
    wire = httpx.Response(200, headers={"Content-Encoding": "gzip", "Content-Length": "9"},
                          stream=httpx.ByteStream(gzip.compress(body)))
    copy = readable_response(wire, body, request=None)
    assert copy.json() == ORDER
    assert "content-encoding" not in copy.headers
    assert copy.headers["content-length"] == str(len(body))


async def test_async_raw_response_gives_the_body(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, method="PATCH", json=ORDER)
    async with AsyncLicenseSpringClient(api_key=KEY) as client:
        raw = await client.orders.with_raw_response.update(7, OrderUpdate(store_id="s-1"))
    assert raw.json() == ORDER
    assert raw.text == raw.http_response.text


def test_an_api_error_carries_the_exchange_redacted(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, method="PATCH", status_code=404,
                            json={"detail": f"Not found. (key {KEY})"}, headers={"Set-Cookie": "session=abc"})
    with LicenseSpringClient(api_key=KEY) as client, pytest.raises(NotFound) as info:
        client.orders.update(7, OrderUpdate(store_id="s-1"))
    error = info.value
    assert isinstance(error.response, httpx.Response)
    assert isinstance(error.request, httpx.Request)
    assert error.response.status_code == 404
    assert error.response.request is error.request
    assert error.response.json() == {"detail": "Not found. (key ***)"}
    assert error.response.headers["set-cookie"] == "***"
    assert (error.request.method, str(error.request.url)) == ("PATCH", URL)
    assert error.request.headers["authorization"] == "***"
    assert json.loads(error.request.content) == {"store_id": "s-1"}
    for text in (repr(error.request), repr(error.response), str(error.request.headers.raw),
                 str(error.response.headers.raw), error.response.text, error.request.content.decode()):
        assert KEY not in text


def test_a_token_endpoint_error_hides_the_client_secret(httpx_mock: HTTPXMock) -> None:
    secret = "spree-client-secret-value-123"
    httpx_mock.add_response(url="https://shop.example.com/spree_oauth/token", method="POST", status_code=401,
                            json={"error": "invalid_client", "error_description": "Client authentication failed"})
    with (SpreeClient(base_url="https://shop.example.com", client_id="cid", client_secret=secret) as client,
          pytest.raises(AuthenticationError) as info):
        client.orders.update("R1", SpreeUpdate(email="a@b.co"))
    request = info.value.request
    assert request is not None
    assert str(request.url) == "https://shop.example.com/spree_oauth/token"
    assert secret not in request.content.decode() + str(request.headers.raw)


def test_a_422_error_response_is_readable(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, method="PATCH", status_code=400, json={"store_id": ["Invalid."]})
    with LicenseSpringClient(api_key=KEY) as client, pytest.raises(UnprocessableEntity) as info:
        client.orders.update(7, OrderUpdate(store_id="s-1"))
    assert info.value.response is not None
    assert info.value.response.json() == {"store_id": ["Invalid."]}


def test_a_transport_error_carries_the_request_redacted(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_exception(httpx.ReadError("reset"), url=URL, is_reusable=True)
    with LicenseSpringClient(api_key=KEY, max_retries=0) as client, pytest.raises(ConnectionFailed) as info:
        client.orders.update(7, OrderUpdate(store_id="s-1"))
    request = info.value.request
    assert request is not None
    assert request.headers["authorization"] == "***"
    assert KEY not in str(request.headers.raw)


def test_the_helpers_redact_query_values_header_values_and_bodies() -> None:
    original = httpx.Request("POST", "https://h.example/x?access_token=tok123&page=2",
                             headers={"X-Api-Key": "k", "X-Trace": "carries tok123"}, content=b"secret=tok123")
    copy = redacted_request(original, ["tok123"])
    assert str(copy.url) == "https://h.example/x?access_token=%2A%2A%2A&page=2"
    assert copy.headers["x-api-key"] == "***"
    assert copy.headers["x-trace"] == "carries ***"
    assert copy.content == b"secret=***"
    assert redacted_headers(httpx.Headers({"A": "1", "B": "2"}), drop=["b"]) == httpx.Headers({"A": "1"})
    streamed = httpx.Request("POST", "https://h.example/", content=iter([b"x"]))
    assert redacted_request(streamed).content == b""
    response = readable_response(httpx.Response(500, content=b"tok123 failed"), b"tok123 failed",
                                 request=None, secrets=["tok123"])
    assert response.text == "*** failed"
