"""A model's scalar fields checked together in C (``_scalars``) against the same model structured eagerly.

Each test structures the same raw object twice with the model's own hook: once as it is (the
group's snapshot offered first) and once with the snapshot made to refuse (every field through
its hook, as without the group). The two must give the same object (values, types, ``repr``,
``==``, ``to_dict``, pickling) or the same error, and the test checks which way was taken, so a
value the check gets wrong cannot hide behind the eager path.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import operator
import pickle
from decimal import Decimal
from typing import Any

import attrs
import msgspec
import pytest

from orderpatch._convert import ShapeError, make_converter
from orderpatch._deferred import Deferred, DeferredGroup, defer_group, group_of
from orderpatch._models import ResponseModel, wire
from orderpatch._scalars import defer_scalars, struct_reader
from orderpatch._types import JSONValue, OpenEnum, Secret
from tests.racing import race
from tests.scalar_groups import assert_same_model


class Colour(OpenEnum):
    RED = "red"
    BLUE = "blue"


@attrs.frozen(kw_only=True)
class Part(ResponseModel):
    name: str


@attrs.frozen(kw_only=True)
class Model(ResponseModel):
    id: str
    name: str
    count: int
    ratio: float
    flag: bool
    colour: Colour
    secret: Secret
    at: dt.datetime
    price: Decimal
    tags: list[str]
    codes: tuple[str, ...] = ()  # a default other than None: outside the group
    note: str | None = None
    size: int | None = None
    weight: float | None = None
    on: bool | None = None
    shade: Colour | None = None
    when: dt.datetime | None = None
    amount: Decimal | None = None
    meta: dict[str, JSONValue] | None = None
    blob: JSONValue = None
    either: str | int | None = None
    renamed: str | None = attrs.field(default=None, metadata=wire("_renamed"))
    part: Part | None = None  # a nested model: outside the group
    other: Part | None = attrs.field(default=None, metadata=wire("_other"))
    parts: list[Part] = attrs.field(factory=list)


converter = make_converter()
SCALARS = defer_scalars(converter, Model)
NAMES = SCALARS.names
STRUCT, READ = struct_reader(converter, Model, SCALARS)
GROUP = group_of(Model)
structure = converter.get_structure_hook(Model)

BASE: dict[str, Any] = {
    "id": "o1", "name": "n", "count": 3, "ratio": 0.5, "flag": True, "colour": "red", "secret": "s3cr3t",
    "at": "2026-12-01T10:00:00.123Z", "price": "110.50", "tags": ["a", "b"],
}


def _pending(obj: object) -> bool:
    assert GROUP is not None
    return type(GROUP._holder_get(obj)) is Deferred


def _structure_eagerly(raw: Any) -> Any:
    assert GROUP is not None
    snapshot = GROUP.snapshot
    GROUP.snapshot = lambda raw: None
    try:
        return structure(raw, Model)
    finally:
        GROUP.snapshot = snapshot


def _pickled(obj: object) -> object:
    """``obj`` through pickle, or the error that refuses it (a ``Secret`` refuses, read or unread)."""
    try:
        return pickle.loads(pickle.dumps(obj))
    except TypeError as exc:
        return str(exc)


def _outcome(build: Any) -> tuple[str, Any]:
    try:
        return "ok", build()
    except ShapeError as exc:
        return "error", (str(exc), exc.path)
    except (KeyError, TypeError, ValueError) as exc:
        return "raised", (type(exc).__name__, str(exc))


def assert_same(raw: dict[str, Any], *, fast: bool) -> Model | None:
    """The model's hook gives for ``raw`` what eager structuring gives, by the way expected."""
    assert GROUP is not None
    assert GROUP.snapshot is not None
    assert (GROUP.snapshot(copy.deepcopy(raw)) is not None) is fast
    expected = _outcome(lambda: _structure_eagerly(copy.deepcopy(raw)))
    got = _outcome(lambda: structure(copy.deepcopy(raw), Model))
    if expected[0] != "ok":
        assert got == expected
        return None
    assert got[0] == "ok"
    obj, reference = got[1], expected[1]
    assert _pending(obj) is fast
    assert not _pending(reference)
    assert_same_model(obj, reference)
    assert _pickled(structure(copy.deepcopy(raw), Model)) == _pickled(reference)
    from_bytes = _read_bytes(raw)
    if from_bytes is not None:  # the struct reader, where it reads the body, gives the same object
        assert _pending(from_bytes)
        assert_same_model(from_bytes, reference)
    return obj  # type: ignore[no-any-return]


