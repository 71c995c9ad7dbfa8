"""The cattrs converter each vendor builds once: strict primitives, UNSET omission, renames, extras.

* Request models (``RequestModel``) unstructure with fields left ``UNSET`` omitted and
  ``wire()`` renames applied, so ``OrderUpdate(archive=True)`` becomes ``{"_archive": true}``.
* Response models (``ResponseModel``) structure with unknown keys kept in ``extra`` and
  unstructure with them merged back, so a round trip loses nothing.
* Primitives are strict when parsing: a JSON string is never silently turned into an ``int``.
  Detailed validation is off on this hot path; a failure becomes a ``DecodeError`` upstream.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import math
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Union, cast

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

from ._constants import DECODE_ERROR_VALUE_CHARS
from ._deferred import Deferred, DeferredGroup, DeferredSpec, deferred_fields, group_of
from ._models import WIRE_NAME, RequestModel, ResponseModel
from ._types import UNSET, JSONValue, OpenEnum, Secret, _UnsetType, is_json_type

__all__ = [
    "PathSegment",
    "ShapeError",
    "describe_value",
    "make_converter",
    "parse_datetime",
    "render_path",
    "shape_error_at",
    "structure_keeping_undeclared",
]


#: One step of a JSON path: an object key or an array index.
PathSegment = str | int


class ShapeError(ValueError):
    """A response value does not have the shape the vendor documents.

    ``path`` is where, in the JSON document, the first offending value sits (keys and array
    indices, outermost first); ``str()`` reads ``data.attributes.placed_at: expected …``.
    Each hook that descends into a value prefixes its own step on the way out (``at``), so the
    hot path pays nothing until a value is wrong.
    """

    def __init__(self, problem: str, *, path: tuple[PathSegment, ...] = ()) -> None:
        super().__init__(problem)
        self.problem = problem
        self.path = path

    def at(self, *segments: PathSegment) -> ShapeError:
        """This error with ``segments`` put in front of its path (returns itself, to re-raise)."""
        self.path = (*segments, *self.path)
        return self

    def __str__(self) -> str:
        where = render_path(self.path)
        return f"{where}: {self.problem}" if where else self.problem


def render_path(path: tuple[PathSegment, ...]) -> str:
    """``("data", "attributes", "placed_at")`` → ``data.attributes.placed_at``; ``(0, "x")`` → ``[0].x``."""
    out = ""
    for segment in path:
        out += f"[{segment}]" if isinstance(segment, int) else (f".{segment}" if out else segment)
    return out


def shape_error_at(exc: BaseException, *segments: PathSegment) -> ShapeError:
    """``exc`` (a ``ShapeError`` or a hook's ``ValueError``/``TypeError``/…) as a ``ShapeError`` at ``segments``."""
    if isinstance(exc, ShapeError):
        return exc.at(*segments)
    if isinstance(exc, KeyError):
        return ShapeError(f"missing required field {exc.args[0]!r}" if exc.args else "missing field", path=segments)
    return ShapeError(str(exc) or type(exc).__name__, path=segments)


def describe_value(value: object) -> str:
    """A short, JSON-flavoured description of a received value: ``'x'``, ``null``, ``a JSON array``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        # Whole or not at all: a cut string could be a credential's head that scrubbing misses.
        return repr(value) if len(value) <= DECODE_ERROR_VALUE_CHARS else f"a string of {len(value)} characters"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dict):
        return "a JSON object"
    if isinstance(value, list):
        return "a JSON array"
    return type(value).__name__


def _wrong(value: object, expected: str) -> ShapeError:
    return ShapeError(f"expected {expected}, got {describe_value(value)}")


def _structure_str(value: object, _: object) -> str:
    if isinstance(value, str):
        return value
    raise _wrong(value, "a string")


def _structure_int(value: object, _: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise _wrong(value, "an integer")


def _structure_float(value: object, _: object) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise _wrong(value, "a number")


def _structure_bool(value: object, _: object) -> bool:
    if isinstance(value, bool):
        return value
    raise _wrong(value, "a boolean")


def _optional_str(value: object, _: object) -> str | None:
    return value if value is None or type(value) is str else _structure_str(value, None)


def _optional_int(value: object, _: object) -> int | None:
    return value if value is None or type(value) is int else _structure_int(value, None)


def _optional_float(value: object, _: object) -> float | None:
    return value if value is None or type(value) is float else _structure_float(value, None)


def _optional_bool(value: object, _: object) -> bool | None:
    return value if value is None or value is True or value is False else _structure_bool(value, None)


#: ``X | None`` of a JSON primitive: one call, the exact type (what ``json.loads`` makes) returned
#: as is, anything else through ``X``'s own hook (its conversions and its error).
_EXACT_OPTIONAL: dict[object, Callable[[Any, Any], Any]] = {
    str: _optional_str, int: _optional_int, float: _optional_float, bool: _optional_bool,
}
_PRIMITIVE_HOOKS: dict[object, Callable[[Any, Any], Any]] = {
    str: _structure_str, int: _structure_int, float: _structure_float, bool: _structure_bool,
}


def _structure_decimal(value: object, _: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _wrong(value, "a decimal number or numeric string")
    if isinstance(value, float) and not math.isfinite(value):
        raise ShapeError("expected a finite number")
    try:
        result = Decimal(value if type(value) is str else str(value))
    except InvalidOperation as exc:
        raise ShapeError(f"expected a decimal number, got {describe_value(value)}") from exc
    if not result.is_finite():
        raise ShapeError("expected a finite decimal number")
    return result


def parse_datetime(value: object) -> dt.datetime:
    """Parse an ISO-8601 timestamp into an aware datetime (a naive one is taken as UTC)."""
    if not isinstance(value, str):
        raise _wrong(value, "an ISO-8601 timestamp string")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise ShapeError(f"expected an ISO-8601 timestamp, got {describe_value(value)}") from exc
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


def _structure_datetime(value: object, _: object) -> dt.datetime:
    return parse_datetime(value)


def _structure_secret(value: object, _: object) -> Secret:
    return Secret(_structure_str(value, None))


def _structure_enum(value: object, tp: type[enum.Enum]) -> enum.Enum:
    if type(value) is str:  # the usual case: a known value is looked up directly, as ``tp(value)`` would
        member = tp._value2member_map_.get(value)
        if member is not None:
            return member
    elif issubclass(tp, str) and not isinstance(value, str):
        raise _wrong(value, "a string")
    try:
        return tp(value)
    except ValueError as exc:
        raise ShapeError(f"expected one of {[m.value for m in tp]}, got {describe_value(value)}") from exc


def _structure_json(value: object, _: object) -> object:
    return value  # already plain JSON: it came from json.loads


def _plain_json(value: object) -> object:
    if isinstance(value, Mapping):
        return {str(k): _plain_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_json(v) for v in value]
    return value


def _is_unset_union(tp: Any) -> bool:
    if typing.get_origin(tp) not in (Union, types.UnionType):
        return False
    return any(typing.get_args(a) == (UNSET,) for a in typing.get_args(tp))


def _is_plain_union(tp: Any) -> bool:
    if typing.get_origin(tp) not in (Union, types.UnionType) or is_json_type(tp) or _is_unset_union(tp):
        return False
    return len([a for a in typing.get_args(tp) if a is not type(None)]) > 1


def _is_optional(tp: Any) -> bool:
    if typing.get_origin(tp) not in (Union, types.UnionType) or is_json_type(tp) or _is_unset_union(tp):
        return False
    args = typing.get_args(tp)
    return len(args) == 2 and type(None) in args


def _is_list(tp: Any) -> bool:
    return typing.get_origin(tp) is list and not is_json_type(tp)


def _wire_overrides(cls: type) -> dict[str, Any]:
    return {f.name: override(rename=f.metadata[WIRE_NAME]) for f in attrs.fields(cls) if WIRE_NAME in f.metadata}


def _wire_names(cls: type) -> frozenset[str]:
    return frozenset(f.metadata.get(WIRE_NAME, f.name) for f in attrs.fields(cls) if f.name != "extra")


def _is_homogeneous_tuple(tp: Any) -> bool:
    args = typing.get_args(tp)
    return typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_str_dict(tp: Any) -> bool:
    args = typing.get_args(tp)
    return typing.get_origin(tp) is dict and len(args) == 2 and args[0] is str


#: What a structure hook raises for a value of the wrong shape (cattrs' generated code included).
_HOOK_ERRORS = (ValueError, TypeError, KeyError, AttributeError, IndexError)


def _item_error(items: list[Any], hook: Callable[[Any, Any], Any], item_type: Any, exc: Exception) -> ShapeError:
    """The error of the first item that fails again, at its index (only run once something failed)."""
    for index, item in enumerate(items):
        try:
            hook(item, item_type)
        except _HOOK_ERRORS as again:
            return shape_error_at(again, index)
    return shape_error_at(exc)  # pragma: no cover - a hook that fails only once


def _field_error(conv: cattrs.Converter, cls: type, data: dict[str, Any], exc: Exception) -> ShapeError:
    """Which field of ``cls`` failed: each field's hook is run again, in order, on its own value.

    Only run once the generated structure function has failed, so it costs nothing on the hot
    path; the result names the field's JSON name and whatever path the inner hook found below it.
    """
    hints = _field_types(cls)
    for field in attrs.fields(cls):
        if field.name == "extra":
            continue
        key = field.metadata.get(WIRE_NAME, field.name)
        if key not in data:
            if field.default is attrs.NOTHING:
                return ShapeError("missing required field", path=(key,))
            continue
        tp = hints[field.name]
        try:
            conv.get_structure_hook(tp)(data[key], tp)
        except _HOOK_ERRORS as again:
            return shape_error_at(again, key)
    return shape_error_at(exc)


def structure_keeping_undeclared(
    hook: Callable[[Any, Any], Any],
    cls: type,
    data: dict[str, Any],
    *,
    member: str,
    declared: frozenset[str] = frozenset(),
    keep: Callable[[Any], Any] = lambda raw: raw,
) -> Any:
    """``hook(data, cls)``, where an entry of ``data[member]`` the model does not declare never fails it.

    Such an entry of a shape the hook refuses (a vendor's new relationship, drawn differently)
    is moved, as ``keep(raw)``, to the key ``"<member>.<name>"``, which the response model keeps
    in ``extra``; then the hook runs again. A declared entry still fails, naming its path. The
    retry only runs once a value failed: a well-formed answer is structured once.
    """
    while True:
        try:
            return hook(data, cls)
        except ShapeError as exc:
            entries, path = data.get(member), exc.path
            if len(path) < 2 or path[0] != member or path[1] in declared or not isinstance(entries, dict):
                raise
            if path[1] not in entries:  # pragma: no cover - a hook reporting a key it was not given
                raise
            rest = dict(entries)
            data = {**data, member: rest, f"{member}.{path[1]}": keep(rest.pop(str(path[1])))}


def _structure_function(
    conv: cattrs.Converter, cls: type, overrides: dict[str, Any], deferred: Mapping[str, DeferredSpec[Any]],
    group: DeferredGroup[Any] | None = None,
) -> Callable[[Any, Any], Any]:
    """The structure function of a response model: cattrs' generated one, with the hot fields inlined.

    Like cattrs' (``make_dict_structure_fn``), it is generated once per class, reads each field's
    key, and raises what the field's hook raises (``KeyError`` for a missing required field).
    A JSON primitive field (``str``, ``int | None``, …) whose hook is the core's is checked
    inline: a value of the exact type is kept without a call, anything else goes to the hook
    (its conversions and its error); a plain JSON field is taken as it is. Those are most of an
    order's fields. A ``deferred`` field's non-empty value is offered to its snapshot function
    first: what it vouches for is kept as a ``Deferred``, anything else (and an empty value, null
    included) goes through the field's hook at once. With a checked ``group`` (``_scalars``),
    the whole object is offered to its snapshot first: when it vouches, only the other fields are
    structured and the group waits for its first read; otherwise every field is, as without it.
    ``extra`` is left to the caller, as before.
    """
    hints = _field_types(cls)
    namespace: dict[str, Any] = {"__cls": cls, "__missing": attrs.NOTHING, "__Deferred": Deferred}
    fields: list[tuple[str, int, list[str]]] = []  # (name, index, the lines that set a<index>)
    for index, field in enumerate(attrs.fields(cls)):
        if field.name != "extra":
            lines = _field_lines(conv, field, index, hints[field.name], overrides, deferred, namespace)
            fields.append((field.name, index, lines))
    body = ["def structure(o, _):"]
    if group is not None:
        grouped = frozenset(group.names)
        namespace["__group"], namespace["__pend"], namespace["__new"] = group, group.pend, object.__new__
        namespace["__set"] = object.__setattr__
        body += ["    g = __group.snapshot(o)", "    if g is not None:"]  # looked up: a test may make it refuse
        body += [f"    {line}" for name, _, lines in fields if name not in grouped for line in lines]
        body.append("        r = __new(__cls)")
        body += [f"        __set(r, {name!r}, a{index})" for name, index, _ in fields if name not in grouped]
        if "extra" in attrs.fields_dict(cls):
            body.append("        __set(r, 'extra', {})")  # the caller replaces it when the object has unknown keys
        body += ["        __pend(r, g)", "        return r"]
    body += [line for _, _, lines in fields for line in lines]
    arguments = ", ".join(f"{name}=a{index}" for name, index, _ in fields)
    body.append(f"    return __cls({arguments})")
    exec(compile("\n".join(body), f"<orderpatch structure {cls.__module__}.{cls.__qualname__}>", "exec"), namespace)
    function: Callable[[Any, Any], Any] = namespace["structure"]
    return function


def _field_default_kind(field: attrs.Attribute[Any], check: list[str]) -> str:
    """How a structure function reads an absent field: ``required``, ``none`` (absent is None) or ``missing``."""
    if field.default is attrs.NOTHING:
        return "required"
    if field.default is None and (not check or check[0] == "if v is not None:"):
        return "none"
    return "missing"


def _field_lines(
    conv: cattrs.Converter, field: attrs.Attribute[Any], index: int, tp: Any, overrides: dict[str, Any],
    deferred: Mapping[str, DeferredSpec[Any]], namespace: dict[str, Any], source: str | None = None,
) -> list[str]:
    """The lines of a structure function that read ``field`` into ``a<index>`` (the last line sets it).

    They read ``o[key]`` (or ``o.get``) of a JSON object, or the expression ``source`` (a struct's
    value, whose default for an absent key is ``None`` or ``__missing`` as ``_field_default_kind`` says).
    """
    given = overrides.get(field.name)
    key = given.rename if given is not None and given.rename is not None else field.name
    hook = given.struct_hook if given is not None and given.struct_hook is not None else conv.get_structure_hook(tp)
    namespace[f"h{index}"], namespace[f"t{index}"] = hook, tp
    check = _inline_check(hook, index, namespace)
    spec = deferred.get(field.name)
    if spec is not None:  # a snapshot the spec vouches for is kept; anything else (and empty) now
        namespace[f"s{index}"], namespace[f"b{index}"] = spec.snapshot, spec.build
        check = [
            "if v:",
            f"    s = s{index}(v)",
            f"    v = h{index}(v, t{index}) if s is None else __Deferred(b{index}, s)",
            *(["else:", *(f"    {line}" for line in check)] if check else []),
        ]
    kind = _field_default_kind(field, check)
    if kind == "required":  # a missing key raises KeyError, as in cattrs
        return [f"    v = {source or f'o[{key!r}]'}", *(f"    {line}" for line in check), f"    a{index} = v"]
    if kind == "none":  # absent, null and None-after-the-check are all the default: no test for the key
        return [f"    v = {source or f'o.get({key!r})'}", *(f"    {line}" for line in check), f"    a{index} = v"]
    default: Any = field.default
    factory = isinstance(default, _FACTORY)
    namespace[f"d{index}"] = default.factory if factory else default
    return [
        f"    v = {source or f'o.get({key!r}, __missing)'}",
        "    if v is __missing:",
        f"        a{index} = d{index}{'()' if factory else ''}",
        "    else:",
        *(f"        {line}" for line in check),
        f"        a{index} = v",
    ]


#: The attribute marking a response model's structure hook made here, naming its class.
RESPONSE_HOOK_OF = "_orderpatch_response_of"
#: ``attrs.Factory``'s class (a default built per instance, e.g. ``factory=dict``).
_FACTORY: type = type(attrs.Factory(dict))
#: The attribute of the core's union hook saying whether it gives ``None`` for null (and only then).
_NULL_IS_NONE = "_orderpatch_null_is_none"
#: The attribute of the core's ``X | None`` hook holding ``X``'s hook and ``X``.
_OPTIONAL_OF = "_orderpatch_optional_of"


def _inline_check(hook: Callable[[Any, Any], Any], index: int, namespace: dict[str, Any]) -> list[str]:
    """The lines that turn ``v`` into the field's value (see ``_structure_function``)."""
    call = f"v = h{index}(v, t{index})"
    if hook is _structure_json:
        return []
    optional_of = getattr(hook, _OPTIONAL_OF, None)
    if optional_of is not None:  # ``X | None`` of anything else: ``X``'s hook called directly
        namespace[f"h{index}"], namespace[f"t{index}"] = optional_of
        return ["if v is not None:", *(f"    {line}" for line in _inline_check(optional_of[0], index, namespace))]
    if getattr(hook, _NULL_IS_NONE, False):  # a nullable union: null is None without the call
        return ["if v is not None:", f"    {call}"]
    if hook is _structure_enum and isinstance(namespace[f"t{index}"], type):
        # A known value looked up directly, as the hook does first; anything else to the hook.
        namespace[f"m{index}"] = namespace[f"t{index}"]._value2member_map_
        return ["if type(v) is str:", f"    m = m{index}.get(v)", f"    v = h{index}(v, t{index}) if m is None else m",
                "else:", f"    {call}"]
    if hook is _structure_decimal or hook is _structure_datetime:
        # The usual value, a string that parses, converted inline; anything else, and a string
        # that does not parse or is not finite, goes to the hook (its conversions and its error).
        namespace["__Decimal"], namespace["__InvalidOperation"] = Decimal, InvalidOperation
        namespace["__fromisoformat"], namespace["__UTC"] = dt.datetime.fromisoformat, dt.UTC
        if hook is _structure_decimal:
            parse = ["try:", "    p = __Decimal(v)", "except __InvalidOperation:", "    p = None",
                     "if p is None or not p.is_finite():", f"    p = h{index}(v, t{index})"]
        else:
            parse = ["try:", "    p = __fromisoformat(v)", "except ValueError:", f"    p = h{index}(v, t{index})",
                     "if p.tzinfo is None:", "    p = p.replace(tzinfo=__UTC)"]
        return ["if type(v) is str:", *(f"    {line}" for line in parse), "    v = p", "else:", f"    {call}"]
    for exact, optional in ((_PRIMITIVE_HOOKS, False), (_EXACT_OPTIONAL, True)):
        for primitive, known in exact.items():
            if hook is known:
                name = getattr(primitive, "__name__", "")
                test = "v is not True and v is not False" if primitive is bool else f"type(v) is not {name}"
                return [f"if {'v is not None and ' if optional else ''}{test}:", f"    {call}"]
    return [call]


_FIELD_TYPES: dict[type, dict[str, Any]] = {}


def _field_types(cls: type) -> dict[str, Any]:
    hints = _FIELD_TYPES.get(cls)
    if hints is None:
        hints = _FIELD_TYPES[cls] = typing.get_type_hints(cls)
    return hints


def make_converter() -> cattrs.Converter:
    """A converter with orderpatch's hooks; each vendor builds one at import and adds its own."""
    conv = cattrs.Converter(detailed_validation=False)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_structure_hook(dt.datetime, _structure_datetime)
    conv.register_unstructure_hook(dt.datetime, lambda v: v.isoformat())
    conv.register_unstructure_hook(Decimal, str)
    # Enums are dispatched on their class: a str- or int-based enum (OpenEnum, IntEnum) would
    # otherwise match the ``str``/``int`` hook first in its MRO and come back as a plain value.
    for enum_base in (enum.Enum, enum.IntEnum, enum.StrEnum, OpenEnum):
        conv.register_structure_hook(enum_base, _structure_enum)
    conv.register_structure_hook_func(is_json_type, _structure_json)
    conv.register_unstructure_hook_func(is_json_type, _plain_json)

    def structure_unset_union(value: object, tp: Any) -> object:
        rest = tuple(a for a in typing.get_args(tp) if a is not _UnsetType and typing.get_args(a) != (UNSET,))
        return conv.structure(value, Union[rest] if len(rest) > 1 else rest[0])  # type: ignore[arg-type]  # noqa: UP007

    conv.register_structure_hook_func(_is_unset_union, structure_unset_union)

    def union_structure(tp: Any) -> Callable[[Any, Any], Any]:
        # Try each member in order; strict primitive hooks make the first match the right one.
        args = typing.get_args(tp)
        nullable = type(None) in args
        members = [(a, conv.get_structure_hook(a)) for a in args if a is not type(None)]
        expected = " or ".join(getattr(a, "__name__", str(a)) for a in args)

        def structure(value: Any, _: Any) -> Any:
            if value is None and nullable:
                return None
            for member, hook in members:
                try:
                    return hook(value, member)
                except (ValueError, TypeError, KeyError):
                    continue
            raise ShapeError(f"expected {expected}, got {describe_value(value)}")

        setattr(structure, _NULL_IS_NONE, nullable)  # the generated structure function skips it for null
        return structure

    conv.register_structure_hook_factory(_is_plain_union, union_structure)

    def optional_structure(tp: Any) -> Callable[[Any, Any], Any]:
        # ``X | None``: resolve the hook of ``X`` once, not on every value as cattrs' own does.
        (inner,) = (a for a in typing.get_args(tp) if a is not type(None))
        exact = _EXACT_OPTIONAL.get(inner)
        if exact is not None and conv.get_structure_hook(inner) is _PRIMITIVE_HOOKS[inner]:
            return exact  # most of an answer's fields: no second call for a value of the exact type
        hook = conv.get_structure_hook(inner)

        def structure(value: Any, _: Any) -> Any:
            return None if value is None else hook(value, inner)

        setattr(structure, _OPTIONAL_OF, (hook, inner))
        return structure

    conv.register_structure_hook_factory(_is_optional, optional_structure)

    def list_structure(tp: Any) -> Callable[[Any, Any], Any]:
        # cattrs would iterate any iterable: a string would become a list of characters.
        args = typing.get_args(tp)
        item_type = args[0] if args else Any
        item_hook = conv.get_structure_hook(item_type)

        def structure(value: Any, _: Any) -> list[Any]:
            if not isinstance(value, list):
                raise _wrong(value, "a JSON array")
            try:
                return [item_hook(item, item_type) for item in value]
            except _HOOK_ERRORS as exc:
                raise _item_error(value, item_hook, item_type, exc) from None

        return structure

    conv.register_structure_hook_factory(_is_list, list_structure)

    def tuple_structure(tp: Any) -> Callable[[Any, Any], Any]:
        # ``tuple[X, ...]`` from a JSON array only (cattrs would take any iterable), with the index on error.
        item_type = typing.get_args(tp)[0]
        item_hook = conv.get_structure_hook(item_type)

        def structure(value: Any, _: Any) -> tuple[Any, ...]:
            if not isinstance(value, list):
                raise _wrong(value, "a JSON array")
            try:
                return tuple([item_hook(item, item_type) for item in value])
            except _HOOK_ERRORS as exc:
                raise _item_error(value, item_hook, item_type, exc) from None

        return structure

    conv.register_structure_hook_factory(_is_homogeneous_tuple, tuple_structure)

    def dict_structure(tp: Any) -> Callable[[Any, Any], Any]:
        # ``dict[str, X]`` from a JSON object only, with the key on error.
        value_type = typing.get_args(tp)[1]
        if is_json_type(value_type):  # plain JSON already (it came from json.loads): a shallow copy

            def structure_json(value: Any, _: Any) -> dict[str, Any]:
                if not isinstance(value, dict):
                    raise _wrong(value, "a JSON object")
                return dict(value)

            return structure_json
        value_hook = conv.get_structure_hook(value_type)

        def structure(value: Any, _: Any) -> dict[str, Any]:
            if not isinstance(value, dict):
                raise _wrong(value, "a JSON object")
            key = None
            try:
                out = {}
                for key, item in value.items():
                    out[key] = value_hook(item, value_type)
                return out
            except _HOOK_ERRORS as exc:
                raise shape_error_at(exc, str(key)) from None

        return structure

    conv.register_structure_hook_factory(_is_str_dict, dict_structure)
    conv.register_structure_hook(Secret, _structure_secret)
    conv.register_unstructure_hook(Secret, Secret.get_secret_value)

    def request_unstructure(cls: type) -> Callable[[Any], dict[str, Any]]:
        return make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True, **_wire_overrides(cls))

    conv.register_unstructure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, RequestModel) and attrs.has(t), request_unstructure
    )

    def response_structure(cls: type) -> Callable[[Any, Any], Any]:
        known = _wire_names(cls)
        overrides = _wire_overrides(cls)
        # A deferred field is built on first read, once its snapshot vouched for the value.
        base = _structure_function(conv, cls, overrides, deferred_fields(cls), group_of(cls))
        name = cls.__name__

        def structure(data: Any, _: Any) -> Any:
            if not isinstance(data, dict):
                raise ShapeError(f"expected a JSON object for {name}, got {describe_value(data)}")
            try:
                obj = base(data, cls)
            except _HOOK_ERRORS as exc:
                raise _field_error(conv, cls, data, exc) from None
            if not known.issuperset(data):
                object.__setattr__(obj, "extra", {k: v for k, v in data.items() if k not in known})
            return obj

        setattr(structure, RESPONSE_HOOK_OF, cls)  # the core's own hook of ``cls`` (``_mirror`` relies on it)
        return structure

    def response_unstructure(cls: type) -> Callable[[Any], dict[str, Any]]:
        base: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(
            cls, conv, extra=override(omit=True), **_wire_overrides(cls)
        )

        def unstructure(obj: Any) -> dict[str, Any]:
            data = base(obj)
            data.update(obj.extra)
            return data

        return unstructure

    is_response = lambda t: isinstance(t, type) and issubclass(t, ResponseModel)
    conv.register_structure_hook_factory(is_response, response_structure)
    conv.register_unstructure_hook_factory(is_response, response_unstructure)
    return conv


@functools.cache
def _output_converter() -> cattrs.Converter:
    """The converter of ``ResponseModel.to_dict()``: the core hooks, with every ``Secret`` shown as ``***``."""
    conv = make_converter()
    conv.register_unstructure_hook(Secret, lambda _: "***")
    return conv


def _plain(value: object) -> JSONValue:
    """Tuples (cattrs keeps them) as lists, so the result is plain JSON data."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return cast(JSONValue, value)


def to_json_data(model: object) -> dict[str, JSONValue]:
    """A response model as JSON-ready data (see ``ResponseModel.to_dict``)."""
    data = _plain(_output_converter().unstructure(model))
    assert isinstance(data, dict)
    return data
