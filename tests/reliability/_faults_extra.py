"""More loopback behaviours on top of ``tests.faults``: chunked bodies, cycling scripts, HTTP dates.

``ExtraFaultServer`` is a ``FaultServer`` that also understands ``Chunked`` (a body sent with
``Transfer-Encoding: chunked``, so no ``Content-Length`` announces its size) and, with
``cycle=True``, runs its script round and round instead of repeating its last step. The helpers
build the responses the reliability matrix needs: a redirect to another origin, ``Retry-After``
as an HTTP date, and JSON bodies padded to a given size.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import socket
import time
from collections.abc import Sequence
from typing import Self

import attrs

from tests.faults import Behaviour, FaultServer, respond

__all__ = ["Chunked", "ExtraFaultServer", "chunked", "http_date", "padded_json", "redirect"]


@attrs.frozen(kw_only=True)
class Chunked(Behaviour):
    """A normal response whose body is streamed in chunks, without a ``Content-Length``."""

    chunk_size: int = 256 * 1024


def chunked(status: int = 200, body: bytes = b"{}", content_type: str = "application/json") -> Chunked:
    """A ``Chunked`` behaviour answering ``status`` with ``body``."""
    return Chunked(status=status, body=body, headers=(("Content-Type", content_type),))


def redirect(status: int, location: str) -> Behaviour:
    """A redirect (301/302/307/308) to ``location``, with an empty body."""
    return respond(status, b"", "text/plain", headers=(("Location", location),))


def http_date(seconds_from_now: float) -> str:
    """An RFC 9110 HTTP date ``seconds_from_now`` in the future, as ``Retry-After`` may carry it."""
    return email.utils.formatdate(time.time() + seconds_from_now, usegmt=True)


def padded_json(document: object, size: int, *, path: Sequence[str | int] = ()) -> bytes:
    """``document`` as JSON, with a string field ``"padding"`` added at ``path`` so the body is ``size`` bytes.

    The result is cached by document, size and path: the matrix asks for the same megabytes many times.
    """
    key = (json.dumps(document), size, tuple(path))
    cached = _PADDED.get(key)
    if cached is None:
        cached = _PADDED[key] = _pad(document, size, path)
    return cached


_PADDED: dict[tuple[str, int, tuple[str | int, ...]], bytes] = {}


def _pad(document: object, size: int, path: Sequence[str | int]) -> bytes:
    target: object = document
    for key in path:
        target = target[key]  # type: ignore[index]
    assert isinstance(target, dict)
    target["padding"] = ""
    base = len(json.dumps(document).encode())
    target["padding"] = "x" * max(0, size - base)
    return json.dumps(document).encode()


class ExtraFaultServer(FaultServer):
    """A ``FaultServer`` that can stream chunked bodies and cycle through its script."""

    def __init__(self, script: Sequence[Behaviour], *, cycle: bool = False) -> None:
        super().__init__(script)
        self._cycle = cycle
        self._position = 0

    def __enter__(self) -> Self:
        super().__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        # Wake the acceptor at once instead of waiting out its 0.1 s accept() timeout: hundreds of
        # cells each start a server, and those waits alone would add up to most of a minute.
        self._stop.set()
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        super().__exit__(*exc)

    def _next(self) -> Behaviour:
        if not self._cycle:
            return super()._next()
        with self._lock:
            behaviour = self.script[self._position % len(self.script)]
            self._position += 1
            return behaviour

    def _act(self, conn: socket.socket, behaviour: Behaviour) -> bool:
        if not isinstance(behaviour, Chunked):
            return super()._act(conn, behaviour)
        headers = "".join(f"{k}: {v}\r\n" for k, v in behaviour.headers)
        try:
            conn.sendall(f"HTTP/1.1 {behaviour.status} X\r\n{headers}Transfer-Encoding: chunked\r\n\r\n".encode())
            for start in range(0, len(behaviour.body), behaviour.chunk_size):
                piece = behaviour.body[start : start + behaviour.chunk_size]
                conn.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            conn.sendall(b"0\r\n\r\n")
        except OSError:  # the client stopped reading (a body over the size cap): drop the connection
            return False
        return True
