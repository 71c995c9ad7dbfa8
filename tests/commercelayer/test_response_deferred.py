"""The fast read of an order (attributes checked in C, built on first read) against the eager structuring.

``parse_order`` takes an answer of the usual shape through ``_read_order`` and anything else
through ``_structure_order``; each test here gives both the same document and expects the same
order (values, types, ``repr``, ``==``, ``to_dict``, pickling) or the same error, and checks
which way was taken, so that a case the fast path gets wrong cannot hide behind the slow one.
"""

from __future__ import annotations

import copy
import datetime as dt
import pickle
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from orderpatch._convert import ShapeError
from orderpatch._deferred import Deferred
from orderpatch.commercelayer import Order, OrderAttributes, OrderStatus
from orderpatch.commercelayer._codec import _read_order, _structure_order, parse_order
from tests.racing import race

from .conftest import order_body, seed_document

ATTRIBUTES = [f.name for f in attrs.fields(OrderAttributes) if f.name != "extra"]
ALL_FIELDS = [f.name for f in attrs.fields(Order)]
_EXTRA_SLOT = attrs.fields(OrderAttributes).extra  # the holder: ``extra`` is the group's last field


def _pending(order: Order) -> bool:
    """Whether the order's attributes are still waiting to be built (read below the descriptors)."""
    from orderpatch._models import ResponseModel

    return type(ResponseModel.__dict__[_EXTRA_SLOT.name].__get__(order, Order)) is Deferred


def _values(order: Order) -> list[tuple[str, type, object]]:
    return [(name, type(getattr(order, name)), getattr(order, name)) for name in ALL_FIELDS]


def assert_same(document: Any, *, fast: bool) -> Order | None:
    """``parse_order(document)`` is what the eager structuring gives (or raises), by the way expected."""
    taken = _read_order(copy.deepcopy(document))
    assert (taken is not None) is fast, "fast path taken" if taken is not None else "fast path refused"
    expected: tuple[str, tuple[str | int, ...]] | None = None
    try:
        eager = _structure_order(copy.deepcopy(document))
    except ShapeError as exc:
        expected = (str(exc), exc.path)
    if expected is not None:
        with pytest.raises(ShapeError) as caught:
            parse_order(copy.deepcopy(document))
        assert (str(caught.value), caught.value.path) == expected
        return None
    order = parse_order(copy.deepcopy(document))
    if fast:
        assert _pending(order)
    assert _values(order) == _values(eager)
    assert order == eager
    assert repr(order) == repr(eager)
    assert order.to_dict() == eager.to_dict()
    assert list(order.extra) == list(eager.extra)
    assert pickle.loads(pickle.dumps(parse_order(copy.deepcopy(document)))) == eager
    return order


def _seed_with(**attributes: Any) -> Any:
    document: Any = seed_document()
    document["data"]["attributes"].update(attributes)
    return document


def test_the_seed_is_read_without_building_its_attributes() -> None:
    order = assert_same(seed_document(), fast=True)
    assert order is not None
    assert order.status is OrderStatus.DRAFT
    assert order.placed_at == dt.datetime(2018, 1, 1, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "attributes",
    [
        {},
        {"total_amount_float": 57},  # an int for a float: a float, as the hook makes it
        {"total_amount_float": 2**70, "total_amount_cents": 2**70},
        {"tax_rate": -0.0},
        {"status": "on_hold", "payment_status": "", "fulfillment_status": "fulfilled"},  # open enums
        {"placed_at": "2018-01-01T12:00:00+05:30", "approved_at": "2018-01-01T12:00:00.123456-03:00"},
        {"placed_at": "2018-01-01 12:00:00Z"},
        {"placed_at": "2018-01-01T12:00:00"},  # naive: taken as UTC
        {"placed_at": "2018-01-01"},
        {"placed_at": "2018-01-01T12:00:00.1234567Z"},  # 7 digits: the hook's reading (msgspec rounds)
        {"metadata": {"nested": {"a": [1, 2]}}, "payment_source_details": {}},
        {"circuit_state": "open", "zeta": None, "alpha": [1]},  # unknown: extra, in the answer's order
        dict.fromkeys(ATTRIBUTES),
    ],
    ids=lambda a: ",".join(a) or "empty",
)
def test_values_the_check_vouches_for_read_as_the_hooks_read_them(attributes: dict[str, Any]) -> None:
    assert_same(_seed_with(**attributes), fast=True)


@pytest.mark.parametrize(
    "attributes",
    [
        {"total_amount_cents": 5700.0},  # an integral float: the hook makes it an int
        {"total_amount_cents": 57.5},
        {"total_amount_cents": True},
        {"total_amount_cents": "5700"},
        {"total_amount_float": True},
        {"total_amount_float": "57"},
        {"guest": 1},
        {"number": 1234},  # schema 3.x: an integer, made a string
        {"number": True},
        {"status": 3},
        {"status": None, "payment_status": ["paid"]},
        {"placed_at": "2018-01-01t12:00:00z"},  # msgspec would take it, the hook does not
        {"placed_at": "yesterday"},
        {"placed_at": "2018-02-30T12:00:00Z"},
        {"placed_at": 1514808000},
        {"metadata": []},
        {"metadata": "x"},
        {"type": "gift", "brand_new": True},  # named like the envelope: kept in extra
        {"id": 7},
        {"included": []},
        {"extra": {"a": 1}},
    ],
    ids=lambda a: ",".join(f"{k}={v!r}" for k, v in a.items()),
)
def test_values_the_check_refuses_go_through_the_hooks(attributes: dict[str, Any]) -> None:
    assert_same(_seed_with(**attributes), fast=False)


