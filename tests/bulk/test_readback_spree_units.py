"""The Spree read-back's comparison, case by case, on orders built in the test (no server):
what the snapshot holds, and when a read says "landed", "did not land" or "cannot tell"."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from orderpatch.bulk._readback import cannot_tell, read_options, settled, snapshot
from orderpatch.spree import LineItem, OrderUpdate
from orderpatch.spree._order import LineItemResource, ResourceIdentifier

STAMP = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 12, 2, 10, 5, tzinfo=dt.UTC)
ADDS = OrderUpdate(line_items_attributes=[LineItem(variant_id="2", quantity=2)])


def item(line_id: str, variant: str | None = "2", quantity: int | None = 2) -> LineItemResource:
    relationships = {} if variant is None else {"variant": ResourceIdentifier(id=variant, type="variant")}
    return LineItemResource(id=line_id, type="line_item", quantity=quantity,
                            relationships=relationships)  # type: ignore[arg-type]


def order(line_ids: list[str], *, updated_at: dt.datetime | None = STAMP, included: tuple[object, ...] = ()) -> Any:
    refs = tuple(SimpleNamespace(id=i) for i in line_ids)
    return SimpleNamespace(updated_at=updated_at, relationships=SimpleNamespace(line_items=refs), included=included)


def test_the_snapshot_holds_the_stamp_and_the_sorted_line_ids() -> None:
    assert snapshot(order(["9", "10"])) == {"updated_at": STAMP.isoformat(), "line_items": ["10", "9"]}
    assert snapshot(order([], updated_at=None)) == {"updated_at": None, "line_items": []}


def test_only_spree_reads_with_its_line_items() -> None:
    assert read_options("spree") == {"include": "line_items"}
    assert read_options("commercelayer") == {}


def test_an_order_unchanged_since_the_snapshot_did_not_get_the_change() -> None:
    before = snapshot(order(["1"]))
    assert settled("spree", ADDS, order(["1"]), before) is False
    no_stamp = snapshot(order(["1"], updated_at=None))
    assert settled("spree", ADDS, order(["1"], updated_at=None), no_stamp) is False


def test_exactly_the_added_line_item_means_it_landed() -> None:
    before = snapshot(order(["1"]))
    after = order(["1", "7"], updated_at=LATER, included=(item("1", "5", 1), item("7")))
    assert settled("spree", ADDS, after, before) is True


@pytest.mark.parametrize(
    ("line_ids", "included"),
    [
        (["7"], (item("7"),)),  # a line item that was there is gone
        (["1", "7", "8"], (item("7"), item("8"))),  # two new where one was added
        (["1", "7"], (item("7", "3"),)),  # another variant
        (["1", "7"], (item("7", quantity=5),)),  # another quantity
        (["1", "7"], (item("7", variant=None),)),  # no variant to compare
        (["1", "7"], (item("7", quantity=None),)),  # no quantity to compare
        (["1", "7"], ()),  # the new line item is not included
        (["1"], ()),  # the stamp moved, nothing was added
    ],
)
def test_anything_else_cannot_tell(line_ids: list[str], included: tuple[object, ...]) -> None:
    before = snapshot(order(["1"]))
    assert settled("spree", ADDS, order(line_ids, updated_at=LATER, included=included), before) is None


def test_a_snapshot_of_the_wrong_shape_cannot_tell() -> None:
    after = order(["1", "7"], updated_at=LATER, included=(item("7"),))
    assert settled("spree", ADDS, after, {"updated_at": None}) is None
    assert settled("spree", ADDS, after, {"updated_at": None, "line_items": "1"}) is None
    assert settled("spree", ADDS, after, ["1"]) is None


def test_why_a_read_cannot_tell_is_said_in_full() -> None:
    with_payment = OrderUpdate(line_items_attributes=[LineItem(variant_id="2", quantity=2)],
                               extra_attributes={"payments_attributes": [{"amount": 5}]})
    assert cannot_tell("spree", with_payment) == (
        "it adds nested records (payments, shipments, …) that a read cannot tell apart from ones already there"
    )
    assert cannot_tell("spree", ADDS) == "the order was not read just before the request, so a read cannot tell"
    assert cannot_tell("commercelayer", ADDS) == "it fires a trigger that leaves no trace a read can see"
    assert cannot_tell("licensespring", ADDS) == "this vendor's order cannot show whether it landed"


def test_a_change_adding_no_line_items_has_nothing_left_to_land() -> None:
    """An empty ``line_items_attributes``: the same ids after a moved stamp show all it could do."""
    nothing = OrderUpdate(line_items_attributes=[])
    assert settled("spree", nothing, order(["1"], updated_at=LATER), snapshot(order(["1"]))) is True
