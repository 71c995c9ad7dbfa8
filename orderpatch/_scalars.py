"""A model's scalar fields checked together in C when an answer is parsed, and set on first read.

Most of an order's fields are strings, numbers, flags, enums, timestamps and money. Structuring
them one by one in Python was most of a Spree or Trunkery parse, and all the more under load,
when the generated code runs cache-cold between requests. ``defer_scalars`` gathers them into a
checked group (``_deferred.defer_group`` with a ``snapshot``): the converter's structure
function of the model first converts the whole raw object into a frozen ``msgspec.Struct`` of
those fields (unknown keys ignored, a missing required field or a wrong type refused), and the
values wait there until one of the group is first read. Per field, the struct accepts:

* ``str``, ``int``, ``float``, ``bool`` and lists of them exactly as the core's strict hooks
  read them (``_mirror``: no ``bool`` for a number, no integral float for an ``int``, an
  ``int`` for a ``float``); a string for an ``OpenEnum`` or a ``Secret``, which the field's
  hook makes on first read (it cannot fail on a string);
* anything for a timestamp, a decimal or a JSON value: the field's own hook reads it at parse
  time, so an unparseable timestamp is caught there.

Whatever the struct or a hook refuses makes the snapshot ``None``: the object is then structured
field by field, as without the group, with its conversions and its error naming the JSON path,
so the result is always exactly what eager structuring gives (``tests/test_scalars.py``).
Nested models, unions of models, fields with a default other than ``None`` and fields a caller
reads right after parsing (``keep``, e.g. ``id``) stay outside the group.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from collections.abc import Callable, Collection
from decimal import Decimal
from typing import Any, NamedTuple, TypeAlias, cast

import attrs
import cattrs
import msgspec

from ._convert import (
    _HOOK_ERRORS,
    _field_lines,
    _field_types,
    _inline_check,
    _structure_datetime,
    _structure_decimal,
    _wire_overrides,
)
from ._deferred import Deferred, DeferredGroup, defer_group, deferred_fields, group_of
from ._mirror import mirror_of
from ._models import WIRE_NAME
from ._types import is_json_type

__all__ = ["ScalarGroup", "body_reader", "defer_scalars", "scalar_group", "struct_reader"]

_PLAIN = frozenset({str, int, float, bool})
#: Raw JSON, or a struct, to the fields' values in order (``None``: not vouched for).
_Snapshot: TypeAlias = Callable[[Any], list[object] | None]
_READ_AT_PARSE = (_structure_datetime, _structure_decimal)


def _plain(mirror: Any) -> bool:
    """Whether a mirror type is made of JSON primitives only (``str``, ``int | None``, ``list[str]``, …)."""
    if mirror in _PLAIN or mirror is type(None):
        return True
    args = typing.get_args(mirror)
    return bool(args) and typing.get_origin(mirror) in (list, typing.Union, types.UnionType) and all(map(_plain, args))


def _nullable(tp: Any) -> bool:
    return is_json_type(tp) or type(None) in typing.get_args(tp)


def _leaf(conv: cattrs.Converter, tp: Any) -> bool:
    """A timestamp, a decimal or JSON (``X`` or ``X | None``) under the core's hooks: read at parse time."""
    if is_json_type(tp):
        return True
    inner = [arg for arg in typing.get_args(tp) if arg is not type(None)] if _nullable(tp) else [tp]
    if len(inner) != 1:
        return False
    (inner_tp,) = inner
    if typing.get_origin(inner_tp) is dict:  # ``dict[str, JSONValue]``: the core's copy of an object
        return typing.get_args(inner_tp)[:1] == (str,) and is_json_type(typing.get_args(inner_tp)[1])
    return inner_tp in (dt.datetime, Decimal) and conv.get_structure_hook(inner_tp) in _READ_AT_PARSE


class ScalarGroup(NamedTuple):
    """A model's scalar fields with the functions that check (``snapshot``) and make (``build``) their values."""

    names: tuple[str, ...]
    #: A raw JSON object → the fields' values in order (``None``: not vouched for); unknown keys ignored.
    snapshot: Callable[[Any], list[object] | None]
    #: Those values → the fields' values as the model holds them (enums, secrets made); cannot fail.
    build: Callable[[list[object]], list[object]]
    #: The struct of the fields, refusing unknown keys: a JSON body may be decoded straight into it
    #: (``msgspec.json.Decoder``; a key it does not know belongs in ``extra``, so it refuses).
    strict: Any
    #: An instance of ``strict`` → the fields' values in order, or ``None``, as ``snapshot`` gives.
    checked: Callable[[Any], list[object] | None]
    #: The fields' values in order, as a struct holds them (a list, changed in place) → as ``checked`` gives.
    check: Callable[[list[object]], list[object] | None]


