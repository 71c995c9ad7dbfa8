"""Deferred fields: checked at parse time, built on first read, and never seen to be lazy."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import attrs
import pytest

from orderpatch._convert import ShapeError, make_converter
from orderpatch._deferred import Deferred, defer_field, defer_group, deferred_fields
from orderpatch._models import ResponseModel
from tests.racing import race


@attrs.frozen(kw_only=True)
class Child(ResponseModel):
    name: str
    size: int | None = None


@attrs.frozen(kw_only=True)
class Parent(ResponseModel):
    id: str
    child: Child | None = None


BUILDS: list[tuple[str, int | None]] = []


def _snapshot(value: object) -> tuple[str, int | None] | None:
    if type(value) is dict and set(value) <= {"name", "size"}:
        name, size = value.get("name"), value.get("size")
        if type(name) is str and (size is None or type(size) is int):
            return (name, size)
    return None


def _build(taken: tuple[str, int | None]) -> Child:
    BUILDS.append(taken)
    return Child(name=taken[0], size=taken[1])


defer_field(Parent, "child", snapshot=_snapshot, build=_build)
converter = make_converter()
eager_converter = make_converter()  # the same hooks, for an eager twin of Parent


@attrs.frozen(kw_only=True)
class EagerParent(ResponseModel):
    id: str
    child: Child | None = None


def _slot(obj: Parent) -> object:
    return Parent.__dict__["child"]._slot.__get__(obj, Parent)


def parse(data: dict[str, Any]) -> Parent:
    parent = converter.structure(data, Parent)
    assert isinstance(parent, Parent)
    return parent


def test_the_value_is_built_on_first_read_only() -> None:
    BUILDS.clear()
    parent = parse({"id": "p1", "child": {"name": "c", "size": 3}})
    assert type(_slot(parent)) is Deferred
    assert BUILDS == []
    assert parent.child == Child(name="c", size=3)
    assert parent.child is parent.child
    assert BUILDS == [("c", 3)]
    assert isinstance(_slot(parent), Child)


@pytest.mark.parametrize(
    "read",
    [repr, lambda p: p.to_dict(), lambda p: pickle.loads(pickle.dumps(p)), copy.copy, copy.deepcopy,
     attrs.asdict, lambda p: attrs.evolve(p, id="other")],
    ids=["repr", "to_dict", "pickle", "copy", "deepcopy", "asdict", "evolve"],
)
def test_every_way_of_reading_sees_the_built_value(read: Any) -> None:
    data = {"id": "p1", "child": {"name": "c", "size": 3}}
    eager = eager_converter.structure(data, EagerParent)
    lazy, built = parse(data), parse(data)
    assert built.child is not None  # built first, for comparison
    result = read(lazy)
    expected = read(built)
    if isinstance(result, str):
        assert result == expected
        assert "Child(name='c', size=3)" in result
        assert result.replace("Parent(", "") == repr(eager).replace("EagerParent(", "")
    else:
        assert result == expected
    assert "Deferred" not in repr(result)


def test_equality_and_to_dict_match_an_eager_parse() -> None:
    data = {"id": "p1", "child": {"name": "c"}}
    assert parse(data) == parse(data)
    assert parse(data) != parse({"id": "p1", "child": {"name": "d"}})
    assert parse(data).to_dict() == eager_converter.structure(data, EagerParent).to_dict()


def test_a_value_the_snapshot_does_not_vouch_for_is_structured_at_parse_time() -> None:
    parent = parse({"id": "p1", "child": {"name": "c", "colour": "red"}})
    assert isinstance(_slot(parent), Child)
    assert parent.child is not None
    assert parent.child.extra == {"colour": "red"}
    assert type(_slot(parse({"id": "p1", "child": None}))) is not Deferred
    with pytest.raises(ShapeError) as caught:
        parse({"id": "p1", "child": {"name": 7}})  # the defect fails the parse, naming its path
    assert str(caught.value) == "child.name: expected a string, got 7"


def test_the_snapshot_is_a_copy_of_the_decoded_json() -> None:
    data: dict[str, Any] = {"id": "p1", "child": {"name": "c", "size": 3}}
    parent = parse(data)
    data["child"]["name"] = "changed"
    assert parent.child == Child(name="c", size=3)


def test_threads_racing_for_the_first_read_see_one_object() -> None:
    BUILDS.clear()
    parent = parse({"id": "p1", "child": {"name": "c"}})
    seen = race(lambda _: parent.child, range(8))
    assert all(child is seen[0] for child in seen)
    assert BUILDS == [("c", None)]


def test_setting_through_init_and_class_access() -> None:
    parent = Parent(id="p1", child=Child(name="c"))
    assert parent.child == Child(name="c")
    assert deferred_fields(Parent).keys() == {"child"}
    assert deferred_fields(Child) == {}


def test_only_a_slot_can_be_deferred() -> None:
    @attrs.define
    class Plain:
        x: int = 0

    defer_field(Parent, "child", snapshot=_snapshot, build=_build)  # twice: the descriptor is reused
    with pytest.raises(TypeError, match="not a slot"):
        defer_field(Plain, "nope", snapshot=_snapshot, build=_build)


# -- a group of fields built together ------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Record(ResponseModel):
    id: str
    name: str | None = None
    size: int | None = None


GROUP_BUILDS: list[tuple[str, int]] = []


def _build_group(taken: tuple[str, int]) -> list[object]:
    GROUP_BUILDS.append(taken)
    return [taken[0].upper(), taken[1], {"seen": taken[0]}]  # name, size, extra (the holder, last)


GROUP = defer_group(Record, ["name", "size", "extra"], build=_build_group)


def _record(name: str = "r", size: int = 2) -> Record:
    record: Record = GROUP.new({"id": "r1"}, (name, size))
    return record


def _holder(record: Record) -> object:
    return ResponseModel.__dict__["extra"].__get__(record, Record)


def test_a_group_is_built_once_on_the_first_read_of_any_member() -> None:
    GROUP_BUILDS.clear()
    record = _record()
    assert type(_holder(record)) is Deferred
    assert record.id == "r1"  # outside the group: no build
    assert GROUP_BUILDS == []
    assert record.size == 2
    assert (record.name, record.extra) == ("R", {"seen": "r"})
    assert GROUP_BUILDS == [("r", 2)]
    assert _holder(record) == {"seen": "r"}


@pytest.mark.parametrize(
    "read",
    [repr, lambda r: r.to_dict(), lambda r: pickle.loads(pickle.dumps(r)), copy.copy, copy.deepcopy,
     attrs.asdict, lambda r: attrs.evolve(r, id="other"), lambda r: r == Record(id="r1", name="R", size=2)],
    ids=["repr", "to_dict", "pickle", "copy", "deepcopy", "asdict", "evolve", "eq"],
)
def test_every_way_of_reading_a_group_sees_the_built_values(read: Any) -> None:
    built = Record(id="r1", name="R", size=2, extra={"seen": "r"})
    result = read(_record())
    assert result == read(built)
    assert "Deferred" not in repr(result)


def test_threads_racing_for_a_group_build_it_once() -> None:
    GROUP_BUILDS.clear()
    record = _record("t", 1)
    seen = race(lambda name: (getattr(record, name), record.extra), ["name", "size", "extra"] * 2)
    assert GROUP_BUILDS == [("t", 1)]
    assert all(extra is seen[0][1] for _, extra in seen)


def test_records_made_by_init_are_plain_and_an_empty_one_says_so() -> None:
    record = Record(id="r1", name="n")
    assert (record.name, record.size, record.extra) == ("n", None, {})
    assert type(_holder(record)) is dict
    with pytest.raises(AttributeError):
        _ = Record.__new__(Record).name
    with pytest.raises(TypeError, match="not a slot"):
        defer_group(Record, ["to_dict"], build=_build_group)
    with pytest.raises(TypeError, match="not a slot"):
        defer_group(Record, ["nothing_of_that_name"], build=_build_group)
    assert isinstance(Record.__dict__["name"], property)
