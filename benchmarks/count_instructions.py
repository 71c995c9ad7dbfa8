"""A second method beside the timing loops: instructions executed per call, counted by callgrind.

On a shared machine the clock (wall or CPU time) moves with the other processes' load and the
caches they thrash; the number of instructions a call executes does not. For each vendor this
runs the floor and orderpatch's sync client under ``valgrind --tool=callgrind``, twice per case
(a child process that builds the case and makes 50 warm-up calls, then 0 or ``--calls`` more
calls): the difference of the two totals, divided by ``--calls``, is the instructions of one
call, with start-up, imports and warm-up cancelled out. It prints them and the ratio to the floor.
Not a benchmark CI runs (it needs valgrind, and takes minutes per vendor).

    python benchmarks/count_instructions.py [--calls 200] [VENDOR ...]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _harness import Table, machine
from cases import VENDORS

HERE = Path(__file__).resolve().parent

#: The child: build the case, warm up, then ``calls`` calls.
CHILD = """
import sys
sys.path.insert(0, {here!r})
from orderpatch._http import httpx
from cases import load_case
case = load_case({vendor!r})
transport = httpx.MockTransport(case.handler())
if {which!r} == "floor":
    call = case.floor_sync(httpx.Client(transport=transport))
else:
    call = case.make_sync(httpx.Client(transport=transport)).update
for _ in range(50):
    call()
import gc
gc.collect()
gc.disable()  # a collection lands on different calls in the two runs: counted, it would be noise
for _ in range({calls}):
    call()
"""


def total(vendor: str, which: str, calls: int) -> int:
    """Instructions the whole child executed, from callgrind's summary."""
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp, "child.py")
        script.write_text(CHILD.format(here=str(HERE), vendor=vendor, which=which, calls=calls), encoding="utf-8")
        out = Path(tmp, "callgrind.out")
        command = [
            "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, str(script),
        ]  # fmt: skip
        subprocess.run(command, check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        for line in out.read_text(encoding="utf-8", errors="replace").splitlines():
            match = re.match(r"(?:summary|totals):\s+(\d+)", line)
            if match:
                return int(match.group(1))
    raise RuntimeError("callgrind wrote no summary")


def per_call(vendor: str, which: str, calls: int) -> float:
    """Instructions of one call: (total with ``calls`` calls - total without them) ÷ ``calls``."""
    return (total(vendor, which, calls) - total(vendor, which, 0)) / calls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("vendors", nargs="*", metavar="VENDOR", help=f"any of {', '.join(VENDORS)} (default: all)")
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    unknown = sorted(set(args.vendors) - set(VENDORS))
    if unknown:
        parser.error(f"unknown vendor(s) {unknown}; choose from {list(VENDORS)}")
    if shutil.which("valgrind") is None:
        print("skip: valgrind is not installed (apt-get install valgrind)")
        return 0
    print(f"## count_instructions — {args.calls} calls per case under callgrind\n\n{machine()}\n")
    table = Table("instructions per call (callgrind)", ["vendor", "floor", "orderpatch", "x floor"])
    for vendor in args.vendors or VENDORS:
        floor = per_call(vendor, "floor", args.calls)
        ours = per_call(vendor, "ours", args.calls)
        table.add(vendor, f"{floor:,.0f}", f"{ours:,.0f}", f"{ours / floor:.2f}x")
    table.notes.append("(instructions with N calls - without them) ÷ N; 50 warm-up calls, then gc off")
    table.print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
