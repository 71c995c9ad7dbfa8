"""HTTP helpers shared by every emulated vendor: JSON bodies, ``Reject`` and timestamps.

Each vendor answers errors in its own shape, but the mechanics are the same: a handler raises
:class:`Reject` with a ready response anywhere in its call stack, and the vendor's sub-application
turns it back into that response. Keeping this here means the four vendor modules hold only what
differs between the vendors.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

JSON_TYPE = "application/json"
JSONAPI_TYPE = "application/vnd.api+json"

#: A decoded JSON object. Values stay ``Any`` because they are checked where they are used.
Document = dict[str, Any]


class Reject(Exception):
    """Abort the current request with a finished response (an error in the vendor's shape)."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


class BodyError(ValueError):
    """The request body is not what the endpoint can read; the message says why."""


def json_response(
    payload: object,
    status: int = 200,
    *,
    media_type: str = JSON_TYPE,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Serialise ``payload`` compactly with the given media type."""
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return Response(body, status_code=status, media_type=media_type, headers=headers)


def reject_json(payload: object, status: int, *, media_type: str = JSON_TYPE) -> Reject:
    """Build a :class:`Reject` carrying a JSON error body, ready to ``raise``."""
    return Reject(json_response(payload, status, media_type=media_type))


def media_type(request: Request) -> str:
    """The request's Content-Type without parameters, lower-cased ("" when absent)."""
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def is_json_media_type(value: str) -> bool:
    """Whether a media type carries JSON (``application/json`` or any ``+json`` type)."""
    return value == JSON_TYPE or value.endswith("+json")


def parse_json(raw: bytes) -> object:
    """Decode a JSON body; an empty body decodes to ``None``.

    Raises :class:`BodyError` with the decoder's message on malformed input.
    """
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BodyError(str(exc)) from exc


async def read_params(request: Request) -> dict[str, str]:
    """Read a flat parameter set sent either as JSON or as a form (OAuth token endpoints).

    Non-string JSON values are kept as their JSON text so that the caller can still compare them.
    """
    raw = await request.body()
    if is_json_media_type(media_type(request)):
        decoded = parse_json(raw)
        if decoded is None:
            return {}
        if not isinstance(decoded, dict):
            raise BodyError("expected a JSON object")
        return {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in decoded.items()}
    return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))


def authorization(request: Request, scheme: str) -> str | None:
    """The credential after ``<scheme> `` in the Authorization header, or ``None``.

    The scheme is compared case-insensitively, as RFC 9110 asks for auth schemes.
    """
    value = request.headers.get("authorization")
    if value is None:
        return None
    given, _, credential = value.partition(" ")
    if given.lower() != scheme.lower() or not credential.strip():
        return None
    return credential.strip()


def csv_param(request: Request, name: str) -> list[str] | None:
    """A comma-separated query parameter as a list of non-empty items, or ``None`` if absent."""
    value = request.query_params.get(name)
    if value is None:
        return None
    return [item.strip() for item in value.split(",") if item.strip()]


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def iso_millis(moment: datetime) -> str:
    """Format as Rails does in JSON: ``2018-01-01T12:00:00.000Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def iso_micros(moment: datetime) -> str:
    """Format with microseconds, as Django REST framework does: ``2021-11-23T07:04:07.441338Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_timestamp(value: str) -> datetime | None:
    """Parse an ISO-8601 / RFC 3339 timestamp (``Z`` allowed) into an aware datetime."""
    try:
        parsed = datetime.fromisoformat(value.strip().replace(" UTC", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def retry_after_seconds(delay: float) -> str:
    """Render a ``Retry-After`` value: whole seconds, never less than one."""
    return str(max(1, math.ceil(delay)))
