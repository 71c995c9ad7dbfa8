"""Seed data: the example orders of each vendor's documentation, as fresh Python objects.

Values are transcribed from the vendors' published examples (see ``shared/vendors/*/`` and
``shared/seeds/``); nothing is read from those files at run time. Where an example leaves a gap
(Trunkery publishes no example order, Commerce Layer lists relationships without their data) the
values are made up to be plausible, and say so. Every function returns new objects, so a reset
never shares state with an earlier run.
"""

from __future__ import annotations

from typing import Any

from ._http import Document

# fmt: off
# --------------------------------------------------------------------------- Commerce Layer

CL_ORDER_ID = "xYZkjABcde"

#: Relationship names of the documented order, in the documented order; True marks to-many.
CL_RELATIONSHIPS: dict[str, bool] = {
    "market": False, "customer": False, "shipping_address": False, "billing_address": False,
    "available_payment_methods": True, "available_customer_payment_sources": True,
    "available_free_skus": True, "available_free_bundles": True, "payment_method": False,
    "payment_source": False, "line_items": True, "line_item_options": True,
    "stock_reservations": True, "stock_line_items": True, "stock_transfers": True,
    "shipments": True, "payment_options": True, "transactions": True, "authorizations": True,
    "captures": True, "voids": True, "refunds": True, "returns": True, "order_subscription": False,
    "order_subscriptions": True, "order_factories": True, "order_copies": True,
    "recurring_order_copies": True, "attachments": True, "links": True, "resource_errors": True,
    "events": True, "tags": True, "versions": True,
}
#: (base name, cents) of the documented order's amounts; each gives *_cents, *_float, formatted_*.
_CL_AMOUNTS = (
    ("subtotal_amount", 5000), ("shipping_amount", 1200), ("payment_method_amount", 0),
    ("discount_amount", -500), ("adjustment_amount", 1500), ("gift_card_amount", 1500),
    ("total_tax_amount", 1028), ("subtotal_tax_amount", 902), ("shipping_tax_amount", 216),
    ("payment_method_tax_amount", 0), ("adjustment_tax_amount", 900), ("total_amount", 5700),
    ("total_taxable_amount", 4672), ("subtotal_taxable_amount", 4098),
    ("shipping_taxable_amount", 984), ("payment_method_taxable_amount", 0),
    ("adjustment_taxable_amount", 120), ("total_amount_with_taxes", 5700), ("fees_amount", 0),
    ("duty_amount", 0), ("place_total_amount", 0),
)
# fmt: on


def format_eur(cents: int) -> str:
    """Format cents as the documented Italian-locale euro amounts: ``€50,00``, ``-€5,00``."""
    sign, cents = ("-" if cents < 0 else ""), abs(cents)
    return f"{sign}€{cents // 100:,}".replace(",", ".") + f",{cents % 100:02d}"


def cl_order_attributes() -> Document:
    """The attributes of the documented Commerce Layer order ``xYZkjABcde`` (a draft)."""
    stamp = "2018-01-01T12:00:00.000Z"
    # fmt: off
    attributes: Document = {
        "number": "1234", "autorefresh": True, "place_async": True, "status": "draft",
        "payment_status": "unpaid", "fulfillment_status": "unfulfilled", "guest": True,
        "editable": True, "customer_email": "john@example.com", "language_code": "it",
        "currency_code": "EUR", "tax_included": True, "tax_rate": 0.22, "freight_taxable": True,
        "payment_method_taxable": True, "adjustment_taxable": True, "gift_card_taxable": False,
        "requires_billing_info": False, "country_code": "IT", "shipping_country_code_lock": "IT",
        "coupon_code": "SUMMERDISCOUNT", "gift_card_code": "cc92c23e-967e-48b2-a323-59add603301f",
    }
    for base, cents in _CL_AMOUNTS:
        attributes[f"{base}_cents"], attributes[f"{base}_float"] = cents, cents / 100
        attributes[f"formatted_{base}"] = format_eur(cents)
    attributes.update({
        "skus_count": 2, "line_item_options_count": 1, "shipments_count": 1,
        "tax_calculations_count": 1, "validations_count": 1, "payment_source_details": {"foo": "bar"},
        "token": "1c0994cc4e996e8c6ee56a2198f66f3c", "cart_url": "https://yourdomain.com/cart",
        "return_url": "https://yourdomain.com/", "terms_url": "https://yourdomain.com/terms",
        "privacy_url": "https://yourdomain.com/privacy",
        "checkout_url": "https://yourdomain.commercelayer.io/checkout/1c0994cc4e996e8c6ee56a2198f66f3c",
        "placed_at": stamp, "approved_at": stamp, "cancelled_at": stamp, "payment_updated_at": stamp,
        "fulfillment_updated_at": stamp, "refreshed_at": stamp, "archived_at": stamp,
        "subscription_created_at": stamp, "created_at": stamp, "updated_at": stamp,
        "reference": "ANY-EXTERNAL-REFEFERNCE", "reference_origin": "ANY-EXTERNAL-REFEFERNCE-ORIGIN",
        "metadata": {"foo": "bar"},
    })
    # fmt: on
    return attributes


