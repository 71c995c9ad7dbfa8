"""Fixtures of the Trunkery tests: ``api`` is the sync client in one run and the async one in the other."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from ._helpers import Api, make_client


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    """Each test that takes it runs once with the sync client and once with the async one."""
    return str(request.param)


@pytest.fixture
async def api(kind: str) -> AsyncIterator[Api]:
    """The client of this run's kind, closed afterwards."""
    api = Api(make_client(kind))
    yield api
    await api.close()
