"""TLS trust on httpx and on httpx2, as docs/http.md states it, against a loopback HTTPS server
whose certificate is signed by a throwaway CA (trustme) that no store trusts.

* A client orderpatch creates verifies certificates; ``SSL_CERT_FILE`` (or ``SSL_CERT_DIR``) set
  when the first one is created is the trust source, else the package's default store:
  certifi's bundle (httpx) or the operating system's (httpx2).
* An ``http_client=`` of the caller keeps its own ``verify=`` (an ``ssl.SSLContext`` with the CA,
  or ``False``).
"""

from __future__ import annotations

import contextlib
import http.server
import platform
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

import orderpatch._base_client as base_client
from orderpatch import ConnectionFailed, _http
from orderpatch._http import httpx
from orderpatch.licensespring import AsyncLicenseSpringClient, LicenseSpringClient, OrderUpdate

pytestmark = pytest.mark.loopback
KEY = "tls-key-0123456789"


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_PATCH(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        body = b'{"id": 7}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


@contextlib.contextmanager
def https_server(ca: trustme.CA) -> Iterator[str]:
    """An HTTPS server on 127.0.0.1 with a certificate for ``localhost`` signed by ``ca``."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost", "127.0.0.1").configure_cert(context)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"https://localhost:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture
def url(ca: trustme.CA) -> Iterator[str]:
    with https_server(ca) as address:
        yield address


@pytest.fixture(autouse=True)
def fresh_trust(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No SSL_CERT_* from the machine, and orderpatch's once-per-process TLS context built anew."""
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    base_client._ssl_context.cache_clear()
    yield
    base_client._ssl_context.cache_clear()


def update(url: str, **kwargs: object) -> int:
    with LicenseSpringClient(api_key=KEY, base_url=url, max_retries=0, **kwargs) as client:  # type: ignore[arg-type]
        return client.orders.update(7, OrderUpdate(is_test=True)).id


def test_an_unknown_ca_is_refused_by_default(url: str) -> None:
    with pytest.raises(ConnectionFailed, match="CERTIFICATE_VERIFY_FAILED"):
        update(url)


def test_ssl_cert_file_is_the_trust_source_when_set(url: str, ca_file: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", ca_file)
    assert update(url) == 7


def test_ssl_cert_dir_is_the_trust_source_when_set(url: str, ca: trustme.CA, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    pem = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    (tmp_path / f"{_subject_hash(pem)}.0").write_bytes(pem.read_bytes())  # the name OpenSSL looks up
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    assert update(url) == 7


def _subject_hash(pem: Path) -> str:
    import subprocess

    try:
        done = subprocess.run(["openssl", "x509", "-hash", "-noout", "-in", str(pem)], capture_output=True,
                              text=True, timeout=30, check=True)
    except (OSError, subprocess.CalledProcessError) as exc:  # pragma: no cover - openssl is on every CI machine
        pytest.skip(f"needs the openssl command to name a CA file by its subject hash: {exc}")
    return done.stdout.strip()


def test_ssl_cert_file_is_read_when_the_first_client_is_created(url: str, ca_file: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConnectionFailed):
        update(url)
    monkeypatch.setenv("SSL_CERT_FILE", ca_file)  # too late: the context of this process is built
    with pytest.raises(ConnectionFailed, match="CERTIFICATE_VERIFY_FAILED"):
        update(url)


def test_a_callers_client_keeps_its_own_verify_context(url: str, ca_file: str) -> None:
    with httpx.Client(verify=ssl.create_default_context(cafile=ca_file)) as http:
        assert update(url, http_client=http) == 7


def test_a_callers_client_with_verify_false_is_its_own_choice(url: str) -> None:
    with httpx.Client(verify=False) as http:
        assert update(url, http_client=http) == 7


async def test_the_async_client_trusts_the_same_sources(url: str, ca_file: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    async with AsyncLicenseSpringClient(api_key=KEY, base_url=url, max_retries=0) as client:
        with pytest.raises(ConnectionFailed, match="CERTIFICATE_VERIFY_FAILED"):
            await client.orders.update(7, OrderUpdate(is_test=True))
    base_client._ssl_context.cache_clear()
    monkeypatch.setenv("SSL_CERT_FILE", ca_file)
    async with AsyncLicenseSpringClient(api_key=KEY, base_url=url, max_retries=0) as client:
        assert (await client.orders.update(7, OrderUpdate(is_test=True))).id == 7


def _subjects(context: ssl.SSLContext) -> set[str]:
    return {repr(cert["subject"]) for cert in context.get_ca_certs()}


@pytest.mark.skipif(platform.system() != "Linux", reason="the OS store is read through truststore off Linux")
def test_without_ssl_cert_variables_the_store_is_the_packages_default() -> None:
    """httpx trusts certifi's bundle; httpx2 trusts the operating system's (OpenSSL's default file)."""
    ours = _subjects(base_client._ssl_context())
    if _http.PACKAGE == "httpx":
        import certifi

        expected = _subjects(ssl.create_default_context(cafile=certifi.where()))
    else:
        expected = _subjects(ssl.create_default_context(cafile=ssl.get_default_verify_paths().openssl_cafile))
    assert ours
    assert ours == expected
