"""URLs built from a checked base URL, path segments and query parameters."""

from __future__ import annotations

from typing import Any

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


def _parsed_way(base_url: httpx.URL, segments: tuple[str, ...], slash: bool, params: Any) -> httpx.URL:
    """What ``url_for`` returned before the reference was built directly: httpx parses it all."""
    from urllib.parse import urlencode

    path = base_url.path.rstrip("/") + "/" + "/".join(segments) + ("/" if slash else "")
    query = urlencode(params) if params else None
    if query is not None and base_url.query:
        query = base_url.query.decode("ascii") + "&" + query
    return base_url.copy_with(path=path, **({} if query is None else {"query": query.encode("ascii")}))


BASES = ["https://a.example", "https://a.example/", "https://u:p@b.example:8443/base/", "http://[::1]:8080/s",
         "https://x.example/p?tenant=9", "https://xn--bcher-kva.example/shop/api"]
SEGMENTS = [("api", "orders", "R1"), ("v1", "o-1.2~@+:_"), ("orders.json",), ("a b",), ("..",), ("x", ".hidden"),
            ("é",), ("a%2Fb",), ("a", "", "b"), ("q?x",)]
PARAMS: list[object] = [None, {}, {"include": "a.b,c"}, {"f[x]": "y z", "k": "é/?#&="}, [("a[]", "1"), ("a[]", "2")]]


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("segments", SEGMENTS)
def test_the_url_is_the_one_httpx_would_parse(base: str, segments: tuple[str, ...]) -> None:
    base_url = httpx.URL(base)
    for slash in (False, True):
        for params in PARAMS:
            try:
                parsed = _parsed_way(base_url, segments, slash, params)
            except httpx.InvalidURL:
                with pytest.raises(httpx.InvalidURL):
                    url_for(base_url, *segments, trailing_slash=slash, params=params)  # type: ignore[arg-type]
                continue
            ours = url_for(base_url, *segments, trailing_slash=slash, params=params)  # type: ignore[arg-type]
            assert ours == parsed
            assert (str(ours), ours.raw_path, ours.netloc, ours.query) == (
                str(parsed), parsed.raw_path, parsed.netloc, parsed.query)
            assert httpx.Request("GET", ours).url == httpx.Request("GET", str(parsed)).url


def test_the_reference_is_reused_only_when_this_httpx_agrees(monkeypatch: pytest.MonkeyPatch) -> None:
    from orderpatch import _spec

    assert _spec._FAST_URLS  # the installed httpx is laid out as expected
    monkeypatch.setattr(_spec, "_joined", lambda reference: httpx.URL("https://wrong.example"))
    assert _spec._fast_urls_agree() is False
    monkeypatch.setattr(_spec, "_FAST_URLS", False)
    assert str(url_for(httpx.URL("https://a.example"), "api", "R1")) == "https://a.example/api/R1"

    def broken(reference: object) -> httpx.URL:
        raise AttributeError("_uri_reference")

    monkeypatch.setattr(_spec, "_FAST_URLS", True)
    monkeypatch.setattr(_spec, "_joined", broken)
    assert _spec._fast_urls_agree() is False


@pytest.mark.parametrize(
    "params",
    [{"ids": "or_1", "shop_id": "sh-2.x~"}, [("a[]", "1"), ("a[]", "2")], {"q": "a b", "r": "é"}, {"n": 7},
     [("k", "v"), ("k", "w")], {"": ""}, {"x": "1/2"}],
)
def test_the_query_is_what_urlencode_writes(params: Any) -> None:
    from urllib.parse import urlencode

    from orderpatch._spec import _encoded

    assert _encoded(params) == urlencode(params)
