"""The profile page's state: the signed-in user's own details, nobody else's.

Every handler goes through ``page_call`` (the server-side session, checked now), never
from anything the browser sends: the forms carry values, not ids. Patient records are read
and written through the policy like any other patient data.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import reflex as rx
from sqlmodel import Session

from mediconnect.core.policy import Action, Principal, require_patient
from mediconnect.features.kit.calls import Outcome, client_ip, page_call
from mediconnect.features.shell.state import SessionState, private_state
from mediconnect.models.users import Role
from mediconnect.services import accounts
from mediconnect.services.accounts import AccountError, ProfilePublic
from mediconnect.services.options import Option

ROLE_LABELS = {
    Role.PATIENT: "Patient",
    Role.DOCTOR: "Doctor",
    Role.REFERRING_DOCTOR: "Referring doctor",
    Role.CLINIC_STAFF: "Clinic staff",
    Role.BILLING_STAFF: "Billing staff",
    Role.ANALYTICS_STAFF: "Analytics staff",
    Role.ADMIN: "Administrator",
}


def _text(form: dict[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def _check_own_patient(db: Session, principal: Principal, action: Action) -> None:
    """A patient's profile is patient data: ask the policy like every other surface does."""
    if principal.patient_id is not None:
        require_patient(db, principal=principal, patient_id=principal.patient_id, action=action)


def _errors(outcome: Outcome[Any]) -> dict[str, str]:
    """A form's errors from a refused call: the field the service named, else the whole form."""
    return outcome.errors or {outcome.field or "form": outcome.error}