def cl_linkage() -> dict[str, Any]:
    """Made-up related records of the seeded order, so that ``include=`` has data to return.

    The example lists these relationships with links only; ids and attributes here are invented.
    Values are ``(type, id, attributes)`` for to-one relationships, lists of those for to-many.
    """
    # fmt: off
    address = {"first_name": "John", "last_name": "Smith", "line_1": "Via Roma 1", "city": "Milano",
               "zip_code": "20121", "state_code": "MI", "country_code": "IT", "phone": "+39 02 1234567"}
    return {
        "market": ("markets", "dlQbPhNNop", {"number": 1, "name": "Europe", "code": "EU"}),
        "customer": ("customers", "BGvjhJyRKo", {"email": "john@example.com", "status": "prospect"}),
        "shipping_address": ("addresses", "BqKnhwRjEg", address),
        "billing_address": ("addresses", "zvMEhXRjvk", dict(address)),
        "payment_method": ("payment_methods", "wmBvQsARml",
                           {"payment_source_type": "stripe_payments", "currency_code": "EUR"}),
        "payment_source": ("stripe_payments", "kwNpVsXYqL", {"options": {}}),
        "line_items": [
            ("line_items", "oVkRtNjRmB", {"sku_code": "TSHIRTMM000000FFFFFFXLXX", "quantity": 1,
                                         "unit_amount_cents": 2000, "total_amount_cents": 2000}),
            ("line_items", "pWlStOkSnC", {"sku_code": "MUGXXXXX000000FFFFFFXXXX", "quantity": 2,
                                         "unit_amount_cents": 1500, "total_amount_cents": 3000}),
        ],
    }
    # fmt: on


# --------------------------------------------------------------------------- Spree

# fmt: off
#: (id, number, state, email, created_at, updated_at, user_id, bill_address_id, ship_address_id,
#:  line_item_ids, payment_ids, shipment_ids, state_change_ids) of the spec's example orders.
_SPREE_EXAMPLES: list[tuple[Any, ...]] = [
    (47, "R484277352", "delivery", "new@example.com", "19:34:38.200", "19:34:38.599", 47, 61, 62,
     [38], [], [3], []),
    (56, "R923002122", "complete", "adeline@hodkiewicz.co.uk", "19:34:41.758", "19:34:42.207", 56,
     79, 80, [47], [2], [12], [4, 5, 8, 9, 10]),
    (61, "R057732263", "delivery", "horacio_purdy@schroederweimann.com", "19:34:43.561",
     "19:34:43.641", 61, 89, 90, [52], [], [17], []),
    (45, "R612921489", "delivery", "salome_rowe@lehner.com", "19:34:37.360", "19:34:37.513", 45,
     57, 58, [36], [], [1], []),
    (40, "R936148131", "cart", "murray_harber@strosin.ca", "19:34:36.444", "19:34:36.444", 41, 52,
     None, [], [], [], []),
    (41, "R877925031", "cart", "bronwyn@legroscorkery.ca", "19:34:36.455", "19:34:36.455", 42, 53,
     None, [], [], [], []),
]
# fmt: on
SPREE_VARIANT_PRICES: dict[int, str] = {1: "10.0", 2: "25.0", 3: "4.5"}
#: The one user with store credit (made up), so that ``use_store_credit`` can succeed.
SPREE_USER_WITH_CREDIT = 61


