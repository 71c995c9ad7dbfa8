"""Generated orders: ``Sandbox(orders=N)`` adds N varied orders per vendor to the seeded examples.

The orders vary in state, customer email, creation date and tags (where the vendor has tags),
deterministically by their index, so that listing and filtering have something to select and a
test can predict what a filter must return. Ids sort in creation order. Each vendor's orders are
built in that vendor's own shape, from its seeded example.
"""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from collections.abc import Mapping

from ._commercelayer import CommerceLayer
from ._http import Document
from ._licensespring import LicenseSpring
from ._seeds import LS_ORDER_ID, trunkery_line_item, trunkery_order
from ._spree import Spree
from ._trunkery import Trunkery
from ._vendor import Vendor

__all__ = ["EMAILS", "TAGS", "created_at", "email_of", "populate"]

#: The creation time of generated order 0; order ``i`` is ``i`` hours later.
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
#: Distinct customer emails, reused round-robin.
EMAILS = 37
#: Tags, combined by index (Commerce Layer and Trunkery have tags).
TAGS = ("vip", "b2b", "gift", "wholesale")


def created_at(index: int) -> dt.datetime:
    """The creation time of generated order ``index``."""
    return START + dt.timedelta(hours=index)


def email_of(index: int) -> str:
    """The customer email of generated order ``index``."""
    return f"buyer{index % EMAILS}@example.com"


def tags_of(index: int) -> list[str]:
    """The tags of generated order ``index``: none for every fifth, else one or two."""
    if index % 5 == 4:
        return []
    first = TAGS[index % len(TAGS)]
    return [first] if index % 3 else [first, TAGS[(index + 1) % len(TAGS)]]


def _stamp(moment: dt.datetime, *, micros: bool = False) -> str:
    text = moment.isoformat(timespec="microseconds" if micros else "milliseconds")
    return text.removesuffix("+00:00") + "Z"


# -- Commerce Layer -----------------------------------------------------------------------------

CL_STATUSES = ("placed", "approved", "pending", "placed", "cancelled")


def _commercelayer(vendor: CommerceLayer, count: int) -> None:
    (seed_id, seed), = list(vendor.orders.items())[:1]
    for name in TAGS:
        vendor.resources[("tags", f"tag{name}")] = {"name": name}
    for index in range(count):
        order = copy.deepcopy(seed)
        status, stamp = CL_STATUSES[index % len(CL_STATUSES)], _stamp(created_at(index))
        placed = status in ("placed", "approved", "cancelled")
        order["attributes"].update(
            number=str(10_000 + index), status=status, customer_email=email_of(index), created_at=stamp,
            updated_at=stamp, placed_at=stamp if placed else None, approved_at=stamp if status == "approved" else None,
            cancelled_at=stamp if status == "cancelled" else None, archived_at=None, editable=not placed,
            payment_status="authorized" if placed else "unpaid", reference=f"REF-{index:05d}",
        )
        order["links"]["tags"] = [("tags", f"tag{name}") for name in tags_of(index)]
        vendor.orders[f"sbx{index:07d}"] = order
    del seed_id


# -- Spree --------------------------------------------------------------------------------------

SPREE_STATES = ("complete", "complete", "cart", "canceled", "complete", "address")
#: Generated Spree orders have ids from here on (above the spec's examples).
SPREE_FIRST_ID = 1000


def _spree(vendor: Spree, count: int) -> None:
    seed = next(order for order in vendor.orders.values() if order["state"] == "complete")
    for index in range(count):
        order = copy.deepcopy(seed)
        state, stamp = SPREE_STATES[index % len(SPREE_STATES)], _stamp(created_at(index))
        order_id = SPREE_FIRST_ID + index
        order.update(
            id=order_id, number=f"R{700_000_000 + index}", state=state, email=email_of(index), created_at=stamp,
            updated_at=stamp, completed_at=stamp if state in ("complete", "canceled") else None,
            canceled_at=stamp if state == "canceled" else None, token=f"sbx{order_id:08d}",
            payment_state="paid" if state == "complete" else None,
            shipment_state="ready" if state == "complete" else None,
            line_item_ids=[], payment_ids=[], shipment_ids=[], state_change_ids=[], item_count=0,
        )
        vendor.orders[order_id] = order


# -- LicenseSpring ------------------------------------------------------------------------------

#: Generated LicenseSpring orders have ids ``LS_FIRST_ID + index * 1000`` (16 digits, time-ordered).
LS_FIRST_ID = LS_ORDER_ID + 1_000_000_000


def _licensespring(vendor: LicenseSpring, count: int) -> None:
    seed = vendor.orders[LS_ORDER_ID]
    for index in range(count):
        order = copy.deepcopy(seed)
        order_id, stamp = LS_FIRST_ID + index * 1000, _stamp(created_at(index))
        order.update(
            id=order_id, created_at=stamp, updated_at=stamp, store_id=f"sbx-{index:05d}",
            customer_email=email_of(index), is_test=index % 3 == 0, is_trial=index % 7 == 0,
            customer=(123, 124, None)[index % 3], is_archived=index % 10 == 9, short_code=f"S{index:05d}",
        )
        vendor.orders[order_id] = order


# -- Trunkery -----------------------------------------------------------------------------------


def _trunkery(vendor: Trunkery, count: int) -> None:
    for index in range(count):
        stamp = _stamp(created_at(index), micros=True)
        order_id = f"or_Sbx{index:05d}"
        order = trunkery_order(order_id, 5_000 + index, created_at=stamp,
                               uuid=str(uuid.uuid5(uuid.NAMESPACE_URL, order_id)))
        cart = index % 2 == 0
        order.update(
            customer={"id": f"cu_Sbx{index % EMAILS:03d}"}, customer_email=email_of(index), tags=tags_of(index),
            line_items=[trunkery_line_item(f"li_Sbx{index:05d}", "va_EQzGqWoY", 1 + index % 3)],
        )
        if not cart:
            order.update(state="capture_payment", financial_status="paid", paid_at=stamp, gateway_type="stripe")
        vendor.orders[order_id] = order


_SEEDERS: Mapping[type[Vendor], object] = {
    CommerceLayer: _commercelayer, Spree: _spree, LicenseSpring: _licensespring, Trunkery: _trunkery,
}


def populate(vendors: Mapping[str, Vendor], count: int) -> None:
    """Add ``count`` generated orders to every vendor that has a generator (called after each reset)."""
    if count <= 0:
        return
    for vendor in vendors.values():
        seeder = _SEEDERS.get(type(vendor))
        if callable(seeder):
            with vendor.state.lock:
                seeder(vendor, count)


def order_ids(vendor: Vendor) -> list[str]:
    """The ids of a vendor's orders as its API spells them (Spree: the number), in creation order."""
    orders: Mapping[object, Document] = getattr(vendor, "orders", {})
    if isinstance(vendor, Spree):
        return [str(order["number"]) for order in orders.values()]
    return [str(order_id) for order_id in orders]
