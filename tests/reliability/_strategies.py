"""Hypothesis strategies derived from the request models' type hints, for every vendor alike.

``instances(cls, rules)`` draws valid instances of a request model (nested models included);
``invalid_values(cls, field, rules)`` lists the values one field must refuse, each labelled:
wrong types, integers outside the signed 64-bit range, unsafe ids, strings over the size cap,
lone surrogates, NaN and infinities (also deep inside JSON fields). A value is offered for a field
only when no member of the field's type could accept it, so every listed value must raise
``ValidationError``; ``Rules`` carries the few vendor facts the type hints cannot say (which
strings are path ids, a minimum quantity).
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal, Union

import attrs
from hypothesis import strategies as st

from orderpatch._constants import MAX_ID_LENGTH, MAX_INT, MAX_JSON_DEPTH, MAX_STRING_LENGTH, MIN_INT
from orderpatch._types import UNSET, Secret, is_json_type

__all__ = [
    "INVALID", "JSON_VALUES", "TEXT", "UNSAFE_IDS", "Rules", "instances", "invalid_values", "kinds", "valid_kwargs",
]

#: Text that is valid in any string field: every code point but lone surrogates, kept short.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
_KEYS = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=8)
_SCALARS = (
    st.none() | st.booleans() | st.integers(MIN_INT, MAX_INT) | st.floats(allow_nan=False, allow_infinity=False) | TEXT
)
#: A JSON value as a caller may pass it (finite numbers, 64-bit integers, UTF-8-safe strings).
JSON_VALUES = st.recursive(
    _SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=3), max_leaves=8
)
#: Path-safe ids: what ``check_id`` accepts.
SAFE_IDS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_:~@+-]{0,20}", fullmatch=True)
#: Ids that must never reach a URL path.
UNSAFE_IDS: tuple[str, ...] = (
    "", "../x", "..", "a/b", "a?b", "a#b", "%2Fetc", " x", "x\n", "a b", ".x", "-x", "a\x00b", "é",
    "x" * (MAX_ID_LENGTH + 1),
)


def _deep(depth: int) -> object:
    value: object = "leaf"
    for _ in range(depth):
        value = {"k": value}
    return value


@attrs.frozen
class Invalid:
    """A value no field accepts unless its type has one of the ``accepted_by`` kinds."""

    label: str
    value: object
    accepted_by: frozenset[str] = frozenset()


def _invalid(label: str, value: object, *accepted_by: str) -> Invalid:
    return Invalid(label, value, frozenset(accepted_by))


#: The invalid values of the suite, each refused by every field whose kinds it does not name.
INVALID: tuple[Invalid, ...] = (
    _invalid("an object", object()),
    _invalid("bytes", b"raw"),
    _invalid("a complex number", 1j),
    _invalid("a set", frozenset({"a"})),
    _invalid("a string over the size cap", "x" * (MAX_STRING_LENGTH + 1)),
    _invalid("a lone surrogate", "caf\udce9"),
    _invalid("a word", "not-a-valid-value-zz", "str", "secret"),
    _invalid("2**63", 2**63, "float"),
    _invalid("-2**63 - 1", -(2**63) - 1, "float"),
    _invalid("NaN", math.nan),
    _invalid("infinity", math.inf),
    _invalid("-infinity", -math.inf),
    _invalid("a float", 1.5, "float"),
    _invalid("a bool", True, "bool"),
    _invalid("an int", 7, "int", "float", "decimal"),
    _invalid("None", None, "none"),
    _invalid("an empty list", [], "seq"),
    _invalid("a list holding an object", [object()]),
    _invalid("an empty dict", {}, "map"),
    _invalid("NaN inside JSON", {"k": math.nan}),
    _invalid("infinity inside JSON", {"k": [1, math.inf]}),
    _invalid("a non-string JSON key", {1: "x"}),
    _invalid("a lone surrogate inside JSON", {"k": "\ud800"}),
    _invalid("2**64 inside JSON", {"k": 2**64}),
    _invalid(f"JSON nested {MAX_JSON_DEPTH + 8} deep", _deep(MAX_JSON_DEPTH + 8)),
    _invalid("a naive datetime", dt.datetime(2024, 1, 2, 3, 4, 5)),
    _invalid("a timestamp as text", "2024-01-02T03:04:05Z", "str", "secret"),
    _invalid("Decimal NaN", Decimal("NaN")),
    _invalid("Decimal infinity", Decimal("Infinity")),
    _invalid("a Decimal a JSON number cannot carry", Decimal("0.1000000000000000055511151231257827")),
)


@attrs.frozen(kw_only=True)
class Rules:
    """Vendor facts the type hints do not carry."""

    #: ``(class, field)`` → the strategy of valid values (e.g. path-safe ids, a minimum quantity).
    valid: Mapping[tuple[type, str], st.SearchStrategy[Any]] = attrs.field(factory=dict)
    #: ``(class, field)`` → more values that field must refuse.
    invalid: Mapping[tuple[type, str], Sequence[Invalid]] = attrs.field(factory=dict)
    #: Whether a field holds an id that goes into a URL path (``check_id``).
    is_id: Callable[[type, attrs.Attribute[Any]], bool] = lambda cls, field: False


def _args(tp: Any) -> tuple[Any, ...]:
    return typing.get_args(tp)


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (Union, types.UnionType)


def kinds(tp: Any) -> frozenset[str]:
    """What a field type accepts, by kind: ``str``, ``int``, ``none``, ``unset``, ``model``, …"""
    origin = typing.get_origin(tp)
    if _is_union(tp) and not is_json_type(tp):
        return frozenset().union(*(kinds(a) for a in _args(tp)))
    if origin is Literal:
        return frozenset({"unset"}) if _args(tp) == (UNSET,) else frozenset({"literal"})
    simple: dict[Any, str] = {
        type(None): "none", str: "str", bool: "bool", int: "int", float: "float", Decimal: "decimal",
        dt.datetime: "datetime", Secret: "secret",
    }
    if tp in simple:
        return frozenset({simple[tp]})
    if is_json_type(tp):
        return frozenset({"json"})
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return frozenset({"enum"})
    if origin in (Mapping, dict):
        return frozenset({"map"})
    if origin in (Sequence, list, tuple):
        return frozenset({"seq"})
    if attrs.has(tp):
        return frozenset({"model"})
    raise TypeError(f"no kind for {tp!r}")


def _exact_decimals() -> st.SearchStrategy[Decimal]:
    """Decimals a JSON number (a double) carries exactly: what Spree's money fields accept."""
    return st.floats(allow_nan=False, allow_infinity=False, width=64).map(lambda f: Decimal(repr(f)))


