"""Retries that never double an action, an overall deadline, and idempotency keys.

The sandbox answers half of all requests with 503 (reproducibly, ``seed=7``). orderpatch retries
them — 503 is safe to retry for any request — and ``with_raw_response`` shows how many retries a
call took. A Trunkery modify is a POST: it is retried only because the client sends the same
``Idempotency-Key`` (and the same bytes) on every attempt.

Runs against the bundled local sandbox (``pip install 'orderpatch[sandbox]'``).
"""

from __future__ import annotations

from dataclasses import replace

import orderpatch
from orderpatch.sandbox import Sandbox
from orderpatch.trunkery import OrderModify, TrunkeryClient


def main() -> None:
    with Sandbox(error_rate=0.5, seed=7) as sandbox:
        with TrunkeryClient(**sandbox.settings("trunkery"), max_retries=5) as shop:
            raw = shop.orders.with_raw_response.modify("or_EQzGqWoY", OrderModify(tags=["vip"]))
            print(f"modified after {raw.retries_taken} retries, idempotency key {raw.meta.idempotency_key}")
            attempts = [r for r in sandbox.requests_log() if r.path.endswith("/orders.json")]
            keys = {r.headers.get("idempotency-key") for r in attempts}
            print(f"{len(attempts)} attempt(s) reached the server, all with one key: {len(keys) == 1}")
            assert len(keys) == 1, keys
            assert len(attempts) == raw.retries_taken + 1

            # Without retries there is nothing to deduplicate: no key is sent.
            sandbox.set_knobs(replace(sandbox.knobs, error_rate=0.0))
            shop.orders.modify("or_EQzGqWoY", OrderModify(tags=["vip", "gold"]), max_retries=0)

        # A deadline bounds the whole call, retries and back-off included.
        sandbox.set_knobs(replace(sandbox.knobs, error_rate=1.0))
        with TrunkeryClient(**sandbox.settings("trunkery")) as shop:
            try:
                shop.orders.modify("or_EQzGqWoY", OrderModify(tags=["late"]), deadline=0.5, max_retries=10)
            except (orderpatch.ServerError, orderpatch.Timeout) as error:
                print(f"gave up within the deadline: {type(error).__name__} after {error.retries_taken} retries")


if __name__ == "__main__":
    main()
