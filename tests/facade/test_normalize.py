"""``UpdatedOrder`` filled from each vendor's seed answer, and its JSON form."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import jsonschema
import pytest
from pytest_httpx import HTTPXMock

from orderpatch._facade import OrderChanges, UpdatedOrder, aupdate_order, update_order
from orderpatch._types import Secret
from tests.conftest import shared_json
from tests.facade._support import METHODS, ORDER_IDS, URLS, config, seed_response


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


EXPECTED: dict[str, dict[str, Any]] = {
    "licensespring": {
        "id": "1629789747117569", "number": None, "reference": "patched_store_id", "email": None, "status": None,
        "updated_at": utc("2021-11-23T07:04:07.441338"), "total": None, "currency": None,
    },
    "commercelayer": {
        "id": "xYZkjABcde", "number": "1234", "reference": "ANY-EXTERNAL-REFEFERNCE", "email": "john@example.com",
        "status": "draft", "updated_at": utc("2018-01-01T12:00:00"), "total": Decimal("57.00"), "currency": "EUR",
    },
    "spree": {
        "id": "47", "number": "R484277352", "reference": None, "email": "new@example.com", "status": "delivery",
        "updated_at": utc("2022-11-08T19:34:38.599"), "total": Decimal("110.0"), "currency": "USD",
    },
    "trunkery": {
        "id": "or_EQzGqWoY", "number": "1043", "reference": None, "email": "new@example.com", "status": "cart",
        "updated_at": utc("2024-05-14T10:11:12.345678"), "total": Decimal("32.00"), "currency": "USD",
    },
}
CHANGES = {
    "licensespring": OrderChanges(reference="patched_store_id"),
    "commercelayer": OrderChanges(email="john@example.com"),
    "spree": OrderChanges(email="new@example.com"),
    "trunkery": OrderChanges(email="new@example.com"),
}


async def fetch(httpx_mock: HTTPXMock, vendor: str, is_async: bool) -> UpdatedOrder:
    httpx_mock.add_response(method=METHODS[vendor], url=URLS[vendor], json=seed_response(vendor))
    if is_async:
        return await aupdate_order(ORDER_IDS[vendor], CHANGES[vendor], config=config(vendor))
    return update_order(ORDER_IDS[vendor], CHANGES[vendor], config=config(vendor))


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("vendor", sorted(EXPECTED))
async def test_normalized_view_of_the_seed_answer(httpx_mock: HTTPXMock, vendor: str, is_async: bool) -> None:
    order = await fetch(httpx_mock, vendor, is_async)
    assert order == UpdatedOrder(vendor=vendor, detail=order.detail, **EXPECTED[vendor])
    assert type(order.detail).__name__ == "Order"
    assert type(order.detail).__module__.split(".")[:2] == ["orderpatch", vendor]
    assert "detail" not in repr(order)


@pytest.mark.parametrize("vendor", sorted(EXPECTED))
async def test_to_dict_is_json_with_the_vendor_detail(httpx_mock: HTTPXMock, vendor: str) -> None:
    order = await fetch(httpx_mock, vendor, False)
    data = order.to_dict()
    text = json.dumps(data)  # plain JSON all the way down
    expected = EXPECTED[vendor]
    assert {k: v for k, v in data.items() if k != "detail"} == {
        "vendor": vendor,
        **{k: v for k, v in expected.items() if k not in ("updated_at", "total")},
        "updated_at": expected["updated_at"].isoformat(),
        "total": None if expected["total"] is None else str(expected["total"]),
    }
    assert data["detail"] == order.detail.to_dict() == json.loads(order.detail.to_json())
    assert isinstance(data["detail"], dict)
    assert "pi_facade_fixture_client_secret" not in text


async def test_secrets_inside_the_vendor_order_are_redacted_in_to_dict(httpx_mock: HTTPXMock) -> None:
    order = await fetch(httpx_mock, "trunkery", False)
    assert order.detail.client_secret == Secret("pi_facade_fixture_client_secret")  # type: ignore[union-attr]
    detail = order.to_dict()["detail"]
    assert isinstance(detail, dict)
    assert detail["client_secret"] == "***"
    assert detail["tags"] == ["vip", "crm"]


def test_our_trunkery_fixture_follows_the_vendor_schema() -> None:
    schema = shared_json("vendors", "trunkery", "order.schema.json")
    payload = seed_response("trunkery")
    assert isinstance(payload, list)
    jsonschema.validate(payload[0], schema)

