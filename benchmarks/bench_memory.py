"""Memory: RSS growth over 10,000 updates, and the size of one client.

* RSS growth: resident set size (``/proc/self/statm``) after 10,000 ``orders.update`` calls
  over ``httpx.MockTransport``, minus RSS after a warm-up, with a full ``gc.collect()`` at both
  ends; the raw httpx floor runs the same way beside it. A leak shows as growth that scales
  with the number of calls; a flat few hundred KiB is allocator noise (pymalloc arenas, the
  first pages a new object size touches). The second method, beside it: ``tracemalloc``'s
  traced bytes over as many further calls, which counts only Python objects still alive, so
  a leak of Python objects shows there too and allocator noise does not.
* Client size: ``tracemalloc`` bytes still allocated after building one client (the second one
  built, so one-time caches are not counted), with its own connection pool and with a given
  ``httpx.Client``; then after its first call (resources and token built). OpenSSL's
  certificate store lives outside Python's allocator and is not counted by ``tracemalloc``.

    python benchmarks/bench_memory.py [--quick] [--json PATH]
"""

from __future__ import annotations

import gc
import importlib
import os
import statistics
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from _harness import Options, Table, header, optional, parse_options, save
from cases import VENDORS, Case, load_case

from orderpatch._http import httpx  # the package in use: httpx, or httpx2 (ORDERPATCH_HTTP)

_CLIENTS = {
    "licensespring": ("orderpatch.licensespring", "LicenseSpringClient", {"api_key": "bench-key"}),
    "commercelayer": (
        "orderpatch.commercelayer",
        "CommerceLayerClient",
        {"organization": "bench", "client_id": "bench-id", "client_secret": "bench-secret"},
    ),
    "spree": (
        "orderpatch.spree",
        "SpreeClient",
        {"base_url": "https://shop.spree.test", "client_id": "bench-id", "client_secret": "bench-secret"},
    ),
    "spree_admin": (
        "orderpatch.spree_admin",
        "SpreeAdminClient",
        {"base_url": "https://admin.spree.test", "api_key": "sk_bench_key"},
    ),
    "trunkery": ("orderpatch.trunkery", "TrunkeryClient", {"token": "bench-token", "shop_id": "sh_EQzGqWoY"}),
}


