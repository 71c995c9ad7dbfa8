"""Spree Platform API v2 request models: ``OrderUpdate`` (the PATCH body), ``Address``, ``LineItem``; enums.

Facts (``shared/vendors/spree/README.md`` §3): ``PATCH /api/v2/platform/orders/{id}`` takes a
Rails-style body ``{"order": {...}}``. Spree permits every ``spree_orders`` column except ``id``
plus nested ``*_attributes``, and **drops keys whose value is null** before saving, so ``null``
can never clear a field. These models therefore refuse ``None`` with a ``ValidationError`` that
says so, instead of sending a silent no-op; leave a field ``UNSET`` to keep it, or send ``""`` to
blank a text column.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import ClassVar, TypeAlias, cast

import attrs

from .._models import RequestModel
from .._types import UNSET, JSONInput, OpenEnum, Unset
from .._validation import check_id, check_model, preview
from ..errors import ValidationError

__all__ = [
    "ID_FIELD", "ID_KEY", "NESTED_METADATA_REASON", "REFUSED_KEY", "Address", "LineItem", "Money", "OrderState",
    "OrderUpdate", "PaymentResourceState", "PaymentState", "ShipmentState", "SpreeId", "check_money",
]

#: A Spree record id: the numeric database id, given as an ``int`` or a string of it. Sent as a string.
SpreeId: TypeAlias = int | str
#: A money amount; sent as a JSON number (Spree's money columns are ``decimal(10,2)``).
Money: TypeAlias = Decimal | int
#: ``attrs`` metadata marking a record-id field: checked with ``check_id`` and sent as a JSON string.
ID_KEY = "orderpatch.spree.id"
ID_FIELD: Mapping[str, bool] = {ID_KEY: True}
#: ``attrs`` metadata of a field Spree would silently drop: any value is refused, with this reason.
REFUSED_KEY = "orderpatch.spree.refused"
#: Why nested metadata is refused (Spree 4.4 to 5.3 and ``spree_legacy_api_v2``, README §3).
NESTED_METADATA_REASON = (
    "Spree permits nested attributes by bare column name, so Rails drops every object value there and "
    "the metadata would silently never be saved; set metadata on the order (OrderUpdate.public_metadata / "
    "private_metadata), or on the address or line item through its own Platform API resource"
)
_REFUSED: Mapping[str, str] = {REFUSED_KEY: NESTED_METADATA_REASON}


class OrderState(OpenEnum):
    """An order's checkout state (``Spree::Order`` state machine); unknown future values are kept."""

    CART = "cart"
    ADDRESS = "address"
    DELIVERY = "delivery"
    PAYMENT = "payment"
    CONFIRM = "confirm"
    COMPLETE = "complete"
    CANCELED = "canceled"
    AWAITING_RETURN = "awaiting_return"
    RETURNED = "returned"
    RESUMED = "resumed"


class ShipmentState(OpenEnum):
    """An order's ``shipment_state``, and a shipment's own ``state`` (a subset of these values)."""

    BACKORDER = "backorder"
    CANCELED = "canceled"
    PARTIAL = "partial"
    PENDING = "pending"
    READY = "ready"
    SHIPPED = "shipped"


class PaymentState(OpenEnum):
    """An order's ``payment_state`` (the state of its payments taken together)."""

    BALANCE_DUE = "balance_due"
    CREDIT_OWED = "credit_owed"
    FAILED = "failed"
    PAID = "paid"
    VOID = "void"


class PaymentResourceState(OpenEnum):
    """One payment's own ``state`` (``Spree::Payment`` state machine)."""

    CHECKOUT = "checkout"
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    VOID = "void"
    INVALID = "invalid"


def check_money(value: object, *, field: str) -> None:
    """Refuse a ``Decimal`` that a JSON number (a double) cannot carry exactly, e.g. 20 significant digits."""
    if isinstance(value, Decimal):
        as_float = float(value)
        if not math.isfinite(as_float) or Decimal(repr(as_float)) != value:
            expected = "a Decimal that a JSON number carries exactly (at most 15 significant digits)"
            raise ValidationError(f"{field}: expected {expected}, got {preview(value)}", field=field, expected=expected)


