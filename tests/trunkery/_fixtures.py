"""A realistic Trunkery order answer and API tokens, written from the vendor facts (README §4 to §5).

``order_payload()`` is what ``POST orders.json?ids=or_EQzGqWoY`` answers with (one element of
the array): every field the vendor's ``Order`` type requires, a line item with a custom field,
a custom item, a billing address and a few unexpanded references. A contract test validates it
against ``order.schema.json``.
"""

from __future__ import annotations

import base64
import json
from typing import Any

ORDER_ID = "or_EQzGqWoY"
SHOP_ID = "sh_EQzGqWoY"
UPDATED_AT = "2024-05-14T10:11:12.345678Z"


def jwt(claims: dict[str, Any]) -> str:
    """An unsigned-looking JWT with these claims (the client reads ``shop_id`` only, never verifies)."""

    def part(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


TOKEN = jwt({"user_id": "us_EQzGqWoY", "exp": 4102444800, "wexp": 4102444800})
KEY_TOKEN = jwt({"user_id": "us_EQzGqWoY", "shop_id": "sh_FromKey", "exp": 4102444800, "wexp": 4102444800})


def address(**overrides: Any) -> dict[str, Any]:
    """An ``Address`` as the order shows it (country and province are references)."""
    return {
        "address1": "Chestnut Street 92", "address2": "Apartment 2", "city": "Louisville", "company": "",
        "country": {"id": "US"}, "id": "ad_EQzGqWoY", "latitude": 38.2527, "longitude": -85.7585,
        "name": "John Smith", "phone": "5556251199", "plus_code": "", "province": {"id": "KY"}, "zip": "40202",
        **overrides,
    }


def line_item(**overrides: Any) -> dict[str, Any]:
    """An ``OrderLineItem``: two of a variant, with one custom field and its price detail."""
    return {
        "custom_item_index": -1, "discount_preview": 0, "fulfillable_quantity": 2, "fulfillment_status": "unfulfilled",
        "id": "li_EQzGqWoY", "quantity": 2, "subscription_plan_index": -1, "variant": {"id": "va_EQzGqWoY"},
        "fields": [{"choice_index": 0, "field_index": 0, "label": "Engraving", "type": "string", "value": "J.S."}],
        "detail": {
            "bundle_items": [], "discount": 0, "discount_rule_name": "", "discount_tax": 0, "inventory": [],
            "managed": True, "original_price": 1250, "price": 1250, "price_source": "variant", "tax": None,
            "tax_excl_price": 1250, "tax_incl_price": 1250, "type": "physical",
        },
        **overrides,
    }


def order_payload(**overrides: Any) -> dict[str, Any]:
    """One ``Order`` as the modify endpoint returns it; money in cents (USD)."""
    return {
        "id": ORDER_ID, "uuid": "5f0c6a59-52a4-4b4c-9d0e-3c1d5b1e2f77", "number": 1042, "draft_number": 17,
        "created_at": "2024-05-14T09:00:00Z", "updated_at": UPDATED_AT, "abandoned_at": None,
        "abandoned_email_processed_at": None, "abandoned_times": 0, "authorization_expires_at": None,
        "canceled_at": None, "closed_at": None, "fulfilled_at": None, "invoice_due_date": None, "lost_at": None,
        "on_hold_until": None, "paid_at": None, "reserved_at": None, "restored_at": None,
        "review_reminder_email_processed_at": None, "state": "cart", "financial_status": "unpaid",
        "fulfillment_status": "unfulfilled", "source_name": "admin", "cancel_reason": None, "calculated": True,
        "on_hold": False, "recovered": False, "currency": "USD", "subtotal_price": 2500, "shipping_price": 500,
        "total_price": 3200, "total_tax": 200, "total_discounts": 0, "total_line_items_price": 2500,
        "customer_balance_spent": 0, "tax_rounding": 0, "tips_preview": 0, "primary_rate": 1, "usd_rate": 1,
        "tax_inclusive_prices": False, "round_tax_at": "line_item", "total_weight": 400,
        "customer": {"id": "cu_EQzGqWoY"}, "gateway": None, "gateway_type": None, "client_secret": "pi_secret_123",
        "customer_email": "new@example.com", "discount_code": None, "mobile": "", "mobile_notifications": False,
        "send_fulfillment_notifications": True, "send_order_notifications": False, "tags": ["vip"],
        "line_items": [line_item()],
        "custom_items": [{
            "grams": 200, "height": 150, "id": "ci_1", "length": 150, "physical": True, "price": 500,
            "tax_class": "", "taxable": True, "title": "Gift wrap", "width": 150,
        }],
        "billing_address": address(), "shipping_address": None, "shipping_address_override": None,
        "shipping_address_verification": None, "selected_shipping_rates": [], "shipping_rate_groups": None,
        "shipping_detail": None, "payment_detail": None, "packaging_detail": [], "unpacked_items": [],
        "history": [], "calc_log": [{"comment": "", "group": "totals", "key": "subtotal", "value": "2500"}],
        "rule_eval_detail": {"discountable": "", "line_items": [], "order": "", "shipping": ""},
        "display": {
            "amount_due": 3200, "customer_balance_spent": 0, "discount": 0, "paid": 0, "shipping": 500,
            "subtotal": 2500, "tax": 200, "total": 3200,
        },
        **overrides,
    }
