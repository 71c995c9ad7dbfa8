"""The items of a Trunkery (Lana Commerce) order: line items, custom items, and their tax detail.

Prices, discounts and tax amounts are integers in minor units of the order currency.
"""

from __future__ import annotations

import attrs

from .._models import ResponseModel
from ._enums import OrderLineItemFulfillmentStatus, ProductFieldType, ShippingTaxMethod, VariantType
from ._refs import InventoryLocation, ProductFieldSet, ProductVariant, Ref, Subscription

__all__ = [
    "LineItemField", "OrderBundleLineItemDetail", "OrderCustomItem", "OrderDetailsLineItemInventory", "OrderLineItem",
    "OrderLineItemDetail", "TaxDetail"
]


@attrs.frozen(kw_only=True)
class OrderLineItem(ResponseModel):
    """A line item of an order: quantity, fulfillment, the variant and its custom fields."""

    #: Custom item index (makes variant optional when specified)
    custom_item_index: int
    detail: OrderLineItemDetail | None
    #: Discount preview for automatically applied promotions
    discount_preview: int
    #: Field set fields on this line item belong to
    field_set: Ref | ProductFieldSet | None = None
    fields: list[LineItemField]
    #: The amount available for fulfillment
    fulfillable_quantity: int
    #: How far along an order is in terms line items fulfilled
    fulfillment_status: OrderLineItemFulfillmentStatus
    #: Unique line item identifier.
    id: str
    #: The number of products that were purchased
    quantity: int
    #: If subscription was initiated by this line item, this is the one
    subscription: Ref | Subscription | None = None
    #: Product subscription plan index if subscription needs to be initiated, -1 for no subscription
    subscription_plan_index: int
    #: Product variant for this line item
    variant: Ref | ProductVariant | None = None


@attrs.frozen(kw_only=True)
class LineItemField(ResponseModel):
    """A custom field value of a line item, copied from the product field set."""

    #: Array index of the choice in corresponding field from product field set
    choice_index: int
    #: Array index of the corresponding field from prouct field set
    field_index: int
    #: Label of the field (should be copied from corresponding product field set)
    label: str
    #: Type of the field (should be copied from corresponding product field set)
    type: ProductFieldType
    #: Value of the field
    value: str


@attrs.frozen(kw_only=True)
class OrderLineItemDetail(ResponseModel):
    """Prices, discounts and tax of a line item as calculated (minor units)."""

    bundle_items: list[OrderBundleLineItemDetail]
    #: Discount applied to this line item
    discount: int
    #: Discount rule name selected for this line item
    discount_rule_name: str
    #: Discount portion of the calculated tax
    discount_tax: int
    inventory: list[OrderDetailsLineItemInventory]
    #: Whether inventory of the variant is managed or not
    managed: bool
    #: Original price (depends on price source, e.g. could be price before sale price was applied)
    original_price: int
    #: Price of the line item
    price: int
    #: Where the price of the line item comes from
    price_source: str
    tax: TaxDetail | None
    #: Tax exclusive price of the line item
    tax_excl_price: int
    #: Tax inclusive price of the line item
    tax_incl_price: int
    #: Type of the variant
    type: VariantType


@attrs.frozen(kw_only=True)
class OrderBundleLineItemDetail(ResponseModel):
    """One variant inside a bundle line item."""

    #: Whether inventory of the variant is managed or not
    managed: bool
    #: A unique product identifier
    product_id: str
    #: Amount of items of a given variant in the bundle
    quantity_per_bundle: int
    #: Type of the variant
    type: VariantType
    #: A unique product variant identifier
    variant_id: str


@attrs.frozen(kw_only=True)
class OrderDetailsLineItemInventory(ResponseModel):
    """Inventory allocated to a line item at one inventory location."""

    #: Amount of items available for fulfillment
    fulfillable_quantity: int
    #: Inventory location where the inventory was allocated at
    inventory_location_id: str
    #: Amount of items allocated
    quantity: int
    #: Variant allocated (relevant for bundle items)
    variant_id: str


@attrs.frozen(kw_only=True)
class OrderCustomItem(ResponseModel):
    """A custom (non-catalogue) item of an order; ``price`` per item in minor units."""

    #: The weight of the custom item in grams
    grams: int
    #: Height of the custom item (in millimeters)
    height: int
    #: Procedurally generated identifier for this custom item
    id: str
    #: Inventory location to use as shipping origin for shipping rate calculations
    inventory_location: Ref | InventoryLocation | None = None
    #: Length of the custom item (in millimeters)
    length: int
    #: Whether this item requires shipping or not
    physical: bool
    #: Price of the custom item (per single item)
    price: int
    #: Tax class of this item
    tax_class: str
    #: Whether this item is taxable or not
    taxable: bool
    #: Custom item title
    title: str
    #: Width of the custom item (in millimeters)
    width: int


@attrs.frozen(kw_only=True)
class TaxDetail(ResponseModel):
    """The tax applied at each jurisdiction level; amounts in minor units, rates in percent."""

    #: Amount of city jurisdiction tax applied
    city_tax: int
    #: Whether city tax rate is compound
    city_tax_is_compound: bool
    #: City jurisdiction tax name from matching tax rule
    city_tax_name: str
    #: City tax rate (in percents)
    city_tax_rate: float
    #: The two-letter code for the country
    country: str
    #: Amount of country jurisdiction tax applied
    country_tax: int
    #: Country jurisdiction tax name from matching tax rule
    country_tax_name: str
    #: Country tax rate (in percents)
    country_tax_rate: float
    #: Amount of county jurisdiction tax applied
    county_tax: int
    #: Whether county tax rate is compound
    county_tax_is_compound: bool
    #: County jurisdiction tax name from matching tax rule
    county_tax_name: str
    #: County tax rate (in percents)
    county_tax_rate: float
    #: Name of the matching tax rule
    name: str
    #: The two-letter code for the province or state
    province: str
    #: Amount of province jurisdiction tax applied
    province_tax: int
    #: Whether province tax rate is compound
    province_tax_is_compound: bool
    #: Province jurisdiction tax name from matching tax rule
    province_tax_name: str
    #: Province tax rate (in percents)
    province_tax_rate: float
    #: Shipping tax class used
    shipping_tax_class: str
    #: Method that is used to calculate shipping tax
    shipping_tax_method: ShippingTaxMethod | None
    #: Amount of special jurisdiction tax applied
    special_tax: int
    #: Whether special tax rate is compound
    special_tax_is_compound: bool
    #: Special jurisdiction tax name from matching tax rule
    special_tax_name: str
    #: Special tax rate (in percents)
    special_tax_rate: float
    #: Tax rounding error remainder
    tax_rounding: float