class _SpreeRequest(RequestModel):
    """Checks shared by Spree's request models: ``None`` refused with the reason, then types, ids, money."""

    __slots__ = ()
    #: Why ``None`` is refused on this model, appended to the error message.
    _null_reason: ClassVar[str] = (
        "Spree drops keys whose value is null, so None cannot clear a field on Spree; "
        "leave the field UNSET to keep its value, or send \"\" to blank a text field"
    )

    def __attrs_post_init__(self) -> None:
        cls = type(self)
        # Only the fields that are set are looked at (an UNSET field passes every check below),
        # in the same order as before: refused and None first, then types, then ids and money.
        set_fields = _set_fields(cls)(self)
        for name, value, reason, _ in set_fields:
            if reason is not None:
                where = f"{cls.__name__}.{name}"
                raise ValidationError(f"{where}: not accepted: {reason}", field=where, expected="UNSET")
            if value is None:
                where = f"{cls.__name__}.{name}"
                raise ValidationError(f"{where}: None is not accepted: {self._null_reason}",
                                      field=where, expected="a value, or UNSET to leave the field unchanged")
        check_model(self)
        for name, value, _, is_id in set_fields:
            if is_id:
                check_id(value, field=f"{cls.__name__}.{name}")
            check_money(value, field=f"{cls.__name__}.{name}")


_SPREE_FIELDS: dict[type, tuple[tuple[str, str | None, bool], ...]] = {}
_SET_FIELDS: dict[type, Callable[[object], list[tuple[str, object, str | None, bool]]]] = {}


def _set_fields(cls: type) -> Callable[[object], list[tuple[str, object, str | None, bool]]]:
    """``(name, value, refused reason, is id)`` of each field that is not ``UNSET``, in order: one generated
    function per class, reading each field as an attribute (a loop of ``getattr`` cost twice as much)."""
    found = _SET_FIELDS.get(cls)
    if found is None:
        namespace: dict[str, object] = {"__UNSET": UNSET}
        lines = ["def set_fields(self):", "    out = []"]
        for index, (name, reason, is_id) in enumerate(_spree_fields(cls)):
            namespace[f"r{index}"] = reason
            lines += [f"    v = self.{name}", "    if v is not __UNSET:",
                      f"        out.append(({name!r}, v, r{index}, {is_id!r}))"]
        lines.append("    return out")
        exec(compile("\n".join(lines), f"<orderpatch set fields {cls.__qualname__}>", "exec"), namespace)
        found = _SET_FIELDS[cls] = cast("Callable[[object], list[tuple[str, object, str | None, bool]]]",
                                        namespace["set_fields"])
    return found


def _spree_fields(cls: type) -> tuple[tuple[str, str | None, bool], ...]:
    """Each field of a Spree request model: its name, why it is refused (if it is), whether it is an id."""
    found = _SPREE_FIELDS.get(cls)
    if found is None:
        fields = attrs.fields(cast("type[attrs.AttrsInstance]", cls))
        found = _SPREE_FIELDS[cls] = tuple(
            (f.name, f.metadata.get(REFUSED_KEY), bool(f.metadata.get(ID_KEY))) for f in fields
        )
    return found


@attrs.frozen(kw_only=True, repr=False)
class Address(_SpreeRequest):
    """A new address for ``bill_address_attributes`` / ``ship_address_attributes``; ``UNSET`` fields are not sent.

    Sent **flat**, as the Rails controller permits it: ``{"firstname": "Jo", "city": "NY", …}``. The
    published spec wraps it in ``{"address": {...}}``, which the server does not accept (README §3).
    Spree never edits an address in place through an order (``id`` is not permitted here): every
    address sent builds a **new** address record that the order then points to. ``country_iso``
    (e.g. ``"US"``) is turned into ``country_id`` by Spree when ``country_id`` is not given, and
    sending it moves a checkout back to the ``address`` step unless ``do_not_change_state`` is set
    (read by Spree 5.0.1 and later only).

    Attributes:
        firstname, lastname, company, label: Names and a label such as ``"My home address"``.
        address1, address2, city, zipcode, phone, alternative_phone: The postal address and phones.
        state_name: A free-text state, for countries without a state list.
        state_id, country_id: Ids of the ``Spree::State`` / ``Spree::Country`` records.
        country_iso: A two-letter ISO country code that Spree resolves to ``country_id``.
        user_id: The user the address belongs to.
        quick_checkout: Spree 5.x: marks an address created by a quick checkout (Apple/Google Pay).
        public_metadata, private_metadata: Always refused (``ValidationError``): Spree's nested permit
            list names bare columns, so Rails drops object values here and the metadata would never
            be saved. Kept only so that passing them explains why.
    """

    _null_reason: ClassVar[str] = (
        "a nested address is always created new, so there is nothing to clear; leave the field UNSET"
    )

    firstname: str | Unset = UNSET
    lastname: str | Unset = UNSET
    company: str | Unset = UNSET
    label: str | Unset = UNSET
    address1: str | Unset = UNSET
    address2: str | Unset = UNSET
    city: str | Unset = UNSET
    zipcode: str | Unset = UNSET
    phone: str | Unset = UNSET
    alternative_phone: str | Unset = UNSET
    state_name: str | Unset = UNSET
    state_id: SpreeId | Unset = attrs.field(default=UNSET, metadata=ID_FIELD)
    country_id: SpreeId | Unset = attrs.field(default=UNSET, metadata=ID_FIELD)
    country_iso: str | Unset = UNSET
    user_id: SpreeId | Unset = attrs.field(default=UNSET, metadata=ID_FIELD)
    quick_checkout: bool | Unset = UNSET
    public_metadata: Unset = attrs.field(default=UNSET, metadata=_REFUSED)
    private_metadata: Unset = attrs.field(default=UNSET, metadata=_REFUSED)


