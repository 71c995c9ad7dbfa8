"""The request pipeline shared by every vendor: send → classify → retry or raise → decode.

``SyncAPIClient`` and ``AsyncAPIClient`` differ only where they wait (``send``, ``read``,
``sleep``). Every decision — per-attempt timeout under the overall deadline, whether a failure
may be retried, how long to back off, which error to raise, how to decode — is made once, in
``_Attempts``, which both drivers call.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import re
import ssl
import sys
import time
from collections.abc import Mapping
from typing import Any, Generic, NoReturn, Self, TypeAlias, TypedDict, TypeVar

import attrs

from . import _http, _log
from ._constants import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_POOL_TIMEOUT,
    DEFAULT_READ_TIMEOUT,
    DEFAULT_WRITE_TIMEOUT,
    MAX_CONNECTIONS,
    MAX_KEEPALIVE_CONNECTIONS,
    MAX_RESPONSE_BYTES,
    RATE_LIMIT_REMAINING_HEADER,
    REPLAY_ALLOWED,
)
from ._exchange import readable_response, redacted_request
from ._http import httpx
from ._ratelimit import AsyncObserver, RateLimiter
from ._response import ResponseMeta, report_meta
from ._retry import backoff_delay, is_retryable_exception, is_retryable_status, parse_retry_after
from ._spec import Call, VendorSpec, build_api_error, decode_json, json_typed, request_id_of
from ._types import UNSET, Secret, Unset
from ._validation import parse_base_url
from ._version import __version__
from .errors import (
    APIError,
    ClientClosed,
    ConfigurationError,
    ConnectionFailed,
    Timeout,
    TransportError,
    ValidationError,
)

__all__ = [
    "AsyncAPIClient",
    "AsyncResource",
    "RequestOptions",
    "SyncAPIClient",
    "SyncResource",
    "TimeoutTypes",
    "as_base_url",
    "secret_setting",
]

T = TypeVar("T")
HttpT = TypeVar("HttpT", bound=httpx.Client | httpx.AsyncClient)
TimeoutTypes: TypeAlias = float | httpx.Timeout

#: Names the HTTP package actually in use: ``httpx/0.28.1`` or ``httpx2/2.16.2``.
USER_AGENT = (
    f"orderpatch/{__version__} python/{sys.version_info[0]}.{sys.version_info[1]} {httpx.__name__}/{httpx.__version__}"
)
DEFAULT_TIMEOUT = httpx.Timeout(
    connect=DEFAULT_CONNECT_TIMEOUT, read=DEFAULT_READ_TIMEOUT, write=DEFAULT_WRITE_TIMEOUT, pool=DEFAULT_POOL_TIMEOUT
)
DEFAULT_LIMITS = httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_KEEPALIVE_CONNECTIONS)

# Tests replace these to observe back-off without waiting.
_sleep = time.sleep
_asleep = asyncio.sleep
_clock = time.monotonic


def _as_timeout(value: object, *, name: str) -> httpx.Timeout:
    if isinstance(value, httpx.Timeout):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return httpx.Timeout(float(value), connect=min(float(value), DEFAULT_CONNECT_TIMEOUT))
    raise ValidationError(
        f"{name}: expected a positive number of seconds or an httpx.Timeout, got {value!r}",
        field=name,
        expected="positive float or httpx.Timeout",
    )


def _as_retries(value: object, *, name: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10:
        return value
    raise ValidationError(f"{name}: expected an int from 0 to 10, got {value!r}", field=name, expected="int 0..10")


def _as_deadline(value: object, *, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    raise ValidationError(
        f"{name}: expected a positive number of seconds or None, got {value!r}",
        field=name,
        expected="positive float or None",
    )


_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # an RFC 9110 token


def _as_str_mapping(value: object, *, name: str, header: bool = False) -> dict[str, str]:
    """``extra_headers``/``extra_query`` checked before any I/O: a mapping of str to str.

    Header names must be tokens and values printable ASCII, so nothing can inject a line
    (CR/LF) or fail to encode once the request is on its way.
    """
    expected = "a mapping of header names to printable ASCII strings" if header else "a mapping of str to str"
    if not isinstance(value, Mapping):
        raise ValidationError(f"{name}: expected {expected}, got {type(value).__name__}", field=name, expected=expected)
    checked: dict[str, str] = {}
    for key, item in value.items():
        where = f"{name}[{key!r:.40}]"
        if not isinstance(key, str) or not isinstance(item, str):
            got = type(key).__name__ if not isinstance(key, str) else type(item).__name__
            raise ValidationError(f"{where}: expected {expected}, got {got}", field=name, expected=expected)
        if header and not _HEADER_NAME.fullmatch(key):
            raise ValidationError(f"{where}: not a valid header name", field=name, expected=expected)
        if header and item and not _HEADER_SAFE.fullmatch(item):
            raise ValidationError(
                f"{where}: the value must be printable ASCII (no CR, LF or other control characters)",
                field=name, expected=expected,
            )
        checked[key] = item
    return checked


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context for every client orderpatch creates: building one costs ~75 ms."""
    # The package's own defaults: SSL_CERT_FILE / SSL_CERT_DIR when set, else certifi (httpx) or the
    # operating system's store (httpx2); docs/http.md.
    return httpx.create_ssl_context()


