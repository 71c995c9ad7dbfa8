"""LicenseSpring adapter: ``OrderChanges`` → ``licensespring.OrderUpdate``; ``Order`` → ``UpdatedOrder``.

LicenseSpring's update takes ten fields (README §4): ``store_id`` is your own order reference,
``customer`` an integer customer id, ``metadata`` a JSON object. It has no order email (the
customer's email belongs to the customer record), currency, coupon, address, note or tags.
Its orders have no status, number or total, so those stay ``None`` in ``UpdatedOrder``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Final

from ..errors import ValidationError
from ._adapter import Rule, To, Unsupported, VendorAdapter
from ._changes import UpdatedOrder

if TYPE_CHECKING:
    pass

_CLASS: Final = "orderpatch.licensespring.OrderUpdate"


def _customer(value: str | int) -> int:
    """LicenseSpring customer ids are integers; accept ``"42"`` as well as ``42``."""
    if isinstance(value, int):
        return value
    if value.isascii() and value.isdigit():
        return int(value)
    expected = "an integer LicenseSpring customer id"
    raise ValidationError(
        f"OrderChanges.customer_id: expected {expected}, got {value!r}", field="OrderChanges.customer_id",
        expected=expected,
    )


class LicenseSpringAdapter(VendorAdapter):
    """The facade's LicenseSpring mapping."""

    vendor = "licensespring"
    classes = ("OrderUpdate", "LicenseSpringClient", "AsyncLicenseSpringClient")
    rules: ClassVar[Mapping[str, Rule]] = {
        "email": Unsupported(f"{_CLASS}.customer", "the email belongs to the customer record; move the order instead"),
        "metadata": To("metadata"),
        "reference": To("store_id", note="your own order id"),
        "currency": Unsupported(_CLASS),
        "coupon_code": Unsupported(_CLASS),
        "language": To("language"),
        "customer_id": To("customer", _customer, note="an integer id"),
        "billing_address": Unsupported(_CLASS),
        "shipping_address": Unsupported(_CLASS),
        "note": Unsupported(f"{_CLASS}.metadata"),
        "tags": Unsupported(f"{_CLASS}.metadata"),
    }
    filters: ClassVar[Mapping[str, Rule]] = {
        "email": To("customer_email", note="customer__email"),
        "reference": To("store_id", note="your own order id"),
        **{name: Unsupported("", "LicenseSpring documents no such order filter")
           for name in ("ids", "number", "status", "created_gte", "created_lt", "updated_gte", "updated_lt", "tags")},
    }


    def normalize(self, order: Any) -> UpdatedOrder:
        """LicenseSpring has no order number, status or total: ``reference`` is ``store_id``.

        A read (``OrderDetail``) nests the customer: its email is the customer object's.
        """
        from ..licensespring import Order

        if isinstance(order, Order):
            email = order.customer_email
        else:
            email = order.customer.email if order.customer is not None else None
        return UpdatedOrder(
            vendor=self.vendor,
            id=str(order.id),
            reference=order.store_id,
            email=email,
            updated_at=order.updated_at,
            detail=order,
        )


ADAPTER: Final = LicenseSpringAdapter()
