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

A *group* of fields (``defer_group``: Commerce Layer's ~100 order attributes) is built together
the first time any of them is read: the parser makes the object with ``DeferredGroup.new``,
which sets the other fields and leaves the group's slots empty except the *holder*'s, which
holds the ``Deferred`` (the holder is the group's last field). The same guarantees hold. A
group given a ``snapshot`` function (``_scalars``: a model's scalar fields checked in C) is
also taken up by the converter's generated structure function of its owner (``group_of``).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from itertools import repeat
from operator import call
from typing import Any, Generic, TypeVar

__all__ = ["Deferred", "DeferredGroup", "DeferredSpec", "defer_field", "defer_group", "deferred_fields", "group_of"]

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


class _DeferredSlot(property):
    """Replaces an attrs slot's member descriptor: builds a ``Deferred`` value on first read.

    A property whose setter is the slot's own (C): ``__init__`` sets the field as fast as before.
    """

    def __init__(self, slot: Any) -> None:
        get, put = slot.__get__, slot.__set__

        def read(obj: object) -> Any:
            value = get(obj)
            if type(value) is Deferred:
                with _LOCK:
                    value = get(obj)
                    if type(value) is Deferred:
                        value = value.build(value.snapshot)
                        put(obj, value)
            return value

        super().__init__(read, put)
        self._slot = slot


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


def _member(owner: type, name: str) -> Any:
    """The slot's member descriptor of ``name``, declared by ``owner`` or one of its bases."""
    for klass in owner.__mro__:
        slot = klass.__dict__.get(name)
        if slot is not None:
            if type(slot).__name__ != "member_descriptor":
                raise TypeError(f"{owner.__name__}.{name} is not a slot of {owner.__name__}")
            return slot
    raise TypeError(f"{owner.__name__}.{name} is not a slot of {owner.__name__}")


#: Reentrant: a group's build may read another deferred field (never this group's) of the object.
_GROUP_LOCK = threading.RLock()


class DeferredGroup(Generic[S]):
    """Fields of one class built together on first read of any of them (see the module's docstring).

    ``build(snapshot)`` returns the values of ``names`` in order, the holder's last. ``snapshot``,
    when given, reads a raw JSON object into what ``build`` takes (``None``: not vouched for).
    """

    __slots__ = ("_build", "_holder_get", "_holder_set", "_new", "_owner", "_setters", "names", "snapshot")

    def __init__(
        self, owner: type, names: Sequence[str], build: Callable[[S], Sequence[object]],
        snapshot: Callable[[Any], S | None] | None = None,
    ) -> None:
        members = [_member(owner, name) for name in names]
        self._owner, self._build = owner, build
        self.names, self.snapshot = tuple(names), snapshot
        self._new: Callable[[type], Any] = object.__new__  # what attrs' slotted classes are made with
        self._setters = tuple(member.__set__ for member in members)
        self._holder_get, self._holder_set = members[-1].__get__, members[-1].__set__
        for name, member in zip(names, members, strict=True):
            # A property: its setter is the slot's own (C, so ``__init__`` costs what it did); its getter
            # builds the group when the slot is empty (a member) or holds the ``Deferred`` (the holder).
            getter = _holder_getter if member is members[-1] else _member_getter
            setattr(owner, name, property(getter(member.__get__, self.fill), member.__set__))

    def new(self, values: Mapping[str, object], snapshot: S) -> Any:
        """An ``owner`` with ``values`` set (the fields outside the group) and the group pending on ``snapshot``."""
        obj = self._new(self._owner)
        for name, value in values.items():
            object.__setattr__(obj, name, value)
        self.pend(obj, snapshot)
        return obj

    def pend(self, obj: object, snapshot: S) -> None:
        """Leave the group of ``obj`` (made with ``object.__new__``) pending on ``snapshot``."""
        self._holder_set(obj, Deferred(self._build, snapshot))

    def fill(self, obj: object) -> None:
        """Build the group of ``obj`` if it is still pending (once, under a lock)."""
        with _GROUP_LOCK:
            pending = self._holder_get(obj)
            if type(pending) is Deferred:
                # The holder is set last: until then every other reader still finds the group pending.
                values: Sequence[object] = pending.build(pending.snapshot)  # type: ignore[assignment]
                deque(map(call, self._setters, repeat(obj), values), maxlen=0)


def _member_getter(get: Callable[[object], Any], fill: Callable[[object], None]) -> Callable[[object], Any]:
    def member(obj: object) -> Any:
        try:
            return get(obj)
        except AttributeError:  # the slot is empty: the group is pending
            fill(obj)
            return get(obj)

    return member


def _holder_getter(get: Callable[[object], Any], fill: Callable[[object], None]) -> Callable[[object], Any]:
    def holder(obj: object) -> Any:
        value = get(obj)
        if type(value) is Deferred:
            fill(obj)
            value = get(obj)
        return value

    return holder


_GROUPS: dict[type, DeferredGroup[Any]] = {}


def defer_group(
    owner: type, names: Sequence[str], *, build: Callable[[S], Sequence[object]],
    snapshot: Callable[[Any], S | None] | None = None,
) -> DeferredGroup[S]:
    """Build ``names`` of ``owner`` together on first read (see the module's docstring); the last is the holder.

    ``owner`` must be a slotted attrs class (``@attrs.frozen``); its instances made by
    ``__init__`` (or ``attrs.evolve``, unpickling) are not deferred at all. With ``snapshot``,
    the converter's structure function of ``owner`` (generated after this call) offers it
    each raw object first; one group per owner.
    """
    if snapshot is not None and owner in _GROUPS:
        raise TypeError(f"{owner.__name__} already has a checked group")
    group = DeferredGroup(owner, names, build, snapshot)
    if snapshot is not None:
        _GROUPS[owner] = group
    return group


def group_of(owner: type) -> DeferredGroup[Any] | None:
    """The group whose ``snapshot`` the structure function of ``owner`` offers each raw object."""
    return _GROUPS.get(owner)
