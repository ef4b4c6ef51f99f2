"""Single sign-on with an OpenID Connect provider: binding the flow to a tab, linking accounts.

The protocol itself (discovery, PKCE, the id_token's signature and claims) is Authlib's, in
``mediconnect/api/oidc.py``. This module decides what a *verified* identity may do, with no
HTTP and no Reflex:

* **Binding the flow to the tab.** The sign-in page's event handler, which runs for the tab
  whose Reflex client token it serves, calls ``bind_tab(client_token)``: a value signed with
  SECRET_KEY that expires in five minutes. The page's script stores it in a cookie scoped to
  ``/api/auth/oidc`` and navigates to the start route, which accepts only such a cookie. The
  token therefore never appears in a URL, and nobody can bind a session to a tab by sending a
  link: a link carries no cookie, and a third party cannot put one into someone else's browser
  (a start link made from the attacker's own tab would otherwise sign the *victim's* account
  into the *attacker's* tab once the victim's provider auto-approves).
* **Linking.** A login matches an ``OAuthIdentity`` by (issuer, subject) first. Without one,
  the provider's email must be verified and belong to an existing account, which then gets the
  identity row. Nobody gets a new account this way, and an account already linked to another
  subject of the same issuer is not re-linked by email (an address re-assigned at the
  provider must not inherit the old owner's account).
* Every attempt, refused or not, is a ``LoginAttempt`` with ``method="oidc"``; refusals do not
  count towards the password lockout (they are not password guesses), and a success neither
  needs nor clears it (no password was involved). Success and refusals are audited; a success
  ends the tab's previous session and opens a new one.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from mediconnect.core import audit, signing
from mediconnect.models.base import utcnow
from mediconnect.models.users import LoginAttempt, LoginOutcome, OAuthIdentity, User, UserPublic
from mediconnect.services import sessions
from mediconnect.services.accounts import normalise_email, public_user

logger = logging.getLogger(__name__)

METHOD = "oidc"
# Where the binding cookie lives: sent to the start and callback routes only.
OIDC_PATH = "/api/auth/oidc"
START_PATH = f"{OIDC_PATH}/start"
CALLBACK_PATH = f"{OIDC_PATH}/callback"
BIND_COOKIE = "mc_oidc_bind"
BIND_TTL = timedelta(minutes=5)
_BIND_PURPOSE = "oidc-bind"


class SsoRefusal(StrEnum):
    """Why a single sign-on did not sign anyone in; the value is the /login/?reason= code."""

    UNAVAILABLE = "oidc_unavailable"
    UNBOUND = "oidc_expired"
    FAILED = "oidc_failed"
    UNVERIFIED = "oidc_unverified"
    NO_ACCOUNT = "oidc_no_account"
    INACTIVE = "oidc_inactive"
    CONFLICT = "oidc_conflict"


MESSAGES: dict[SsoRefusal, str] = {
    SsoRefusal.UNAVAILABLE: "Single sign-on is not available right now. Sign in with your password.",
    SsoRefusal.UNBOUND: (
        "That single sign-on link has expired or was not started from this page. "
        "Press the sign-in button again."
    ),
    SsoRefusal.FAILED: "Single sign-on did not complete. Please try again, or sign in with your password.",
    SsoRefusal.UNVERIFIED: (
        "Your sign-in provider has not verified your email address, so we cannot match it to an "
        "account. Verify it with the provider, or sign in with your password."
    ),
    SsoRefusal.NO_ACCOUNT: (
        "There is no MediConnect account for the email address your provider gave us. "
        "Patients and referring doctors can register; staff accounts are created by an administrator."
    ),
    SsoRefusal.INACTIVE: "This account has been deactivated. Please contact the clinic.",
    SsoRefusal.CONFLICT: (
        "This account is linked to a different identity at your sign-in provider. "
        "Sign in with your password, or ask an administrator to check the link."
    ),
}

# The LoginAttempt outcome recorded for each refusal.
_OUTCOMES: dict[SsoRefusal, LoginOutcome] = {
    SsoRefusal.UNAVAILABLE: LoginOutcome.SUSPICIOUS,
    SsoRefusal.UNBOUND: LoginOutcome.SUSPICIOUS,
    SsoRefusal.FAILED: LoginOutcome.SUSPICIOUS,
    SsoRefusal.UNVERIFIED: LoginOutcome.SUSPICIOUS,
    SsoRefusal.NO_ACCOUNT: LoginOutcome.UNKNOWN_USER,
    SsoRefusal.INACTIVE: LoginOutcome.INACTIVE,
    SsoRefusal.CONFLICT: LoginOutcome.SUSPICIOUS,
}


class SsoError(Exception):
    """A refused single sign-on. ``reason`` names it for the sign-in page; ``detail`` is for logs."""

    def __init__(self, reason: SsoRefusal, detail: str = "") -> None:
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason
        self.detail = detail

    @property
    def message(self) -> str:
        return MESSAGES[self.reason]


def message_for(reason: str) -> str | None:
    """The sign-in page's message for a ``?reason=`` code, or None when it is not ours."""
    try:
        return MESSAGES[SsoRefusal(reason)]
    except ValueError:
        return None


