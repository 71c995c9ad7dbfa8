"""Commerce Layer adapter: ``OrderChanges`` → ``commercelayer.OrderUpdate``; ``Order`` → ``UpdatedOrder``.

Commerce Layer (README §5 and §6) takes ``customer_email`` (finds or creates the customer),
``metadata``, ``reference``, ``coupon_code`` and ``language_code`` as nullable attributes, and the
customer as a relationship. Addresses are relationships to address resources created beforehand,
the currency comes from the market's price list, tags are tag resources, and there is no note:
those neutral fields are refused, naming the Commerce Layer field that does the job.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar, Final

from ._adapter import Rule, To, Unsupported, VendorAdapter
from ._changes import UpdatedOrder, minor_units_to_decimal

if TYPE_CHECKING:
    from ..commercelayer import CustomerRef, Order

_CLASS: Final = "orderpatch.commercelayer.OrderUpdate"


def _customer(value: str | int) -> CustomerRef:
    from ..commercelayer import CustomerRef

    return CustomerRef(id=str(value))


class CommerceLayerAdapter(VendorAdapter):
    """The facade's Commerce Layer mapping."""

    vendor = "commercelayer"
    classes = ("OrderUpdate", "CommerceLayerClient", "AsyncCommerceLayerClient")
    rules: ClassVar[Mapping[str, Rule]] = {
        "email": To("customer_email", note="finds or creates the customer"),
        "metadata": To("metadata"),
        "reference": To("reference"),
        "currency": Unsupported(f"{_CLASS}.market", "the currency is the market's (its price list)"),
        "coupon_code": To("coupon_code"),
        "language": To("language_code"),
        "customer_id": To("customer", _customer, note="relationship to the customer (None unlinks it)"),
        "billing_address": Unsupported(f"{_CLASS}.billing_address", "an AddressRef to an existing address"),
        "shipping_address": Unsupported(f"{_CLASS}.shipping_address", "an AddressRef to an existing address"),
        "note": Unsupported(f"{_CLASS}.metadata"),
        "tags": Unsupported(f"{_CLASS}.add_tags", "tags are resources: add_tags/remove_tags by name, tags by TagRef"),
    }
    filters: ClassVar[Mapping[str, Rule]] = {
        "ids": To("ids"), "number": To("number"), "status": To("status"), "email": To("customer_email"),
        "reference": To("reference"), "created_gte": To("created_gte"), "created_lt": To("created_lt"),
        "updated_gte": To("updated_gte"), "updated_lt": To("updated_lt"), "tags": To("tags"),
    }


    def normalize(self, order: Order) -> UpdatedOrder:
        """``total`` is what the customer pays: ``total_amount_with_taxes_cents`` (else ``total_amount_cents``)."""
        cents = order.total_amount_with_taxes_cents
        if cents is None:
            cents = order.total_amount_cents
        total: Decimal | None = None
        if cents is not None:
            total = minor_units_to_decimal(cents, order.currency_code)
        return UpdatedOrder(
            vendor=self.vendor,
            id=order.id,
            number=order.number,
            reference=order.reference,
            email=order.customer_email,
            status=None if order.status is None else str(order.status),
            updated_at=order.updated_at,
            total=total,
            currency=order.currency_code,
            detail=order,
        )


ADAPTER: Final = CommerceLayerAdapter()
