"""Spree's order logic behind the Platform API action endpoints: checkout steps, money, credits.

Pure functions on an order row (a dict of ``spree_orders`` columns plus association ids) and the
related records, so the HTTP layer in ``_spree.py`` stays about requests and responses.
A refused step raises :class:`CheckoutError` with Rails-style ``errors`` (attribute → messages).

The checkout requirements are a reduced model of Spree's (``Spree::Order::Checkout``): items to
leave ``cart``, both addresses to leave ``address``, shipments to leave ``delivery``, a payment to
leave ``payment``; the messages are Spree's English ones where known.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ._http import Document

#: Checkout states in order; ``complete`` ends checkout.
CHECKOUT_STEPS = ("cart", "address", "delivery", "payment", "confirm", "complete")
#: Every state of ``Spree::Order``'s state machine.
STATES = frozenset({*CHECKOUT_STEPS, "canceled", "awaiting_return", "returned", "resumed"})
SHIPMENT_STATES = frozenset({"backorder", "canceled", "partial", "pending", "ready", "shipped"})
PAYMENT_STATES = frozenset({"balance_due", "credit_owed", "failed", "paid", "void"})
_CANCELABLE_SHIPMENT_STATES = frozenset({None, "ready", "backorder", "pending", "canceled"})
_STEP_REQUIREMENTS: dict[str, tuple[str, str, str]] = {
    # state: (order key that must be non-empty, errors key, message)
    "cart": (
        "line_item_ids",
        "base",
        "There are no items for this order. Please add an item to the order to continue.",
    ),
    "delivery": ("shipment_ids", "base", "We are unable to calculate shipping rates for the selected items."),
    "payment": ("payment_ids", "base", "No payment found"),
}

#: Coupon codes the sandbox knows: the id of their promotion and the amount taken off the order.
COUPONS: dict[str, tuple[int, Decimal]] = {"SANDBOX10": (1, Decimal("10"))}
_CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "$", "AUD": "$"}


class CheckoutError(Exception):
    """A refused change, with Rails' ``errors.messages`` (attribute → messages)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def transition_error(event: str) -> CheckoutError:
    """What state_machines adds when an event does not apply to the current state."""
    return CheckoutError({"state": [f'cannot transition via "{event}"']})


def decimal(value: object) -> Decimal | None:
    """A money value from JSON (number or numeric string), or ``None`` if it is not one."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


#: What a ``decimal(10,2)`` column holds: anything that rounds to 10^8 or more in absolute value
#: does not fit (PostgreSQL's "numeric field overflow").
_MONEY_LIMIT = Decimal(10) ** 8 - Decimal("0.005")


def fits_money(value: Decimal) -> bool:
    """Whether ``value`` fits a ``decimal(10,2)`` column."""
    return abs(value) < _MONEY_LIMIT


def money(value: Decimal) -> str:
    """A ``decimal(10,2)`` column as Rails serialises it: ``110.0``, ``170.9``, ``0.12``.

    An amount the column cannot hold is a ``CheckoutError`` (a 422 "is out of range"), never a
    crash: a price, a payment or a total past 10^8 fails the change as a whole.
    """
    if not fits_money(value):
        raise CheckoutError({"base": ["Amount is out of range"]})
    text = f"{value.quantize(Decimal('0.01')):f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def display(value: Decimal, currency: str) -> str:
    """A ``display_*`` amount: ``$110.00``, ``-$10.00``."""
    symbol = _CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    return f"{'-' if value < 0 else ''}{symbol}{abs(value):,.2f}"


def amount(order: Document, column: str) -> Decimal:
    """A money column of ``order`` as a Decimal (missing or null counts as zero)."""
    return decimal(order.get(column) or 0) or Decimal(0)


def recalculate_totals(order: Document) -> None:
    """Recompute ``adjustment_total`` and ``total`` after items, promotions or shipments changed."""
    adjustments = amount(order, "promo_total") + amount(order, "additional_tax_total")
    order["adjustment_total"] = money(adjustments)
    order["total"] = money(amount(order, "item_total") + amount(order, "shipment_total") + adjustments)


def applied_store_credit(order: Document, payments: dict[int, Document]) -> Decimal:
    """The store credit the order's payments use."""
    return sum(
        (
            amount(payments[pid], "amount")
            for pid in order["payment_ids"]
            if payments.get(pid, {}).get("source_type") == "Spree::StoreCredit"
        ),
        Decimal(0),
    )


