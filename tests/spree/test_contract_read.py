"""Contract tests of the read requests against ../shared/vendors/spree/platform-openapi.yaml and
examples/list_orders_200.json (skipped when ../shared is absent).

* ``list`` is the spec's ``GET /api/v2/platform/orders`` and uses its documented ``per_page``
  and ``include`` parameters and its ``filter[<attribute>_<predicate>]`` form;
* every attribute a typed filter field names is an attribute of the spec's order resource;
* the spec's own list example parses, with its total, and ends the walk (one page).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import yaml

from orderpatch.spree import OrderFilter, OrderState, PaymentState, ShipmentState
from orderpatch.spree._list import build_list_request, parse_order_page
from tests.conftest import shared_path

BASE = httpx.URL("https://shop.test")
AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@functools.cache
def _spec() -> dict[str, Any]:
    text = shared_path("vendors", "spree", "platform-openapi.yaml").read_text(encoding="utf-8")
    document = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    assert isinstance(document, dict)
    return document


def _example() -> dict[str, Any]:
    document = json.loads(shared_path("vendors", "spree", "examples", "list_orders_200.json").read_text("utf-8"))
    assert isinstance(document, dict)
    return document


def test_list_is_the_published_operation_with_its_documented_parameters() -> None:
    operation = _spec()["paths"]["/api/v2/platform/orders"]["get"]
    documented = {p["name"] for p in operation["parameters"]}
    call = build_list_request(BASE, OrderFilter(state=OrderState.COMPLETE), 500, "41", include=["line_items"])
    assert urlsplit(str(call.request.url)).path == "/api/v2/platform/orders"
    names = [k for k, _ in parse_qsl(urlsplit(str(call.request.url)).query)]
    assert {"per_page", "include", "filter[state_eq]"} <= documented
    assert {n for n in names if not n.startswith("filter[")} <= documented | {"sort"}
    assert call.idempotent


def test_every_typed_filter_names_an_attribute_of_the_order_resource() -> None:
    attributes = set(_example()["data"][0]["attributes"]) | {"id"}
    call = build_list_request(BASE, OrderFilter(
        ids=[1], number=["R1"], state=OrderState.COMPLETE, payment_state=PaymentState.PAID,
        shipment_state=ShipmentState.SHIPPED, email="a@b.co", created_gte=AT, created_lt=AT, updated_gte=AT,
        updated_lt=AT, completed_gte=AT, completed_lt=AT), 500, None)
    keys = {k.removeprefix("filter[").split("]")[0] for k, _ in parse_qsl(urlsplit(str(call.request.url)).query)
            if k.startswith("filter[")}
    assert len(keys) == 12
    for key in keys:
        attribute = key.rsplit("_", 1)[0] if not key.endswith("_gteq") else key.removesuffix("_gteq")
        assert attribute in attributes, key


def test_the_spec_list_example_parses_and_is_one_page() -> None:
    example = _example()
    page = parse_order_page(example, page_size=500)
    assert [o.id for o in page.items] == [d["id"] for d in example["data"]]
    assert (page.total_count, page.next_cursor) == (example["meta"]["total_count"], None)
