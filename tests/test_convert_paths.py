"""Where a ``ShapeError`` points: the JSON path of the first offending value, found only on failure."""

from __future__ import annotations

import datetime as dt
import enum
import threading
from typing import Any

import attrs
import pytest

from orderpatch._convert import (
    ShapeError,
    describe_value,
    make_converter,
    render_path,
    shape_error_at,
    structure_keeping_undeclared,
)
from orderpatch._models import ResponseModel, wire
from orderpatch._types import JSONValue


class Colour(enum.Enum):
    RED = "red"


@attrs.frozen(kw_only=True)
class Leaf(ResponseModel):
    code: str
    colour: Colour | None = None


@attrs.frozen(kw_only=True)
class Branch(ResponseModel):
    name: str = attrs.field(metadata=wire("_name"))
    leaves: list[Leaf] = attrs.field(factory=list)
    fixed: tuple[Leaf, ...] = ()
    by_key: dict[str, Leaf] = attrs.field(factory=dict)
    meta: dict[str, JSONValue] = attrs.field(factory=dict)
    at: dt.datetime | None = None


@attrs.frozen(kw_only=True)
class Tree(ResponseModel):
    branches: tuple[Branch, ...] = ()
    top: Branch | None = None


CONV = make_converter()


def _branch(**changes: object) -> dict[str, object]:
    return {"_name": "b", "leaves": [{"code": "a"}, {"code": "b"}], **changes}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"top": _branch(at="x")}, "top.at: expected an ISO-8601 timestamp, got 'x'"),
        ({"top": _branch(_name=None)}, "top._name: expected a string, got null"),
        ({"top": {"leaves": []}}, "top._name: missing required field"),
        ({"top": _branch(leaves=[{"code": "a"}, {"code": 5}])}, "top.leaves[1].code: expected a string, got 5"),
        ({"top": _branch(fixed=[{"code": "a", "colour": "blue"}])},
         "top.fixed[0].colour: expected one of ['red'], got 'blue'"),
        ({"top": _branch(fixed={"code": "a"})}, "top.fixed: expected a JSON array, got a JSON object"),
        ({"top": _branch(by_key={"k": {"code": True}})}, "top.by_key.k.code: expected a string, got true"),
        ({"top": _branch(by_key=[])}, "top.by_key: expected a JSON object, got a JSON array"),
        ({"top": _branch(meta="m")}, "top.meta: expected a JSON object, got 'm'"),
        ({"branches": [_branch(), _branch(leaves=[{}])]}, "branches[1].leaves[0].code: missing required field"),
        ({"top": "t"}, "top: expected a JSON object for Branch, got 't'"),
    ],
)
def test_the_error_names_the_json_path_of_the_first_offending_value(data: dict[str, object], message: str) -> None:
    with pytest.raises(ShapeError) as info:
        CONV.structure(data, Tree)
    assert str(info.value) == message


def test_a_well_formed_document_is_structured_with_unknown_keys_in_extra() -> None:
    tree = CONV.structure({"top": _branch(by_key={"k": {"code": "c"}}, meta={"m": [1]}), "new": 1}, Tree)
    assert tree.top is not None
    assert tree.top.by_key == {"k": Leaf(code="c")}
    assert tree.top.meta == {"m": [1]}
    assert tree.extra == {"new": 1}


def test_paths_render_keys_with_dots_and_indices_in_brackets() -> None:
    assert render_path(()) == ""
    assert render_path(("data", "attributes", "placed_at")) == "data.attributes.placed_at"
    assert render_path((0, "financial_status")) == "[0].financial_status"
    path = ("included", 3, "relationships", "x", "data", 0, "id")
    assert render_path(path) == "included[3].relationships.x.data[0].id"


def test_a_received_value_is_described_without_a_cut_string() -> None:
    assert describe_value(None) == "null"
    assert describe_value(False) == "false"
    assert describe_value(1.5) == "1.5"
    assert describe_value("x" * 40) == repr("x" * 40)
    # A long string is only measured: a cut one could be the head of a credential scrubbing misses.
    assert describe_value("s" * 41) == "a string of 41 characters"
    assert describe_value(object()) == "object"


def test_any_hook_error_becomes_a_shape_error_at_the_given_step() -> None:
    assert str(shape_error_at(KeyError("id"), "data")) == "data: missing required field 'id'"
    assert str(shape_error_at(KeyError(), "data")) == "data: missing field"
    assert str(shape_error_at(TypeError(), 0)) == "[0]: TypeError"
    error = ShapeError("expected x", path=("b",))
    assert shape_error_at(error, "a") is error
    assert error.path == ("a", "b")
    assert error.problem == "expected x"


@attrs.frozen(kw_only=True)
class Holder(ResponseModel):
    members: dict[str, Leaf] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class Declared(ResponseModel):
    known: Leaf | None = None


@attrs.frozen(kw_only=True)
class HolderOfDeclared(ResponseModel):
    members: Declared = attrs.field(factory=Declared)


def test_an_undeclared_member_of_a_shape_not_understood_is_kept_in_extra() -> None:
    hook = CONV.get_structure_hook(Holder)
    data: dict[str, Any] = {"members": {"good": {"code": "a"}, "odd": ["?"], "odder": {"code": 1}}}
    holder = structure_keeping_undeclared(hook, Holder, data, member="members", keep=lambda raw: {"raw": raw})
    assert holder.members == {"good": Leaf(code="a")}
    assert holder.extra == {"members.odd": {"raw": ["?"]}, "members.odder": {"raw": {"code": 1}}}
    assert data["members"]["odd"] == ["?"]  # the caller's document is left as it was


def test_a_declared_member_of_the_wrong_shape_still_fails() -> None:
    hook = CONV.get_structure_hook(Holder)
    with pytest.raises(ShapeError, match=r"^members\.known\.code: expected a string, got 1$"):
        structure_keeping_undeclared(
            hook, Holder, {"members": {"known": {"code": 1}}}, member="members", declared=frozenset({"known"})
        )
    with pytest.raises(ShapeError, match=r"^members: expected a JSON object"):
        structure_keeping_undeclared(hook, Holder, {"members": 3}, member="members")
    declared = CONV.get_structure_hook(HolderOfDeclared)
    with pytest.raises(ShapeError, match=r"^members\.known\.code"):
        structure_keeping_undeclared(
            declared, HolderOfDeclared, {"members": {"known": {"code": 1}}}, member="members",
            declared=frozenset({"known"}),
        )


def test_finding_the_path_is_thread_safe() -> None:
    errors: list[str] = []

    def parse() -> None:
        for _ in range(200):
            try:
                CONV.structure({"branches": [_branch(leaves=[{"code": 5}])]}, Tree)
            except ShapeError as exc:
                errors.append(str(exc))

    threads = [threading.Thread(target=parse) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(errors) == {"branches[0].leaves[0].code: expected a string, got 5"}
    assert len(errors) == 800
