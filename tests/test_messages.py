"""Error messages a person reads: no doubled words, an HTML page reduced to its title, no line repeated."""

from __future__ import annotations

import io

import pytest
from pytest_httpx import HTTPXMock

from orderpatch import APIError, NotFound, ServerError
from orderpatch._spec import text_summary
from orderpatch.cli import main
from orderpatch.licensespring import LicenseSpringClient, OrderUpdate
from orderpatch.trunkery._codec import describe_error

NGINX = ("<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
         "<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n"
         "</body>\r\n</html>\r\n")


def test_the_code_is_not_repeated_after_the_status() -> None:
    error = APIError("NotFound — no such order", status=404, vendor="trunkery", code="404")
    assert str(error) == "trunkery answered 404: NotFound — no such order"
    assert str(APIError("x", status=422, vendor="v", code="1000")) == "v answered 422 1000: x"


def test_trunkery_does_not_say_not_found_twice() -> None:
    info = describe_error(404, {"code": 404, "message": "not found"}, "")
    assert info.message.startswith("NotFound — no such order in this shop")
    assert "not found" not in info.message


@pytest.mark.parametrize(("text", "summary"), [
    (NGINX, "503 Service Temporarily Unavailable"),
    ("<!DOCTYPE html><html><body><h1>Bad &amp; gateway</h1><p>long page</p></body></html>", "Bad & gateway"),
    ("<html><head><style>p {}</style></head><body><p>just  text</p></body></html>", "just text"),
    ("plain   text\nbody", "plain text body"),
    ("a < b and c > d", "a < b and c > d"),
])
def test_an_html_page_is_reduced_to_its_title(text: str, summary: str) -> None:
    assert text_summary(text) == summary


def test_an_html_error_page_gives_a_short_message(httpx_mock: HTTPXMock) -> None:
    url = "https://saas.licensespring.com/api/v1/orders/7/"
    httpx_mock.add_response(url=url, status_code=503, html=NGINX, is_reusable=True)
    with LicenseSpringClient(api_key="k" * 20, max_retries=0) as client, pytest.raises(ServerError) as info:
        client.orders.update(7, OrderUpdate(is_test=True))
    assert str(info.value) == "licensespring answered 503: 503 Service Temporarily Unavailable"


def test_field_lines_do_not_repeat_the_message(httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in __import__("os").environ if n.startswith("ORDERPATCH_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("ORDERPATCH_VENDOR", "licensespring")
    monkeypatch.setenv("ORDERPATCH_LICENSESPRING_API_KEY", "k" * 20)
    url = "https://saas.licensespring.com/api/v1/orders/7/"
    httpx_mock.add_response(url=url, status_code=400, json={"store_id": ["Invalid."], "is_test": ["Not a bool."]})
    err = io.StringIO()
    code = main(["update", "7", "--set", "reference=x"], stdout=io.StringIO(), stderr=err)
    assert code == 4
    assert err.getvalue() == "orderpatch: error: licensespring answered 400: store_id: Invalid.; is_test: Not a bool.\n"


def test_a_404_on_the_command_reads_once(httpx_mock: HTTPXMock) -> None:
    url = "https://saas.licensespring.com/api/v1/orders/7/"
    httpx_mock.add_response(url=url, status_code=404, json={"detail": "Not found."})
    with LicenseSpringClient(api_key="k" * 20) as client, pytest.raises(NotFound) as info:
        client.orders.update(7, OrderUpdate(is_test=True))
    assert str(info.value) == "licensespring answered 404: Not found."
