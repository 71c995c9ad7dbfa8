"""The fault-injection knobs: what they are, their defaults, and how they are validated.

Knobs are an immutable value so that a change is always whole: the admin endpoint and
:meth:`Sandbox.set_knobs` replace the knobs in one step instead of mutating fields one by one
under a running server.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Knobs:
    """Fault injection and token settings of a sandbox; everything is off by default.

    Attributes:
        latency: seconds added before every vendor request is handled.
        rate_limit: once this many vendor requests were served within ``rate_window`` seconds,
            further requests get 429 with ``Retry-After`` until the window frees up; ``None`` is off.
        rate_window: the rate-limit window in seconds.
        error_rate: the share (0..1) of vendor requests answered with 503.
        drop_rate: the share (0..1) of vendor requests whose connection is closed with no response.
        token_ttl: lifetime in seconds of the OAuth tokens the sandbox issues (0 = already expired).
        seed: seed of the random choices behind ``error_rate``/``drop_rate``; ``None`` is unseeded.
        vendor_limits: each vendor's own rate limits (``_vendor_limits.py``) with every window
            multiplied by this time scale (1.0 real, 0.01 a hundred times faster); ``None`` is off.
    """

    latency: float = 0.0
    rate_limit: int | None = None
    rate_window: float = 1.0
    error_rate: float = 0.0
    drop_rate: float = 0.0
    token_ttl: int = 7200
    seed: int | None = None
    vendor_limits: float | None = None

    def __post_init__(self) -> None:
        _check_number("latency", self.latency, minimum=0.0)
        _check_number("rate_window", self.rate_window, minimum=0.0, exclusive=True)
        _check_number("error_rate", self.error_rate, minimum=0.0, maximum=1.0)
        _check_number("drop_rate", self.drop_rate, minimum=0.0, maximum=1.0)
        _check_int("token_ttl", self.token_ttl, minimum=0)
        if self.rate_limit is not None:
            _check_int("rate_limit", self.rate_limit, minimum=1)
        if self.seed is not None:
            _check_int("seed", self.seed, minimum=None)
        if self.vendor_limits is not None:
            _check_number("vendor_limits", self.vendor_limits, minimum=0.0, exclusive=True)

    def as_dict(self) -> dict[str, float | int | None]:
        """The knobs as a JSON-ready mapping (the admin endpoint's answer)."""
        return dataclasses.asdict(self)

    def updated(self, changes: Mapping[str, object]) -> Knobs:
        """A copy with ``changes`` applied; unknown names or bad values raise ``ValueError``."""
        names = {field.name for field in dataclasses.fields(self)}
        unknown = sorted(set(changes) - names)
        if unknown:
            raise ValueError(f"unknown knob(s): {', '.join(unknown)}; known: {', '.join(sorted(names))}")
        merged: dict[str, object] = {**self.as_dict(), **changes}
        return Knobs(**merged)  # type: ignore[arg-type]  # values are checked in __post_init__


def _check_number(
    name: str, value: object, *, minimum: float, maximum: float | None = None, exclusive: bool = False
) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    too_low = value <= minimum if exclusive else value < minimum
    if too_low or (maximum is not None and value > maximum):
        bounds = f"{'>' if exclusive else '>='} {minimum}" + (f" and <= {maximum}" if maximum is not None else "")
        raise ValueError(f"{name} must be {bounds}, got {value!r}")


def _check_int(name: str, value: object, *, minimum: int | None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
