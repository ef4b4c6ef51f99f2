"""Sign-in: authenticate an email and password against the lockout, and the LoginResult it returns."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from sqlmodel import Session, select

from mediconnect.core.lockout import Lockout, LockStatus, default_lockout
from mediconnect.core.passwords import hash_password, needs_rehash, verify_password
from mediconnect.models.base import utcnow
from mediconnect.models.users import LoginOutcome, User, UserPublic
from mediconnect.services.account_public import public_user
from mediconnect.services.account_rules import normalise_email

_BAD_CREDENTIALS = "Email or password is incorrect."


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    message: str
    user: UserPublic | None = None
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is LoginOutcome.SUCCESS


@lru_cache
def _dummy_hash() -> str:
    """A real argon2id hash of nothing anyone knows, verified for unknown users so that they
    cost the same time as a wrong password."""
    return hash_password(secrets.token_urlsafe(24))


def _minutes(delta: timedelta | None) -> int:
    return max(1, math.ceil(delta.total_seconds() / 60)) if delta else 1


def _locked_message(retry_after: timedelta | None) -> str:
    return (
        "Too many failed sign-in attempts: this account is locked for now. Try again in "
        f"{_minutes(retry_after)} minutes, or reset your password."
    )


def authenticate(
    *,
    session: Session,
    email: str,
    password: str,
    ip: str | None,
    lockout: Lockout | None = None,
    method: str = "password",
) -> LoginResult:
    """Check an email and password; record the attempt (a LoginAttempt row); apply the lockout.

    Unknown address, wrong password and a locked account all cost one argon2 verification, and
    the first two get the same message. A deactivated account is only named after the right
    password. Commits the attempt whatever the outcome.
    ``method`` is recorded on the attempt ("password" for the sign-in page, "api" for
    POST /api/auth/token).
    """
    guard = lockout or default_lockout()
    address = normalise_email(email)[:254]
    user = session.exec(select(User).where(sa.func.lower(User.email) == address)).first() if address else None
    user_id = user.id if user else None

    def attempt(outcome: LoginOutcome) -> LockStatus:
        status = guard.record_attempt(
            session, email=address, outcome=outcome, user_id=user_id, ip=ip, method=method
        )
        session.commit()
        return status

    status = guard.status(email=address)
    if status.locked:
        verify_password(_dummy_hash(), password or "-")
        attempt(LoginOutcome.LOCKED)
        return LoginResult(
            LoginOutcome.LOCKED,
            _locked_message(status.retry_after),
            locked_until=utcnow() + status.retry_after if status.retry_after else None,
        )

    if user is None or not user.password_hash:
        verify_password(_dummy_hash(), password or "-")
        status = attempt(LoginOutcome.UNKNOWN_USER)
        if status.locked:
            return LoginResult(LoginOutcome.LOCKED, _locked_message(status.retry_after))
        return LoginResult(LoginOutcome.UNKNOWN_USER, _BAD_CREDENTIALS)

    if not verify_password(user.password_hash, password):
        status = attempt(LoginOutcome.BAD_PASSWORD)
        if status.locked:
            return LoginResult(
                LoginOutcome.LOCKED,
                _locked_message(status.retry_after),
                locked_until=utcnow() + status.retry_after if status.retry_after else None,
            )
        return LoginResult(LoginOutcome.BAD_PASSWORD, _BAD_CREDENTIALS)

    if not user.is_active:
        attempt(LoginOutcome.INACTIVE)
        return LoginResult(
            LoginOutcome.INACTIVE, "This account has been deactivated. Please contact the clinic."
        )

    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.add(user)
    attempt(LoginOutcome.SUCCESS)
    return LoginResult(LoginOutcome.SUCCESS, "Signed in.", user=public_user(user))
