"""URLs built from a checked base URL, path segments and query parameters."""

from __future__ import annotations

import httpx
import pytest

from orderpatch._spec import url_for


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("https://shop.example", "https://shop.example/api/orders/R1"),
        ("https://shop.example/", "https://shop.example/api/orders/R1"),
        ("https://shop.example/store", "https://shop.example/store/api/orders/R1"),
        ("https://shop.example/store/", "https://shop.example/store/api/orders/R1"),
    ],
)
def test_segments_join_the_base_path(base: str, expected: str) -> None:
    assert str(url_for(httpx.URL(base), "api", "orders", "R1")) == expected


def test_trailing_slash() -> None:
    assert str(url_for(httpx.URL("https://x.example"), "v1", "7", trailing_slash=True)) == "https://x.example/v1/7/"


def test_params_are_encoded_exactly_as_httpx_encodes_them() -> None:
    params = {"include": "a,b.c", "fields[orders]": "x y", "ids": "é~/&="}
    ours = url_for(httpx.URL("https://x.example"), "orders.json", params=params)
    theirs = httpx.Request("POST", "https://x.example/orders.json", params=params).url
    assert ours == theirs
    assert ours.raw_path == b"/orders.json?include=a%2Cb.c&fields%5Borders%5D=x+y&ids=%C3%A9~%2F%26%3D"
    assert dict(ours.params) == params


def test_empty_params_add_no_query() -> None:
    assert url_for(httpx.URL("https://x.example"), "a", params={}).query == b""


def test_a_query_on_the_base_url_is_kept() -> None:
    url = url_for(httpx.URL("https://x.example/p?tenant=9"), "a", params={"ids": "1"})
    assert str(url) == "https://x.example/p/a?tenant=9&ids=1"
