"""Errors particular to the Spree Admin API v3, each a subclass of the core error it refines.

* ``IdempotencyKeyReused`` (422 ``idempotency_key_reused``): the key was already used with
  another method, path or body. orderpatch sends one fresh key per logical call, so this means
  a key passed explicitly (``idempotency_key=``) was reused for a different request.
* ``RequestTooLarge`` (413 ``request_too_large``): the body was over 100 KB. orderpatch refuses
  such a body before sending (``ValidationError``); this is raised if a proxy's limit is lower.
* ``OrderNotCanceled``: ``cancel`` answered 200 but the order is not canceled. Spree 5.5-5.6.1
  ignores the result of its cancel service, so an order that may not be canceled (not
  completed, already shipped, …) comes back unchanged with a 200.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import APIError, OrderPatchError, UnprocessableEntity

if TYPE_CHECKING:
    from ._order import Order

__all__ = ["IdempotencyKeyReused", "OrderNotCanceled", "RequestTooLarge"]


class IdempotencyKeyReused(UnprocessableEntity):
    """422 ``idempotency_key_reused``: this key was used before for a different request."""


class RequestTooLarge(APIError):
    """413 ``request_too_large``: the server (or a proxy before it) refused the body's size."""


class OrderNotCanceled(OrderPatchError):
    """``cancel`` answered 200 with an order that is not canceled; ``order`` is what came back."""

    def __init__(self, order: Order) -> None:
        status = order.status.value if order.status is not None else "unknown"
        super().__init__(
            f"spree_admin: cancel of order {order.id} answered 200 but its status is {status!r}, not 'canceled': "
            "Spree cancels only completed orders that are not shipped (allow_cancel?), and reports no error "
            "otherwise"
        )
        self.order = order
