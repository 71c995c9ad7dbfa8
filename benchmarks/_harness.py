"""Plumbing shared by the benchmark scripts: arguments, timing loops, tables and optional packages.

Every script measures its baseline in the same run as what it compares, so ratios hold on any
machine; absolute numbers only describe the machine they were taken on (see the header line).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import importlib
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

__all__ = [
    "REPO",
    "SHARED",
    "Options",
    "Table",
    "Timings",
    "atime_calls",
    "floor_check",
    "machine",
    "median",
    "optional",
    "parse_options",
    "ratio",
    "skip",
    "time_calls",
]

#: The clock of the timing loops: wall time unless ``--cpu-time`` is given.
_clock = time.perf_counter_ns
#: The repository root (benchmarks/ lives directly below it).
REPO = Path(__file__).resolve().parents[1]
#: ../shared beside the repository: the vendors' seed files, read in place when present.
SHARED = REPO.parent / "shared"


@dataclass(frozen=True)
class Options:
    """The command line every script takes."""

    quick: bool
    json_path: Path | None
    #: Time loops in CPU time of this process instead of wall time (steadier on a shared machine).
    cpu_time: bool = False
    #: Only these vendors (``--vendor``, repeatable; empty: all).
    vendors: tuple[str, ...] = ()

    def pick(self, full: int, quick: int) -> int:
        """``full`` iterations normally, ``quick`` under ``--quick``."""
        return quick if self.quick else full


def parse_options(description: str | None, argv: Sequence[str] | None = None) -> Options:
    """Parse ``[--quick] [--json PATH]``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="few iterations: keeps the script working in CI")
    parser.add_argument("--json", type=Path, default=None, metavar="PATH", help="also write the results as JSON")
    parser.add_argument(
        "--cpu-time", action="store_true", help="time loops in process CPU time instead of wall time (bench_per_call)"
    )
    parser.add_argument(
        "--vendor", action="append", default=[], metavar="NAME", help="only this vendor (repeatable)"
    )
    args = parser.parse_args(argv)
    global _clock
    _clock = time.process_time_ns if args.cpu_time else time.perf_counter_ns
    return Options(
        quick=bool(args.quick), json_path=args.json, cpu_time=bool(args.cpu_time), vendors=tuple(args.vendor)
    )


