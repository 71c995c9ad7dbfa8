"""``RedisServer``: a throwaway ``redis-server`` on a free loopback port, for tests and demos.

The shared rate limiter and the task-queue example need a real Redis. This starts Debian's (or
any) ``redis-server`` binary as a child process with no persistence, in a temporary directory,
waits until it answers ``PING`` and stops it again: nothing is left running or written.
It speaks the Redis protocol itself (one inline command), so it needs no Redis client.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from types import TracebackType
from typing import Self

__all__ = ["RedisServer", "RedisUnavailable", "redis_server_binary"]

_START_TIMEOUT = 10.0
_STOP_TIMEOUT = 5.0
#: Names the redis-server binary to use instead of the one on ``PATH``.
REDIS_SERVER_ENV = "ORDERPATCH_REDIS_SERVER"


class RedisUnavailable(RuntimeError):
    """No ``redis-server`` binary was found, or it did not start."""


def redis_server_binary() -> str | None:
    """The path of ``redis-server`` (``$ORDERPATCH_REDIS_SERVER`` or on ``PATH``), or ``None``."""
    named = os.environ.get(REDIS_SERVER_ENV, "").strip()
    if named:
        return named if os.access(named, os.X_OK) else None
    return shutil.which("redis-server")


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


class RedisServer:
    """A ``redis-server`` child process on ``127.0.0.1`` and a free port; a context manager.

    >>> with RedisServer() as server:                       # doctest: +SKIP
    ...     limiter = RedisRateLimiter(rates, name="spree", key="spree:demo", url=server.url)

    :meth:`stop` (idempotent) ends the process; :meth:`start` after it starts a new one on the
    same port, so a test can take Redis away in the middle of a run and bring it back.
    """

    def __init__(self, *, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.host = host
        self.port = port if port is not None else _free_port(host)
        self._process: subprocess.Popen[bytes] | None = None
        self._dir: tempfile.TemporaryDirectory[str] | None = None

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:<port>/0``."""
        return f"redis://{self.host}:{self.port}/0"

    @property
    def running(self) -> bool:
        """Whether the child process is alive."""
        return self._process is not None and self._process.poll() is None

    def start(self) -> Self:
        """Start the server and wait until it answers ``PING``; ``RedisUnavailable`` if it cannot."""
        if self.running:
            return self
        binary = redis_server_binary()
        if binary is None:
            raise RedisUnavailable(
                "redis-server is not installed (Debian: apt-get install redis-server), "
                f"or set {REDIS_SERVER_ENV} to its path"
            )
        self._dir = tempfile.TemporaryDirectory(prefix="orderpatch-redis-")
        command = [
            binary, "--bind", self.host, "--port", str(self.port), "--save", "", "--appendonly", "no",
            "--dir", self._dir.name, "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "warning",
        ]
        self._process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT)
        deadline = time.monotonic() + _START_TIMEOUT
        while not self.ping():
            if self._process.poll() is not None or time.monotonic() > deadline:
                self._process.kill()
                output = self._process.stdout.read() if self._process.stdout else b""
                error = output.decode("utf-8", "replace")[-500:]
                self.stop()
                raise RedisUnavailable(f"redis-server did not start on {self.host}:{self.port}: {error.strip()}")
            time.sleep(0.01)
        return self

    def ping(self) -> bool:
        """Whether the server answers ``PING`` right now."""
        try:
            with socket.create_connection((self.host, self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        """End the server (SIGTERM, then SIGKILL) and remove its directory; safe to call repeatedly."""
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(_STOP_TIMEOUT)
                except subprocess.TimeoutExpired:  # pragma: no cover - redis-server exits on SIGTERM
                    process.kill()
                    process.wait(_STOP_TIMEOUT)
            if process.stdout is not None:
                process.stdout.close()
        directory, self._dir = self._dir, None
        if directory is not None:
            directory.cleanup()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"RedisServer(url={self.url!r}, running={self.running})"
