"""``Sandbox``: the sandbox app served by uvicorn in a background thread, for tests and demos."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self, TypedDict, overload

from ._app import VENDORS, core_of, create_app
from ._credentials import SANDBOX_CREDENTIALS
from ._knobs import Knobs
from ._state import RequestRecord

if TYPE_CHECKING:
    import uvicorn


class CommerceLayerSettings(TypedDict):
    """Keyword arguments of ``CommerceLayerClient`` for the sandbox."""

    base_url: str
    auth_url: str
    client_id: str
    client_secret: str


class SpreeSettings(TypedDict):
    """Keyword arguments of ``SpreeClient`` for the sandbox."""

    base_url: str
    client_id: str
    client_secret: str


class LicenseSpringSettings(TypedDict):
    """Keyword arguments of ``LicenseSpringClient`` for the sandbox."""

    base_url: str
    api_key: str


class SpreeAdminSettings(TypedDict):
    """Keyword arguments of ``SpreeAdminClient`` for the sandbox."""

    base_url: str
    api_key: str


class TrunkerySettings(TypedDict):
    """Keyword arguments of ``TrunkeryClient`` for the sandbox."""

    base_url: str
    token: str
    shop_id: str

_START_TIMEOUT = 5.0
_STOP_TIMEOUT = 10.0


class Sandbox:
    """The four vendor emulators on a real loopback socket, served from a daemon thread.

    Use it as a context manager, or call :meth:`start` and :meth:`stop` (idempotent)::

        with Sandbox(error_rate=0.5, seed=1) as sandbox:
            client = SpreeClient(**sandbox.settings("spree"))

    ``port=0`` picks a free port; the socket is bound before the server starts, so there is no
    window in which another process can take it. The knobs are those of :func:`create_app`.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        latency: float = 0.0,
        rate_limit: int | None = None,
        rate_window: float = 1.0,
        error_rate: float = 0.0,
        drop_rate: float = 0.0,
        token_ttl: int = 7200,
        seed: int | None = None,
        vendor_limits: float | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.app = create_app(
            latency=latency,
            rate_limit=rate_limit,
            rate_window=rate_window,
            error_rate=error_rate,
            drop_rate=drop_rate,
            token_ttl=token_ttl,
            seed=seed,
            vendor_limits=vendor_limits,
        )
        self._core = core_of(self.app)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> Self:
        """Bind, start uvicorn in a daemon thread and wait until it accepts connections."""
        if self._server is not None:
            return self
        import uvicorn  # only needed to serve; create_app() works without it

        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on sockets whose proto says TCP, and
        # without it every keep-alive response waits ~40 ms for a delayed ACK (Nagle).
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError:
            sock.close()
            raise
        # h11 pinned: dropping a connection reaches the socket through h11's request cycle
        # (see _middleware.drop_connection); lifespan off because the app has no startup work.
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            http="h11",
            ws="none",
            timeout_graceful_shutdown=1,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run,
            kwargs={"sockets": [sock]},
            daemon=True,
            name=f"orderpatch-sandbox-{sock.getsockname()[1]}",
        )
        self._server, self._thread, self._socket = server, thread, sock
        thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the sandbox did not start on {self.host}:{self.port}")
            time.sleep(0.002)
        return self

    def stop(self) -> None:
        """Ask uvicorn to exit, join its thread and close the socket; safe to call repeatedly."""
        server, thread, sock = self._server, self._thread, self._socket
        self._server = self._thread = self._socket = None
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(_STOP_TIMEOUT)
        if sock is not None:
            sock.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------ addresses and credentials

    @property
    def url(self) -> str:
        """The root URL, e.g. ``http://127.0.0.1:54321``; only while running."""
        if self._socket is None:
            raise RuntimeError("the sandbox is not running: call start() or use it as a context manager")
        host, port = self._socket.getsockname()[:2]
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def base_url(self, vendor: str) -> str:
        """The base URL to give a vendor's SDK client, e.g. ``http://127.0.0.1:54321/spree``."""
        if vendor not in VENDORS:
            raise ValueError(f"unknown vendor {vendor!r}; choose one of {', '.join(VENDORS)}")
        return f"{self.url}/{vendor}"

    @overload
    def settings(self, vendor: Literal["commercelayer"]) -> CommerceLayerSettings: ...
    @overload
    def settings(self, vendor: Literal["spree"]) -> SpreeSettings: ...
    @overload
    def settings(self, vendor: Literal["licensespring"]) -> LicenseSpringSettings: ...
    @overload
    def settings(self, vendor: Literal["trunkery"]) -> TrunkerySettings: ...
    @overload
    def settings(self, vendor: Literal["spree_admin"]) -> SpreeAdminSettings: ...
    @overload
    def settings(self, vendor: str) -> Mapping[str, object]: ...

    def settings(self, vendor: str) -> Any:  # the overloads above are the public types
        """What an SDK client of ``vendor`` needs: base URL plus the demo credentials.

        Typed per vendor, so ``SpreeClient(**sandbox.settings("spree"))`` type-checks.
        """
        base, credentials = self.base_url(vendor), SANDBOX_CREDENTIALS[vendor]
        if vendor == "commercelayer":
            return CommerceLayerSettings(
                base_url=base,
                auth_url=f"{base}/oauth/token",
                client_id=credentials["client_id"],
                client_secret=credentials["client_secret"],
            )
        keys = {
            "spree": ("client_id", "client_secret"),
            "licensespring": ("api_key",),
            "trunkery": ("token", "shop_id"),
            "spree_admin": ("api_key",),
        }
        return {"base_url": base, **{key: credentials[key] for key in keys[vendor]}}

    # ------------------------------------------------------------------ state

    def requests_log(self) -> list[RequestRecord]:
        """The vendor requests received so far (admin calls excluded), oldest first."""
        return self._core.state.requests()

    def reset(self) -> None:
        """Reseed all vendors and clear the request log and counters; issued tokens stay valid."""
        self._core.reset()

    @property
    def knobs(self) -> Knobs:
        """The knobs in force."""
        return self._core.state.knobs

    def add_orders(self, vendor: str, count: int) -> list[str]:
        """Add ``count`` copies of ``vendor``'s editable seed order (for bulk jobs); their ids."""
        from ._many_orders import add_orders

        return add_orders(self._core.vendors, vendor, count)

    def set_knobs(self, knobs: Knobs) -> None:
        """Replace the knobs at run time, e.g. ``sandbox.set_knobs(replace(sandbox.knobs, drop_rate=1))``."""
        self._core.state.set_knobs(knobs)