def _collect_contact_errors(form: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name, label in (("first_name", "first name"), ("last_name", "last name")):
        if not _text(form, name).strip():
            errors[name] = f"Enter your {label}."
    try:
        accounts.validate_phone(_text(form, "phone"))
    except AccountError as exc:
        errors["phone"] = exc.message
    return errors


@private_state
class ProfileState(rx.State):
    loaded: bool = False
    email: str = ""
    role_label: str = ""
    is_patient: bool = False
    date_of_birth: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    address: str = ""
    city: str = ""
    emergency_contact: str = ""
    notify_email: bool = True
    notify_sms: bool = True
    schemes: list[Option] = []
    scheme_code: str = ""
    policy_number: str = ""
    dependant_code: str = ""
    # Bumped after each save so the uncontrolled inputs re-mount with the saved values.
    version: int = 0

    contact_errors: dict[str, str] = {}
    contact_saved: str = ""
    notify_errors: dict[str, str] = {}
    notify_saved: str = ""
    aid_errors: dict[str, str] = {}
    aid_saved: str = ""
    password_errors: dict[str, str] = {}
    password_saved: str = ""
    saving: str = ""

    def _show(self, profile: ProfilePublic) -> None:
        self.email, self.role_label = profile.email, ROLE_LABELS[profile.role]
        self.is_patient = profile.is_patient
        born = profile.date_of_birth
        self.date_of_birth = (
            f"{date.fromisoformat(born).day} {date.fromisoformat(born):%B %Y}" if born else ""
        )
        self.first_name, self.last_name, self.phone = profile.first_name, profile.last_name, profile.phone
        self.address, self.city, self.emergency_contact = (
            profile.address,
            profile.city,
            profile.emergency_contact,
        )
        self.notify_email, self.notify_sms = profile.notify_email, profile.notify_sms
        self.scheme_code = profile.medical_aid_scheme
        self.policy_number = profile.medical_aid_policy_number
        self.dependant_code = profile.medical_aid_dependant_code or "00"
        self.version += 1

    def _clear_messages(self) -> None:
        self.contact_errors, self.notify_errors, self.aid_errors, self.password_errors = {}, {}, {}, {}
        self.contact_saved = self.notify_saved = self.aid_saved = self.password_saved = ""

    @rx.event
    async def load(self):
        ip = client_ip(self)

        def work(db: Session, p: Principal) -> tuple[ProfilePublic, list[Option]]:
            _check_own_patient(db, p, Action.READ)
            profile = accounts.get_profile(session=db, user_id=p.user_id, ip=ip)
            schemes = accounts.list_medical_aid_schemes(session=db) if profile.is_patient else []
            return profile, schemes

        outcome = await page_call(self, work, on_denied="leave")
        if outcome.redirect is not None:
            return outcome.redirect
        self._clear_messages()
        if outcome.value is None:
            self.contact_errors = _errors(outcome)
            return None
        profile, self.schemes = outcome.value
        self._show(profile)
        self.loaded = True
        return None

    @rx.event
    def set_notify_email(self, value: bool):
        self.notify_email = bool(value)

    @rx.event
    def set_notify_sms(self, value: bool):
        self.notify_sms = bool(value)

    @rx.event
    def set_scheme_code(self, value: str):
        self.scheme_code = value

    # ------------------------------------------------------------------ contact details

    @rx.event
    async def save_contact(self, form: dict[str, Any]):
        self._clear_messages()
        errors = _collect_contact_errors(form)
        if errors:
            self.contact_errors = errors
            return
        self.saving = "contact"
        ip = client_ip(self)
        yield

        def work(db: Session, p: Principal) -> ProfilePublic:
            _check_own_patient(db, p, Action.WRITE)
            return accounts.update_profile(
                session=db,
                user_id=p.user_id,
                first_name=_text(form, "first_name"),
                last_name=_text(form, "last_name"),
                phone=_text(form, "phone"),
                address=_text(form, "address"),
                city=_text(form, "city"),
                emergency_contact=_text(form, "emergency_contact"),
                ip=ip,
            )

        outcome = await page_call(self, work, on_denied="leave")
        self.saving = ""
        if outcome.redirect is not None:
            yield outcome.redirect
            return
        if outcome.value is None:
            self.contact_errors = _errors(outcome)
            return
        self._show(outcome.value)
        self.contact_saved = "Your contact details are saved."
        session = await self.get_state(SessionState)
        session.first_name = outcome.value.first_name

    # ------------------------------------------------------------------ notifications

    @rx.event
    async def save_notifications(self):
        self._clear_messages()
        notify_email, notify_sms = self.notify_email, self.notify_sms

        def work(db: Session, p: Principal) -> ProfilePublic:
            return accounts.update_notifications(
                session=db, user_id=p.user_id, notify_email=notify_email, notify_sms=notify_sms
            )

        outcome = await page_call(self, work, on_denied="leave")
        if outcome.redirect is not None:
            yield outcome.redirect
            return
        if outcome.value is None:
            self.notify_errors = _errors(outcome)
            return
        self._show(outcome.value)
        self.notify_saved = "Your notification preferences are saved."

    # ------------------------------------------------------------------ medical aid

    @rx.event
    async def save_medical_aid(self, form: dict[str, Any]):
        self._clear_messages()
        scheme_code, ip = self.scheme_code, client_ip(self)

        def work(db: Session, p: Principal) -> ProfilePublic:
            _check_own_patient(db, p, Action.WRITE)
            return accounts.update_medical_aid(
                session=db,
                user_id=p.user_id,
                scheme_code=scheme_code,
                policy_number=_text(form, "policy_number"),
                dependant_code=_text(form, "dependant_code") or "00",
                ip=ip,
            )

        outcome = await page_call(self, work, on_denied="leave")
        if outcome.redirect is not None:
            yield outcome.redirect
            return
        if outcome.value is None:
            self.aid_errors = _errors(outcome)
            return
        self._show(outcome.value)
        self.aid_saved = (
            "Your medical aid details are saved. The clinic verifies them before your next claim."
        )

    # ------------------------------------------------------------------ password

    @rx.event
    async def change_password(self, form: dict[str, Any]):
        self._clear_messages()
        current, new, confirm = (
            _text(form, "current_password"),
            _text(form, "new_password"),
            _text(form, "confirm_new_password"),
        )
        errors: dict[str, str] = {}
        if not current:
            errors["current_password"] = "Enter your current password."
        if not new:
            errors["new_password"] = "Choose a new password."
        elif new != confirm:
            errors["confirm_new_password"] = "The two new passwords do not match."
        if errors:
            self.password_errors = errors
            return
        self.saving = "password"
        yield
        token = self.router.session.client_token

        def work(db: Session, p: Principal) -> bool:
            accounts.change_password(
                session=db,
                user_id=p.user_id,
                current_password=current,
                new_password=new,
                keep_client_token=token,
            )
            return True

        outcome = await page_call(self, work, on_denied="leave")
        self.saving = ""
        if outcome.redirect is not None:
            yield outcome.redirect
            return
        if outcome.value is None:
            self.password_errors = _errors(outcome)
            return
        self.password_saved = "Your password is changed. Other devices have been signed out."
        self.version += 1  # empties the password fields