_HEADER_SAFE = re.compile(r"[\x20-\x7e]+")


def secret_setting(value: object, *, name: str, what: str) -> Secret:
    """A required credential as a ``Secret``; ``ConfigurationError`` naming it when missing or empty."""
    text = value.get_secret_value() if isinstance(value, Secret) else value
    if isinstance(text, str) and text.strip():
        if not _HEADER_SAFE.fullmatch(text.strip()):
            raise ConfigurationError(
                f"{name}: expected {what} of printable ASCII characters (it is sent in an HTTP header)", key=name
            )
        return value if isinstance(value, Secret) and text == text.strip() else Secret(text.strip())
    got = "nothing" if value is None or value == "" else type(value).__name__
    raise ConfigurationError(f"{name}: missing credential; expected {what}, got {got}", key=name)


def as_base_url(value: object, *, name: str = "base_url") -> httpx.URL:
    """An absolute http(s) URL without query or fragment; ``ConfigurationError`` naming ``name``."""
    if isinstance(value, httpx.URL):
        value = str(value)
    if not isinstance(value, str):
        raise ConfigurationError(f"{name}: expected an absolute http(s) URL as a string, got {type(value).__name__}",
                                 key=name)
    try:
        url = parse_base_url(value, example="https://host")
    except ValueError as exc:
        raise ConfigurationError(f"{name}: {exc}", key=name) from None
    return url.copy_with(path=url.path.rstrip("/") or "/")


_as_base_url = as_base_url  # older private name, kept for the vendor modules


class RequestOptions(TypedDict, total=False):
    """Per-call options every operation takes as keyword arguments.

    ``timeout`` (seconds or ``httpx.Timeout``) and ``max_retries`` override the client's for
    this call; ``deadline`` bounds the whole call, retries and back-off included, in seconds;
    ``extra_headers`` and ``extra_query`` are added to the request.
    """

    timeout: TimeoutTypes
    max_retries: int
    deadline: float | None
    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, str]


_OPTION_NAMES = frozenset(RequestOptions.__annotations__)
NO_OPTIONS: RequestOptions = {}


@attrs.frozen
class _Retry:
    delay: float