@attrs.frozen(kw_only=True, repr=False)
class LineItem(_SpreeRequest):
    """A line item to **add** through ``line_items_attributes``: ``{"variant_id": "123", "quantity": 2}``.

    Sent **flat**, as the Rails controller permits it; the published spec's ``{"line_item": {...}}``
    wrapper is not what the server accepts (README §3). Neither ``id`` nor ``_destroy`` is
    permitted, so an order update can only add line items; change or remove existing ones through
    the ``/api/v2/platform/line_items`` resource. The nested permit list is every
    ``spree_line_items`` column except ``id``; of those, the ones a caller sets are typed here
    (the totals are recomputed by Spree).

    Attributes:
        variant_id: The id of the ``Spree::Variant`` to add.
        quantity: How many (at least 1).
        price: The unit price; Spree copies the variant's price only when this is not given.
        currency: The price's three-letter currency; it must match the order's currency.
        cost_price: The unit cost, kept for margin reports.
        public_metadata, private_metadata: Always refused (``ValidationError``): Rails drops object
            values in nested attributes, so the metadata would never be saved.
    """

    _null_reason: ClassVar[str] = "a nested line item is always created new; leave the field UNSET"

    variant_id: SpreeId = attrs.field(metadata=ID_FIELD)
    quantity: int
    price: Money | Unset = UNSET
    currency: str | Unset = UNSET
    cost_price: Money | Unset = UNSET
    public_metadata: Unset = attrs.field(default=UNSET, metadata=_REFUSED)
    private_metadata: Unset = attrs.field(default=UNSET, metadata=_REFUSED)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.quantity < 1:
            raise ValidationError(f"LineItem.quantity: expected an int of at least 1, got {self.quantity}",
                                  field="LineItem.quantity", expected="int >= 1")


