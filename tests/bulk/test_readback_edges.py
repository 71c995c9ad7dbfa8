"""What reading a Commerce Layer order back can tell, trigger by trigger and value by value.

A wrong answer here sends a non-idempotent change twice (``False`` when it had landed) or never
(``True`` when it had not), so every trace is pinned with an order that shows it and one that
does not. These pin the behaviour a mutation run of ``orderpatch/bulk/_readback.py`` changes.
"""

from __future__ import annotations

import pytest

from orderpatch.bulk._readback import READ_BACK_VENDORS, can_read_back, settled
from orderpatch.commercelayer import OrderUpdate
from orderpatch.commercelayer._codec import parse_order
from tests.commercelayer.conftest import order_body

ARCHIVED = "2026-12-01T10:00:00.000Z"


def order(**attributes: object) -> object:
    return parse_order(order_body(**attributes))  # type: ignore[arg-type]


def update(trigger: str) -> OrderUpdate:
    return OrderUpdate(**{trigger: True})  # type: ignore[arg-type]


# (trigger, attributes of an order that shows it, attributes of one that does not)
TRACES = [
    ("archive", {"archived_at": ARCHIVED}, {"archived_at": None}),
    ("unarchive", {"archived_at": None}, {"archived_at": ARCHIVED}),
    ("approve", {"status": "approved"}, {"status": "placed"}),
    ("cancel", {"status": "cancelled"}, {"status": "approved"}),
    ("start_editing", {"status": "editing"}, {"status": "placed"}),
    ("stop_editing", {"status": "placed"}, {"status": "editing"}),
    ("fulfill", {"fulfillment_status": "fulfilled"}, {"fulfillment_status": "in_progress"}),
    ("approve_and_capture", {"status": "approved", "payment_status": "paid"},
     {"status": "approved", "payment_status": "authorized"}),
    ("approve_and_capture", {"status": "approved", "payment_status": "paid"},
     {"status": "placed", "payment_status": "paid"}),
]

PENDING_SEEN = ["pending", "placing", "placed", "approved", "cancelled"]
CAPTURE_SEEN = ["paid", "partially_paid", "refunded", "partially_refunded"]
REFUND_SEEN = ["refunded", "partially_refunded"]


@pytest.mark.parametrize(("trigger", "landed", "not_landed"), TRACES)
def test_each_trigger_has_its_trace(trigger: str, landed: dict[str, object], not_landed: dict[str, object]) -> None:
    assert can_read_back("commercelayer", update(trigger))
    assert settled("commercelayer", update(trigger), order(**landed)) is True
    assert settled("commercelayer", update(trigger), order(**not_landed)) is False


@pytest.mark.parametrize("status", PENDING_SEEN)
def test_pending_is_seen_in_every_later_status(status: str) -> None:
    assert settled("commercelayer", update("pending"), order(status=status)) is True


@pytest.mark.parametrize("status", ["draft", "editing"])
def test_pending_is_not_seen_before(status: str) -> None:
    assert settled("commercelayer", update("pending"), order(status=status)) is False


@pytest.mark.parametrize("payment", CAPTURE_SEEN)
def test_a_capture_is_seen_in_every_later_payment_status(payment: str) -> None:
    assert settled("commercelayer", update("capture"), order(payment_status=payment)) is True


@pytest.mark.parametrize("payment", ["unpaid", "authorized", "voided", "free"])
def test_a_capture_is_not_seen_before(payment: str) -> None:
    assert settled("commercelayer", update("capture"), order(payment_status=payment)) is False


@pytest.mark.parametrize("payment", REFUND_SEEN)
def test_a_refund_is_seen_once_refunded(payment: str) -> None:
    assert settled("commercelayer", update("refund"), order(payment_status=payment)) is True


@pytest.mark.parametrize("payment", ["paid", "partially_paid", "authorized"])
def test_a_refund_is_not_seen_before(payment: str) -> None:
    assert settled("commercelayer", update("refund"), order(payment_status=payment)) is False


def test_several_triggers_tell_only_when_they_agree() -> None:
    both = OrderUpdate(archive=True, approve=True)
    assert can_read_back("commercelayer", both)
    assert settled("commercelayer", both, order(archived_at=ARCHIVED, status="approved")) is True
    assert settled("commercelayer", both, order(archived_at=None, status="placed")) is False
    assert settled("commercelayer", both, order(archived_at=ARCHIVED, status="placed")) is None
    assert settled("commercelayer", both, order(archived_at=None, status="approved")) is None


def test_a_trigger_without_a_trace_makes_the_whole_change_unknowable() -> None:
    mixed = OrderUpdate(archive=True, refresh=True)
    assert not can_read_back("commercelayer", mixed)
    assert settled("commercelayer", mixed, order(archived_at=ARCHIVED)) is None
    assert settled("commercelayer", OrderUpdate(refresh=True), order()) is None
    assert settled("commercelayer", OrderUpdate(reference="x"), order()) is None  # no trigger at all
    assert not can_read_back("commercelayer", OrderUpdate(reference="x"))
    assert can_read_back("commercelayer", OrderUpdate(archive=False, reference="x"))  # set to False, it is sent too


def test_only_commerce_layer_reads_back() -> None:
    # Spree reads back too, but only its own line-item requests (tests/bulk/test_readback_spree.py).
    assert frozenset({"commercelayer", "spree"}) == READ_BACK_VENDORS
    for vendor in ("spree", "spree_admin", "trunkery", "licensespring", "CommerceLayer"):
        assert not can_read_back(vendor, update("archive"))
        assert settled(vendor, update("archive"), order(archived_at=ARCHIVED)) is None


def test_the_trace_builders_read_the_order_when_asked() -> None:
    """``_status``/``_payment`` build the table's checks when the module is imported; called here, so
    that a change to them is seen by a test (and not only by the table built before it)."""
    from orderpatch.bulk._readback import _payment, _status

    approved_or_placed = _status("approved", "placed")
    assert approved_or_placed(order(status="placed")) is True
    assert approved_or_placed(order(status="approved")) is True
    assert approved_or_placed(order(status="draft")) is False
    paid = _payment("paid")
    assert paid(order(payment_status="paid")) is True
    assert paid(order(payment_status="unpaid")) is False
