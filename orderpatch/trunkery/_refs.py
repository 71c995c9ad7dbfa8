"""Expandable references of a Trunkery (Lana Commerce) order: ``Ref`` or the expanded object.

Trunkery returns a related object (customer, gateway, coupon, variant, …) as ``{"id": …}``
unless the call asked to expand it, and then as the whole object. A field typed
``Ref | Customer | None`` holds a ``Ref`` for the bare ``{"id"}`` and a ``Customer`` for
anything more; both have ``.id``. The expanded shapes are not modelled field by field (the
research kept them opaque on purpose), so their other keys are in ``extra``.
"""

from __future__ import annotations

import attrs
import msgspec

from .._convert import ShapeError
from .._models import ResponseModel

__all__ = [
    "AddressShort", "Coupon", "Customer", "Expanded", "Gateway", "InfoCountry", "InfoProvince", "InventoryLocation",
    "Message", "OrderRisk", "ProductFieldSet", "ProductVariant", "Promotion", "Ref", "RefMirror", "SalesChannel",
    "ShippingProvider", "Subscription", "User", "structure_ref",
]


@attrs.frozen(kw_only=True)
class Ref:
    """An unexpanded reference: exactly ``{"id": "<prefix>_<opaque>"}``."""

    id: str


class RefMirror(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What ``structure_ref`` accepts, as a msgspec type: the parse-time check of a deferred field (``_mirror``)."""

    id: str


def structure_ref(value: object, _: object) -> Ref:
    """A ``Ref`` only from an object whose one key is a string ``id``; anything else is an expanded object."""
    if not isinstance(value, dict) or len(value) != 1 or not isinstance(value.get("id"), str):
        raise ShapeError(f"expected an unexpanded reference {{'id': str}}, got {type(value).__name__}")
    return Ref(id=value["id"])


@attrs.frozen(kw_only=True)
class Expanded(ResponseModel):
    """Base of the expanded related objects: the ``id``, and every other key in ``extra``."""

    id: str


# One class per kind, so that ``isinstance(order.customer, Customer)`` reads as it should.
@attrs.frozen(kw_only=True)
class AddressShort(Expanded):
    """An expanded short address (``billing_address_short``, ``shipping_address_short``)."""


@attrs.frozen(kw_only=True)
class Coupon(Expanded):
    """An expanded coupon (set when ``discount_code`` resolved to one)."""


@attrs.frozen(kw_only=True)
class Customer(Expanded):
    """An expanded customer (``cu_`` id)."""


@attrs.frozen(kw_only=True)
class Gateway(Expanded):
    """An expanded payment gateway (``gw_`` id)."""


@attrs.frozen(kw_only=True)
class InfoCountry(Expanded):
    """An expanded country."""


@attrs.frozen(kw_only=True)
class InfoProvince(Expanded):
    """An expanded province or state."""


@attrs.frozen(kw_only=True)
class InventoryLocation(Expanded):
    """An expanded inventory location."""


@attrs.frozen(kw_only=True)
class Message(Expanded):
    """An expanded email message (usable to resend it)."""


@attrs.frozen(kw_only=True)
class OrderRisk(Expanded):
    """An expanded risk evaluation of an order."""


@attrs.frozen(kw_only=True)
class ProductFieldSet(Expanded):
    """An expanded product field set."""


@attrs.frozen(kw_only=True)
class ProductVariant(Expanded):
    """An expanded product variant (``va_`` id)."""


@attrs.frozen(kw_only=True)
class Promotion(Expanded):
    """An expanded promotion (set when ``discount_code`` resolved to one)."""


@attrs.frozen(kw_only=True)
class SalesChannel(Expanded):
    """An expanded sales channel (``sc_`` id)."""


@attrs.frozen(kw_only=True)
class ShippingProvider(Expanded):
    """An expanded shipping provider."""


@attrs.frozen(kw_only=True)
class Subscription(Expanded):
    """An expanded subscription (``ss_`` id)."""


@attrs.frozen(kw_only=True)
class User(Expanded):
    """An expanded staff user."""
