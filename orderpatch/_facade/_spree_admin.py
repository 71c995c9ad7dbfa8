"""Spree Admin API v3 adapter: ``OrderChanges`` → ``spree_admin.OrderUpdate``; ``Order`` → ``UpdatedOrder``.

The v3 update (README §4) takes ``email``, ``currency``, ``locale``, ``customer_id`` (``cus_…``),
``internal_note`` (staff-only; ``customer_note`` is the shopper's), ``metadata`` and ``tags``
(both replace the stored value) and **complete** new addresses. Unlike v2, ``None`` clears a
scalar; it is refused for objects and arrays, which Spree would ignore. No coupon endpoint
exists in 5.5-5.6.1 and orders keep no external reference.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar, Final

from ._adapter import Rule, To, Unsupported, VendorAdapter
from ._changes import Address, UpdatedOrder

if TYPE_CHECKING:
    from .. import spree_admin

_CLASS: Final = "orderpatch.spree_admin.OrderUpdate"
_IGNORED_NULL: Final = "Spree ignores null for objects and arrays; send {} or [] to clear"
# Neutral address field → Spree v3 address field (Spree resolves country_iso; a state by name).
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


def _address(value: Address) -> spree_admin.Address:
    from ..spree_admin import Address as AdminAddress

    return AdminAddress(**{_ADDRESS[name]: getattr(value, name) for name in value.changed_fields()})


def _statuses(value: object) -> object:
    """The neutral ``status`` (the vendor's own word, one or several) as v3 ``OrderStatus`` values."""
    from ..spree_admin import OrderStatus

    if isinstance(value, str):
        return OrderStatus(value)
    assert isinstance(value, (list, tuple))
    return [OrderStatus(item) for item in value]


class SpreeAdminAdapter(VendorAdapter):
    """The facade's Spree Admin API v3 mapping."""

    vendor = "spree_admin"
    classes = ("OrderUpdate", "SpreeAdminClient", "AsyncSpreeAdminClient")
    rules: ClassVar[Mapping[str, Rule]] = {
        "email": To("email"),
        "metadata": To("metadata", no_null=_IGNORED_NULL, note="private metadata; replaces the stored object"),
        "reference": Unsupported(f"{_CLASS}.metadata", "Spree orders keep no external reference"),
        "currency": To("currency"),
        "coupon_code": Unsupported(_CLASS, "Spree 5.5-5.6.1 has no coupon endpoint in the Admin API"),
        "language": To("locale", note="a locale the store supports"),
        "customer_id": To("customer_id", note="a prefixed customer id 'cus_…'"),
        "billing_address": To("bill_address", _address, no_null=_IGNORED_NULL, note="a complete new address"),
        "shipping_address": To("ship_address", _address, no_null=_IGNORED_NULL, note="a complete new address"),
        "note": To("internal_note", note="staff-only; customer_note is the shopper's"),
        "tags": To("tags", no_null=_IGNORED_NULL, note="replaces the tag list"),
    }
    filters: ClassVar[Mapping[str, Rule]] = {
        "ids": To("ids", note="prefixed 'or_…' ids"), "number": To("number"),
        "status": To("status", _statuses, note="draft, placed or canceled"), "email": To("email"),
        "reference": Unsupported("", "Spree orders keep no reference"), "created_gte": To("created_gte"),
        "created_lt": To("created_lt"), "updated_gte": To("updated_gte"), "updated_lt": To("updated_lt"),
        "tags": To("tags"),
    }

    def normalize(self, order: spree_admin.Order) -> UpdatedOrder:
        """``id`` is the prefixed ``or_…`` id and ``number`` the ``R…`` number; ``status`` draft/placed/canceled."""
        return UpdatedOrder(
            vendor=self.vendor,
            id=order.id,
            number=order.number,
            email=order.email,
            status=None if order.status is None else str(order.status),
            updated_at=order.updated_at,
            total=order.total,
            currency=order.currency,
            detail=order,
        )


ADAPTER: Final = SpreeAdminAdapter()
