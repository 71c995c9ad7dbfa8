"""LicenseSpring request building and response parsing, without HTTP."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest

from orderpatch import UNSET, JSONValue, ValidationError
from orderpatch.licensespring import Order, OrderUpdate
from orderpatch.licensespring._codec import build_update_request, converter, describe_error, parse_order
from tests.conftest import shared_json

BASE = httpx.URL("https://saas.licensespring.com")


def body(changes: OrderUpdate) -> object:
    return json.loads(build_update_request(BASE, 1629789747117569, changes).request.content)


def test_unset_fields_are_omitted_and_none_is_null() -> None:
    assert body(OrderUpdate()) == {}
    assert body(OrderUpdate(download_id=None, is_test=False)) == {"download_id": None, "is_test": False}
    assert body(OrderUpdate(store_id=UNSET, language="en")) == {"language": "en"}


def test_every_field_is_sent_with_its_type() -> None:
    changes = OrderUpdate(
        store_id="s",
        type="normal",
        is_test=True,
        is_trial=False,
        download_id="d",
        language="en",
        campaign_params="utm_source=x",
        customer=123,
        customer_account=9,
        metadata={"crm": {"id": 5, "tags": ["a"]}},
    )
    assert body(changes) == {
        "store_id": "s",
        "type": "normal",
        "is_test": True,
        "is_trial": False,
        "download_id": "d",
        "language": "en",
        "campaign_params": "utm_source=x",
        "customer": 123,
        "customer_account": 9,
        "metadata": {"crm": {"id": 5, "tags": ["a"]}},
    }


def test_request_line_and_headers() -> None:
    call = build_update_request(httpx.URL("https://ls.example.com/tenant/"), "42", OrderUpdate(is_test=True))
    assert call.request.method == "PATCH"
    assert str(call.request.url) == "https://ls.example.com/tenant/api/v1/orders/42/"
    assert call.request.headers["Content-Type"] == "application/json"
    assert call.idempotent is True


@pytest.mark.parametrize("bad_id", ["", "../x", "a/b", "1\r\n2", 0, None])
def test_unsafe_ids_are_refused(bad_id: object) -> None:
    with pytest.raises(ValidationError, match="order_id"):
        build_update_request(BASE, bad_id, OrderUpdate())  # type: ignore[arg-type]


def test_wrong_changes_type_is_refused() -> None:
    with pytest.raises(ValidationError, match="changes: expected orderpatch.licensespring.OrderUpdate"):
        build_update_request(BASE, 1, {"store_id": "x"})  # type: ignore[arg-type]


def test_documented_request_examples_round_trip() -> None:
    for name in ("update-order.request.json", "change-customer-on-order.request.json"):
        example = shared_json("vendors", "licensespring", "examples", name)
        assert isinstance(example, dict)
        changes = converter.structure(example, OrderUpdate)
        assert body(changes) == example


def test_documented_200_parses_with_every_field_typed() -> None:
    example = shared_json("vendors", "licensespring", "examples", "update-order.response-200.json")
    order = parse_order(example)  # type: ignore[arg-type]
    assert order == Order(
        id=1629789747117569,
        created_at=dt.datetime(2021, 8, 24, 7, 22, 27, tzinfo=dt.UTC),
        updated_at=dt.datetime(2021, 11, 23, 7, 4, 7, 441338, tzinfo=dt.UTC),
        store_id="patched_store_id",
        type="normal",
        customer_email=None,
        is_test=False,
        customer_reference="",
        is_trial=False,
        download_id=None,
        language=None,
        campaign_params=None,
        customer_first_name=None,
        customer_last_name=None,
        customer_company=None,
        customer_phone=None,
        metadata={},
        company=339,
        customer=None,
        customer_account=None,
        license_users=[],
    )
    assert order.extra == {}


def test_unknown_fields_are_kept_and_round_trip() -> None:
    payload: JSONValue = {"id": 1, "brand_new": {"x": 1}, "created_at": "2021-08-24T07:22:27"}
    order = parse_order(payload)
    assert order.extra == {"brand_new": {"x": 1}}
    assert order.created_at is not None
    assert order.created_at.tzinfo is not None
    assert converter.unstructure(order)["brand_new"] == {"x": 1}


@pytest.mark.parametrize(
    ("payload", "message", "details"),
    [
        ({"message": "ain't no cake like that"}, "ain't no cake like that", 0),
        (
            {"detail": "Authentication credentials were not provided."},
            "Authentication credentials were not provided.",
            0,
        ),
        ({"store_id": ["too long", "bad"], "non_field_errors": ["nope"]}, "store_id: too long; store_id: bad; nope", 3),
        (None, "plain text", 0),
    ],
)
def test_error_bodies(payload: object, message: str, details: int) -> None:
    info = describe_error(400, payload, "plain text")  # type: ignore[arg-type]
    assert info.message == message
    assert len(info.errors) == details


def test_empty_error_body_falls_back_to_reason() -> None:
    assert describe_error(503, None, "").message == "Service Unavailable"
