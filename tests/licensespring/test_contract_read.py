"""Contract tests of the read requests against the vendor's Postman collection
(../shared/vendors/licensespring/management-api-orders.postman_collection.json; skipped when absent).

* ``retrieve`` is "Show Order" and ``list`` is "List Orders", same method and path (the list
  with its trailing slash; Show with the slash the README says to keep);
* the pager's own parameters (``order_by``, ``limit``, ``offset``) and the collection's
  filters are the collection's query parameters; the other filters are the documented ones.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from orderpatch.licensespring import OrderFilter
from orderpatch.licensespring._list import FILTER_NAMES, build_list_request, build_retrieve_request
from tests.conftest import shared_json

BASE = httpx.URL("https://saas.licensespring.com")


def _requests() -> dict[str, dict[str, Any]]:
    document = shared_json("vendors", "licensespring", "management-api-orders.postman_collection.json")
    assert isinstance(document, dict)
    found: dict[str, dict[str, Any]] = {}

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            if "item" in item:
                walk(item["item"])
            else:
                found[item["name"]] = item["request"]

    walk(document["item"])
    return found


def _path(request: dict[str, Any]) -> str:
    return str(request["url"]["raw"]).replace("{{api_url}}", "").split("?")[0]


def test_retrieve_is_show_order() -> None:
    show = _requests()["Show Order"]
    call = build_retrieve_request(BASE, 1629789747117569)
    assert call.request.method == show["method"]
    assert urlsplit(str(call.request.url)).path.rstrip("/") == _path(show).replace("<order_id>", "1629789747117569")


def test_list_is_list_orders_with_its_query_parameters() -> None:
    listing = _requests()["List Orders"]
    documented = {q["key"] for q in listing["url"]["query"]}
    call = build_list_request(BASE, OrderFilter(is_archived=False, short_code="ab"), 100, "200")
    assert call.request.method == listing["method"]
    assert urlsplit(str(call.request.url)).path == _path(listing)
    names = {k for k, _ in parse_qsl(urlsplit(str(call.request.url)).query)}
    assert names == {"order_by", "limit", "offset", "is_archived", "short_code"}
    assert names <= documented
    assert documented - {"order_by", "limit", "offset"} <= set(FILTER_NAMES)
