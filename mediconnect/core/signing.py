"""Short-lived signed values: state that makes a round trip through the browser with no store.

``sign`` turns a small JSON-able mapping into ``<payload>.<signature>`` (both base64url, no
padding), where the signature is HMAC-SHA256 over the payload with a key derived from
``settings.SECRET_KEY`` and a *purpose*. The payload carries its own expiry. ``unsign`` checks
the signature in constant time, then the expiry, and returns the mapping.

The purpose separates uses: a value signed for "oidc-bind" never verifies as "oidc-flow".
Values are signed, not encrypted: the browser can read them, so put nothing secret from the
user's point of view in them (the OIDC flow keeps its own nonce and PKCE verifier there, which
is what Authlib's Starlette integration does with its session cookie too).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from mediconnect.core.settings import get_settings

# Cookies hold at most ~4 KB; nothing we sign needs more.
MAX_LENGTH = 4000


class SignatureError(ValueError):
    """The value is missing, malformed, or its signature does not verify."""


class SignatureExpired(SignatureError):
    """The signature verifies but the value's lifetime has passed."""


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _key(purpose: str, secret: str | None) -> bytes:
    if not purpose:
        raise ValueError("a purpose is required")
    raw = secret if secret is not None else get_settings().SECRET_KEY.get_secret_value()
    return hmac.new(raw.encode(), b"mediconnect.signing:" + purpose.encode(), hashlib.sha256).digest()


def _signature(payload: str, purpose: str, secret: str | None) -> str:
    return _b64encode(hmac.new(_key(purpose, secret), payload.encode("ascii"), hashlib.sha256).digest())


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now


def sign(
    data: Mapping[str, Any],
    *,
    purpose: str,
    ttl: timedelta,
    now: datetime | None = None,
    secret: str | None = None,
) -> str:
    """Sign ``data`` for ``purpose``, valid for ``ttl``."""
    if ttl <= timedelta(0):
        raise ValueError("ttl must be positive")
    expires = int(_now(now).timestamp() + ttl.total_seconds())
    body = json.dumps({"d": dict(data), "exp": expires}, separators=(",", ":"), sort_keys=True)
    payload = _b64encode(body.encode())
    value = f"{payload}.{_signature(payload, purpose, secret)}"
    if len(value) > MAX_LENGTH:
        raise ValueError("signed value too large")
    return value


def unsign(
    value: str | None, *, purpose: str, now: datetime | None = None, secret: str | None = None
) -> dict[str, Any]:
    """The mapping ``sign`` was given. Raises SignatureError, or SignatureExpired."""
    if not value or not isinstance(value, str) or len(value) > MAX_LENGTH:
        raise SignatureError("missing or oversized value")
    payload, dot, signature = value.partition(".")
    if not dot or not payload or not signature:
        raise SignatureError("malformed value")
    try:
        expected = _signature(payload, purpose, secret)
    except UnicodeEncodeError:
        raise SignatureError("malformed value") from None
    if not hmac.compare_digest(signature.encode(), expected.encode()):
        raise SignatureError("signature does not verify")
    try:
        body = json.loads(_b64decode(payload))
        data, expires = body["d"], int(body["exp"])
    except (binascii.Error, ValueError, TypeError, KeyError):
        raise SignatureError("malformed value") from None
    if not isinstance(data, dict):
        raise SignatureError("malformed value")
    if _now(now).timestamp() >= expires:
        raise SignatureExpired("value expired")
    return data
