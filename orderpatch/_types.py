"""Small shared types: the ``UNSET`` sentinel, JSON value types, ``Secret`` and ``OpenEnum``.

``UNSET`` is what makes PATCH work: a field left ``UNSET`` is omitted from the request body
("leave unchanged"), while ``None`` is sent as JSON ``null`` ("set to null"). It is an enum
member so that type checkers can narrow ``str | Unset`` with ``is UNSET``.
"""

from __future__ import annotations

import enum

#: ``typing`` (and the ``re``, ``contextlib`` and ``collections.abc`` it pulls in) is not imported
#: at run time by ``import orderpatch``: it was most of that import. Type checkers read this block;
#: at run time the JSON aliases and ``Unset`` are made on first use (``__getattr__`` below).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Final, Literal, Self, TypeAlias, Union, final

__all__ = ["UNSET", "JSONInput", "JSONObject", "JSONValue", "OpenEnum", "Secret", "Unset", "is_json_type"]


class _UnsetType(enum.Enum):
    """The type of :data:`UNSET`; use the ``Unset`` alias in annotations."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> Literal[False]:
        return False


#: "Leave this field unchanged": the field is omitted from the request body.
UNSET: Final = _UnsetType.UNSET

if TYPE_CHECKING:
    #: The type of :data:`UNSET`, for annotations such as ``str | None | Unset``.
    Unset: TypeAlias = Literal[_UnsetType.UNSET]

    # These aliases stay ``Union[...]`` (not ``X | Y``): the recursive string references must become
    # ``ForwardRef``s at run time so that type hints resolve, and ``is_json_type`` recognises them.
    #: A JSON value as parsed from a response (concrete ``dict`` and ``list``).
    JSONValue: TypeAlias = Union[bool, int, float, str, list["JSONValue"], dict[str, "JSONValue"], None]  # noqa: UP007
    #: A JSON object as parsed from a response.
    JSONObject: TypeAlias = dict[str, JSONValue]
    #: A JSON value given by the caller: any mapping or sequence of JSON values is accepted.
    JSONInput: TypeAlias = Union[  # noqa: UP007
        bool, int, float, str, Sequence["JSONInput"], Mapping[str, "JSONInput"], None
    ]
else:
    _ALIASES = frozenset({"Unset", "JSONValue", "JSONObject", "JSONInput"})

    def _define_aliases() -> None:
        """The aliases above, the same objects ``typing`` makes (made once, on first use)."""
        from collections.abc import Mapping, Sequence
        from typing import Final, Literal, Self, TypeAlias, Union

        json_value = Union[bool, int, float, str, list["JSONValue"], dict[str, "JSONValue"], None]  # noqa: UP007
        json_input = Union[bool, int, float, str, Sequence["JSONInput"], Mapping[str, "JSONInput"], None]  # noqa: UP007
        globals().update(
            Unset=Literal[_UnsetType.UNSET], JSONValue=json_value, JSONObject=dict[str, json_value],
            JSONInput=json_input, Final=Final, Literal=Literal, Self=Self, TypeAlias=TypeAlias, Union=Union,
        )  # the typing names too: ``typing.get_type_hints`` of this module's functions resolves them

    def __getattr__(name: str) -> object:
        if name in _ALIASES:
            _define_aliases()
            return globals()[name]
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

    def final(cls: type) -> type:
        """``typing.final``'s run-time effect (``__final__``), without importing ``typing``."""
        cls.__final__ = True  # type: ignore[attr-defined]
        return cls


_JSON_SCALARS = frozenset({type(None), bool, int, float, str})


def is_json_type(tp: object) -> bool:
    """Whether an annotation is ``JSONValue``/``JSONInput`` (recognised by shape: type hints
    resolution expands recursive aliases, so identity cannot be relied on)."""
    import types
    import typing

    if isinstance(tp, typing.ForwardRef):
        return tp.__forward_arg__ in ("JSONValue", "JSONInput")
    return typing.get_origin(tp) in (typing.Union, types.UnionType) and _JSON_SCALARS.issubset(typing.get_args(tp))


@final
class Secret:
    """A credential that never shows itself in ``repr()``, ``str()``, logs or tracebacks.

    Call :meth:`get_secret_value` at the one place that must send it (an auth flow).
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    @classmethod
    def coerce(cls, value: str | Secret) -> Self:
        """Wrap a plain string; pass an existing ``Secret`` through."""
        return value if isinstance(value, cls) else cls(str(value))

    def get_secret_value(self) -> str:
        """The secret itself."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    def __str__(self) -> str:
        return "***"

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        import hmac  # here, not at the top: it loads OpenSSL, a third of `import orderpatch`

        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __reduce__(self) -> str:  # pragma: no cover - defensive
        raise TypeError("orderpatch.Secret cannot be pickled")


class OpenEnum(enum.StrEnum):
    """A string enum that accepts values it does not know.

    Vendors add statuses without notice; an unknown value becomes a pseudo-member (its
    ``name`` is the value upper-cased, ``is_known`` is ``False``) instead of failing the parse.
    Pseudo-members compare equal by value; the most recent ``OPEN_ENUM_CACHE_SIZE`` of each
    class are cached (the oldest is dropped first), so a long-running process that sees many
    distinct unknown values keeps a bounded number of them.
    """

    @classmethod
    def _missing_(cls, value: object) -> OpenEnum | None:
        if not isinstance(value, str):
            return None
        cache: dict[str, OpenEnum] | None = cls.__dict__.get("_unknown_members_", None)
        if cache is None:
            cache = {}
            setattr(cls, "_unknown_members_", cache)  # noqa: B010 - enum blocks plain assignment
        member = cache.get(value)
        if member is None:
            # Here, not at the top: `import orderpatch` loads only _types and _version.
            from ._constants import OPEN_ENUM_CACHE_SIZE

            member = str.__new__(cls, value)
            member._name_ = value.upper()
            member._value_ = value
            while len(cache) >= OPEN_ENUM_CACHE_SIZE:
                try:
                    cache.pop(next(iter(cache)), None)
                except (StopIteration, RuntimeError):  # pragma: no cover - emptied by another thread
                    break
            cache[value] = member
        return member

    @property
    def is_known(self) -> bool:
        """Whether the vendor documented this value when this version was released."""
        return self._name_ in type(self).__members__

    def __str__(self) -> str:
        return str(self.value)
