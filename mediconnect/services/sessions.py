"""Server-side sign-in sessions, bound to the Reflex client token of one browser tab.

The browser never holds anything that proves who it is except Reflex's own client token
(kept in the tab's sessionStorage, and stable across WebSocket reconnects and reloads).
The row here decides: it ends at logout, on deactivation, after a password reset, after
``SESSION_IDLE_MINUTES`` without activity, and at the latest ``SESSION_MAX_HOURS`` after
sign-in. ``resolve_session`` is the one question every page and handler asks.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlmodel import Session, col, select

from mediconnect.core.settings import ROOT
from mediconnect.models.base import utcnow
from mediconnect.models.users import User, UserPublic, UserSession


class SessionSettings(BaseSettings):
    """Read from the environment / .env like the main Settings."""

    model_config = SettingsConfigDict(env_file=ROOT / ".env", extra="ignore")

    SESSION_IDLE_MINUTES: float = 15
    SESSION_MAX_HOURS: float = 12
    # last_seen_at is written at most this often, not on every event.
    SESSION_TOUCH_SECONDS: float = 20


@lru_cache
def session_settings() -> SessionSettings:
    return SessionSettings()


def idle_timeout() -> timedelta:
    return timedelta(minutes=session_settings().SESSION_IDLE_MINUTES)


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _active_rows(session: Session, client_token: str) -> list[UserSession]:
    return list(
        session.exec(
            select(UserSession).where(
                UserSession.client_token == client_token, col(UserSession.ended_at).is_(None)
            )
        ).all()
    )


def create_session(
    *,
    session: Session,
    user_id: int,
    client_token: str,
    ip: str | None = None,
    user_agent: str | None = None,
) -> int:
    """Start a session for this tab, ending whatever session the tab had before."""
    if not client_token:
        raise ValueError("a session needs the client token")
    now = utcnow()
    try:
        for row in _active_rows(session, client_token):
            row.ended_at = now
            session.add(row)
        row = UserSession(
            user_id=user_id,
            # A random id for this session alone (the client token can sign in again later).
            token_hash=_hash(secrets.token_urlsafe(32)),
            client_token=client_token[:64],
            ip_address=(ip or None) and ip[:45],
            user_agent=(user_agent or None) and user_agent[:300],
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=session_settings().SESSION_MAX_HOURS),
        )
        session.add(row)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    assert row.id is not None
    return row.id


def resolve_session(
    *, session: Session, client_token: str, touch: bool = True, now: datetime | None = None
) -> UserPublic | None:
    """The signed-in user of this tab, or None. Ends the session if it went idle, expired, or
    its user was deactivated. ``touch`` counts this call as activity."""
    if not client_token:
        return None
    now = now or utcnow()
    rows = _active_rows(session, client_token)
    if not rows:
        return None
    row = max(rows, key=lambda r: r.created_at)
    user = session.get(User, row.user_id)
    alive = (
        user is not None
        and user.is_active
        and row.expires_at > now
        and now - row.last_seen_at <= idle_timeout()
    )
    if not alive:
        for r in rows:
            r.ended_at = now
            session.add(r)
        session.commit()
        return None
    assert user is not None and user.id is not None
    if touch and (now - row.last_seen_at).total_seconds() >= session_settings().SESSION_TOUCH_SECONDS:
        row.last_seen_at = now
        session.add(row)
        session.commit()
    return UserPublic(
        id=user.id,
        email=user.email,
        role=user.role,
        first_name=user.first_name,
        last_name=user.last_name,
        is_active=user.is_active,
    )


def end_session(*, session: Session, client_token: str) -> bool:
    """Sign this tab out. True if a session was open."""
    now = utcnow()
    rows = _active_rows(session, client_token) if client_token else []
    for row in rows:
        row.ended_at = now
        session.add(row)
    session.commit()
    return bool(rows)


def end_user_sessions(
    *, session: Session, user_id: int | None, except_client_token: str | None = None, commit: bool = True
) -> list[str]:
    """End every open session of a user (deactivation, password reset); returns their client
    tokens so a surface can clear those tabs' state at once."""
    now = utcnow()
    rows = session.exec(
        select(UserSession).where(UserSession.user_id == user_id, col(UserSession.ended_at).is_(None))
    ).all()
    ended: list[str] = []
    for row in rows:
        if except_client_token and row.client_token == except_client_token:
            continue
        row.ended_at = now
        session.add(row)
        if row.client_token:
            ended.append(row.client_token)
    if commit:
        session.commit()
    else:
        session.flush()
    return ended


def idle_deadline(*, session: Session, client_token: str) -> datetime | None:
    """When this tab's open session goes idle, without counting the question as activity."""
    rows = _active_rows(session, client_token) if client_token else []
    if not rows:
        return None
    row = max(rows, key=lambda r: r.created_at)
    return min(row.last_seen_at + idle_timeout(), row.expires_at)
