"""The Commerce Layer order PATCH body: ``OrderUpdate`` and the typed relationship references.

Facts (schema 7.9.16, ``gen/resources.json`` of the official SDK): 59 updatable attributes, 34
of them triggers or value triggers whose wire names start with ``_``, and 8 relationships. In
``OrderUpdate`` a trigger is the wire name without the leading underscore (``place`` is
``_place``, ``add_tags`` is ``_add_tags``); the converter puts the underscore back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import ClassVar, Final

import attrs

from .._models import RequestModel, wire
from .._types import UNSET, JSONInput, OpenEnum, Secret, Unset
from .._validation import check_id, preview
from ..errors import ValidationError

__all__ = [
    "AddressRef", "CustomerRef", "MarketRef", "OrderUpdate", "PaymentMethodRef", "PaymentSourceRef",
    "PaymentSourceType", "StoreRef", "TagRef",
]

#: ``attrs`` metadata: the field is a trigger (its wire name starts with ``_``).
TRIGGER: Final = "orderpatch.commercelayer.trigger"
#: ``attrs`` metadata: the schema flags the trigger ``idempotent`` (repeating it is harmless).
IDEMPOTENT: Final = "orderpatch.commercelayer.idempotent"
#: ``attrs`` metadata: the field goes to ``data.relationships``, not ``data.attributes``.
RELATIONSHIP: Final = "orderpatch.commercelayer.relationship"


class PaymentSourceType(OpenEnum):
    """The resource types a polymorphic ``payment_source`` relationship may point to (schema 7.9.16).

    A gateway added later can be named with ``PaymentSourceType("new_gateway_payments")``.
    """

    ADYEN_PAYMENTS = "adyen_payments"
    AXERVE_PAYMENTS = "axerve_payments"
    BRAINTREE_PAYMENTS = "braintree_payments"
    CHECKOUT_COM_PAYMENTS = "checkout_com_payments"
    EXTERNAL_PAYMENTS = "external_payments"
    KLARNA_PAYMENTS = "klarna_payments"
    PAYPAL_PAYMENTS = "paypal_payments"
    SATISPAY_PAYMENTS = "satispay_payments"
    STRIPE_PAYMENTS = "stripe_payments"
    WIRE_TRANSFERS = "wire_transfers"


@attrs.frozen(kw_only=True, repr=False)
class _Ref(RequestModel):
    """A JSON:API resource identifier ``{"type", "id"}`` naming an existing resource to link to."""

    #: The JSON:API ``type`` of the resources this reference names (plural, snake_case).
    TYPE: ClassVar[str] = ""
    id: str

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        check_id(self.id, field=f"{type(self).__name__}.id")

    @property
    def type(self) -> str:
        """The JSON:API ``type`` sent with this reference."""
        return self.TYPE


@attrs.frozen(kw_only=True, repr=False)
class MarketRef(_Ref):
    """A market (``markets``): sets the order's market, its price list and inventory model."""

    TYPE: ClassVar[str] = "markets"


@attrs.frozen(kw_only=True, repr=False)
class CustomerRef(_Ref):
    """A customer (``customers``)."""

    TYPE: ClassVar[str] = "customers"


@attrs.frozen(kw_only=True, repr=False)
class AddressRef(_Ref):
    """An address (``addresses``), used for both ``shipping_address`` and ``billing_address``."""

    TYPE: ClassVar[str] = "addresses"


@attrs.frozen(kw_only=True, repr=False)
class StoreRef(_Ref):
    """A store (``stores``)."""

    TYPE: ClassVar[str] = "stores"


@attrs.frozen(kw_only=True, repr=False)
class PaymentMethodRef(_Ref):
    """A payment method (``payment_methods``)."""

    TYPE: ClassVar[str] = "payment_methods"


@attrs.frozen(kw_only=True, repr=False)
class TagRef(_Ref):
    """A tag (``tags``)."""

    TYPE: ClassVar[str] = "tags"


@attrs.frozen(kw_only=True, repr=False)
class PaymentSourceRef(RequestModel):
    """A payment source: polymorphic, so its resource type must be given.

    >>> PaymentSourceRef(type=PaymentSourceType.STRIPE_PAYMENTS, id="xYZkjABcde")   # doctest: +SKIP
    """

    type: PaymentSourceType
    id: str

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        check_id(self.id, field="PaymentSourceRef.id")


def _secret(value: str | Secret | Unset) -> Secret | Unset:
    if value is UNSET or isinstance(value, Secret):
        return value
    if isinstance(value, str):
        return Secret(value)
    raise ValidationError(
        f"OrderUpdate.customer_password: expected str | Secret, got {preview(value)}",
        field="OrderUpdate.customer_password", expected="str | Secret",
    )


