"""API tokens: short-lived access JWTs and rotating, revocable refresh tokens.

Both are HS256 JWTs signed with ``settings.SECRET_KEY`` through joserfc, the JOSE library of
the Authlib project (``authlib.jose`` is deprecated in its favour and warns on import; joserfc
ships with Authlib and is pinned in requirements.txt).

* Access token, 15 minutes: ``sub`` (user id), ``role``, ``jti``, ``iat``, ``exp``,
  ``typ="access"``. Nothing is stored; ``authenticate_access`` re-checks the account on every
  request, so deactivation ends access at once: the user must be active, and a token issued
  at or before ``user.deactivated_at`` is refused even after reactivation. A token whose role
  no longer matches the account's is refused too.
* Refresh token, 14 days: ``sub``, ``jti``, ``iat``, ``exp``, ``typ="refresh"``; its ``jti`` is
  a row in ``refresh_tokens`` (only the id is stored; without the signature it is useless).
  Using one revokes it and issues a new pair (rotation). Presenting an already revoked one is
  taken as theft: every live refresh token of that user is revoked, that revocation is
  committed, and the call fails with 401.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ClaimError,
    ExpiredTokenError,
    JoseError,
    MissingAlgorithmError,
    UnsupportedAlgorithmError,
)
from joserfc.jwk import OctKey
from joserfc.jwt import JWTClaimsRegistry
from sqlmodel import Session, col, select, update

from mediconnect.core.errors import AuthError, AuthErrorCode
from mediconnect.core.settings import get_settings
from mediconnect.models.users import RefreshToken, Role, User

ALGORITHM = "HS256"
ACCESS = "access"
REFRESH = "refresh"


def _setting(name: str, default: int) -> int:
    """Optional settings (e.g. ACCESS_TOKEN_MINUTES) override the defaults once Settings has them."""
    return int(getattr(get_settings(), name, default))


def access_token_ttl() -> timedelta:
    return timedelta(minutes=_setting("ACCESS_TOKEN_MINUTES", 15))


def refresh_token_ttl() -> timedelta:
    return timedelta(days=_setting("REFRESH_TOKEN_DAYS", 14))


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: int
    role: Role
    jti: str
    issued_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    access_expires_at: datetime
    refresh_expires_at: datetime
    token_type: str = "Bearer"

    def as_json(self, *, now: datetime | None = None) -> dict[str, Any]:
        """The OAuth 2.0 token response body."""
        now = now or datetime.now(UTC)
        return {
            "access_token": self.access_token,
            "token_type": self.token_type,
            "expires_in": max(0, int((self.access_expires_at - now).total_seconds())),
            "refresh_token": self.refresh_token,
        }


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now


def _key(secret: str | None) -> OctKey:
    raw = secret if secret is not None else get_settings().SECRET_KEY.get_secret_value()
    return OctKey.import_key(raw.encode())


def _encode(claims: dict[str, Any], secret: str | None) -> str:
    return jwt.encode({"alg": ALGORITHM, "typ": "JWT"}, claims, _key(secret), algorithms=[ALGORITHM])


def _decode(token: str, *, typ: str, now: datetime, secret: str | None, leeway: int) -> dict[str, Any]:
    """Verify signature, then claims; map every failure to a 401 with a precise reason."""
    if not token or not isinstance(token, str):
        raise AuthError(AuthErrorCode.TOKEN_MISSING)
    try:
        claims = jwt.decode(token, _key(secret), algorithms=[ALGORITHM]).claims
    except (BadSignatureError, UnsupportedAlgorithmError, MissingAlgorithmError):
        raise AuthError(AuthErrorCode.TOKEN_INVALID, "signature does not verify") from None
    except (JoseError, ValueError, TypeError):
        raise AuthError(AuthErrorCode.TOKEN_MALFORMED) from None
    registry = JWTClaimsRegistry(
        now=int(now.timestamp()),
        leeway=leeway,
        sub={"essential": True},
        jti={"essential": True},
        iat={"essential": True},
        exp={"essential": True},
    )
    try:
        registry.validate(claims)
    except ExpiredTokenError:
        raise AuthError(AuthErrorCode.TOKEN_EXPIRED) from None
    except ClaimError as exc:
        raise AuthError(AuthErrorCode.TOKEN_INVALID, str(exc.description or exc.error)) from None
    if claims.get("typ") != typ:
        raise AuthError(AuthErrorCode.WRONG_TOKEN_TYPE, f"expected a {typ} token")
    return claims


def _user_id(claims: dict[str, Any]) -> int:
    sub = claims["sub"]
    if not isinstance(sub, str) or not sub.isdigit():
        raise AuthError(AuthErrorCode.TOKEN_INVALID, "bad subject")
    return int(sub)


def _ts(value: Any) -> datetime:
    return datetime.fromtimestamp(int(value), UTC)


# --------------------------------------------------------------------------------------------
# Access tokens


def issue_access_token(
    *, user: User, now: datetime | None = None, ttl: timedelta | None = None, secret: str | None = None
) -> str:
    if user.id is None:
        raise ValueError("user has no id; flush it first")
    iat = int(_now(now).timestamp())
    claims = {
        "sub": str(user.id),
        "role": Role(user.role).value,
        "jti": secrets.token_hex(16),
        "iat": iat,
        "exp": iat + int((ttl or access_token_ttl()).total_seconds()),
        "typ": ACCESS,
    }
    return _encode(claims, secret)


def decode_access(
    token: str, *, now: datetime | None = None, secret: str | None = None, leeway: int = 0
) -> AccessClaims:
    """Verify an access token's signature, lifetime and type. Raises AuthError (401)."""
    claims = _decode(token, typ=ACCESS, now=_now(now), secret=secret, leeway=leeway)
    try:
        role = Role(str(claims.get("role")))
    except ValueError:
        raise AuthError(AuthErrorCode.TOKEN_INVALID, "bad role") from None
    return AccessClaims(
        user_id=_user_id(claims),
        role=role,
        jti=str(claims["jti"]),
        issued_at=_ts(claims["iat"]),
        expires_at=_ts(claims["exp"]),
    )


