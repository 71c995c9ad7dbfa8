"""``RedisServer``: a throwaway redis-server for tests and demos, and what it says when it cannot start."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from orderpatch.sandbox import RedisServer, RedisUnavailable
from orderpatch.sandbox._redis_server import REDIS_SERVER_ENV, redis_server_binary
from tests.ratelimit_redis.conftest import need_redis_server


def test_start_stop_and_start_again_on_the_same_port() -> None:
    need_redis_server()
    server = RedisServer()
    assert not server.running
    assert not server.ping()
    with server:
        assert server.start() is server  # already running: the same process
        assert server.ping()
        assert f"redis://127.0.0.1:{server.port}/0" == server.url
        assert "running=True" in repr(server)
        server.stop()
        assert not server.ping()
        server.start()
        assert server.ping()
    server.stop()  # idempotent
    assert not server.running


def test_no_binary_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = tmp_path / "redis-server"
    monkeypatch.setenv(REDIS_SERVER_ENV, str(missing))
    assert redis_server_binary() is None
    with pytest.raises(RedisUnavailable, match="apt-get install redis-server"):
        RedisServer().start()


def test_a_server_that_exits_at_once_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "redis-server"
    fake.write_text("#!/bin/sh\necho 'FATAL: cannot bind'\nexit 1\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv(REDIS_SERVER_ENV, str(fake))
    assert redis_server_binary() == str(fake)
    server = RedisServer()
    with pytest.raises(RedisUnavailable, match="did not start.*cannot bind"):
        server.start()
    assert not server.running
    assert os.environ[REDIS_SERVER_ENV] == str(fake)
