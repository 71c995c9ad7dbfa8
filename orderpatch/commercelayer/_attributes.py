"""An order's ~100 attributes: checked in C when the answer is parsed, set on ``Order`` on first read.

Structuring them field by field in Python was most of a Commerce Layer parse. The core's
``_scalars.scalar_group`` checks the whole ``attributes`` object at once against a struct
generated from ``OrderAttributes`` (each field the JSON type its hook accepts without
converting; timestamps and JSON objects read by their hooks), and the values wait in a snapshot
until a field of the group is first read (``_deferred.defer_group``). Whatever the check does
not vouch for (an integral float for an int, a non-string status, an unparseable timestamp, …)
makes ``attributes_snapshot`` return ``None``: the caller then structures the order eagerly,
with the hooks' conversions and errors, exactly as before. Unlike the other vendors' groups,
this one is read from ``data.attributes`` by the codec's own fast path, and holds ``extra``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

import attrs
import cattrs

from .._deferred import DeferredGroup, defer_group
from .._scalars import scalar_group
from .models import Order, OrderAttributes

__all__ = ["ATTRIBUTE_NAMES", "Snapshot", "defer_attributes"]

#: The attributes ``Order`` declares (its other keys go to ``extra``).
ATTRIBUTE_NAMES = frozenset(field.name for field in attrs.fields(OrderAttributes) if field.name != "extra")

#: ``(the values in field order, timestamps parsed; extra)``: what the group is built from.
Snapshot: TypeAlias = tuple[list[object], dict[str, Any]]


def defer_attributes(
    conv: cattrs.Converter,
) -> tuple[DeferredGroup[Snapshot], Callable[[dict[str, Any], dict[str, Any]], Snapshot | None]]:
    """``Order``'s attributes and ``extra`` as one group built on first read, and the function that checks them.

    ``snapshot(attributes, extra)`` gives what the group is built from, or ``None``.
    """
    group = scalar_group(conv, OrderAttributes)
    if frozenset(group.names) != ATTRIBUTE_NAMES:  # pragma: no cover - a new kind of attribute
        raise TypeError(f"OrderAttributes: no struct type for {sorted(ATTRIBUTE_NAMES - set(group.names))}")
    check, make = group.snapshot, group.build

    def snapshot(attributes: dict[str, Any], extra: dict[str, Any]) -> Snapshot | None:
        values = check(attributes)
        return None if values is None else (values, extra)

    def build(taken: Snapshot) -> Sequence[object]:
        values, extra = taken  # built once: the snapshot is dropped once the group is set
        built = make(values)
        built.append(extra)
        return built

    return defer_group(Order, [*group.names, "extra"], build=build), snapshot