class _Attempts(Generic[T]):
    """The state of one logical call across its attempts; every retry decision lives here."""

    __slots__ = (
        "call",
        "client",
        "deadline_at",
        "idempotent",
        "last_error",
        "max_retries",
        "retries",
        "started",
        "timeout",
    )

    def __init__(self, client: _BaseClient[Any], call: Call[T], options: RequestOptions) -> None:
        self.client = client
        self.call = call
        unknown = options.keys() - _OPTION_NAMES
        if unknown:
            raise ValidationError(
                f"unknown call option(s) {sorted(unknown)}; expected some of {sorted(_OPTION_NAMES)}",
                field=sorted(unknown)[0],
                expected=", ".join(sorted(_OPTION_NAMES)),
            )
        request = call.request
        if "extra_headers" in options:
            request.headers.update(_as_str_mapping(options["extra_headers"], name="extra_headers", header=True))
        if "extra_query" in options:
            request.url = request.url.copy_merge_params(_as_str_mapping(options["extra_query"], name="extra_query"))
        self.timeout = _as_timeout(options["timeout"], name="timeout") if "timeout" in options else client.timeout
        self.max_retries = (
            _as_retries(options["max_retries"], name="max_retries") if "max_retries" in options else client.max_retries
        )
        deadline = _as_deadline(options["deadline"], name="deadline") if "deadline" in options else client.deadline
        self.started = _clock()
        self.deadline_at = None if deadline is None else self.started + deadline
        self.idempotent = call.idempotent or (call.idempotency_key is not None and not call.once)
        self.retries = 0
        self.last_error: BaseException | None = None

    @property
    def secrets(self) -> tuple[str, ...]:
        """The credentials to scrub, read when needed: a token may be fetched during the call."""
        return self.client._auth_secrets()

    def time_left(self) -> float | None:
        """Seconds left of the call's deadline (``None`` without one): the most a rate limiter may wait."""
        return None if self.deadline_at is None else max(0.0, self.deadline_at - _clock())

    def observe(self, response: httpx.Response) -> None:
        """Tell the client's rate limiter what the server said about its budget."""
        limiter = self.client.rate_limiter
        if limiter is not None:
            limiter.observe(status=response.status_code, remaining=_remaining(response.headers),
                            retry_after=parse_retry_after(response.headers))

    async def aobserve(self, response: httpx.Response) -> None:
        """``observe`` for the async shell: awaits the limiter's ``aobserve`` where it has one."""
        limiter: object = self.client.rate_limiter
        if limiter is None:  # no pacing: nothing to tell (and a Protocol isinstance check costs ~8 µs)
            return
        if isinstance(limiter, AsyncObserver):
            await limiter.aobserve(status=response.status_code, remaining=_remaining(response.headers),
                                   retry_after=parse_retry_after(response.headers))
        else:
            self.observe(response)

    def begin(self) -> httpx.Request:
        """The request for the next attempt, with timeouts that fit in what remains of the deadline."""
        request = self.call.request
        timeout = self.timeout
        if self.deadline_at is not None:
            remaining = self.deadline_at - _clock()
            if remaining <= 0:
                self._deadline_exceeded()
            timeout = httpx.Timeout(
                connect=_cap(timeout.connect, remaining),
                read=_cap(timeout.read, remaining),
                write=_cap(timeout.write, remaining),
                pool=_cap(timeout.pool, remaining),
            )
        request.extensions["timeout"] = timeout.as_dict()
        request.extensions[REPLAY_ALLOWED] = self.idempotent
        return request

    def _deadline_exceeded(self) -> NoReturn:
        request = self.call.request
        raise Timeout(
            f"{request.method} {_log.redact_url(request.url)}: deadline exceeded after {self.retries + 1} attempt(s)",
            vendor=self.client.vendor.name,
            method=request.method,
            url=_log.redact_url(request.url),
            retries_taken=self.retries,
        ) from self.last_error

    def _may_retry(self, delay: float) -> bool:
        if self.retries >= self.max_retries:
            return False
        return self.deadline_at is None or _clock() + delay < self.deadline_at

    def _say(self, level: int, what: str, outcome: str, *details: object) -> None:
        """One line on the ``orderpatch`` logger: ``METHOD url -> outcome`` and ``what``, URL redacted."""
        if _log.logger.isEnabledFor(level):
            request = self.call.request
            _log.logger.log(
                level, "%s %s -> %s" + what, request.method, _log.redact_url(request.url), outcome, *details
            )

    def _log(self, outcome: str, started: float) -> None:
        self._say(10, " in %.1f ms (attempt %d of %d)", outcome, (_clock() - started) * 1000, self.retries + 1,
                  self.max_retries + 1)

    def _retrying(self, outcome: str, delay: float) -> float:
        """Count the retry about to happen and say so at INFO (``ORDERPATCH_LOG=info``)."""
        self.retries += 1
        self._say(20, "; retry %d of %d in %.2f s", outcome, self.retries, self.max_retries, delay)
        return delay

    def on_exception(self, exc: Exception, attempt_started: float) -> float:
        """The delay before retrying after ``exc``, or raise the error the caller should see."""
        self.last_error = exc
        self._log(type(exc).__name__, attempt_started)
        if isinstance(exc, APIError):  # raised by an auth flow (token endpoint): the call was not sent
            if is_retryable_status(exc.status, idempotent=True):
                delay = exc.retry_after if exc.retry_after is not None else backoff_delay(self.retries)
                if self._may_retry(delay):
                    return self._retrying(f"token endpoint {exc.status}", delay)
            exc.retries_taken = self.retries
            raise exc
        if not isinstance(exc, httpx.HTTPError):
            raise exc
        delay = backoff_delay(self.retries)
        if is_retryable_exception(exc, idempotent=self.idempotent) and self._may_retry(delay):
            return self._retrying(type(exc).__name__, delay)
        raise self._transport_error(exc) from exc

    def _transport_error(self, exc: httpx.HTTPError) -> TransportError:
        request = self.call.request
        url = _log.redact_url(request.url)
        cls = Timeout if isinstance(exc, httpx.TimeoutException) else ConnectionFailed
        reason = _log.scrub(str(exc) or type(exc).__name__, self.secrets)
        return cls(
            f"{request.method} {url} failed after {self.retries + 1} attempt(s): {type(exc).__name__}: {reason}",
            vendor=self.client.vendor.name,
            method=request.method,
            url=url,
            retries_taken=self.retries,
            request=redacted_request(request, self.secrets),
        )

    def body(self, response: httpx.Response) -> _Body:
        """A collector of the response body that refuses more than ``MAX_RESPONSE_BYTES``.

        A body announced as too large is refused before any of it is read.
        """
        body = _Body(self, response)
        try:
            length = int(response.headers.get("content-length", "0"))
        except ValueError:
            length = 0
        if length > MAX_RESPONSE_BYTES:
            self.too_large(response)
        return body

    def too_large(self, response: httpx.Response) -> NoReturn:
        raise build_api_error(
            self.client.vendor,
            response,
            b"",
            secrets=self.secrets,
            retries_taken=self.retries,
            decode_problem=f"body larger than {MAX_RESPONSE_BYTES} bytes",
            idempotency_key=self.call.idempotency_key,
        )

    def on_response(self, response: httpx.Response, content: bytes, attempt_started: float) -> T | _Retry:
        """The parsed result, a ``_Retry`` with its delay, or raise the vendor's error."""
        status = response.status_code
        self._log(str(status), attempt_started)
        vendor = self.client.vendor
        if 200 <= status < 300:
            try:
                read = self.call.read
                result = None if read is None or status == 204 or not json_typed(response.headers) else read(content)
                if result is None:
                    result = self.call.parse(None if status == 204 else decode_json(content, response.headers))
            except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError) as exc:
                raise build_api_error(
                    vendor,
                    response,
                    content,
                    secrets=self.secrets,
                    retries_taken=self.retries,
                    decode_problem=str(exc) or type(exc).__name__,
                    idempotency_key=self.call.idempotency_key,
                ) from None
            report_meta(lambda: self._meta(response, content))
            return result
        error = build_api_error(
            vendor,
            response,
            content,
            secrets=self.secrets,
            retries_taken=self.retries,
            idempotency_key=self.call.idempotency_key,
        )
        keyed = self.idempotent and self.call.idempotency_key is not None and status in vendor.keyed_retry_statuses
        if keyed or is_retryable_status(status, idempotent=self.idempotent):
            explicit = parse_retry_after(response.headers)
            if explicit is not None:  # the vendor said how long: exactly that
                delay = explicit
            else:  # a vendor's estimate (rate-limit headers) is a floor under the growing backoff
                hint = error.retry_after if error.retry_after is not None else vendor.retry_after(response)
                delay = max(hint or 0.0, backoff_delay(self.retries))
            if self._may_retry(delay):
                self.last_error = error
                return _Retry(self._retrying(str(status), delay))
        raise error

    def _meta(self, response: httpx.Response, content: bytes) -> ResponseMeta:
        request = redacted_request(self.call.request, self.secrets)
        return ResponseMeta(
            content=content,
            status_code=response.status_code,
            headers=response.headers,
            request_id=request_id_of(self.client.vendor, response.headers),
            retries_taken=self.retries,
            elapsed=_clock() - self.started,
            idempotency_key=self.call.idempotency_key,
            http_response=readable_response(response, content, request=request),
        )


