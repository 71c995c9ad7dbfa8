"""Every ``DecodeError`` on a 2xx names the JSON path of the first offending value, per vendor, sync and async.

Each case is the vendor's valid 200 document with one value made wrong, answered through a mock
transport; the error's message starts with the path of that value in the document.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from orderpatch import DecodeError
from orderpatch._types import JSONValue

from ._targets import OPERATIONS, Kind, Operation, close_client, resolve

MAIN: dict[str, Operation] = {}
for _op in OPERATIONS:
    MAIN.setdefault(_op.vendor.name, _op)

Mutation = Callable[[Any], None]


def _set(*path: str | int, to: JSONValue) -> Mutation:
    def mutate(document: Any) -> None:
        for step in path[:-1]:
            document = document[step]
        document[path[-1]] = to

    return mutate


def _drop(*path: str | int) -> Mutation:
    def mutate(document: Any) -> None:
        for step in path[:-1]:
            document = document[step]
        del document[path[-1]]

    return mutate


CASES: list[tuple[str, Mutation, str]] = [
    ("licensespring", _set("created_at", to="x"), "created_at: expected an ISO-8601 timestamp, got 'x'"),
    ("licensespring", _set("id", to="1629"), "id: expected an integer, got '1629'"),
    ("licensespring", _drop("id"), "id: missing required field"),
    ("licensespring", _set("license_users", to={}), "license_users: expected a JSON array, got a JSON object"),
    ("commercelayer", _set("data", "attributes", "placed_at", to="x"),
     "data.attributes.placed_at: expected an ISO-8601 timestamp, got 'x'"),
    ("commercelayer", _set("data", "attributes", "total_amount_cents", to="5700"),
     "data.attributes.total_amount_cents: expected an integer, got '5700'"),
    ("commercelayer", _set("data", "id", to=None), "data.id: expected a string, got null"),
    ("commercelayer", _set("data", "relationships", "market", "links", "self", to=3),
     "data.relationships.market.links.self: expected a string, got 3"),
    ("commercelayer", _set("data", "meta", to=[]), "data.meta: expected a JSON object, got a JSON array"),
    ("commercelayer", _set("included", to=[{"id": "m1", "type": 7}]), "included[0].type: expected a string, got 7"),
    ("spree", _set("data", "attributes", "total", to="lots"),
     "data.attributes.total: expected a decimal number, got 'lots'"),
    ("spree", _set("data", "relationships", "line_items", "data", 0, "id", to=38),
     "data.relationships.line_items.data[0].id: expected a string, got 38"),
    ("spree", _set("data", "id", to=47), "data.id: expected a string, got 47"),
    ("spree", _set("included", to=[{"id": "38", "type": "line_item", "attributes": {"quantity": "2"}}]),
     "included[0].attributes.quantity: expected an integer, got '2'"),
    ("trunkery", _set(0, "financial_status", to=None), "[0].financial_status: expected a string, got null"),
    ("trunkery", _set(0, "line_items", 0, "quantity", to="2"), "[0].line_items[0].quantity: expected an integer"),
    ("trunkery", _drop(0, "number"), "[0].number: missing required field"),
]


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize(("vendor", "mutate", "message"), CASES, ids=[f"{v}:{m.split(':')[0]}" for v, _, m in CASES])
async def test_a_decode_error_names_the_path_of_the_offending_value(
    vendor: str, mutate: Mutation, message: str, kind: Kind
) -> None:
    operation = MAIN[vendor]
    document = operation.vendor.ok_document()
    mutate(document)
    body = httpx.Response(200, json=document).content

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    transport = httpx.MockTransport(handler)
    http: httpx.Client | httpx.AsyncClient = (
        httpx.AsyncClient(transport=transport) if kind == "async" else httpx.Client(transport=transport)
    )
    client = operation.vendor.make(kind, "https://vendor.test", http, "static", {"max_retries": 0})
    try:
        with pytest.raises(DecodeError) as info:
            await resolve(operation.call(client))
    finally:
        await close_client(client, http)
    assert info.value.message.startswith(f"unusable 200 response: {message}"), info.value.message
    assert info.value.status == 200
