"""``ORDERPATCH_LOG`` with a value orderpatch does not know warns once; DEBUG shows the OAuth token request."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SECRET = "client-secret-LogCheck-0123456789"
TOKEN_SCRIPT = f"""
from orderpatch._http import httpx
from orderpatch.spree import SpreeClient, OrderUpdate

def answer(request):
    if request.url.path.endswith("/spree_oauth/token"):
        return httpx.Response(200, json={{"access_token": "tok-LogCheck-abcdef", "token_type": "Bearer",
                                          "expires_in": 7200, "created_at": 0}})
    return httpx.Response(200, json={{"data": {{"id": "1", "type": "order", "attributes": {{"number": "R1"}}}}}})

http = httpx.Client(transport=httpx.MockTransport(answer))
with SpreeClient(base_url="https://shop.example.com", client_id="cid", client_secret={SECRET!r},
                 http_client=http) as client:
    client.orders.update("R1", OrderUpdate(email="a@b.co"))
    client.orders.update("R1", OrderUpdate(email="c@d.co"))
"""
BUILD = "from orderpatch.licensespring import LicenseSpringClient\nLicenseSpringClient(api_key='k' * 20)\n" * 2


def run(script: str, level: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "ORDERPATCH_LOG"}
    if level is not None:
        env["ORDERPATCH_LOG"] = level
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stderr


@pytest.mark.parametrize("value", ["verbose", "DEBUG2", "warning"])
def test_an_unknown_value_warns_once(value: str) -> None:
    lines = [line for line in run(BUILD, value).splitlines() if "UserWarning" in line]
    assert len(lines) == 1, lines
    assert f"ORDERPATCH_LOG={value!r} is not a level orderpatch knows; use one of debug, info" in lines[0]


@pytest.mark.parametrize("value", ["", "off", "0", "none"])
def test_off_values_are_quiet(value: str) -> None:
    assert run(BUILD, value) == ""


def test_debug_shows_the_token_request_redacted() -> None:
    lines = [line for line in run(TOKEN_SCRIPT, "debug").splitlines() if "DEBUG orderpatch]" in line]
    token = [line for line in lines if "(token request)" in line]
    assert len(token) == 1, lines  # the token is cached: one token request for two calls
    assert "POST https://shop.example.com/spree_oauth/token -> 200" in token[0]
    assert lines.index(token[0]) == 0  # before the call it was fetched for
    assert len(lines) == 3
    assert all(SECRET not in line and "tok-LogCheck" not in line for line in lines)
