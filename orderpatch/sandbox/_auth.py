"""Credentials machinery shared by the vendors: HS256 JWTs, issued-token registry, OAuth params.

Commerce Layer hands out JWT access tokens, Spree opaque Doorkeeper tokens, Trunkery JWT API
keys. The sandbox signs its JWTs with a fixed secret (stdlib ``hmac``), so tokens are real,
decodable JWTs that only this sandbox accepts.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass

from starlette.requests import Request

from ._http import BodyError, Document, authorization, read_params

#: Secret the sandbox signs its JWTs with. Public on purpose: these are demo credentials.
JWT_SECRET = b"orderpatch-sandbox-signing-secret"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def jwt_encode(claims: Mapping[str, object], secret: bytes = JWT_SECRET) -> str:
    """Encode ``claims`` as an HS256-signed JWT."""
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = _b64url(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode())
    signing_input = f"{header}.{payload}".encode("ascii")
    signature = hmac.new(secret, signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64url(signature)}"


def jwt_decode(token: str, secret: bytes = JWT_SECRET) -> Document | None:
    """The claims of an HS256 JWT signed with ``secret``, or ``None`` if it is not one.

    Expiry is left to the caller: each vendor reports it differently.
    """
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        header = json.loads(_b64url_decode(parts[0]))
        claims = json.loads(_b64url_decode(parts[1]))
        signature = _b64url_decode(parts[2])
    except (ValueError, binascii.Error):
        return None
    if not isinstance(header, dict) or header.get("alg") != "HS256" or not isinstance(claims, dict):
        return None
    expected = hmac.new(secret, f"{parts[0]}.{parts[1]}".encode("ascii"), hashlib.sha256).digest()
    return claims if hmac.compare_digest(signature, expected) else None


@dataclass(frozen=True)
class IssuedToken:
    """An access token handed out by a sandbox token endpoint."""

    vendor: str
    value: str
    kind: str
    scope: str
    created_at: float
    expires_in: int

    def expired(self, now: float) -> bool:
        """Whether the token's lifetime is over (a lifetime of 0 is over at once)."""
        return now >= self.created_at + self.expires_in


class TokenRegistry:
    """The tokens issued by this sandbox, looked up by vendor and value."""

    def __init__(self) -> None:
        self._tokens: dict[tuple[str, str], IssuedToken] = {}

    def add(self, token: IssuedToken) -> IssuedToken:
        """Remember ``token`` and return it."""
        self._tokens[(token.vendor, token.value)] = token
        return token

    def find(self, vendor: str, value: str) -> IssuedToken | None:
        """The issued token with this value, or ``None`` if the sandbox never issued it."""
        return self._tokens.get((vendor, value))


class OAuthError(Exception):
    """A refused token request: RFC 6749 §5.2 error code, description and HTTP status.

    Each vendor renders it in its own body format (Doorkeeper's flat object, Commerce Layer's ``errors[]``).
    """

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status, self.error, self.description = status, error, description


def invalid_client() -> OAuthError:
    """Unknown client or wrong secret (Doorkeeper's wording)."""
    return OAuthError(401, "invalid_client", "Client authentication failed due to unknown client, "
                      "no client authentication included, or unsupported authentication method.")  # fmt: skip


def invalid_scope() -> OAuthError:
    """A scope the vendor does not know (Doorkeeper's wording)."""
    return OAuthError(400, "invalid_scope", "The requested scope is invalid, unknown, or malformed.")


@dataclass(frozen=True)
class TokenRequest:
    """A ``client_credentials`` token request: who asks, and for which scope (``None`` if not given)."""

    client_id: str | None
    client_secret: str | None
    scope: str | None


async def read_token_request(request: Request) -> TokenRequest:
    """Read a ``client_credentials`` request sent as JSON or as a form, client auth in body or Basic.

    RFC 6749 §2.3.1 allows both places for the client credentials; Doorkeeper (Spree) and
    Commerce Layer accept the body form. Other grants raise ``unsupported_grant_type``: the sandbox
    emulates server-to-server tokens only.
    """
    try:
        params = await read_params(request)
    except BodyError as exc:
        raise OAuthError(400, "invalid_request", f"The request body is malformed: {exc}") from exc
    if params.get("grant_type") != "client_credentials":
        description = "The authorization grant type is not supported by the authorization server."
        raise OAuthError(400, "unsupported_grant_type", description)
    client_id, secret = params.get("client_id"), params.get("client_secret")
    basic = authorization(request, "Basic")
    if basic is not None:
        try:
            client_id, _, secret = base64.b64decode(basic, validate=True).decode("utf-8").partition(":")
        except (ValueError, binascii.Error):
            client_id = secret = None
    return TokenRequest(client_id, secret, params.get("scope"))
