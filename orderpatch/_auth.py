"""Authentication as ``httpx.Auth`` flows: a fixed ``Authorization`` header, and OAuth2.

``OAuth2ClientCredentials`` fetches a token on first use, caches it until shortly before it
expires, and after a response the vendor flags as "token rejected" fetches one new token and
replays the request once. A lock (a ``threading.Lock`` for sync clients, an ``asyncio.Lock``
for async ones) keeps exactly one token request in flight however many calls wait on it.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator, Mapping

from ._constants import REPLAY_ALLOWED, TOKEN_REFRESH_MAX_MARGIN, TOKEN_REFRESH_SHARE
from ._http import httpx
from ._log import log_token_reply
from ._spec import VendorSpec, build_api_error, decode_json
from ._types import Secret

__all__ = ["HeaderAuth", "OAuth2ClientCredentials"]

_HEADER_SAFE = re.compile(r"[\x21-\x7e]+")


class HeaderAuth(httpx.Auth):
    """Sends ``Authorization: <scheme> <secret>`` (``Api-Key …``, ``Bearer …``) on every request."""

    def __init__(self, scheme: str, secret: Secret) -> None:
        self._secret = secret
        self._header = f"{scheme} {secret.get_secret_value()}"
        self.scheme = scheme

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request

    def secrets(self) -> tuple[str, ...]:
        """Values to scrub from anything shown to a person."""
        return (self._secret.get_secret_value(),)

    def __repr__(self) -> str:
        return f"HeaderAuth(scheme={self.scheme!r}, secret=***)"


class OAuth2ClientCredentials(httpx.Auth):
    """OAuth2 client-credentials grant with a cached token, refreshed early and once after a 401."""

    # The flows below read the bodies they need themselves (token replies, error answers), so
    # the pipeline's size-capped streaming read still applies to successful answers.

    def __init__(
        self,
        *,
        vendor: VendorSpec,
        token_url: str,
        client_id: str,
        client_secret: Secret | None,
        scope: str | None = None,
        form_encoded: bool = True,
        extra_params: Mapping[str, str] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.vendor = vendor
        self.token_url = token_url
        self.client_id = client_id
        self.scope = scope
        self._client_secret = client_secret
        self._form_encoded = form_encoded
        self._extra_params = dict(extra_params or {})
        self._clock = clock
        self._token: Secret | None = None
        self._expires_at = 0.0
        self._thread_lock = threading.Lock()
        self._async_lock: asyncio.Lock | None = None
        self._async_lock_loop: asyncio.AbstractEventLoop | None = None
        #: How many token requests this auth has sent (useful in tests and metrics).
        self.token_requests = 0

    def __repr__(self) -> str:
        return f"OAuth2ClientCredentials(token_url={self.token_url!r}, client_id={self.client_id!r}, client_secret=***)"

    def secrets(self) -> tuple[str, ...]:
        """Values to scrub from anything shown to a person."""
        token = self._token.get_secret_value() if self._token else ""
        secret = self._client_secret.get_secret_value() if self._client_secret is not None else ""
        return (secret, token)

    def expire(self) -> None:
        """Forget the cached token, so the next call fetches a new one."""
        self._token = None
        self._expires_at = 0.0

    # -- pure steps shared by the sync and async flows -------------------------------------

    def _valid_token(self) -> Secret | None:
        return self._token if self._token is not None and self._clock() < self._expires_at else None

    def _token_request(self, original: httpx.Request) -> httpx.Request:
        params = {"grant_type": "client_credentials", "client_id": self.client_id, **self._extra_params}
        if self._client_secret is not None:  # public (sales channel) clients have none
            params["client_secret"] = self._client_secret.get_secret_value()
        if self.scope:
            params["scope"] = self.scope
        headers = {"Accept": "application/json", "User-Agent": original.headers.get("User-Agent", "orderpatch")}
        extensions = {"timeout": original.extensions["timeout"]} if "timeout" in original.extensions else {}
        self.token_requests += 1
        if self._form_encoded:
            return httpx.Request("POST", self.token_url, data=params, headers=headers, extensions=extensions)
        return httpx.Request("POST", self.token_url, json=params, headers=headers, extensions=extensions)

    def _accept(self, response: httpx.Response) -> Secret:
        content = response.content
        log_token_reply(response)
        if response.status_code != 200:
            raise build_api_error(self.vendor, response, content, secrets=self.secrets(), token_endpoint=True)
        try:
            payload = decode_json(content, response.headers)
            if not isinstance(payload, dict):
                raise ValueError("expected a JSON object")
            token = payload["access_token"]
            expires_in = payload.get("expires_in", 3600)
            if not isinstance(token, str) or not token:
                raise ValueError("access_token is missing")
            if not _HEADER_SAFE.fullmatch(token):
                raise ValueError("access_token is not printable ASCII, so it cannot be sent in a header")
            if isinstance(expires_in, bool) or not isinstance(expires_in, (int, float)):
                raise ValueError("expires_in is not a number")
        except (ValueError, KeyError, json.JSONDecodeError) as exc:
            raise build_api_error(
                self.vendor, response, content, secrets=self.secrets(), decode_problem=f"token response: {exc}"
            ) from None
        margin = min(TOKEN_REFRESH_MAX_MARGIN, float(expires_in) * TOKEN_REFRESH_SHARE)
        self._token = Secret(token)
        self._expires_at = self._clock() + float(expires_in) - margin
        return self._token

    def _must_refresh(self, response: httpx.Response) -> bool:
        # Replayed even when another call already refreshed: the replay then uses that token.
        return self.vendor.token_rejected(response)

    def _replay_refused(self, request: httpx.Request, token: Secret) -> bool:
        """Whether ``request`` must not be sent again (not idempotent): its 401 then reaches the
        caller, and the rejected token is forgotten so that the next call fetches a new one."""
        if request.extensions.get(REPLAY_ALLOWED, True):
            return False
        if self._token == token:
            self.expire()
        return True

    @staticmethod
    def _authorize(request: httpx.Request, token: Secret) -> None:
        request.headers["Authorization"] = f"Bearer {token.get_secret_value()}"

    def _lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._async_lock is None or self._async_lock_loop is not loop:
            self._async_lock, self._async_lock_loop = asyncio.Lock(), loop
        return self._async_lock

    # -- the flows: identical steps, one holds a thread lock, the other an asyncio lock ----

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self._valid_token()
        if token is None:
            with self._thread_lock:
                token = self._valid_token()
                if token is None:
                    reply = yield self._token_request(request)
                    reply.read()
                    token = self._accept(reply)
        self._authorize(request, token)
        response = yield request
        if response.status_code >= 400:
            response.read()  # the vendor may need the error body to tell an expired token
        if self._must_refresh(response):
            if self._replay_refused(request, token):
                return
            with self._thread_lock:
                if self._token in (token, None):
                    self.expire()
                    reply = yield self._token_request(request)
                    reply.read()
                    self._accept(reply)
            self._authorize(request, self._token or token)
            yield request

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = self._valid_token()
        if token is None:
            async with self._lock():
                token = self._valid_token()
                if token is None:
                    reply = yield self._token_request(request)
                    await reply.aread()
                    token = self._accept(reply)
        self._authorize(request, token)
        response = yield request
        if response.status_code >= 400:
            await response.aread()
        if self._must_refresh(response):
            if self._replay_refused(request, token):
                return
            async with self._lock():
                if self._token in (token, None):
                    self.expire()
                    reply = yield self._token_request(request)
                    await reply.aread()
                    self._accept(reply)
            self._authorize(request, self._token or token)
            yield request
