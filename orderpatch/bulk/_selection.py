"""A selection as a bulk job's input: the orders a filter lists, each given one change.

``orderpatch bulk --where status=placed --set reference=ERP-1`` (or ``update_orders(Selection(
where=OrderFilter(status="placed"), changes=OrderChanges(reference="ERP-1")))``). The filter is
mapped to the vendor's and the change to its request **before any I/O**; then the orders are
listed through the job's client, so every page spends the job's one budget, and journalled,
all in one commit, **before the first write**. An order that already holds every changed value
(``_compare.holds``) is journalled ``skipped`` in that same commit.

A resumed job never lists again: it works on exactly the orders its journal holds, even if the
filter would select other orders now (some were just changed by the job itself). The journal is
keyed by the vendor, the filter and the change (``digest``), so another selection is refused
like another input file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterable, Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from .._facade._adapter import VendorAdapter
from .._facade._changes import Address, OrderChanges
from .._facade._reading import OrderFilter, vendor_filter
from .._models import RequestModel
from .._types import UNSET, JSONValue
from ..errors import ValidationError
from ._compare import holds
from ._input import BulkInput, BulkItem
from ._journal import Journal

__all__ = ["PreparedSelection", "Selection", "alist_selection", "list_selection", "prepare_selection",
           "resumed_selection"]


@attrs.frozen(kw_only=True)
class Selection:
    """The orders ``where`` selects, each to get ``changes``: the input of a bulk job without a file.

    Attributes:
        where: An ``orderpatch.OrderFilter`` (mapped to the configured vendor's, refused before any
            request where the vendor cannot filter so) or the vendor's own ``OrderFilter``. A
            neutral filter with no condition is refused: select every order on purpose with the
            vendor's own empty filter.
        changes: One ``OrderChanges`` (or the vendor's own update) for every selected order.
        limit: At most this many orders (``None``: every one the filter selects).
    """

    where: object
    changes: object
    limit: int | None = None


@attrs.frozen(kw_only=True)
class PreparedSelection:
    """A checked selection: the vendor's filter and request, and the digest its journal is keyed by."""

    source: str
    filter: RequestModel | None
    request: RequestModel
    changes: OrderChanges | None
    change: str
    digest: str
    limit: int | None


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _plain(value: object) -> object:
    if isinstance(value, Address):
        return {name: getattr(value, name) for name in value.changed_fields()}
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def changes_data(changes: OrderChanges) -> dict[str, object]:
    """The neutral change as the JSON object a JSONL line would hold (``--set`` field names)."""
    return {name: _plain(getattr(changes, name)) for name in changes.changed_fields()}


def _filter_data(checked: RequestModel | None) -> dict[str, object] | None:
    if checked is None:
        return None
    return {f.name: _plain(getattr(checked, f.name)) for f in attrs.fields(type(checked))  # type: ignore[arg-type]
            if getattr(checked, f.name) is not UNSET}


def prepare_selection(selection: object, adapter: VendorAdapter) -> PreparedSelection:
    """Check a ``Selection`` for the configured vendor: its filter, its change, its limit; no I/O."""
    if not isinstance(selection, Selection):
        raise ValidationError(f"selection: expected orderpatch.bulk.Selection, got {type(selection).__name__}",
                              field="selection", expected="orderpatch.bulk.Selection")
    limit: object = selection.limit
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ValidationError(f"Selection.limit: expected a positive int or None, got {limit!r:.40}",
                              field="Selection.limit", expected="int >= 1 or None")
    where = selection.where
    if where is None or (isinstance(where, OrderFilter) and not where.set_fields()):
        raise ValidationError("Selection.where: no condition; give at least one (an empty vendor OrderFilter "
                              "selects every order on purpose)", field="Selection.where", expected="a condition")
    checked = vendor_filter(adapter, where)
    request = adapter.prepare(selection.changes)
    neutral = selection.changes if isinstance(selection.changes, OrderChanges) else None
    change_data: object = changes_data(neutral) if neutral is not None else {"native": adapter.unstructure(request)}
    change = _canonical(change_data)
    filter_text = _canonical(_filter_data(checked))
    digest = hashlib.sha256(f"selection\n{adapter.vendor}\n{filter_text}\n{change}\n{limit}".encode()).hexdigest()
    source = f"selection where {filter_text} set {change}" + (f" limit {limit}" if limit is not None else "")
    return PreparedSelection(source=source, filter=checked, request=request, changes=neutral, change=change,
                             digest=digest, limit=selection.limit)


def _items(prepared: PreparedSelection, ids: Iterable[str]) -> tuple[BulkItem, ...]:
    return tuple(BulkItem(line=line, order_id=order_id, request=prepared.request, change=prepared.change,
                          changes=prepared.changes) for line, order_id in enumerate(ids, start=1))


def resumed_selection(path: str | Path, prepared: PreparedSelection, *, vendor: str,
                      restart: bool) -> tuple[BulkInput, Journal] | None:
    """The journalled selection at ``path`` to resume, or ``None`` when the orders must be listed (first run).

    A journal made for another job is refused (``ConfigurationError``) before anything is listed.
    """
    if restart or Journal.probe(path) is None:
        return None
    journal = Journal.open(path, BulkInput(source=prepared.source, items=(), digest=prepared.digest), vendor=vendor)
    try:
        rows = journal.rows()
        items = tuple(BulkItem(line=row.line, order_id=row.order_id, request=prepared.request,
                               change=prepared.change, changes=prepared.changes) for row in rows)
    except BaseException:
        journal.close()
        raise
    return BulkInput(source=prepared.source, items=items, digest=prepared.digest), journal


class _Collector:
    """Turns listed orders into the job's items, one at a time (a 40,000-order listing is not kept)."""

    def __init__(self, prepared: PreparedSelection, adapter: VendorAdapter) -> None:
        self.prepared = prepared
        self.adapter = adapter
        self.ids: list[str] = []
        self.seen: set[str] = set()
        self.skipped: dict[int, JSONValue] = {}

    def add(self, order: object) -> bool:
        """Take one listed order; ``False`` once the limit is reached."""
        normalized = self.adapter.normalize(order)
        if normalized.id in self.seen:  # an offset-paged listing may repeat an order
            return True
        self.seen.add(normalized.id)
        self.ids.append(normalized.id)
        if self.prepared.changes is not None and holds(self.adapter.vendor, self.prepared.changes, order):
            self.skipped[len(self.ids)] = {
                "skipped": "already had the change when the selection was listed", "id": normalized.id,
                "updated_at": None if normalized.updated_at is None else normalized.updated_at.isoformat(),
            }
        limit = self.prepared.limit
        return limit is None or len(self.ids) < limit

    def result(self) -> tuple[BulkInput, dict[int, JSONValue]]:
        bulk = BulkInput(source=self.prepared.source, items=_items(self.prepared, self.ids),
                         digest=self.prepared.digest)
        return bulk, self.skipped


def list_selection(orders: Any, adapter: VendorAdapter,
                   prepared: PreparedSelection) -> tuple[BulkInput, dict[int, JSONValue]]:
    """List the selection through ``orders`` (the job's ``client.orders``): the items, and those to skip."""
    collector = _Collector(prepared, adapter)
    pager: Iterable[object] = orders.list(prepared.filter)
    for order in pager:
        if not collector.add(order):
            break
    return collector.result()


async def alist_selection(orders: Any, adapter: VendorAdapter,
                          prepared: PreparedSelection) -> tuple[BulkInput, dict[int, JSONValue]]:
    """The asyncio twin of ``list_selection``."""
    collector = _Collector(prepared, adapter)
    pager: AsyncIterable[object] = orders.list(prepared.filter)
    async for order in pager:
        if not collector.add(order):
            break
    return collector.result()
