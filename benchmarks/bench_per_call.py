"""Per-call overhead: one ``orders.update`` through ``httpx.MockTransport``, per vendor.

Compared, in the same run: the floor (raw httpx + ``json.dumps`` body + ``response.json()``),
orderpatch's sync and async clients, raw httpx + a pydantic v2 model of the answer, and for
Commerce Layer the generated client on PyPI (``commercelayer==3.0.4``). A second table per
vendor isolates decoding the answer (no HTTP). Timings are medians of several runs of a loop.

    python benchmarks/bench_per_call.py [--quick] [--cpu-time] [--json PATH] [--vendor NAME ...]
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from _harness import (
    Options,
    Table,
    atime_calls,
    floor_check,
    header,
    optional,
    parse_options,
    ratio,
    save,
    skip,
    time_calls,
)
from alternatives import generated_commercelayer, generated_commercelayer_parse, pydantic_adapter
from cases import VENDORS, Case, check_same_request, load_case

from orderpatch._http import httpx  # the package in use: httpx, or httpx2 (ORDERPATCH_HTTP)
from orderpatch._spec import decode_json

#: Keys whose string values the vendor documents as decimal amounts (parsed to ``Decimal``).
DECIMAL_KEYS = {
    "spree": (
        "item_total", "total", "adjustment_total", "payment_total", "shipment_total", "additional_tax_total",
        "promo_total", "included_tax_total", "taxable_adjustment_total", "non_taxable_adjustment_total",
    ),
    "spree_admin": (
        "item_total", "adjustment_total", "discount_total", "tax_total", "included_tax_total", "additional_tax_total",
        "total", "gift_card_total", "amount_due", "delivery_total", "store_credit_total", "payment_total",
    ),
}  # fmt: skip
#: What "a caller who reads the order's status and number" reads, per vendor (issue #14's decode target).
STATUS_AND_NUMBER = {
    "commercelayer": ("status", "number"),
    "spree": ("state", "number"),
    "spree_admin": ("status", "number"),
    "trunkery": ("state", "number"),
    "licensespring": ("type", "id"),  # no status or number: the kind of order and its id
}
FLOOR = "raw httpx + json (floor)"
ASYNC_FLOOR = "raw httpx.AsyncClient + json (floor)"
#: The per-call target: orderpatch within this factor of the floor on the Commerce Layer payload.
TARGET_VENDOR, TARGET_RATIO = "commercelayer", 1.3


def fmt(us: float) -> str:
    return f"{us:,.1f}"


def bench_vendor(case: Case, options: Options, pydantic: Any) -> tuple[list[Table], dict[str, float]]:
    """The per-call and decode-only tables of one vendor, and the numbers the summary needs."""
    # Many short rounds in turn: paired ratios then hold even when the machine's speed drifts.
    iterations, repeats, warmup = options.pick(400, 40), options.pick(25, 3), options.pick(200, 10)
    transport = httpx.MockTransport(case.handler())
    ours = case.make_sync(httpx.Client(transport=transport))
    problem = check_same_request(case)
    sync: dict[str, Callable[[], object]] = {
        FLOOR: case.floor_sync(httpx.Client(transport=transport)),
        "orderpatch": ours.update,
    }
    adapter = None
    if pydantic is not None:
        adapter = pydantic_adapter(
            pydantic, json.loads(case.payload.body), name=f"{case.vendor.title()}Doc",
            decimal_keys=DECIMAL_KEYS.get(case.vendor, ()),
        )  # fmt: skip
        sync["raw httpx + pydantic v2 model"] = _pydantic_update(case, httpx.Client(transport=transport), adapter)
    slow: dict[str, Callable[[], object]] = {}
    if case.vendor == "commercelayer":
        generated = generated_commercelayer(case)
        if generated is not None:
            sync["generated commercelayer 3.0.4 (shared pool)"] = generated["shared pool"]
            # A new httpx.Client and SSL context per call: milliseconds each, so far fewer iterations.
            slow["generated commercelayer 3.0.4 (as shipped)"] = generated["as shipped"]
    sync_us = time_calls(sync, iterations=iterations, repeats=repeats, warmup=warmup)
    if slow:  # timed beside the floor again, so that its ratio is paired too
        slow[FLOOR] = sync[FLOOR]
        slow_us = time_calls(slow, iterations=options.pick(10, 3), repeats=options.pick(7, 3), warmup=2)
        sync_us.merge(slow_us, baseline=FLOOR)
    # The check that the floor of this table is the floor: the same loop timed on its own.
    floor_alone = time_calls(
        {FLOOR: case.floor_sync(httpx.Client(transport=transport))},
        iterations=iterations, repeats=options.pick(5, 2), warmup=warmup,
    )[FLOOR]  # fmt: skip

    async_floor = case.floor_async(httpx.AsyncClient(transport=httpx.MockTransport(case.handler())))
    async_ours = case.make_async(httpx.AsyncClient(transport=httpx.MockTransport(case.handler())))
    async_us = atime_calls(
        {ASYNC_FLOOR: async_floor, "orderpatch async": async_ours.update},
        iterations=iterations, repeats=repeats, warmup=warmup,
    )  # fmt: skip
    async_floor_alone = atime_calls(
        {ASYNC_FLOOR: case.floor_async(httpx.AsyncClient(transport=httpx.MockTransport(case.handler())))},
        iterations=iterations, repeats=options.pick(5, 2), warmup=warmup,
    )[ASYNC_FLOOR]  # fmt: skip

    table = Table(f"per call — {case.vendor}", ["client", "µs/call", "x floor"])
    for name, us in sync_us.items():
        table.add(name, fmt(us), ratio(sync_us.paired(name, FLOOR)))
    for name, us in async_us.items():
        table.add(name, fmt(us), ratio(async_us.paired(name, ASYNC_FLOOR)))
    table.notes.append(case.payload.describe())
    checks = [
        floor_check(FLOOR, sync_us[FLOOR], floor_alone),
        floor_check(ASYNC_FLOOR, async_us[ASYNC_FLOOR], async_floor_alone),
    ]
    table.notes += checks
    if problem:
        table.notes.append(f"WARNING: orderpatch's request differs from the floor's: {problem}")

    decode = decode_table(case, adapter, options)
    numbers = {"floor": sync_us[FLOOR], "ours": sync_us["orderpatch"], "ours x": sync_us.paired("orderpatch", FLOOR)}
    numbers["async x"] = async_us.paired("orderpatch async", ASYNC_FLOOR)
    drifts = (sync_us[FLOOR] / floor_alone, async_us[ASYNC_FLOOR] / async_floor_alone)
    numbers["floor drift"] = max(abs(drift - 1) for drift in drifts)
    for name in sync_us:
        if name.startswith("raw httpx + pydantic"):
            numbers["pydantic x"] = sync_us.paired(name, FLOOR)
        if name.endswith("(shared pool)"):
            numbers["generated x"] = sync_us.paired(name, FLOOR)
    return [table, decode], numbers


def _pydantic_update(case: Case, http: httpx.Client, adapter: Any) -> Callable[[], object]:
    method, url, body, headers = case.method, case.url, case.body, case.headers

    def update() -> object:
        response = http.request(method, url, content=json.dumps(body), headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"unexpected status {response.status_code}")
        return adapter.validate_json(response.content)

    return update


def decode_table(case: Case, adapter: Any, options: Options) -> Table:
    """Decoding the answer alone: ``json.loads`` vs orderpatch's parser vs the alternatives."""
    content = case.payload.body
    parse = case.parse
    headers = httpx.Headers({"content-type": case.content_type})
    decoders: dict[str, Callable[[], object]] = {
        "json.loads (floor)": lambda: json.loads(content),
        "orderpatch: decode_json + parse": lambda: parse(decode_json(content, headers)),
    }
    if case.read is not None:  # the client's way for this vendor: the typed read of the bytes
        decoders["orderpatch: read from the bytes"] = lambda: case.decode(content, headers)
    first, second = STATUS_AND_NUMBER[case.vendor]

    def read_two() -> object:
        order = case.decode(content, headers)
        return getattr(order, first), getattr(order, second)

    decoders[f"orderpatch: … + read {first}, {second}"] = read_two
    if adapter is not None:
        decoders["pydantic v2: validate_json"] = lambda: adapter.validate_json(content)

        def pydantic_two() -> object:
            model = adapter.validate_json(content)  # the model's fields are the JSON keys prefixed "f_"
            if isinstance(model, list):
                model = model[0]
            data = getattr(model, "f_data", None)
            source = model if data is None else data.f_attributes
            return getattr(source, f"f_{first}"), getattr(source, f"f_{second}")

        decoders[f"pydantic v2: … + read {first}, {second}"] = pydantic_two
    if case.vendor == "commercelayer":
        generated = generated_commercelayer_parse()
        if generated is not None:
            decoders["generated 3.0.4: json.loads + from_dict"] = lambda: generated(content)
    us = time_calls(
        decoders, iterations=options.pick(1000, 50), repeats=options.pick(25, 3), warmup=options.pick(200, 10)
    )
    table = Table(f"decoding the answer only — {case.vendor}", ["decoder", "µs/call", "x json.loads"])
    for name, value in us.items():
        table.add(name, fmt(value), ratio(us.paired(name, "json.loads (floor)")))
    return table


