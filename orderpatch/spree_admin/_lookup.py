"""Finding an order by its number: ``GET /orders?q[number_eq]=R…`` (the Admin API takes only ``or_…`` ids).

An order number in the path gives 404, so numbers are resolved explicitly through the list
filter. Ransack drops a blank value (and then matches every order), so the number is checked
before the request; a page whose one row has another number is a ``DecodeError``.
"""

from __future__ import annotations

import re

from .._convert import ShapeError
from .._http import httpx
from .._spec import Call
from .._types import JSONValue
from .._validation import preview
from ..errors import ValidationError
from ._codec import API_PATH, Expand, Fields, converter, query_params
from ._order import Order, OrderList

__all__ = ["build_number_lookup_request"]

_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def build_number_lookup_request(base_url: httpx.URL, number: object, *, expand: Expand = None,
                                fields: Fields = None) -> Call[Order | None]:
    """The list call that finds order ``number``; its parse gives the order, or ``None`` when none matches."""
    if not isinstance(number, str) or not _NUMBER.fullmatch(number):
        expected = "an order number such as 'R801110570'"
        raise ValidationError(f"number: expected {expected}, got {preview(number)}", field="number", expected=expected)
    params = {"q[number_eq]": number, "limit": "1", "sort": "id", **query_params(expand, fields)}
    url = base_url.copy_with(path=base_url.path.rstrip("/") + "/" + "/".join((*API_PATH, "orders")))
    url = url.copy_merge_params(params)

    def parse(payload: JSONValue) -> Order | None:
        page = converter.structure(payload, OrderList)
        if not page.data:
            return None
        order = page.data[0]
        if order.number is not None and order.number != number:
            raise ShapeError(f"q[number_eq]={number!r} answered order {order.number!r}: the filter was not applied")
        return order

    return Call(request=httpx.Request("GET", url, headers={"Accept": "application/json"}), parse=parse,
                idempotent=True)