class _Body:
    """The bytes of one response as they arrive, with the size cap applied chunk by chunk."""

    __slots__ = ("_attempts", "_buffer", "_response")

    def __init__(self, attempts: _Attempts[Any], response: httpx.Response) -> None:
        self._attempts = attempts
        self._response = response
        self._buffer = bytearray()

    def add(self, chunk: bytes) -> None:
        self._buffer += chunk
        if len(self._buffer) > MAX_RESPONSE_BYTES:
            self._attempts.too_large(self._response)
        deadline_at = self._attempts.deadline_at
        if deadline_at is not None and _clock() > deadline_at:
            # A body that trickles in resets httpx's read timeout with every chunk: the deadline
            # bounds the whole call, so it is checked here too.
            raise httpx.ReadTimeout("deadline exceeded while the response body was arriving",
                                    request=self._response.request)

    def content(self) -> bytes:
        return bytes(self._buffer)


def _remaining(headers: httpx.Headers) -> int | None:
    raw = headers.get(RATE_LIMIT_REMAINING_HEADER)
    try:
        return None if raw is None else int(raw.strip())
    except ValueError:
        return None


def _as_rate_limiter(value: object) -> RateLimiter | None:
    if value is None or isinstance(value, RateLimiter):
        return value
    raise ConfigurationError(
        f"rate_limiter: expected an orderpatch.RateLimiter (acquire, aacquire, observe), got {type(value).__name__}",
        key="rate_limiter",
    )


