"""Ids and request models are checked before anything is sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Literal

import attrs
import pytest

from orderpatch import UNSET, JSONInput, Unset, ValidationError
from orderpatch._models import RequestModel
from orderpatch._validation import check_id


@pytest.mark.parametrize("good", ["R123456789", "abc-DEF_1.2", "ord:42", 1, 1629789747117569])
def test_safe_ids_pass(good: object) -> None:
    assert check_id(good) == str(good)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "../x",
        "a/b",
        "..",
        ".hidden",
        "a b",
        "a\nb",
        "a\x00b",
        "a?b=1",
        "a#b",
        "%2e%2e",
        "a\\b",
        "é" * 3,
        "x" * 129,
        0,
        -5,
        2**64,
        True,
        1.5,
        None,
        b"abc",
        ["a"],
    ],
)
def test_unsafe_or_wrong_ids_are_refused_with_field_name(bad: object) -> None:
    with pytest.raises(ValidationError) as info:
        check_id(bad, field="order_id")
    assert info.value.field == "order_id"
    assert str(info.value).startswith("order_id: ")


class Colour:
    pass


@attrs.frozen(kw_only=True)
class Sample(RequestModel):
    text: str | Unset | None = UNSET
    flag: bool | Unset = UNSET
    count: int | Unset = UNSET
    ratio: float | Unset = UNSET
    price: Decimal | Unset = UNSET
    when: dt.datetime | Unset = UNSET
    tags: Sequence[str] | Unset = UNSET
    meta: Mapping[str, JSONInput] | Unset | None = UNSET
    mode: Literal["a", "b"] | Unset = UNSET
    colour: Colour | Unset = UNSET


def test_valid_values_and_unset_are_accepted() -> None:
    Sample()
    Sample(
        text=None,
        flag=False,
        count=0,
        ratio=1,
        price=Decimal("1.10"),
        when=dt.datetime.now(dt.UTC),
        tags=["a"],
        meta={"a": [1, 2.5, None, {"b": "c"}]},
        mode="a",
        colour=Colour(),
    )


@pytest.mark.parametrize(
    ("kwargs", "field", "expected"),
    [
        ({"text": 5}, "Sample.text", "expected str | None"),
        ({"text": "x" * 70_000}, "Sample.text", "at most 65536"),
        ({"text": "\ud800"}, "Sample.text", "UTF-8"),
        ({"flag": 1}, "Sample.flag", "expected bool"),
        ({"count": True}, "Sample.count", "expected int"),
        ({"count": 2**63}, "Sample.count", "64-bit"),
        ({"count": "3"}, "Sample.count", "expected int"),
        ({"ratio": float("nan")}, "Sample.ratio", "finite"),
        ({"ratio": float("inf")}, "Sample.ratio", "finite"),
        ({"price": Decimal("NaN")}, "Sample.price", "finite"),
        ({"price": 1.5}, "Sample.price", "Decimal"),
        ({"when": dt.datetime(2024, 1, 1)}, "Sample.when", "timezone-aware"),
        ({"tags": "abc"}, "Sample.tags", "Sequence[str]"),
        ({"tags": ["a", 1]}, "Sample.tags", "an item: str"),
        ({"meta": {"a": float("nan")}}, "Sample.meta", "finite"),
        ({"meta": {1: "a"}}, "Sample.meta", "str keys"),
        ({"meta": {"a": object()}}, "Sample.meta", "JSON value"),
        ({"mode": "c"}, "Sample.mode", "'a' | 'b'"),
        ({"colour": "red"}, "Sample.colour", "Colour"),
        ({"text": None, "flag": None}, "Sample.flag", "expected bool"),
    ],
)
def test_wrong_values_name_the_field_and_what_was_expected(
    kwargs: dict[str, object], field: str, expected: str
) -> None:
    with pytest.raises(ValidationError) as info:
        Sample(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
    assert expected in str(info.value)
    assert str(info.value).startswith(field + ": expected ")


def test_deeply_nested_json_is_refused() -> None:
    nested: object = "leaf"
    for _ in range(40):
        nested = [nested]
    with pytest.raises(ValidationError, match="nested at most"):
        Sample(meta={"deep": nested})  # type: ignore[dict-item]


def test_evolve_revalidates() -> None:
    sample = Sample(count=1)
    with pytest.raises(ValidationError):
        attrs.evolve(sample, count="x")  # type: ignore[arg-type]


@attrs.frozen(kw_only=True)
class Required(RequestModel):
    name: str
    note: str | Unset = UNSET


def test_unset_is_refused_where_the_field_does_not_allow_it() -> None:
    # UNSET fields are skipped only where their type admits UNSET; a required field still fails.
    Required(name="a")
    with pytest.raises(ValidationError) as info:
        Required(name=UNSET)  # type: ignore[arg-type]
    assert info.value.field == "Required.name"
    assert "expected str" in str(info.value)
