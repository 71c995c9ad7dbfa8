"""The input of a bulk job: JSONL or CSV lines (or Python pairs) → ``BulkItem``s, all checked first.

Every line is parsed, turned into the configured vendor's request and checked (field names, value
types, what the vendor can take) before the job sends anything. Problems are collected, each with
its line number and field, and raised together as one ``InvalidInput``.

* JSONL: one object per line, ``{"id": "R123", "email": "a@b.co", ...}`` with the field names
  ``--set`` takes (``OrderChanges``), or ``{"id": "R123", "native": {...}}`` with the vendor's own
  request fields. Blank lines and lines starting with ``#`` are ignored.
* CSV: a header row with an ``id`` column and field columns: ``email``, ``tags`` (comma-separated),
  ``metadata.KEY`` (JSON when it parses, else text), ``billing_address.FIELD``,
  ``shipping_address.FIELD``. An empty cell leaves that field unchanged.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Final

import attrs

from .._constants import BULK_MAX_PROBLEMS_SHOWN, MAX_ID_LENGTH
from .._models import RequestModel
from .._types import JSONValue
from ..errors import ConfigurationError, ValidationError

if TYPE_CHECKING:
    from .._facade._adapter import VendorAdapter
    from .._facade._changes import OrderChanges

__all__ = ["BulkInput", "BulkItem", "InputProblem", "InvalidInput", "items_from_pairs", "read_input"]

_DOTTED: Final = ("metadata", "billing_address", "shipping_address")


@attrs.frozen(kw_only=True)
class BulkItem:
    """One order of a job: its input line, id, the vendor request, and the change as canonical JSON."""

    line: int
    order_id: str
    request: RequestModel
    #: The change as given (``OrderChanges`` fields, or ``{"native": {...}}``), canonical JSON text.
    change: str
    #: The neutral change (``OrderChanges``) the request was mapped from; ``None`` for a vendor's own request.
    changes: OrderChanges | None = attrs.field(default=None, eq=False)


@attrs.frozen(kw_only=True)
class InputProblem:
    """What is wrong with one input line."""

    line: int
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f" ({self.field})" if self.field else ""
        return f"line {self.line}{where}: {self.message}"


class InvalidInput(ValidationError):
    """The input has invalid lines; nothing was sent. ``problems`` lists every one of them."""

    def __init__(self, source: str, problems: Iterable[InputProblem]) -> None:
        self.problems = tuple(problems)
        shown = "\n".join(f"  {problem}" for problem in self.problems[:BULK_MAX_PROBLEMS_SHOWN])
        more = len(self.problems) - BULK_MAX_PROBLEMS_SHOWN
        tail = f"\n  … and {more} more" if more > 0 else ""
        first = self.problems[0] if self.problems else None
        super().__init__(
            f"{source}: {len(self.problems)} invalid line(s); nothing was sent\n{shown}{tail}",
            field=first.field if first else None,
        )


@attrs.frozen(kw_only=True)
class BulkInput:
    """A checked input: its items in input order and a hash that identifies it (the journal's guard)."""

    source: str
    items: tuple[BulkItem, ...]
    digest: str


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _digest(vendor: str, items: Iterable[BulkItem]) -> str:
    sha = hashlib.sha256(vendor.encode())
    for item in items:
        sha.update(b"\n" + item.order_id.encode() + b"\t" + item.change.encode())
    return sha.hexdigest()


def _order_id(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValidationError(f"expected the order id as a string or an integer, got {type(value).__name__}",
                              field="id")
    text = str(value).strip()
    if not text or len(text) > MAX_ID_LENGTH:
        raise ValidationError(f"expected a non-empty order id of at most {MAX_ID_LENGTH} characters", field="id")
    return text


def _build(adapter: VendorAdapter, data: Mapping[str, object]) -> tuple[str, RequestModel, str, OrderChanges | None]:
    """``(order id, vendor request, canonical change, the neutral change)`` from one line's object."""
    if "id" not in data:
        raise ValidationError("missing the order id (an \"id\" key or column)", field="id")
    order_id = _order_id(data["id"])
    fields = {key: value for key, value in data.items() if key != "id"}
    if "native" in fields:
        if len(fields) > 1:
            others = sorted(set(fields) - {"native"})
            raise ValidationError(f"\"native\" takes the whole change; remove {others}", field=others[0])
        request = adapter.from_json(fields["native"])
        changes: OrderChanges | None = None
    else:
        if not fields:
            raise ValidationError("nothing to change: give at least one field besides \"id\"", field="id")
        from .._facade._changes import OrderChanges

        changes = OrderChanges.from_dict(fields)
        request = adapter.prepare(changes)
    return order_id, request, _canonical(fields), changes


def _json_or_text(raw: str) -> object:
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


def _csv_object(row: Mapping[str, str | None]) -> dict[str, object]:
    """A CSV row as the JSON object a JSONL line would hold; empty cells are left out."""
    data: dict[str, object] = {}
    for column, cell in row.items():
        name = (column or "").strip()
        if cell is None or cell == "" or not name:
            continue
        head, dot, rest = name.partition(".")
        if not dot:
            data[name] = [tag.strip() for tag in cell.split(",") if tag.strip()] if name == "tags" else cell
            continue
        if head not in _DOTTED or not rest:
            raise ValidationError(f"column {name!r}: only metadata.KEY, billing_address.FIELD and "
                                  "shipping_address.FIELD take a dotted name", field=name)
        target = data.setdefault(head, {})
        assert isinstance(target, dict)
        target[rest] = _json_or_text(cell) if head == "metadata" else cell
    return data


def _jsonl_objects(text: str) -> Iterator[tuple[int, dict[str, object] | ValidationError]]:
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, ValidationError(f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(value, dict):
            yield number, ValidationError(f"expected a JSON object, got {type(value).__name__}")
            continue
        yield number, value


def _csv_objects(text: str) -> Iterator[tuple[int, dict[str, object] | ValidationError]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    if "id" not in [name.strip() for name in header]:
        yield 1, ValidationError("the header row has no \"id\" column", field="id")
        return
    try:
        for row in reader:
            number = reader.line_num
            if None in row:
                yield number, ValidationError(f"more cells than the {len(header)} columns of the header")
                continue
            if not any((cell or "").strip() for cell in row.values()):
                continue
            try:
                yield number, _csv_object(row)
            except ValidationError as exc:
                yield number, exc
    except csv.Error as exc:  # raised inside a line the reader has not counted yet
        yield reader.line_num + 1, ValidationError(f"not valid CSV ({exc})")


def _collect(source: str, adapter: VendorAdapter,
             objects: Iterable[tuple[int, dict[str, object] | ValidationError]]) -> BulkInput:
    items: list[BulkItem] = []
    problems: list[InputProblem] = []
    first_line: dict[str, int] = {}
    for number, obj in objects:
        try:
            if isinstance(obj, ValidationError):
                raise obj
            order_id, request, change, changes = _build(adapter, obj)
            if order_id in first_line:
                raise ValidationError(f"order {order_id} is already changed on line {first_line[order_id]}; "
                                      "give each order once", field="id")
            first_line[order_id] = number
            items.append(BulkItem(line=number, order_id=order_id, request=request, change=change, changes=changes))
        except ValidationError as exc:
            problems.append(InputProblem(line=number, field=exc.field, message=str(exc)))
    if problems:
        raise InvalidInput(source, problems)
    if not items:
        raise InvalidInput(source, [InputProblem(line=0, field=None, message="no orders in the input")])
    return BulkInput(source=source, items=tuple(items), digest=_digest(adapter.vendor, items))


def read_input(path: str | Path, adapter: VendorAdapter, *, text: str | None = None,
               input_format: str | None = None) -> BulkInput:
    """Read and check a JSONL or CSV file (by its suffix, or ``input_format``); ``InvalidInput`` if any line is bad.

    ``text`` gives the content instead of reading ``path`` (``-`` for stdin is read by the caller).
    """
    source = str(path)
    kind = input_format or ("csv" if source.lower().endswith(".csv") else "jsonl")
    if kind not in ("csv", "jsonl"):
        raise ValidationError(f"input format: expected csv or jsonl, got {kind!r}", field="format")
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise ValidationError(f"{source}: cannot read it ({exc.strerror or exc})", field="input") from None
        except UnicodeDecodeError:
            raise ValidationError(f"{source}: not UTF-8 text", field="input") from None
    objects = _csv_objects(text) if kind == "csv" else _jsonl_objects(text)
    return _collect(source, adapter, objects)


def items_from_pairs(pairs: Iterable[tuple[str | int, object]], adapter: VendorAdapter) -> BulkInput:
    """Items from ``(order id, OrderChanges or the vendor's own update)`` pairs, checked like a file."""
    from .._facade._changes import OrderChanges

    items: list[BulkItem] = []
    problems: list[InputProblem] = []
    seen: dict[str, int] = {}
    for number, pair in enumerate(pairs, start=1):
        try:
            raw_id, changes = pair
            order_id = _order_id(raw_id)
            request = adapter.prepare(changes)
            if order_id in seen:
                raise ValidationError(f"order {order_id} is already changed by item {seen[order_id]}", field="id")
            seen[order_id] = number
            data: JSONValue = adapter.unstructure(request)
            tag = "changes" if isinstance(changes, OrderChanges) else "native"
            items.append(BulkItem(line=number, order_id=order_id, request=request, change=_canonical({tag: data}),
                                  changes=changes if isinstance(changes, OrderChanges) else None))
        except ConfigurationError:
            raise
        except (TypeError, ValueError) as exc:  # ValidationError is a ValueError
            field = exc.field if isinstance(exc, ValidationError) else None
            problems.append(InputProblem(line=number, field=field, message=str(exc)))
    if problems:
        raise InvalidInput("items", problems)
    return BulkInput(source="items", items=tuple(items), digest=_digest(adapter.vendor, items))