def _read_bytes(raw: dict[str, Any]) -> Model | None:
    """``READ`` of the body decoded straight into ``STRUCT``; ``None`` where the usual path must read it."""
    try:
        decoded = msgspec.json.decode(json.dumps(raw).encode(), type=STRUCT)
        return READ(decoded)  # type: ignore[no-any-return]
    except (msgspec.ValidationError, ShapeError, ValueError, TypeError, KeyError):
        return None


def test_the_group_holds_the_scalars_and_leaves_the_rest_out() -> None:
    assert NAMES == (
        "name", "count", "ratio", "flag", "colour", "secret", "at", "price", "tags", "note", "size", "weight", "on",
        "shade", "when", "amount", "meta", "blob", "either", "renamed",
    )
    assert GROUP is not None
    assert GROUP.names == NAMES


def test_a_usual_object_is_read_without_building_its_scalars() -> None:
    obj = assert_same(BASE, fast=True)
    assert obj is not None
    fresh = structure(copy.deepcopy(BASE), Model)
    assert _pending(fresh)
    assert fresh.id == "o1"
    assert _pending(fresh)
    assert fresh.colour is Colour.RED
    assert not _pending(fresh)
    assert fresh.at == dt.datetime(2026, 12, 1, 10, 0, 0, 123000, tzinfo=dt.UTC)
    assert fresh.price == Decimal("110.50")
    assert type(fresh.secret) is Secret
    assert fresh.tags == ["a", "b"]


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"ratio": 2},  # an int for a float: made a float by both
        {"ratio": 2**70, "count": 2**62},
        {"colour": "green", "shade": ""},  # open enums
        {"note": None, "size": None, "weight": None, "on": None, "shade": None, "when": None, "amount": None,
         "meta": None, "blob": None, "either": None, "renamed": None},
        {"note": "x", "size": 0, "weight": -0.0, "on": False, "shade": "blue", "amount": 7, "blob": [1, {"a": None}]},
        {"when": "2026-12-01T10:00:00+05:30", "at": "2026-12-01T10:00:00"},  # naive: taken as UTC
        {"at": "2026-12-01 10:00:00.1234567Z"},  # the hook's reading of seven digits
        {"price": 12, "amount": 0.1},  # numbers: the hook's Decimal(str(value))
        {"price": " 1.5 ", "amount": "1_000"},  # what Decimal() accepts
        {"meta": {"k": [1, 2]}, "either": "5"},
        {"_renamed": "r", "renamed": "ignored"},
        {"tags": []},
        {"part": {"name": "p"}, "parts": [{"name": "q"}], "codes": ["c"], "_other": {"name": "o"}},
        {"unknown": 1, "zeta": None},  # kept in extra
    ],
    ids=lambda c: ",".join(f"{k}={v!r}" for k, v in c.items()) or "base",
)
def test_values_the_check_vouches_for_read_as_the_hooks_read_them(change: dict[str, Any]) -> None:
    assert_same({**BASE, **change}, fast=True)


