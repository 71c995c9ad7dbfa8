"""Helpers for the reading tests: walk a sync or async pager the same way."""

from __future__ import annotations

import inspect
from typing import TypeVar

from orderpatch._pagination import AsyncPager, Page, SyncPager

T = TypeVar("T")


async def collect(pager: SyncPager[T] | AsyncPager[T]) -> list[T]:
    """Every item of the pager, iterated the way its kind is (``for`` or ``async for``)."""
    if isinstance(pager, AsyncPager):
        return [item async for item in pager]
    return list(pager)


async def resolve(value: object) -> object:
    """``value``, awaited if it is awaitable (the async clients' operations)."""
    return await value if inspect.isawaitable(value) else value


async def page_of(value: object) -> Page[object]:
    """A ``list_page`` result of either client, awaited when needed."""
    page = await resolve(value)
    assert isinstance(page, Page)
    return page
