"""Each vendor's own rate limiting, emulated as the vendor documents it (the ``vendor_limits`` knob).

The knob is a time scale: ``1.0`` is the vendors' real windows, ``0.01`` the same limits over
windows a hundred times shorter (Commerce Layer's 25 per 10 s becomes 25 per 0.1 s), so tests
and benchmarks see the vendors' burst-then-average behaviour in seconds. ``None`` (default) is
off. Only requests that are served count; a refused one does not.

* Commerce Layer (README §8, test environment): writes and uncacheable GETs, 25 per 10 s per
  endpoint (burst) and 100 per minute per class (average), per client IP, sliding windows. Every
  API response carries ``X-Ratelimit-Limit``/``-Interval``/``-Remaining`` for the average limit.
  A 429 is the JSON:API ``TOO_MANY_REQUESTS`` error with no ``Retry-After``.
* LicenseSpring (§9): 50 per second per ``Authorization`` value, 200 per 10 s per IP and 600 per
  rolling minute per company (the Free plan). A 429 is DRF's ``{"detail": "Request was throttled.
  Expected available in N seconds."}`` with ``Retry-After``; no counter headers.
* Spree Admin API v3 (§9): 300 per 60 s fixed window per API key and controller (Rails
  ``rate_limit``), ``X-RateLimit-Limit``/``-Remaining`` on every response and ``Retry-After``
  (the whole window) once the window is full; the 429 body is ``rate_limit_exceeded``.
* Trunkery (§9): no number is published. The sandbox assumes a leaky bucket of 40 requests
  draining 4 per second per shop; a 429 is API error 429 with ``meta.rate_info{cap,count,rate}``.
* Spree Platform API v2 has no rate limiting.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:  # the sandbox state imports this module, and must load without the 'sandbox' extra
    from starlette.responses import Response

__all__ = ["VendorLimits", "Verdict"]


@dataclass(frozen=True)
class _Window:
    limit: int
    period: float
    #: What the counter is kept per: ``ip``, ``auth``, ``endpoint``, ``class``, ``key_controller`` or ``all``.
    per: str
    fixed: bool = False


_WINDOWS: Final[Mapping[str, tuple[_Window, ...]]] = {
    "commercelayer": (_Window(25, 10.0, "endpoint"), _Window(100, 60.0, "class")),
    "licensespring": (_Window(50, 1.0, "auth"), _Window(200, 10.0, "ip"), _Window(600, 60.0, "all")),
    "spree_admin": (_Window(300, 60.0, "key_controller", fixed=True),),
}
#: Trunkery (assumed): a leaky bucket of this many requests, draining this many per second.
TRUNKERY_CAP: Final = 40
TRUNKERY_DRAIN: Final = 4.0


@dataclass(frozen=True)
class Verdict:
    """A refused request: the vendor's 429 response."""

    response: Response


@dataclass
class _Request:
    vendor: str
    method: str
    path: str
    ip: str
    auth: str


def _request(vendor: str, scope: Mapping[str, object]) -> _Request:
    headers = {}
    raw_headers = scope.get("headers")
    if isinstance(raw_headers, list):
        headers = {bytes(k).decode("latin-1").lower(): bytes(v).decode("latin-1") for k, v in raw_headers}
    client = scope.get("client")
    ip = str(client[0]) if isinstance(client, (tuple, list)) and client else "-"
    auth = headers.get("authorization") or headers.get("x-spree-api-key") or "-"
    return _Request(vendor=vendor, method=str(scope.get("method", "GET")), path=str(scope.get("path", "/")),
                    ip=ip, auth=auth)


def _seconds(value: float, scale: float) -> str:
    """A ``Retry-After`` value: whole seconds at the real scale, two decimals on a shorter one."""
    return str(max(1, math.ceil(value))) if scale >= 1 else f"{max(value, 0.01):.2f}"


