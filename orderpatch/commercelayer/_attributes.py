"""An order's ~100 attributes: checked in C when the answer is parsed, set on ``Order`` on first read.

Structuring them field by field in Python was most of a Commerce Layer parse. Here
``msgspec.convert`` checks the whole ``attributes`` object at once against a struct generated
from ``OrderAttributes`` (each field the JSON type its hook accepts without converting:
``str``, ``int``, ``bool``, a number for ``float``, a string for an open enum, an object for a
JSON dict), the timestamps are parsed with the core's ``parse_datetime``, and the values wait in
a snapshot until a field of the group is first read (``_deferred.defer_group``). Whatever the
check does not vouch for (an integral float for an int, a non-string status, an unparseable
timestamp, …) makes ``attributes_snapshot`` return ``None``: the caller then structures the
order eagerly, with the hooks' conversions and errors, exactly as before.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Sequence
from typing import Any, TypeAlias

import attrs
import msgspec

from .._convert import ShapeError, parse_datetime
from .._deferred import defer_group
from .._types import OpenEnum, is_json_type
from .models import Order, OrderAttributes

__all__ = ["ATTRIBUTE_NAMES", "ORDER_ATTRIBUTES", "attributes_snapshot"]

_FIELDS = [field for field in attrs.fields(OrderAttributes) if field.name != "extra"]
if any(field.metadata for field in _FIELDS):  # pragma: no cover - the struct uses the Python names
    raise TypeError("OrderAttributes: a renamed field needs a rename in the attribute struct")
#: The attributes ``Order`` declares (its other keys go to ``extra``).
ATTRIBUTE_NAMES = frozenset(field.name for field in _FIELDS)


def _accepted(tp: Any) -> Any:
    """What the struct accepts for a field of type ``tp | None``: the values its hook keeps as they are."""
    (inner,) = (arg for arg in typing.get_args(tp) if arg is not type(None))
    if inner in (str, int, float, bool):
        return inner  # msgspec, like the hooks: no bool for int or float, an int for float (made a float)
    if isinstance(inner, type) and issubclass(inner, OpenEnum):
        return str  # any string is a value of an open enum
    if inner is dt.datetime:
        return str  # parsed by ``parse_datetime`` itself (msgspec reads some timestamps differently)
    if typing.get_origin(inner) is dict and is_json_type(typing.get_args(inner)[1]):
        return dict[str, Any]  # a JSON object, copied (the hook's ``dict(value)``)
    raise TypeError(f"OrderAttributes: no struct type for {tp!r}")  # pragma: no cover - a new kind of field


_HINTS = typing.get_type_hints(OrderAttributes)
_Struct: Any = msgspec.defstruct(
    "_OrderAttributes",
    [(field.name, _accepted(_HINTS[field.name]) | None, None) for field in _FIELDS],
    frozen=True,
    gc=False,
)
#: Positions of the timestamps, and of the open enums with their class.
_TIMESTAMPS = tuple(i for i, field in enumerate(_FIELDS) if _HINTS[field.name] == dt.datetime | None)
_ENUMS = tuple(
    (i, enum) for i, field in enumerate(_FIELDS)
    for enum in typing.get_args(_HINTS[field.name]) if isinstance(enum, type) and issubclass(enum, OpenEnum)
)

#: ``(the values in field order, timestamps parsed; extra)``: what the group is built from.
Snapshot: TypeAlias = tuple[list[object], dict[str, Any]]


def attributes_snapshot(attributes: dict[str, Any], extra: dict[str, Any]) -> Snapshot | None:
    """The checked values of ``attributes`` (timestamps parsed), or ``None`` when one needs the hooks."""
    try:
        values = list(msgspec.structs.astuple(msgspec.convert(attributes, _Struct)))
    except msgspec.ValidationError:
        return None
    for index in _TIMESTAMPS:
        stamp = values[index]
        if stamp is not None:
            try:
                values[index] = parse_datetime(stamp)
            except ShapeError:
                return None
    return values, extra


def _build(snapshot: Snapshot) -> Sequence[object]:
    values, extra = snapshot  # built once: the snapshot is dropped once the group is set
    for index, enum in _ENUMS:
        value = values[index]
        if type(value) is str:  # a string or None: what the struct let through
            values[index] = enum(value)  # a known value's member, else the open enum's pseudo-member
    values.append(extra)
    return values


#: ``Order``'s attributes and ``extra``, built together on first read.
ORDER_ATTRIBUTES = defer_group(Order, [field.name for field in _FIELDS] + ["extra"], build=_build)
