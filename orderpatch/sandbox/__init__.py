"""A local emulator of the vendors' order-update endpoints, for tests, demos and CI.

``orderpatch.sandbox`` serves Commerce Layer, Spree (Platform API v2), LicenseSpring (Management
API), Trunkery / Lana Commerce and Spree Admin API v3 under the path prefixes ``/commercelayer``,
``/spree``, ``/licensespring``, ``/trunkery`` and ``/spree_admin``, seeded with each vendor's
documented example orders and answering errors in each vendor's own format. It deliberately
imports nothing from the SDK: the SDK and the sandbox are two independent readings of the
vendors' docs that check each other.

Fault injection (latency, 429 rate limits, a share of 503s, dropped connections, short token
lifetimes) is off by default; set it with :func:`create_app` / :class:`Sandbox` keywords, at run
time with :meth:`Sandbox.set_knobs`, or over HTTP with ``POST /_sandbox/knobs``. Other admin
endpoints: ``GET /_sandbox/`` (this list, the settings and the demo orders),
``POST /_sandbox/reset`` and ``GET /_sandbox/requests`` (the request log).

Requires the ``sandbox`` extra (``pip install 'orderpatch[sandbox]'``: starlette and uvicorn).
Without it, ``python -m orderpatch.sandbox --help`` still works, and using anything that serves
raises :class:`SandboxExtraMissing` (a ``ModuleNotFoundError``) that says what to install.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from ._cli import main
from ._extra import SandboxExtraMissing, import_served
from ._knobs import Knobs
from ._state import RequestRecord

if TYPE_CHECKING:
    from ._app import VENDORS, create_app
    from ._credentials import DEMO_ORDER_IDS, SANDBOX_CREDENTIALS
    from ._middleware import ConnectionDropped
    from ._runner import (
        CommerceLayerSettings,
        LicenseSpringSettings,
        Sandbox,
        SpreeAdminSettings,
        SpreeSettings,
        TrunkerySettings,
    )

#: Names that need starlette (and uvicorn to serve), imported on first use.
_SERVED: dict[str, str] = {
    "DEMO_ORDER_IDS": "._credentials",
    "SANDBOX_CREDENTIALS": "._credentials",
    "VENDORS": "._app",
    "create_app": "._app",
    "ConnectionDropped": "._middleware",
    "Sandbox": "._runner",
    "CommerceLayerSettings": "._runner",
    "LicenseSpringSettings": "._runner",
    "SpreeSettings": "._runner",
    "SpreeAdminSettings": "._runner",
    "TrunkerySettings": "._runner",
}

__all__ = [
    "DEMO_ORDER_IDS",
    "SANDBOX_CREDENTIALS",
    "VENDORS",
    "CommerceLayerSettings",
    "ConnectionDropped",
    "Knobs",
    "LicenseSpringSettings",
    "RequestRecord",
    "Sandbox",
    "SandboxExtraMissing",
    "SpreeAdminSettings",
    "SpreeSettings",
    "TrunkerySettings",
    "create_app",
    "main",
]


def __getattr__(name: str) -> object:
    module = _SERVED.get(name)
    if module is None:
        raise AttributeError(f"module 'orderpatch.sandbox' has no attribute {name!r}")
    value = getattr(import_served(lambda: importlib.import_module(module, __name__)), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
