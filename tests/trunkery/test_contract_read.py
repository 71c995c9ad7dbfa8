"""Contract tests of the read requests against ../shared/vendors/trunkery/orders-endpoints.json
(the vendor's operations, as its CLI and typed client use them; skipped when absent).

* ``retrieve`` is the ``orders`` query (``GET orders.json``) with only its documented parameters;
* ``list`` is ``ordersPage`` (``GET orders/page.json``) and answers an ``OrderPage``
  ``{count, items, last_key}``, which is what the parser reads.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from orderpatch.trunkery import OrderFilter, OrderListType
from orderpatch.trunkery._list import build_list_request, build_retrieve_request
from tests.conftest import shared_json

BASE = httpx.URL("https://api.lana.dev")


def _operations() -> dict[str, dict[str, Any]]:
    document = shared_json("vendors", "trunkery", "orders-endpoints.json")
    assert isinstance(document, dict)
    return {op["name"]: op for op in document["operations"]}


def _names(request: httpx.Request) -> set[str]:
    return {k for k, _ in parse_qsl(urlsplit(str(request.url)).query)}


def test_retrieve_is_the_orders_query_with_its_documented_parameters() -> None:
    operation = _operations()["orders"]
    call = build_retrieve_request(BASE, "or_EQzGqWoY", shop_id="sh_EQzGqWoY", fields=None)
    assert (call.request.method, urlsplit(str(call.request.url)).path) == (operation["method"], "/" + operation["path"])
    documented = {q.split(" ")[0] for q in operation["query"]}
    assert _names(call.request) <= documented
    assert call.idempotent


def test_list_is_orders_page_returning_an_order_page() -> None:
    operation = _operations()["ordersPage"]
    call = build_list_request(BASE, OrderFilter(type=OrderListType.ANY), 100, "k1", shop_id="sh_EQzGqWoY")
    assert (call.request.method, urlsplit(str(call.request.url)).path) == (operation["method"], "/" + operation["path"])
    assert operation["returns"] == "OrderPage {count, items, last_key}"
    assert _names(call.request) == {"shop_id", "type", "sort_by", "limit", "last_key"}