def spree_orders() -> dict[int, Document]:
    """The spec's example orders as ``spree_orders`` rows plus the ids of their associations."""
    orders: dict[int, Document] = {}
    for row in _SPREE_EXAMPLES:
        oid, number, state, email, created, updated, user, bill, ship, items, payments, shipments, changes = row
        complete, day = state == "complete", "2022-11-08T"
        # fmt: off
        orders[oid] = {
            "id": oid, "number": number, "item_total": "10.0" if items else "0.0",
            "total": "110.0" if items else "0.0", "state": state, "adjustment_total": "0.0",
            "user_id": user, "completed_at": f"{day}{updated}Z" if complete else None,
            "bill_address_id": bill, "ship_address_id": ship, "payment_total": "0.0",
            "shipment_state": "pending" if complete else None,
            "payment_state": "balance_due" if complete else None, "email": email,
            "special_instructions": None, "created_at": f"{day}{created}Z",
            "updated_at": f"{day}{updated}Z", "currency": "USD", "last_ip_address": None,
            "created_by_id": None, "shipment_total": "100.0" if items else "0.0",
            "additional_tax_total": "0.0", "promo_total": "0.0", "channel": "spree",
            "included_tax_total": "0.0", "item_count": len(items), "approver_id": None,
            "approved_at": None, "confirmation_delivered": False, "considered_risky": False,
            "canceled_at": None, "canceler_id": None, "state_lock_version": 0,
            "taxable_adjustment_total": "0.0", "non_taxable_adjustment_total": "0.0",
            "store_owner_notification_delivered": None, "public_metadata": {},
            "private_metadata": {}, "internal_note": None, "token": f"tok{oid:06d}", "store_id": 1,
            # associations, not columns: the ids of related records
            "line_item_ids": list(items), "payment_ids": list(payments), "shipment_ids": list(shipments),
            "state_change_ids": list(changes), "promotion_ids": [], "adjustment_ids": [],
        }
        # fmt: on
    return orders


def spree_related() -> dict[str, dict[int, Document]]:
    """Records the example orders point at, by type (made up: the examples give only their ids)."""
    users = {
        row[6]: {"email": row[3], "store_credit": "150.0" if row[6] == SPREE_USER_WITH_CREDIT else "0.0"}
        for row in _SPREE_EXAMPLES
    }
    addresses: dict[int, Document] = {}
    line_items: dict[int, Document] = {}
    for row in _SPREE_EXAMPLES:
        for address_id in (row[7], row[8]):
            if address_id is not None:
                # fmt: off
                addresses[address_id] = {
                    "user_id": row[6], "firstname": "John", "lastname": "Doe",
                    "address1": "7735 Old Georgetown Road", "city": "Bethesda", "zipcode": "20814",
                    "phone": "3014445002", "state_name": None, "country_id": 224, "state_id": 516,
                }
                # fmt: on
        for item_id in row[9]:
            line_items[item_id] = {"variant_id": 1, "quantity": 1, "price": "10.0", "currency": "USD"}
    return {
        "user": users,
        "address": addresses,
        "line_item": line_items,
        "shipment": {
            sid: {"number": f"H{sid:011d}", "state": "pending", "cost": "100.0"}
            for row in _SPREE_EXAMPLES
            for sid in row[11]
        },
        "payment": {2: {"amount": "110.0", "state": "checkout", "source_type": "Spree::CreditCard"}},
        "state_change": {sc: {"name": "order"} for sc in (4, 5, 8, 9, 10)},
        "variant": {vid: {"price": price, "sku": f"SKU-{vid}"} for vid, price in SPREE_VARIANT_PRICES.items()},
    }


# --------------------------------------------------------------------------- LicenseSpring

LS_ORDER_ID = 1629789747117569
#: Customer and customer-account ids that exist in the sandbox's company (123 is the docs' example).
LS_CUSTOMERS = frozenset({123, 124})
LS_CUSTOMER_ACCOUNTS = frozenset({7})


def ls_orders() -> dict[int, Document]:
    """The documented update-order example (its 200 response)."""
    # fmt: off
    return {
        LS_ORDER_ID: {
            "id": LS_ORDER_ID, "created_at": "2021-08-24T07:22:27Z",
            "updated_at": "2021-11-23T07:04:07.441338Z", "store_id": "patched_store_id",
            "type": "normal", "customer_email": None, "is_test": False, "customer_reference": "",
            "is_trial": False, "download_id": None, "language": None, "campaign_params": None,
            "customer_first_name": None, "customer_last_name": None, "customer_company": None,
            "customer_phone": None, "metadata": {}, "company": 339, "customer": None,
            "customer_account": None, "license_users": [],
        }
    }
    # fmt: on


# --------------------------------------------------------------------------- Trunkery

TRUNKERY_ORDER_ID = "or_EQzGqWoY"
TRUNKERY_CLOSED_ORDER_ID = "or_Kq3mPz9X"
#: Variants that line items may reference: price (cents) and weight per unit, units in stock (made up).
TRUNKERY_VARIANTS: dict[str, Document] = {
    "va_EQzGqWoY": {"price": 2500, "grams": 200, "stock": 50},
    "va_Rb7TnW2c": {"price": 1200, "grams": 100, "stock": 3},
}
#: Shipping rates that ``shipping_rate_ids`` may select (made up).
TRUNKERY_SHIPPING_RATES: dict[str, Document] = {
    "sr_Standard": {"name": "Standard", "rate": 500},
    "sr_Express": {"name": "Express", "rate": 1500},
}
#: Discount codes and their percentage; AD1241251 is the docs' example value.
TRUNKERY_DISCOUNTS: dict[str, int] = {"AD1241251": 10}