def _cap(value: float | None, remaining: float) -> float:
    return remaining if value is None else min(value, remaining)


class _BaseClient(Generic[HttpT]):
    """Configuration shared by the sync and async clients; no I/O here."""

    vendor: VendorSpec
    _http: HttpT
    _http_type: type[HttpT]

    def __init__(
        self,
        *,
        vendor: VendorSpec,
        base_url: str | httpx.URL,
        auth: httpx.Auth,
        timeout: TimeoutTypes,
        max_retries: int,
        deadline: float | None,
        default_headers: Mapping[str, str] | None,
        http_client: HttpT | None,
        rate_limiter: RateLimiter | None = None,
    ) -> None:
        if http_client is not None:
            http_client = _http.check_http_client(http_client, self._http_type)
        self.vendor = vendor
        self.base_url = as_base_url(base_url)
        self._auth = auth
        self.timeout = _as_timeout(timeout, name="timeout")
        self.max_retries = _as_retries(max_retries, name="max_retries")
        self.deadline = _as_deadline(deadline, name="deadline")
        #: The request budget drawn from before every attempt (``None``: no pacing).
        self.rate_limiter = _as_rate_limiter(rate_limiter)
        self.default_headers: dict[str, str] = {"User-Agent": USER_AGENT, **(default_headers or {})}
        self._owns_http = http_client is None
        self._http = (
            http_client
            if http_client is not None
            else self._http_type(
                timeout=DEFAULT_TIMEOUT, limits=DEFAULT_LIMITS, follow_redirects=False, verify=_ssl_context()
            )
        )
        _log.configure_from_env()

    def _auth_secrets(self) -> tuple[str, ...]:
        """The credential values to scrub from bodies and messages."""
        secrets = getattr(self._auth, "secrets", None)
        return tuple(secrets()) if callable(secrets) else ()

    def with_options(
        self,
        *,
        timeout: TimeoutTypes | Unset = UNSET,
        max_retries: int | Unset = UNSET,
        deadline: float | Unset | None = UNSET,
        default_headers: Mapping[str, str] | None = None,
    ) -> Self:
        """A client with other defaults that shares this one's connection pool and token cache.

        The original is never changed; closing the copy leaves the shared pool open.
        """
        clone = copy.copy(self)
        clone._owns_http = False
        if timeout is not UNSET:
            clone.timeout = _as_timeout(timeout, name="timeout")
        if max_retries is not UNSET:
            clone.max_retries = _as_retries(max_retries, name="max_retries")
        if deadline is not UNSET:
            clone.deadline = _as_deadline(deadline, name="deadline")
        clone.default_headers = {**self.default_headers, **(default_headers or {})}
        for name, value in type(self).__dict__.items():  # resources are rebuilt for the clone
            if isinstance(value, functools.cached_property):
                clone.__dict__.pop(name, None)
        return clone

    def _attempts(self, call: Call[T], options: RequestOptions) -> _Attempts[T]:
        """Apply the default headers and start the attempt bookkeeping of one call."""
        if self._http.is_closed:  # httpx would raise a bare RuntimeError on send
            raise ClientClosed(
                f"{type(self).__name__} is closed: create a new client (or use it in a `with` block) "
                f"to send {call.request.method} {_log.redact_url(call.request.url)}"
            )
        headers = call.request.headers
        for name, value in self.default_headers.items():
            if name not in headers:  # setdefault, without the KeyError httpx's Headers raises inside it
                headers[name] = value
        return _Attempts(self, call, options)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self.base_url)!r}, auth={self._auth!r})"