def scalar_group(conv: cattrs.Converter, model: type, *, leave: Collection[str] = ()) -> ScalarGroup:
    """The scalar fields of ``model`` under ``conv``'s hooks (but ``leave`` and ``extra``), checked as one struct."""
    hints = _field_types(model)
    struct_fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
    rename: dict[str, str] = {}
    at_parse: list[tuple[int, Any]] = []  # (position, type): read by the field's hook when parsed
    at_build: list[tuple[int, Any]] = []  # made by the field's hook on first read
    names: list[str] = []
    for field in attrs.fields(model):
        tp = hints[field.name]
        if field.name == "extra" or field.name in leave:
            continue
        if field.default is not attrs.NOTHING and (field.default is not None or not _nullable(tp)):
            continue  # another default (a factory, ``()``): set at once, as before
        mirror = mirror_of(conv, tp)
        if mirror is not None and _plain(mirror):
            accepted = mirror
            if mirror != tp:  # an enum, a ``Secret``, a tuple: made by the hook from what was checked
                at_build.append((len(names), tp))
        elif _leaf(conv, tp):
            accepted = Any
            at_parse.append((len(names), tp))
        else:
            continue
        wire_name = field.metadata.get(WIRE_NAME)
        if wire_name is not None:
            rename[field.name] = wire_name
        struct_fields.append((field.name, accepted) if field.default is attrs.NOTHING else (field.name, accepted, None))
        names.append(field.name)
    if not names:
        raise TypeError(f"{model.__name__} has no scalar field to defer")
    struct: Any = msgspec.defstruct(
        f"{model.__name__}Scalars", struct_fields, rename=rename or None, kw_only=True, frozen=True, gc=False,
        module=__name__,
    )  # fmt: skip
    if list(struct.__struct_fields__) != names:  # pragma: no cover - msgspec keeps keyword-only fields in order
        raise TypeError(f"{model.__name__}: the scalar struct reordered its fields")
    strict: Any = msgspec.defstruct(
        f"{model.__name__}StrictScalars", struct_fields, rename=rename or None, kw_only=True, frozen=True, gc=False,
        forbid_unknown_fields=True, module=__name__,
    )  # fmt: skip
    snapshot, build, checked, check = _functions(conv, model, struct, at_parse, at_build)
    return ScalarGroup(tuple(names), snapshot, build, strict, checked, check)


def defer_scalars(conv: cattrs.Converter, owner: type, *, keep: Collection[str] = ("id", "type")) -> ScalarGroup:
    """Check ``owner``'s scalar fields together in C and build them on first read; the group.

    Call it at the vendor's import, before the first answer is structured (and after
    ``defer_nested``: a deferred field stays outside the group). ``keep`` names fields set at once.
    """
    group = scalar_group(conv, owner, leave={*keep, *deferred_fields(owner)})
    defer_group(owner, group.names, build=group.build, snapshot=group.snapshot)
    return group


def struct_reader(conv: cattrs.Converter, owner: type, group: ScalarGroup) -> tuple[Any, Callable[[Any], Any]]:
    """A struct of all ``owner``'s fields refusing unknown keys, and ``read``: an instance of it → an ``owner``.

    For a model with a checked group (``defer_scalars``, whose result ``group`` is): a JSON body
    may be decoded straight into the struct (the group's fields checked as in ``group.strict``,
    the others kept as decoded JSON), and ``read`` makes the object from it with the group
    pending, every other field read by the lines eager structuring runs (``_field_lines``).
    ``read`` gives ``None`` when the group's check refuses and raises what a field's hook raises:
    either way the caller reads the body the usual way, whose result or error it stands in for.
    """
    hints, deferred = _field_types(owner), deferred_fields(owner)
    grouped = {info.name: info for info in msgspec.structs.fields(group.strict)}
    overrides = _wire_overrides(owner)
    namespace: dict[str, Any] = {
        "__cls": owner, "__Deferred": Deferred, "__missing": msgspec.UNSET, "__check": group.check,
        "__astuple": msgspec.structs.astuple, "__new": object.__new__, "__set": object.__setattr__,
        "__pend": cast("DeferredGroup[Any]", group_of(owner)).pend,
    }
    struct_fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
    rename: dict[str, str] = {}
    lines: list[str] = []
    sets: list[str] = []
    for index, field in enumerate(f for f in attrs.fields(owner) if f.name != "extra"):
        position = len(struct_fields)
        info = grouped.get(field.name)
        if info is not None:
            default = msgspec.NODEFAULT if info.required else info.default
            if info.encode_name != info.name:
                rename[field.name] = info.encode_name
            struct_fields.append((field.name, info.type) if info.required else (field.name, info.type, default))
            continue
        field_lines = _field_lines(conv, field, index, hints[field.name], overrides, deferred, namespace,
                                   source=f"t[{position}]")
        # Absent: a required field fails (the struct refuses), a ``none`` one is None, a ``missing`` one is UNSET.
        kind = "missing" if field_lines[1].strip() == "if v is __missing:" else (
            "required" if field.default is attrs.NOTHING else "none")
        given = overrides.get(field.name)
        if given is not None and given.rename is not None:
            rename[field.name] = given.rename
        if kind == "required":
            struct_fields.append((field.name, Any))
        else:
            struct_fields.append((field.name, Any, None if kind == "none" else msgspec.UNSET))
        lines += field_lines
        sets.append(f"    __set(r, {field.name!r}, a{index})")
    struct: Any = msgspec.defstruct(
        f"{owner.__name__}Struct", struct_fields, rename=rename or None, kw_only=True, frozen=True, gc=False,
        forbid_unknown_fields=True, module=__name__,
    )  # fmt: skip
    positions = {name: i for i, (name, *_) in enumerate(struct_fields)}
    picks = ", ".join(f"t[{positions[name]}]" for name in group.names)
    source = [
        "def read(s):",
        "    t = __astuple(s)",
        f"    g = __check([{picks}])",
        "    if g is None:",
        "        return None",
        *lines,
        "    r = __new(__cls)",
        *sets,
        *(["    __set(r, 'extra', {})"] if "extra" in attrs.fields_dict(owner) else []),
        "    __pend(r, g)",
        "    return r",
    ]
    exec(compile("\n".join(source), f"<orderpatch struct reader {owner.__module__}.{owner.__qualname__}>", "exec"),
         namespace)
    read: Callable[[Any], Any] = namespace["read"]
    return struct, read


