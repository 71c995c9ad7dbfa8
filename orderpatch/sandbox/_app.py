"""Assembly of the sandbox application: vendors mounted under their prefixes, admin, middleware."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount

from ._admin import admin_routes
from ._auth import TokenRegistry
from ._commercelayer import CommerceLayer
from ._knobs import Knobs
from ._licensespring import LicenseSpring
from ._many_orders import orders_route
from ._middleware import FaultInjector
from ._spree import Spree
from ._spree_admin import SpreeAdmin
from ._state import SandboxState
from ._trunkery import Trunkery
from ._vendor import Vendor

#: The emulated vendors, in the order the banner and docs list them.
VENDOR_CLASSES: tuple[type[Vendor], ...] = (CommerceLayer, Spree, LicenseSpring, Trunkery, SpreeAdmin)
#: Their names, which are also their path prefixes.
VENDORS: tuple[str, ...] = tuple(vendor.name for vendor in VENDOR_CLASSES)


class SandboxCore:
    """Everything one sandbox app holds: shared state, issued tokens and the vendor emulators."""

    def __init__(self, knobs: Knobs) -> None:
        self.state = SandboxState(knobs)
        self.tokens = TokenRegistry()
        self.vendors: dict[str, Vendor] = {cls.name: cls(self.state, self.tokens) for cls in VENDOR_CLASSES}

    def reset(self) -> None:
        """Reseed every vendor's data and clear the request log and counters (tokens stay valid)."""
        with self.state.lock:
            self.state.reset_counters()
            for vendor in self.vendors.values():
                vendor.reset()


def create_app(
    *,
    latency: float = 0.0,
    rate_limit: int | None = None,
    rate_window: float = 1.0,
    error_rate: float = 0.0,
    drop_rate: float = 0.0,
    token_ttl: int = 7200,
    seed: int | None = None,
    vendor_limits: float | None = None,
) -> Starlette:
    """Build the sandbox ASGI app: the four vendors under their prefixes plus ``/_sandbox/``.

    Every app has its own in-memory state, seeded with the vendors' example orders. The knobs
    (all off by default) are described in :class:`Knobs`; invalid values raise ``ValueError``.
    """
    knobs = Knobs(
        latency=latency,
        rate_limit=rate_limit,
        rate_window=rate_window,
        error_rate=error_rate,
        drop_rate=drop_rate,
        token_ttl=token_ttl,
        seed=seed,
        vendor_limits=vendor_limits,
    )
    return build_app(knobs)


def build_app(knobs: Knobs) -> Starlette:
    """The ASGI app for ``knobs``; its :class:`SandboxCore` is at ``app.state.sandbox``."""
    core = SandboxCore(knobs)
    admin = [*admin_routes(core.state, core.reset, tuple(core.vendors)), orders_route(core.vendors)]
    routes = [Mount("/_sandbox", routes=admin)]
    routes += [Mount(f"/{name}", app=vendor.application()) for name, vendor in core.vendors.items()]
    app = Starlette(routes=routes, middleware=[Middleware(FaultInjector, state=core.state, vendors=core.vendors)])
    app.state.sandbox = core
    return app


def core_of(app: Starlette) -> SandboxCore:
    """The :class:`SandboxCore` behind an app made by :func:`build_app`."""
    core = app.state.sandbox
    assert isinstance(core, SandboxCore)
    return core
