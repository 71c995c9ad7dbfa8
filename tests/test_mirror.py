"""msgspec mirrors: they vouch only for what the eager hook accepts, and a build equals eager structuring."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

import attrs
import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orderpatch._convert import ShapeError, make_converter
from orderpatch._deferred import Deferred
from orderpatch._mirror import defer_nested, mirror_of, plain, register_mirror, snapshot_function
from orderpatch._models import ResponseModel, wire
from orderpatch._types import JSONValue, OpenEnum, Secret
from tests.racing import race


class Colour(OpenEnum):
    RED = "red"


class Closed(enum.Enum):
    ONE = "one"


@attrs.frozen(kw_only=True)
class Tag(ResponseModel):
    label: str
    weight: float | None = None


@attrs.frozen(kw_only=True)
class Badge(ResponseModel):
    id: str
    rank: int


@attrs.frozen(kw_only=True)
class Item(ResponseModel):
    id: str
    count: int
    done: bool
    colour: Colour
    secret: Secret
    self_url: str | None = attrs.field(default=None, metadata=wire("self"))
    tags: list[Tag] = attrs.field(factory=list)
    pair: tuple[Tag, ...] = ()
    first: Tag | Badge | None = None


@attrs.frozen(kw_only=True)
class Holder(ResponseModel):
    item: Item | None = None
    items: list[Item] = attrs.field(factory=list)
    note: str | None = None


@attrs.frozen(kw_only=True)
class Stamped(ResponseModel):
    at: dt.datetime


converter = make_converter()
DEFERRED = defer_nested(converter, Holder)


def _eager(value: object, tp: Any) -> object:
    return converter.get_structure_hook(tp)(value, tp)


def _item(**overrides: object) -> dict[str, object]:
    return {
        "id": "i1", "count": 2, "done": False, "colour": "red", "secret": "s3cret", "self": "https://x.test/i1",
        "tags": [{"label": "a", "weight": 1.5}, {"label": "b"}], "pair": [{"label": "c"}], **overrides,
    }  # fmt: skip


def test_defer_nested_names_the_fields_holding_models() -> None:
    assert DEFERRED == ("item", "items")


@pytest.mark.parametrize(
    ("tp", "mirrored"),
    [(str, str), (int, int), (float, float), (bool, bool), (Secret, str), (Colour, str), (str | None, str | None)],
)
def test_primitives_are_mirrored_by_their_json_type(tp: Any, mirrored: Any) -> None:
    assert mirror_of(converter, tp) == mirrored


@pytest.mark.parametrize(
    "tp",
    [dt.datetime, Decimal, JSONValue, Closed, Stamped, list[Stamped], dict[str, str], object],
    ids=["datetime", "Decimal", "JSON", "closed enum", "model with a timestamp", "list of them", "dict",
         "anything else"],
)  # fmt: skip
def test_what_has_no_exact_mirror_is_left_to_the_hook(tp: Any) -> None:
    assert mirror_of(converter, tp) is None


def test_a_model_whose_hook_is_the_vendors_or_which_defers_fields_has_no_mirror() -> None:
    own = make_converter()
    own.register_structure_hook(Tag, lambda value, _: Tag(label=str(value)))
    assert mirror_of(own, Tag) is None
    assert mirror_of(own, list[Tag]) is None
    assert mirror_of(converter, Holder) is None  # its fields are deferred: its own hook must run
    assert mirror_of(make_converter(), Tag) is not None


def test_a_registered_mirror_counts_only_with_the_hook_it_was_registered_for() -> None:
    class Point:
        pass

    class PointMirror(msgspec.Struct):
        x: int

    def hook(value: Any, _: Any) -> Point:
        return Point()

    register_mirror(Point, PointMirror, hook)
    with_hook, without = make_converter(), make_converter()
    with_hook.register_structure_hook(Point, hook)
    without.register_structure_hook(Point, lambda value, _: Point())
    assert mirror_of(with_hook, Point) is PointMirror
    assert mirror_of(without, Point) is None


def test_a_good_value_is_deferred_and_built_exactly_as_the_hook_would() -> None:
    raw = {"item": _item(first={"label": "f"}), "items": [_item(id="i2"), _item(id="i3", tags=[])], "note": "n"}
    holder = converter.structure(raw, Holder)
    for name in DEFERRED:
        assert type(Holder.__dict__[name]._slot.__get__(holder, Holder)) is Deferred
    assert holder.item == _eager(raw["item"], Item | None)
    assert holder.items == _eager(raw["items"], list[Item])
    assert holder.item is not None
    assert holder.item.first == Tag(label="f")
    assert holder.item.secret.get_secret_value() == "s3cret"
    assert holder.item.self_url == "https://x.test/i1"
    assert holder.items[1].tags == []
    twin = Holder(item=_eager(raw["item"], Item), items=_eager(raw["items"], list[Item]), note="n")  # type: ignore[arg-type]
    fresh = converter.structure(raw, Holder)
    assert fresh == twin
    assert repr(fresh) == repr(twin)
    assert converter.structure(raw, Holder).to_dict() == twin.to_dict()


def test_the_snapshot_is_a_copy_the_raw_answer_can_no_longer_change() -> None:
    item: dict[str, Any] = _item()
    holder = converter.structure({"item": item}, Holder)
    item["count"] = 99
    item["tags"].append({"label": "late"})
    assert holder.item is not None
    assert holder.item.count == 2
    assert len(holder.item.tags) == 2


@pytest.mark.parametrize(
    ("change", "why"),
    [({"count": 2.0}, "an integral float for an int"), ({"extra_key": 1}, "a key the model does not know"),
     ({"first": {"id": "b1", "rank": 1}}, "a union's second member"),
     ({"colour": "violet"}, "an unknown open-enum value (mirrored as any string)")],
)  # fmt: skip
def test_a_value_the_hook_takes_either_way_gives_the_same_model(change: dict[str, object], why: str) -> None:
    raw = {"item": _item(**change)}
    holder = converter.structure(raw, Holder)
    assert holder.item == _eager(raw["item"], Item | None), why


@pytest.mark.parametrize(
    ("change", "message"),
    [({"count": "2"}, r"^item\.count: expected an integer, got '2'$"),
     ({"done": None}, r"^item\.done: expected a boolean, got null$"),
     ({"tags": [{"label": "a"}, {"label": 3}]}, r"^item\.tags\[1\]\.label: expected a string, got 3$"),
     ({"tags": "ab"}, r"^item\.tags: expected a JSON array, got 'ab'$")],
)  # fmt: skip
def test_a_defect_still_fails_at_parse_time_naming_its_path(change: dict[str, object], message: str) -> None:
    with pytest.raises(ShapeError, match=message):
        converter.structure({"item": _item(**change)}, Holder)
    raw = _item()
    del raw["count"]
    with pytest.raises(ShapeError, match=r"^item\.count: missing required field$"):
        converter.structure({"item": raw}, Holder)


def test_plain_leaves_absent_fields_out_and_restores_json_names() -> None:
    mirror = mirror_of(converter, Item)
    assert plain(msgspec.convert({**_item(), "tags": []}, mirror)) == {**_item(), "tags": []}
    assert plain(msgspec.convert({"id": "i", "count": 1, "done": True, "colour": "x", "secret": ""}, mirror)) == {
        "id": "i", "count": 1, "done": True, "colour": "x", "secret": ""
    }  # fmt: skip


def test_a_field_without_a_mirror_is_structured_at_parse_time() -> None:
    @attrs.frozen(kw_only=True)
    class Log(ResponseModel):
        stamps: list[Stamped] = attrs.field(factory=list)

    own = make_converter()
    assert defer_nested(own, Log) == ("stamps",)
    log = own.structure({"stamps": [{"at": "2024-01-01T00:00:00Z"}]}, Log)
    assert type(Log.__dict__["stamps"]._slot.__get__(log, Log)) is list
    assert log.stamps[0].at == dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def test_the_first_snapshot_works_out_the_mirror_once_under_concurrency() -> None:
    own = make_converter()
    snapshot = snapshot_function(own, list[Tag])
    results = race(lambda _: snapshot([{"label": "x"}]), range(8))
    assert all(r is not None for r in results)
    assert snapshot([]) is None
    assert snapshot(None) is None
    assert snapshot([{"label": 1}]) is None


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["label", "weight", "x"]), inner),
    max_leaves=8,
)
_tags = st.fixed_dictionaries(
    {"label": st.text(max_size=3) | st.integers() | st.none()},
    optional={"weight": st.floats(allow_nan=False) | st.integers(-(2**70), 2**70) | st.booleans() | st.none()
              | st.text(max_size=2), "x": _json},
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_tags | _json, max_size=3) | _json)
def test_whatever_a_mirror_vouches_for_the_hook_accepts_and_builds_the_same(raw: object) -> None:
    snapshot = snapshot_function(converter, list[Tag])
    taken = snapshot(raw)
    if taken is None:
        return
    eager = _eager(raw, list[Tag])  # would raise if the mirror had vouched for a value the hook refuses
    assert _eager(plain(taken.value), list[Tag]) == eager  # type: ignore[attr-defined]
