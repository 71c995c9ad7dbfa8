"""Trunkery emulation: POST orders.json (modify with ids, create without), JWT errors, idempotency."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
import pytest

from orderpatch.sandbox import SANDBOX_CREDENTIALS, Sandbox
from orderpatch.sandbox._seeds import TRUNKERY_CLOSED_ORDER_ID, TRUNKERY_ORDER_ID
from tests.sandbox.sandbox_support import TrunkeryApi, check_schema, plain_client, trunkery_validator

pytestmark = pytest.mark.loopback
ADDRESS = {
    "address1": "Chestnut Street 92",
    "city": "Louisville",
    "country": "US",
    "name": "John Smith",
    "province": "KY",
    "zip": "40202",
}


def orders(response: httpx.Response) -> list[dict[str, Any]]:
    """The ``Array<Order>`` of a 200, each element checked against the vendor's Order schema."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert isinstance(body, list)
    for order in body:
        check_schema(lambda: trunkery_validator("order"), order)
    return body


def only(response: httpx.Response) -> dict[str, Any]:
    [order] = orders(response)
    return order


def api_error(response: httpx.Response, status: int, code: int) -> dict[str, Any]:
    """An ``APIError`` body ``{code, message, field?, meta?}`` with the expected codes."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert isinstance(body["message"], str)
    assert set(body) <= {"code", "message", "field", "meta"}
    return body


def problems(response: httpx.Response) -> list[tuple[str, str]]:
    body = api_error(response, 400, 1000)
    for item in body["meta"]["fields"]:
        assert set(item) == {"field", "problem", "min", "max"}
    return [(item["field"], item["problem"]) for item in body["meta"]["fields"]]


# ---------------------------------------------------------------------------- modify


def test_modify_applies_the_order_modify_fields(trunkery: TrunkeryApi) -> None:
    changes = {
        "billing_address": {**ADDRESS, "company": "Google inc.", "phone": "5556251199"},
        "shipping_address": ADDRESS,
        "billing_address_short_id": "ar_EQzGqWoY",
        "currency": "USD",
        "customer_email": "jane@example.com",
        "customer_id": "cu_Other123",
        "discount_code": "AD1241251",
        "gateway_id": "gw_EQzGqWoY",
        "mobile": "45634634562",
        "mobile_notifications": True,
        "sales_channel_id": "sc_EQzGqWoY",
        "send_fulfillment_notifications": False,
        "send_order_notifications": False,
        "shipping_rate_ids": ["sr_Express"],
        "subscription_id": "ss_1",
        "tags": ["vip"],
        "line_items": [{"variant_id": "va_Rb7TnW2c", "quantity": 2}],
        "custom_items": [{"title": "Gift wrap", "price": 300, "grams": 50}],
        "shipping_address_short_id": None,
    }
    check_schema(lambda: trunkery_validator("order-modify"), changes)
    order = only(trunkery.modify(changes))
    assert order["id"] == TRUNKERY_ORDER_ID
    assert order["billing_address"]["company"] == "Google inc."
    assert order["shipping_address"]["province"] == {"id": "KY"}
    assert (order["customer"], order["gateway"], order["sales_channel"]) == (
        {"id": "cu_Other123"},
        {"id": "gw_EQzGqWoY"},
        {"id": "sc_EQzGqWoY"},
    )
    assert (order["billing_address_short"], order["subscription"]) == ({"id": "ar_EQzGqWoY"}, {"id": "ss_1"})
    assert (order["customer_email"], order["mobile_notifications"], order["tags"]) == (
        "jane@example.com",
        True,
        ["vip"],
    )
    assert [(item["variant"]["id"], item["quantity"]) for item in order["line_items"]] == [("va_Rb7TnW2c", 2)]
    assert order["selected_shipping_rates"][0]["id"] == "sr_Express"
    # 2 x 1200 + 300 custom, 10 % off, 1500 shipping
    assert (order["subtotal_price"], order["total_discounts"], order["shipping_price"]) == (2700, 270, 1500)
    assert order["total_price"] == 3930
    assert order["total_weight"] == 250


def test_nulls_and_unknown_fields_are_ignored(trunkery: TrunkeryApi) -> None:
    order = only(trunkery.modify({"customer_email": None, "line_items": None, "colour": "red"}))
    assert order["customer_email"] == "john.smith@example.com"
    assert len(order["line_items"]) == 1
    assert "colour" not in order


def test_line_items_replace_the_list_and_zero_quantities_drop(trunkery: TrunkeryApi) -> None:
    order = only(trunkery.modify({"line_items": [{"variant_id": "va_EQzGqWoY", "quantity": 0}], "discount_code": ""}))
    assert (order["line_items"], order["total_price"], order["discount_code"]) == ([], 0, None)


def test_fields_parameter_filters_the_output(trunkery: TrunkeryApi) -> None:
    response = trunkery.modify({}, fields="id,updated_at")
    assert response.status_code == 200
    assert set(response.json()[0]) == {"id", "updated_at"}


def test_updated_at_is_an_optimistic_lock(trunkery: TrunkeryApi) -> None:
    first = only(trunkery.modify({"tags": ["a"]}))
    second = only(trunkery.modify({"tags": ["b"]}, updated_at=first["updated_at"]))
    stale = trunkery.modify({"tags": ["c"]}, updated_at=first["updated_at"])
    body = api_error(stale, 409, 1031)
    assert body["field"] == "updated_at"
    same_instant = second["updated_at"].replace("Z", "+00:00")
    assert only(trunkery.modify({"tags": ["d"]}, updated_at=same_instant))["tags"] == ["d"]
    api_error(trunkery.modify({}, updated_at="not a timestamp"), 409, 1031)


def test_uuid_must_match_when_given(trunkery: TrunkeryApi) -> None:
    order = only(trunkery.modify({}))
    only(trunkery.modify({}, uuid=order["uuid"]))
    assert api_error(trunkery.modify({}, uuid="wrong"), 404, 404)["field"] == "ids"


def test_one_order_at_a_time(trunkery: TrunkeryApi) -> None:
    body = api_error(trunkery.modify({}, ids=f"{TRUNKERY_ORDER_ID},{TRUNKERY_CLOSED_ORDER_ID}"), 400, 1000)
    assert body["meta"]["fields"] == [{"field": "ids", "problem": "max_count_exceeded", "min": 1, "max": 1}]
    assert problems(trunkery.modify({}, ids=",")) == [("ids", "mandatory")]
    api_error(trunkery.modify([{}, {}], raw=True), 400, 1132)
    api_error(trunkery.modify([], raw=True), 400, 1132)


def test_closed_order_is_not_editable(trunkery: TrunkeryApi) -> None:
    body = api_error(trunkery.modify({"tags": ["x"]}, ids=TRUNKERY_CLOSED_ORDER_ID), 400, 1150)
    assert body["meta"] == {"reason": "order_not_editable"}


def test_unknown_order_and_shop(trunkery: TrunkeryApi) -> None:
    assert api_error(trunkery.modify({}, ids="or_Missing00"), 404, 404)["field"] == "ids"
    trunkery.shop_id = "sh_Someone"
    assert api_error(trunkery.modify({}), 404, 404)["field"] == "shop_id"
    trunkery.shop_id = ""
    assert problems(trunkery.modify({})) == [("shop_id", "mandatory")]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"customer_id": "xx_1", "gateway_id": "gw_ok"}, [("customer_id", "invalid_identifier")]),
        (
            {"customer_email": "nope", "currency": "usd", "mobile": "call me"},
            [("customer_email", "invalid_email"), ("currency", "invalid_value"), ("mobile", "invalid_phone")],
        ),
        ({"discount_code": "FREE"}, [("discount_code", "invalid_discount_code")]),
        (
            {"shipping_address": {"name": "J", "country": "USA", "province": "K"}},
            [
                ("shipping_address.address1", "mandatory"),
                ("shipping_address.city", "mandatory"),
                ("shipping_address.zip", "mandatory"),
                ("shipping_address.country", "invalid_value"),
                ("shipping_address.province", "invalid_value"),
            ],
        ),
        (
            {"line_items": [{"quantity": 1}, {"variant_id": "va_nope", "quantity": -1}, {"variant_id": "va_EQzGqWoY"}]},
            [
                ("line_items[0].variant_id", "mandatory"),
                ("line_items[1].quantity", "invalid_non_negative_int64"),
                ("line_items[1].variant_id", "invalid_identifier"),
                ("line_items[2].quantity", "mandatory"),
            ],
        ),
        ({"custom_items": [{"price": 5}]}, [("custom_items[0].title", "mandatory")]),
    ],
)
def test_invalid_input_lists_every_problem(
    trunkery: TrunkeryApi, changes: dict[str, object], expected: list[tuple[str, str]]
) -> None:
    assert problems(trunkery.modify(changes)) == expected
    assert only(trunkery.modify({}))["customer_email"] == "john.smith@example.com"  # nothing applied


@pytest.mark.parametrize(
    "changes",
    [
        {"tags": "vip"},
        {"tags": [1]},
        {"customer_email": 5},
        {"mobile_notifications": "yes"},
        {"billing_address": "here"},
        {"line_items": ["va_EQzGqWoY"]},
        {"customer_id": True},
    ],
)
def test_wrong_json_types_are_parsing_failures(trunkery: TrunkeryApi, changes: dict[str, object]) -> None:
    body = api_error(trunkery.modify(changes), 400, 1030)
    assert body["meta"]["error"].startswith("json: cannot unmarshal ")


def test_unparseable_bodies(trunkery: TrunkeryApi) -> None:
    query = {"ids": TRUNKERY_ORDER_ID, "shop_id": trunkery.shop_id}
    api_error(trunkery.http.post("/orders.json", params=query, content=b"[{"), 400, 1030)
    api_error(trunkery.modify({"not": "an array"}, raw=True), 400, 1030)
    api_error(trunkery.modify([1], raw=True), 400, 1030)


def test_out_of_stock_is_an_order_error(trunkery: TrunkeryApi) -> None:
    body = api_error(trunkery.modify({"line_items": [{"variant_id": "va_Rb7TnW2c", "quantity": 4}]}), 400, 1001)
    assert body["meta"]["errors"] == [
        {"code": "out_of_stock", "line_item_index": 0, "subject": "va_Rb7TnW2c", "min": 0, "max": 3}
    ]


def test_unknown_shipping_rate_is_an_invalid_operation(trunkery: TrunkeryApi) -> None:
    body = api_error(trunkery.modify({"shipping_rate_ids": ["sr_Teleport"]}), 400, 1150)
    assert body["meta"] == {"reason": "shipping_rates_invalid"}


# ---------------------------------------------------------------------------- create and idempotency


def test_without_ids_the_same_call_creates_an_order(trunkery: TrunkeryApi) -> None:
    created = only(
        trunkery.create(
            {"customer_email": "new@example.com", "line_items": [{"variant_id": "va_EQzGqWoY", "quantity": 1}]}
        )
    )
    assert created["id"].startswith("or_")
    assert created["id"] != TRUNKERY_ORDER_ID
    assert (created["state"], created["total_price"]) == ("cart", 2500)
    assert only(trunkery.modify({"tags": ["later"]}, ids=created["id"]))["tags"] == ["later"]
    assert only(trunkery.create({}))["id"] != created["id"]


def test_idempotency_key_replays_a_create(trunkery: TrunkeryApi, sandbox: Sandbox) -> None:
    key = {"Idempotency-Key": "0b6e4c1a-1d3e-4a58-9f0e-5bbd3b7f1a11"}
    first = trunkery.create({"customer_email": "once@example.com"}, headers=key)
    replay = trunkery.create({"customer_email": "once@example.com"}, headers=key)
    assert replay.content == first.content
    other_body = only(trunkery.create({"customer_email": "twice@example.com"}, headers=key))
    assert other_body["id"] != only(first)["id"]
    assert len(sandbox.requests_log()) == 3  # every attempt reached the server


def test_idempotency_key_replay_does_not_apply_a_modify_twice(trunkery: TrunkeryApi) -> None:
    key = {"Idempotency-Key": "modify-1"}
    body = [{"tags": ["first"]}]
    query = {"ids": TRUNKERY_ORDER_ID, "shop_id": trunkery.shop_id}
    first = trunkery.http.post("/orders.json", params=query, json=body, headers=key)
    only(trunkery.modify({"tags": ["second"]}))
    replay = trunkery.http.post("/orders.json", params=query, json=body, headers=key)
    assert replay.content == first.content
    assert only(trunkery.modify({}))["tags"] == ["second"]


def test_failed_attempts_are_not_replayed(trunkery: TrunkeryApi, sandbox: Sandbox) -> None:
    key = {"Idempotency-Key": "retry-me"}
    sandbox.set_knobs(dataclasses.replace(sandbox.knobs, error_rate=1.0))
    assert trunkery.create({}, headers=key).status_code == 503
    sandbox.set_knobs(dataclasses.replace(sandbox.knobs, error_rate=0.0))
    first = only(trunkery.create({}, headers=key))
    assert only(trunkery.create({}, headers=key))["id"] == first["id"]


# ---------------------------------------------------------------------------- authentication


@pytest.mark.parametrize(
    ("token", "status", "code"),
    [("not.a.jwt", 401, 999), ("garbage", 401, 999), ("expired_token", 401, 999), ("write_expired_token", 401, 996)],
)
def test_token_errors(sandbox: Sandbox, token: str, status: int, code: int) -> None:
    api = TrunkeryApi(sandbox, SANDBOX_CREDENTIALS["trunkery"].get(token, token))
    with api.http:
        api_error(api.modify({}), status, code)


def test_missing_token_is_unauthorized(sandbox: Sandbox) -> None:
    with plain_client(base_url=sandbox.base_url("trunkery")) as http:
        response = http.post("/orders.json", params={"ids": TRUNKERY_ORDER_ID, "shop_id": "sh_EQzGqWoY"}, json=[{}])
    api_error(response, 401, 401)


def test_missing_permission_bit_is_no_permissions(sandbox: Sandbox) -> None:
    api = TrunkeryApi(sandbox, SANDBOX_CREDENTIALS["trunkery"]["read_only_token"])
    with api.http:
        assert api_error(api.modify({}), 403, 997)["meta"] == {"bits": ["orders.modify"]}
        assert api_error(api.create({}), 403, 997)["meta"] == {"bits": ["orders.create"]}


def test_other_routes(trunkery: TrunkeryApi) -> None:
    response = trunkery.http.put("/orders.json")  # GET reads orders by id (test_sandbox_reading.py)
    assert (response.status_code, response.json()) == (405, {"message": "Method Not Allowed"})
    response = trunkery.http.post("/relay.json", json=[])
    assert (response.status_code, response.json()) == (404, {"code": 404, "message": "Not Found"})
