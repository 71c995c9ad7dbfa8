"""Every facade test starts and ends with an empty client pool, so counts and reuse are per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from orderpatch._facade._pool import SYNC_POOL


@pytest.fixture(autouse=True)
def fresh_pool() -> Iterator[None]:
    SYNC_POOL.close()
    yield
    SYNC_POOL.close()
