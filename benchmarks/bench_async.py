"""Async throughput: 1,000 order updates, 50 at a time, against a loopback uvicorn server.

The server is a tiny ASGI app of this script, run by uvicorn in a child process bound to
127.0.0.1 (so it has its own core and GIL): it drains each request and answers with the
vendor's seed response, and answers the OAuth2 token paths with a token. orderpatch's async
client and raw ``httpx.AsyncClient`` (``json.dumps`` body, ``response.json()``) send the same
requests, on the same kind of connection pool (``httpx.AsyncClient()`` defaults), in turns.

Two methods in one run: throughput (updates per second, what the target is about) and this
process's CPU time per update (``time.process_time``; the server is another process), which
does not move when the server or the machine is slow for a moment. Where the client's core is
the bottleneck the two ratios agree; where they do not, the throughput figure is the one to distrust.

    python benchmarks/bench_async.py [--quick] [--vendor NAME ...] [--json PATH]
"""

from __future__ import annotations

import asyncio
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

from _harness import Table, header, median, parse_options, ratio, save, skip
from cases import VENDORS, Case, load_case, token_body
from payloads import payload

from orderpatch._http import httpx  # the package in use: httpx, or httpx2 (ORDERPATCH_HTTP)

#: The target (issue #14): orderpatch's async throughput at least this share of raw httpx.AsyncClient's.
TARGET_SHARE = 0.9
#: Seconds uvicorn keeps an idle connection open. Its default (5 s) is shorter than a round on
#: a loaded machine: the client waiting its turn then sends on a connection the server is
#: closing, and the round dies with ``httpx.ReadError`` (what a loaded run hit on 12-01).
KEEP_ALIVE = 600
CONCURRENCY = 50
#: Update paths of each vendor, as the server routes them (prefix match).
ROUTES = {
    "/api/v1/orders/": "licensespring",
    "/api/orders/": "commercelayer",
    "/api/v2/platform/orders/": "spree",
    "/api/v3/admin/orders/": "spree_admin",
    "/orders.json": "trunkery",
}
TOKEN_PATHS = ("/oauth/token", "/spree_oauth/token")


# --- the server (child process) ----------------------------------------------------------------


def make_app() -> Callable[..., Awaitable[None]]:
    """The ASGI app: drain the body, answer the token or the vendor's seed response."""
    bodies = {vendor: payload(vendor).body for vendor in VENDORS}
    token = token_body()

    async def app(scope: dict[str, Any], receive: Callable[[], Awaitable[dict[str, Any]]], send: Any) -> None:
        if scope["type"] != "http":
            return
        while (await receive()).get("more_body", False):
            pass
        path: str = scope["path"]
        if path in TOKEN_PATHS:
            body, status = token, 200
        else:
            vendor = next((v for prefix, v in ROUTES.items() if path.startswith(prefix)), None)
            body, status = (bodies[vendor], 200) if vendor else (b'{"message": "no route"}', 404)
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


def serve() -> None:
    """Child process: bind a free loopback port, print it, serve until terminated."""
    import uvicorn

    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted sockets only when the listening
    # socket says it is TCP; without it, Nagle + delayed ACK stall every response by ~40 ms.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1], flush=True)
    config = uvicorn.Config(
        make_app(), log_level="warning", access_log=False, lifespan="off", backlog=1024, timeout_keep_alive=KEEP_ALIVE
    )
    uvicorn.Server(config).run(sockets=[sock])


