"""Spree adapter: ``OrderChanges`` → ``spree.OrderUpdate``; ``Order`` → ``UpdatedOrder``.

Spree's Platform API (README §3) permits every order column: ``email``, ``currency``,
``internal_note`` (staff-only, Spree 4.5+), ``user_id``, the metadata objects and new addresses
as flat ``*_address_attributes``. It **drops null values**, so ``None`` is refused for every
field. Coupons go through their own endpoint; orders keep no external reference, language or
tags.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar, Final

from ..errors import ValidationError
from ._adapter import Rule, To, Unsupported, VendorAdapter
from ._changes import Address, UpdatedOrder

if TYPE_CHECKING:
    from .. import spree

_CLASS: Final = "orderpatch.spree.OrderUpdate"
_NO_NULL: Final = (
    "Spree drops null values; send an empty string through orderpatch.spree.OrderUpdate where the column allows it"
)
# Neutral address field → Spree address field (Spree resolves country_iso and a state name or abbreviation).
_ADDRESS: Final = {
    "first_name": "firstname",
    "last_name": "lastname",
    "company": "company",
    "line1": "address1",
    "line2": "address2",
    "city": "city",
    "postal_code": "zipcode",
    "region": "state_name",
    "country_code": "country_iso",
    "phone": "phone",
}


def _address(value: Address) -> spree.Address:
    from ..spree import Address as SpreeAddress

    return SpreeAddress(**{_ADDRESS[name]: getattr(value, name) for name in value.changed_fields()})


def _numeric_ids(values: object) -> list[int]:
    """Spree filters ``id_in`` on its numeric ids (numbers go in ``number``)."""
    if isinstance(values, (list, tuple)) and all(isinstance(v, str) and v.isascii() and v.isdigit() for v in values):
        return [int(v) for v in values]
    expected = "Spree's numeric order ids (R… numbers go in OrderFilter.number)"
    raise ValidationError(f"OrderFilter.ids: expected {expected}, got {values!r:.60}", field="OrderFilter.ids",
                          expected=expected)


def _to(field: str, convert: object = None, note: str = "") -> To:
    return To(field, convert if callable(convert) else None, no_null=_NO_NULL, note=note)


class SpreeAdapter(VendorAdapter):
    """The facade's Spree mapping."""

    vendor = "spree"
    classes = ("OrderUpdate", "SpreeClient", "AsyncSpreeClient")
    rules: ClassVar[Mapping[str, Rule]] = {
        "email": _to("email"),
        "metadata": _to("private_metadata", note="staff-side metadata (public_metadata is shown to shoppers)"),
        "reference": Unsupported(f"{_CLASS}.private_metadata", "Spree orders keep no external reference"),
        "currency": _to("currency"),
        "coupon_code": Unsupported("orderpatch.spree.SpreeClient.orders.apply_coupon_code", "its own endpoint"),
        "language": Unsupported(_CLASS),
        "customer_id": _to("user_id", note="a Spree user id"),
        "billing_address": _to("bill_address_attributes", _address, note="creates a new address"),
        "shipping_address": _to("ship_address_attributes", _address, note="creates a new address"),
        "note": _to("internal_note", note="staff-only (Spree 4.5+); special_instructions is the shopper's"),
        "tags": Unsupported(_CLASS),
    }
    filters: ClassVar[Mapping[str, Rule]] = {
        "ids": To("ids", _numeric_ids, note="Spree's numeric ids"), "number": To("number"), "status": To("state"),
        "email": To("email"), "reference": Unsupported("", "Spree orders keep no reference"),
        "created_gte": To("created_gte"), "created_lt": To("created_lt"), "updated_gte": To("updated_gte"),
        "updated_lt": To("updated_lt"), "tags": Unsupported("", "Platform API v2 orders have no tags"),
    }


    def normalize(self, order: spree.Order) -> UpdatedOrder:
        """``id`` is Spree's database id and ``number`` the ``R…`` number; ``status`` is the checkout state."""
        return UpdatedOrder(
            vendor=self.vendor,
            id=order.id,
            number=order.number,
            email=order.email,
            status=None if order.state is None else str(order.state),
            updated_at=order.updated_at,
            total=order.total,
            currency=order.currency,
            detail=order,
        )


ADAPTER: Final = SpreeAdapter()
