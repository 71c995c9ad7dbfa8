"""State shared by the whole sandbox: knobs, the random source, the request log and counters.

Vendor data (orders and what hangs off them) lives in each vendor module; this module holds what
cuts across vendors. One lock guards it because the state is read from the test thread
(``Sandbox.requests_log()``, ``reset()``) while uvicorn's thread serves requests.
"""

from __future__ import annotations

import dataclasses
import random
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from ._knobs import Knobs
from ._vendor_limits import VendorLimits


@dataclass(frozen=True)
class RequestRecord:
    """One request that reached the sandbox, as the server saw it.

    Attributes:
        method: the HTTP method.
        path: the full path, vendor prefix included.
        query: the raw query string (without ``?``).
        headers: request headers with lower-cased names, ``Authorization`` left out.
        body: the body decoded as UTF-8 (invalid bytes replaced).
        vendor: the vendor prefix the path falls under, or ``None``.
        received_at: ``time.time()`` when the request arrived.
        status: the status code answered, or ``None`` if no response was sent (dropped).
        fault: the injected fault, if any: ``"rate_limited"``, ``"error"`` or ``"dropped"``.
    """

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: str
    vendor: str | None
    received_at: float
    status: int | None = None
    fault: str | None = None

    def as_dict(self) -> dict[str, object]:
        """The record as a JSON-ready mapping (the admin endpoint's answer)."""
        return dataclasses.asdict(self)


@dataclass
class RateCounter:
    """Timestamps of the vendor requests served, to enforce and report rate limits."""

    horizon: float = 60.0
    served: deque[float] = field(default_factory=deque)

    def count_within(self, window: float, now: float) -> int:
        """How many requests were served in the last ``window`` seconds."""
        return sum(1 for moment in self.served if moment > now - window)

    def retry_after(self, limit: int, window: float, now: float) -> float | None:
        """Seconds until a request fits under ``limit`` per ``window``; ``None`` if it fits now."""
        recent = [moment for moment in self.served if moment > now - window]
        if len(recent) < limit:
            return None
        return recent[-limit] + window - now

    def record(self, now: float, window: float) -> None:
        """Count a served request and forget those older than both the window and the horizon."""
        self.served.append(now)
        keep = max(window, self.horizon)
        while self.served and self.served[0] <= now - keep:
            self.served.popleft()


class SandboxState:
    """Knobs, random source, request log, rate counter and id sequence of one sandbox app."""

    def __init__(self, knobs: Knobs) -> None:
        self.lock = threading.RLock()
        self.knobs = knobs
        self.rng = random.Random(knobs.seed)
        self.rates = RateCounter()
        self.vendor_limits = VendorLimits()
        self._log: list[RequestRecord] = []
        self._sequence = 0

    def set_knobs(self, knobs: Knobs) -> None:
        """Replace the knobs; a new seed restarts the random sequence so runs are reproducible."""
        with self.lock:
            reseed = knobs.seed is not None and knobs.seed != self.knobs.seed
            self.knobs = knobs
            if reseed:
                self.rng.seed(knobs.seed)

    def reset_counters(self) -> None:
        """Forget the request log and rate counts, and restart the random sequence from the seed."""
        with self.lock:
            self._log.clear()
            self.rates = RateCounter()
            self.vendor_limits.reset()
            self.rng.seed(self.knobs.seed)
            self._sequence = 0

    def log(self, record: RequestRecord) -> int:
        """Append a request record and return its index for :meth:`finish`."""
        with self.lock:
            self._log.append(record)
            return len(self._log) - 1

    def finish(self, index: int, *, status: int | None, fault: str | None) -> None:
        """Store how a logged request was answered (no-op if the log was reset meanwhile)."""
        with self.lock:
            if index < len(self._log):
                self._log[index] = dataclasses.replace(self._log[index], status=status, fault=fault)

    def requests(self) -> list[RequestRecord]:
        """A snapshot of the request log, oldest first."""
        with self.lock:
            return list(self._log)

    def draw(self) -> tuple[float, float]:
        """Two random numbers for one request: the drop draw and the error draw.

        Both are drawn for every request, whatever the knobs, so a seed gives the same faults for
        the same request sequence even when the rates are changed in between.
        """
        with self.lock:
            return self.rng.random(), self.rng.random()

    def next_number(self) -> int:
        """A process-wide increasing number, for ids of records the sandbox creates."""
        with self.lock:
            self._sequence += 1
            return self._sequence

    @staticmethod
    def clock() -> float:
        """Wall-clock seconds; one place to read time for tokens and rate limits."""
        return time.time()
