"""Fields of a response model built on first access, after being checked at parse time.

An order answer carries parts most callers never read (Commerce Layer's 34 relationship
links, a third of its parse). A vendor codec may mark such a field *deferred*
(``defer_field``): at parse time a cheap ``snapshot`` function checks the raw value and copies
what it needs into immutable data; the model object itself is built from that snapshot the
first time the attribute is read. The laziness does not show:

* the check runs when the answer is parsed, so a defect still fails the call there, as a
  ``DecodeError`` naming its JSON path (a value the snapshot does not vouch for goes through the
  field's ordinary hook, eagerly); building from a snapshot cannot fail;
* every way of reading the field (attribute access, ``repr``, ``==``, ``to_dict``, pickling,
  ``attrs.evolve``/``asdict``) goes through the class's descriptor and gets the built object;
* the first access is thread-safe: one lock around building, so every thread sees one object;
* the snapshot holds copies (tuples of strings), so the decoded JSON it came from may change
  or go away without changing the model.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

__all__ = ["Deferred", "DeferredSpec", "defer_field", "deferred_fields"]

S = TypeVar("S")

_LOCK = threading.Lock()


class Deferred(Generic[S]):
    """What a deferred field's slot holds until first read: a snapshot and how to build from it."""

    __slots__ = ("build", "snapshot")

    def __init__(self, build: Callable[[S], object], snapshot: S) -> None:
        self.build = build
        self.snapshot = snapshot

    def __repr__(self) -> str:  # pragma: no cover - never reaches a user: the descriptor builds first
        return "<deferred>"


class _DeferredSlot:
    """Replaces an attrs slot's member descriptor: builds a ``Deferred`` value on first read."""

    __slots__ = ("_slot",)

    def __init__(self, slot: Any) -> None:
        self._slot = slot

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            return self
        value = self._slot.__get__(obj, owner)
        if type(value) is Deferred:
            with _LOCK:
                value = self._slot.__get__(obj, owner)
                if type(value) is Deferred:
                    built = value.build(value.snapshot)
                    self._slot.__set__(obj, built)
                    value = built
        return value

    def __set__(self, obj: object, value: object) -> None:
        self._slot.__set__(obj, value)

    def __delete__(self, obj: object) -> None:  # pragma: no cover - attrs never deletes a field
        self._slot.__delete__(obj)


class DeferredSpec(Generic[S]):
    """How one field is deferred: ``snapshot(raw)`` (``None``: not vouched for) and ``build(snapshot)``.

    The converter's generated structure function of the owner calls ``snapshot`` on the field's
    non-empty raw value and keeps ``Deferred(build, taken)``; anything else goes to the hook.
    """

    __slots__ = ("build", "snapshot")

    def __init__(self, snapshot: Callable[[Any], S | None], build: Callable[[S], object]) -> None:
        self.snapshot = snapshot
        self.build = build



_REGISTRY: dict[type, dict[str, DeferredSpec[Any]]] = {}


def defer_field(owner: type, name: str, *, snapshot: Callable[[Any], S | None], build: Callable[[S], object]) -> None:
    """Build ``owner.<name>`` on first read (see the module's docstring).

    Call it at the vendor's import, before the first answer is structured (the converter's
    structure function of ``owner`` reads the registry when it is generated). ``owner`` must
    be a slotted attrs class (``@attrs.frozen``) declaring ``name`` itself.
    """
    slot = owner.__dict__.get(name)
    if not isinstance(slot, _DeferredSlot):
        if type(slot).__name__ != "member_descriptor":
            raise TypeError(f"{owner.__name__}.{name} is not a slot of {owner.__name__}")
        setattr(owner, name, _DeferredSlot(slot))
    _REGISTRY.setdefault(owner, {})[name] = DeferredSpec(snapshot, build)


def deferred_fields(owner: type) -> dict[str, DeferredSpec[Any]]:
    """The deferred fields ``owner`` declares (empty for most classes)."""
    return _REGISTRY.get(owner, {})
