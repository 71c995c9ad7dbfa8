"""The generated structure function's inline decimals and timestamps: exactly what their hooks give or raise."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

import attrs
import pytest

from orderpatch._convert import ShapeError, _structure_decimal, _structure_enum, make_converter, parse_datetime
from orderpatch._models import ResponseModel
from orderpatch._types import OpenEnum


class Open(OpenEnum):
    RED = "red"


class Closed(enum.Enum):
    RED = "red"
    ONE = 1


class Level(enum.IntEnum):
    LOW = 1


@attrs.frozen(kw_only=True)
class Money(ResponseModel):
    amount: Decimal
    maybe: Decimal | None = None
    at: dt.datetime
    when: dt.datetime | None = None
    open: Open | None = None
    closed: Closed | None = None
    level: Level | None = None
    either: int | str | None = None
    strict: int | str



CONV = make_converter()
DECIMALS: list[Any] = [
    "10.0", "-0.5", "1e3", " 7 ", "0", 3, 2.5, "NaN", "sNaN", "Infinity", "-inf", "abc", "", "1,5", True, None, [1],
]  # fmt: skip
TIMESTAMPS: list[Any] = [
    "2024-05-14T10:11:12Z", "2024-05-14T10:11:12.345+02:00", "2024-05-14T10:11:12", "2024-05-14", "2024-13-01",
    "x", "", 1715681472, None, {"at": 1},
]  # fmt: skip


def _outcome(fn: Any, value: object) -> tuple[str, object]:
    try:
        return ("ok", fn(value))
    except ShapeError as exc:
        return ("error", exc.problem)


def _field(name: str, value: object, **rest: object) -> tuple[str, object]:
    data: dict[str, object] = {"amount": "1", "at": "2024-01-01T00:00:00Z", "strict": 1, **rest, name: value}
    try:
        return ("ok", getattr(CONV.structure(data, Money), name))
    except ShapeError as exc:
        return ("error", exc.problem) if exc.path == (name,) else ("elsewhere", exc.path)


@pytest.mark.parametrize("value", DECIMALS, ids=repr)
def test_a_decimal_field_gives_what_the_decimal_hook_gives(value: object) -> None:
    hook = _outcome(lambda v: _structure_decimal(v, Decimal), value)
    assert _field("amount", value) == hook
    assert _field("maybe", value) == (("ok", None) if value is None else hook)


@pytest.mark.parametrize("value", TIMESTAMPS, ids=repr)
def test_a_timestamp_field_gives_what_parse_datetime_gives(value: object) -> None:
    hook = _outcome(parse_datetime, value)
    assert _field("at", value) == hook
    assert _field("when", value) == (("ok", None) if value is None else hook)
    if hook[0] == "ok":
        result = _field("at", value)[1]
        assert isinstance(result, dt.datetime)
        assert result.tzinfo is not None


def test_a_decimal_keeps_its_exact_digits() -> None:
    money = CONV.structure({"amount": "10.10", "maybe": "0.000", "at": "2024-01-01T00:00:00", "strict": 1}, Money)
    assert str(money.amount) == "10.10"
    assert str(money.maybe) == "0.000"
    assert money.at == dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize("value", ["red", "violet", "", 1, 1.0, True, ["red"]], ids=repr)
@pytest.mark.parametrize(("name", "tp"), [("open", Open), ("closed", Closed), ("level", Level)])
def test_an_enum_field_gives_what_the_enum_hook_gives(name: str, tp: type[enum.Enum], value: object) -> None:
    hook = _outcome(lambda v: _structure_enum(v, tp), value)
    assert _field(name, value) == hook
    if hook[0] == "ok":
        assert type(_field(name, value)[1]) is tp


@pytest.mark.parametrize("value", [None, 0, 7, "x", "", 1.5, True, [1], {"a": 1}], ids=repr)
@pytest.mark.parametrize(("name", "tp"), [("either", int | str | None), ("strict", int | str)])
def test_a_union_field_gives_what_the_union_hook_gives(name: str, tp: Any, value: object) -> None:
    hook = CONV.get_structure_hook(tp)
    assert _field(name, value) == _outcome(lambda v: hook(v, tp), value)
