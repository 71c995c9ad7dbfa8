"""Both floors: raw httpx and raw httpx2, and orderpatch on each, side by side.

For each HTTP package that is installed, ``bench_per_call.py`` (one update over
``MockTransport``) and ``bench_async.py`` (1,000 updates against a loopback uvicorn server) run
in a child process with ``ORDERPATCH_HTTP=<package>``: the floor and orderpatch in that child
are both that package's. A package that is not installed is skipped, saying so; CI runs this
script in both of its virtualenvs (httpx alone, httpx2 alone).

    python benchmarks/bench_http_packages.py [--quick] [--json PATH]
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from _harness import Options, Table, header, parse_options, ratio, save, skip, time_calls

HERE = Path(__file__).resolve().parent
PACKAGES = ("httpx", "httpx2")
Row = list[str]


def run_child(script: str, package: str, quick: bool) -> list[Row] | None:
    """The rows of the child's last (summary) table, or None (printing why) when it failed."""
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "result.json"
        command = [sys.executable, str(HERE / script), "--json", str(out), *(["--quick"] if quick else [])]
        env = {**os.environ, "ORDERPATCH_HTTP": package}
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=1800)
        if done.returncode != 0 or not out.exists():
            tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
            skip(f"{script} on {package}", f"it failed: {tail}")
            return None
        tables = json.loads(out.read_text(encoding="utf-8"))["tables"]
        if not tables:  # the child skipped everything (e.g. no uvicorn), and said so
            skip(f"{script} on {package}", (done.stdout.strip().splitlines() or ["nothing measured"])[-1])
            return None
        rows: list[Row] = tables[-1]["rows"]
        return rows


_ANSWER = json.dumps(
    {"id": 7, "status": "placed", "lines": [{"sku": f"SKU-{i}", "quantity": i, "price": "9.90"} for i in range(20)]}
).encode()
_BODY = {"status": "approved", "metadata": {"source": "bench"}}


def raw_floor(package: str) -> Callable[[], object]:
    """One PATCH with a JSON body and a parsed JSON answer, on ``package`` over its MockTransport."""
    module = importlib.import_module(package)
    answer = module.Response(200, content=_ANSWER, headers={"Content-Type": "application/json"})
    client = module.Client(transport=module.MockTransport(lambda request: answer))

    def call() -> object:
        response = client.patch("https://shop.example.com/orders/7", content=json.dumps(_BODY).encode(),
                                headers={"Content-Type": "application/json"})
        return response.json()

    return call


def paired_floors(options: Options) -> Table:
    """Both raw floors timed in one process, taking turns round by round: a paired ratio."""
    names = {f"raw {p} + json": p for p in PACKAGES}
    us = time_calls({name: raw_floor(p) for name, p in names.items()},
                    iterations=options.pick(3000, 300), repeats=options.pick(9, 3), warmup=options.pick(300, 30))
    table = Table("the two floors in one process (MockTransport, sync, µs per call; rounds interleaved)",
                  ["floor", "µs/call", "x httpx"])
    first = next(iter(names))
    for name in names:
        table.add(name, f"{us[name]:,.1f}", ratio(us.paired(name, first)))
    table.notes.append("median over rounds of (this floor / the httpx floor) timed in the same round")
    return table


def version_of(package: str) -> str:
    code = f"import {package}; print({package}.__version__)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    return done.stdout.strip() or "?"


def main() -> int:
    options = parse_options(__doc__)
    header("bench_http_packages", options)
    installed = [p for p in PACKAGES if importlib.util.find_spec(p) is not None]
    for package in PACKAGES:
        if package not in installed:
            skip(f"the {package} columns", f"{package} is not installed in this virtualenv")
    versions = {p: version_of(p) for p in installed}
    per_call: dict[str, dict[str, Row]] = {}
    loopback: dict[str, dict[str, dict[str, Row]]] = {}
    for package in installed:
        rows = run_child("bench_per_call.py", package, options.quick)
        if rows is not None:  # vendor, floor µs, orderpatch µs, orderpatch x, ...
            per_call[package] = {row[0]: row for row in rows}
        rows = run_child("bench_async.py", package, options.quick)
        if rows is not None:  # vendor, client, updates/s, p50, p95, x raw
            loopback[package] = {}
            for row in rows:
                kind = "floor" if "(floor)" in row[1] else "orderpatch" if row[1] == "orderpatch async" else None
                if kind is not None:
                    loopback[package].setdefault(row[0], {})[kind] = row
    names = [f"{p} {versions[p]}" for p in installed]
    tables: list[Table] = [paired_floors(options)] if len(installed) == len(PACKAGES) else []
    calls = Table(
        "per call over MockTransport (sync, µs): each package's raw floor, and orderpatch on it",
        ["vendor", *(f"{n} {what}" for n in names for what in ("floor", "orderpatch (x floor)"))]
        + (["httpx2 floor / httpx floor"] if len(per_call) == 2 else []),
    )
    vendors = sorted({v for rows in per_call.values() for v in rows})
    for vendor in vendors:
        cells: list[str] = []
        for package in installed:
            found = per_call.get(package, {}).get(vendor)
            cells += [found[1], f"{found[2]} ({found[3]})"] if found else ["—", "—"]
        if len(per_call) == 2:
            floors = [float(per_call[p][vendor][1].replace(",", "")) for p in PACKAGES]
            cells.append(f"{floors[1] / floors[0]:.2f}x")
        calls.add(vendor, *cells)
    calls.notes.append("each column measured in its own process with ORDERPATCH_HTTP set to the package")
    tables.append(calls)
    async_table = Table(
        "async throughput against loopback uvicorn (updates/s): each package's raw AsyncClient floor, and orderpatch",
        ["vendor", *(f"{n} {what}" for n in names for what in ("floor", "orderpatch (x floor)"))],
    )
    for vendor in sorted({v for rows in loopback.values() for v in rows}):
        cells = []
        for package in installed:
            pair = loopback.get(package, {}).get(vendor, {})
            floor, ours = pair.get("floor"), pair.get("orderpatch")
            cells += [floor[2] if floor else "—", f"{ours[2]} ({ours[5]})" if ours else "—"]
        async_table.add(vendor, *cells)
    tables.append(async_table)
    for table in tables:
        table.print()
    save(options, "bench_http_packages", tables)
    return 0


if __name__ == "__main__":
    sys.exit(main())
