"""The facade's connection reuse: ``update_order()`` in a loop against a loopback server.

``update_order()`` keeps one vendor client (one connection pool) per configuration, so a loop
of calls reuses one TCP connection. Compared, in the same run, against the bundled sandbox
(uvicorn on loopback, LicenseSpring's endpoint): raw ``httpx.Client`` with one pool (floor),
``orderpatch.update_order()``, a new ``LicenseSpringClient`` per call, and a new ``httpx.Client``
per call. ``tests/facade/test_pool.py`` counts the connections (1 for N pooled calls, N for a
client per call); this script shows what that costs.

    python benchmarks/bench_facade.py [--quick] [--json PATH]
"""

from __future__ import annotations

from _harness import Table, header, parse_options, ratio, save, time_calls

import orderpatch
from orderpatch._http import httpx  # the package in use: httpx, or httpx2 (ORDERPATCH_HTTP)
from orderpatch.licensespring import LicenseSpringClient, OrderUpdate
from orderpatch.sandbox import DEMO_ORDER_IDS, Sandbox

SCRIPT = "bench_facade"


def main() -> int:
    options = parse_options(__doc__)
    header(SCRIPT, options)
    order_id = DEMO_ORDER_IDS["licensespring"]
    body = {"metadata": {"source": "bench"}}
    with Sandbox() as sandbox:
        settings = sandbox.settings("licensespring")
        url = f"{settings['base_url']}/api/v1/orders/{order_id}/"
        headers = {"Authorization": f"Api-Key {settings['api_key']}"}
        config = orderpatch.Config.from_mapping({"vendor": "licensespring", **settings})
        changes = orderpatch.OrderChanges(metadata={"source": "bench"})
        floor_http = httpx.Client()

        def floor() -> object:
            return floor_http.patch(url, json=body, headers=headers).json()

        def facade() -> object:
            return orderpatch.update_order(order_id, changes, config=config)

        def client_per_call() -> object:
            with LicenseSpringClient(**settings) as client:
                return client.orders.update(order_id, OrderUpdate(metadata={"source": "bench"}))

        def httpx_per_call() -> object:
            with httpx.Client() as http:
                return http.patch(url, json=body, headers=headers).json()

        cases = {
            "raw httpx.Client, one pool (floor)": floor,
            "orderpatch.update_order() (pooled per configuration)": facade,
            "a new LicenseSpringClient per call": client_per_call,
            "a new httpx.Client per call": httpx_per_call,
        }
        timings = time_calls(cases, iterations=options.pick(100, 10), repeats=options.pick(7, 2), warmup=10)
        floor_http.close()  # the facade's pooled client is closed at exit
    table = Table("update_order() in a loop — loopback sandbox, LicenseSpring", ["client", "µs/call", "x floor"])
    base = next(iter(cases))
    for name in cases:
        table.add(name, f"{timings[name]:,.1f}", ratio(timings.paired(name, base)))
    table.notes.append("pooled: one TCP connection for all calls; per call: a connection (and pool) each time")
    table.notes.append("ratios: median over rounds of (case / floor) timed in the same round")
    table.print()
    save(options, SCRIPT, [table])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
