"""The vendor-neutral models of the facade: ``OrderChanges`` and ``Address`` in, ``UpdatedOrder`` out.

``OrderChanges`` holds the fields most vendors share. Like every request model, a field left
``UNSET`` is not sent and ``None`` asks to clear the field (where the vendor can). Each vendor
adapter maps what it can take to its own request class and refuses the rest with
``UnsupportedChange`` before anything is sent.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, TypeAlias, Union, cast

import attrs

from .._models import RequestModel
from .._types import UNSET, JSONInput, JSONValue, Secret, Unset
from .._validation import preview, unknown_field
from ..errors import ValidationError

if TYPE_CHECKING:
    from .. import commercelayer, licensespring, spree, spree_admin, trunkery

    #: The vendor's own typed order, as ``UpdatedOrder.detail`` holds it.
    VendorOrder: TypeAlias = Union[  # noqa: UP007
        commercelayer.Order, licensespring.Order, spree.Order, trunkery.Order, spree_admin.Order
    ]
else:
    VendorOrder = object

__all__ = ["Address", "OrderChanges", "UpdatedOrder", "VendorOrder", "minor_units_to_decimal"]

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_CURRENCY = re.compile(r"[A-Z]{3}")
_COUNTRY = re.compile(r"[A-Z]{2}")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")


def _invalid(where: str, expected: str, value: object) -> ValidationError:
    return ValidationError(f"{where}: expected {expected}, got {preview(value)}", field=where, expected=expected)


def _check_pattern(owner: str, name: str, value: object, pattern: re.Pattern[str], expected: str) -> None:
    if isinstance(value, str) and not pattern.fullmatch(value):
        raise _invalid(f"{owner}.{name}", expected, value)


def _set_fields(obj: attrs.AttrsInstance) -> tuple[str, ...]:
    return tuple(f.name for f in attrs.fields(type(obj)) if getattr(obj, f.name) is not UNSET)


@attrs.frozen(kw_only=True, repr=False)
class Address(RequestModel):
    """A postal address in vendor-neutral terms; fields left ``UNSET`` are not sent.

    Vendors that take addresses inline (Spree, Trunkery) build a new address record from it;
    Trunkery needs ``first_name``/``last_name``, ``line1``, ``city``, ``postal_code``,
    ``region`` and ``country_code``.

    Attributes:
        first_name, last_name: The recipient's names.
        company: The company name.
        line1, line2: The street lines.
        city: The city.
        postal_code: The ZIP or postal code.
        region: The state or province code, such as ``"NY"`` (Spree also takes a name).
        country_code: A two-letter ISO 3166-1 country code such as ``"US"``.
        phone: A phone number.
    """

    first_name: str | Unset = UNSET
    last_name: str | Unset = UNSET
    company: str | Unset = UNSET
    line1: str | Unset = UNSET
    line2: str | Unset = UNSET
    city: str | Unset = UNSET
    postal_code: str | Unset = UNSET
    region: str | Unset = UNSET
    country_code: str | Unset = UNSET
    phone: str | Unset = UNSET

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        _check_pattern("Address", "country_code", self.country_code, _COUNTRY, "a two-letter ISO 3166-1 code like 'US'")
        if not self.changed_fields():
            raise ValidationError("Address: no field is set; give at least one", field="Address")

    def changed_fields(self) -> tuple[str, ...]:
        """The names of the fields that are set (not ``UNSET``), in declaration order."""
        return _set_fields(self)


@attrs.frozen(kw_only=True, repr=False)
class OrderChanges(RequestModel):
    """What to change on an order, in terms most vendors share; fields left ``UNSET`` are not sent.

    ``None`` clears a field where the vendor can clear it; where it cannot (Spree drops nulls),
    the facade refuses it with a ``ValidationError`` before sending. A field the configured
    vendor cannot take at all raises ``UnsupportedChange`` naming the vendor-specific
    alternative. The per-vendor mapping is in ``docs/facade.md``.

    Attributes:
        email: The customer's email on the order.
        metadata: Key-value data stored with the order (replaces the stored object).
        reference: Your own reference for the order (an ERP or CRM id).
        currency: A three-letter ISO 4217 code such as ``"EUR"``.
        coupon_code: A coupon or discount code to apply.
        language: A language code such as ``"en"`` or ``"pt-BR"``.
        customer_id: The vendor's id of the customer the order belongs to.
        billing_address, shipping_address: A new address for the order.
        note: A note for staff about the order.
        tags: The order's tags (replaces them).
    """

    email: str | Unset | None = UNSET
    metadata: Mapping[str, JSONInput] | Unset | None = UNSET
    reference: str | Unset | None = UNSET
    currency: str | Unset = UNSET
    coupon_code: str | Unset | None = UNSET
    language: str | Unset | None = UNSET
    customer_id: str | int | Unset | None = UNSET
    billing_address: Address | Unset = UNSET
    shipping_address: Address | Unset = UNSET
    note: str | Unset | None = UNSET
    tags: Sequence[str] | Unset = UNSET

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        _check_pattern("OrderChanges", "email", self.email, _EMAIL, "an email address like name@example.com")
        _check_pattern("OrderChanges", "currency", self.currency, _CURRENCY, "a three-letter ISO 4217 code like 'EUR'")
        _check_pattern("OrderChanges", "language", self.language, _LANGUAGE, "a language code like 'en' or 'pt-BR'")
        for name in ("reference", "coupon_code", "note"):
            value = getattr(self, name)
            if isinstance(value, str) and not value.strip():
                raise _invalid(f"OrderChanges.{name}", "a non-empty string (None clears the field)", value)
        customer = self.customer_id
        if isinstance(customer, int) and customer <= 0:
            raise _invalid("OrderChanges.customer_id", "a positive int or a non-empty string", customer)
        if isinstance(customer, str) and not customer.strip():
            raise _invalid("OrderChanges.customer_id", "a positive int or a non-empty string", customer)
        if isinstance(self.tags, Sequence):
            for tag in self.tags:
                if not tag.strip():
                    raise _invalid("OrderChanges.tags", "tags that are non-empty strings", tag)

    def changed_fields(self) -> tuple[str, ...]:
        """The names of the fields that are set (not ``UNSET``), in declaration order."""
        return _set_fields(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> OrderChanges:
        """Build from plain JSON data (``{"email": …, "billing_address": {…}}``); unknown keys are refused."""
        if not isinstance(data, Mapping):
            raise _invalid("OrderChanges", "a JSON object", data)
        values: dict[str, object] = {}
        for name, value in data.items():
            if name not in _CHANGE_FIELDS:
                raise unknown_field("OrderChanges", str(name), _CHANGE_FIELDS)
            if name in ("billing_address", "shipping_address") and isinstance(value, Mapping):
                for key in value:
                    if key not in _ADDRESS_FIELDS:
                        raise unknown_field(f"OrderChanges.{name}", str(key), _ADDRESS_FIELDS)
                value = Address(**value)
            values[name] = value
        return cls(**values)  # type: ignore[arg-type]  # checked by the model at construction


_CHANGE_FIELDS: Final = tuple(f.name for f in attrs.fields(OrderChanges))
_ADDRESS_FIELDS: Final = tuple(f.name for f in attrs.fields(Address))


# ISO 4217 currencies whose minor unit is not 1/100 (the rest have two decimals).
_MINOR_EXPONENT: Final[Mapping[str, int]] = {
    **dict.fromkeys(("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND"), 0),
    **dict.fromkeys(("VUV", "XAF", "XOF", "XPF"), 0),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    **dict.fromkeys(("CLF", "UYW"), 4),
}


def minor_units_to_decimal(amount: int, currency: str | None) -> Decimal:
    """An amount in minor units (cents) as a ``Decimal`` in major units: 5700 EUR → 57.00, 500 JPY → 500."""
    exponent = _MINOR_EXPONENT.get((currency or "").upper(), 2)
    return Decimal(amount).scaleb(-exponent)


@attrs.frozen(kw_only=True)
class UpdatedOrder:
    """The order after the update: a normalized view, plus the vendor's own typed order in ``detail``.

    Fields a vendor does not have are ``None`` (LicenseSpring orders have no status, number or
    total, for instance). ``total`` is a ``Decimal`` in the currency's major unit.

    Attributes:
        vendor: The vendor name, e.g. ``"spree"``.
        id: The vendor's id of the order, as a string.
        number: The order number people quote, where the vendor has one.
        reference: Your own reference for the order, where the vendor keeps one.
        email: The customer's email.
        status: The vendor's order status, as the vendor spells it.
        updated_at: When the order was last changed (timezone-aware).
        total: The order total in major units.
        currency: The three-letter currency code of ``total``.
        detail: The vendor's typed order (``orderpatch.spree.Order``, …), with every field.
    """

    vendor: str
    id: str
    number: str | None = None
    reference: str | None = None
    email: str | None = None
    status: str | None = None
    updated_at: dt.datetime | None = None
    total: Decimal | None = None
    currency: str | None = None
    detail: VendorOrder = attrs.field(repr=False)

    def to_dict(self) -> dict[str, JSONValue]:
        """The order as JSON-ready data: the normalized fields, and ``detail`` as the vendor's JSON.

        ``detail`` is the vendor order's own ``to_dict()`` (secrets as ``"***"``).
        """
        return {
            "vendor": self.vendor,
            "id": self.id,
            "number": self.number,
            "reference": self.reference,
            "email": self.email,
            "status": self.status,
            "updated_at": self.updated_at.isoformat() if self.updated_at is not None else None,
            "total": str(self.total) if self.total is not None else None,
            "currency": self.currency,
            "detail": self.detail.to_dict(),
        }


def redact_secrets(value: object) -> object:
    """``value`` with every ``Secret`` inside it (e.g. Trunkery's payment ``client_secret``) replaced by
    ``Secret("***")``, so that printing the order never shows one; unchanged parts are shared."""
    if isinstance(value, Secret):
        return Secret("***")
    cls = type(value)
    if attrs.has(cls):
        changes = {}
        for field in attrs.fields(cls):
            if field.init:
                item = getattr(value, field.name)
                redacted = redact_secrets(item)
                if redacted is not item:
                    changes[field.alias] = redacted
        return attrs.evolve(cast(Any, value), **changes) if changes else value
    if isinstance(value, (list, tuple)):
        items = [redact_secrets(item) for item in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return type(value)(items) if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        redacted_map = {key: redact_secrets(item) for key, item in value.items()}
        return value if all(redacted_map[k] is v for k, v in value.items()) else redacted_map
    return value
