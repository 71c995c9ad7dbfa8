"""The pure parts of the Trunkery codec: the request as built, timestamps, token claims, strict parsing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from orderpatch import Secret
from orderpatch.trunkery import DEFAULT_BASE_URL, OrderModify, OrderState
from orderpatch.trunkery._codec import build_modify_request, converter, parse_modify_response, shop_id_from_token

from ._fixtures import ORDER_ID, SHOP_ID, jwt, order_payload

BASE = httpx.URL(DEFAULT_BASE_URL)


def test_the_call_is_a_non_idempotent_post_keyed_for_retries() -> None:
    call, core = build_modify_request(BASE, ORDER_ID, OrderModify(tags=[]), {"timeout": 5.0, "shop_id": "sh_2"},
                                      default_shop_id=SHOP_ID, default_max_retries=2)
    assert call.idempotent is False
    assert call.idempotency_key == call.request.headers["Idempotency-Key"]
    assert core == {"timeout": 5.0}
    assert str(call.request.url) == f"{DEFAULT_BASE_URL}/orders.json?ids={ORDER_ID}&shop_id=sh_2"


@pytest.mark.parametrize(
    ("value", "sent"),
    [
        (dt.datetime(2024, 5, 14, 10, 11, 12, tzinfo=dt.UTC), "2024-05-14T10:11:12Z"),
        (dt.datetime(2024, 5, 14, 10, 11, 12, 500000, tzinfo=dt.UTC), "2024-05-14T10:11:12.5Z"),
        (dt.datetime(2024, 5, 14, 12, 11, 12, 1, tzinfo=dt.timezone(dt.timedelta(hours=2))),
         "2024-05-14T10:11:12.000001Z"),
        ("2024-05-14T10:11:12.123456789+02:00", "2024-05-14T10:11:12.123456789+02:00"),
    ],
)
def test_if_updated_at_is_sent_as_read_or_as_rfc3339_utc(value: str | dt.datetime, sent: str) -> None:
    call, _ = build_modify_request(BASE, ORDER_ID, OrderModify(), {"if_updated_at": value},
                                   default_shop_id=SHOP_ID, default_max_retries=2)
    assert call.request.url.params["updated_at"] == sent


def test_a_secret_uuid_is_sent_as_its_value() -> None:
    call, _ = build_modify_request(BASE, ORDER_ID, OrderModify(), {"uuid": Secret("5f0c6a59")},
                                   default_shop_id=SHOP_ID, default_max_retries=2)
    assert call.request.url.params["uuid"] == "5f0c6a59"


@pytest.mark.parametrize(
    ("token", "shop"),
    [
        (jwt({"shop_id": "sh_ABd45EZBeE81"}), "sh_ABd45EZBeE81"),
        (jwt({"user_id": "us_1"}), None),
        (jwt({"shop_id": "sh_a,sh_b"}), None),
        (jwt({"shop_id": 12}), None),
        ("a.%%%.c", None),
        ("a.bm90IGpzb24.c", None),
        (f"a.{'WzFd'}.c", None),
        ("not-a-jwt", None),
    ],
)
def test_the_shop_claim_of_a_key_token(token: str, shop: str | None) -> None:
    assert shop_id_from_token(token) == shop


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"state": 3}, r"^\[0\]\.state: expected a string, got 3;"),
        ({"client_secret": None}, r"^\[0\]\.client_secret: expected a string, got null;"),
        ({"tags": {"vip": True}}, r"^\[0\]\.tags: expected a JSON array, got a JSON object;"),
        ({"line_items": "li_1"}, r"^\[0\]\.line_items: expected a JSON array, got 'li_1';"),
        ({"customer": {"id": 5}}, r"^\[0\]\.customer: expected Ref or Customer or NoneType, got a JSON object;"),
    ],
)
def test_parsing_is_strict(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_modify_response([order_payload(**overrides)], order_id=ORDER_ID)


def test_enums_and_secrets_round_trip_through_the_converter() -> None:
    assert converter.structure("capture_payment", OrderState) is OrderState.CAPTURE_PAYMENT
    assert converter.unstructure(converter.structure("s3cret", Secret)) == "s3cret"
