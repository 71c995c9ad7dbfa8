"""Settling doubt by reading the order back: did a non-idempotent change already land?

After a crash, an order whose non-idempotent request may have reached the vendor is read back
(``client.orders.retrieve``, the same client and budget as the job) when the vendor lets us and
the change leaves a trace we can see. ``settled`` answers ``True`` (it landed: done, not sent
again), ``False`` (it did not: safe to send) or ``None`` (the order cannot tell: "unknown").

Commerce Layer's triggers each leave one (``_archive`` sets ``archived_at``, ``_approve`` moves
the status to ``approved``, ``_capture`` the payment status to ``paid``, …).

Spree v2 line items added through ``line_items_attributes`` leave records, but an order may hold
such a line item already: the job reads the order **just before** sending (``needs_snapshot``)
and journals its line item ids and ``updated_at`` (``snapshot``). Read back, the order then
tells: unchanged since (same ids, same ``updated_at``) → it did not land, send it once; exactly
the new line items the request adds (variant and quantity) → it landed. Anything else (other
changes meanwhile, other nested records such as ``payments_attributes``) stays unknown.

Every Trunkery and Spree Admin v3 request of a job carries its journalled ``Idempotency-Key``
(``_plan.KEYED_VENDORS``), so it is never in this position: it is re-sent with the same key
and bytes (read back first where the change can be compared, ``_compare``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from .._types import JSONValue

__all__ = ["READ_BACK_VENDORS", "can_read_back", "cannot_tell", "needs_snapshot", "read_options", "settled",
           "snapshot"]


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
READ_BACK_VENDORS: Final = frozenset({"commercelayer", "spree"})


def _cl_triggers(request: Any) -> list[str] | None:
    from .._types import UNSET
    from ..commercelayer._update import NON_IDEMPOTENT_TRIGGERS

    fired = [name for name in NON_IDEMPOTENT_TRIGGERS if getattr(request, name) is not UNSET]
    if not fired or any(name not in _CL_TRACES for name in fired):
        return None
    return fired


# --- Spree Platform API v2: line items added through nested attributes ------------------------------


def _spree_added(request: Any) -> list[tuple[str, int]] | None:
    """The ``(variant_id, quantity)`` of each line item ``request`` adds, when that is all it adds; else ``None``."""
    from .._types import UNSET
    from ..spree import OrderUpdate

    if not isinstance(request, OrderUpdate):
        return None
    extra = request.extra_attributes if isinstance(request.extra_attributes, Mapping) else {}
    if request.line_items_attributes is UNSET or any(key.endswith("_attributes") for key in extra):
        return None
    return [(str(item.variant_id), int(item.quantity)) for item in request.line_items_attributes]


def _spree_line_ids(order: Any) -> list[str]:
    return sorted(ref.id for ref in order.relationships.line_items)


def needs_snapshot(vendor: str, request: object) -> bool:
    """Whether the job reads the order just before sending ``request``, to settle a doubt by comparison later.

    Spree v2 line items added through ``line_items_attributes``: the snapshot is the order's line
    item ids and ``updated_at``.
    """
    return vendor == "spree" and _spree_added(request) is not None


def snapshot(order: Any) -> JSONValue:
    """What the job journals about ``order`` before a non-idempotent request (``needs_snapshot``)."""
    stamp = order.updated_at
    ids: list[JSONValue] = list(_spree_line_ids(order))
    return {"updated_at": None if stamp is None else stamp.isoformat(), "line_items": ids}


def read_options(vendor: str) -> dict[str, str]:
    """What a read-back asks for beyond the order: Spree's line items, to see what was added."""
    return {"include": "line_items"} if vendor == "spree" else {}


def _spree_settled(request: Any, order: Any, before: JSONValue) -> bool | None:
    added = _spree_added(request)
    listed = before.get("line_items") if isinstance(before, dict) else None
    if added is None or not isinstance(before, dict) or not isinstance(listed, list):
        return None
    before_ids = [str(item) for item in listed]
    now_ids = _spree_line_ids(order)
    stamp = None if order.updated_at is None else order.updated_at.isoformat()
    if now_ids == sorted(before_ids) and stamp == before.get("updated_at"):
        return False  # the order has not changed at all since just before the request: it did not land
    new = set(now_ids) - set(before_ids)
    if not set(before_ids) <= set(now_ids) or len(new) != len(added):
        return None
    from ..spree._order import LineItemResource

    seen: list[tuple[str, int]] = []
    for resource in order.included:
        if isinstance(resource, LineItemResource) and resource.id in new:
            variant = resource.relationships.get("variant")
            variant_id = getattr(variant, "id", None)
            if variant_id is None or resource.quantity is None:
                return None
            seen.append((str(variant_id), int(resource.quantity)))
    return True if sorted(seen) == sorted(added) else None


def can_read_back(vendor: str, request: object) -> bool:
    """Whether reading the order back can tell if ``request`` already landed."""
    if vendor == "spree":
        return needs_snapshot(vendor, request)
    return vendor == "commercelayer" and _cl_triggers(request) is not None


def settled(vendor: str, request: object, order: object, before: JSONValue = None) -> bool | None:
    """``True`` when ``order`` shows every effect of ``request``, ``False`` when it shows none (safe to send).

    ``before`` is the ``snapshot`` journalled just before the request, where the vendor needs one.
    """
    if vendor == "spree":
        return _spree_settled(request, order, before)
    if vendor != "commercelayer":
        return None
    fired = _cl_triggers(request)
    if fired is None:
        return None
    seen = {_CL_TRACES[name](order) for name in fired}
    return seen.pop() if len(seen) == 1 else None


def cannot_tell(vendor: str, request: object) -> str:
    """Why a non-idempotent change in doubt cannot be settled by reading the order back (for the report)."""
    if vendor == "spree":
        return ("it adds nested records (payments, shipments, …) that a read cannot tell apart from ones "
                "already there" if not needs_snapshot(vendor, request)
                else "the order was not read just before the request, so a read cannot tell")
    if vendor == "commercelayer":
        return "it fires a trigger that leaves no trace a read can see"
    return "this vendor's order cannot show whether it landed"
