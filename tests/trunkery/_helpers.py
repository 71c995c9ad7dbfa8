"""Helpers of the Trunkery tests: one test body drives the sync and the async client alike."""

from __future__ import annotations

import json
from typing import Any

import httpx
from typing_extensions import Unpack

from orderpatch.trunkery import AsyncTrunkeryClient, ModifyOptions, Order, OrderModify, TrunkeryClient
from orderpatch.trunkery._codec import converter

from ._fixtures import ORDER_ID, SHOP_ID, TOKEN, order_payload

BASE_URL = "https://api.lana.dev"
MODIFY_URL = f"{BASE_URL}/orders.json?ids={ORDER_ID}&shop_id={SHOP_ID}"


class Api:
    """A sync or async ``TrunkeryClient`` behind one awaitable ``modify``/``update``."""

    def __init__(self, client: TrunkeryClient | AsyncTrunkeryClient) -> None:
        self.client = client
        self.is_async = isinstance(client, AsyncTrunkeryClient)

    async def modify(self, order_id: str, changes: OrderModify, **options: Unpack[ModifyOptions]) -> Order:
        if isinstance(self.client, AsyncTrunkeryClient):
            return await self.client.orders.modify(order_id, changes, **options)
        return self.client.orders.modify(order_id, changes, **options)

    async def close(self) -> None:
        if isinstance(self.client, AsyncTrunkeryClient):
            await self.client.close()
        else:
            self.client.close()

    async def update(self, order_id: str, changes: OrderModify, **options: Unpack[ModifyOptions]) -> Order:
        if isinstance(self.client, AsyncTrunkeryClient):
            return await self.client.orders.update(order_id, changes, **options)
        return self.client.orders.update(order_id, changes, **options)


def make_client(kind: str, **settings: Any) -> TrunkeryClient | AsyncTrunkeryClient:
    """A client of the given kind (``"sync"``/``"async"``) with test defaults."""
    settings = {"token": TOKEN, "shop_id": SHOP_ID, "base_url": BASE_URL, **settings}
    return AsyncTrunkeryClient(**settings) if kind == "async" else TrunkeryClient(**settings)


def answer(**overrides: Any) -> list[dict[str, Any]]:
    """The modify endpoint's one-element answer array."""
    return [order_payload(**overrides)]


def body(request: httpx.Request) -> Any:
    """The JSON body a request carried."""
    return json.loads(request.content)


def unstructure(obj: object) -> Any:
    """A model as JSON, through the vendor's converter."""
    return converter.unstructure(obj)
