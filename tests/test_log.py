"""``ORDERPATCH_LOG``: read once per process, so each case runs in a fresh interpreter."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

KEY = "h8ZTleS1.LogKey0123456789abcdef"
SCRIPT = f"""
from orderpatch._http import httpx  # the package in use: httpx, or httpx2 in CI's second run
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


LEAK_SCRIPT = f"""
import logging
logging.basicConfig(level=logging.DEBUG, format="%(name)s %(message)s")
from orderpatch._http import httpx
from orderpatch.licensespring import LicenseSpringClient, OrderUpdate
http = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(200, json={{"id": 7}})))
with LicenseSpringClient(api_key={KEY!r}, http_client=http) as client:
    client.orders.update(7, OrderUpdate(is_test=True), extra_query={{"access_token": {KEY!r}, "page": "2"}})
logging.getLogger("httpcore.http11").debug("send_request_headers.started Authorization: Bearer {KEY}")
logging.getLogger("httpcore2.http11").debug("receive_response_headers.complete access_token={KEY}&x=1")
"""


def test_the_http_packages_own_log_lines_are_redacted() -> None:
    """httpx/httpx2 log every request URL at INFO, and httpcore/httpcore2 pre-formatted traces at
    DEBUG: a secret in the query or a trace never reaches a handler, whichever package runs."""
    from orderpatch import _http

    env = {k: v for k, v in os.environ.items() if k != "ORDERPATCH_LOG"}
    done = subprocess.run([sys.executable, "-c", LEAK_SCRIPT], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert KEY not in done.stdout + done.stderr
    request_line = next(line for line in done.stderr.splitlines() if "HTTP Request: PATCH" in line)
    assert request_line.startswith(f"{_http.PACKAGE} HTTP Request: PATCH https://saas.licensespring.com/")
    assert "access_token=%2A%2A%2A&page=2" in request_line
    assert "httpcore.http11 send_request_headers.started Authorization: Bearer ***" in done.stderr
    assert "httpcore2.http11 receive_response_headers.complete access_token=***&x=1" in done.stderr