def _check_account(user: User | None, issued_at: datetime) -> User:
    if user is None or not user.is_active:
        raise AuthError(AuthErrorCode.TOKEN_REVOKED, "account deactivated")
    if user.deactivated_at is not None and issued_at <= user.deactivated_at:
        raise AuthError(AuthErrorCode.TOKEN_REVOKED, "issued before the account was deactivated")
    return user


def authenticate_access(
    session: Session, *, token: str, now: datetime | None = None, secret: str | None = None
) -> User:
    """The per-request check: a valid access token of a still-active account with the same role."""
    claims = decode_access(token, now=now, secret=secret)
    user = _check_account(session.get(User, claims.user_id), claims.issued_at)
    if Role(user.role) is not claims.role:
        raise AuthError(AuthErrorCode.TOKEN_REVOKED, "the account's role has changed")
    return user


# --------------------------------------------------------------------------------------------
# Refresh tokens


def _issue_refresh(
    session: Session, *, user: User, jti: str, now: datetime, ttl: timedelta, secret: str | None
) -> str:
    iat = int(now.timestamp())
    expires = iat + int(ttl.total_seconds())
    session.add(RefreshToken(user_id=user.id, jti=jti, issued_at=_ts(iat), expires_at=_ts(expires)))
    return _encode({"sub": str(user.id), "jti": jti, "iat": iat, "exp": expires, "typ": REFRESH}, secret)


