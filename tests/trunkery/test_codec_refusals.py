"""The Trunkery codec's refusals field by field (message, ``field`` and ``expected``), when an
``Idempotency-Key`` is generated, and how an error answer's code is read."""

from __future__ import annotations

import httpx
import pytest

from orderpatch import ValidationError
from orderpatch.errors import ConfigurationError, ErrorDetail
from orderpatch.trunkery import DEFAULT_BASE_URL, OrderModify
from orderpatch.trunkery._codec import (
    _distinct,
    build_modify_request,
    default_shop_id,
    describe_error,
    parse_modify_response,
)
from orderpatch.trunkery._enums import ErrorCode

from ._fixtures import ORDER_ID, SHOP_ID

BASE = httpx.URL(DEFAULT_BASE_URL)
SHOP_EXPECTED = "one shop id string such as 'sh_EQzGqWoY'"
ORDER_EXPECTED = "one order id string such as 'or_EQzGqWoY'"
CREATE_GUARD = " (without an id, POST orders.json would create a new order)"


def build(options: dict[str, object], order_id: object = ORDER_ID, *, default_shop: str | None = SHOP_ID,
          retries: int = 2) -> httpx.Request:
    call, _ = build_modify_request(BASE, order_id, OrderModify(), options,  # type: ignore[arg-type]
                                   default_shop_id=default_shop, default_max_retries=retries)
    return call.request


def refusal(options: dict[str, object], order_id: object = ORDER_ID, *,
            default_shop: str | None = SHOP_ID) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        build(options, order_id, default_shop=default_shop)
    return info.value


@pytest.mark.parametrize(
    ("options", "field", "expected", "message"),
    [
        ({"shop_id": " "}, "shop_id", SHOP_EXPECTED, f"shop_id: empty; expected {SHOP_EXPECTED}"),
        ({"shop_id": ["a", "b"]}, "shop_id", SHOP_EXPECTED,
         f"shop_id: expected {SHOP_EXPECTED} (one shop per call), got list ['a', 'b']"),
        ({"shop_id": "a,b"}, "shop_id", SHOP_EXPECTED,
         f"shop_id: expected {SHOP_EXPECTED}, got 2 comma-separated ids str 'a,b'; a call takes exactly one shop"),
        ({"shop_id": 7}, "shop_id", SHOP_EXPECTED, f"shop_id: expected {SHOP_EXPECTED}, got int 7"),
        ({"extra_query": {"uuid": "u", "ids": "x", "page": "1"}}, "extra_query",
         "query parameters orderpatch does not set itself",
         "extra_query: must not set ids, uuid: pass order_id, shop_id=, if_updated_at=, uuid= or fields= instead"),
        ({"extra_headers": {"X-Trace": "1", "idempotency-KEY": "k"}}, "extra_headers",
         "headers other than Idempotency-Key",
         "extra_headers: must not set Idempotency-Key: pass idempotency_key= instead"),
        ({"idempotency_key": ""}, "idempotency_key", "a str of 1 to 255 visible ASCII characters, or None to send none",
         "idempotency_key: expected a str of 1 to 255 visible ASCII characters, or None to send none, got str ''"),
    ],
)
def test_each_refusal_names_its_field_and_what_was_expected(
    options: dict[str, object], field: str, expected: str, message: str
) -> None:
    error = refusal(options)
    assert (str(error), error.field, error.expected) == (message, field, expected)


def test_a_missing_shop_says_where_to_give_one() -> None:
    error = refusal({}, default_shop=None)
    assert (str(error), error.field, error.expected) == (
        "shop_id: missing; pass shop_id= to the client or to this call", "shop_id", "a shop id"
    )


