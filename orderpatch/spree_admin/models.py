"""Spree Admin API v3 request models: ``OrderUpdate`` (the PATCH body), ``Address``, ``ItemUpsert``; enums; ids.

Facts (``shared/vendors/spree-v3/README.md`` §4): ``PATCH /api/v3/admin/orders/{id}`` takes a
**flat** JSON body (no ``{"order": …}`` wrapper: with one, nothing is permitted and the server
answers 200 with no change). Spree 5.5.0-5.6.1 permits exactly these keys:

``email customer_id user_id customer_note internal_note currency locale market_id channel_id
preferred_stock_location_id metadata tags ship_address bill_address items``

Unlike Platform API v2, ``null`` is not dropped: for a **scalar** it clears the attribute, so
``None`` is accepted there. For an **object or array** (``metadata``, ``tags``, the addresses,
``items``) Rails' strong parameters skip ``null``, so it would be a silent no-op: ``None`` is
refused there with the reason. Clear those with ``{}``/``[]`` instead.

Ids are Spree's prefixed ids (``or_UkLWZg9DAJ``, ``cus_…``, ``variant_…``). The server decodes
only the part after ``_`` and never checks the prefix, so ``prod_X`` would silently address the
order with the same integer id: every prefix is checked here, before any request.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import ClassVar, Final, TypeAlias, cast

import attrs

from .._models import RequestModel
from .._types import UNSET, JSONInput, OpenEnum, Unset
from .._validation import check_model, preview
from ..errors import ValidationError

__all__ = [
    "ANY_PREFIX", "PREFIX_KEY", "Address", "FulfillmentStatus", "ItemUpsert", "OrderStatus", "OrderUpdate",
    "PaymentStatus", "PrefixedId", "check_prefixed_id",
]

#: A Spree v3 prefixed id such as ``"or_UkLWZg9DAJ"``: a type prefix, ``_``, and a Sqids string.
PrefixedId: TypeAlias = str
#: ``attrs`` metadata naming the id prefix a field requires (``"cus"``, ``"variant"``, …).
PREFIX_KEY: Final = "orderpatch.spree_admin.prefix"

_SQID = r"[A-Za-z0-9]{10,64}"
#: The prefix rule of ids whose prefix the brief does not document (countries, states): any type.
ANY_PREFIX: Final = "*"
_PATTERNS: dict[str, re.Pattern[str]] = {}


def check_prefixed_id(value: object, prefix: str, *, field: str, numeric_ok: bool = False) -> str | int:
    """``value`` if it is a ``<prefix>_<sqid>`` id (or, with ``numeric_ok``, a positive int), else raise.

    An order *number* (``R801110570``) or a numeric id is not an order id: the server answers
    404 for it, so it is refused here with a pointer to ``retrieve_by_number``.
    """
    pattern = _PATTERNS.get(prefix)
    if pattern is None:
        head = "[a-z]+" if prefix == ANY_PREFIX else re.escape(prefix)
        pattern = _PATTERNS[prefix] = re.compile(rf"{head}_{_SQID}")
    if numeric_ok and isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63:
        return value
    if isinstance(value, str) and pattern.fullmatch(value):
        return value
    shown = "<type>" if prefix == ANY_PREFIX else prefix
    expected = f"a Spree prefixed id '{shown}_' + 10-64 letters or digits, e.g. '{shown}_UkLWZg9DAJ'"
    if numeric_ok:
        expected += ", or a positive int"
    hint = ""
    if isinstance(value, str) and "_" in value and prefix != ANY_PREFIX and not value.startswith(f"{prefix}_"):
        hint = f"; the prefix {value.split('_', 1)[0]!r} is another kind of record (Spree does not check prefixes)"
    elif prefix == "or" and isinstance(value, (str, int)) and not isinstance(value, bool) and "_" not in str(value):
        hint = ("; an order number or numeric id is not accepted by the Admin API (404): "
                "resolve it with orders.retrieve_by_number(...)")
    raise ValidationError(f"{field}: expected {expected}, got {preview(value)}{hint}", field=field, expected=expected)


def _prefixed(prefix: str, *, numeric_ok: bool = False) -> Mapping[str, object]:
    return {PREFIX_KEY: (prefix, numeric_ok)}


class OrderStatus(OpenEnum):
    """An order's ``status`` in the Admin API (its checkout ``state`` is not returned)."""

    DRAFT = "draft"
    PLACED = "placed"
    CANCELED = "canceled"


class PaymentStatus(OpenEnum):
    """``payment_status`` (Spree's ``payment_state``)."""

    BALANCE_DUE = "balance_due"
    CREDIT_OWED = "credit_owed"
    FAILED = "failed"
    PAID = "paid"
    VOID = "void"


