"""Settling doubt by reading the order back: did a non-idempotent change already land?

After a crash, an order whose non-idempotent request may have reached the vendor is read back
(``client.orders.retrieve``, the same client and budget as the job) when the vendor lets us and
the change leaves a trace we can see. ``settled`` answers ``True`` (it landed: done, not sent
again), ``False`` (it did not: safe to send) or ``None`` (the order cannot tell: "unknown").

Commerce Layer's triggers each leave one (``_archive`` sets ``archived_at``, ``_approve`` moves
the status to ``approved``, ``_capture`` the payment status to ``paid``, …). The other vendors'
non-idempotent changes (Spree line items and store credit; a Trunkery POST without a key) leave
none that tells "twice" from "once", so they stay unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

__all__ = ["READ_BACK_VENDORS", "can_read_back", "settled"]


def _status(*values: str) -> Callable[[Any], bool]:
    return lambda order: str(order.status) in values


def _payment(*values: str) -> Callable[[Any], bool]:
    return lambda order: str(order.payment_status) in values


# What each Commerce Layer trigger leaves on the order once it has run.
_CL_TRACES: Final[Mapping[str, Callable[[Any], bool]]] = {
    "archive": lambda order: order.archived_at is not None,
    "unarchive": lambda order: order.archived_at is None,
    "pending": _status("pending", "placing", "placed", "approved", "cancelled"),
    "approve": _status("approved"),
    "approve_and_capture": lambda order: str(order.status) == "approved" and str(order.payment_status) == "paid",
    "cancel": _status("cancelled"),
    "capture": _payment("paid", "partially_paid", "refunded", "partially_refunded"),
    "refund": _payment("refunded", "partially_refunded"),
    "fulfill": lambda order: str(order.fulfillment_status) == "fulfilled",
    "start_editing": _status("editing"),
    "stop_editing": _status("placed"),
}

#: Vendors whose orders can be read back to settle a doubt.
READ_BACK_VENDORS: Final = frozenset({"commercelayer"})


def _cl_triggers(request: Any) -> list[str] | None:
    from .._types import UNSET
    from ..commercelayer._update import NON_IDEMPOTENT_TRIGGERS

    fired = [name for name in NON_IDEMPOTENT_TRIGGERS if getattr(request, name) is not UNSET]
    if not fired or any(name not in _CL_TRACES for name in fired):
        return None
    return fired


def can_read_back(vendor: str, request: object) -> bool:
    """Whether reading the order back can tell if ``request`` already landed."""
    return vendor == "commercelayer" and _cl_triggers(request) is not None


def settled(vendor: str, request: object, order: object) -> bool | None:
    """``True`` when ``order`` shows every effect of ``request``, ``False`` when it shows none."""
    if vendor != "commercelayer":
        return None
    fired = _cl_triggers(request)
    if fired is None:
        return None
    seen = {_CL_TRACES[name](order) for name in fired}
    return seen.pop() if len(seen) == 1 else None