@pytest.mark.parametrize(
    ("order_id", "message"),
    [
        (None, f"order_id: missing; expected {ORDER_EXPECTED}{CREATE_GUARD}"),
        ("", f"order_id: empty; expected {ORDER_EXPECTED}{CREATE_GUARD}"),
        (("a",), f"order_id: expected {ORDER_EXPECTED} (one order per call), got tuple ('a',)"),
        ("a,b,c",
         f"order_id: expected {ORDER_EXPECTED}, got 3 comma-separated ids str 'a,b,c'; a call takes exactly one order"),
    ],
)
def test_an_unusable_order_id_is_refused_exactly(order_id: object, message: str) -> None:
    error = refusal({}, order_id)
    assert (str(error), error.field, error.expected) == (message, "order_id", ORDER_EXPECTED)


def test_an_unsafe_shop_id_is_named_as_the_shop_id() -> None:
    error = refusal({"shop_id": "../x"})
    assert error.field == "shop_id"
    assert str(error).startswith("shop_id: ")


def test_a_clients_default_shop_is_checked_as_its_own_key() -> None:
    assert default_shop_id(SHOP_ID, "t") == SHOP_ID
    with pytest.raises(ConfigurationError) as info:
        default_shop_id("a,b", "t")
    assert info.value.key == "shop_id"
    assert str(info.value).startswith("shop_id: expected one shop id string such as 'sh_EQzGqWoY', got 2 comma")


def test_other_extra_headers_and_query_parameters_are_left_to_the_core() -> None:
    options = {"extra_headers": {"X-Trace": "1"}, "extra_query": {"page": "1"}, "timeout": 3.0, "shop_id": SHOP_ID}
    call, core = build_modify_request(BASE, ORDER_ID, OrderModify(), options,  # type: ignore[arg-type]
                                      default_shop_id=None, default_max_retries=2)
    assert core == {"extra_headers": {"X-Trace": "1"}, "extra_query": {"page": "1"}, "timeout": 3.0}
    assert "Idempotency-Key" in call.request.headers


@pytest.mark.parametrize(
    ("client_retries", "call_retries", "keyed"),
    [(0, None, False), (1, None, True), (2, None, True), (2, 0, False), (0, 1, True), (0, 3, True)],
)
def test_a_key_is_generated_only_when_the_call_may_be_retried(
    client_retries: int, call_retries: int | None, keyed: bool
) -> None:
    options: dict[str, object] = {} if call_retries is None else {"max_retries": call_retries}
    request = build(options, retries=client_retries)
    assert ("Idempotency-Key" in request.headers) is keyed


def test_the_request_is_a_json_post_of_one_element() -> None:
    request = build({"idempotency_key": "k-1"})
    assert request.method == "POST"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["Idempotency-Key"] == "k-1"
    assert request.content == b"[{}]"


@pytest.mark.parametrize("code", [True, "1000", 12.0, None])
def test_a_code_that_is_not_an_integer_is_no_code(code: object) -> None:
    info = describe_error(422, {"code": code, "message": "bad input"}, "")  # type: ignore[dict-item]
    assert info.code is None
    assert info.error_class is None
    assert info.message == "bad input"


def test_a_detail_repeating_the_message_is_named_by_its_field_after_the_hint() -> None:
    info = describe_error(404, {"code": int(ErrorCode.NotFound), "message": "no order", "field": "ids"}, "")
    assert info.errors == (ErrorDetail(code="404", field="ids", detail="no order", meta=None),)
    assert info.message == "NotFound — no order — no such order in this shop, or not visible to this token: field ids"


def test_an_error_object_on_a_2xx_is_named_by_its_code() -> None:
    from orderpatch._convert import ShapeError

    with pytest.raises(ShapeError) as info:
        parse_modify_response({"code": 1031, "message": "token=abc"}, order_id=ORDER_ID)
    assert str(info.value).startswith(
        "expected a JSON array holding the modified order, got an error object (code 1031)"
    )
    assert "abc" not in str(info.value)


def test_parts_repeating_another_only_in_case_or_punctuation_are_dropped() -> None:
    assert _distinct("NotFound", "not found.", None, "", "Gone") == ["NotFound", "Gone"]
    # lower-cased, not upper-cased: "ß" stays "ß" (upper-casing makes it "SS", the same as "ss")
    assert _distinct("Maß", "MASS") == ["Maß", "MASS"]
