"""A scriptable HTTP/1.1 server on 127.0.0.1 for tests about sockets.

Each accepted request is answered by the next scripted ``Behaviour`` (the last one repeats):
a normal response, a hang (the client's read timeout fires), a reset before any response
byte, a reset in the middle of the body, and so on. Every request that reached the server is
recorded, so tests can assert how many times a non-idempotent request was sent.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Literal

import attrs

Kind = Literal["respond", "hang", "reset", "reset_mid_body", "close"]


@attrs.frozen(kw_only=True)
class Behaviour:
    """What the server does with one request."""

    kind: Kind = "respond"
    status: int = 200
    headers: Sequence[tuple[str, str]] = (("Content-Type", "application/json"),)
    body: bytes = b"{}"
    delay: float = 0.0


def respond(status: int = 200, body: bytes | str = b"{}", content_type: str = "application/json",
            headers: Sequence[tuple[str, str]] = (), delay: float = 0.0) -> Behaviour:
    raw = body.encode() if isinstance(body, str) else body
    return Behaviour(status=status, body=raw, headers=(("Content-Type", content_type), *headers), delay=delay)


HANG = Behaviour(kind="hang")
RESET = Behaviour(kind="reset")
CLOSE = Behaviour(kind="close")


def reset_mid_body(body: bytes = b'{"id": 1, "status": "pla') -> Behaviour:
    return Behaviour(kind="reset_mid_body", body=body)


@attrs.frozen
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class FaultServer:
    """A threaded loopback server that follows a script; use as a context manager."""

    def __init__(self, script: Sequence[Behaviour]) -> None:
        self.script = list(script)
        self.received: list[Received] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.settimeout(0.1)
        self.port: int = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept_loop, daemon=True)

    def __enter__(self) -> FaultServer:
        self._acceptor.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._acceptor.join(timeout=5)
        for thread in self._threads:
            thread.join(timeout=5)
        self._sock.close()

    def _next(self) -> Behaviour:
        with self._lock:
            return self.script.pop(0) if len(self.script) > 1 else self.script[0]

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _read_request(self, conn: socket.socket) -> Received | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        return Received(method=method, path=path, headers=headers, body=body)

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        with contextlib.closing(conn):
            while not self._stop.is_set():
                try:
                    request = self._read_request(conn)
                except (OSError, ValueError):
                    return
                if request is None:
                    return
                with self._lock:
                    self.received.append(request)
                behaviour = self._next()
                if not self._act(conn, behaviour):
                    return

    def _act(self, conn: socket.socket, behaviour: Behaviour) -> bool:
        if behaviour.delay:
            time.sleep(behaviour.delay)
        if behaviour.kind == "hang":
            self._stop.wait(10)
            return False
        if behaviour.kind == "reset":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return False
        if behaviour.kind == "close":
            return False
        status_line = f"HTTP/1.1 {behaviour.status} X\r\n"
        headers = "".join(f"{k}: {v}\r\n" for k, v in behaviour.headers)
        if behaviour.kind == "reset_mid_body":
            head = f"{status_line}{headers}Content-Length: {len(behaviour.body) + 100}\r\n\r\n"
            conn.sendall(head.encode() + behaviour.body)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return False
        head = f"{status_line}{headers}Content-Length: {len(behaviour.body)}\r\n\r\n"
        try:
            conn.sendall(head.encode() + behaviour.body)
        except OSError:
            return False
        return True


@contextlib.contextmanager
def refused_url() -> Iterator[str]:
    """A loopback URL on which nothing listens (connection refused)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    yield f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def unaccepting_url() -> Iterator[str]:
    """A loopback URL whose accept queue is full, so a new connection times out connecting."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers: list[socket.socket] = []
    try:
        for _ in range(4):  # fill the (tiny) backlog; further SYNs are dropped
            filler = socket.socket()
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError, OSError):
                filler.connect(("127.0.0.1", port))
            fillers.append(filler)
        time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        for filler in fillers:
            filler.close()
        listener.close()
