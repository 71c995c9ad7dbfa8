"""msgspec mirrors of response models: a check in C that a raw value would structure, for deferred fields.

A nested model a caller rarely reads (a Trunkery order's addresses, line items, totals) may be
built on first access (``_deferred``), provided the answer is still checked when it is parsed.
``defer_nested`` does that generically: the field's raw value is converted into a frozen
``msgspec.Struct`` mirror of its model (``msgspec.convert``, ~0.4 µs for an address against
~3 µs to structure it), and the model is built from that copy when first read, by the field's
ordinary hook, so it is exactly what eager structuring gives.

A mirror accepts a subset of what the hook accepts, never more, so building cannot fail:

* ``str``, ``int``, ``float``, ``bool`` and ``Secret`` as the core's strict hooks read them
  (msgspec refuses a ``bool`` for a number and an integral float for an ``int``; such a value
  is simply not vouched for); an ``OpenEnum`` as any string (it accepts every string);
* ``X | None``, ``list[X]``, ``tuple[X, ...]`` (from an array, as the hook reads it), and a
  union by its first member (the core's union hook tries that first);
* a response model with the core's hook, field by field under its JSON names; a key the model
  does not know, a missing required field or a wrong type makes the mirror refuse;
* vendor types registered with their mirror (``register_mirror``), e.g. Trunkery's ``Ref``.

Anything else (timestamps, decimals, JSON values, a model with a vendor hook) has no mirror, and
a field of that type, or a value its mirror refuses, goes through the field's hook at parse
time, with its error and its ``extra``, exactly as before. One tolerance: msgspec takes any
mapping for an object and a tuple for an array, which the hooks would refuse; that only matters
for Python values handed to a parser directly, never for a decoded answer.
"""

from __future__ import annotations

import threading
import types
import typing
from collections.abc import Callable
from typing import Any, Union

import attrs
import cattrs
import msgspec

from ._convert import _PRIMITIVE_HOOKS, RESPONSE_HOOK_OF, _field_types, _structure_enum, _structure_secret
from ._deferred import defer_field, deferred_fields
from ._models import WIRE_NAME, ResponseModel
from ._types import OpenEnum, Secret, is_json_type

__all__ = ["defer_nested", "mirror_of", "plain", "register_mirror", "snapshot_function"]

_VENDOR_MIRRORS: dict[type, tuple[type, Callable[[Any, Any], Any]]] = {}
#: Mirrors found so far, by converter and type (``None``: no mirror). Only grows with the types
#: of the models, which are fixed at import.
_MIRRORS: dict[tuple[int, object], object] = {}
#: Held while a mirror is worked out: another thread waits; the same thread meeting a type it
#: is still working on (a model that contains itself) finds no mirror for it.
_LOCK = threading.RLock()
_WORKING = object()
_ABSENT = object()


def register_mirror(tp: type, mirror: type, hook: Callable[[Any, Any], Any]) -> None:
    """Mirror ``tp`` by ``mirror`` where ``hook`` is its structure hook (it must accept all ``mirror`` does)."""
    _VENDOR_MIRRORS[tp] = (mirror, hook)


def _union_args(tp: Any) -> tuple[Any, ...] | None:
    if typing.get_origin(tp) in (Union, types.UnionType):
        return typing.get_args(tp)
    return None


def mirror_of(conv: cattrs.Converter, tp: Any) -> Any:
    """The msgspec type mirroring ``tp`` under ``conv``'s hooks, or ``None`` when there is none."""
    key = (id(conv), tp)
    with _LOCK:
        found = _MIRRORS.get(key, _ABSENT)
        if found is not _ABSENT:
            return None if found is _WORKING else found
        _MIRRORS[key] = _WORKING
        try:
            mirror = _mirror(conv, tp)
        except BaseException:
            del _MIRRORS[key]
            raise
        _MIRRORS[key] = mirror
        return mirror


def _mirror(conv: cattrs.Converter, tp: Any) -> Any:
    if is_json_type(tp):  # kept as decoded: a mirror would copy it, and the hook would not
        return None
    vendor = _VENDOR_MIRRORS.get(tp)
    if vendor is not None:
        return vendor[0] if conv.get_structure_hook(tp) is vendor[1] else None
    if tp in _PRIMITIVE_HOOKS:
        return tp if conv.get_structure_hook(tp) is _PRIMITIVE_HOOKS[tp] else None
    if tp is Secret:
        return str if conv.get_structure_hook(tp) is _structure_secret else None
    if isinstance(tp, type) and issubclass(tp, OpenEnum):
        return str if conv.get_structure_hook(tp) is _structure_enum else None
    args = _union_args(tp)
    if args is not None:
        members = [a for a in args if a is not type(None)]
        first = mirror_of(conv, members[0])
        if first is None:
            return None
        return first | None if type(None) in args else first
    args = typing.get_args(tp)
    if typing.get_origin(tp) is list or (typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis):
        inner = mirror_of(conv, args[0]) if args else None
        return None if inner is None else list[inner]  # type: ignore[valid-type]
    if isinstance(tp, type) and issubclass(tp, ResponseModel):
        return _struct(conv, tp)
    return None


