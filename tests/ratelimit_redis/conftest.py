"""A real ``redis-server`` for the shared rate-limiter tests, started and stopped here.

Under ``CI=true`` a missing ``redis-server`` fails these tests (``.ci/run`` installs Debian's
package); elsewhere they are skipped with the reason.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import redis

from orderpatch.sandbox import RedisServer
from orderpatch.sandbox._redis_server import redis_server_binary


def need_redis_server() -> None:
    """Skip (or, under CI, fail) when redis-server is not installed."""
    if redis_server_binary() is None:
        reason = "redis-server is not installed (Debian: apt-get install redis-server)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{reason}; CI must have it: .ci/run installs it", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One redis-server on a free loopback port for the whole session."""
    need_redis_server()
    with RedisServer() as server:
        yield server


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The session server's URL, with an empty database for each test."""
    client = redis.Redis.from_url(redis_server.url)
    client.flushdb()
    client.close()
    return redis_server.url


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    """A redis-server of this test alone, which the test may stop and start again."""
    need_redis_server()
    server = RedisServer().start()
    try:
        yield server
    finally:
        server.stop()


class Blackhole:
    """A loopback port that accepts connections and never answers: a Redis that hangs.

    Every connection it accepted is closed ``hold`` seconds later, so that a client without a
    socket timeout fails the test instead of hanging it. ``accepted`` counts the connections.
    """

    def __init__(self, hold: float = 2.0) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.port: int = self._listener.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.accepted = 0
        self._hold = hold
        self._open: list[tuple[float, socket.socket]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(TimeoutError):
                conn, _ = self._listener.accept()
                self.accepted += 1
                self._open.append((time.monotonic() + self._hold, conn))
            now = time.monotonic()
            for due, conn in [item for item in self._open if item[0] <= now]:
                conn.close()
                self._open.remove((due, conn))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for _, conn in self._open:
            conn.close()
        self._listener.close()


@pytest.fixture
def blackhole() -> Iterator[Blackhole]:
    """A Redis URL whose server accepts connections and never answers."""
    hole = Blackhole()
    try:
        yield hole
    finally:
        hole.close()