class LoopbackServer:
    """The child server process, started and stopped by this script only."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve"], stdout=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if not line.isdigit():
            self.stop()
            raise RuntimeError("the loopback server did not start")
        self.base = f"http://127.0.0.1:{line}"
        deadline = time.monotonic() + 10
        while True:
            try:
                httpx.get(f"{self.base}/ready", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --- the clients ---------------------------------------------------------------------------------


async def run_updates(update: Callable[[], Awaitable[object]], total: int) -> tuple[float, list[float], float]:
    """Run ``total`` updates, ``CONCURRENCY`` at a time: (updates per second, latencies in ms, CPU µs per update)."""
    remaining = total
    latencies: list[float] = []

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            start = time.perf_counter()
            await update()
            latencies.append((time.perf_counter() - start) * 1000)

    start, cpu = time.perf_counter(), time.process_time()
    async with asyncio.TaskGroup() as group:  # one failure cancels the other workers
        for _ in range(CONCURRENCY):
            group.create_task(worker())
    return total / (time.perf_counter() - start), latencies, (time.process_time() - cpu) / total * 1e6


#: Times a round that died of a transport error (the server side of a loaded machine) is run again.
ROUND_RETRIES = 2


async def timed_round(
    name: str, update: Callable[[], Awaitable[object]], total: int, notes: list[str]
) -> tuple[float, list[float], float]:
    """``run_updates``, run again (and said so in ``notes``) when a transport error ended it."""
    for attempt in range(ROUND_RETRIES + 1):
        try:
            return await run_updates(update, total)
        except* httpx.TransportError as group:
            if attempt == ROUND_RETRIES:
                raise
            notes.append(f"{name}: a round ended in {type(group.exceptions[0]).__name__}; run again")
    raise AssertionError("unreachable")  # pragma: no cover


async def bench_vendor(
    case: Case, total: int, rounds: int, notes: list[str] | None = None
) -> dict[str, tuple[float, float, float, float]]:
    """``{client: (updates/s, p50 ms, p95 ms, CPU µs per update)}``, medians over rounds; the clients take turns."""
    notes = [] if notes is None else notes
    async with httpx.AsyncClient() as raw_http, httpx.AsyncClient() as our_http:
        clients: dict[str, Callable[[], Awaitable[object]]] = {
            "raw httpx.AsyncClient + json (floor)": case.floor_async(raw_http),
            "orderpatch async": case.make_async(our_http).update,
        }
        for update in clients.values():  # connections, token, hooks
            await run_updates(update, min(total, CONCURRENCY * 2))
        samples: dict[str, list[tuple[float, float, float, float]]] = {name: [] for name in clients}
        for index in range(rounds):
            order = list(clients.items()) if index % 2 == 0 else list(reversed(clients.items()))
            for name, update in order:
                rate, latencies, cpu = await timed_round(f"{case.vendor} {name}", update, total, notes)
                cuts = statistics.quantiles(latencies, n=20)
                samples[name].append((rate, cuts[9], cuts[18], cpu))
    return {
        name: (
            median([s[0] for s in values]), median([s[1] for s in values]), median([s[2] for s in values]),
            median([s[3] for s in values]),
        )
        for name, values in samples.items()
    }


def main() -> int:
    if "--serve" in sys.argv:
        serve()
        return 0
    options = parse_options(__doc__)
    header("bench_async", options)
    try:
        import uvicorn  # noqa: F401
    except ImportError:
        skip("async throughput", "uvicorn is not installed (pip install -e '.[sandbox]'); nothing to measure against")
        return 0
    unknown = set(options.vendors) - set(VENDORS)
    if unknown:
        raise SystemExit(f"--vendor: expected any of {', '.join(VENDORS)}, got {', '.join(sorted(unknown))}")
    total, rounds = options.pick(1000, 100), options.pick(5, 1)
    server = LoopbackServer()
    summary = Table(
        f"async throughput — {total:,} updates, concurrency {CONCURRENCY}, loopback uvicorn (median of {rounds})",
        ["vendor", "client", "updates/s", "p50 ms", "p95 ms", "x raw", "CPU µs/update", "x raw CPU"],
    )
    shares: dict[str, float] = {}
    try:
        for vendor in [v for v in VENDORS if not options.vendors or v in options.vendors]:
            case = load_case(vendor, base=server.base)
            result = asyncio.run(bench_vendor(case, total, rounds, summary.notes))
            floor = result["raw httpx.AsyncClient + json (floor)"]
            raw, raw_cpu = floor[0], floor[3]
            for name, (rate, p50, p95, cpu) in result.items():
                summary.add(vendor, name, f"{rate:,.0f}", f"{p50:.1f}", f"{p95:.1f}", ratio(rate, raw),
                            f"{cpu:,.1f}", ratio(cpu, raw_cpu))
            shares[vendor] = result["orderpatch async"][0] / raw
    finally:
        server.stop()
    summary.notes.append("x raw CPU: this process's CPU time per update against the floor's (lower is better); "
                         "throughput is the target's measure, CPU time the check on it")
    for vendor, share in shares.items():
        met = "met" if share >= TARGET_SHARE else "MISSED"
        summary.notes.append(
            f"target: orderpatch ≥ {TARGET_SHARE}x raw httpx.AsyncClient on {vendor}: {share:.2f}x — {met}"
        )
    summary.print()
    save(options, "bench_async", [summary])
    return 0


if __name__ == "__main__":
    sys.exit(main())
