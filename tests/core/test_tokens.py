"""Access and refresh tokens: expiry, tampering, rotation, reuse detection, deactivation."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from joserfc import jwt
from joserfc.jwk import OctKey
from sqlmodel import Session, col, select

from mediconnect.core import tokens
from mediconnect.core.errors import AuthError, AuthErrorCode
from mediconnect.core.settings import get_settings
from mediconnect.models.users import RefreshToken, Role, User
from tests.core import factories as f

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _code(exc: pytest.ExceptionInfo[AuthError]) -> AuthErrorCode:
    return exc.value.code


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _sign(claims: dict[str, object], secret: str | None = None, alg: str = "HS256") -> str:
    key = OctKey.import_key((secret or get_settings().SECRET_KEY.get_secret_value()).encode())
    return jwt.encode({"alg": alg}, claims, key, algorithms=[alg])


def _user(session: Session, role: Role = Role.DOCTOR) -> User:
    return f.user(session, role)


# --------------------------------------------------------------------------------------------
# Access tokens (no database needed for decoding)


def _fake_user(user_id: int = 7, role: Role = Role.DOCTOR) -> User:
    return User(id=user_id, email="x@example.test", role=role, first_name="A", last_name="B")


def test_access_token_claims() -> None:
    token = tokens.issue_access_token(user=_fake_user(), now=NOW)
    claims = tokens.decode_access(token, now=NOW)
    assert claims.user_id == 7
    assert claims.role is Role.DOCTOR
    assert claims.issued_at == NOW
    assert claims.expires_at - claims.issued_at == timedelta(minutes=15)
    assert len(claims.jti) == 32
    raw = jwt.decode(token, OctKey.import_key(get_settings().SECRET_KEY.get_secret_value().encode())).claims
    assert raw["typ"] == "access" and raw["sub"] == "7"
    assert set(raw) == {"sub", "role", "jti", "iat", "exp", "typ"}


def test_every_token_has_its_own_jti() -> None:
    a = tokens.decode_access(tokens.issue_access_token(user=_fake_user(), now=NOW), now=NOW)
    b = tokens.decode_access(tokens.issue_access_token(user=_fake_user(), now=NOW), now=NOW)
    assert a.jti != b.jti


def test_access_token_expires() -> None:
    token = tokens.issue_access_token(user=_fake_user(), now=NOW)
    tokens.decode_access(token, now=NOW + timedelta(minutes=14, seconds=59))
    with pytest.raises(AuthError) as exc:
        tokens.decode_access(token, now=NOW + timedelta(minutes=15))
    assert _code(exc) is AuthErrorCode.TOKEN_EXPIRED
    assert exc.value.as_json() == {"code": "AUTH_004", "message": "Token expired", "detail": None}
    assert exc.value.http_status == 401
    assert 'error="invalid_token"' in exc.value.www_authenticate


def test_custom_ttl_and_leeway() -> None:
    token = tokens.issue_access_token(user=_fake_user(), now=NOW, ttl=timedelta(seconds=30))
    with pytest.raises(AuthError):
        tokens.decode_access(token, now=NOW + timedelta(seconds=31))
    tokens.decode_access(token, now=NOW + timedelta(seconds=31), leeway=5)


def test_token_from_the_future_is_refused() -> None:
    token = tokens.issue_access_token(user=_fake_user(), now=NOW + timedelta(hours=1))
    with pytest.raises(AuthError) as exc:
        tokens.decode_access(token, now=NOW)
    assert _code(exc) is AuthErrorCode.TOKEN_INVALID


def test_tampered_payload_is_refused() -> None:
    token = tokens.issue_access_token(user=_fake_user(role=Role.PATIENT), now=NOW)
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "admin"
    forged = ".".join([header, _b64(claims), signature])
    with pytest.raises(AuthError) as exc:
        tokens.decode_access(forged, now=NOW)
    assert _code(exc) is AuthErrorCode.TOKEN_INVALID


def test_tampered_signature_is_refused() -> None:
    token = tokens.issue_access_token(user=_fake_user(), now=NOW)
    last = "A" if token[-2] != "A" else "B"
    with pytest.raises(AuthError) as exc:
        tokens.decode_access(token[:-2] + last + token[-1], now=NOW)
    assert _code(exc) is AuthErrorCode.TOKEN_INVALID


def test_wrong_secret_is_refused() -> None:
    token = tokens.issue_access_token(user=_fake_user(), now=NOW, secret="another-secret-of-enough-length")
    with pytest.raises(AuthError) as exc:
        tokens.decode_access(token, now=NOW)
    assert _code(exc) is AuthErrorCode.TOKEN_INVALID
    assert tokens.decode_access(token, now=NOW, secret="another-secret-of-enough-length").user_id == 7


def test_alg_none_is_refused() -> None:
    iat = int(NOW.timestamp())
    claims = {"sub": "1", "role": "admin", "jti": "x", "iat": iat, "exp": iat + 60, "typ": "access"}
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    with pytest.raises(AuthError) as exc:
        tokens.decode_access(unsigned, now=NOW)
    assert _code(exc) in (AuthErrorCode.TOKEN_INVALID, AuthErrorCode.TOKEN_MALFORMED)


@pytest.mark.parametrize("garbage", ["abc", "a.b.c", "....", "eyJ9.eyJ9.", "x" * 5000])
def test_malformed_tokens_are_refused(garbage: str) -> None:
    with pytest.raises(AuthError) as exc:
        tokens.decode_access(garbage, now=NOW)
    assert _code(exc) in (AuthErrorCode.TOKEN_MALFORMED, AuthErrorCode.TOKEN_INVALID)


def test_missing_token() -> None:
    with pytest.raises(AuthError) as exc:
        tokens.decode_access("", now=NOW)
    assert _code(exc) is AuthErrorCode.TOKEN_MISSING
    assert "error=" not in exc.value.www_authenticate


@pytest.mark.parametrize("drop", ["sub", "jti", "iat", "exp"])
def test_missing_claims_are_refused(drop: str) -> None:
    iat = int(NOW.timestamp())
    claims: dict[str, object] = {"sub": "1", "role": "admin", "jti": "x", "iat": iat, "exp": iat + 60}
    claims["typ"] = "access"
    del claims[drop]
    with pytest.raises(AuthError) as exc:
        tokens.decode_access(_sign(claims), now=NOW)
    assert _code(exc) is AuthErrorCode.TOKEN_INVALID


@pytest.mark.parametrize(("field", "value"), [("sub", "abc"), ("sub", 5), ("role", "superuser")])
def test_bad_claim_values_are_refused(field: str, value: object) -> None:
    iat = int(NOW.timestamp())
    claims: dict[str, object] = {"sub": "1", "role": "admin", "jti": "x", "iat": iat, "exp": iat + 60}
    claims["typ"] = "access"
    claims[field] = value
    with pytest.raises(AuthError) as exc:
        tokens.decode_access(_sign(claims), now=NOW)
    assert _code(exc) is AuthErrorCode.TOKEN_INVALID


def test_refresh_token_is_not_an_access_token(session: Session) -> None:
    pair = tokens.issue_tokens(session, user=_user(session), now=NOW)
    with pytest.raises(AuthError) as exc:
        tokens.decode_access(pair.refresh_token, now=NOW)
    assert _code(exc) is AuthErrorCode.WRONG_TOKEN_TYPE
    with pytest.raises(AuthError) as exc:
        tokens.rotate_refresh(session, token=pair.access_token, now=NOW)
    assert _code(exc) is AuthErrorCode.WRONG_TOKEN_TYPE


# --------------------------------------------------------------------------------------------
# Per-request account checks


def test_authenticate_access_returns_the_user(session: Session) -> None:
    user = _user(session)
    token = tokens.issue_access_token(user=user, now=NOW)
    assert tokens.authenticate_access(session, token=token, now=NOW).id == user.id


def test_deactivation_invalidates_access_and_refresh_tokens(session: Session) -> None:
    user = _user(session)
    pair = tokens.issue_tokens(session, user=user, now=NOW)
    # The admin deactivates the account a minute later.
    later = NOW + timedelta(minutes=1)
    user.is_active, user.deactivated_at = False, later
    session.add(user)
    assert tokens.revoke_user_tokens(session, user_id=user.id, now=later) == 1  # type: ignore[arg-type]
    session.flush()
    with pytest.raises(AuthError) as exc:
        tokens.authenticate_access(session, token=pair.access_token, now=later)
    assert _code(exc) is AuthErrorCode.TOKEN_REVOKED
    with pytest.raises(AuthError) as exc:
        tokens.rotate_refresh(session, token=pair.refresh_token, now=later)
    assert _code(exc) is AuthErrorCode.TOKEN_REVOKED

    # Reactivated: tokens from before the deactivation stay dead, new ones work.
    user.is_active = True
    session.add(user)
    session.flush()
    with pytest.raises(AuthError):
        tokens.authenticate_access(session, token=pair.access_token, now=later + timedelta(seconds=5))
    fresh = tokens.issue_access_token(user=user, now=later + timedelta(seconds=5))
    assert tokens.authenticate_access(session, token=fresh, now=later + timedelta(seconds=6)).id == user.id


def test_inactive_user_without_deactivated_at_is_refused(session: Session) -> None:
    user = _user(session)
    token = tokens.issue_access_token(user=user, now=NOW)
    user.is_active = False
    session.add(user)
    session.flush()
    with pytest.raises(AuthError) as exc:
        tokens.authenticate_access(session, token=token, now=NOW)
    assert _code(exc) is AuthErrorCode.TOKEN_REVOKED


def test_role_change_invalidates_access_tokens(session: Session) -> None:
    user = _user(session, Role.ADMIN)
    token = tokens.issue_access_token(user=user, now=NOW)
    user.role = Role.PATIENT
    session.add(user)
    session.flush()
    with pytest.raises(AuthError) as exc:
        tokens.authenticate_access(session, token=token, now=NOW)
    assert _code(exc) is AuthErrorCode.TOKEN_REVOKED


def test_token_for_a_missing_user_is_refused(session: Session) -> None:
    token = tokens.issue_access_token(user=_fake_user(user_id=10**9), now=NOW)
    with pytest.raises(AuthError) as exc:
        tokens.authenticate_access(session, token=token, now=NOW)
    assert _code(exc) is AuthErrorCode.TOKEN_REVOKED


# --------------------------------------------------------------------------------------------
# Refresh rotation


def _rows(session: Session, user: User) -> list[RefreshToken]:
    session.expire_all()
    return list(
        session.exec(
            select(RefreshToken).where(RefreshToken.user_id == user.id).order_by(col(RefreshToken.id))
        )
    )


def test_refresh_rotation(session: Session) -> None:
    user = _user(session)
    first = tokens.issue_tokens(session, user=user, now=NOW)
    assert first.as_json(now=NOW)["expires_in"] == 900
    assert first.as_json(now=NOW)["token_type"] == "Bearer"
    assert first.refresh_expires_at == NOW + timedelta(days=14)

    t1 = NOW + timedelta(minutes=20)  # the access token has expired; the refresh token has not
    second = tokens.rotate_refresh(session, token=first.refresh_token, now=t1)
    assert tokens.decode_access(second.access_token, now=t1).user_id == user.id
    old, new = _rows(session, user)
    assert old.revoked_at == t1 and old.replaced_by_jti == new.jti
    assert new.revoked_at is None

    third = tokens.rotate_refresh(session, token=second.refresh_token, now=t1 + timedelta(minutes=1))
    assert third.refresh_token != second.refresh_token
    assert [r.revoked_at is None for r in _rows(session, user)] == [False, False, True]


@pytest.fixture
def committed_users(engine: sa.Engine) -> Iterator[list[int]]:
    """User ids whose rows (and refresh tokens) a test committed for real; removed afterwards."""
    ids: list[int] = []
    yield ids
    with engine.begin() as conn:
        for uid in ids:
            conn.execute(sa.text("DELETE FROM refresh_tokens WHERE user_id = :u"), {"u": uid})
            conn.execute(sa.text("DELETE FROM users WHERE id = :u"), {"u": uid})


def test_refresh_reuse_revokes_the_family_and_survives_rollback(
    engine: sa.Engine, committed_users: list[int]
) -> None:
    # Its own session: reuse detection commits, which the rolled-back `session` fixture cannot hold.
    with Session(engine, expire_on_commit=False) as session:
        user, bystander = _user(session), _user(session)
        committed_users.extend([user.id, bystander.id])  # type: ignore[list-item]
        other = tokens.issue_tokens(session, user=bystander, now=NOW)
        first = tokens.issue_tokens(session, user=user, now=NOW)
        second_device = tokens.issue_tokens(session, user=user, now=NOW)
        session.commit()
        rotated = tokens.rotate_refresh(session, token=first.refresh_token, now=NOW + timedelta(minutes=1))
        session.commit()

        # The old refresh token shows up again: someone kept a copy.
        with pytest.raises(AuthError) as exc:
            tokens.rotate_refresh(session, token=first.refresh_token, now=NOW + timedelta(minutes=2))
        assert _code(exc) is AuthErrorCode.TOKEN_REVOKED
        assert "reuse" in (exc.value.detail or "")
        session.rollback()  # what a request handler does on an exception: the revocation stays

    with Session(engine) as session:
        assert all(r.revoked_at is not None for r in _rows(session, user))
        for t in (rotated.refresh_token, second_device.refresh_token):
            with pytest.raises(AuthError):
                tokens.rotate_refresh(session, token=t, now=NOW + timedelta(minutes=3))
            session.rollback()
        # Another user's session is untouched.
        tokens.rotate_refresh(session, token=other.refresh_token, now=NOW + timedelta(minutes=3))
        session.rollback()


def test_refresh_token_expires(session: Session) -> None:
    user = _user(session)
    pair = tokens.issue_tokens(session, user=user, now=NOW, refresh_ttl=timedelta(hours=1))
    with pytest.raises(AuthError) as exc:
        tokens.rotate_refresh(session, token=pair.refresh_token, now=NOW + timedelta(hours=1))
    assert _code(exc) is AuthErrorCode.TOKEN_EXPIRED


def test_unknown_refresh_token_is_refused(session: Session) -> None:
    iat = int(NOW.timestamp())
    forged = _sign({"sub": "1", "jti": "f" * 32, "iat": iat, "exp": iat + 60, "typ": "refresh"})
    with pytest.raises(AuthError) as exc:
        tokens.rotate_refresh(session, token=forged, now=NOW)
    assert _code(exc) is AuthErrorCode.TOKEN_REVOKED


def test_refresh_token_for_another_subject_is_refused(session: Session) -> None:
    a, b = _user(session), _user(session)
    pair = tokens.issue_tokens(session, user=a, now=NOW)
    jti = _rows(session, a)[0].jti
    iat = int(NOW.timestamp())
    # Only possible with the secret, but the row must still belong to the subject.
    swapped = _sign({"sub": str(b.id), "jti": jti, "iat": iat, "exp": iat + 60, "typ": "refresh"})
    with pytest.raises(AuthError):
        tokens.rotate_refresh(session, token=swapped, now=NOW)
    tokens.rotate_refresh(session, token=pair.refresh_token, now=NOW)


def test_logout_revokes_one_refresh_token(session: Session) -> None:
    user = _user(session)
    a = tokens.issue_tokens(session, user=user, now=NOW)
    b = tokens.issue_tokens(session, user=user, now=NOW)
    assert tokens.revoke_refresh(session, token=a.refresh_token, now=NOW) is True
    assert tokens.revoke_refresh(session, token=a.refresh_token, now=NOW) is False
    assert [r.revoked_at is not None for r in _rows(session, user)] == [True, False]
    tokens.rotate_refresh(session, token=b.refresh_token, now=NOW)
    with pytest.raises(AuthError):
        tokens.revoke_refresh(session, token=a.access_token, now=NOW)  # wrong type


def test_concurrent_rotation_of_one_token_succeeds_once(
    engine: sa.Engine, committed_users: list[int]
) -> None:
    """Two requests race with the same refresh token: exactly one gets a new pair."""
    with Session(engine) as s:
        user = f.user(s, Role.PATIENT)
        pair = tokens.issue_tokens(s, user=user)
        s.commit()
        user_id = user.id
        committed_users.append(user_id)  # type: ignore[arg-type]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def use() -> None:
        with Session(engine) as s:
            barrier.wait()
            try:
                tokens.rotate_refresh(s, token=pair.refresh_token)
                s.commit()
                outcomes.append("ok")
            except AuthError as exc:
                outcomes.append(exc.code.name)

    threads = [threading.Thread(target=use) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)  # bounds a hang only; a loaded machine is not a failure
    assert sorted(outcomes) == ["TOKEN_REVOKED", "ok"]
    with Session(engine) as s:
        rows = s.exec(select(RefreshToken).where(RefreshToken.user_id == user_id)).all()
        # the winner's new token was revoked by the loser's reuse detection
        assert len(rows) == 2 and all(r.revoked_at is not None for r in rows)
