"""Helpers for vendor tests of checked scalar groups (``_scalars``): the same answer read fast and eagerly."""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

import attrs

from orderpatch._convert import ShapeError
from orderpatch._deferred import Deferred, group_of

M = TypeVar("M")


@contextmanager
def eager(owner: type) -> Iterator[None]:
    """Within the block, ``owner``'s group refuses every object: each field goes through its hook."""
    group = group_of(owner)
    assert group is not None, f"{owner.__name__} has no checked group"
    snapshot = group.snapshot
    group.snapshot = lambda raw: None
    try:
        yield
    finally:
        group.snapshot = snapshot


def pending(owner: type, obj: object) -> bool:
    """Whether ``obj``'s group is still waiting to be built (read below the descriptors)."""
    group = group_of(owner)
    assert group is not None
    return type(group._holder_get(obj)) is Deferred


def _pickled(obj: object) -> object:
    """``obj`` through pickle, or the error that refuses it (a ``Secret`` refuses, read or unread)."""
    try:
        return pickle.loads(pickle.dumps(obj))
    except TypeError as exc:
        return str(exc)


def _outcome(parse: Callable[[Any], Any], raw: Any) -> tuple[str, Any]:
    try:
        return "ok", parse(copy.deepcopy(raw))
    except ShapeError as exc:
        return "error", (str(exc), exc.path)


def assert_read_as_eagerly(parse: Callable[[Any], M], raw: Any, owner: type, *, fast: bool) -> M | None:
    """``parse(raw)`` gives what it gives with ``owner``'s group refusing (or the same error); ``fast``: pending."""
    with eager(owner):
        expected = _outcome(parse, raw)
    got = _outcome(parse, raw)
    if expected[0] != "ok":
        assert got == expected
        return None
    assert got[0] == "ok", got
    model: M = got[1]
    reference = expected[1]
    top = model if isinstance(model, owner) else None
    if top is not None:
        assert pending(owner, top) is fast
    assert_same_model(model, reference)
    assert _pickled(parse(copy.deepcopy(raw))) == _pickled(reference)
    return model


def assert_same_model(got: object, expected: object) -> None:
    """Two response models alike in all a caller sees: each field (value, type), ``==``, ``repr``, ``to_dict``."""
    names = [f.name for f in attrs.fields(cast(Any, type(expected)))]
    assert [(n, type(getattr(got, n)), getattr(got, n)) for n in names] == [
        (n, type(getattr(expected, n)), getattr(expected, n)) for n in names
    ]
    assert got == expected
    assert repr(got) == repr(expected)
    assert got.to_dict() == expected.to_dict()  # type: ignore[attr-defined]


def assert_read_three_ways(
    parse: Callable[[Any], M], read: Callable[[bytes], M | None], raw: Any, owner: type, *, fast: bool,
    from_bytes: bool | None = None,
) -> M | None:
    """``parse(raw)`` as eager structuring gives it, and ``read`` of its JSON bytes the same object or ``None``.

    ``fast``: the group vouches for ``raw``; ``from_bytes`` (default: ``fast``): ``read`` reads it.
    """
    model = assert_read_as_eagerly(parse, raw, owner, fast=fast)
    got = read(json.dumps(raw).encode())
    assert (got is not None) is (fast if from_bytes is None else from_bytes)
    if got is not None:
        assert pending(owner, got)
        assert_same_model(got, parse(copy.deepcopy(raw)))
    return model