def issue_tokens(
    session: Session,
    *,
    user: User,
    now: datetime | None = None,
    access_ttl: timedelta | None = None,
    refresh_ttl: timedelta | None = None,
    secret: str | None = None,
) -> TokenPair:
    """A new access + refresh pair (sign-in). Adds the refresh row; the caller commits."""
    return _issue_pair(
        session,
        user=user,
        jti=secrets.token_hex(16),
        now=_now(now),
        access_ttl=access_ttl,
        refresh_ttl=refresh_ttl,
        secret=secret,
    )


def _issue_pair(
    session: Session,
    *,
    user: User,
    jti: str,
    now: datetime,
    access_ttl: timedelta | None,
    refresh_ttl: timedelta | None,
    secret: str | None,
) -> TokenPair:
    if user.id is None:
        raise ValueError("user has no id; flush it first")
    a_ttl, r_ttl = access_ttl or access_token_ttl(), refresh_ttl or refresh_token_ttl()
    access = issue_access_token(user=user, now=now, ttl=a_ttl, secret=secret)
    refresh = _issue_refresh(session, user=user, jti=jti, now=now, ttl=r_ttl, secret=secret)
    session.flush()
    iat = _ts(int(now.timestamp()))
    return TokenPair(access, refresh, iat + a_ttl, iat + r_ttl)


def rotate_refresh(
    session: Session,
    *,
    token: str,
    now: datetime | None = None,
    access_ttl: timedelta | None = None,
    refresh_ttl: timedelta | None = None,
    secret: str | None = None,
) -> TokenPair:
    """Exchange a refresh token for a new pair, revoking it.

    The revocation is a compare-and-set (``... WHERE revoked_at IS NULL``), so of two
    concurrent uses of one token exactly one succeeds. Reuse of a revoked token revokes all of
    the user's refresh tokens and COMMITS that before raising, so a caller's rollback on the
    AuthError cannot undo it.
    """
    now = _now(now)
    claims = _decode(token, typ=REFRESH, now=now, secret=secret, leeway=0)
    user_id, jti = _user_id(claims), str(claims["jti"])
    row = session.exec(select(RefreshToken).where(RefreshToken.jti == jti)).first()
    if row is None or row.user_id != user_id:
        raise AuthError(AuthErrorCode.TOKEN_REVOKED, "unknown refresh token")
    user = _check_account(session.get(User, user_id), _ts(claims["iat"]))
    if row.expires_at <= now:
        raise AuthError(AuthErrorCode.TOKEN_EXPIRED)

    new_jti = secrets.token_hex(16)
    claimed = session.exec(
        update(RefreshToken)
        .where(col(RefreshToken.jti) == jti, col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=now, replaced_by_jti=new_jti)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        # Already used: someone else holds a copy. End every refresh token of this user.
        revoke_user_tokens(session, user_id=user_id, now=now)
        session.commit()
        raise AuthError(AuthErrorCode.TOKEN_REVOKED, "refresh token reuse detected; all sessions ended")
    session.expire(row)
    return _issue_pair(
        session,
        user=user,
        jti=new_jti,
        now=now,
        access_ttl=access_ttl,
        refresh_ttl=refresh_ttl,
        secret=secret,
    )


def revoke_refresh(
    session: Session, *, token: str, now: datetime | None = None, secret: str | None = None
) -> bool:
    """Sign-out: revoke this refresh token (its signature must verify). False if it was not live."""
    now = _now(now)
    try:
        claims = _decode(token, typ=REFRESH, now=now, secret=secret, leeway=0)
    except AuthError as exc:
        if exc.code is not AuthErrorCode.TOKEN_EXPIRED:
            raise
        return False  # an expired refresh token can no longer be used anyway
    result = session.exec(
        update(RefreshToken)
        .where(col(RefreshToken.jti) == str(claims["jti"]), col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)


def revoke_user_tokens(session: Session, *, user_id: int, now: datetime | None = None) -> int:
    """End every live refresh token of the user (deactivation, password change, theft). Returns how many."""
    result = session.exec(
        update(RefreshToken)
        .where(col(RefreshToken.user_id) == user_id, col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=_now(now))
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)