@pytest.mark.parametrize(
    "change",
    [
        {"count": 3.0},  # an integral float: the hook makes it an int
        {"count": True},
        {"count": "3"},
        {"ratio": True},
        {"flag": 1},
        {"name": None},
        {"name": 5},
        {"colour": 5},
        {"colour": None},
        {"secret": None},
        {"tags": "ab"},
        {"tags": ["a", 1]},
        {"at": None},
        {"at": "yesterday"},
        {"at": 1764583200},
        {"when": "2026-02-30T10:00:00Z"},
        {"price": "NaN"},
        {"price": "Infinity"},
        {"price": True},
        {"price": None},
        {"amount": "12,5"},
        {"meta": []},
        {"either": 5},  # a union is checked by its first member: the hook tries the others
        {"either": 1.5},
        {"either": 2.0},
        {"part": {"name": 1}},
    ],
    ids=lambda c: ",".join(f"{k}={v!r}" for k, v in c.items()),
)
def test_values_the_check_refuses_go_through_the_hooks(change: dict[str, Any]) -> None:
    assert_same({**BASE, **change}, fast="part" in change)


@pytest.mark.parametrize("missing", ["id", "name", "count", "at", "price", "tags"])
def test_a_missing_required_field_is_the_hooks_error(missing: str) -> None:
    raw = dict(BASE)
    del raw[missing]
    assert_same(raw, fast=missing == "id")


def test_the_struct_reader_reads_a_usual_body_and_refuses_the_rest() -> None:
    assert _read_bytes(BASE) is not None
    nested = {"part": {"name": "p"}, "parts": [{"name": "q"}], "codes": ["c"], "_other": {"name": "o"}}
    read = _read_bytes({**BASE, **nested})
    assert read is not None
    assert read.other == Part(name="o")
    assert _read_bytes({**BASE, "other": {"name": "o"}}) is None  # its JSON name is "_other"
    assert _read_bytes({**BASE, "unknown": 1}) is None  # it belongs in extra: the usual path keeps it
    assert _read_bytes({**BASE, "count": 3.0}) is None  # refused by the struct: the hook converts it
    assert _read_bytes({**BASE, "price": "NaN"}) is None  # refused by the group's check
    with pytest.raises(ShapeError):
        READ(msgspec.json.decode(json.dumps({**BASE, "part": {"name": 1}}).encode(), type=STRUCT))
    absent = {k: v for k, v in BASE.items() if k != "id"}
    assert _read_bytes(absent) is None  # a required field: the struct refuses


def test_first_reads_from_many_threads_build_the_group_once() -> None:
    for _ in range(20):
        seen = race(operator.attrgetter("meta"), [structure(copy.deepcopy({**BASE, "meta": {"k": 1}}), Model)] * 8)
        assert len({id(meta) for meta in seen}) == 1
        assert seen[0] == {"k": 1}


def test_the_snapshot_holds_copies_of_what_it_was_given() -> None:
    raw = copy.deepcopy({**BASE, "meta": {"k": 1}})
    obj = structure(raw, Model)
    raw["tags"].append("c")
    raw["meta"]["k"] = 2
    raw["name"] = "changed"
    assert obj.tags == ["a", "b"]
    assert obj.meta == {"k": 1}
    assert obj.name == "n"


def test_evolve_and_asdict_see_the_built_values() -> None:
    obj = structure(copy.deepcopy(BASE), Model)
    assert attrs.evolve(obj, name="m").count == 3
    assert attrs.asdict(structure(copy.deepcopy(BASE), Model))["price"] == Decimal("110.50")
    assert copy.copy(structure(copy.deepcopy(BASE), Model)) == obj


def test_a_model_gets_one_checked_group_and_needs_a_scalar() -> None:
    @attrs.frozen(kw_only=True)
    class Nested(ResponseModel):
        id: str
        part: Part | None = None

    with pytest.raises(TypeError, match="no scalar field"):
        defer_scalars(make_converter(), Nested)
    with pytest.raises(TypeError, match="already has a checked group"):
        defer_group(Model, ["note"], build=lambda s: [s], snapshot=lambda raw: raw)
    assert isinstance(GROUP, DeferredGroup)
    assert group_of(Part) is None
