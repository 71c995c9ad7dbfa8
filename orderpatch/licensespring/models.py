"""LicenseSpring Management API order models: ``OrderUpdate`` (the PATCH body) and ``Order``.

Facts: ``PATCH https://saas.licensespring.com/api/v1/orders/{id}/`` takes any of ten optional
fields and answers with a flat order object (not the nested one ``GET`` returns).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from .._models import RequestModel, ResponseModel
from .._types import UNSET, JSONInput, JSONValue, Unset

__all__ = ["Customer", "Order", "OrderDetail", "OrderUpdate"]


@attrs.frozen(kw_only=True, repr=False)
class OrderUpdate(RequestModel):
    """The fields of a LicenseSpring order you may change; ``UNSET`` fields are not sent.

    ``None`` is sent as JSON ``null``. Whether LicenseSpring clears a field on ``null`` is not
    documented; ``is_test=False`` and other values are always applied.

    Attributes:
        store_id: Your own order reference (the "order ID" given at creation).
        type: The order type; the only documented value is ``"normal"``.
        is_test: Marks a test order.
        is_trial: Marks a trial order.
        download_id: Used by the FastSpring integration.
        language: A language short code such as ``"en"``.
        campaign_params: Campaign parameters (e.g. Google campaign tags) as one string.
        customer: The id of the customer the order belongs to ("change customer on order").
        customer_account: The id of the customer account (documented both as integer and string).
        metadata: A JSON object stored with the order (an object here, not a JSON string).
    """

    store_id: str | Unset | None = UNSET
    type: str | Unset | None = UNSET
    is_test: bool | Unset = UNSET
    is_trial: bool | Unset = UNSET
    download_id: str | Unset | None = UNSET
    language: str | Unset | None = UNSET
    campaign_params: str | Unset | None = UNSET
    customer: int | Unset | None = UNSET
    customer_account: int | str | Unset | None = UNSET
    metadata: Mapping[str, JSONInput] | Unset | None = UNSET


@attrs.frozen(kw_only=True)
class Order(ResponseModel):
    """A LicenseSpring order as the update endpoint returns it; unknown keys land in ``extra``.

    ``id`` is LicenseSpring's 16-digit integer id (it encodes the creation time in µs); your
    own reference is ``store_id``. Timestamps are timezone-aware.
    """

    id: int
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    store_id: str | None = None
    type: str | None = None
    customer_email: str | None = None
    is_test: bool | None = None
    customer_reference: str | None = None
    is_trial: bool | None = None
    download_id: str | None = None
    language: str | None = None
    campaign_params: str | None = None
    customer_first_name: str | None = None
    customer_last_name: str | None = None
    customer_company: str | None = None
    customer_phone: str | None = None
    metadata: JSONValue = None
    company: int | None = None
    customer: int | None = None
    customer_account: int | str | None = None
    license_users: list[JSONValue] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class Customer(ResponseModel):
    """The customer object ``GET`` nests in an order (``PATCH`` answers with its id only).

    The Java management SDK calls it ``BackOfficeCustomer``; unknown keys land in ``extra``.
    """

    id: int
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    company_name: str | None = None
    phone: str | None = None
    reference: str | None = None
    total_orders: int | None = None
    total_licenses: int | None = None
    labels: list[JSONValue] = attrs.field(factory=list)
    metadata: JSONValue = None
    company: int | None = None


@attrs.frozen(kw_only=True)
class OrderDetail(ResponseModel):
    """A LicenseSpring order as ``GET /orders/{id}/`` and the list rows return it: nested.

    Unlike ``Order`` (the flat PATCH answer, ``customer`` an int), ``customer`` is the
    ``Customer`` object (or ``None``) and ``order_items`` hold each item's product and licenses
    (kept as JSON: licenses embed the customer, features and custom fields again). ``id`` is the
    16-digit order id; your own reference is ``store_id``.
    """

    id: int
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    store_id: str | None = None
    type: str | None = None
    is_test: bool | None = None
    is_trial: bool | None = None
    is_archived: bool | None = None
    download_id: str | None = None
    language: str | None = None
    campaign_params: str | None = None
    has_active_licenses: bool | None = None
    metadata: JSONValue = None
    company: int | None = None
    customer: Customer | None = None
    order_items: list[JSONValue] = attrs.field(factory=list)