@attrs.frozen(kw_only=True, repr=False)
class OrderUpdate(_SpreeRequest):
    """The fields of a Spree order to change, sent as ``{"order": {...}}``; ``UNSET`` fields are not sent.

    ``None`` is refused (``ValidationError``): Spree drops null values, so it could not clear
    anything. Send ``""`` to blank a text field such as ``special_instructions``.

    Nested attributes are sent **flat** (``"ship_address_attributes": {"city": "NY"}``,
    ``"line_items_attributes": [{"variant_id": "1", "quantity": 2}]``): that is what Spree's Rails
    controller permits. Spree's published OpenAPI spec wraps them in ``{"address": …}`` /
    ``{"line_item": …}``, which the server does not accept.

    **Bookkeeping fields are writable but dangerous.** Spree writes ``state``, ``shipment_state``,
    ``payment_state``, the totals, ``item_count`` and the ``*_at`` timestamps straight to the
    database column: no state-machine transition, no callbacks (``finalize!``, payment
    processing, ``state_changes`` rows) and no recalculation. Prefer the order actions
    (``client.orders.next``/``advance``/``complete``/``empty``/``approve``/``cancel``,
    ``apply_coupon_code``, ``use_store_credit``), which run Spree's checkout logic.

    Attributes:
        email: The customer's email.
        special_instructions: Free-text delivery instructions (``""`` clears them).
        currency: A three-letter currency code.
        channel: The sales channel, e.g. ``"online"``.
        last_ip_address: The customer's last IP address.
        internal_note: Staff-only note (Spree 4.5+).
        accept_marketing, signup_for_an_account: Customer opt-ins (Spree 5.0+).
        user_id, created_by_id, approver_id, canceler_id: User ids (sent as strings).
        bill_address_id, ship_address_id: Point the order at existing ``Spree::Address`` records.
        bill_address_attributes, ship_address_attributes: Create a new address for the order.
        line_items_attributes: Line items to add (never edits or removes existing ones).
        public_metadata, private_metadata: JSON objects stored with the order (replaced as a whole).
        state: The checkout state column. Writing it skips the checkout logic; see above.
        shipment_state, payment_state: Derived columns; written as-is, see above.
        item_total: A money column, sent as a JSON number, like ``total`` and every other ``*_total``.
            Spree recomputes them on its own updates; writing them directly desynchronises the
            order; see above.
        item_count: The cached number of items.
        completed_at, approved_at, canceled_at: Timezone-aware timestamps of those events.
        confirmation_delivered, considered_risky, store_owner_notification_delivered: Flags.
        extra_attributes: Other permitted order keys, sent inside ``order`` as given, e.g.
            ``payments_attributes``, ``shipments_attributes`` or ``metafields_attributes`` (5.2+).
    """

    email: str | Unset = UNSET
    special_instructions: str | Unset = UNSET
    currency: str | Unset = UNSET
    channel: str | Unset = UNSET
    last_ip_address: str | Unset = UNSET
    internal_note: str | Unset = UNSET
    accept_marketing: bool | Unset = UNSET
    signup_for_an_account: bool | Unset = UNSET
    user_id: SpreeId | Unset = attrs.field(default=UNSET, metadata=ID_FIELD)
    created_by_id: SpreeId | Unset = attrs.field(default=UNSET, metadata=ID_FIELD)
    approver_id: SpreeId | Unset = attrs.field(default=UNSET, metadata=ID_FIELD)
    canceler_id: SpreeId | Unset = attrs.field(default=UNSET, metadata=ID_FIELD)
    bill_address_id: SpreeId | Unset = attrs.field(default=UNSET, metadata=ID_FIELD)
    ship_address_id: SpreeId | Unset = attrs.field(default=UNSET, metadata=ID_FIELD)
    bill_address_attributes: Address | Unset = UNSET
    ship_address_attributes: Address | Unset = UNSET
    line_items_attributes: Sequence[LineItem] | Unset = UNSET
    public_metadata: Mapping[str, JSONInput] | Unset = UNSET
    private_metadata: Mapping[str, JSONInput] | Unset = UNSET
    state: OrderState | Unset = UNSET
    shipment_state: ShipmentState | Unset = UNSET
    payment_state: PaymentState | Unset = UNSET
    item_total: Money | Unset = UNSET
    total: Money | Unset = UNSET
    adjustment_total: Money | Unset = UNSET
    payment_total: Money | Unset = UNSET
    shipment_total: Money | Unset = UNSET
    additional_tax_total: Money | Unset = UNSET
    promo_total: Money | Unset = UNSET
    included_tax_total: Money | Unset = UNSET
    taxable_adjustment_total: Money | Unset = UNSET
    non_taxable_adjustment_total: Money | Unset = UNSET
    item_count: int | Unset = UNSET
    completed_at: dt.datetime | Unset = UNSET
    approved_at: dt.datetime | Unset = UNSET
    canceled_at: dt.datetime | Unset = UNSET
    confirmation_delivered: bool | Unset = UNSET
    considered_risky: bool | Unset = UNSET
    store_owner_notification_delivered: bool | Unset = UNSET
    extra_attributes: Mapping[str, JSONInput] | Unset = UNSET

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if isinstance(self.extra_attributes, Mapping):
            typed = {f.name for f in attrs.fields(OrderUpdate)}
            for key, value in self.extra_attributes.items():
                where = f"OrderUpdate.extra_attributes[{key!r}]"
                if key in typed:
                    raise ValidationError(f"{where}: {key!r} is a typed field of OrderUpdate; set it there",
                                          field=where, expected="a key that is not an OrderUpdate field")
                if value is None:
                    raise ValidationError(f"{where}: None is not accepted: {self._null_reason}",
                                          field=where, expected="a value")

    @property
    def adds_records(self) -> bool:
        """Whether sending this twice would add records twice (line items, or nested lists in ``extra_attributes``)."""
        extra = self.extra_attributes if isinstance(self.extra_attributes, Mapping) else {}
        return self.line_items_attributes is not UNSET or any(key.endswith("_attributes") for key in extra)
