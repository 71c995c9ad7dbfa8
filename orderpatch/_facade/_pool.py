"""The module-level functions' client reuse: one vendor client (one connection pool) per configuration.

* Sync clients live in one process-wide table keyed by ``Config`` and are closed at interpreter
  exit (``atexit``). After ``os.fork()`` the child starts a table of its own: a connection pool
  must not be shared across processes.
* An ``httpx.AsyncClient`` belongs to the event loop it was used on, so async clients are kept
  per (running loop, ``Config``). Each loop's clients are closed by the loop's own shutdown
  (``asyncio.run`` finalizes async generators, and a small one here closes them); a loop that
  was closed without that is forgotten on the next call.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import threading
import weakref
from collections.abc import AsyncGenerator

from .._base_client import AsyncAPIClient, SyncAPIClient
from .._config import Config
from ._adapter import VendorAdapter

__all__ = ["ASYNC_POOL", "SYNC_POOL", "AsyncPool", "SyncPool"]


class SyncPool:
    """Sync vendor clients by configuration; ``created`` counts the clients ever built (for tests)."""

    def __init__(self) -> None:
        self._clients: dict[Config, SyncAPIClient] = {}
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._at_exit = False
        self.created = 0

    def get(self, config: Config, adapter: VendorAdapter) -> SyncAPIClient:
        """The client of ``config``, built on first use."""
        with self._lock:
            if self._pid != os.getpid():  # a forked child: the parent's sockets are not ours
                self._clients, self._pid = {}, os.getpid()
            client = self._clients.get(config)
            if client is None:
                client = self._clients[config] = adapter.open_sync(config)
                self.created += 1
                if not self._at_exit:
                    atexit.register(self.close)
                    self._at_exit = True
            return client

    def close(self) -> None:
        """Close every client (at exit, or to start afresh)."""
        with self._lock:
            clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            client.close()


class _LoopClients:
    """The async clients of one event loop."""

    def __init__(self) -> None:
        self.clients: dict[Config, AsyncAPIClient] = {}
        self.keeper: AsyncGenerator[None, None] | None = None

    async def aclose(self) -> None:
        clients, self.clients = list(self.clients.values()), {}
        for client in clients:
            await client.close()


async def _close_at_loop_shutdown(entry: _LoopClients) -> AsyncGenerator[None, None]:
    """Suspended for the loop's lifetime; ``loop.shutdown_asyncgens()`` resumes it to close the clients."""
    try:
        yield
    finally:
        await entry.aclose()


class AsyncPool:
    """Async vendor clients by (running loop, configuration); ``created`` counts the clients built."""

    def __init__(self) -> None:
        self._loops: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopClients] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()
        self.created = 0

    async def get(self, config: Config, adapter: VendorAdapter) -> AsyncAPIClient:
        """The client of ``config`` on the running loop, built on first use."""
        loop = asyncio.get_running_loop()
        with self._lock:
            for other in [lp for lp in self._loops if lp.is_closed()]:
                del self._loops[other]
            entry = self._loops.get(loop)
            if entry is None:
                entry = self._loops[loop] = _LoopClients()
            client = entry.clients.get(config)
            if client is None:
                client = entry.clients[config] = adapter.open_async(config)
                self.created += 1
        if entry.keeper is None:
            entry.keeper = _close_at_loop_shutdown(entry)
            await entry.keeper.asend(None)
        return client

    async def aclose(self) -> None:
        """Close the running loop's clients now."""
        with self._lock:
            entry = self._loops.get(asyncio.get_running_loop())
        if entry is not None:
            await entry.aclose()


SYNC_POOL = SyncPool()
ASYNC_POOL = AsyncPool()
