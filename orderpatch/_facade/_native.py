"""A vendor's own request class from JSON data (``orderpatch update --native``), with nested models.

Keys are the Python field names of the vendor's request class (``place`` for Commerce Layer's
``_place``). Unknown keys are refused with a suggestion, never silently dropped; nested JSON
objects become the nested request models the field's type names (a Spree ``Address``, a
Commerce Layer ``MarketRef``, …), and the models check every value's type.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Mapping

import attrs

from .._validation import unknown_field
from ..errors import ValidationError

__all__ = ["model_from_json"]


def _model_classes(tp: object) -> list[type]:
    """The attrs classes an annotation names, e.g. ``Address | Unset`` → ``[Address]``."""
    if isinstance(tp, type) and attrs.has(tp):
        return [tp]
    return [cls for arg in typing.get_args(tp) for cls in _model_classes(arg)]


def _value(tp: object, value: object, where: str) -> object:
    classes = _model_classes(tp)
    if not classes:
        return value
    if isinstance(value, Mapping):
        return model_from_json(classes[0], value, where=where)
    if isinstance(value, list):
        return [model_from_json(classes[0], item, where=f"{where}[{i}]") if isinstance(item, Mapping) else item
                for i, item in enumerate(value)]
    return value


@functools.cache
def _fields_of(cls: type) -> tuple[dict[str, object], list[str]]:
    """The resolved type hints and init field names of ``cls``, once per class (a bulk job reads
    thousands of lines; resolving the hints costs milliseconds each time)."""
    return typing.get_type_hints(cls), [f.name for f in attrs.fields(cls) if f.init]


def model_from_json(cls: type, data: object, *, where: str | None = None) -> object:
    """An instance of the attrs request class ``cls`` from a JSON object (``ValidationError`` when wrong)."""
    where = where or cls.__name__
    if not isinstance(data, Mapping):
        expected = f"a JSON object for {cls.__name__}"
        got = type(data).__name__
        raise ValidationError(f"{where}: expected {expected}, got {got}", field=where, expected=expected)
    hints, names = _fields_of(cls)
    values: dict[str, object] = {}
    for key, value in data.items():
        if key not in names:
            raise unknown_field(where, str(key), names)
        values[key] = _value(hints[key], value, f"{where}.{key}")
    try:
        return cls(**values)
    except TypeError as exc:  # a required field is missing
        raise ValidationError(f"{where}: {exc}", field=where) from None
