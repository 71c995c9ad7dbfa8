"""``ORDERPATCH_LOG``: read once per process, so each case runs in a fresh interpreter."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

KEY = "h8ZTleS1.LogKey0123456789abcdef"
SCRIPT = f"""
import httpx
from orderpatch.licensespring import LicenseSpringClient, OrderUpdate
import orderpatch._base_client as base
base._sleep = lambda seconds: None
answers = iter([httpx.Response(503, json={{"detail": "busy"}}), httpx.Response(200, json={{"id": 7}})])
http = httpx.Client(transport=httpx.MockTransport(lambda request: next(answers)))
with LicenseSpringClient(api_key={KEY!r}, http_client=http) as client:
    client.orders.update(7, OrderUpdate(is_test=True))
"""


def run_with(level: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "ORDERPATCH_LOG"}
    if level is not None:
        env["ORDERPATCH_LOG"] = level
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert KEY not in done.stdout + done.stderr
    return done.stderr


def test_without_the_variable_nothing_is_printed() -> None:
    assert run_with(None) == ""


@pytest.mark.parametrize("level", ["info", "INFO", " info "])
def test_info_prints_each_retry(level: str) -> None:
    lines = run_with(level).splitlines()
    assert len(lines) == 1, lines
    assert "INFO orderpatch]" in lines[0]
    assert "PATCH https://saas.licensespring.com/api/v1/orders/7/ -> 503; retry 1 of 2 in " in lines[0]


def test_debug_adds_one_line_per_attempt() -> None:
    lines = run_with("debug").splitlines()
    attempts = [line for line in lines if "DEBUG orderpatch]" in line]
    assert len(attempts) == 2, lines
    assert "-> 503 in " in attempts[0]
    assert "(attempt 1 of 3)" in attempts[0]
    assert "-> 200 in " in attempts[1]
    assert "(attempt 2 of 3)" in attempts[1]
    assert any("retry 1 of 2" in line for line in lines)