def rss_kib() -> float:
    """The current resident set size in KiB (Linux); peak RSS elsewhere."""
    statm = Path("/proc/self/statm")
    if statm.exists():
        return int(statm.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024
    import resource

    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def growth(update: Callable[[], object], calls: int) -> tuple[float, float]:
    """(RSS growth in KiB over ``calls`` updates after a warm-up, the same per 1,000 calls)."""
    for _ in range(min(200, calls)):
        update()
    gc.collect()
    before = rss_kib()
    for _ in range(calls):
        update()
    gc.collect()
    grown = rss_kib() - before
    return grown, grown / calls * 1000


def traced_size(build: Callable[[], object], *, repeats: int = 1) -> tuple[float, object]:
    """Bytes allocated (and still held) while building an object with ``build`` (median of ``repeats``).

    Process-wide caches that fill as calls go by (msgspec's cache of decoded keys, bounded) make
    single measurements of a client that has made a call scatter by ~10 KiB; the median does not.
    """
    build()  # the first one may fill one-time caches
    sizes, obj = [], None
    for _ in range(repeats):
        gc.collect()
        tracemalloc.start()
        try:
            start = tracemalloc.get_traced_memory()[0]
            obj = build()
            gc.collect()
            sizes.append(tracemalloc.get_traced_memory()[0] - start)
        finally:
            tracemalloc.stop()
    return statistics.median(sizes), obj


_RSS_SNIPPET = """
import gc, os
{setup}
def rss():
    return int(open('/proc/self/statm').read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 1024
build = lambda: {build}
build()
gc.collect()
before = rss()
kept = [build() for _ in range({count})]
gc.collect()
print((rss() - before) / {count})
"""


def rss_per_object(setup: str, build: str, count: int = 10) -> str:
    """RSS growth per object (KiB) while ``count`` are built and kept, in a fresh interpreter.

    Unlike ``tracemalloc`` this counts C memory (OpenSSL's certificate store of each SSL context).
    """
    if not Path("/proc/self/statm").exists():
        return "n/a"
    code = _RSS_SNIPPET.format(setup=setup, build=build, count=count)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return "error: " + done.stderr.strip().splitlines()[-1][:80]
    return f"{float(done.stdout.split()[-1]):,.0f}"


def kib(value: float) -> str:
    return f"{value / 1024:,.1f}"


def size_table(cases: list[Case], options: Options) -> Table:
    table = Table(
        "size of one client (KiB held after building it)", ["client", "tracemalloc KiB", "RSS KiB (incl. OpenSSL)"]
    )
    size, _ = traced_size(httpx.Client)
    table.add("httpx.Client() (floor: a connection pool)", kib(size), rss_per_object("import httpx", "httpx.Client()"))
    for case in cases:
        module_name, class_name, settings = _CLIENTS[case.vendor]
        cls = getattr(importlib.import_module(module_name), class_name)

        def build(cls: type = cls, settings: dict[str, str] = settings) -> object:
            return cls(**settings)

        own, _ = traced_size(build)
        rss = rss_per_object(f"from {module_name} import {class_name}", f"{class_name}(**{settings!r})")
        table.add(f"orderpatch {class_name} (own pool)", kib(own), rss)
        http = httpx.Client(transport=httpx.MockTransport(case.handler()))

        def wrap(cls: type = cls, settings: dict[str, str] = settings, http: httpx.Client = http) -> object:
            return cls(**settings, http_client=http)

        shell, _ = traced_size(wrap)
        table.add(f"orderpatch {class_name} (given httpx.Client)", kib(shell), "—")

        def after_first_call(case: Case = case) -> object:
            ours = case.make_sync(httpx.Client(transport=httpx.MockTransport(case.handler())))
            ours.update()
            return ours

        repeats = options.pick(9, 1)
        used, _ = traced_size(after_first_call, repeats=repeats)
        table.add(f"orderpatch {class_name} + its pool, after one update (median of {repeats})", kib(used), "—")
    openai = optional("openai", what="openai client size")
    if openai is not None:
        size, _ = traced_size(lambda: openai.OpenAI(api_key="sk-bench"))
        rss = rss_per_object("import openai", "openai.OpenAI(api_key='sk-bench')")
        table.add("openai.OpenAI() (own httpx2 pool)", kib(size), rss)
    stripe = optional("stripe", what="stripe client size")
    if stripe is not None:
        size, _ = traced_size(lambda: stripe.StripeClient("sk_test_bench"))
        rss = rss_per_object("import stripe", "stripe.StripeClient('sk_test_bench')")
        table.add("stripe.StripeClient() (HTTP session made on first call)", kib(size), rss)
    generated = optional("commercelayer.client", what="generated commercelayer client size")
    if generated is not None:
        size, _ = traced_size(lambda: generated.AuthenticatedClient(base_url="https://b.commercelayer.io", token="t"))
        table.add("generated commercelayer AuthenticatedClient (no pool: httpx.request per call)", kib(size), "—")
    return table


def traced_growth(update: Callable[[], object], calls: int) -> float:
    """KiB of Python objects still allocated after ``calls`` further updates (``tracemalloc``)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(calls):
            update()
        gc.collect()
        return (tracemalloc.get_traced_memory()[0] - before) / 1024
    finally:
        tracemalloc.stop()


def main() -> int:
    options = parse_options(__doc__)
    header("bench_memory", options)
    calls = options.pick(10_000, 300)
    cases = [load_case(vendor) for vendor in VENDORS]
    table = Table(
        f"RSS growth over {calls:,} updates (MockTransport)",
        ["vendor", "client", "KiB", "KiB / 1,000 calls", f"traced KiB, {calls:,} more"],
    )
    for case in cases:
        for name, update in (
            ("raw httpx + json (floor)", case.floor_sync(httpx.Client(transport=httpx.MockTransport(case.handler())))),
            ("orderpatch", case.make_sync(httpx.Client(transport=httpx.MockTransport(case.handler()))).update),
        ):
            grown, per_1000 = growth(update, calls)
            table.add(case.vendor, name, f"{grown:,.0f}", f"{per_1000:,.1f}", f"{traced_growth(update, calls):,.1f}")
    table.notes.append(f"RSS after the run: {rss_kib() / 1024:,.1f} MiB")
    table.notes.append("traced KiB: Python objects still alive after the further calls (tracemalloc); a leak grows "
                       "both columns with the number of calls, allocator noise only the RSS one")
    table.print()
    sizes = size_table(cases, options)
    sizes.print()
    save(options, "bench_memory", [table, sizes])
    return 0


if __name__ == "__main__":
    sys.exit(main())
