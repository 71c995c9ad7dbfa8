"""Admin endpoints under ``/_sandbox/``: an index, reset, request log and knobs, for tests and demos.

They bypass the fault injection and are not logged, so a test can always reach them, even with
``drop_rate=1.0``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ._credentials import DEMO_ORDER_IDS
from ._http import BodyError, json_response, parse_json
from ._state import SandboxState

#: The admin endpoints, as the index lists them.
_ENDPOINTS = {
    "GET /_sandbox/": "this index",
    "POST /_sandbox/reset": "reseed every vendor, clear the request log (issued tokens stay valid)",
    "GET /_sandbox/requests?vendor=NAME": "the vendor requests received so far, oldest first",
    "GET /_sandbox/knobs": "the fault-injection knobs",
    "POST /_sandbox/knobs": "change knobs with a JSON object, e.g. {\"error_rate\": 0.5}",
}


def admin_routes(state: SandboxState, reset: Callable[[], None], vendors: Sequence[str] = ()) -> list[BaseRoute]:
    """The admin routes, relative to ``/_sandbox``; ``reset`` reseeds every vendor."""

    async def index(request: Request) -> Response:
        root = str(request.base_url).rstrip("/")
        listed = {
            name: {"base_url": f"{root}/{name}", "demo_order_id": DEMO_ORDER_IDS.get(name)} for name in vendors
        }
        return json_response({"sandbox": "orderpatch", "endpoints": _ENDPOINTS, "vendors": listed,
                              "knobs": state.knobs.as_dict()})

    async def do_reset(request: Request) -> Response:
        reset()
        return json_response({"reset": True})

    async def requests_log(request: Request) -> Response:
        vendor = request.query_params.get("vendor")
        records = [r.as_dict() for r in state.requests() if vendor is None or r.vendor == vendor]
        return json_response({"count": len(records), "requests": records})

    async def knobs(request: Request) -> Response:
        if request.method == "POST":
            try:
                changes = parse_json(await request.body())
                if not isinstance(changes, dict):
                    raise BodyError("expected a JSON object of knob names to values")
                state.set_knobs(state.knobs.updated(changes))
            except ValueError as exc:  # BodyError is a ValueError too
                return json_response({"error": str(exc)}, 400)
        return json_response(state.knobs.as_dict())

    return [
        Route("/", index, methods=["GET"]),
        Route("/reset", do_reset, methods=["POST"]),
        Route("/requests", requests_log, methods=["GET"]),
        Route("/knobs", knobs, methods=["GET", "POST"]),
    ]
