"""A real ``redis-server`` for the shared rate-limiter tests, started and stopped here.

Under ``CI=true`` a missing ``redis-server`` fails these tests (``.ci/run`` installs Debian's
package); elsewhere they are skipped with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import redis

from orderpatch.sandbox import RedisServer
from orderpatch.sandbox._redis_server import redis_server_binary


def need_redis_server() -> None:
    """Skip (or, under CI, fail) when redis-server is not installed."""
    if redis_server_binary() is None:
        reason = "redis-server is not installed (Debian: apt-get install redis-server)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{reason}; CI must have it: .ci/run installs it", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One redis-server on a free loopback port for the whole session."""
    need_redis_server()
    with RedisServer() as server:
        yield server


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The session server's URL, with an empty database for each test."""
    client = redis.Redis.from_url(redis_server.url)
    client.flushdb()
    client.close()
    return redis_server.url


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    """A redis-server of this test alone, which the test may stop and start again."""
    need_redis_server()
    server = RedisServer().start()
    try:
        yield server
    finally:
        server.stop()
