"""Update many orders concurrently with bounded concurrency, on one async client.

One ``AsyncSpreeClient`` holds one connection pool and one OAuth2 token for the whole batch; a
semaphore keeps at most ``LIMIT`` requests in flight. Failures are collected, not raised, so one
bad order does not stop the batch.

Runs against the bundled local sandbox (``pip install 'orderpatch[sandbox]'``).
"""

from __future__ import annotations

import asyncio

import orderpatch
from orderpatch.sandbox import Sandbox
from orderpatch.spree import AsyncSpreeClient, OrderUpdate

LIMIT = 4
ORDER_NUMBERS = ["R484277352", "R923002122", "R057732263", "R612921489", "R936148131", "R877925031", "R000000000"]


async def update_all(client: AsyncSpreeClient, numbers: list[str]) -> dict[str, str]:
    """Set an internal note on every order; return a one-line outcome per order."""
    limit = asyncio.Semaphore(LIMIT)

    async def one(number: str) -> tuple[str, str]:
        async with limit:
            try:
                order = await client.orders.update(number, OrderUpdate(internal_note="checked by the nightly batch"))
            except orderpatch.NotFound:
                return number, "not found"
            except orderpatch.APIError as error:
                return number, f"failed: {error}"
            return number, f"ok, state {order.state}"

    return dict(await asyncio.gather(*(one(number) for number in numbers)))


async def main() -> None:
    with Sandbox() as sandbox:
        async with AsyncSpreeClient(**sandbox.settings("spree")) as client:
            outcomes = await update_all(client, ORDER_NUMBERS)
            token_requests = sum(1 for r in sandbox.requests_log() if r.path.endswith("/spree_oauth/token"))
    for number, outcome in outcomes.items():
        print(f"{number}: {outcome}")
    print(f"{len(outcomes)} orders, at most {LIMIT} at a time, {token_requests} token request(s)")
    assert token_requests == 1


if __name__ == "__main__":
    asyncio.run(main())
