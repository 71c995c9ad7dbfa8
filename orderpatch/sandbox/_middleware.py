"""The ASGI middleware in front of every vendor: request log, latency, 429, 503 and dropped sockets.

It is plain ASGI rather than Starlette's ``BaseHTTPMiddleware`` for two reasons: it must see the
raw ``receive`` of the server to drop a connection, and it must read the body once for the log
and then hand the same bytes on to the vendor.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._http import retry_after_seconds
from ._state import RequestRecord, SandboxState
from ._vendor import Vendor


class ConnectionDropped(Exception):
    """Raised instead of dropping when the server offers no way to close the socket.

    Under uvicorn the sandbox closes the socket itself; under other servers (or Starlette's
    ``TestClient``) this exception surfaces, which a client sees as a failed request too.
    """


class FaultInjector:
    """Log vendor requests and inject the faults the knobs ask for, before the vendor sees them."""

    def __init__(self, app: ASGIApp, *, state: SandboxState, vendors: Mapping[str, Vendor]) -> None:
        self.app = app
        self.state = state
        self.vendors = vendors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        vendor = self.vendors.get(scope["path"].split("/", 2)[1]) if scope["type"] == "http" else None
        if vendor is None:
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        index = self.state.log(_record(scope, body, vendor.name))
        knobs = self.state.knobs
        if knobs.latency:
            await asyncio.sleep(knobs.latency)
        fault, response = self._decide(vendor, scope)
        if fault == "dropped":
            self.state.finish(index, status=None, fault=fault)
            await drop_connection(receive)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                # Logged before the client can see the response, so a test reading the log
                # right after its call always finds the outcome.
                self.state.finish(index, status=message["status"], fault=fault)
                knobs, now = self.state.knobs, self.state.clock()
                extra = vendor.response_headers(knobs, now)
                if knobs.vendor_limits is not None:
                    extra.update(self.state.vendor_limits.headers(vendor.name, scope, now, knobs.vendor_limits))
                encoded = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in extra.items()]
                message = {**message, "headers": [*message.get("headers", []), *encoded]}
            await send(message)

        try:
            target = response if response is not None else self.app
            await target(scope, _replay(body, receive), send_with_headers)
        finally:
            if not started:
                self.state.finish(index, status=None, fault=fault)

    def _decide(self, vendor: Vendor, scope: Scope) -> tuple[str | None, Response | None]:
        """Pick the fault for one request: rate limits first, then the seeded drop/error draws."""
        state = self.state
        with state.lock:
            knobs, now = state.knobs, state.clock()
            if knobs.vendor_limits is not None:
                verdict = state.vendor_limits.admit(vendor.name, scope, now, knobs.vendor_limits,
                                                    lambda: vendor.throttled("0"))
                if verdict is not None:
                    return "rate_limited", verdict.response
            if knobs.rate_limit is not None:
                wait = state.rates.retry_after(knobs.rate_limit, knobs.rate_window, now)
                if wait is not None:
                    seconds = retry_after_seconds(wait)
                    response = vendor.throttled(seconds)
                    response.headers["Retry-After"] = seconds
                    return "rate_limited", response
            state.rates.record(now, knobs.rate_window)
            drop_draw, error_draw = state.draw()
        if drop_draw < knobs.drop_rate:
            return "dropped", None
        if error_draw < knobs.error_rate:
            return "error", vendor.error(503, "Service Unavailable")
        return None, None


async def drop_connection(receive: Receive) -> None:
    """Close the client's socket without sending a response.

    Uvicorn's ``receive`` is a bound method of its per-request cycle, which holds the asyncio
    transport; closing it is what a crashing or overloaded proxy does. We then wait for uvicorn
    to notice the disconnect, so it does not try to answer with a 500 of its own.
    """
    transport = getattr(getattr(receive, "__self__", None), "transport", None)
    if not isinstance(transport, asyncio.BaseTransport):
        raise ConnectionDropped("the sandbox dropped this request (drop_rate knob)")
    transport.close()
    async with asyncio.timeout(5):
        while (await receive())["type"] != "http.disconnect":
            pass


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if message["type"] != "http.request" or not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that yields the already-read body once, then defers to the server."""
    pending = True

    async def replay() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _record(scope: Scope, body: bytes, vendor: str) -> RequestRecord:
    headers: dict[str, str] = {}
    for raw_name, raw_value in scope["headers"]:
        name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
        if name != "authorization":
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return RequestRecord(
        method=scope["method"],
        path=scope["path"],
        query=scope["query_string"].decode("latin-1"),
        headers=headers,
        body=body.decode("utf-8", "replace"),
        vendor=vendor,
        received_at=SandboxState.clock(),
    )
