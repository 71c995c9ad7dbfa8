"""Checks shared by every vendor's ``OrderFilter``: wire values and the raw escape hatch.

Every vendor answers an unknown filter name by ignoring it and returning *all* orders, so
nothing reaches a query string without being checked here first: each value must be
non-blank text (or a list of such) without the vendor's list separator, each datetime must be
timezone-aware, and each raw key must be a filter the vendor documents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TypeAlias

from ._validation import preview, unknown_field
from .errors import ValidationError

__all__ = [
    "RANSACK_PREDICATES", "RawFilters", "RawValue", "check_raw", "is_ransack_name", "wire_list", "wire_text",
    "wire_time",
]

#: A raw filter value: text, a number, a boolean, a timezone-aware datetime, or a list of text.
RawValue: TypeAlias = str | int | bool | dt.datetime | Sequence[str]
#: ``raw={...}``: filters orderpatch has not typed, spelled with the vendor's own names.
RawFilters: TypeAlias = Mapping[str, RawValue]


def _fail(field: str, expected: str, value: object) -> ValidationError:
    return ValidationError(f"{field}: expected {expected}, got {preview(value)}", field=field, expected=expected)


def wire_time(value: object, *, field: str) -> str:
    """A timezone-aware datetime as RFC 3339 in UTC (``2026-01-01T00:00:00Z``)."""
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise _fail(field, "a timezone-aware datetime", value)
    text = value.astimezone(dt.UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"


def wire_text(value: object, *, field: str, forbidden: str = "") -> str:
    """Non-blank text (a blank filter value is dropped by the vendor: everything would match)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _fail(field, "non-blank text", value)
    text = str(value)
    if not text.strip():
        raise _fail(field, "non-blank text (a blank filter matches every order)", value)
    if any(char in text for char in forbidden):
        raise _fail(field, f"text without {forbidden!r} (the vendor's list separator)", value)
    return text


def wire_list(values: object, *, field: str, separator: str | None = ",") -> list[str]:
    """A non-empty list of non-blank texts; none may contain ``separator``."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or not values:
        raise _fail(field, "a non-empty list of text", values)
    return [wire_text(item, field=field, forbidden=separator or "") for item in values]


def check_raw(
    raw: object,
    *,
    owner: str,
    known: Callable[[str], bool],
    names: Sequence[str],
    reserved: Mapping[str, str] | None = None,
) -> dict[str, RawValue]:
    """``raw`` checked: a mapping whose every key ``known(key)`` accepts and whose values are set.

    ``names`` lists what is documented (for the message and a did-you-mean suggestion);
    ``reserved`` maps keys orderpatch sets itself (a pager's cursor) to the reason.
    """
    field = f"{owner}.raw"
    if not isinstance(raw, Mapping):
        raise _fail(field, "a mapping of the vendor's filter names to values", raw)
    checked: dict[str, RawValue] = {}
    for key, value in raw.items():
        if not isinstance(key, str):
            raise _fail(field, "filter names as text", key)
        if reserved and key in reserved:
            raise ValidationError(f"{field}[{key!r}]: {reserved[key]}", field=f"{field}.{key}", expected=None)
        if not known(key):
            raise unknown_field(field, key, names)
        where = f"{field}.{key}"
        if isinstance(value, dt.datetime):
            wire_time(value, field=where)
        elif isinstance(value, (list, tuple)):
            wire_list(value, field=where, separator=None)
        elif not isinstance(value, bool):
            wire_text(value, field=where)
        checked[key] = value
    return checked


#: Ransack predicates (Commerce Layer and Spree both filter through Ransack), longest first so a
#: key's suffix is matched by the most specific one (``not_eq`` before ``eq``).
RANSACK_PREDICATES: tuple[str, ...] = tuple(sorted({
    "eq", "not_eq", "eq_or_null", "not_eq_or_null", "not_eq_all", "eq_any", "eq_all", "not_eq_any",
    "matches", "does_not_match", "matches_any", "matches_all", "does_not_match_any", "does_not_match_all",
    "lt", "lteq", "gt", "gteq", "lt_any", "lteq_any", "gt_any", "gteq_any", "lt_all", "lteq_all", "gt_all",
    "gteq_all", "present", "blank", "null", "not_null", "in", "in_or_null", "not_in", "not_in_or_null",
    "start", "not_start", "start_any", "start_all", "not_start_any", "not_start_all",
    "end", "not_end", "end_any", "end_all", "not_end_any", "not_end_all",
    "cont", "not_cont", "cont_any", "cont_all", "not_cont_any", "not_cont_all", "i_cont", "jcont", "true", "false",
}, key=lambda p: (-len(p), p)))


def is_ransack_name(key: str, attributes: frozenset[str], associations: frozenset[str]) -> bool:
    """Whether ``key`` is ``<subject>[_or_<subject>…]_<predicate>`` with every part documented.

    A subject is one of ``attributes`` or ``<association>_<its attribute>``; what the
    associated resource lets you filter on is the vendor's to check.
    """
    for predicate in RANSACK_PREDICATES:
        if key.endswith("_" + predicate):
            subject = key[: -len(predicate) - 1]
            return bool(subject) and all(_is_subject(part, attributes, associations) for part in subject.split("_or_"))
    return False


def _is_subject(name: str, attributes: frozenset[str], associations: frozenset[str]) -> bool:
    if name in attributes:
        return True
    return any(name.startswith(rel + "_") and len(name) > len(rel) + 1 for rel in associations)
