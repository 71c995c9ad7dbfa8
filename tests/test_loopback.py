"""The pipeline over real loopback sockets: refused, timeouts, resets, and what reached the server."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from orderpatch import ConnectionFailed, DecodeError, Timeout
from orderpatch._spec import Call
from orderpatch._types import JSONValue
from orderpatch.licensespring import AsyncLicenseSpringClient, LicenseSpringClient, OrderUpdate
from tests.conftest import SleepRecorder
from tests.faults import HANG, RESET, FaultServer, refused_url, reset_mid_body, respond, unaccepting_url

pytestmark = pytest.mark.loopback
KEY = "loopback-key-0123456789"
ORDER = b'{"id": 7}'


def fast(url: str, **kwargs: object) -> LicenseSpringClient:
    return LicenseSpringClient(api_key=KEY, base_url=url, timeout=httpx.Timeout(0.5), **kwargs)  # type: ignore[arg-type]


def post(url: str, *, idempotent: bool = False) -> Call[JSONValue]:
    request = httpx.Request("POST", f"{url}/api/v1/orders/create_order/", content=b'{"id": "o-1"}')
    return Call(request=request, parse=lambda payload: payload, idempotent=idempotent)


def test_connection_refused_is_retried_then_connection_failed(sleeps: SleepRecorder) -> None:
    with refused_url() as url, fast(url) as client, pytest.raises(ConnectionFailed) as info:
        client.orders.update(7, OrderUpdate())
    assert info.value.retries_taken == 2
    assert len(sleeps.delays) == 2
    assert KEY not in str(info.value)


def test_connect_timeout_is_a_timeout(sleeps: SleepRecorder) -> None:
    with unaccepting_url() as url, fast(url, max_retries=0) as client, pytest.raises((Timeout, ConnectionFailed)):
        client.orders.update(7, OrderUpdate())


def test_read_timeout_retries_idempotent_patch(sleeps: SleepRecorder) -> None:
    with FaultServer([HANG]) as server, fast(server.url, max_retries=1) as client, pytest.raises(Timeout):
        client.orders.update(7, OrderUpdate())
    assert len(server.received) == 2


def test_read_timeout_never_repeats_a_post(sleeps: SleepRecorder) -> None:
    with FaultServer([HANG]) as server, fast(server.url) as client, pytest.raises(Timeout):
        client.request(post(server.url))
    assert [r.method for r in server.received] == ["POST"]


def test_reset_before_response_then_success(sleeps: SleepRecorder) -> None:
    with FaultServer([RESET, respond(body=ORDER)]) as server, fast(server.url) as client:
        assert client.orders.update(7, OrderUpdate(is_test=True)).id == 7
    assert len(server.received) == 2
    assert server.received[0].body == server.received[1].body == b'{"is_test":true}'
    assert server.received[0].headers["authorization"] == f"Api-Key {KEY}"


def test_reset_mid_body_is_connection_failed_for_post(sleeps: SleepRecorder) -> None:
    with FaultServer([reset_mid_body()]) as server, fast(server.url) as client, pytest.raises(ConnectionFailed):
        client.request(post(server.url))
    assert len(server.received) == 1


def test_html_502_then_200(sleeps: SleepRecorder) -> None:
    script = [respond(502, "<html>Bad gateway</html>", "text/html"), respond(body=ORDER)]
    with FaultServer(script) as server, fast(server.url) as client:
        assert client.orders.update(7, OrderUpdate()).id == 7


def test_html_200_is_decode_error() -> None:
    script = [respond(200, "<html>maintenance</html>", "text/html")]
    with FaultServer(script) as server, fast(server.url) as client, pytest.raises(DecodeError, match="text/html"):
        client.orders.update(7, OrderUpdate())


async def test_async_refused_and_read_timeout(sleeps: SleepRecorder) -> None:
    with refused_url() as url:
        async with AsyncLicenseSpringClient(api_key=KEY, base_url=url) as client:
            with pytest.raises(ConnectionFailed):
                await client.orders.update(7, OrderUpdate())
    with FaultServer([HANG]) as server:
        async with AsyncLicenseSpringClient(api_key=KEY, base_url=server.url, timeout=0.3, max_retries=0) as client:
            with pytest.raises(Timeout):
                await client.orders.update(7, OrderUpdate())
        assert len(server.received) == 1


async def test_async_keeps_connection_and_succeeds() -> None:
    with FaultServer([respond(body=ORDER)]) as server:
        async with AsyncLicenseSpringClient(api_key=KEY, base_url=server.url) as client:
            for _ in range(3):
                assert (await client.orders.update(7, OrderUpdate())).id == 7
        assert len(server.received) == 3


def test_oauth_token_and_rejection_bodies_are_read_over_real_sockets(sleeps: SleepRecorder) -> None:
    """Streaming responses: the OAuth2 flow must read the token reply and the 401 body itself."""
    from orderpatch._auth import OAuth2ClientCredentials
    from orderpatch._base_client import DEFAULT_TIMEOUT, SyncAPIClient
    from orderpatch._spec import VendorSpec
    from orderpatch._types import Secret

    spec = VendorSpec(name="acme", token_rejected=lambda r: r.status_code == 401 and b"expired" in r.content)
    token = b'{"access_token": "tok-%d", "expires_in": 3600}'
    script = [
        respond(body=token % 1),
        respond(401, b'{"error": "token expired"}'),
        respond(body=token % 2),
        respond(body=b'{"ok": true}'),
    ]
    with FaultServer(script) as server:
        auth = OAuth2ClientCredentials(vendor=spec, token_url=f"{server.url}/oauth/token", client_id="cid",
                                       client_secret=Secret("client-secret-xyz"))
        with SyncAPIClient(vendor=spec, base_url=server.url, auth=auth, timeout=DEFAULT_TIMEOUT, max_retries=0,
                           deadline=None, default_headers=None, http_client=None) as api:
            assert api.request(post(server.url, idempotent=True)) == {"ok": True}
    paths = [r.path for r in server.received]
    assert paths == ["/oauth/token", "/api/v1/orders/create_order/", "/oauth/token", "/api/v1/orders/create_order/"]
    assert server.received[3].headers["authorization"] == "Bearer tok-2"


@pytest.mark.parametrize("use_async", [False, True])
def test_deadline_bounds_a_body_that_trickles_in(use_async: bool) -> None:
    """Each chunk resets httpx's read timeout; the deadline still ends the call on time."""
    import socket
    import threading
    import time as _time

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
            while not stop.is_set():
                try:
                    conn.sendall(b" ")
                except OSError:
                    return
                _time.sleep(0.05)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    started = _time.monotonic()
    try:
        async def run_async() -> None:
            async with AsyncLicenseSpringClient(api_key=KEY, base_url=url, deadline=0.5,
                                                timeout=httpx.Timeout(2.0)) as api:
                await api.orders.update(7, OrderUpdate(is_test=True))

        def run() -> None:
            if use_async:
                asyncio.run(run_async())
                return
            with LicenseSpringClient(api_key=KEY, base_url=url, deadline=0.5, timeout=httpx.Timeout(2.0)) as api:
                api.orders.update(7, OrderUpdate(is_test=True))

        with pytest.raises(Timeout, match="deadline exceeded"):
            run()
        assert _time.monotonic() - started < 1.5  # 1,000 bytes at 20 a second would take 50 s
    finally:
        stop.set()
        listener.close()
        thread.join(timeout=2)
