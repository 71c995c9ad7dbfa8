"""The Trunkery codec at its edges: the exact refusals of ``fields``, ``uuid`` and ``if_updated_at``,
timestamps converted from any zone, line-item error details, and ``shop_id`` claims of every
base64 padding length."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import httpx
import pytest

from orderpatch import ValidationError
from orderpatch._types import JSONValue
from orderpatch.errors import ErrorDetail
from orderpatch.trunkery import DEFAULT_BASE_URL, OrderModify
from orderpatch.trunkery._codec import (
    _ORDER_REQUIRED,
    build_modify_request,
    describe_error,
    shop_id_from_token,
)
from orderpatch.trunkery._enums import ErrorCode

from ._fixtures import ORDER_ID, SHOP_ID, jwt

BASE = httpx.URL(DEFAULT_BASE_URL)
FIELDS_EXPECTED = "a list of Order field names including every field Order requires"


def refusal(**options: object) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        build_modify_request(BASE, ORDER_ID, OrderModify(), options,  # type: ignore[arg-type]
                             default_shop_id=SHOP_ID, default_max_retries=2)
    return info.value


def sent_query(**options: object) -> dict[str, str]:
    call, _ = build_modify_request(BASE, ORDER_ID, OrderModify(), options,  # type: ignore[arg-type]
                                   default_shop_id=SHOP_ID, default_max_retries=2)
    return dict(call.request.url.params)


# -- fields -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [[], (), "id", b"id", 5, None])
def test_fields_that_are_not_a_non_empty_list_are_refused_exactly(value: object) -> None:
    error = refusal(fields=value)
    assert (error.field, error.expected) == ("fields", FIELDS_EXPECTED)
    assert str(error).startswith(f"fields: expected {FIELDS_EXPECTED}, got ")
    assert str(error).endswith(repr(value))


def test_a_field_name_that_is_not_a_name_is_refused_exactly() -> None:
    error = refusal(fields=[*sorted(_ORDER_REQUIRED), "a b"])
    assert (error.field, error.expected) == ("fields", FIELDS_EXPECTED)
    assert str(error) == "fields: expected names of letters, digits, '_' and '.', got str 'a b'"


def _leaving_out(count: int) -> tuple[list[str], list[str]]:
    required = sorted(_ORDER_REQUIRED)
    return required[count:], required[:count]


@pytest.mark.parametrize(("count", "more"), [(1, ""), (5, ""), (6, " and 1 more"), (7, " and 2 more")])
def test_fields_leaving_out_required_names_say_which(count: int, more: str) -> None:
    given, missing = _leaving_out(count)
    error = refusal(fields=given)
    assert (error.field, error.expected) == ("fields", FIELDS_EXPECTED)
    assert str(error) == (
        f"fields: leaves out {', '.join(missing[:5])}{more}, which Order requires; the vendor would not return "
        "them and the modified order could not be read: list them too, or leave fields unset"
    )


def test_fields_with_every_required_name_are_sent_in_order() -> None:
    names = [*sorted(_ORDER_REQUIRED), "note"]
    assert sent_query(fields=names)["fields"] == ",".join(names)


# -- uuid and if_updated_at ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["", "a b", "é", 5, "x" * 256])
def test_an_unusable_uuid_is_refused_exactly(value: object) -> None:
    error = refusal(uuid=value)
    expected = "the order's uuid: a str or Secret of visible ASCII characters"
    assert (error.field, error.expected) == ("uuid", expected)
    assert str(error).startswith(f"uuid: expected {expected}, got ")


@pytest.mark.parametrize("value", ["", " ", "a\nb", 5, dt.datetime(2024, 1, 1)])
def test_an_unusable_if_updated_at_is_refused_exactly(value: object) -> None:
    error = refusal(if_updated_at=value)
    expected = "the order's updated_at: a str as read, or a timezone-aware datetime"
    assert (error.field, error.expected) == ("if_updated_at", expected)
    assert str(error).startswith(f"if_updated_at: expected {expected}, got ")
    assert "NoneType" not in str(error)


@pytest.fixture
def local_zone_tokyo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local zone is UTC+9, so a conversion to local time instead of UTC shows."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("local_zone_tokyo")
def test_a_datetime_is_sent_in_utc_whatever_the_local_zone() -> None:
    minus_five = dt.timezone(dt.timedelta(hours=-5))
    value = dt.datetime(2024, 5, 14, 5, 11, 12, 120000, tzinfo=minus_five)
    assert sent_query(if_updated_at=value)["updated_at"] == "2024-05-14T10:11:12.12Z"


# -- line-item error details --------------------------------------------------------------------------


def test_order_errors_become_one_detail_per_line_item() -> None:
    first: dict[str, JSONValue] = {"line_item_index": 0, "code": "out_of_stock", "subject": "sku-1", "min": 1, "max": 5}
    second: dict[str, JSONValue] = {"line_item_index": 2, "code": "", "subject": "sku-2"}
    third: dict[str, JSONValue] = {"line_item_index": 3, "code": 7, "subject": "sku-3", "min": 0, "max": 0}
    info = describe_error(422, {"code": int(ErrorCode.OrderError), "message": "bad items",
                                "meta": {"errors": [first, second, "junk", third]}}, "")
    assert info.errors == (
        ErrorDetail(field="line_items[0]", code="out_of_stock", detail="out_of_stock: sku-1 (min 1, max 5)",
                    meta=first),
        ErrorDetail(field="line_items[2]", code=None, detail=": sku-2", meta=second),
        ErrorDetail(field="line_items[3]", code=None, detail="7: sku-3", meta=third),
    )


def test_invalid_input_fields_carry_their_bounds() -> None:
    field: dict[str, JSONValue] = {"field": "tags", "problem": "too_long", "max": 10}
    info = describe_error(422, {"code": int(ErrorCode.InvalidInput), "meta": {"fields": [field]}}, "")
    assert info.errors == (ErrorDetail(field="tags", code="too_long", detail="too_long (min None, max 10)",
                                       meta=field),)


# -- shop_id claims -----------------------------------------------------------------------------------


@pytest.mark.parametrize("length", range(1, 13))
def test_the_shop_id_claim_is_read_whatever_the_padding_it_lost(length: int) -> None:
    shop = "sh_" + "a" * length
    assert shop_id_from_token(jwt({"shop_id": shop})) == shop
    assert shop_id_from_token(jwt({"shop_id": shop, "x": "y" * length})) == shop


def test_an_invalid_operation_reason_becomes_its_detail() -> None:
    meta: dict[str, JSONValue] = {"reason": "order_not_editable"}
    info = describe_error(422, {"code": int(ErrorCode.InvalidOperation), "message": "no", "field": "state",
                                "meta": meta}, "")
    assert info.errors == (ErrorDetail(code="order_not_editable", detail="order_not_editable", field="state",
                                       meta=meta),)
    assert "the order can no longer be modified in its current state" in info.message


def test_a_reason_without_an_invalid_operation_is_not_a_detail() -> None:
    info = describe_error(422, {"code": int(ErrorCode.NotFound), "message": "gone", "meta": {"reason": "why"}}, "")
    assert info.errors == ()


def test_an_error_naming_a_field_keeps_its_code_and_meta() -> None:
    meta: dict[str, JSONValue] = {"hint": "x"}
    coded = describe_error(422, {"code": 1234, "message": "bad", "field": "email", "meta": meta}, "")
    assert coded.errors == (ErrorDetail(code="1234", field="email", detail="bad", meta=meta),)
    bare = describe_error(422, {"message": "bad", "field": "email"}, "")
    assert bare.errors == (ErrorDetail(code=None, field="email", detail="bad", meta=None),)


@pytest.mark.parametrize("value", [5, None, "a b"])
def test_an_unusable_uuid_quotes_the_value(value: object) -> None:
    assert str(refusal(uuid=value)).endswith(f", got {type(value).__name__} {value!r}")
