"""Shipping of a Trunkery (Lana Commerce) order: the selected detail, the rates offered, the packing.

Prices are integers in minor units; weights in grams, sizes in millimetres.
"""

from __future__ import annotations

import attrs

from .._models import ResponseModel
from ._line_items import TaxDetail
from ._refs import InventoryLocation, Ref, ShippingProvider

__all__ = [
    "PackedBox", "PackedItem", "ShippingDetail", "ShippingRate", "ShippingRateGroup", "ShippingRateGroupItem",
    "UnpackedItem"
]


@attrs.frozen(kw_only=True)
class ShippingDetail(ResponseModel):
    """The selected shipping rate as calculated: price, discount and tax (minor units)."""

    #: Discount amount applied to shipping rate
    discount: int
    #: Discount rule name selected for shipping rate
    discount_rule_name: str
    #: Discount portion of the calculated tax
    discount_tax: int
    #: Shipping rate price
    price: int
    tax: TaxDetail | None
    #: Tax exclusive shipping rate price
    tax_excl_price: int
    #: Tax inclusive shipping rate price
    tax_incl_price: int
    #: Name of the selected shipping rate
    title: str


@attrs.frozen(kw_only=True)
class ShippingRate(ResponseModel):
    """A shipping rate; ``rate`` in minor units, delivery dates as the vendor sends them."""

    #: Whether delivery date is guaranteed or not
    delivery_date_guaranteed: bool
    #: Upper boundary of delivery date
    delivery_date_max: str
    #: Lower boundary of delivery date
    delivery_date_min: str
    #: Whether shipping rate is discountable or not
    discountable: bool
    #: A unique shipping rate identifier
    id: str
    #: The maximum amount of time the inventory location will take to fulfill the order
    lead_time_hours_max: int
    #: The minimum amount of time the inventory location will take to fulfill the order
    lead_time_hours_min: int
    #: Name of the shipping rate
    name: str
    #: Associated inventory location (for pickup shipping providers)
    pickup_inventory_location: Ref | InventoryLocation | None = None
    #: Rate of the shipping rate (in cents)
    rate: int
    #: Shipping provider this shipping rate originates from
    shipping_provider: Ref | ShippingProvider | None = None
    #: Whether shipping rate is taxable or not
    taxable: bool


@attrs.frozen(kw_only=True)
class ShippingRateGroup(ResponseModel):
    """Items that ship together and the rates available for them."""

    items: list[ShippingRateGroupItem]
    shipping_rates: list[ShippingRate]


@attrs.frozen(kw_only=True)
class ShippingRateGroupItem(ResponseModel):
    """A line item (and quantity) within a shipping rate group."""

    #: Unique line item identifier.
    line_item_id: str
    #: How many of the line item's units are in this group (the vendor's doc string repeats the line item id's)
    quantity: int
    #: The line item's product variant (the vendor's doc string repeats the line item id's)
    variant_id: str


@attrs.frozen(kw_only=True)
class PackedBox(ResponseModel):
    """A box the order is packed in (grams and millimetres) and what goes in it."""

    #: The weight of the empty packaging in grams
    grams: int
    #: Height of the packaging in millimeters
    height: int
    inventory_location_id: str
    items: list[PackedItem]
    #: Length of the packaging in millimeters
    length: int
    #: The maximum weight this packaging can hold (excluding its own weight)
    max_grams: int
    #: Name of the packaging
    name: str
    #: Width of the packaging in millimeters
    width: int


@attrs.frozen(kw_only=True)
class PackedItem(ResponseModel):
    """An item placed in a box, with its position (millimetres)."""

    grams: int
    height: int
    length: int
    line_item_id: str
    variant_id: str
    width: int
    x: int
    y: int
    z: int


@attrs.frozen(kw_only=True)
class UnpackedItem(ResponseModel):
    """A line item quantity that could not be packed into any box."""

    line_item_id: str
    quantity: int
    variant_id: str
