"""Copies of an HTTP exchange that are safe to hand to the caller: readable, with secrets redacted.

Errors carry ``.request`` and ``.response`` and raw responses carry ``.http_response`` (as
openai-python's do). The pipeline streams and closes the real response, and the real request
holds the credentials, so these are copies: the URL with secret-looking query values as ``***``,
credential headers as ``***``, known secret values scrubbed from the bodies, and a response body
that can be read (``.text``, ``.json()``) because it already was.
"""

from __future__ import annotations

from collections.abc import Iterable

from ._http import httpx
from ._log import redact_url, scrub

__all__ = ["SECRET_HEADERS", "readable_response", "redacted_headers", "redacted_request"]

#: Headers whose value is a credential whatever it looks like.
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "x-auth-token"}
)
#: Headers that describe the bytes on the wire, not the decoded body a copy holds.
_WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def redacted_headers(headers: httpx.Headers, secrets: Iterable[str] = (), *, drop: Iterable[str] = ()) -> httpx.Headers:
    """``headers`` with credential headers as ``***`` and known secret values scrubbed from the others."""
    secrets = tuple(secrets)
    dropped = frozenset(drop)
    items: list[tuple[str, str]] = []
    for name, value in headers.multi_items():
        lower = name.lower()
        if lower in dropped:
            continue
        items.append((name, "***" if lower in SECRET_HEADERS else scrub(value, secrets)))
    return httpx.Headers(items)


def _body(message: httpx.Request | httpx.Response) -> bytes:
    try:
        return message.content
    except (httpx.RequestNotRead, httpx.ResponseNotRead):  # a stream nobody read: nothing to copy
        return b""


def redacted_request(request: httpx.Request, secrets: Iterable[str] = ()) -> httpx.Request:
    """A copy of ``request`` without its credentials (URL, headers and body redacted)."""
    secrets = tuple(secrets)
    body = _body(request)
    content = scrub(body.decode("utf-8", errors="replace"), secrets).encode("utf-8") if body else b""
    return httpx.Request(
        request.method,
        redact_url(request.url),
        headers=redacted_headers(request.headers, secrets, drop=("content-length",)),
        content=content,
    )


def readable_response(
    response: httpx.Response, content: bytes, *, request: httpx.Request | None, secrets: Iterable[str] = ()
) -> httpx.Response:
    """A copy of ``response`` whose body (``content``, already decoded) can be read again.

    ``secrets`` are scrubbed from the body too (for an error; a successful body is the caller's data).
    """
    secrets = tuple(secrets)
    if secrets and content:
        content = scrub(content.decode("utf-8", errors="replace"), secrets).encode("utf-8")
    return httpx.Response(
        response.status_code,
        headers=redacted_headers(response.headers, secrets, drop=_WIRE_HEADERS),
        content=content,
        request=request,
        extensions={k: v for k, v in response.extensions.items() if k in ("http_version", "reason_phrase")},
    )