def _changed(change: Callable[[dict[str, Any]], None]) -> Any:
    document: Any = seed_document()
    change(document)
    return document


ENVELOPES_READ_FAST: dict[str, Callable[[dict[str, Any]], None]] = {
    "no attributes": lambda d: d["data"].pop("attributes"),
    "no links": lambda d: d["data"].pop("links"),
    "links null": lambda d: d["data"].update(links=None),
    "links with more": lambda d: d["data"].update(links={"self": "https://s", "next": "https://n"}),
    "no relationships": lambda d: d["data"].pop("relationships"),
    "relationships empty": lambda d: d["data"].update(relationships={}),
    "a relationship with data": lambda d: d["data"]["relationships"].update(
        market={"data": {"type": "markets", "id": "m1"}}),
    "an unknown relationship": lambda d: d["data"]["relationships"].update(loyalty={"data": 5}),
    "no meta": lambda d: d["data"].pop("meta"),
    "meta empty": lambda d: d["data"].update(meta={}),
    "included": lambda d: d.update(included=[{"id": "m1", "type": "markets", "attributes": {"name": "EU"}}]),
    "included null": lambda d: d.update(included=None),
    "unknown data key": lambda d: d["data"].update(surprise=1),
    "unknown document key": lambda d: d.update(jsonapi={"version": "1.0"}),
}
ENVELOPES_READ_EAGERLY: dict[str, Callable[[dict[str, Any]], None]] = {
    "no data": lambda d: d.pop("data"),
    "data a list": lambda d: d.update(data=[d["data"]]),
    "no id": lambda d: d["data"].pop("id"),
    "id an int": lambda d: d["data"].update(id=7),
    "id null": lambda d: d["data"].update(id=None),
    "no type": lambda d: d["data"].pop("type"),
    "another type": lambda d: d["data"].update(type="customers"),
    "type an int": lambda d: d["data"].update(type=5),
    "attributes null": lambda d: d["data"].update(attributes=None),
    "attributes a list": lambda d: d["data"].update(attributes=[]),
    "links a list": lambda d: d["data"].update(links=["x"]),
    "link an int": lambda d: d["data"].update(links={"self": 1}),
    "relationships null": lambda d: d["data"].update(relationships=None),
    "a declared relationship wrong": lambda d: d["data"]["relationships"].update(market={"links": {"self": 7}}),
    "meta null": lambda d: d["data"].update(meta=None),
    "meta a list": lambda d: d["data"].update(meta=[]),
    "included an object": lambda d: d.update(included={"id": "x"}),
    "included wrong": lambda d: d.update(included=[{"id": 5, "type": "markets"}]),
}


@pytest.mark.parametrize("change", ENVELOPES_READ_FAST.values(), ids=ENVELOPES_READ_FAST.keys())
def test_envelopes_of_the_usual_shape_are_read_fast(change: Callable[[dict[str, Any]], None]) -> None:
    assert_same(_changed(change), fast=True)


@pytest.mark.parametrize("change", ENVELOPES_READ_EAGERLY.values(), ids=ENVELOPES_READ_EAGERLY.keys())
def test_other_envelopes_are_structured_or_refused_as_before(change: Callable[[dict[str, Any]], None]) -> None:
    assert_same(_changed(change), fast=False)
    assert_same({"data": []}, fast=False)
    assert_same(["data"], fast=False)


def test_the_small_answer_of_other_tests_is_read_fast_too() -> None:
    assert_same(order_body(circuit_state="open"), fast=True)


@pytest.mark.parametrize(
    "read",
    [lambda o: o.status, lambda o: o.extra, lambda o: o.placed_at, repr, lambda o: o.to_dict(), copy.copy,
     copy.deepcopy, attrs.asdict, lambda o: attrs.evolve(o, number="9"), lambda o: pickle.dumps(o)],
    ids=["a field", "extra", "a timestamp", "repr", "to_dict", "copy", "deepcopy", "asdict", "evolve", "pickle"],
)
def test_any_first_read_builds_every_attribute(read: Callable[[Order], object]) -> None:
    order = parse_order(seed_document())
    assert _pending(order)
    read(order)
    assert not _pending(order)
    eager = _structure_order(seed_document())
    assert _values(order) == _values(eager)


def test_the_snapshot_does_not_follow_later_changes_to_the_decoded_json() -> None:
    document: Any = seed_document()
    order = parse_order(document)
    document["data"]["attributes"]["number"] = "changed"
    document["data"]["attributes"]["brand_new"] = 1
    assert order.number == "1234"
    assert order.extra == {}


def test_threads_racing_for_the_first_read_see_the_same_objects() -> None:
    order = parse_order(_seed_with(status="on_hold"))
    names = ["status", "placed_at", "extra", "metadata", "number", "total_amount_cents", "guest", "token"]
    seen = race(lambda name: (getattr(order, name), order.status, order.placed_at, order.metadata, order.extra), names)
    for values in seen:
        assert all(value is first for value, first in zip(values[1:], seen[0][1:], strict=True))


def test_orders_made_otherwise_are_never_pending() -> None:
    made = Order(id="o1", number="7", status=OrderStatus.PLACED)
    assert not _pending(made)
    assert (made.number, made.status, made.placed_at, made.extra) == ("7", OrderStatus.PLACED, None, {})
    unpickled = pickle.loads(pickle.dumps(parse_order(seed_document())))
    assert not _pending(unpickled)
    assert unpickled == _structure_order(seed_document())
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        made.number = "8"  # type: ignore[misc]
    empty = Order.__new__(Order)  # nothing set: reading says so, as a plain slotted class would
    with pytest.raises(AttributeError):
        _ = empty.number