class VendorLimits:
    """The counters of every emulated vendor's limits; one per sandbox, thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sliding: dict[tuple[str, ...], deque[float]] = {}
        self._fixed: dict[tuple[str, ...], tuple[float, int]] = {}
        self._bucket: dict[str, tuple[float, float]] = {}
        self._scale: float | None = None

    def reset(self) -> None:
        """Forget every count."""
        with self._lock:
            self._sliding.clear()
            self._fixed.clear()
            self._bucket.clear()

    @staticmethod
    def _key(window: _Window, request: _Request) -> tuple[str, ...]:
        if window.per == "endpoint":  # Commerce Layer: the resource type, per request class
            parts = request.path.split("/")
            resource = parts[3] if len(parts) > 3 else ""
            return (request.vendor, window.per, _cl_class(request.method), resource)
        if window.per == "class":
            return (request.vendor, window.per, _cl_class(request.method))
        if window.per == "key_controller":  # Spree v3: orders/{id}/items is another controller than orders
            parts = [part for part in request.path.split("/") if part]
            controller = "/".join(part for part in parts[4:] if not part.startswith("or_"))[:80]
            return (request.vendor, window.per, request.auth, controller)
        if window.per == "auth":
            return (request.vendor, window.per, request.auth)
        if window.per == "ip":
            return (request.vendor, window.per, request.ip)
        return (request.vendor, window.per)

    def _applies(self, request: _Request) -> bool:
        if request.vendor == "commercelayer":
            return "/api/" in request.path
        return request.vendor in _WINDOWS or request.vendor == "trunkery"

    def admit(self, vendor: str, scope: Mapping[str, object], now: float, scale: float,
              throttled: Callable[[], Response] | None = None) -> Verdict | None:
        """Count the request if it fits every window of its vendor; else the vendor's 429.

        ``throttled`` makes the vendor's generic 429 (Commerce Layer's JSON:API error).
        """
        request = _request(vendor, scope)
        if not self._applies(request):
            return None
        with self._lock:
            if scale != self._scale:
                self._sliding.clear()
                self._fixed.clear()
                self._bucket.clear()
                self._scale = scale
            if vendor == "trunkery":
                return self._trunkery(request, now, scale)
            windows = _WINDOWS[vendor]
            wait = 0.0
            for window in windows:
                wait = max(wait, self._wait(window, request, now, scale))
            if wait > 0:
                return Verdict(self._refusal(vendor, wait, now, scale, throttled))
            for window in windows:
                self._count(window, request, now, scale)
        return None

    def _wait(self, window: _Window, request: _Request, now: float, scale: float) -> float:
        period, key = window.period * scale, self._key(window, request)
        if window.fixed:
            started, count = self._fixed.get(key, (now, 0))
            if now - started >= period:
                return 0.0
            return started + period - now if count >= window.limit else 0.0
        served = self._sliding.setdefault(key, deque())
        while served and served[0] <= now - period:
            served.popleft()
        if len(served) < window.limit:
            return 0.0
        return served[-window.limit] + period - now

    def _count(self, window: _Window, request: _Request, now: float, scale: float) -> None:
        period, key = window.period * scale, self._key(window, request)
        if window.fixed:
            started, count = self._fixed.get(key, (now, 0))
            if now - started >= period:
                started, count = now, 0
            self._fixed[key] = (started, count + 1)
        else:
            self._sliding[key].append(now)

    def _trunkery(self, request: _Request, now: float, scale: float) -> Verdict | None:
        from ._http import json_response

        drain = TRUNKERY_DRAIN / scale
        level, then = self._bucket.get(request.auth, (0.0, now))
        level = max(0.0, level - (now - then) * drain)
        if level + 1 > TRUNKERY_CAP:
            self._bucket[request.auth] = (level, now)
            info = {"cap": TRUNKERY_CAP, "count": math.ceil(level), "rate": TRUNKERY_DRAIN / scale}
            return Verdict(json_response({"code": 429, "message": "Too Many Requests", "meta": {"rate_info": info}},
                                         429))
        self._bucket[request.auth] = (level + 1, now)
        return None

    def _refusal(self, vendor: str, wait: float, now: float, scale: float,
                 throttled: Callable[[], Response] | None) -> Response:
        from ._http import json_response

        if vendor == "spree_admin":
            body = {"error": {"code": "rate_limit_exceeded", "message": "Too many requests. Please retry later."}}
            response = json_response(body, 429)
            response.headers["Retry-After"] = _seconds(60.0 * scale, scale)
            response.headers["X-RateLimit-Limit"] = "300"
            response.headers["X-RateLimit-Remaining"] = "0"
            return response
        if vendor == "licensespring":
            seconds = _seconds(wait, scale)
            unit = "second" if seconds == "1" else "seconds"
            response = json_response({"detail": f"Request was throttled. Expected available in {seconds} {unit}."},
                                     429)
            response.headers["Retry-After"] = seconds
            return response
        assert throttled is not None  # Commerce Layer: its JSON:API error, no Retry-After
        return throttled()

    def headers(self, vendor: str, scope: Mapping[str, object], now: float, scale: float) -> dict[str, str]:
        """The counter headers the vendor puts on a response."""
        request = _request(vendor, scope)
        if not self._applies(request) or vendor not in ("commercelayer", "spree_admin"):
            return {}
        with self._lock:
            window = _WINDOWS[vendor][-1]
            period, key = window.period * scale, self._key(window, request)
            if window.fixed:
                started, count = self._fixed.get(key, (now, 0))
                used = count if now - started < period else 0
            else:
                served = self._sliding.get(key, deque())
                used = sum(1 for moment in served if moment > now - period)
        remaining = max(0, window.limit - used)
        if vendor == "spree_admin":
            result = {"X-RateLimit-Limit": str(window.limit), "X-RateLimit-Remaining": str(remaining)}
            if remaining == 0:
                result["Retry-After"] = _seconds(period, scale)
            return result
        return {"X-Ratelimit-Limit": str(window.limit), "X-Ratelimit-Interval": f"{period:g}",
                "X-Ratelimit-Remaining": str(remaining)}


def _cl_class(method: str) -> str:
    return "read" if method in ("GET", "HEAD") else "write"
