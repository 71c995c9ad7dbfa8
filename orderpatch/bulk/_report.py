"""The accounting of a bulk job: every input line in exactly one state, as a table or JSONL; progress.

The report is read back from the journal, so it covers the orders of earlier runs of a resumed
job too. Progress goes to a ``tqdm`` bar on a terminal when the ``progress`` extra is installed,
else to plain log lines every ``BULK_PROGRESS_INTERVAL`` seconds.
"""

from __future__ import annotations

import importlib
import json
import time
from typing import TYPE_CHECKING, Final, Protocol, TextIO

import attrs

from .._constants import BULK_PROGRESS_INTERVAL
from .._types import JSONValue

if TYPE_CHECKING:
    from ._input import BulkInput
    from ._journal import Journal

__all__ = ["BulkReport", "Progress", "ProgressPrinter", "ReportRow", "build_report"]

#: Exit codes of ``orderpatch bulk``.
EXIT_OK: Final = 0
EXIT_SOME_FAILED: Final = 4
EXIT_INTERRUPTED: Final = 130
_STATES: Final = ("done", "skipped", "failed", "unknown", "pending", "sending")


@attrs.frozen(kw_only=True)
class Progress:
    """Where a running job stands: counts over the whole job, speed and ETA of this run."""

    total: int
    done: int
    failed: int
    skipped: int
    unknown: int
    #: Orders of this run not finished yet.
    remaining: int
    elapsed: float
    #: Orders finished per second in this run.
    rate: float
    eta: float | None


@attrs.frozen(kw_only=True)
class ReportRow:
    """One input line's final accounting."""

    line: int
    order_id: str
    state: str
    attempts: int
    outcome: JSONValue

    def to_dict(self) -> dict[str, JSONValue]:
        return {"line": self.line, "id": self.order_id, "state": self.state, "attempts": self.attempts,
                "outcome": self.outcome}


@attrs.frozen(kw_only=True)
class BulkReport:
    """The result of a job: one row per input line, the counts, and why it stopped early, if it did."""

    source: str
    journal: str
    rows: tuple[ReportRow, ...]
    counts: dict[str, int]
    elapsed: float
    stop_reason: str | None = None
    interrupted: bool = False
    #: 429 answers the job's rate limiter saw (``None`` when the limiter does not count them).
    rate_limited: int | None = None

    @property
    def exit_code(self) -> int:
        """0 every order done or skipped; 4 some failed, unknown or not attempted; 130 interrupted."""
        if self.interrupted:
            return EXIT_INTERRUPTED
        finished = self.counts.get("done", 0) + self.counts.get("skipped", 0)
        return EXIT_OK if finished == len(self.rows) else EXIT_SOME_FAILED

    def to_dict(self) -> dict[str, JSONValue]:
        """The summary (without the rows) as JSON data."""
        return {"source": self.source, "journal": self.journal, "orders": len(self.rows),
                "counts": dict(self.counts), "elapsed": round(self.elapsed, 3), "stopped": self.stop_reason,
                "interrupted": self.interrupted, "rate_limited": self.rate_limited}

    def to_jsonl(self) -> str:
        """One JSON object per input line, in input order."""
        return "".join(json.dumps(row.to_dict(), ensure_ascii=False) + "\n" for row in self.rows)

    def to_table(self) -> str:
        """The counts, then every order that is not done or skipped, with the reason."""
        lines = [f"orders {len(self.rows)}  " + "  ".join(f"{state} {self.counts.get(state, 0)}"
                                                          for state in _STATES if self.counts.get(state, 0)),
                 f"journal {self.journal}  elapsed {self.elapsed:.1f} s"
                 + (f"  429s {self.rate_limited}" if self.rate_limited else "")]
        if self.stop_reason:
            lines.append(self.stop_reason)
        problems = [row for row in self.rows if row.state not in ("done", "skipped")]
        if problems:
            width = max(len(row.order_id) for row in problems)
            lines.append("")
            lines.append(f"{'line':>6}  {'order':<{width}}  {'state':<8}  reason")
            for row in problems:
                lines.append(f"{row.line:>6}  {row.order_id:<{width}}  {row.state:<8}  {_reason(row)}")
        return "\n".join(lines) + "\n"


def _reason(row: ReportRow) -> str:
    outcome = row.outcome
    if row.state == "pending":
        return "not attempted (resume to send it)"
    if not isinstance(outcome, dict):
        return "-"
    text = str(outcome.get("message") or outcome.get("error") or "-")
    why = outcome.get("why")
    return f"{text} — {why}" if why and why != text else text


def build_report(bulk: BulkInput, journal: Journal, *, elapsed: float, stop_reason: str | None,
                 interrupted: bool, rate_limited: int | None) -> BulkReport:
    """The report of ``bulk`` from what ``journal`` holds now."""
    rows = tuple(ReportRow(line=row.line, order_id=row.order_id, state=row.state, attempts=row.attempts,
                           outcome=row.outcome) for row in journal.rows())
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.state] = counts.get(row.state, 0) + 1
    return BulkReport(source=bulk.source, journal=str(journal.path), rows=rows, counts=counts, elapsed=elapsed,
                      stop_reason=stop_reason, interrupted=interrupted, rate_limited=rate_limited)


class _Bar(Protocol):
    n: int

    def update(self, n: int) -> object: ...
    def set_postfix_str(self, s: str, refresh: bool = ...) -> object: ...
    def close(self) -> object: ...


def _describe(progress: Progress) -> str:
    eta = "-" if progress.eta is None else f"{progress.eta:.0f} s"
    return (f"done {progress.done} failed {progress.failed} unknown {progress.unknown} "
            f"skipped {progress.skipped}, {progress.rate:.1f}/s, ETA {eta}")


class ProgressPrinter:
    """An ``on_progress`` callback: a live bar on a terminal (tqdm, if installed), else periodic lines."""

    def __init__(self, stream: TextIO, *, total: int, interval: float = BULK_PROGRESS_INTERVAL,
                 bar: bool | None = None) -> None:
        self.stream = stream
        self.interval = interval
        self._last = time.monotonic()
        self._bar: _Bar | None = None
        if bar is None:
            bar = stream.isatty()
        if bar:
            try:
                tqdm = importlib.import_module("tqdm").tqdm
            except ImportError:
                tqdm = None
            if tqdm is not None:
                self._bar = tqdm(total=total, file=stream, unit="order", dynamic_ncols=True)

    def __call__(self, progress: Progress) -> None:
        finished = progress.done + progress.failed + progress.unknown + progress.skipped
        if self._bar is not None:
            self._bar.update(max(0, finished - self._bar.n))
            self._bar.set_postfix_str(f"failed {progress.failed} unknown {progress.unknown}", refresh=False)
            return
        now = time.monotonic()
        if now - self._last >= self.interval or progress.remaining == 0:
            self._last = now
            self.stream.write(f"orderpatch bulk: {finished}/{progress.total} — {_describe(progress)}\n")
            self.stream.flush()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
