"""Logging: the ``orderpatch`` logger, ``ORDERPATCH_LOG``, and redaction of URLs and bodies.

One DEBUG line per attempt names the method, the URL without query values that look secret,
the status, the elapsed time and the attempt number. Header values are never logged.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import types
import warnings
from collections.abc import Iterable

from ._constants import ERROR_BODY_LIMIT, LOG_ENV_VAR, LOGGER_NAME
from ._http import LOGGER_ROOTS, LOGGERS, httpx

logger = logging.getLogger(LOGGER_NAME)

#: The values of ``ORDERPATCH_LOG`` that attach a handler, and those that mean "no logging".
LOG_LEVELS = ("debug", "info")
LOG_OFF = ("", "off", "none", "0", "false")

_SENSITIVE_QUERY_KEYS = frozenset(
    {
        "token",
        "access_token",
        "api_key",
        "apikey",
        "key",
        "secret",
        "client_secret",
        "password",
        "signature",
        "jwt",
        "uuid",
    }
)
# "access_token": "…", client_secret=…, Bearer …, Api-Key … in a body or message.
_SECRET_PATTERNS = (
    re.compile(
        r'("(?:access_token|refresh_token|id_token|client_secret|api_key|token|password)"\s*:\s*")[^"]*(")', re.I
    ),
    re.compile(r"((?:access_token|refresh_token|client_secret|api_key|password)=)[^&\s]+", re.I),
    re.compile(r"((?:Bearer|Api-Key|Basic)\s+)[A-Za-z0-9._~+/=-]+", re.I),
)
_configured = False


class _Redact(logging.Filter):
    """Redacts what the HTTP package and its httpcore log: secret-looking query values in URLs
    (httpx's ``HTTP Request: POST <url> …``), and secret-shaped fragments in any other message
    (httpcore's traces, pre-formatted, can carry headers and exception texts)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and args:
            record.args = tuple(
                redact_url(arg) if isinstance(arg, httpx.URL) else scrub(arg) if isinstance(arg, str) else arg
                for arg in args
            )
        if isinstance(record.msg, str):
            record.msg = scrub(record.msg)
        return True


def configure_from_env() -> None:
    """Once per process: redact the log lines of the HTTP package (httpx or httpx2, and its
    httpcore), and attach a stderr handler when ``ORDERPATCH_LOG`` is ``info`` (a line per retry)
    or ``debug`` (and a line per attempt)."""
    global _configured
    if _configured:
        return
    _configured = True
    redact = _Redact()
    for name in http_loggers():  # both packages' loggers, whichever one this process runs on
        logging.getLogger(name).addFilter(redact)
    raw = os.environ.get(LOG_ENV_VAR, "")
    level = raw.strip().lower()
    if level not in LOG_LEVELS:
        if level not in LOG_OFF:  # a typo (ORDERPATCH_LOG=verbose) says so, once, instead of doing nothing
            warnings.warn(
                f"{LOG_ENV_VAR}={raw!r} is not a level orderpatch knows; use one of {', '.join(LOG_LEVELS)} "
                f"(or {LOG_OFF[1]!r} for none); logging stays off",
                UserWarning,
                stacklevel=_outside_stacklevel(sys._getframe()),
            )
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[%(asctime)s %(levelname)s %(name)s] %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if level == "debug" else logging.INFO)


def _outside_stacklevel(warner: types.FrameType) -> int:
    """The ``stacklevel`` for a warning that ``warner`` (the frame calling ``warnings.warn``) gives:
    the caller of this package's outermost frame, the user's line that called into orderpatch
    (however many frames of ours, or of wrappers around them, lie between)."""
    level, outermost = 1, 1
    frame: types.FrameType | None = warner
    while frame is not None:
        if frame.f_globals.get("__name__", "").partition(".")[0] == __package__:
            outermost = level
        level, frame = level + 1, frame.f_back
    return outermost + 1


def http_loggers() -> list[str]:
    """The loggers of the HTTP packages: the known ones, and any other child of theirs that exists."""
    existing = [name for name in logging.root.manager.loggerDict if name.partition(".")[0] in LOGGER_ROOTS]
    return sorted({*LOGGERS, *LOGGER_ROOTS, *existing})


def redact_url(url: httpx.URL) -> str:
    """The URL as text, with the values of secret-looking query parameters replaced by ``***``."""
    if not url.query:
        return str(url)
    params = [(k, "***" if k.lower() in _SENSITIVE_QUERY_KEYS else v) for k, v in url.params.multi_items()]
    return str(url.copy_with(params=params))


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """Remove known secret values and secret-shaped fragments from ``text``."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + "***" + (m.group(2) if m.lastindex and m.lastindex > 1 else ""), text)
    return text


def body_preview(content: bytes, secrets: Iterable[str] = (), limit: int = ERROR_BODY_LIMIT) -> str:
    """A response body for an error: decoded leniently, scrubbed, truncated to ``limit`` characters."""
    text = content[: limit * 4].decode("utf-8", errors="replace")
    text = scrub(text, secrets)
    if len(text) > limit:
        return text[:limit] + f"… [truncated, {len(content)} bytes]"
    return text


def log_token_reply(response: httpx.Response) -> None:
    """The DEBUG line of an OAuth token request, like the line of every other attempt.

    ``POST https://…/oauth/token -> 200 in 41.2 ms (token request)``: the URL redacted, no body
    and no header (the request carries the client secret, the answer the token).
    """
    if not logger.isEnabledFor(logging.DEBUG):
        return
    request = response.request
    try:
        elapsed = f" in {response.elapsed.total_seconds() * 1000:.1f} ms"
    except RuntimeError:  # not closed yet: httpx sets elapsed on close
        elapsed = ""
    logger.debug("%s %s -> %s%s (token request)", request.method, redact_url(request.url), response.status_code,
                 elapsed)