def _aware_datetimes() -> st.SearchStrategy[dt.datetime]:
    offsets = st.integers(-23 * 60, 23 * 60).map(lambda minutes: dt.timezone(dt.timedelta(minutes=minutes)))
    return st.datetimes(min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(2200, 1, 1), timezones=offsets)


def valid_for(tp: Any, rules: Rules) -> st.SearchStrategy[Any]:
    """Values a field of type ``tp`` accepts."""
    origin = typing.get_origin(tp)
    if _is_union(tp) and not is_json_type(tp):
        return st.one_of(*(valid_for(a, rules) for a in _args(tp)))
    if origin is Literal:
        return st.sampled_from(_args(tp))
    leaf: dict[Any, st.SearchStrategy[Any]] = {
        type(None): st.none(), str: TEXT, bool: st.booleans(), int: st.integers(MIN_INT, MAX_INT),
        float: st.floats(allow_nan=False, allow_infinity=False), Decimal: _exact_decimals(),
        dt.datetime: _aware_datetimes(), Secret: TEXT,
    }
    if tp in leaf:
        return leaf[tp]
    if is_json_type(tp):
        return JSON_VALUES
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(list(tp))
    if origin in (Mapping, dict):
        return st.dictionaries(_KEYS, valid_for(_args(tp)[1], rules), max_size=3)
    if origin in (Sequence, list, tuple):
        return st.lists(valid_for(_args(tp)[0], rules), max_size=3)
    if attrs.has(tp):
        return instances(tp, rules)
    raise TypeError(f"no strategy for {tp!r}")


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _field_strategy(cls: type, field: attrs.Attribute[Any], rules: Rules) -> st.SearchStrategy[Any]:
    custom = rules.valid.get((cls, field.name))
    if custom is not None:
        return custom
    tp = _hints(cls)[field.name]
    if rules.is_id(cls, field):
        rest = [a for a in (_args(tp) if _is_union(tp) else (tp,)) if a not in (str, int)]
        ids = SAFE_IDS | st.integers(1, MAX_INT) if int in _args(tp) else SAFE_IDS
        return st.one_of(ids, *(valid_for(a, rules) for a in rest))
    return valid_for(tp, rules)


def valid_kwargs(cls: type, rules: Rules) -> st.SearchStrategy[dict[str, Any]]:
    """Keyword arguments that build a valid ``cls``: every required field, any optional ones."""
    required = {f.name: _field_strategy(cls, f, rules) for f in attrs.fields(cls)
                if f.default is attrs.NOTHING and f.name != "extra"}
    optional = {f.name: _field_strategy(cls, f, rules) for f in attrs.fields(cls)
                if f.default is not attrs.NOTHING and f.name != "extra"}
    return st.fixed_dictionaries(required, optional=optional)


def instances(cls: type, rules: Rules) -> st.SearchStrategy[Any]:
    """Valid instances of the request model ``cls``."""
    return valid_kwargs(cls, rules).map(lambda kwargs: cls(**kwargs))


def invalid_values(cls: type, field: attrs.Attribute[Any], rules: Rules) -> list[Invalid]:
    """Every value of the suite that ``field`` of ``cls`` must refuse."""
    accepted = kinds(_hints(cls)[field.name])
    found = [invalid for invalid in INVALID if not invalid.accepted_by & accepted]
    if rules.is_id(cls, field):
        found += [Invalid(f"the unsafe id {unsafe!r:.20}", unsafe) for unsafe in UNSAFE_IDS]
    found += rules.invalid.get((cls, field.name), ())
    return found


def request_fields(cls: type) -> list[attrs.Attribute[Any]]:
    """The fields a caller sets."""
    return [f for f in attrs.fields(cls) if f.name != "extra"]


def minimal_kwargs(cls: type, rules: Rules) -> st.SearchStrategy[dict[str, Any]]:
    """Only the required fields of ``cls``, valid."""
    return st.fixed_dictionaries({f.name: _field_strategy(cls, f, rules) for f in attrs.fields(cls)
                                  if f.default is attrs.NOTHING})
