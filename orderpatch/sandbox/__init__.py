"""A local emulator of four vendors' order-update endpoints, for tests, demos and CI.

``orderpatch.sandbox`` serves Commerce Layer, Spree (Platform API v2), LicenseSpring (Management
API) and Trunkery / Lana Commerce under the path prefixes ``/commercelayer``, ``/spree``,
``/licensespring`` and ``/trunkery``, seeded with each vendor's documented example orders and
answering errors in each vendor's own format. It deliberately imports nothing from the SDK: the
SDK and the sandbox are two independent readings of the vendors' docs that check each other.

Fault injection (latency, 429 rate limits, a share of 503s, dropped connections, short token
lifetimes) is off by default; set it with :func:`create_app` / :class:`Sandbox` keywords, at run
time with :meth:`Sandbox.set_knobs`, or over HTTP with ``POST /_sandbox/knobs``. Other admin
endpoints: ``POST /_sandbox/reset`` and ``GET /_sandbox/requests`` (the request log).

Requires ``starlette`` (and ``uvicorn`` to serve); run ``python -m orderpatch.sandbox --help``.
"""

from ._app import VENDORS, create_app
from ._cli import main
from ._credentials import DEMO_ORDER_IDS, SANDBOX_CREDENTIALS
from ._knobs import Knobs
from ._middleware import ConnectionDropped
from ._redis_server import RedisServer, RedisUnavailable
from ._runner import Sandbox
from ._state import RequestRecord

__all__ = [
    "DEMO_ORDER_IDS",
    "SANDBOX_CREDENTIALS",
    "VENDORS",
    "ConnectionDropped",
    "Knobs",
    "RedisServer",
    "RedisUnavailable",
    "RequestRecord",
    "Sandbox",
    "create_app",
    "main",
]
