"""Shared test data of the facade tests: one configuration per vendor, and each vendor's seed answer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

from orderpatch._config import Config
from orderpatch._types import JSONValue
from tests.conftest import shared_json, shared_path

LS_KEY: Final = "h8ZTleS1.OyCHhCST5c8K9A6gjV9wA1HLxWpUVSFv"
CL_TOKEN: Final = "cl-facade-access-token-0123456789"
SPREE_TOKEN: Final = "spree-facade-access-token-0123456789"
TRUNKERY_TOKEN: Final = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoidXNfMSJ9.ZmFjYWRlLXNpZ25hdHVyZQ"
SECRETS: Final = (LS_KEY, CL_TOKEN, SPREE_TOKEN, TRUNKERY_TOKEN)

#: The order each vendor's seed answer is about, and how each vendor is addressed.
ORDER_IDS: Final = {
    "licensespring": "1629789747117569",
    "commercelayer": "xYZkjABcde",
    "spree": "R484277352",
    "trunkery": "or_EQzGqWoY",
}
URLS: Final = {
    "licensespring": "https://saas.licensespring.com/api/v1/orders/1629789747117569/",
    "commercelayer": "https://acme.commercelayer.io/api/orders/xYZkjABcde",
    "spree": "https://shop.example.com/api/v2/platform/orders/R484277352",
    "trunkery": "https://api.lana.dev/orders.json?ids=or_EQzGqWoY&shop_id=sh_EQzGqWoY",
}
METHODS: Final = {"licensespring": "PATCH", "commercelayer": "PATCH", "spree": "PATCH", "trunkery": "POST"}
FIXTURES: Final = Path(__file__).parent / "fixtures"


def config(vendor: str, base_url: str | None = None) -> Config:
    """A configuration of ``vendor`` with a static credential (and ``base_url`` when given)."""
    extra = {} if base_url is None else {"base_url": base_url}
    if vendor == "licensespring":
        return Config("licensespring", api_key=LS_KEY, max_retries=0, **extra)
    if vendor == "commercelayer":
        place = extra or {"organization": "acme"}
        return Config("commercelayer", access_token=CL_TOKEN, max_retries=0, **place)
    if vendor == "spree":
        return Config("spree", base_url=base_url or "https://shop.example.com", access_token=SPREE_TOKEN, max_retries=0)
    return Config("trunkery", token=TRUNKERY_TOKEN, shop_id="sh_EQzGqWoY", max_retries=0, **extra)


def seed_response(vendor: str) -> JSONValue:
    """The vendor's documented answer to an order update (Trunkery documents none: ours, from its schema)."""
    if vendor == "licensespring":
        return shared_json("vendors", "licensespring", "examples", "update-order.response-200.json")  # type: ignore[return-value]
    if vendor == "spree":
        return shared_json("vendors", "spree", "examples", "update_order_200.json")  # type: ignore[return-value]
    if vendor == "commercelayer":
        lines = shared_path("seeds", "commercelayer-update-order.txt").read_text(encoding="utf-8").splitlines()
        start = lines.index("RESPONSES")
        body: JSONValue = json.loads(next(line for line in lines[start:] if line.startswith("{")))
        return body
    data: JSONValue = json.loads((FIXTURES / "trunkery_order.json").read_text(encoding="utf-8"))
    return data
