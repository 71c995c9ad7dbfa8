"""The one error model of orderpatch.

```text
OrderPatchError
├── ConfigurationError          bad client or facade configuration (no I/O happened)
├── ClientClosed                the client was used after close() (no I/O happened)
├── ValidationError             bad input, raised before any request is sent
│   └── UnsupportedChange       a vendor-neutral change the configured vendor cannot take
├── TransportError              no usable HTTP response
│   ├── Timeout                 a timeout, or the call's overall deadline ran out
│   └── ConnectionFailed        refused, reset, DNS, TLS, protocol errors
└── APIError                    the vendor answered, with an error or an unusable body
    ├── AuthenticationError     401
    ├── PermissionDenied        403
    ├── NotFound                404
    ├── Conflict                409 (and vendor version mismatches)
    ├── UnprocessableEntity     400, 422
    ├── RateLimited             429 (``retry_after`` in seconds)
    ├── ServerError             5xx
    └── DecodeError             a 2xx (or error) body that is not what the vendor documents
```

Every ``APIError`` carries ``status``, ``vendor``, ``code``, ``message``, ``request_id`` and
``body`` (truncated, with secrets scrubbed), plus every vendor error detail in ``errors``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from ._types import JSONValue

if TYPE_CHECKING:
    from ._http import httpx

__all__ = [
    "APIError",
    "AuthenticationError",
    "ClientClosed",
    "ConfigurationError",
    "Conflict",
    "ConnectionFailed",
    "DecodeError",
    "ErrorDetail",
    "NotFound",
    "OrderPatchError",
    "PermissionDenied",
    "RateLimited",
    "ServerError",
    "Timeout",
    "TransportError",
    "UnprocessableEntity",
    "UnsupportedChange",
    "ValidationError",
]


class OrderPatchError(Exception):
    """Root of every error raised by orderpatch."""


class ConfigurationError(OrderPatchError, ValueError):
    """A client or facade setting is missing or wrong; ``key`` names it."""

    def __init__(self, message: str, *, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


class ClientClosed(OrderPatchError, RuntimeError):
    """The client (or the ``http_client`` it was given) was closed; create a new one, or use ``with``."""


class ValidationError(OrderPatchError, ValueError):
    """Bad input, detected before any request was sent.

    ``field`` is the dotted path of the offending field (``"OrderUpdate.is_test"``) and
    ``expected`` says what would have been accepted.
    """

    def __init__(self, message: str, *, field: str | None = None, expected: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.expected = expected


class UnsupportedChange(ValidationError):
    """A vendor-neutral change names a field that the configured vendor cannot take."""

    def __init__(self, *, vendor: str, field: str, alternative: str | None = None) -> None:
        hint = f"; use {alternative} instead" if alternative else ""
        super().__init__(
            f"{vendor} cannot take OrderChanges.{field}{hint}",
            field=field,
            expected=alternative,
        )
        self.vendor = vendor
        self.alternative = alternative


class TransportError(OrderPatchError):
    """No usable HTTP response: the request failed on the network or timed out.

    ``request`` is the ``httpx.Request`` that failed, its credentials redacted (URL query
    values, credential headers and secrets in the body as ``***``), or ``None``.
    """

    def __init__(self, message: str, *, vendor: str, method: str, url: str, retries_taken: int = 0,
                 request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.vendor = vendor
        self.method = method
        self.url = url
        self.retries_taken = retries_taken
        self.request = request


class Timeout(TransportError):
    """A connect/read/write/pool timeout, or the call's overall ``deadline`` ran out."""


class ConnectionFailed(TransportError):
    """The connection was refused, reset, or broke mid-response."""


@attrs.frozen(kw_only=True)
class ErrorDetail:
    """One error reported by a vendor (JSON:API ``errors[]`` entry, a field message, …)."""

    code: str | None = None
    title: str | None = None
    detail: str | None = None
    field: str | None = None
    pointer: str | None = None
    status: str | None = None
    meta: JSONValue = None


class APIError(OrderPatchError):
    """The vendor answered with an error, or with a body orderpatch could not use.

    ``retry_after`` is the vendor's ``Retry-After`` hint in seconds (429/503), else ``None``.
    ``response`` and ``request`` are the ``httpx`` objects of the exchange, as in openai-python,
    with credentials redacted (credential headers and secrets in the bodies as ``***``); the
    response body can be read (``error.response.json()``). Either may be ``None`` for an error
    built by hand.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        vendor: str,
        code: str | None = None,
        request_id: str | None = None,
        body: str | None = None,
        errors: Sequence[ErrorDetail] = (),
        headers: httpx.Headers | None = None,
        retries_taken: int = 0,
        idempotency_key: str | None = None,
        retry_after: float | None = None,
        response: httpx.Response | None = None,
        request: httpx.Request | None = None,
    ) -> None:
        super().__init__(message)
        self.response = response
        self.request = request
        self.retry_after = retry_after
        self.message = message
        self.status = status
        self.vendor = vendor
        self.code = code
        self.request_id = request_id
        self.body = body
        self.errors = tuple(errors)
        if headers is None:
            from ._http import httpx  # errors stays importable without loading the HTTP package

            headers = httpx.Headers()
        self.headers = headers
        self.retries_taken = retries_taken
        self.idempotency_key = idempotency_key

    def __str__(self) -> str:
        code = f" {self.code}" if self.code and self.code != str(self.status) else ""  # not "404 404"
        rid = f" (request id {self.request_id})" if self.request_id else ""
        return f"{self.vendor} answered {self.status}{code}: {self.message}{rid}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, vendor={self.vendor!r}, "
            f"code={self.code!r}, message={self.message!r}, request_id={self.request_id!r})"
        )


class AuthenticationError(APIError):
    """401: the credentials were missing, wrong, expired or lack a required scope."""


class PermissionDenied(APIError):
    """403: the credentials are valid but not allowed to do this."""


class NotFound(APIError):
    """404: no such order (or not visible to these credentials)."""


class Conflict(APIError):
    """409, or a vendor's version mismatch: the order changed since you read it."""


class UnprocessableEntity(APIError):
    """400/422: the vendor refused the change; ``errors`` holds the per-field messages."""


class RateLimited(APIError):
    """429: too many requests; ``retry_after`` is the vendor's hint in seconds, if any."""


class ServerError(APIError):
    """5xx: the vendor failed; safe retries were already attempted."""


class DecodeError(APIError):
    """The body is not what the vendor documents: HTML, truncated JSON, wrong shape, too large."""


_BY_STATUS: dict[int, type[APIError]] = {
    400: UnprocessableEntity,
    401: AuthenticationError,
    403: PermissionDenied,
    404: NotFound,
    409: Conflict,
    422: UnprocessableEntity,
    429: RateLimited,
}


def error_class_for_status(status: int) -> type[APIError]:
    """The ``APIError`` subclass that stands for an HTTP status."""
    cls = _BY_STATUS.get(status)
    if cls is not None:
        return cls
    if status >= 500:
        return ServerError
    return APIError
