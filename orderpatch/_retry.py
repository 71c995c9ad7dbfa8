"""The retry policy, as pure functions: what is safe to repeat, and how long to wait.

* A failure before the request was written (connect error, connect/pool timeout) is always
  retried: the server never saw it.
* 429, 502, 503, 504 and failures after the request may have been written (read timeout,
  reset) are retried only when the request is idempotent (or carries an idempotency key).
  ``Retry-After`` (seconds or an HTTP date) is honoured, capped at ``MAX_RETRY_AFTER``.
* A non-idempotent request (a capture, a refund, a POST that could create) reaches the vendor
  at most once: whatever it answers is the caller's to act on (``RateLimited.retry_after``
  says when a retry would be welcome).
* Backoff is exponential with full jitter: a uniform draw in ``[0, min(cap, base·2^n)]``.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable

from ._constants import INITIAL_RETRY_DELAY, MAX_RETRY_AFTER, MAX_RETRY_DELAY
from ._http import httpx

__all__ = ["backoff_delay", "is_retryable_exception", "is_retryable_status", "parse_retry_after"]

_IF_IDEMPOTENT = frozenset({429, 502, 503, 504})
# Raised before any byte of the request left: the server cannot have acted on it.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
# May have reached the server: only repeat what is safe to repeat.
_MAYBE_SENT = (httpx.ReadTimeout, httpx.WriteTimeout, httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError)


def is_retryable_status(status: int, *, idempotent: bool) -> bool:
    """Whether a response with this status may be retried."""
    return idempotent and status in _IF_IDEMPOTENT


def is_retryable_exception(exc: BaseException, *, idempotent: bool) -> bool:
    """Whether a transport failure may be retried."""
    if isinstance(exc, httpx.UnsupportedProtocol):
        return False
    if isinstance(exc, _NOT_SENT):
        return True
    return idempotent and isinstance(exc, _MAYBE_SENT)


def parse_retry_after(headers: httpx.Headers, *, now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait from ``retry-after-ms`` or ``Retry-After`` (seconds or HTTP date), capped."""
    raw_ms = headers.get("retry-after-ms")
    if raw_ms:
        try:
            return _clamp(float(raw_ms) / 1000.0)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        return _clamp(float(raw))
    except ValueError:
        pass
    try:
        # A year too large for the platform (``1 Jan 99999999999999999999``) overflows deep in
        # the date parser: any header text must end as a number of seconds or None.
        when = email.utils.parsedate_to_datetime(raw)
        return _clamp(when.timestamp() - now())
    except (TypeError, ValueError, IndexError, OverflowError, OSError):
        return None


def _clamp(seconds: float) -> float | None:
    if seconds != seconds:  # NaN
        return None
    return max(0.0, min(seconds, MAX_RETRY_AFTER))


def backoff_delay(retries_taken: int, *, rand: Callable[[], float] = random.random) -> float:
    """Full-jitter exponential backoff for the retry after ``retries_taken`` earlier retries."""
    ceiling = min(MAX_RETRY_DELAY, INITIAL_RETRY_DELAY * 2.0**retries_taken)
    return ceiling * rand()