def body_reader(
    conv: cattrs.Converter, owner: type, group: ScalarGroup, *, one_in_array: bool = False
) -> Callable[[bytes], Any]:
    """``content`` → an ``owner`` decoded straight into ``struct_reader``'s struct, or ``None`` (read as usual).

    For a vendor's ``Call.read``. ``one_in_array``: the answer is ``[object]`` (Trunkery's
    convention); any other length gives ``None``. A body the struct refuses (an unknown key, a
    wrong type, malformed JSON) or a field's hook refuses gives ``None`` too. The struct and the
    functions are made on first use, not at import: they work out every nested model's hook.
    """

    @functools.cache
    def made() -> tuple[Callable[[bytes], Any], Callable[[Any], Any]]:
        struct, read = struct_reader(conv, owner, group)
        shape: Any = list[struct] if one_in_array else struct  # type: ignore[valid-type]
        return msgspec.json.Decoder(shape).decode, read

    def read_body(content: bytes) -> Any:
        decode, read = made()
        try:
            decoded = decode(content)
        except (msgspec.DecodeError, RecursionError):  # msgspec.ValidationError is a DecodeError
            return None
        if one_in_array:
            if len(decoded) != 1:
                return None
            decoded = decoded[0]
        try:
            return read(decoded)
        except _HOOK_ERRORS:  # a hook's error: the usual read says it, with its path
            return None

    return read_body


def _functions(
    conv: cattrs.Converter, owner: type, struct: Any, at_parse: list[tuple[int, Any]], at_build: list[tuple[int, Any]]
) -> tuple[_Snapshot, Callable[[list[object]], list[object]], _Snapshot, _Snapshot]:
    """The group's ``snapshot`` and ``build``, generated: each field read by the lines eager structuring runs.

    ``_inline_check`` gives those lines (the usual value converted inline, anything else through
    the field's hook); at parse time a hook's error means "not vouched for" (``None``), and on
    first read none can come (each value is a string, or a list, the struct checked).
    """
    namespace: dict[str, Any] = {
        "__convert": msgspec.convert, "__astuple": msgspec.structs.astuple, "__struct": struct,
        "__REFUSED": (msgspec.ValidationError, TypeError, ValueError, OverflowError, RecursionError),
        "__HOOK_ERRORS": _HOOK_ERRORS,
    }

    def reads(fields: list[tuple[int, Any]], indent: str) -> list[str]:
        lines = []
        for position, tp in fields:
            namespace[f"h{position}"], namespace[f"t{position}"] = conv.get_structure_hook(tp), tp
            check = _inline_check(namespace[f"h{position}"], position, namespace)
            lines += [f"{indent}v = values[{position}]", *(f"{indent}{line}" for line in check),
                      f"{indent}values[{position}] = v"]
        return lines

    source = [
        "def check(values):",
        *(["    try:", *reads(at_parse, "        "), "    except __HOOK_ERRORS:", "        return None"]
          if at_parse else []),
        "    return values",
        "def checked(struct):",
        "    return check(list(__astuple(struct)))",
        "def snapshot(raw):",
        "    try:",
        "        struct = __convert(raw, __struct)",
        "    except __REFUSED:",
        "        return None  # the fields' hooks decide, with their own error",
        "    return checked(struct)",
        "def build(values):",
        *reads(at_build, "    "),
        "    return values",
    ]
    exec(compile("\n".join(source), f"<orderpatch scalars {owner.__module__}.{owner.__qualname__}>", "exec"), namespace)
    return namespace["snapshot"], namespace["build"], namespace["checked"], namespace["check"]