def trunkery_line_item(item_id: str, variant_id: str, quantity: int) -> Document:
    """An ``OrderLineItem`` for ``quantity`` units of a catalogue variant."""
    price = TRUNKERY_VARIANTS[variant_id]["price"]
    # fmt: off
    detail = {
        "bundle_items": [], "discount": 0, "discount_rule_name": "", "discount_tax": 0,
        "inventory": [], "managed": True, "original_price": price, "price": price,
        "price_source": "variant", "tax": None, "tax_excl_price": price, "tax_incl_price": price,
        "type": "physical",
    }
    return {
        "custom_item_index": -1, "detail": detail, "discount_preview": 0, "fields": [],
        "fulfillable_quantity": quantity, "fulfillment_status": "unfulfilled", "id": item_id,
        "quantity": quantity, "subscription_plan_index": -1, "variant": {"id": variant_id},
    }
    # fmt: on


def trunkery_order(order_id: str, number: int, *, created_at: str, uuid: str) -> Document:
    """A blank ``Order`` with every field the vendor's type marks required (made-up values)."""
    # fmt: off
    return {
        "abandoned_at": None, "abandoned_email_message": None, "abandoned_email_processed_at": None,
        "abandoned_times": 0, "authorization_expires_at": None, "billing_address": None,
        "billing_address_short": None, "calc_log": [], "calculated": True, "cancel_reason": None,
        "canceled_at": None, "client_secret": "", "closed_at": None, "coupon": None,
        "created_at": created_at, "currency": "USD", "custom_items": [], "customer": None,
        "customer_balance_spent": 0, "customer_email": None, "discount_code": None,
        "display": None, "draft_number": number, "financial_status": "unpaid",
        "fulfilled_at": None, "fulfillment_status": "unfulfilled", "gateway": None,
        "gateway_type": None, "history": [], "id": order_id, "invoice_due_date": None,
        "invoice_email_message": None, "line_items": [], "lost_at": None, "mobile": "",
        "mobile_notifications": False, "number": number, "on_hold": False, "on_hold_until": None,
        "packaging_detail": [], "paid_at": None, "paid_email_message": None, "payment_detail": None,
        "primary_rate": 1, "promotion": None, "recovered": False, "reserved_at": None,
        "restored_at": None, "review_reminder_email_message": None,
        "review_reminder_email_processed_at": None, "risk": None, "round_tax_at": "line_item",
        "rule_eval_detail": {"discountable": "", "line_items": [], "order": "", "shipping": ""},
        "sales_channel": None, "selected_shipping_rates": [], "send_fulfillment_notifications": True,
        "send_order_notifications": True, "shipping_address": None,
        "shipping_address_override": None, "shipping_address_short": None,
        "shipping_address_verification": None, "shipping_detail": None, "shipping_price": 0,
        "shipping_rate_groups": None, "source_name": "web", "state": "cart", "subscription": None,
        "subtotal_price": 0, "tags": [], "tax_inclusive_prices": False, "tax_rounding": 0,
        "tips_preview": 0, "total_discounts": 0, "total_line_items_price": 0, "total_price": 0,
        "total_tax": 0, "total_weight": 0, "unpacked_items": [], "updated_at": created_at,
        "usd_rate": 1, "user": None, "uuid": uuid,
    }
    # fmt: on


def trunkery_orders() -> dict[str, Document]:
    """An editable cart (the docs' example id) and a paid, closed order that refuses changes."""
    cart = trunkery_order(
        TRUNKERY_ORDER_ID, 1001, created_at="2024-05-14T09:30:00.000000Z", uuid="5b0c8e5e-3c1d-4f43-9a59-0d5c2f6b7a10"
    )
    cart.update(
        customer={"id": "cu_EQzGqWoY"},
        customer_email="john.smith@example.com",
        line_items=[trunkery_line_item("li_EQzGqWoY", "va_EQzGqWoY", 2)],
    )
    closed = trunkery_order(
        TRUNKERY_CLOSED_ORDER_ID,
        1000,
        created_at="2024-05-01T08:00:00.000000Z",
        uuid="0e7d2c51-7f0a-4b7e-8f7e-31a6c2b4d9e2",
    )
    closed.update(
        state="capture_payment",
        financial_status="paid",
        gateway_type="stripe",
        paid_at="2024-05-01T08:05:00.000000Z",
        closed_at="2024-05-02T10:00:00.000000Z",
        line_items=[trunkery_line_item("li_Kq3mPz9X", "va_Rb7TnW2c", 1)],
    )
    return {TRUNKERY_ORDER_ID: cart, TRUNKERY_CLOSED_ORDER_ID: closed}
