"""What a vendor plugs into the core: its ``VendorSpec`` and, per operation, a ``Call``.

A vendor's ``_codec.py`` builds a ``Call`` with pure functions (typed request in, an
``httpx.Request`` and a parser out). The core sends it, retries it by policy, and turns an
error response into the right ``APIError`` with the vendor's ``describe_error``.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

import attrs
import msgspec

from ._constants import REQUEST_ID_HEADERS
from ._exchange import readable_response, redacted_request
from ._http import httpx
from ._log import body_preview, scrub
from ._retry import parse_retry_after
from ._types import JSONValue
from .errors import APIError, AuthenticationError, DecodeError, ErrorDetail, error_class_for_status

__all__ = [
    "Call",
    "ErrorInfo",
    "VendorSpec",
    "build_api_error",
    "decode_json",
    "json_typed",
    "encode_json",
    "request_id_of",
    "text_summary",
    "url_for",
]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class ErrorInfo:
    """A vendor error body, understood: the message, code and details, and an optional class."""

    message: str
    code: str | None = None
    errors: tuple[ErrorDetail, ...] = ()
    #: Overrides the class chosen from the status (e.g. a vendor's version mismatch → Conflict).
    error_class: type[APIError] | None = None


_HTML = re.compile(r"<\s*(?:!doctype|html|head|body|title)\b", re.I)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.I | re.S)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)


def text_summary(text: str, limit: int = 200) -> str:
    """A short message from a body that is not JSON: an HTML page's ``<title>`` (else its first
    ``<h1>``, else its text without tags), or the text with its whitespace squeezed."""
    if _HTML.search(text):
        for pattern in (_TITLE, _H1):
            found = pattern.search(text)
            title = " ".join(html.unescape(_TAG.sub(" ", found.group(1))).split()) if found else ""
            if title:
                return title[:limit]
        text = html.unescape(_TAG.sub(" ", _SCRIPT.sub(" ", text)))
    return " ".join(text.split())[:limit]


def default_describe_error(status: int, payload: JSONValue, text: str) -> ErrorInfo:
    if isinstance(payload, dict):
        for key in ("message", "detail", "error_description", "error", "title"):
            value = payload.get(key)
            if isinstance(value, str) and value:
                code = payload.get("code")
                return ErrorInfo(message=value, code=code if isinstance(code, str) else None)
    snippet = text_summary(text)
    return ErrorInfo(message=snippet or httpx.codes.get_reason_phrase(status) or f"HTTP {status}")


def _default_token_rejected(response: httpx.Response) -> bool:
    return response.status_code == 401


@attrs.frozen(kw_only=True)
class VendorSpec:
    """How the core talks to one vendor: its name and its error conventions."""

    name: str
    #: Turns an error status with its decoded body (``None`` when not JSON) and text into an ``ErrorInfo``.
    describe_error: Callable[[int, JSONValue, str], ErrorInfo] = default_describe_error
    #: Seconds to wait before retrying a 429/503 response; the default reads ``Retry-After``.
    retry_after: Callable[[httpx.Response], float | None] = lambda r: parse_retry_after(r.headers)
    #: Whether a response means "this access token is no longer good" (OAuth2 refresh once, replay).
    token_rejected: Callable[[httpx.Response], bool] = _default_token_rejected
    #: Response headers carrying the vendor's request id, most specific first.
    request_id_headers: tuple[str, ...] = REQUEST_ID_HEADERS
    #: Statuses also retried for a call with an ``Idempotency-Key`` the vendor replays (Spree v3: 409, 500).
    keyed_retry_statuses: frozenset[int] = frozenset()


@attrs.define(kw_only=True, slots=True)
class Call(Generic[T]):
    """One logical operation: the request to send and how to read a 2xx answer.

    ``parse`` gets the decoded JSON body and returns the typed result; it may raise
    ``ValueError``/``TypeError``/``KeyError`` for a wrong shape, which become ``DecodeError``.
    ``idempotent`` says whether repeating a request that may have reached the server is safe.
    ``once``: never repeated once it may have reached the server, even with an idempotency key
    (an action the server does not guard, whose replay depends on the vendor's cache).
    A 204 answer is parsed from ``None``. ``read``, when given, is a typed fast path: the body's
    bytes straight to the result (a decoder into structs, no JSON dicts on the way), or ``None``
    for "not of the usual shape", and then ``parse`` reads the body as usual; it must give exactly
    what ``parse`` would, and never raise.
    """

    request: httpx.Request
    parse: Callable[[JSONValue], T]
    idempotent: bool
    idempotency_key: str | None = None
    once: bool = False
    read: Callable[[bytes], T | None] | None = None


def url_for(
    base_url: httpx.URL,
    *segments: str,
    trailing_slash: bool = False,
    params: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
) -> httpx.URL:
    """``base_url`` (which may have a sub-path) joined with already-checked path ``segments``.

    ``params`` (a mapping, or pairs where a name repeats, as Rails' ``a[]=1&a[]=2``) are encoded
    here, as httpx would encode them, in the same single URL copy:
    passing ``params=`` to ``httpx.Request`` makes httpx parse and rebuild the URL again.
    """
    suffix = "/" + "/".join(segments)
    if trailing_slash:
        suffix += "/"
    query = _encoded(params) if params else None
    if query is not None and base_url.query:
        query = base_url.query.decode("ascii") + "&" + query
    if _FAST_URLS and _SAFE_SUFFIX.fullmatch(suffix) and (query is None or _SAFE_QUERY.fullmatch(query)):
        reference = base_url._uri_reference
        path = reference.path.rstrip("/") + suffix
        return _joined(reference._replace(path=path) if query is None else reference._replace(path=path, query=query))
    path = base_url.path.rstrip("/") + suffix
    if query is None:
        return base_url.copy_with(path=path)
    return base_url.copy_with(path=path, query=query.encode("ascii"))


#: A path suffix httpx's parser would leave exactly as it is: segments of unreserved and
#: sub-delimiter characters (nothing to percent-encode), none a ``.``/``..`` dot segment.
_SAFE_SUFFIX = re.compile(r"(?:/[A-Za-z0-9_:~@+\-][A-Za-z0-9._:~@+\-]*)+/?")
#: A name or value ``quote_plus`` leaves as it is (letters, digits, ``_.-~``).
_PLAIN = re.compile(r"[A-Za-z0-9_.~\-]*")


def _encoded(params: Mapping[str, str] | Sequence[tuple[str, str]]) -> str:
    """``urlencode(params)``, without its per-character quoting when every name and value is plain."""
    pairs = params.items() if type(params) is dict or isinstance(params, Mapping) else params
    plain = _PLAIN.fullmatch
    parts = []
    try:
        for name, value in pairs:
            if not (plain(name) and plain(value)):
                return urlencode(params)
            parts.append(f"{name}={value}")
    except TypeError:  # not strings: urlencode's own conversions
        return urlencode(params)
    return "&".join(parts)


#: A query as ``urlencode`` writes it (``quote_plus``): nothing httpx's parser would re-encode.
_SAFE_QUERY = re.compile(r"[A-Za-z0-9._~%+=&*\-]*")


def _joined(reference: Any) -> httpx.URL:  # an httpx ParseResult (private to httpx, so not named)
    """An ``httpx.URL`` holding an already-parsed reference (the base URL's, with the path and query replaced).

    ``base_url.copy_with(path=...)`` prints the whole URL and parses it again (a third of building
    a request). A base URL was parsed and normalised once, by httpx, when the client was made;
    a suffix matching ``_SAFE_SUFFIX`` and a query matching ``_SAFE_QUERY`` are what httpx's parser
    would return unchanged, so the reference is built directly. ``_FAST_URLS`` says whether this
    httpx (or httpx2) is laid out as expected and gives the same URL both ways; if not, the
    parser's way is always used.
    """
    url = httpx.URL.__new__(httpx.URL)
    url._uri_reference = reference
    return url


def _fast_urls_agree() -> bool:
    probes = [
        ("https://a.example.com", ("api", "orders", "x1"), False, None),
        ("https://user:pw@b.example.com:8443/base/", ("api", "v1", "o-1.2~@+:_"), True,
         {"include": "a.b,c", "f[x]": "y z"}),
        ("http://[::1]:8080/sub?k=v", ("orders.json",), False, [("a[]", "1"), ("a[]", "2")]),
        ("https://c.example/p?tenant=9", ("orders",), False, None),
        ("https://xn--bcher-kva.example/", ("api",), True, None),
    ]
    try:
        for base, segments, slash, params in probes:
            base_url = httpx.URL(base)
            fast = url_for(base_url, *segments, trailing_slash=slash, params=params)
            path = base_url.path.rstrip("/") + "/" + "/".join(segments) + ("/" if slash else "")
            query = urlencode(params) if params else None
            if query is not None and base_url.query:
                query = base_url.query.decode("ascii") + "&" + query
            slow = base_url.copy_with(path=path, **({} if query is None else {"query": query.encode("ascii")}))
            if (str(fast), fast.raw_path, fast.host, fast.port, fast.netloc) != (
                    str(slow), slow.raw_path, slow.host, slow.port, slow.netloc) or fast != slow:
                return False
    except Exception:
        return False
    return True


_FAST_URLS = True
_FAST_URLS = _fast_urls_agree()


#: ``json.dumps`` with these options would build a new encoder for every body.
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def encode_json(body: object) -> bytes:
    """A compact UTF-8 JSON body; NaN and infinities are refused (they are not JSON)."""
    return _ENCODER.encode(body).encode("utf-8")


def request_id_of(spec: VendorSpec, headers: httpx.Headers) -> str | None:
    """The vendor's request id from the response headers, if any."""
    for name in spec.request_id_headers:
        value: str | None = headers.get(name)
        if value:
            return value
    return None


#: msgspec's JSON decoder, to plain Python values: 2-3x ``json.loads`` on an order answer (the same
#: values; ``docs/performance.md``). A body it refuses is decoded by ``json.loads``, so what is
#: accepted, and how, stays ``json.loads``' behaviour.
_decode = msgspec.json.Decoder().decode


def json_typed(headers: httpx.Headers) -> bool:
    """Whether a body may be read as JSON by its content type: anything but an HTML page (``decode_json``)."""
    return "html" not in headers.get("content-type", "").lower()


def decode_json(content: bytes, headers: httpx.Headers) -> JSONValue:
    """Decode a JSON body; raise ``ValueError`` for HTML, empty or malformed bodies."""
    if not json_typed(headers):
        content_type = headers.get("content-type", "")
        raise ValueError(f"expected JSON, got a {content_type.split(';')[0]} page")
    if not content or content.isspace():  # ``not content.strip()``, without copying the body
        raise ValueError("expected JSON, got an empty body")
    try:
        return _decode(content)  # type: ignore[no-any-return]
    except (msgspec.DecodeError, RecursionError):
        pass  # json.loads takes a few documents msgspec refuses (a BOM, a lone surrogate, NaN): its verdict
    try:
        return json.loads(content)  # type: ignore[no-any-return]
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ValueError(f"expected JSON, got malformed data ({exc.__class__.__name__})") from None


def build_api_error(
    spec: VendorSpec,
    response: httpx.Response,
    content: bytes,
    *,
    secrets: Iterable[str] = (),
    retries_taken: int = 0,
    idempotency_key: str | None = None,
    decode_problem: str | None = None,
    token_endpoint: bool = False,
) -> APIError:
    """The ``APIError`` for an error response, or a ``DecodeError`` when ``decode_problem`` is given.

    ``token_endpoint``: the answer of an OAuth2 token request, where a 400 or 401 means the
    client credentials (or scope) were refused: always an ``AuthenticationError``.
    """
    status = response.status_code
    secrets = tuple(secrets)
    body = body_preview(content, secrets)
    try:
        sent: httpx.Request | None = response.request
    except RuntimeError:  # a response built by hand, without its request
        sent = None
    request = redacted_request(sent, secrets) if sent is not None else None
    common = {
        "response": readable_response(response, content, request=request, secrets=secrets),
        "request": request,
        "status": status,
        "vendor": spec.name,
        "request_id": request_id_of(spec, response.headers),
        "body": body,
        "headers": response.headers,
        "retries_taken": retries_taken,
        "idempotency_key": idempotency_key,
    }
    if decode_problem is not None:
        problem = scrub(decode_problem, secrets)
        return DecodeError(f"unusable {status} response: {problem}", **common)  # type: ignore[arg-type]
    try:
        # Decoded from scrubbed text, so an echoed credential cannot reach any field the vendor's
        # describe_error fills (message, code, field, meta), whatever it truncates or quotes.
        clean = scrub(content.decode("utf-8", errors="replace"), secrets).encode("utf-8") if secrets else content
        payload = decode_json(clean, response.headers)
    except ValueError:
        payload = None
    try:
        info = spec.describe_error(status, payload, body)
    except Exception:
        info = default_describe_error(status, payload, body)
    # The vendor may echo a credential back; nothing shown to a person may carry one.
    info = attrs.evolve(
        info,
        message=scrub(info.message, secrets),
        errors=tuple(
            attrs.evolve(d, detail=d.detail and scrub(d.detail, secrets), title=d.title and scrub(d.title, secrets))
            for d in info.errors
        ),
    )
    cls = info.error_class or error_class_for_status(status)
    if token_endpoint and status in (400, 401):
        cls = AuthenticationError
    if 300 <= status < 400:
        location = scrub(str(response.headers.get("location", "?")), secrets)
        info = attrs.evolve(info, message=f"unexpected redirect to {location}; orderpatch does not follow redirects")
    retry_after = spec.retry_after(response) if status in (429, 503) else None
    return cls(
        info.message,
        code=info.code,
        errors=info.errors,
        retry_after=retry_after,
        **common,  # type: ignore[arg-type]
    )