def main() -> int:
    options = parse_options(__doc__)
    header("bench_per_call", options)
    pydantic = optional("pydantic", what="the pydantic v2 rows")
    if pydantic is not None and not str(getattr(pydantic, "VERSION", "")).startswith("2."):
        skip("the pydantic v2 rows", f"pydantic {pydantic.VERSION} is installed, not v2")
        pydantic = None
    tables: list[Table] = []
    summary = Table(
        "per call — summary (sync; ratio to the raw httpx floor of the same vendor)",
        ["vendor", "floor µs", "orderpatch µs", "orderpatch x", "async x", "pydantic x", "generated x"],
    )
    target = None
    unknown = set(options.vendors) - set(VENDORS)
    if unknown:
        raise SystemExit(f"--vendor: expected any of {', '.join(VENDORS)}, got {', '.join(sorted(unknown))}")
    for vendor in VENDORS:
        if options.vendors and vendor not in options.vendors:
            continue
        case = load_case(vendor)
        vendor_tables, n = bench_vendor(case, options, pydantic)
        for table in vendor_tables:
            table.print()
        tables += vendor_tables
        pyd, gen = n.get("pydantic x"), n.get("generated x")
        summary.add(
            vendor, fmt(n["floor"]), fmt(n["ours"]), ratio(n["ours x"]), ratio(n["async x"]),
            "—" if pyd is None else ratio(pyd), "—" if gen is None else ratio(gen),
        )  # fmt: skip
        if vendor == TARGET_VENDOR:
            target = n
        if n["floor drift"] > 0.25:
            summary.notes.append(f"WARNING: {vendor}'s floor differs from the floor timed alone (see its floor check)")
    if target is not None:
        value = target["ours x"]
        met = "met" if value <= TARGET_RATIO else "MISSED"
        summary.notes.append(f"target: orderpatch ≤ {TARGET_RATIO}x floor on {TARGET_VENDOR}: {value:.2f}x — {met}")
        for label, key in (("pydantic v2", "pydantic x"), ("generated commercelayer (shared pool)", "generated x")):
            if key in target:
                faster = "met" if value < target[key] else "MISSED"
                summary.notes.append(
                    f"target: faster than {label} on {TARGET_VENDOR}: {value:.2f}x vs {target[key]:.2f}x the floor"
                    f" — {faster}"
                )
            else:
                summary.notes.append(f"target: faster than {label}: not measured (package not installed)")
    summary.notes.append("ratios: median over rounds of (client / floor) timed in the same round")
    summary.print()
    save(options, "bench_per_call", [*tables, summary])
    return 0


if __name__ == "__main__":
    sys.exit(main())
