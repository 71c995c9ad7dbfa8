"""Ransack conditions as the sandbox reads them (Commerce Layer and Spree filter through Ransack).

``matches(view, key, values)`` says whether one flattened order satisfies the condition
``<attribute>[_or_<attribute>…]_<predicate>``. Like Ransack with ``ignore_unknown_conditions``,
a condition on an attribute the order does not expose, with a predicate not emulated here, or
with a blank value is *dropped* (``None``): the caller then lists every order, which is the
behaviour the SDK must guard against.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from ._http import parse_timestamp

__all__ = ["matches"]

_Compare = Callable[[object, list[str]], bool]


def _scalar(value: object, text: str) -> tuple[object, object]:
    """The pair to compare: datetimes, numbers or booleans where both sides are such, else text."""
    if isinstance(value, str) and value.endswith("Z") and text.endswith("Z"):
        left, right = parse_timestamp(value), parse_timestamp(text)
        if isinstance(left, dt.datetime) and isinstance(right, dt.datetime):
            return left, right
    if isinstance(value, bool):
        return value, text.lower() in ("true", "1", "t")
    if isinstance(value, int | float):
        try:
            return float(value), float(text)
        except ValueError:
            return str(value), text
    return ("" if value is None else str(value)), text


def _each(test: Callable[[object, str], bool]) -> _Compare:
    """A predicate on one value; a to-many attribute (a list) matches when any element does."""

    def compare(value: object, texts: list[str]) -> bool:
        items = value if isinstance(value, list) else [value]
        return any(test(item, texts[0]) for item in items)

    return compare


def _order(op: Callable[[object, object], bool]) -> _Compare:
    def test(value: object, text: str) -> bool:
        if value is None:
            return False
        left, right = _scalar(value, text)
        try:
            return op(left, right)
        except TypeError:
            return False

    return _each(test)


def _any_of(value: object, texts: list[str]) -> bool:
    items = value if isinstance(value, list) else [value]
    return any(_scalar(item, text)[0] == _scalar(item, text)[1] for item in items for text in texts)


_PREDICATES: dict[str, _Compare] = {
    "eq": _order(lambda a, b: a == b),
    "not_eq": lambda value, texts: not _order(lambda a, b: a == b)(value, texts),
    "lt": _order(lambda a, b: a < b),  # type: ignore[operator]
    "lteq": _order(lambda a, b: a <= b),  # type: ignore[operator]
    "gt": _order(lambda a, b: a > b),  # type: ignore[operator]
    "gteq": _order(lambda a, b: a >= b),  # type: ignore[operator]
    "in": _any_of,
    "not_in": lambda value, texts: not _any_of(value, texts),
    "cont": _each(lambda v, t: v is not None and t.lower() in str(v).lower()),
    "i_cont": _each(lambda v, t: v is not None and t.lower() in str(v).lower()),
    "start": _each(lambda v, t: v is not None and str(v).startswith(t)),
    "end": _each(lambda v, t: v is not None and str(v).endswith(t)),
    "null": lambda value, texts: (value is None) == (texts[0].lower() in ("true", "1", "t")),
    "not_null": lambda value, texts: (value is not None) == (texts[0].lower() in ("true", "1", "t")),
    "present": lambda value, texts: (value not in (None, "", [])) == (texts[0].lower() in ("true", "1", "t")),
    "blank": lambda value, texts: (value in (None, "", [])) == (texts[0].lower() in ("true", "1", "t")),
    "true": lambda value, texts: (value is True) == (texts[0].lower() in ("true", "1", "t")),
    "false": lambda value, texts: (value is False) == (texts[0].lower() in ("true", "1", "t")),
}
_BY_LENGTH = sorted(_PREDICATES, key=len, reverse=True)


def matches(view: Mapping[str, object], key: str, values: Sequence[str]) -> bool | None:
    """Whether the order ``view`` satisfies ``key``; ``None`` when Ransack would drop the condition."""
    texts = [value for value in values if value.strip()]
    if not texts:
        return None  # a blank value: Ransack skips the condition
    for predicate in _BY_LENGTH:
        if key.endswith("_" + predicate):
            subjects = key[: -len(predicate) - 1].split("_or_")
            if not all(subject in view for subject in subjects):
                return None  # not an attribute the order exposes: dropped
            compare = _PREDICATES[predicate]
            return any(compare(view[subject], texts) for subject in subjects)
    return None