def machine() -> str:
    """One line naming what the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " · load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()) if hasattr(os, "getloadavg") else ""
    return (
        f"{dt.date.today().isoformat()} · Python {platform.python_version()} · {os.cpu_count()} CPU(s) · {cpu}"
        f" · {platform.system()} {platform.release()}{load}"
    )


def skip(what: str, reason: str) -> None:
    """Say which comparison is left out and why (never used for orderpatch's own rows)."""
    print(f"skip: {what}: {reason}")


def optional(module: str, *, what: str) -> ModuleType | None:
    """Import a comparison package, or print why its comparison is skipped and return ``None``."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        skip(what, f"{module} is not importable ({exc}); bash benchmarks/setup_benchvenv.sh installs it")
        return None


def median(values: Sequence[float]) -> float:
    """The median (the benchmarks report medians of several runs)."""
    return float(statistics.median(values))


def ratio(value: float, baseline: float = 1.0) -> str:
    """``value / baseline`` as ``1.23x``."""
    return f"{value / baseline:.2f}x" if baseline > 0 else "n/a"


class Timings(dict[str, float]):
    """Median µs per call of each case, with the per-round samples kept for paired ratios."""

    def __init__(self, samples: Mapping[str, Sequence[float]]) -> None:
        super().__init__({name: median(values) for name, values in samples.items()})
        self.samples = {name: list(values) for name, values in samples.items()}
        #: For a case merged from another run: the baseline samples of *that* run, to pair with.
        self._paired_with: dict[tuple[str, str], list[float]] = {}

    def paired(self, name: str, baseline: str) -> float:
        """The median over rounds of ``name / baseline`` measured in the same round: steadier under drift."""
        base_samples = self._paired_with.get((name, baseline), self.samples[baseline])
        pairs = zip(self.samples[name], base_samples, strict=True)
        return median([value / base for value, base in pairs])

    def merge(self, other: Timings, *, baseline: str) -> None:
        """Add ``other``'s cases, which were timed beside their own run of ``baseline``.

        This run's ``baseline`` keeps its own samples (its µs and every other ratio stay this
        run's); the merged cases' ratios pair with the baseline samples of ``other``'s run.
        Replacing them instead once left a cold 7-sample floor in the main table.
        """
        for name, value in other.items():
            if name == baseline:
                continue
            if name in self:
                raise ValueError(f"merge: {name!r} was already timed in this run")
            self[name] = value
            self.samples[name] = other.samples[name]
            self._paired_with[(name, baseline)] = other.samples[baseline]


def floor_check(name: str, in_run: float, alone: float, *, tolerance: float = 0.25) -> str:
    """Compare a baseline's µs in the table with the same baseline timed alone.

    A table whose floor is far from the floor timed alone (cold samples, a merge that replaced
    them, a case that disturbs the next one) makes every ratio of that table wrong.
    """
    drift = in_run / alone if alone > 0 else float("inf")
    verdict = "ok" if abs(drift - 1) <= tolerance else f"WARNING: outside ±{tolerance:.0%}, ratios not to be trusted"
    return f"floor check: {name} {in_run:,.1f} µs in this table vs {alone:,.1f} µs alone ({drift:.2f}x) — {verdict}"


def _rounds(names: Sequence[str], repeats: int, take: Callable[[str], float]) -> Timings:
    """``repeats`` rounds in which every case takes its turn; ``take(name)`` times one sample."""
    samples: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(repeats):
        for name in names:
            gc.collect()
            samples[name].append(take(name))
    return Timings(samples)


def time_calls(cases: Mapping[str, Callable[[], object]], *, iterations: int, repeats: int, warmup: int) -> Timings:
    """µs per call of each case over ``repeats`` rounds; the cases take turns so drift hits them all alike."""

    def take(name: str, count: int = iterations) -> float:
        fn = cases[name]
        start = _clock()
        for _ in range(count):
            fn()
        return (_clock() - start) / count / 1000

    for name in cases:
        take(name, warmup or 1)
    return _rounds(list(cases), repeats, take)


def atime_calls(
    cases: Mapping[str, Callable[[], Awaitable[object]]], *, iterations: int, repeats: int, warmup: int
) -> Timings:
    """``time_calls`` for coroutine functions, all in one event loop."""

    async def loop(fn: Callable[[], Awaitable[object]], count: int) -> None:
        for _ in range(count):
            await fn()

    with asyncio.Runner() as runner:

        def take(name: str, count: int = iterations) -> float:
            start = _clock()
            runner.run(loop(cases[name], count))
            return (_clock() - start) / count / 1000

        for name in cases:
            take(name, warmup or 1)
        return _rounds(list(cases), repeats, take)


@dataclass
class Table:
    """A Markdown table printed as the script's result (and optionally saved as JSON)."""

    title: str
    columns: Sequence[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *cells: object) -> None:
        self.rows.append([str(cell) for cell in cells])

    def render(self) -> str:
        widths = [len(c) for c in self.columns]
        for row in self.rows:
            widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

        def line(cells: Sequence[str]) -> str:
            return "| " + " | ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True)) + " |"

        out = [f"### {self.title}", "", line(self.columns), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        out += [line(row) for row in self.rows]
        if self.notes:
            out += ["", *(f"- {note}" for note in self.notes)]
        return "\n".join(out)

    def print(self) -> None:
        print(self.render(), end="\n\n", flush=True)


def save(options: Options, script: str, tables: Sequence[Table]) -> None:
    """Write the tables as JSON when ``--json`` was given."""
    if options.json_path is None:
        return
    data = {
        "script": script,
        "machine": machine(),
        "quick": options.quick,
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "tables": [{"title": t.title, "columns": list(t.columns), "rows": t.rows, "notes": t.notes} for t in tables],
    }
    options.json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def header(script: str, options: Options) -> None:
    """The first lines of every script's output: what runs where."""
    mode = "quick (few iterations; timings are indicative only)" if options.quick else "full"
    if options.cpu_time:
        mode += ", loops timed in process CPU time"
    from orderpatch import _http

    http = f"HTTP package: {_http.PACKAGE} {_http.VERSION} (the 'raw httpx' rows are this package; ORDERPATCH_HTTP)"
    print(f"## {script} — {mode}\n\n{machine()}\n{http}\n", flush=True)
