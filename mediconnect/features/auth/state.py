"""States of the sign-in pages: one flat state per page (ARCHITECTURE convention 3).

Handlers hold no rules: they read the form, call services.accounts / services.sessions
(slow argon2 work off the event loop, in a thread) and show the result. Who is signed in
lives only in SessionState's backend vars and the server-side session row.
"""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from mediconnect.core.db import session_scope
from mediconnect.core.settings import get_settings
from mediconnect.features.kit.calls import client_ip
from mediconnect.features.shell.state import SessionState, login_url, safe_next
from mediconnect.models.users import Role, UserPublic
from mediconnect.services import accounts, sso
from mediconnect.services.accounts import AccountError, LoginResult
from mediconnect.services.mailer import MailError

AFTER_SIGN_IN = "/dashboard/"

NOTICES = {
    "signed_out": ("info", "You are signed out."),
    "ended": (
        "info",
        "Your session ended: you were inactive for a while, or signed out elsewhere. Please sign in again.",
    ),
    "reset": ("success", "Your password has been changed. Sign in with the new password."),
    "required": ("info", "Please sign in to continue."),
}


def _text(form: dict[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def _authenticate(email: str, password: str, ip: str | None) -> LoginResult:
    with session_scope() as db:
        return accounts.authenticate(session=db, email=email, password=password, ip=ip)


class LoginState(rx.State):
    errors: dict[str, str] = {}
    form_error: str = ""
    notice: str = ""
    notice_kind: str = "info"
    submitting: bool = False
    # What the visitor typed, put back after a failed attempt.
    email: str = ""
    # "Sign in with <this>"; empty hides the single sign-on button (OIDC not configured).
    sso_label: str = ""

    @rx.event
    async def load(self):
        self.errors, self.form_error, self.submitting = {}, "", False
        settings = get_settings()
        self.sso_label = settings.oidc_provider_label if settings.oidc_enabled else ""
        reason = self.router.url.query_parameters.get("reason", "")
        if not reason and self.router.url.query_parameters.get("next"):
            reason = "required"
        self.notice_kind, self.notice = NOTICES.get(reason, ("info", ""))
        self.form_error = sso.message_for(reason) or ""
        session = await self.get_state(SessionState)
        if session._user_id is not None:
            return rx.redirect(self._next(), replace=True)
        return None

    def _next(self) -> str:
        return safe_next(self.router.url.query_parameters.get("next")) or AFTER_SIGN_IN

    @rx.event
    async def submit(self, form: dict[str, Any]):
        email, password = _text(form, "email").strip(), _text(form, "password")
        self.email = email
        self.notice, self.form_error = "", ""
        errors = {}
        if not email:
            errors["email"] = "Enter your email address."
        if not password:
            errors["password"] = "Enter your password."
        self.errors = errors
        if errors:
            return
        self.submitting = True
        yield
        ip = client_ip(self)
        result = await asyncio.to_thread(_authenticate, email, password, ip)
        self.submitting = False
        if not result.ok or result.user is None:
            self.form_error = result.message
            return
        session = await self.get_state(SessionState)
        session._start_session(result.user)
        self.email = ""
        yield rx.redirect(self._next(), replace=True)
        yield SessionState.load_session

    @rx.event
    def start_sso(self):
        """Single sign-on for THIS tab: a signed binding of its client token goes into a cookie
        that only /api/auth/oidc/ sees, then the tab loads the start route (services.sso)."""
        self.form_error = ""
        if not get_settings().oidc_enabled:
            self.sso_label = ""
            self.form_error = sso.MESSAGES[sso.SsoRefusal.UNAVAILABLE]
            return None
        binding = sso.bind_tab(self.router.session.client_token)
        return rx.call_script(sso.binding_script(binding))


# --------------------------------------------------------------------------- registration


def _register(role: str, form: dict[str, Any], ip: str | None) -> tuple[dict[str, str], UserPublic | None]:
    errors: dict[str, str] = {}
    try:
        dob = accounts.parse_date(_text(form, "date_of_birth")) if role == Role.PATIENT else None
    except AccountError as exc:
        errors[exc.field or "form"] = exc.message
        dob = None
    common = {
        "email": _text(form, "email"),
        "password": _text(form, "password"),
        "first_name": _text(form, "first_name"),
        "last_name": _text(form, "last_name"),
        "phone": _text(form, "phone") or None,
    }
    with session_scope() as db:
        found = accounts.registration_errors(
            session=db,
            role=role,
            date_of_birth=dob,
            practice_name=_text(form, "practice_name"),
            practice_number=_text(form, "practice_number"),
            **common,
        )
        for key, message in found.items():
            errors.setdefault(key, message)
        if "password" not in errors and _text(form, "confirm_password") != common["password"]:
            errors["confirm_password"] = "The two passwords do not match."
        if role == Role.PATIENT and "date_of_birth" not in errors and dob is None:
            errors["date_of_birth"] = "Enter your date of birth."
        if errors:
            return errors, None
        try:
            if role == Role.PATIENT:
                user = accounts.register_patient(session=db, date_of_birth=dob, ip=ip, **common)
            else:
                user = accounts.register_referring_doctor(
                    session=db,
                    practice_name=_text(form, "practice_name"),
                    practice_number=_text(form, "practice_number"),
                    specialization=_text(form, "specialization") or None,
                    ip=ip,
                    **common,
                )
        except AccountError as exc:
            return {exc.field or "form": exc.message}, None
    return {}, user


class RegisterState(rx.State):
    role: str = Role.PATIENT.value
    errors: dict[str, str] = {}
    submitting: bool = False

    @rx.event
    def load(self):
        self.errors, self.submitting = {}, False

    @rx.event
    def set_role(self, value: str):
        if value in (Role.PATIENT.value, Role.REFERRING_DOCTOR.value):
            self.role = value
            self.errors = {}

    @rx.event
    async def submit(self, form: dict[str, Any]):
        self.submitting = True
        yield
        ip = client_ip(self)
        errors, user = await asyncio.to_thread(_register, self.role, form, ip)
        self.submitting = False
        self.errors = errors
        if user is None:
            if "form" not in errors:
                errors["form"] = "Please correct the fields marked below."
                self.errors = errors
            return
        session = await self.get_state(SessionState)
        session._start_session(user)
        yield rx.redirect(AFTER_SIGN_IN, replace=True)
        yield SessionState.load_session


# --------------------------------------------------------------------------- password reset


def _start_reset(email: str) -> None:
    with session_scope() as db:
        accounts.start_password_reset(session=db, email=email)


class ResetRequestState(rx.State):
    errors: dict[str, str] = {}
    form_error: str = ""
    sent_to: str = ""
    submitting: bool = False

    @rx.event
    def load(self):
        self.errors, self.form_error, self.sent_to, self.submitting = {}, "", "", False

    @rx.event
    async def submit(self, form: dict[str, Any]):
        email = _text(form, "email").strip()
        self.form_error = ""
        try:
            email = accounts.validate_email(email)
        except AccountError as exc:
            self.errors = {"email": exc.message}
            return
        self.errors, self.submitting = {}, True
        yield
        try:
            await asyncio.to_thread(_start_reset, email)
        except MailError:
            self.form_error = "We could not send the email just now. Please try again in a few minutes."
            return
        finally:
            self.submitting = False
        # The same answer whether or not the address has an account.
        self.sent_to = email


def _check_token(token: str) -> str:
    with session_scope() as db:
        try:
            accounts.check_reset_token(session=db, token=token)
        except AccountError as exc:
            return exc.message
    return ""


def _finish_reset(token: str, password: str) -> dict[str, str]:
    with session_scope() as db:
        try:
            accounts.finish_password_reset(session=db, token=token, new_password=password)
        except AccountError as exc:
            return {exc.field or "form": exc.message}
    return {}


class ResetFinishState(rx.State):
    _token: str = ""
    checked: bool = False
    link_error: str = ""
    errors: dict[str, str] = {}
    submitting: bool = False

    def _path_token(self) -> str:
        parts = [p for p in self.router.url.path.split("/") if p]
        return parts[1] if len(parts) >= 2 and parts[0] == "password-reset" else ""

    @rx.event
    async def load(self):
        self._token = self._path_token()
        self.errors, self.submitting, self.checked = {}, False, False
        self.link_error = await asyncio.to_thread(_check_token, self._token)
        self.checked = True

    @rx.event
    async def submit(self, form: dict[str, Any]):
        password, confirm = _text(form, "password"), _text(form, "confirm_password")
        if not password:
            self.errors = {"password": "Choose a new password."}
            return
        if password != confirm:
            self.errors = {"confirm_password": "The two passwords do not match."}
            return
        self.errors, self.submitting = {}, True
        yield
        errors = await asyncio.to_thread(_finish_reset, self._token, password)
        self.submitting = False
        if "form" in errors:
            # The link went bad meanwhile (expired or used): show it as the link's problem.
            self.link_error = errors["form"]
            return
        if errors:
            self.errors = errors
            return
        session = await self.get_state(SessionState)
        session._apply(None)
        yield rx.redirect(login_url(reason="reset"), replace=True)
