"""A small but real OpenID Connect provider on loopback, for end-to-end sign-in tests.

It serves discovery, JWKS, an authorization endpoint that auto-approves ``provider.user``, and a
token endpoint that authenticates the client, checks the code's redirect_uri and the PKCE
verifier (S256 only), and returns an RS256 id_token signed with a key generated at start-up.
It runs on a ``ThreadingHTTPServer`` bound to 127.0.0.1 on a free port, so the app under test
talks to it over real HTTP exactly as it would to Keycloak or Entra ID.

Knobs for the refusal tests: ``id_token_overrides`` changes claims (None deletes one),
``signing_key`` signs with another key, ``advertised_issuer`` lies in discovery.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def s256(verifier: str) -> str:
    return b64url(hashlib.sha256(verifier.encode()).digest())


@dataclass
class ProviderUser:
    subject: str
    email: str
    email_verified: bool = True
    name: str = "Test Person"


@dataclass
class OidcProvider:
    client_id: str = "mediconnect-test"
    client_secret: str = "provider-secret-for-tests"
    redirect_uris: tuple[str, ...] = ()
    user: ProviderUser | None = None
    id_token_overrides: dict[str, Any] = field(default_factory=dict)
    signing_key: RSAKey | None = None
    advertised_issuer: str | None = None
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "test-key-1"}))
    # What happened, for assertions.
    authorize_requests: list[dict[str, str]] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    issued_id_tokens: list[str] = field(default_factory=list)
    _codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> OidcProvider:
        provider = self

        class Handler(_Handler):
            pass

        Handler.provider = provider
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="oidc-provider",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> OidcProvider:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def issuer(self) -> str:
        assert self._server is not None, "start() the provider first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # ------------------------------------------------------------------ protocol

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.advertised_issuer or self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": [
                "sub",
                "iss",
                "aud",
                "exp",
                "iat",
                "nonce",
                "email",
                "email_verified",
                "name",
            ],
        }

    def jwks(self) -> dict[str, Any]:
        return {"keys": [{**self.key.as_dict(private=False), "use": "sig", "alg": "RS256"}]}

    def authorize(self, params: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        """Returns (status, headers, body)."""
        self.authorize_requests.append(params)
        redirect_uri = params.get("redirect_uri", "")
        if params.get("client_id") != self.client_id or redirect_uri not in self.redirect_uris:
            return (
                400,
                {},
                {"error": "invalid_request", "error_description": "unknown client or redirect_uri"},
            )
        state = params.get("state", "")

        def back(**query: str) -> tuple[int, dict[str, str], Any]:
            return 302, {"Location": f"{redirect_uri}?{urlencode({**query, 'state': state})}"}, None

        if params.get("response_type") != "code" or "openid" not in params.get("scope", "").split():
            return back(error="invalid_request")
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            return back(error="invalid_request", error_description="PKCE S256 required")
        if self.user is None:
            return back(error="access_denied")
        code = secrets.token_urlsafe(24)
        self._codes[code] = {
            "redirect_uri": redirect_uri,
            "nonce": params.get("nonce"),
            "challenge": params["code_challenge"],
            "user": self.user,
            "expires": time.time() + 60,
        }
        return back(code=code)

    def _client_authenticated(self, headers: dict[str, str], form: dict[str, str]) -> bool:
        auth = headers.get("authorization", "")
        if auth.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(auth[6:]).decode()
            except ValueError:
                return False
            cid, _, secret = decoded.partition(":")
            return unquote(cid) == self.client_id and unquote(secret) == self.client_secret
        return form.get("client_id") == self.client_id and form.get("client_secret") == self.client_secret

    def token(self, headers: dict[str, str], form: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        self.token_requests.append(form)
        if not self._client_authenticated(headers, form):
            return 401, {}, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return 400, {}, {"error": "unsupported_grant_type"}
        grant = self._codes.pop(form.get("code", ""), None)  # single use
        if grant is None or grant["expires"] < time.time():
            return 400, {}, {"error": "invalid_grant", "error_description": "unknown or used code"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {}, {"error": "invalid_grant", "error_description": "redirect_uri mismatch"}
        verifier = form.get("code_verifier", "")
        if not verifier or s256(verifier) != grant["challenge"]:
            return 400, {}, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        access_token = secrets.token_urlsafe(32)
        id_token = self.id_token(grant["user"], nonce=grant["nonce"], access_token=access_token)
        body = {"access_token": access_token, "token_type": "Bearer", "expires_in": 300, "id_token": id_token}
        return 200, {"Cache-Control": "no-store"}, body

    def id_token(self, user: ProviderUser, *, nonce: str | None, access_token: str) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": user.subject,
            "aud": self.client_id,
            "exp": now + 300,
            "iat": now,
            "auth_time": now,
            "nonce": nonce,
            "at_hash": b64url(hashlib.sha256(access_token.encode()).digest()[:16]),
            "email": user.email,
            "email_verified": user.email_verified,
            "name": user.name,
        }
        for name, value in self.id_token_overrides.items():
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        key = self.signing_key or self.key
        token = jwt.encode({"alg": "RS256", "kid": key.kid or "test-key-1", "typ": "JWT"}, claims, key)
        self.issued_id_tokens.append(token)
        return token


class _Handler(BaseHTTPRequestHandler):
    provider: OidcProvider

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _send(self, status: int, headers: dict[str, str], body: Any) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        data = b""
        if body is not None:
            data = json.dumps(body).encode()
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        params = {k: v[0] for k, v in parse_qs(url.query).items()}
        p = self.provider
        if url.path == "/.well-known/openid-configuration":
            self._send(200, {}, p.metadata())
        elif url.path == "/jwks":
            self._send(200, {}, p.jwks())
        elif url.path == "/authorize":
            self._send(*p.authorize(params))
        else:
            self._send(404, {}, {"error": "not_found"})

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode()
        form = {k: v[0] for k, v in parse_qs(raw).items()}
        headers = {k.lower(): v for k, v in self.headers.items()}
        if url.path == "/token":
            self._send(*self.provider.token(headers, form))
        else:
            self._send(404, {}, {"error": "not_found"})
