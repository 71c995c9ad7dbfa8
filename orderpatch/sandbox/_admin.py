"""Admin endpoints under ``/_sandbox/``: reset, request log and knobs, for tests and demos.

They bypass the fault injection and are not logged, so a test can always reach them, even with
``drop_rate=1.0``.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ._http import BodyError, json_response, parse_json
from ._state import SandboxState


def admin_routes(state: SandboxState, reset: Callable[[], None]) -> list[BaseRoute]:
    """The admin routes, relative to ``/_sandbox``; ``reset`` reseeds every vendor."""

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
        Route("/reset", do_reset, methods=["POST"]),
        Route("/requests", requests_log, methods=["GET"]),
        Route("/knobs", knobs, methods=["GET", "POST"]),
    ]
