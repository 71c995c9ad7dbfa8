"""``python -m orderpatch.sandbox``: serve the sandbox in the foreground until Ctrl-C."""

from __future__ import annotations

import argparse
import importlib
import shlex
import sys
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from ._extra import INSTALL_HINT, SandboxExtraMissing, import_served

if TYPE_CHECKING:
    from ._runner import Sandbox

#: The program name when run as ``python -m orderpatch.sandbox``; ``orderpatch sandbox`` passes its own.
DEFAULT_PROG = "python -m orderpatch.sandbox"


def _parser(prog: str = DEFAULT_PROG) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Serve local emulators of the Commerce Layer, Spree, LicenseSpring and Trunkery "
        "order-update endpoints, with optional fault injection.",
        epilog=f"needs the 'sandbox' extra: {INSTALL_HINT}",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8765, help="port to listen on, 0 for any (default: %(default)s)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every vendor request")
    parser.add_argument("--rate-limit", type=int, default=None, help="requests per window before 429s (default: off)")
    parser.add_argument("--rate-window", type=float, default=1.0, help="rate-limit window in seconds (default: 1)")
    parser.add_argument("--error-rate", type=float, default=0.0, help="share (0..1) of requests answered with 503")
    parser.add_argument("--drop-rate", type=float, default=0.0, help="share (0..1) of connections dropped unanswered")
    parser.add_argument("--token-ttl", type=int, default=7200, help="lifetime of issued OAuth tokens in seconds")
    parser.add_argument("--vendor-limits", type=float, default=None, metavar="SCALE",
                        help="emulate each vendor's own rate limits, windows scaled by SCALE (1 = real; default: off)")
    parser.add_argument("--seed", type=int, default=None, help="seed for the random faults (default: unseeded)")
    return parser


def banner(sandbox: Sandbox) -> str:
    """What a client needs, ready to paste: per vendor its ``ORDERPATCH_*`` variables and demo order."""
    from ._app import VENDORS
    from ._credentials import DEMO_ORDER_IDS

    lines = [
        f"orderpatch sandbox listening on {sandbox.url} (admin: {sandbox.url}/_sandbox/)",
        "Paste one vendor's lines into a shell, then run the command shown under them.",
    ]
    for vendor in VENDORS:
        order_id = DEMO_ORDER_IDS.get(vendor)
        lines += ["", f"# {vendor}" + (f" (demo order {order_id})" if order_id else "")]
        lines.append(f"export ORDERPATCH_VENDOR={vendor}")
        for key, value in sandbox.settings(vendor).items():
            lines.append(f"export ORDERPATCH_{vendor.upper()}_{key.upper()}={shlex.quote(str(value))}")
        if order_id:
            lines.append(f"orderpatch check && orderpatch update {order_id} --set email=ada@example.com")
    lines += ["", "Press Ctrl-C to stop."]
    return "\n".join(lines)


def _wait_for_interrupt() -> None:
    """Block the main thread until Ctrl-C (KeyboardInterrupt)."""
    threading.Event().wait()


def main(argv: Sequence[str] | None = None, *, prog: str = DEFAULT_PROG, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    """Parse the options, print what a client needs, serve until Ctrl-C; returns the exit status."""
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    args = _parser(prog).parse_args(argv)
    try:
        runner = import_served(lambda: importlib.import_module("._runner", __package__))
    except SandboxExtraMissing as exc:
        print(f"{prog}: error: {exc}", file=stderr)
        return 2
    try:
        sandbox = runner.Sandbox(
            args.host,
            args.port,
            latency=args.latency,
            rate_limit=args.rate_limit,
            rate_window=args.rate_window,
            error_rate=args.error_rate,
            drop_rate=args.drop_rate,
            token_ttl=args.token_ttl,
            seed=args.seed,
            vendor_limits=args.vendor_limits,
        )
        sandbox.start()
    except (ValueError, OSError, RuntimeError) as exc:
        print(f"{prog}: error: {exc}", file=stderr)
        return 2
    try:
        print(banner(sandbox), file=stdout, flush=True)
        _wait_for_interrupt()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    return 0