def _struct(conv: cattrs.Converter, cls: type) -> Any:
    """A frozen Struct of ``cls``'s fields under their JSON names, or ``None`` if one has no mirror."""
    if getattr(conv.get_structure_hook(cls), RESPONSE_HOOK_OF, None) is not cls or deferred_fields(cls):
        return None
    hints = _field_types(cls)
    fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
    rename: dict[str, str] = {}
    for field in attrs.fields(cls):
        if field.name == "extra":
            continue
        mirror = mirror_of(conv, hints[field.name])
        if mirror is None:
            return None
        wire_name = field.metadata.get(WIRE_NAME)
        if wire_name is not None:
            rename[field.name] = wire_name
        if field.default is attrs.NOTHING:
            fields.append((field.name, mirror))
        else:  # absent stays absent: the hook then gives the model's own default
            fields.append((field.name, mirror | msgspec.UnsetType, msgspec.UNSET))
    fields.sort(key=len)  # msgspec wants the required fields first
    return msgspec.defstruct(
        f"{cls.__name__}Mirror", fields, rename=rename or None, frozen=True, forbid_unknown_fields=True,
        module=__name__,
    )  # fmt: skip


def plain(value: object) -> object:
    """A mirror value back as the JSON data it was converted from (absent fields left out)."""
    if isinstance(value, msgspec.Struct):
        names = value.__struct_encode_fields__
        out = {}
        for index, name in enumerate(value.__struct_fields__):
            item = getattr(value, name)
            if item is not msgspec.UNSET:
                out[names[index]] = plain(item)
        return out
    if type(value) is list:
        return [plain(item) for item in value]
    return value


def snapshot_function(conv: cattrs.Converter, tp: Any) -> Callable[[Any], object | None]:
    """``raw`` → its mirror copy (a one-field Struct holding it), or ``None``: not vouched for.

    The mirror is wrapped in a Struct because msgspec caches what it learnt of a type on a
    Struct class only: converting to ``X | None`` or ``list[X]`` directly re-reads the type on
    every call (1.7 µs against 0.35 µs for an address). Empty values are left to the hook: it
    takes them as fast as the check would.
    """
    holder: list[Any] = []

    def snapshot(raw: Any) -> object | None:
        if not holder:
            mirror = mirror_of(conv, tp)
            field = None if mirror is None else [("value", mirror)]
            holder.append(None if field is None else msgspec.defstruct("Field", field, array_like=True, frozen=True))
        wrapper = holder[0]
        if wrapper is None or not raw:
            return None
        try:
            taken: object = msgspec.convert((raw,), wrapper)
        except (msgspec.ValidationError, TypeError, ValueError, OverflowError, RecursionError):
            return None  # the hook decides, with its own error
        return taken

    return snapshot


def _nested_model(tp: Any) -> bool:
    """``M``, ``M | None``, ``list[M]`` or ``list[M] | None`` of a response model ``M``."""
    args = _union_args(tp)
    if args is not None:
        members = [a for a in args if a is not type(None)]
        return len(members) == 1 and len(args) == 2 and _nested_model(members[0])
    if typing.get_origin(tp) is list:
        return _nested_model((typing.get_args(tp) or (None,))[0])
    return isinstance(tp, type) and issubclass(tp, ResponseModel)


def defer_nested(conv: cattrs.Converter, owner: type) -> tuple[str, ...]:
    """Defer every field of ``owner`` holding a nested response model (or a list of them); their names.

    Call it at the vendor's import, before the first answer is structured. A field whose model
    turns out to have no mirror is structured at parse time as before.
    """
    hints = _field_types(owner)
    names = []
    for field in attrs.fields(owner):
        tp = hints[field.name]
        if field.name == "extra" or not _nested_model(tp):
            continue

        def build(taken: Any, tp: Any = tp) -> object:
            return conv.get_structure_hook(tp)(plain(taken.value), tp)

        defer_field(owner, field.name, snapshot=snapshot_function(conv, tp), build=build)
        names.append(field.name)
    return tuple(names)
