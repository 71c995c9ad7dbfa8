"""Whether an order already holds a change: the ground for "skipped (already had the change)".

A bulk job that has the order in hand (a listed selection, ``--skip-unchanged``, a read-back)
compares each changed ``OrderChanges`` field with the order's current value and skips the write
only when it is **certain** the order already holds every one of them. Anything it cannot read
or compare exactly means "write":

* ``email``, ``reference``, ``currency``, ``coupon_code``, ``language``, ``note``,
  ``customer_id``: the vendor field the change goes to holds exactly the same text (no case
  folding: a vendor that lowercases emails simply gets the write).
* ``metadata``: the stored object is exactly the given one, compared as canonical JSON (``1``
  and ``1.0`` differ). Equality makes the write a no-op whether the vendor replaces the object
  (Commerce Layer, Spree) or merges into it (LicenseSpring does not say).
* ``tags``: exactly the same list, in the same order (the change replaces the list).
* addresses: never skipped (Spree and Trunkery create a new address record; the stored one is
  normalized differently from what was given).
* ``None`` (clear the field): never skipped: a read cannot tell a field that is null from one
  the answer left out.
* a vendor's own request (``native``): never skipped.

Which vendor field each neutral field reads is ``_READ``: only fields the vendor's typed order
carries, under the name the adapter's ``rules`` write.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Final

from .._facade._changes import OrderChanges
from .._types import JSONValue

__all__ = ["comparable", "current_values", "holds", "would_change"]

_NOT_READ: Final = object()


def _attr(name: str) -> Callable[[Any], object]:
    return lambda order: getattr(order, name, _NOT_READ)


def _ref_id(name: str) -> Callable[[Any], object]:
    def read(order: Any) -> object:
        ref = getattr(order, name, _NOT_READ)
        return _NOT_READ if ref is _NOT_READ or ref is None else getattr(ref, "id", _NOT_READ)

    return read


# Neutral field → how to read its current value from the vendor's typed order (``UpdatedOrder.detail``).
_READ: Final[Mapping[str, Mapping[str, Callable[[Any], object]]]] = {
    "commercelayer": {"email": _attr("customer_email"), "reference": _attr("reference"),
                      "metadata": _attr("metadata"), "coupon_code": _attr("coupon_code"),
                      "language": _attr("language_code")},
    "licensespring": {"reference": _attr("store_id"), "metadata": _attr("metadata"), "language": _attr("language")},
    "spree": {"email": _attr("email"), "currency": _attr("currency"), "note": _attr("internal_note"),
              "metadata": _attr("private_metadata")},
    "spree_admin": {"email": _attr("email"), "currency": _attr("currency"), "language": _attr("locale"),
                    "note": _attr("internal_note"), "metadata": _attr("metadata"), "tags": _attr("tags"),
                    "customer_id": _attr("customer_id")},
    "trunkery": {"email": _attr("customer_email"), "currency": _attr("currency"),
                 "coupon_code": _attr("discount_code"), "tags": _attr("tags"), "customer_id": _ref_id("customer")},
}


def _json(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _wanted(name: str, value: object) -> object:
    if name == "tags":
        return list(value)  # type: ignore[call-overload]
    if name == "metadata":
        return dict(value)  # type: ignore[call-overload]
    if name == "customer_id":
        return str(value)
    return value


def _same(name: str, current: object, wanted: object) -> bool:
    if current is _NOT_READ or current is None:
        return False
    if name in ("metadata", "tags"):
        return isinstance(current, (dict, list)) and _json(current) == _json(wanted)
    if name == "customer_id":
        return isinstance(current, (str, int)) and not isinstance(current, bool) and str(current) == wanted
    return isinstance(current, str) and current == wanted


def comparable(vendor: str, changes: object) -> bool:
    """Whether a read of the order can tell that it holds ``changes``: every field readable, none cleared."""
    if not isinstance(changes, OrderChanges):
        return False
    readers = _READ.get(vendor, {})
    names = changes.changed_fields()
    return bool(names) and all(name in readers and getattr(changes, name) is not None for name in names)


def holds(vendor: str, changes: object, order: object) -> bool:
    """Whether ``order`` (the vendor's typed order) certainly holds every value ``changes`` sets.

    ``False`` whenever that is not certain: a field it cannot read, a clear (``None``), an
    address, or a vendor's own request.
    """
    if not comparable(vendor, changes):
        return False
    assert isinstance(changes, OrderChanges)
    readers = _READ[vendor]
    return all(_same(name, readers[name](order), _wanted(name, getattr(changes, name)))
               for name in changes.changed_fields())


def current_values(vendor: str, changes: OrderChanges, order: object) -> dict[str, JSONValue]:
    """The order's current value of each changed field it can read (for a dry run's "what would change")."""
    readers = _READ.get(vendor, {})
    values: dict[str, JSONValue] = {}
    for name in changes.changed_fields():
        reader = readers.get(name)
        current = _NOT_READ if reader is None else reader(order)
        if current is not _NOT_READ:
            values[name] = json.loads(_json(current))
    return values


def would_change(vendor: str, changes: OrderChanges, order: object) -> dict[str, JSONValue]:
    """``{field: {"from": current, "to": new}}`` for each changed field; ``from`` is ``"?"`` where it cannot be read."""
    known = current_values(vendor, changes, order)
    diff: dict[str, JSONValue] = {}
    for name in changes.changed_fields():
        value = getattr(changes, name)
        new: JSONValue = json.loads(_json(_plain(value)))
        old = known.get(name, "?")
        if old != new:
            diff[name] = {"from": old, "to": new}
    return diff


def _plain(value: object) -> object:
    from .._facade._changes import Address

    if isinstance(value, Address):
        return {name: getattr(value, name) for name in value.changed_fields()}
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (list, tuple)):
        return list(value)
    return value
