"""Password reset by email: the one-time link, its email, and start, check and finish of a reset."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mediconnect.core.lockout import default_lockout
from mediconnect.core.passwords import hash_password
from mediconnect.core.settings import get_settings
from mediconnect.core.tokens import revoke_user_tokens
from mediconnect.models.base import utcnow
from mediconnect.models.users import PasswordResetToken, User, UserPublic
from mediconnect.services import sessions
from mediconnect.services.account_errors import ResetLinkError
from mediconnect.services.account_public import public_user
from mediconnect.services.account_rules import validate_email, validate_password
from mediconnect.services.mailer import send_email

RESET_TOKEN_TTL = timedelta(minutes=30)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def reset_link(token: str) -> str:
    return f"{get_settings().PUBLIC_URL.rstrip('/')}/password-reset/{token}/"


def send_reset_email(*, to: str, name: str, token: str) -> None:
    minutes = int(RESET_TOKEN_TTL.total_seconds() // 60)
    send_email(
        to=to,
        subject="Reset your MediConnect password",
        body=(
            f"Hello {name},\n\n"
            "Someone asked to reset the password of your MediConnect account. If that was you, "
            f"open this link within {minutes} minutes to choose a new password:\n\n"
            f"{reset_link(token)}\n\n"
            "The link works once. If you did not ask for it, ignore this email: your password "
            "stays as it is.\n\nMediConnect"
        ),
    )


def start_password_reset(*, session: Session, email: str) -> str | None:
    """Email a one-time reset link; returns the token, or None when there is no such active
    account (the caller shows the same message either way). Raises MailError when the mail
    server refuses, and then no link is stored."""
    address = validate_email(email)
    user = session.exec(select(User).where(sa.func.lower(User.email) == address)).first()
    if user is None or not user.is_active:
        return None
    token = secrets.token_urlsafe(32)
    now = utcnow()
    try:
        # One live link at a time: older unused ones stop working.
        older = session.exec(
            select(PasswordResetToken).where(
                PasswordResetToken.user_id == user.id, col(PasswordResetToken.used_at).is_(None)
            )
        ).all()
        for row in older:
            row.used_at = now
            session.add(row)
        session.add(
            PasswordResetToken(
                user_id=user.id,
                token_hash=_token_hash(token),
                created_at=now,
                expires_at=now + RESET_TOKEN_TTL,
            )
        )
        session.flush()
        send_reset_email(to=user.email, name=user.first_name, token=token)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return token


def _reset_row(session: Session, token: str) -> PasswordResetToken:
    row = (
        session.exec(
            select(PasswordResetToken).where(PasswordResetToken.token_hash == _token_hash(token))
        ).first()
        if token
        else None
    )
    if row is None:
        raise ResetLinkError(
            "This reset link is not valid. Check that you copied the whole link, or ask for a new one."
        )
    if row.used_at is not None:
        raise ResetLinkError("This reset link has already been used. Ask for a new one if you still need it.")
    if row.expires_at <= utcnow():
        raise ResetLinkError("This reset link has expired. Ask for a new one; links work for 30 minutes.")
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise ResetLinkError("This reset link is not valid.")
    return row


def check_reset_token(*, session: Session, token: str) -> None:
    """Raises ResetLinkError when the link cannot be used; the page checks before showing the form."""
    _reset_row(session, token)


def finish_password_reset(*, session: Session, token: str, new_password: str) -> UserPublic:
    row = _reset_row(session, token)
    user = session.get(User, row.user_id)
    assert user is not None and user.id is not None
    validate_password(new_password, email=user.email)
    try:
        user.password_hash = hash_password(new_password)
        row.used_at = utcnow()
        session.add(user)
        session.add(row)
        # Whoever knew the old password is signed out everywhere, API tokens included.
        sessions.end_user_sessions(session=session, user_id=row.user_id, commit=False)
        revoke_user_tokens(session, user_id=user.id)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    # The owner of the mailbox proved themself: lift a lock a guesser may have caused.
    default_lockout().unlock(email=user.email)
    return public_user(user)