class FulfillmentStatus(OpenEnum):
    """``fulfillment_status`` (Spree's ``shipment_state``)."""

    BACKORDER = "backorder"
    CANCELED = "canceled"
    PARTIAL = "partial"
    PENDING = "pending"
    READY = "ready"
    SHIPPED = "shipped"


class _AdminRequest(RequestModel):
    """Checks shared by the v3 request models: ``None`` where it would be ignored, types, id prefixes."""

    __slots__ = ()
    #: Fields where ``None`` is refused, with the reason; empty means "every field".
    _no_null: ClassVar[frozenset[str]] = frozenset()
    _null_reason: ClassVar[str] = ""

    def __attrs_post_init__(self) -> None:
        cls = type(self)
        fields = attrs.fields(cast("type[attrs.AttrsInstance]", cls))
        for field in fields:
            if getattr(self, field.name) is None and (not self._no_null or field.name in self._no_null):
                where = f"{cls.__name__}.{field.name}"
                raise ValidationError(f"{where}: None is not accepted: {self._null_reason}",
                                      field=where, expected="a value, or UNSET to leave the field unchanged")
        check_model(self)
        for field in fields:
            value = getattr(self, field.name)
            rule = field.metadata.get(PREFIX_KEY)
            if rule is not None and value is not UNSET and value is not None:
                prefix, numeric_ok = rule
                check_prefixed_id(value, prefix, field=f"{cls.__name__}.{field.name}", numeric_ok=numeric_ok)


@attrs.frozen(kw_only=True, repr=False)
class Address(_AdminRequest):
    """A **complete** address for ``OrderUpdate.ship_address``/``bill_address``; ``UNSET`` fields are not sent.

    Spree never edits an address in place through an order (``id`` is not permitted): every
    address sent is matched against an identical existing row or **created new**, and the order
    then points at it. A partial address is therefore a new, incomplete address, not a merge:
    give the whole address each time. Names, ``address1``, ``city`` and a country are required
    here; ``zipcode``, ``phone`` and the state may be required by the store and the country.
    With a customer on the order, the address also becomes the customer's default.

    ``first_name``/``last_name`` and ``postal_code`` are aliases Spree also permits for
    ``firstname``/``lastname`` and ``zipcode``; give one of each pair. ``country_iso``
    (``"US"``) and ``state_abbr`` (``"NY"``) are resolved by Spree; ``country_id``/``state_id``
    take a prefixed id or a numeric database id.
    """

    _null_reason: ClassVar[str] = (
        "an address is always created new from what is sent, so there is nothing to clear; leave the field UNSET"
    )

    firstname: str | Unset = UNSET
    lastname: str | Unset = UNSET
    first_name: str | Unset = UNSET
    last_name: str | Unset = UNSET
    company: str | Unset = UNSET
    label: str | Unset = UNSET
    address1: str | Unset = UNSET
    address2: str | Unset = UNSET
    city: str | Unset = UNSET
    zipcode: str | Unset = UNSET
    postal_code: str | Unset = UNSET
    phone: str | Unset = UNSET
    alternative_phone: str | Unset = UNSET
    state_name: str | Unset = UNSET
    state_abbr: str | Unset = UNSET
    country_iso: str | Unset = UNSET
    country_id: PrefixedId | int | Unset = attrs.field(default=UNSET, metadata=_prefixed(ANY_PREFIX, numeric_ok=True))
    state_id: PrefixedId | int | Unset = attrs.field(default=UNSET, metadata=_prefixed(ANY_PREFIX, numeric_ok=True))

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        pairs = (("firstname", "first_name"), ("lastname", "last_name"), ("zipcode", "postal_code"),
                 ("country_iso", "country_id"))
        for one, other in pairs:
            if getattr(self, one) is not UNSET and getattr(self, other) is not UNSET:
                raise ValidationError(f"Address.{other}: give {one} or {other}, not both (Spree reads them as one)",
                                      field=f"Address.{other}", expected=f"only one of {one}, {other}")
        required = (("firstname", "first_name"), ("lastname", "last_name"), ("address1",), ("city",),
                    ("country_iso", "country_id"))
        for names in required:
            if all(getattr(self, n) is UNSET for n in names):
                where = f"Address.{names[0]}"
                raise ValidationError(
                    f"{where}: required: Spree creates a new address from exactly what is sent (it never merges "
                    "into the existing one), so send the complete address",
                    field=where, expected=" or ".join(names))


