"""``Call.read``: a typed fast path from a 2xx body's bytes, with ``parse`` as the fallback, sync and async."""

from __future__ import annotations

import httpx
import pytest
from pytest_httpx import HTTPXMock

from orderpatch import DecodeError
from orderpatch._spec import Call
from orderpatch._types import JSONValue
from orderpatch.licensespring import AsyncLicenseSpringClient, LicenseSpringClient

URL = "https://saas.licensespring.com/api/v1/orders/7/"
KEY = "h8ZTleS1.OyCHhCST5c8K9A6gjV9wA1HLxWpUVSFv"


def call(read_result: object, seen: list[bytes]) -> Call[object]:
    def read(content: bytes) -> object:
        seen.append(content)
        return read_result

    def parse(payload: JSONValue) -> object:
        return ("parsed", payload)

    return Call(request=httpx.Request("GET", URL), parse=parse, idempotent=True, read=read)


def test_the_fast_path_gives_the_result_from_the_bytes(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, content=b'{"id": 7}', headers={"Content-Type": "application/json"})
    seen: list[bytes] = []
    with LicenseSpringClient(api_key=KEY) as client:
        assert client.request(call("read", seen)) == "read"
    assert seen == [b'{"id": 7}']


async def test_none_from_the_fast_path_means_the_usual_parse(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, content=b'{"id": 7}')
    seen: list[bytes] = []
    async with AsyncLicenseSpringClient(api_key=KEY) as client:
        assert await client.request(call(None, seen)) == ("parsed", {"id": 7})
    assert seen == [b'{"id": 7}']


@pytest.mark.parametrize(("status", "headers"), [(204, {}), (200, {"Content-Type": "text/html; charset=utf-8"})])
def test_no_fast_path_for_an_empty_answer_or_an_html_page(
    httpx_mock: HTTPXMock, status: int, headers: dict[str, str]
) -> None:
    httpx_mock.add_response(url=URL, status_code=status, content=b"" if status == 204 else b'{"id": 7}',
                            headers=headers)
    seen: list[bytes] = []
    with LicenseSpringClient(api_key=KEY) as client:
        if status == 204:
            assert client.request(call("read", seen)) == ("parsed", None)
        else:
            with pytest.raises(DecodeError, match="expected JSON, got a text/html page"):
                client.request(call("read", seen))
    assert seen == []


def test_a_fast_path_that_raises_is_a_decode_error_not_a_crash(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=URL, content=b'{"id": 7}')

    def read(content: bytes) -> object:
        raise ValueError("bug in a fast path")

    broken: Call[object] = Call(request=httpx.Request("GET", URL), parse=lambda p: p, idempotent=True, read=read)
    with LicenseSpringClient(api_key=KEY) as client, pytest.raises(DecodeError, match="bug in a fast path"):
        client.request(broken)
