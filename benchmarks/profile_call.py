"""Profile one vendor's ``orders.update`` over ``httpx.MockTransport`` with pyinstrument (or cProfile).

Not a benchmark (CI does not run it): the tool behind the profiles in docs/performance.md.

    python benchmarks/profile_call.py commercelayer [--calls 3000] [--async] [--cprofile]
    python benchmarks/profile_call.py commercelayer --parse       # the answer's parser alone
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import importlib
import json
import pstats
import sys
from collections.abc import Callable

from cases import VENDORS, load_case

from orderpatch._http import httpx  # the package in use: httpx, or httpx2 (ORDERPATCH_HTTP)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("vendor", choices=VENDORS)
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--async", dest="use_async", action="store_true", help="profile the async client")
    parser.add_argument("--parse", action="store_true", help="profile only the parser of the answer")
    parser.add_argument("--cprofile", action="store_true", help="cProfile (by own time) instead of pyinstrument")
    args = parser.parse_args()
    case = load_case(args.vendor)
    if args.parse:
        doc = json.loads(case.payload.body)

        def run() -> None:
            for _ in range(args.calls):
                case.parse(doc)

    elif args.use_async:
        update_async = case.make_async(httpx.AsyncClient(transport=httpx.MockTransport(case.handler()))).update

        def run() -> None:
            async def loop() -> None:
                for _ in range(args.calls):
                    await update_async()

            asyncio.run(loop())

    else:
        update = case.make_sync(httpx.Client(transport=httpx.MockTransport(case.handler()))).update

        def run() -> None:
            for _ in range(args.calls):
                update()

    run()  # warm-up: hooks, token, caches
    profile(run, use_cprofile=args.cprofile)
    return 0


def profile(run: Callable[[], None], *, use_cprofile: bool) -> None:
    if not use_cprofile:
        try:
            pyinstrument = importlib.import_module("pyinstrument")
        except ImportError:
            print("pyinstrument is not installed (pip install pyinstrument); using cProfile", file=sys.stderr)
        else:
            profiler = pyinstrument.Profiler(interval=0.0001)
            profiler.start()
            run()
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False))
            return
    prof = cProfile.Profile()
    prof.enable()
    run()
    prof.disable()
    pstats.Stats(prof).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    sys.exit(main())