@attrs.frozen(kw_only=True, repr=False)
class ItemUpsert(_AdminRequest):
    """One entry of ``OrderUpdate.items``: set the quantity of a variant's line, or add the line.

    Upsert by variant: an existing line of ``variant_id`` gets its quantity **set** (absolute)
    and ``metadata`` **merged** into its metadata; otherwise a new line is created in the order
    currency. Lines not mentioned are left alone. Spree skips an entry with a quantity of 0 or
    less instead of removing the line, so ``quantity`` must be at least 1 here; remove a line
    with ``orders.remove_item``.
    """

    _null_reason: ClassVar[str] = "Spree ignores null inside items; leave the field UNSET"

    variant_id: PrefixedId | int = attrs.field(metadata=_prefixed("variant", numeric_ok=True))
    quantity: int | Unset = UNSET
    metadata: Mapping[str, JSONInput] | Unset = UNSET

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if isinstance(self.quantity, int) and self.quantity < 1:
            raise ValidationError(
                f"ItemUpsert.quantity: expected an int of at least 1, got {self.quantity}: Spree skips entries "
                "with a quantity <= 0 (it does not remove the line); use orders.remove_item(order_id, item_id)",
                field="ItemUpsert.quantity", expected="int >= 1")


_CURRENCY = re.compile(r"[A-Z]{3}")


@attrs.frozen(kw_only=True, repr=False)
class OrderUpdate(_AdminRequest):
    """The fields of an order to change, sent flat; ``UNSET`` fields are not sent.

    ``None`` clears a **scalar** field (``customer_note=None``, ``customer_id=None`` detaches
    the customer; ``currency``/``locale``/``market_id``/``channel_id`` fall back to the store's
    defaults). ``None`` is refused for ``metadata``, ``tags``, the addresses and ``items``:
    Spree ignores ``null`` there. No state guard exists server-side: placed, shipped and
    canceled orders can be edited too.

    Attributes:
        email: The customer's email (format checked by Spree only past the delivery step).
        customer_id: The customer (``cus_…``) to assign; ``None`` detaches. ``user_id`` is the
            same attribute under its other name; give one of the two.
        customer_note: The customer's note (Spree's ``special_instructions``; the published
            spec's ``special_instructions`` key is silently dropped by the server).
        internal_note: Staff-only note; HTML is accepted and read back as plain text.
        currency: A three-letter code the store supports; line-item prices are converted.
        locale: A locale the store supports.
        market_id, channel_id, preferred_stock_location_id: ``mkt_…``, ``ch_…``, ``sloc_…``.
        metadata: The private metadata. **Replaces** the whole stored object; ``{}`` clears it.
            There is no merge: read, change and send the whole object.
        tags: **Replaces** the tag list; ``[]`` clears it.
        ship_address, bill_address: A complete new address (see ``Address``).
        items: Line items to upsert by variant (see ``ItemUpsert``); any ``items`` key, even
            ``[]``, makes Spree rebuild every shipment of the order.
    """

    _no_null: ClassVar[frozenset[str]] = frozenset({"metadata", "tags", "ship_address", "bill_address", "items"})
    _null_reason: ClassVar[str] = (
        "Spree ignores null for objects and arrays (the request would change nothing); "
        "send {} or [] to clear, or leave the field UNSET"
    )

    email: str | Unset | None = UNSET
    customer_id: PrefixedId | Unset | None = attrs.field(default=UNSET, metadata=_prefixed("cus"))
    user_id: PrefixedId | Unset | None = attrs.field(default=UNSET, metadata=_prefixed("cus"))
    customer_note: str | Unset | None = UNSET
    internal_note: str | Unset | None = UNSET
    currency: str | Unset | None = UNSET
    locale: str | Unset | None = UNSET
    market_id: PrefixedId | Unset | None = attrs.field(default=UNSET, metadata=_prefixed("mkt"))
    channel_id: PrefixedId | Unset | None = attrs.field(default=UNSET, metadata=_prefixed("ch"))
    preferred_stock_location_id: PrefixedId | Unset | None = attrs.field(default=UNSET, metadata=_prefixed("sloc"))
    metadata: Mapping[str, JSONInput] | Unset = UNSET
    tags: Sequence[str] | Unset = UNSET
    ship_address: Address | Unset = UNSET
    bill_address: Address | Unset = UNSET
    items: Sequence[ItemUpsert] | Unset = UNSET

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.customer_id is not UNSET and self.user_id is not UNSET:
            raise ValidationError("OrderUpdate.user_id: give customer_id or user_id, not both (one attribute)",
                                  field="OrderUpdate.user_id", expected="only one of customer_id, user_id")
        if isinstance(self.currency, str) and not _CURRENCY.fullmatch(self.currency):
            raise ValidationError(f"OrderUpdate.currency: expected a three-letter ISO code such as 'USD', got "
                                  f"{preview(self.currency)}", field="OrderUpdate.currency", expected="ISO 4217 code")
        if isinstance(self.tags, Sequence):
            for tag in self.tags:
                if not tag.strip():
                    raise ValidationError("OrderUpdate.tags: a tag must not be empty or blank",
                                          field="OrderUpdate.tags", expected="non-empty strings")
