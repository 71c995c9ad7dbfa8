"""The shared converter: strict primitives, optional values, unions, lists, extras."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest

from orderpatch._convert import ShapeError, make_converter
from orderpatch._models import ResponseModel


@attrs.frozen(kw_only=True)
class Inner(ResponseModel):
    code: str


@attrs.frozen(kw_only=True)
class Outer(ResponseModel):
    count: int | None = None
    at: dt.datetime | None = None
    price: Decimal | None = None
    inner: Inner | None = None
    tags: list[str] | None = None
    either: int | str | None = None


CONV = make_converter()


def test_optional_values_take_none_or_the_inner_type() -> None:
    out = CONV.structure(
        {"count": 3, "at": "2024-01-02T03:04:05", "price": "1.10", "inner": {"code": "x", "new": 1},
         "tags": ["a"], "either": "s", "later": True},
        Outer,
    )
    assert out.count == 3
    assert out.at == dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    assert out.price == Decimal("1.10")
    assert out.inner == Inner(code="x", extra={"new": 1})
    assert out.tags == ["a"]
    assert out.either == "s"
    assert out.extra == {"later": True}
    nulls = CONV.structure({"count": None, "at": None, "price": None, "inner": None, "tags": None}, Outer)
    assert (nulls.count, nulls.at, nulls.price, nulls.inner, nulls.tags) == (None, None, None, None, None)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"count": "3"}, "an integer"),
        ({"count": True}, "an integer"),
        ({"at": 5}, "ISO-8601"),
        ({"price": "abc"}, "decimal"),
        ({"inner": "x"}, "JSON object for Inner"),
        ({"inner": {"code": 1}}, "a string"),
        ({"tags": "abc"}, "JSON array"),
        ({"either": 1.5}, "int or str"),
    ],
)
def test_optional_values_of_the_wrong_shape_are_refused(data: dict[str, object], message: str) -> None:
    with pytest.raises(ShapeError, match=message):
        CONV.structure(data, Outer)