#: Field metadata of a trigger the schema does not flag idempotent.
_TRIG: Final = {TRIGGER: True, IDEMPOTENT: False}
#: Field metadata of a trigger the schema flags idempotent.
_TRIG_IDEM: Final = {TRIGGER: True, IDEMPOTENT: True}
#: Field metadata of a relationship.
_REL: Final = {RELATIONSHIP: True}


def _wire_triggers(cls: type, fields: list[attrs.Attribute[object]]) -> list[attrs.Attribute[object]]:
    """Give every trigger field its wire name: ``_`` + its Python name."""
    return [f.evolve(metadata={**f.metadata, **wire("_" + f.name)}) if f.metadata.get(TRIGGER) else f for f in fields]


@attrs.frozen(kw_only=True, repr=False, field_transformer=_wire_triggers)
class OrderUpdate(RequestModel):
    """What to change on a Commerce Layer order; fields left ``UNSET`` are not sent.

    ``None`` is sent as JSON ``null`` and clears the value: strings, the expiry and the JSON
    objects can be cleared; booleans, triggers, ``customer_password`` and the value triggers
    cannot (schema 7.10.1 does not mark them nullable), so ``None`` is refused for them. A to-one
    relationship set to ``None`` is sent as ``{"data": null}`` (unlinked); ``tags=[]`` removes
    every tag.

    Triggers are actions, named by their wire name without the leading underscore
    (``place=True`` sends ``"_place": true``). "SC✗" marks what sales-channel tokens cannot send:
    use integration credentials for those. Only ``place``, ``authorize`` and
    ``authorization_amount_cents`` are flagged idempotent by the schema; a request with any other
    trigger is never retried once it may have reached Commerce Layer.
    """

    # -- plain attributes ------------------------------------------------------------------
    #: The order number; unique within the organization (enterprise plans only). SC✗.
    number: str | Unset | None = UNSET
    #: An affiliate code, to track commissions with a third-party service.
    affiliate_code: str | Unset | None = UNSET
    #: ``False`` stops the automatic refresh on each change (much faster); default ``True``.
    autorefresh: bool | Unset = UNSET
    #: ``True`` places the order asynchronously (``placing``); payment errors are collected later.
    place_async: bool | Unset = UNSET
    #: Whether the order is placed as guest.
    guest: bool | Unset = UNSET
    #: The customer's email: finds or creates the associated customer.
    customer_email: str | Unset | None = UNSET
    #: The customer's password: signs the customer up. Held as a ``Secret``; never shown in ``repr``.
    customer_password: Secret | Unset = attrs.field(default=UNSET, converter=_secret)
    #: ISO 639-1 language for customer communication and the hosted checkout (default ``en``).
    language_code: str | Unset | None = UNSET
    #: Whether taxes apply to shipping costs.
    freight_taxable: bool | Unset = UNSET
    #: Whether taxes apply to payment method costs.
    payment_method_taxable: bool | Unset = UNSET
    #: Whether taxes apply to positive adjustments.
    adjustment_taxable: bool | Unset = UNSET
    #: Whether taxes apply to purchased gift cards.
    gift_card_taxable: bool | Unset = UNSET
    #: The country the shipping address is locked to (e.g. from a country selector).
    shipping_country_code_lock: str | Unset | None = UNSET
    #: A coupon code; if valid, a promotion adds a discount line item.
    coupon_code: str | Unset | None = UNSET
    #: A gift card code (at least its first 8 characters); its balance pays for the order.
    gift_card_code: str | Unset | None = UNSET
    #: Deprecated in 7.9.16 and gone from 7.10.1: use ``coupon_code`` or ``gift_card_code``.
    gift_card_or_coupon_code: str | Unset | None = UNSET
    #: Your cart page, used by the hosted checkout.
    cart_url: str | Unset | None = UNSET
    #: Your return page, used by the hosted checkout.
    return_url: str | Unset | None = UNSET
    #: Your terms and conditions page, used by the hosted checkout.
    terms_url: str | Unset | None = UNSET
    #: Your privacy policy page, used by the hosted checkout.
    privacy_url: str | Unset | None = UNSET
    #: When the order expires (timezone-aware). SC✗.
    expires_at: dt.datetime | Unset | None = UNSET
    #: Messages and redirect shown about the expiry (``summary_message``, ``expired_message``, ``redirect_url``). SC✗.
    expiration_info: Mapping[str, JSONInput] | Unset | None = UNSET
    #: Any external identifier (ERP, CRM, …).
    reference: str | Unset | None = UNSET
    #: The system the ``reference`` comes from.
    reference_origin: str | Unset | None = UNSET
    #: Key-value pairs stored with the order.
    metadata: Mapping[str, JSONInput] | Unset | None = UNSET

    # -- triggers (wire name = "_" + Python name) --------------------------------------------
    #: draft or placing → pending. SC✗.
    pending: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: pending → placed (placing with ``place_async``); authorizes the payment. Idempotent.
    place: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG_IDEM)
    #: placed → cancelled; the authorization is voided.
    cancel: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: placed → approved. SC✗.
    approve: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: placed → approved, and captures the payment. SC✗.
    approve_and_capture: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: Authorizes the order's payment source. Idempotent.
    authorize: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG_IDEM)
    #: Overrides the amount to authorize, in cents. Idempotent.
    authorization_amount_cents: int | Unset = attrs.field(default=UNSET, metadata=_TRIG_IDEM)
    #: Captures an authorized order: payment_status → paid. SC✗.
    capture: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: Refunds a captured order. SC✗.
    refund: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: Marks the order fulfilled (shipments cancelled, shipped or delivered, or the order approved). SC✗.
    fulfill: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: Archives the order (sets ``archived_at``); placed orders cannot be deleted, only archived.
    archive: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: Unarchives the order (clears ``archived_at``).
    unarchive: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: Recomputes the order manually.
    refresh: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: Reprices the line items. SC✗.
    refresh_prices: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: Forces tax calculation (the market needs a tax calculator).
    update_taxes: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: Runs the external validation of the order.
    validate: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: Drops the order's payment source.
    nullify_payment_source: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: Re-attaches the payment source of the last successful authorization. SC✗.
    fix_payment_source: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: The id of an address to clone as the billing address.
    billing_address_clone_id: str | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: The id of an address to clone as the shipping address.
    shipping_address_clone_id: str | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: The id of a saved customer payment source to use as the payment source.
    customer_payment_source_id: str | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: Copies the billing address to the shipping address.
    shipping_address_same_as_billing: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: Copies the shipping address to the billing address.
    billing_address_same_as_shipping: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: Commits the sales tax invoice to the tax calculator (Avalara).
    commit_invoice: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: Refunds the sales tax invoice at the tax calculator (Avalara).
    refund_invoice: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: Saves the payment source to the customer's wallet.
    save_payment_source_to_customer_wallet: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: Saves the shipping address to the customer's address book.
    save_shipping_address_to_customer_address_book: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: Saves the billing address to the customer's address book.
    save_billing_address_to_customer_address_book: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: On or after placement: creates order subscriptions from line items that have a frequency.
    create_subscriptions: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: placed → editing; an edit may not exceed the original total. SC✗.
    start_editing: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: editing → placed. SC✗.
    stop_editing: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: Resets the circuit breaker (closed, zero failures). SC✗.
    reset_circuit: bool | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: Tags to add, comma-separated; duplicate, invalid and unknown ones are discarded. SC✗.
    add_tags: str | Unset = attrs.field(default=UNSET, metadata=_TRIG)
    #: Tags to remove, comma-separated. SC✗.
    remove_tags: str | Unset = attrs.field(default=UNSET, metadata=_TRIG)

    # -- relationships ---------------------------------------------------------------------
    #: The market; required unless the token's scope sets it.
    market: MarketRef | Unset | None = attrs.field(default=UNSET, metadata=_REL)
    #: The customer.
    customer: CustomerRef | Unset | None = attrs.field(default=UNSET, metadata=_REL)
    #: The shipping address.
    shipping_address: AddressRef | Unset | None = attrs.field(default=UNSET, metadata=_REL)
    #: The billing address.
    billing_address: AddressRef | Unset | None = attrs.field(default=UNSET, metadata=_REL)
    #: The store (usually set by the token's scope).
    store: StoreRef | Unset | None = attrs.field(default=UNSET, metadata=_REL)
    #: The payment method.
    payment_method: PaymentMethodRef | Unset | None = attrs.field(default=UNSET, metadata=_REL)
    #: The payment source (polymorphic: give its type).
    payment_source: PaymentSourceRef | Unset | None = attrs.field(default=UNSET, metadata=_REL)
    #: All the order's tags (replaces them; ``[]`` removes all). SC✗.
    tags: Sequence[TagRef] | Unset = attrs.field(default=UNSET, metadata=_REL)

    def __repr__(self) -> str:
        """Only the fields that will be sent: ``OrderUpdate(place=True)``."""
        values = ((f.name, getattr(self, f.name)) for f in attrs.fields(OrderUpdate))
        return f"OrderUpdate({', '.join(f'{name}={value!r}' for name, value in values if value is not UNSET)})"


#: Python names of the relationship fields of ``OrderUpdate``.
RELATIONSHIPS: Final = frozenset(f.name for f in attrs.fields(OrderUpdate) if f.metadata.get(RELATIONSHIP))
#: Python names of the triggers the schema does not flag idempotent.
NON_IDEMPOTENT_TRIGGERS: Final = frozenset(
    f.name for f in attrs.fields(OrderUpdate) if f.metadata.get(TRIGGER) and not f.metadata.get(IDEMPOTENT)
)