class SyncAPIClient(_BaseClient[httpx.Client]):
    """The blocking client: a thin shell over ``_Attempts`` around an ``httpx.Client``."""

    _http_type = httpx.Client

    def request(self, call: Call[T], options: RequestOptions = NO_OPTIONS) -> T:
        """Send ``call`` with retries by policy and return its parsed result."""
        attempts = self._attempts(call, options)
        while True:
            if self.rate_limiter is not None:
                self.rate_limiter.acquire(timeout=attempts.time_left())
            request = attempts.begin()
            attempt_started = _clock()
            try:
                response = self._http.send(request, auth=self._auth, stream=True, follow_redirects=False)
                try:
                    body = attempts.body(response)
                    for chunk in response.iter_bytes():
                        body.add(chunk)
                finally:
                    response.close()
            except (httpx.HTTPError, APIError) as exc:
                delay = attempts.on_exception(exc, attempt_started)
            else:
                attempts.observe(response)
                outcome = attempts.on_response(response, body.content(), attempt_started)
                if not isinstance(outcome, _Retry):
                    return outcome
                delay = outcome.delay
            _sleep(delay)

    def close(self) -> None:
        """Close the connection pool if this client created it."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncAPIClient(_BaseClient[httpx.AsyncClient]):
    """The asyncio client: the same pipeline around an ``httpx.AsyncClient``."""

    _http_type = httpx.AsyncClient

    async def request(self, call: Call[T], options: RequestOptions = NO_OPTIONS) -> T:
        """Send ``call`` with retries by policy and return its parsed result."""
        attempts = self._attempts(call, options)
        while True:
            if self.rate_limiter is not None:
                await self.rate_limiter.aacquire(timeout=attempts.time_left())
            request = attempts.begin()
            attempt_started = _clock()
            try:
                response = await self._http.send(request, auth=self._auth, stream=True, follow_redirects=False)
                try:
                    body = attempts.body(response)
                    async for chunk in response.aiter_bytes():
                        body.add(chunk)
                finally:
                    await response.aclose()
            except (httpx.HTTPError, APIError) as exc:
                delay = attempts.on_exception(exc, attempt_started)
            else:
                await attempts.aobserve(response)
                outcome = attempts.on_response(response, body.content(), attempt_started)
                if not isinstance(outcome, _Retry):
                    return outcome
                delay = outcome.delay
            await _asleep(delay)

    async def close(self) -> None:
        """Close the connection pool if this client created it."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


class SyncResource:
    """Base of a vendor resource (``client.orders``) on a sync client."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client


class AsyncResource:
    """Base of a vendor resource (``client.orders``) on an async client."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client
