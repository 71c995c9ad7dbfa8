"""The common frame of an emulated vendor: a mounted sub-application with its own error shape.

Each vendor is a :class:`Vendor` subclass that seeds its data, declares its routes and renders a
generic error (unknown path, wrong method, 429, 503) the way that vendor does. The frame wires
those into a Starlette sub-application, so that a 404 under ``/spree`` looks like Spree's and a
404 under ``/commercelayer`` like Commerce Layer's.
"""

from __future__ import annotations

import abc
from typing import ClassVar

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ._auth import IssuedToken, TokenRegistry
from ._http import Reject
from ._knobs import Knobs
from ._state import SandboxState


class Vendor(abc.ABC):
    """One emulated vendor, mounted under ``/<name>``; subclasses fill in the vendor's facts."""

    #: The path prefix, and the name used by ``Sandbox.base_url()`` and ``settings()``.
    name: ClassVar[str]

    def __init__(self, state: SandboxState, tokens: TokenRegistry) -> None:
        self.state = state
        self.tokens = tokens
        self.reset()

    @abc.abstractmethod
    def reset(self) -> None:
        """Put the vendor's seeded data back (called at start and by ``/_sandbox/reset``)."""

    @abc.abstractmethod
    def routes(self) -> list[BaseRoute]:
        """The vendor's routes, relative to its prefix."""

    @abc.abstractmethod
    def error(self, status: int, message: str) -> Response:
        """A generic error (404, 405, 429, 503, ...) in this vendor's error format."""

    def throttled(self, retry_after: str) -> Response:
        """The vendor's 429 answer; the ``Retry-After`` header is added by the caller."""
        return self.error(429, "Too Many Requests")

    def response_headers(self, knobs: Knobs, now: float) -> dict[str, str]:
        """Headers this vendor puts on every response (e.g. rate-limit counters)."""
        return {}

    def issue_token(self, value: str, kind: str, scope: str) -> IssuedToken:
        """Register an access token issued now, living ``token_ttl`` seconds (the knob)."""
        token = IssuedToken(self.name, value, kind, scope, self.state.clock(), self.state.knobs.token_ttl)
        return self.tokens.add(token)

    def application(self) -> Starlette:
        """The vendor's sub-application, to be mounted under ``/<name>``."""
        app = Starlette(
            routes=self.routes(),
            exception_handlers={HTTPException: self._on_http_exception, Reject: _on_reject},
        )
        # Vendors decide themselves what a missing trailing slash means (LicenseSpring: 301).
        app.router.redirect_slashes = False
        return app

    async def _on_http_exception(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        response = self.error(exc.status_code, exc.detail)
        response.headers.update(exc.headers or {})
        return response


async def _on_reject(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Reject)
    return exc.response
