"""Trunkery error objects ``{code, message, field, meta}`` become the core's errors, sync and async."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_httpx import HTTPXMock

from orderpatch import (
    APIError,
    AuthenticationError,
    Conflict,
    ErrorDetail,
    JSONValue,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServerError,
    UnprocessableEntity,
)
from orderpatch.trunkery import ErrorCode, OrderModify
from orderpatch.trunkery._codec import describe_error

from ._fixtures import ORDER_ID
from ._helpers import Api

CASES: list[tuple[int, dict[str, Any], type[APIError], str]] = [
    (401, {"code": 401, "message": "unauthorized"}, AuthenticationError, "Unauthorized — the token"),
    (401, {"code": 999, "message": "token is expired"}, AuthenticationError,
     "JWTValidationFailed — token is expired — the token was not accepted"),
    (403, {"code": 996}, AuthenticationError,
     "JWTInvalidForWrite — this token may read but no longer write .*'wexp' claim.*log in again"),
    (403, {"code": 997, "meta": {"bits": ["orders.modify", "orders.read"]}}, PermissionDenied,
     "NoPermissions — the token lacks permission bits: orders.modify; orders.read"),
    (404, {"code": 404, "message": "not found"}, NotFound, "NotFound — no such order in this shop"),
    (400, {"code": 1000, "meta": {"fields": [{"field": "customer_email", "problem": "invalid_email"}]}},
     UnprocessableEntity, "InvalidInput — invalid input: customer_email: invalid_email"),
    (409, {"code": 1031, "message": "version mismatch"}, Conflict,
     "VersionMismatch — the order changed since you read it: re-read the order"),
    (400, {"code": 1031}, Conflict, "re-read the order, apply your change to the fresh copy"),
    (429, {"code": 429, "meta": {"rate_info": {"cap": 10, "count": 11, "rate": 1}}}, RateLimited, "TooManyRequests"),
    (400, {"code": 1150, "meta": {"reason": "order_not_editable"}}, UnprocessableEntity,
     "InvalidOperation — the order can no longer be modified in its current state: order_not_editable"),
    (400, {"code": 1150, "meta": {"reason": "in_progress"}}, UnprocessableEntity,
     "InvalidOperation — the operation is not possible now: in_progress"),
    (500, {"code": 500, "meta": {"db_retry": True}}, ServerError, "InternalServerError — the vendor failed"),
    (400, {"code": 1132}, UnprocessableEntity, "InvalidInputCount — ordersModify takes exactly one order"),
    (400, {"code": 1001, "meta": {"errors": [
        {"code": "out_of_stock", "line_item_index": 0, "subject": "va_EQzGqWoY", "min": 0, "max": 1}]}},
     UnprocessableEntity, r"OrderError — .*line_items\[0\]: out_of_stock: va_EQzGqWoY \(min 0, max 1\)"),
]


@pytest.mark.parametrize(("status", "error", "cls", "message"), CASES)
async def test_each_vendor_code_becomes_the_right_exception(
    api: Api, httpx_mock: HTTPXMock, status: int, error: dict[str, Any], cls: type[APIError], message: str
) -> None:
    httpx_mock.add_response(status_code=status, json=error, is_reusable=True)
    with pytest.raises(APIError, match=message) as info:
        await api.modify(ORDER_ID, OrderModify(tags=[]), max_retries=0)
    assert type(info.value) is cls
    assert info.value.code == str(error["code"])
    assert info.value.status == status
    assert info.value.vendor == "trunkery"


async def test_missing_permission_bits_and_invalid_fields_are_in_errors(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=403, json={"code": 997, "meta": {"bits": ["orders.modify"]}})
    field: dict[str, JSONValue] = {
        "field": "line_items.0.quantity", "problem": "max_length_exceeded", "min": 0, "max": 10,
    }
    httpx_mock.add_response(status_code=400, json={"code": 1000, "message": "bad", "meta": {"fields": [field]}})
    with pytest.raises(PermissionDenied) as denied:
        await api.modify(ORDER_ID, OrderModify(tags=[]))
    with pytest.raises(UnprocessableEntity) as invalid:
        await api.modify(ORDER_ID, OrderModify(tags=[]))
    assert denied.value.errors == (ErrorDetail(code="missing_permission", detail="orders.modify"),)
    assert invalid.value.errors == (ErrorDetail(
        field="line_items.0.quantity", code="max_length_exceeded", detail="max_length_exceeded (min 0, max 10)",
        meta=field,
    ),)
    assert int(invalid.value.code or 0) == ErrorCode.InvalidInput


@pytest.mark.parametrize(
    "payload",
    [
        {"code": 1031, "message": "stale"},
        {"status": 400, "error": {"code": 1031, "message": "stale"}},
        [{"status": 400, "error": {"code": 1031, "message": "stale"}}],
    ],
)
def test_the_error_object_is_found_bare_or_in_a_relay_envelope(payload: Any) -> None:
    info = describe_error(400, payload, "")
    assert (info.code, info.error_class) == ("1031", Conflict)
    assert info.message.startswith("VersionMismatch — stale — ")


def test_an_error_with_a_field_keeps_it() -> None:
    info = describe_error(400, {"code": 1131, "message": "no such field", "field": "fields"}, "")
    assert info.error_class is None  # not mapped: the class comes from the HTTP status
    assert info.message == "InvalidFields — no such field — field fields"
    assert info.errors == (ErrorDetail(code="1131", field="fields", detail="no such field"),)


@pytest.mark.parametrize(
    ("payload", "text", "expected"),
    [
        (None, "<html>Bad gateway</html>", "Bad gateway"),  # an HTML page: its text, not its tags
        (None, "", "Bad Gateway"),
        ({"unexpected": True}, '{"unexpected": true}', '{"unexpected": true}'),
        ({"code": 4242, "message": "new"}, "", "new"),
        ({"code": True, "message": "odd"}, "", "odd"),
        ({"code": 1000, "meta": "not an object"}, "", "InvalidInput"),
        ({"code": 1000, "meta": {"fields": "nope"}}, "", "InvalidInput"),
        ({"code": 997, "meta": {"bits": None}}, "", "NoPermissions — the token lacks permission bits"),
        ({"code": 998}, "", "ForceRedirect"),
        ({"message": ""}, "", "HTTP 502"),
    ],
)
def test_odd_error_bodies_still_give_a_message(payload: Any, text: str, expected: str) -> None:
    assert describe_error(502, payload, text).message == expected


async def test_an_html_error_page_is_a_server_error_with_its_text(api: Api, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=500, text="<h1>oops</h1>", headers={"Content-Type": "text/html"})
    with pytest.raises(ServerError, match="oops") as info:
        await api.modify(ORDER_ID, OrderModify(tags=[]))
    assert info.value.code is None