# --------------------------------------------------------------------------- binding to a tab


def bind_tab(client_token: str, *, now: datetime | None = None) -> str:
    """The value the sign-in page puts in the BIND_COOKIE before it navigates to START_PATH."""
    if not client_token:
        raise ValueError("a client token is required")
    data = {"ct": client_token, "n": secrets.token_urlsafe(8)}
    return signing.sign(data, purpose=_BIND_PURPOSE, ttl=BIND_TTL, now=now)


def bound_tab(value: str | None, *, now: datetime | None = None) -> str:
    """The client token a binding value was made for. Raises SsoError(UNBOUND)."""
    try:
        data = signing.unsign(value, purpose=_BIND_PURPOSE, now=now)
    except signing.SignatureError as exc:
        raise SsoError(SsoRefusal.UNBOUND, str(exc)) from None
    token = data.get("ct")
    if not isinstance(token, str) or not token or len(token) > 64:
        raise SsoError(SsoRefusal.UNBOUND, "no client token")
    return token


def binding_script(value: str, *, start_path: str = START_PATH) -> str:
    """The browser side of ``bind_tab``: store the cookie, then load the start route in this tab.

    The value is base64url and '.', so it needs no quoting inside a cookie or a JS string.
    """
    if not value.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise ValueError("unexpected characters in the binding value")
    max_age = int(BIND_TTL.total_seconds())
    return (
        f'document.cookie = "{BIND_COOKIE}={value}; Path={OIDC_PATH}; Max-Age={max_age}; SameSite=Lax"'
        ' + (window.location.protocol === "https:" ? "; Secure" : "");'
        f' window.location.assign("{start_path}");'
    )


# --------------------------------------------------------------------------- signing in


@dataclass(frozen=True, slots=True)
class OidcIdentity:
    """What a verified id_token says: who (issuer + subject) and their email."""

    issuer: str
    subject: str
    email: str | None
    email_verified: bool


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def _record(
    session: Session,
    *,
    outcome: LoginOutcome,
    email: str,
    user: User | None,
    ip: str | None,
    provider: str,
    action: str,
    detail: str,
) -> None:
    """The LoginAttempt row (not counted by the lockout) and the audit row for one attempt."""
    session.add(
        LoginAttempt(
            user_id=user.id if user else None,
            email=email[:254],
            ip_address=(ip or None) and ip[:45],
            success=outcome is LoginOutcome.SUCCESS,
            outcome=outcome,
            method=METHOD,
            attempted_at=utcnow(),
        )
    )
    audit.record(
        session,
        principal_or_user_id=user.id if user else None,
        role=user.role if user else None,
        action=action,
        patient_id=None,
        resource_type="user_session",
        ip=ip,
        detail=f"{METHOD}:{provider} {detail}".strip(),
    )
    session.flush()


