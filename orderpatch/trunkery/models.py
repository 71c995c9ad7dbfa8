"""Trunkery (Lana Commerce) request models: ``OrderModify``, the one element of the modify body.

Facts (``ordersModify`` reference page; ``OrderModify`` in ``@lana-commerce/core`` 13.0.0, see
``order-modify.schema.json``): every field is optional and nullable; a field left ``UNSET`` is
not sent, ``None`` is sent as JSON ``null`` (the vendor does not document whether ``null``
clears a field or is ignored). Ids are opaque ``<prefix>_<suffix>`` strings (``ar_`` address,
``cu_`` customer, ``gw_`` gateway, ``sc_`` sales channel, ``va_`` variant); the prefixes are
documented, not enforced, so they are not checked here. Quantities, weights (grams), sizes
(millimetres) and prices (minor units of the order currency) are integers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, cast

import attrs

from .._models import RequestModel
from .._types import UNSET, Unset
from ._enums import ProductFieldType

__all__ = [
    "AddressCreate", "CustomItem", "CustomItemIndex", "LineItem", "LineItemFieldCreate", "OrderCustomItemCreate",
    "OrderLineItemCreate", "OrderModify", "ProductFieldTypeName", "SubscriptionPlanIndex",
]

#: The values of ``ProductFieldType`` as literals, so that a plain ``"checkbox"`` type-checks too.
ProductFieldTypeName = Literal["checkbox", "choice", "file", "number", "string", "text"]
_FIELD_TYPES: dict[str, ProductFieldType] = {member.value: member for member in ProductFieldType}


@attrs.frozen(kw_only=True, repr=False)
class AddressCreate(RequestModel):
    """A billing or shipping address to set on the order.

    Attributes:
        address1: Mailing address (required).
        city: The city (required).
        country: The two-letter country code, such as ``"US"`` (required).
        name: The name (required).
        province: The two-letter code of the province or state, such as ``"KY"`` (required).
        zip: The ZIP or postal code (required).
        address2: Additional line of the mailing address.
        company: The company.
        id: The address id, to reuse a saved address.
        phone: The phone number.
        plus_code: The plus code (Open Location Code), such as ``"PQ7W+WM"``.
    """

    address1: str
    city: str
    country: str
    name: str
    province: str
    zip: str
    address2: str | Unset | None = UNSET
    company: str | Unset | None = UNSET
    id: str | Unset | None = UNSET
    phone: str | Unset | None = UNSET
    plus_code: str | Unset | None = UNSET


@attrs.frozen(kw_only=True, repr=False)
class CustomItem(RequestModel):
    """A custom (non-catalogue) item of the order (the vendor's ``OrderCustomItemCreate``).

    Attributes:
        title: The item's title (required).
        price: Price of one item, in minor units of the order currency.
        grams: Weight in grams.
        height: Height in millimetres.
        length: Length in millimetres.
        width: Width in millimetres.
        physical: Whether the item needs shipping.
        taxable: Whether the item is taxable.
        tax_class: The tax class of the item.
        inventory_location_id: Inventory location used as shipping origin for rate calculations.
    """

    title: str
    grams: int | Unset | None = UNSET
    height: int | Unset | None = UNSET
    inventory_location_id: str | Unset | None = UNSET
    length: int | Unset | None = UNSET
    physical: bool | Unset | None = UNSET
    price: int | Unset | None = UNSET
    tax_class: str | Unset | None = UNSET
    taxable: bool | Unset | None = UNSET
    width: int | Unset | None = UNSET


@attrs.frozen(kw_only=True, repr=False)
class CustomItemIndex(RequestModel):
    """``{"value": n}``: the line item stands for ``custom_items[n]`` of the same change."""

    value: int


@attrs.frozen(kw_only=True, repr=False)
class SubscriptionPlanIndex(RequestModel):
    """``{"value": n}``: start the product's subscription plan ``n``; ``-1`` for no subscription."""

    value: int


def _field_type(value: ProductFieldType | ProductFieldTypeName) -> ProductFieldType:
    """The enum member for a plain string; anything else is left for ``check_model`` to report."""
    if isinstance(value, ProductFieldType) or not isinstance(value, str):
        return value
    return cast(ProductFieldType, _FIELD_TYPES.get(value, value))


@attrs.frozen(kw_only=True, repr=False)
class LineItemFieldCreate(RequestModel):
    """A custom field value of a line item, copied from the product's field set.

    Attributes:
        field_index: Index of the field in the product field set.
        choice_index: Index of the chosen option (for ``choice`` fields).
        label: The field's label, copied from the field set.
        type: The field's type, copied from the field set (``ProductFieldType`` or its string).
        value: The value entered.
    """

    choice_index: int
    field_index: int
    label: str
    type: ProductFieldType = attrs.field(converter=_field_type)
    value: str


@attrs.frozen(kw_only=True, repr=False)
class LineItem(RequestModel):
    """A line item of the order (the vendor's ``OrderLineItemCreate``).

    Attributes:
        variant_id: The product variant (``va_…``); required. With ``custom_item_index`` set the
            variant is optional to the vendor: pass ``""``.
        quantity: How many; required.
        custom_item_index: Makes this line item stand for one of ``OrderModify.custom_items``.
        field_set_id: The product field set the ``fields`` belong to.
        fields: Custom field values of the line item.
        subscription_plan_index: The product subscription plan to start, ``-1`` for none.
    """

    variant_id: str
    quantity: int
    custom_item_index: CustomItemIndex | Unset | None = UNSET
    field_set_id: str | Unset | None = UNSET
    fields: Sequence[LineItemFieldCreate] | Unset | None = UNSET
    subscription_plan_index: SubscriptionPlanIndex | Unset | None = UNSET


#: The vendor's names of the line item and custom item request types.
OrderLineItemCreate = LineItem
OrderCustomItemCreate = CustomItem


@attrs.frozen(kw_only=True, repr=False)
class OrderModify(RequestModel):
    """The changes to one Trunkery order; fields left ``UNSET`` are not sent and stay as they are.

    ``line_items`` **replaces the whole list**: the vendor's own storefront sends the complete
    list on every modify, so pass every line item the order should keep, not only the changed
    ones (``line_items=[]`` empties the order). The same holds for ``custom_items``,
    ``shipping_rate_ids`` and ``tags`` (lists are values, not deltas). Tags, ``on_hold_until``
    and a shipping address override also have their own endpoint (``orders/override.json``).

    Attributes:
        billing_address: The billing address.
        billing_address_short_id: The billing address by id (``ar_…``).
        currency: The currency to calculate the order in, such as ``"USD"``.
        custom_items: Custom (non-catalogue) items.
        customer_email: The customer's email, used in no-auth order flows.
        customer_id: The customer the order belongs to (``cu_…``); ignored when a customer
            modifies their own order.
        discount_code: A discount code, as a customer enters it at checkout.
        gateway_id: The payment gateway (``gw_…``).
        line_items: The complete list of line items (replaces the current one).
        mobile: The customer's mobile phone number, for notifications.
        mobile_notifications: Whether to notify the customer by mobile phone.
        sales_channel_id: The sales channel (``sc_…``).
        send_fulfillment_notifications: Whether the customer gets fulfillment notifications.
        send_order_notifications: Whether the customer gets order notifications.
        shipping_address: The shipping address.
        shipping_address_short_id: The shipping address by id (``ar_…``).
        shipping_rate_ids: The selected shipping rates.
        subscription_id: The subscription associated with the order.
        tags: The order's tags (replaces the current ones).
    """

    billing_address: AddressCreate | Unset | None = UNSET
    billing_address_short_id: str | Unset | None = UNSET
    currency: str | Unset | None = UNSET
    custom_items: Sequence[CustomItem] | Unset | None = UNSET
    customer_email: str | Unset | None = UNSET
    customer_id: str | Unset | None = UNSET
    discount_code: str | Unset | None = UNSET
    gateway_id: str | Unset | None = UNSET
    line_items: Sequence[LineItem] | Unset | None = UNSET
    mobile: str | Unset | None = UNSET
    mobile_notifications: bool | Unset | None = UNSET
    sales_channel_id: str | Unset | None = UNSET
    send_fulfillment_notifications: bool | Unset | None = UNSET
    send_order_notifications: bool | Unset | None = UNSET
    shipping_address: AddressCreate | Unset | None = UNSET
    shipping_address_short_id: str | Unset | None = UNSET
    shipping_rate_ids: Sequence[str] | Unset | None = UNSET
    subscription_id: str | Unset | None = UNSET
    tags: Sequence[str] | Unset | None = UNSET
