"""Raw response access: ``ResponseMeta`` and ``with_raw_response``.

Every operation returns the typed result. To also get the HTTP metadata (status, headers,
request id, retries taken, elapsed time, rate-limit headers) and the body as it came, call the
same operation through ``client.orders.with_raw_response``, which returns an
:class:`APIResponse`, as openai-python's raw responses do: ``.parse()`` gives the typed result,
``.text``, ``.content`` and ``.json()`` the body, ``.http_response`` the ``httpx.Response``.
"""

from __future__ import annotations

import contextvars
import functools
import json
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar, cast

import attrs
from typing_extensions import ParamSpec

from ._http import httpx
from ._types import JSONValue

__all__ = ["APIResponse", "RateLimitInfo", "ResponseMeta"]

T = TypeVar("T")
P = ParamSpec("P")


def _int_header(headers: httpx.Headers, name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


@attrs.frozen(kw_only=True)
class RateLimitInfo:
    """The vendor's rate-limit headers (``X-Ratelimit-Limit/-Remaining/-Interval/-Reset``), if sent."""

    limit: int | None
    remaining: int | None
    interval: int | None
    reset: int | None

    @classmethod
    def from_headers(cls, headers: httpx.Headers) -> RateLimitInfo | None:
        """Parse the headers; ``None`` when the vendor sent none of them."""
        info = cls(
            limit=_int_header(headers, "x-ratelimit-limit"),
            remaining=_int_header(headers, "x-ratelimit-remaining"),
            interval=_int_header(headers, "x-ratelimit-interval"),
            reset=_int_header(headers, "x-ratelimit-reset"),
        )
        return None if info == cls(limit=None, remaining=None, interval=None, reset=None) else info


@attrs.frozen(kw_only=True)
class ResponseMeta:
    """What is known about the final HTTP exchange of a call."""

    status_code: int
    headers: httpx.Headers
    request_id: str | None
    retries_taken: int
    #: Seconds from the start of the call (first attempt) to the parsed result.
    elapsed: float
    idempotency_key: str | None
    #: The final ``httpx.Response``: its body already read (and decoded), so ``.text``/``.json()``
    #: work; its ``request`` with the credentials redacted; ``Content-Encoding``/``-Length`` dropped
    #: (they describe the bytes on the wire). The original headers are in ``headers``.
    http_response: httpx.Response = attrs.field(repr=False)
    #: The response body, decoded from any ``Content-Encoding``.
    content: bytes = attrs.field(default=b"", repr=False)

    @property
    def rate_limit(self) -> RateLimitInfo | None:
        """The vendor's rate-limit headers, parsed."""
        return RateLimitInfo.from_headers(self.headers)


@attrs.frozen(kw_only=True)
class APIResponse(Generic[T]):
    """A typed result together with the metadata of the response it came from."""

    meta: ResponseMeta
    parsed: T = attrs.field(repr=False)

    def parse(self) -> T:
        """The typed result."""
        return self.parsed

    @property
    def http_response(self) -> httpx.Response:
        """The final ``httpx.Response`` (body readable; request redacted): see :attr:`ResponseMeta.http_response`."""
        return self.meta.http_response

    @property
    def content(self) -> bytes:
        """The response body as bytes."""
        return self.meta.content

    @property
    def text(self) -> str:
        """The response body as text, in the charset the response declares (UTF-8 by default)."""
        return self.meta.http_response.text

    def json(self) -> JSONValue:
        """The response body decoded as JSON (``ValueError`` if it is not JSON)."""
        return cast(JSONValue, json.loads(self.meta.content))

    @property
    def status_code(self) -> int:
        return self.meta.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.meta.headers

    @property
    def request_id(self) -> str | None:
        return self.meta.request_id

    @property
    def retries_taken(self) -> int:
        return self.meta.retries_taken

    @property
    def elapsed(self) -> float:
        return self.meta.elapsed


# The pipeline reports each call's metadata here when a raw-response wrapper is listening.
_meta_sink: contextvars.ContextVar[list[ResponseMeta] | None] = contextvars.ContextVar(
    "orderpatch_meta_sink", default=None
)


def report_meta(meta_factory: Callable[[], ResponseMeta]) -> None:
    """Hand a call's metadata to a listening ``with_raw_response`` wrapper (built only if one listens)."""
    sink = _meta_sink.get()
    if sink is not None:
        sink.append(meta_factory())


def raw_response_wrapper(func: Callable[P, T]) -> Callable[P, APIResponse[T]]:
    """Wrap a sync operation so that it returns ``APIResponse[T]`` instead of ``T``."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        sink: list[ResponseMeta] = []
        token = _meta_sink.set(sink)
        try:
            parsed = func(*args, **kwargs)
        finally:
            _meta_sink.reset(token)
        return APIResponse(meta=sink[-1], parsed=parsed)

    return wrapped


def async_raw_response_wrapper(func: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[APIResponse[T]]]:
    """Wrap an async operation so that it returns ``APIResponse[T]`` instead of ``T``."""

    @functools.wraps(func)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        sink: list[ResponseMeta] = []
        token = _meta_sink.set(sink)
        try:
            parsed = await func(*args, **kwargs)
        finally:
            _meta_sink.reset(token)
        return APIResponse(meta=sink[-1], parsed=parsed)

    return wrapped