def record_failure(
    *,
    session: Session,
    reason: SsoRefusal,
    ip: str | None,
    provider: str,
    detail: str = "",
    email: str = "",
) -> None:
    """Record a refusal that happened before any identity was verified (bad id_token, no
    binding ...) and commit it. ``detail`` is for the audit trail: no PHI, no tokens."""
    try:
        _record(
            session,
            outcome=_OUTCOMES[reason],
            email=normalise_email(email),
            user=None,
            ip=ip,
            provider=provider,
            action=audit.AuditAction.DENIED,
            detail=f"{reason.value} {detail}".strip(),
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise


def _refuse(
    session: Session,
    reason: SsoRefusal,
    *,
    email: str,
    user: User | None,
    ip: str | None,
    provider: str,
    detail: str = "",
) -> SsoError:
    _record(
        session,
        outcome=_OUTCOMES[reason],
        email=email,
        user=user,
        ip=ip,
        provider=provider,
        action=audit.AuditAction.DENIED,
        detail=reason.value,
    )
    session.commit()
    return SsoError(reason, detail)


def _find_account(session: Session, identity: OidcIdentity) -> tuple[User | None, OAuthIdentity | None]:
    link = session.exec(
        select(OAuthIdentity).where(
            OAuthIdentity.issuer == identity.issuer, OAuthIdentity.subject == identity.subject
        )
    ).first()
    if link is not None:
        return session.get(User, link.user_id), link
    return None, None


def sign_in(
    *,
    session: Session,
    identity: OidcIdentity,
    client_token: str,
    provider: str,
    ip: str | None = None,
    user_agent: str | None = None,
) -> UserPublic:
    """Sign the tab ``client_token`` in as the account this verified identity belongs to.

    Raises SsoError (already recorded and committed) when nobody may be signed in.
    """
    _check_request(identity, client_token)
    email = normalise_email(identity.email or "")[:254]
    try:
        user, link = _find_account(session, identity)
        if link is None:
            user = _account_by_email(session, identity, email=email, ip=ip, provider=provider)
        user = _active_account(session, user, email=email, ip=ip, provider=provider)
        assert user.id is not None
        if link is None:
            _link_identity(session, user, identity, email=email, ip=ip, provider=provider)
        _open_session(
            session, user, client_token=client_token, ip=ip, provider=provider, user_agent=user_agent
        )
    except SsoError:
        raise
    except IntegrityError:
        # Two first sign-ins of the same identity at once: the other one linked it.
        session.rollback()
        raise SsoError(SsoRefusal.FAILED, "concurrent link") from None
    except BaseException:
        session.rollback()
        raise
    return public_user(user)


def _check_request(identity: OidcIdentity, client_token: str) -> None:
    if not client_token:
        raise ValueError("a session needs the client token")
    if not identity.issuer or not identity.subject:
        raise ValueError("issuer and subject are required")
    if len(identity.issuer) > 255 or len(identity.subject) > 255:
        raise SsoError(SsoRefusal.FAILED, "issuer or subject too long")


def _account_by_email(
    session: Session, identity: OidcIdentity, *, email: str, ip: str | None, provider: str
) -> User:
    """The existing account an unlinked identity's verified email names, if it may be linked;
    otherwise raises the recorded refusal."""
    if not email or not identity.email_verified:
        raise _refuse(
            session,
            SsoRefusal.UNVERIFIED,
            email=email,
            user=None,
            ip=ip,
            provider=provider,
            detail="no verified email",
        )
    user = session.exec(select(User).where(sa.func.lower(User.email) == email)).first()
    if user is None:
        raise _refuse(session, SsoRefusal.NO_ACCOUNT, email=email, user=None, ip=ip, provider=provider)
    other = session.exec(
        select(OAuthIdentity.id).where(
            OAuthIdentity.user_id == user.id, OAuthIdentity.issuer == identity.issuer
        )
    ).first()
    if other is not None:
        raise _refuse(
            session,
            SsoRefusal.CONFLICT,
            email=email,
            user=user,
            ip=ip,
            provider=provider,
            detail=f"account already linked to another subject ({_hash(identity.subject)})",
        )
    return user


def _active_account(
    session: Session, user: User | None, *, email: str, ip: str | None, provider: str
) -> User:
    if user is None:  # the identity row outlived its account (cannot happen with the FK)
        raise _refuse(session, SsoRefusal.NO_ACCOUNT, email=email, user=None, ip=ip, provider=provider)
    if not user.is_active:
        raise _refuse(
            session, SsoRefusal.INACTIVE, email=email or user.email, user=user, ip=ip, provider=provider
        )
    return user


def _link_identity(
    session: Session, user: User, identity: OidcIdentity, *, email: str, ip: str | None, provider: str
) -> None:
    assert user.id is not None
    link = OAuthIdentity(
        user_id=user.id, issuer=identity.issuer, subject=identity.subject, email=email or None
    )
    session.add(link)
    session.flush()
    audit.record(
        session,
        principal_or_user_id=user.id,
        role=user.role,
        action=audit.AuditAction.CREATE,
        patient_id=None,
        resource_type="oauth_identity",
        resource_id=link.id,
        ip=ip,
        detail=f"{METHOD}:{provider} linked by verified email",
    )


def _open_session(
    session: Session, user: User, *, client_token: str, ip: str | None, provider: str, user_agent: str | None
) -> None:
    assert user.id is not None
    user.last_login_at = utcnow()
    session.add(user)
    _record(
        session,
        outcome=LoginOutcome.SUCCESS,
        email=user.email,
        user=user,
        ip=ip,
        provider=provider,
        action="login",
        detail="signed in",
    )
    # Commits the whole sign-in (any new link, audit rows, this attempt) with the new session row.
    sessions.create_session(
        session=session, user_id=user.id, client_token=client_token, ip=ip, user_agent=user_agent
    )
