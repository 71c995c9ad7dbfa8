"""``python -m orderpatch.sandbox``: serve the sandbox in the foreground until Ctrl-C."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Sequence

from ._app import VENDORS
from ._runner import Sandbox


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m orderpatch.sandbox",
        description="Serve local emulators of the Commerce Layer, Spree, LicenseSpring and Trunkery "
        "order-update endpoints, with optional fault injection.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8765, help="port to listen on, 0 for any (default: %(default)s)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every vendor request")
    parser.add_argument("--rate-limit", type=int, default=None, help="requests per window before 429s (default: off)")
    parser.add_argument("--rate-window", type=float, default=1.0, help="rate-limit window in seconds (default: 1)")
    parser.add_argument("--error-rate", type=float, default=0.0, help="share (0..1) of requests answered with 503")
    parser.add_argument("--drop-rate", type=float, default=0.0, help="share (0..1) of connections dropped unanswered")
    parser.add_argument("--token-ttl", type=int, default=7200, help="lifetime of issued OAuth tokens in seconds")
    parser.add_argument("--seed", type=int, default=None, help="seed for the random faults (default: unseeded)")
    return parser


def _wait_for_interrupt() -> None:
    """Block the main thread until Ctrl-C (KeyboardInterrupt)."""
    threading.Event().wait()


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options, print what a client needs, serve until Ctrl-C; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        sandbox = Sandbox(
            args.host,
            args.port,
            latency=args.latency,
            rate_limit=args.rate_limit,
            rate_window=args.rate_window,
            error_rate=args.error_rate,
            drop_rate=args.drop_rate,
            token_ttl=args.token_ttl,
            seed=args.seed,
        )
        sandbox.start()
    except (ValueError, OSError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        print(f"orderpatch sandbox listening on {sandbox.url} (admin: {sandbox.url}/_sandbox/)")
        for vendor in VENDORS:
            print(f"\n{vendor}:")
            for key, value in sandbox.settings(vendor).items():
                print(f"  {key} = {value}")
        print("\nPress Ctrl-C to stop.", flush=True)
        _wait_for_interrupt()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    return 0
