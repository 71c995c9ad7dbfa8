"""Pages of a vendor's order list and the pagers that walk them, written once for every vendor.

A vendor codec provides one pure function per list call, ``build(cursor) -> Call[PageData[T]]``:
the request of the page that starts at ``cursor`` (``None``: the first page), whose ``parse``
reads the vendor's envelope into a ``PageData`` — the items, the total the vendor reports (if
it reports one) and the cursor of the next page (``None`` on the last page). The cursor is an
opaque string chosen by the codec: the last id of the page for an ``id_gt`` keyset (Commerce
Layer, Spree), the vendor's ``last_key`` (Trunkery/Lana), an offset where the vendor only
offers offsets (LicenseSpring).

``SyncPager`` / ``AsyncPager`` send those calls through the client's normal pipeline (auth,
retries by policy, 429 handling, the per-call options), fetch pages only as they are consumed,
and stop on the first page without a next cursor. A vendor that hands back the cursor it was
asked for (a page that does not advance) raises ``DecodeError`` instead of looping for ever.

>>> for order in client.orders.list(OrderFilter(status=["placed"])):   # doctest: +SKIP
...     print(order.id)
>>> page = client.orders.list_page(page_size=10)                       # doctest: +SKIP
>>> page.total_count, page.next_cursor                                 # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Generic, TypeAlias, TypeVar

import attrs

from ._base_client import RequestOptions
from ._response import ResponseMeta, _meta_sink
from ._spec import Call
from .errors import DecodeError, ValidationError

__all__ = ["AsyncPager", "Page", "PageData", "PageRequest", "SyncPager", "check_page_size"]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class PageData(Generic[T]):
    """What a codec's page parser reads from one list response (pure; no HTTP metadata)."""

    items: tuple[T, ...]
    #: The number of matching items the vendor reports, ``None`` where it reports none.
    total_count: int | None = None
    #: Where the next page starts, ``None`` on the last page.
    next_cursor: str | None = None


@attrs.frozen(kw_only=True)
class Page(Generic[T]):
    """One page of a list: its items, the vendor's total, the next cursor and the HTTP metadata.

    On a keyset walk each request asks for the items *after* the cursor, so the vendor's total
    of the first page is the size of the selection and later pages report what remains.
    """

    items: tuple[T, ...]
    total_count: int | None
    next_cursor: str | None
    meta: ResponseMeta = attrs.field(repr=False)

    @property
    def has_next(self) -> bool:
        """Whether another page follows."""
        return self.next_cursor is not None


#: A codec's page builder: the ``Call`` of the page that starts at the cursor (``None``: first).
PageRequest: TypeAlias = Callable[[str | None], Call[PageData[T]]]
SyncSend: TypeAlias = Callable[[Call[PageData[T]], RequestOptions], PageData[T]]
AsyncSend: TypeAlias = Callable[[Call[PageData[T]], RequestOptions], Awaitable[PageData[T]]]


def check_page_size(value: object, *, maximum: int, field: str = "page_size") -> int:
    """``page_size`` as an int from 1 to the vendor's ``maximum``; ``ValidationError`` otherwise."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= maximum:
        return value
    expected = f"an int from 1 to {maximum}"
    raise ValidationError(f"{field}: expected {expected}, got {value!r:.60}", field=field, expected=expected)


def _page(data: PageData[T], sink: list[ResponseMeta], cursor: str | None, vendor: str) -> Page[T]:
    meta = sink[-1]
    if data.next_cursor is not None and data.next_cursor == cursor:
        raise DecodeError(
            f"the page after cursor {cursor!r:.60} points at the same cursor again; stopping instead of looping",
            status=meta.status_code, vendor=vendor, request_id=meta.request_id, headers=meta.headers,
            retries_taken=meta.retries_taken,
        )
    return Page(items=data.items, total_count=data.total_count, next_cursor=data.next_cursor, meta=meta)


class _Pager(Generic[T]):
    __slots__ = ("_build", "_cursor", "_options", "_vendor")

    def __init__(self, build: PageRequest[T], options: RequestOptions, *, vendor: str,
                 cursor: str | None = None) -> None:
        self._build = build
        self._options = options
        self._vendor = vendor
        self._cursor = cursor

    def __repr__(self) -> str:
        return f"{type(self).__name__}(vendor={self._vendor!r}, cursor={self._cursor!r})"


class SyncPager(_Pager[T]):
    """An iterator over every matching item; each page is requested when the previous one is used up.

    ``pages()`` walks the same selection page by page (``Page[T]``, with totals and metadata).
    Iterate a pager once; call ``list()`` again for a fresh walk.
    """

    __slots__ = ("_items", "_send")

    def __init__(self, send: SyncSend[T], build: PageRequest[T], options: RequestOptions, *, vendor: str,
                 cursor: str | None = None) -> None:
        super().__init__(build, options, vendor=vendor, cursor=cursor)
        self._send = send
        self._items: Iterator[T] | None = None

    def fetch(self, cursor: str | None) -> Page[T]:
        """The one page that starts at ``cursor``."""
        sink: list[ResponseMeta] = []
        token = _meta_sink.set(sink)
        try:
            data = self._send(self._build(cursor), dict(self._options))  # type: ignore[arg-type]
        finally:
            _meta_sink.reset(token)
        return _page(data, sink, cursor, self._vendor)

    def pages(self) -> Iterator[Page[T]]:
        """Every page, from the pager's starting cursor to the last."""
        cursor = self._cursor
        while True:
            page = self.fetch(cursor)
            yield page
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def _walk(self) -> Iterator[T]:
        for page in self.pages():
            yield from page.items

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        if self._items is None:
            self._items = self._walk()
        return next(self._items)


class AsyncPager(_Pager[T]):
    """``async for`` over every matching item, fetching pages lazily; ``pages()`` yields ``Page[T]``."""

    __slots__ = ("_items", "_send")

    def __init__(self, send: AsyncSend[T], build: PageRequest[T], options: RequestOptions, *, vendor: str,
                 cursor: str | None = None) -> None:
        super().__init__(build, options, vendor=vendor, cursor=cursor)
        self._send = send
        self._items: AsyncIterator[T] | None = None

    async def fetch(self, cursor: str | None) -> Page[T]:
        """The one page that starts at ``cursor``."""
        sink: list[ResponseMeta] = []
        token = _meta_sink.set(sink)
        try:
            data = await self._send(self._build(cursor), dict(self._options))  # type: ignore[arg-type]
        finally:
            _meta_sink.reset(token)
        return _page(data, sink, cursor, self._vendor)

    async def pages(self) -> AsyncIterator[Page[T]]:
        """Every page, from the pager's starting cursor to the last."""
        cursor = self._cursor
        while True:
            page = await self.fetch(cursor)
            yield page
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    async def _walk(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.items:
                yield item

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        if self._items is None:
            self._items = self._walk()
        return await self._items.__anext__()