def display_attributes(order: Document, available_credit: Decimal, applied_credit: Decimal) -> Document:
    """The ``display_*`` attributes the Platform serializer adds, derived from the columns."""
    total, currency = amount(order, "total"), order.get("currency") or "USD"
    items, included_tax = amount(order, "item_total"), amount(order, "included_tax_total")
    applicable = min(total, available_credit) if order["state"] in {"payment", "confirm", "complete"} else Decimal(0)
    values = {
        "ship_total": amount(order, "shipment_total"),
        "shipment_total": amount(order, "shipment_total"),
        "outstanding_balance": total - amount(order, "payment_total"),
        "item_total": items,
        "adjustment_total": amount(order, "adjustment_total"),
        "included_tax_total": included_tax,
        "additional_tax_total": amount(order, "additional_tax_total"),
        "tax_total": included_tax + amount(order, "additional_tax_total"),
        "promo_total": amount(order, "promo_total"),
        "total": total,
        "cart_promo_total": amount(order, "promo_total"),
        "pre_tax_item_amount": items - included_tax,
        "pre_tax_total": items - included_tax + amount(order, "promo_total"),
        "total_applicable_store_credit": applicable,
        "total_applied_store_credit": applied_credit,
        "order_total_after_store_credit": total - applied_credit,
        "total_available_store_credit": available_credit,
        "store_credit_remaining_after_capture": available_credit - applied_credit,
    }
    return {f"display_{name}": display(value, currency) for name, value in values.items()}


def next_step(order: Document, now: str) -> None:
    """One checkout transition (``order.next``); raises :class:`CheckoutError` when refused."""
    state = order["state"]
    if state not in CHECKOUT_STEPS or state == "complete":
        raise transition_error("next")
    if state == "address":
        missing = {name: ["can't be blank"] for name in ("bill_address", "ship_address") if not order[f"{name}_id"]}
        if missing:
            raise CheckoutError(missing)
    elif state in _STEP_REQUIREMENTS:
        key, attribute, message = _STEP_REQUIREMENTS[state]
        if not order[key] and not (state == "payment" and amount(order, "total") == 0):
            raise CheckoutError({attribute: [message]})
    following = CHECKOUT_STEPS[CHECKOUT_STEPS.index(state) + 1]
    order["state"] = following
    if following == "complete":
        paid = amount(order, "payment_total") >= amount(order, "total")
        order.update(
            completed_at=now,
            payment_state="paid" if paid else "balance_due",
            shipment_state="pending" if order["shipment_ids"] else None,
        )


def advance(order: Document, now: str, *, until: str) -> None:
    """Call :func:`next_step` until ``until`` (or ``complete``) is reached.

    ``until="confirm"`` is the ``advance`` endpoint: it stops quietly at the first refused step
    once at least one step was taken. ``until="complete"`` is ``complete``: any refusal is an error.
    """
    moved = False
    while order["state"] not in {until, "complete"}:
        try:
            next_step(order, now)
        except CheckoutError:
            if until == "complete" or not moved:
                raise
            return
        moved = True


def empty(order: Document) -> None:
    """``Cart::Empty``: drop items, shipments and promotions and restart checkout."""
    if order.get("completed_at"):
        raise CheckoutError({})  # Spree passes its message as the *value*; the body says ""
    order.update(
        line_item_ids=[],
        shipment_ids=[],
        promotion_ids=[],
        adjustment_ids=[],
        item_count=0,
        item_total="0.0",
        shipment_total="0.0",
        promo_total="0.0",
        state="cart",
    )
    recalculate_totals(order)


def cancel(order: Document, now: str) -> None:
    """The ``cancel`` event: completed orders whose shipments have not left yet."""
    if order["state"] != "complete" or order.get("shipment_state") not in _CANCELABLE_SHIPMENT_STATES:
        raise transition_error("cancel")
    order.update(state="canceled", payment_state="void" if amount(order, "payment_total") == 0 else "credit_owed")
    if order["shipment_ids"]:
        order["shipment_state"] = "canceled"


def apply_coupon(order: Document, code: object) -> str | None:
    """Apply a coupon; returns the error message Spree answers with, or ``None`` on success."""
    coupon = COUPONS.get(code) if isinstance(code, str) else None
    if coupon is None:
        return "The coupon code you entered doesn't exist. Please try again."
    promotion_id, discount = coupon
    if promotion_id in order["promotion_ids"]:
        return "The coupon code has already been applied to this order"
    order["promotion_ids"].append(promotion_id)
    order["promo_total"] = money(amount(order, "promo_total") - min(discount, amount(order, "item_total")))
    recalculate_totals(order)
    return None
