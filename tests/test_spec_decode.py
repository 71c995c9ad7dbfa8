"""``decode_json``: msgspec's decoder on the hot path, with ``json.loads``' verdict on what msgspec refuses."""

from __future__ import annotations

import json
import math

import httpx
import pytest

from orderpatch._spec import decode_json
from tests.conftest import shared_path

JSON = httpx.Headers({"content-type": "application/json"})


@pytest.mark.parametrize(
    "path",
    [
        ("seeds", "commercelayer-update-order.txt"),
        ("vendors", "spree", "examples", "update_order_200.json"),
        ("vendors", "licensespring", "examples", "update-order.response-200.json"),
    ],
)
def test_a_vendor_answer_decodes_to_what_json_loads_gives(path: tuple[str, ...]) -> None:
    text = shared_path(*path).read_text(encoding="utf-8")
    body = text[text.index('{"data":{"id"') :] if path[0] == "seeds" else text
    assert decode_json(body.encode(), JSON) == json.loads(body)


@pytest.mark.parametrize(
    "body",
    [
        b'{"big": 123456789012345678901234567890, "neg": -99999999999999999999999}',
        b'{"a": 1, "a": 2}',
        b'"\\u0000"',
        b' [1.5, -0, 1e-7, "\\u00e9"] ',
        b'"\\ud800"',  # a lone surrogate: msgspec refuses it, json.loads takes it
        b'\xef\xbb\xbf{"bom": true}',  # a UTF-8 byte-order mark: the same
        b"[1e400]",
    ],
)
def test_what_json_loads_accepts_decodes_the_same(body: bytes) -> None:
    assert decode_json(body, JSON) == json.loads(body)


def test_nan_is_decoded_as_json_loads_does() -> None:
    value = decode_json(b"[NaN]", JSON)
    assert isinstance(value, list)
    assert math.isnan(value[0])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"\xff", "malformed data"),
        (b'{"a": 1} x', "malformed data"),
        (b"[" * 100_000 + b"]" * 100_000, "malformed data"),
        (b"  ", "empty body"),
    ],
)
def test_what_neither_accepts_is_a_value_error(body: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        decode_json(body, JSON)
