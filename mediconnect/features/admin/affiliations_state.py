"""The "Clinics and assignments" dialog on /admin/users/: one user's affiliations.

The user id the browser sends only says which user the admin means; whether the caller may
see or change it is decided on the server by ``page_call`` and the service, every time.
"""

from __future__ import annotations

import reflex as rx

from mediconnect.features.admin.users_state import AdminUsersState
from mediconnect.features.kit.calls import client_ip, page_call
from mediconnect.features.shell.state import private_state
from mediconnect.services import affiliations_admin
from mediconnect.services.affiliations_admin import AffiliationRow, Affiliations
from mediconnect.services.options import Option
from mediconnect.services.users_admin import ROLE_LABELS


@private_state
class AffiliationsState(rx.State):
    open: bool = False
    user_id: int = 0
    name: str = ""
    role_label: str = ""
    kind: str = ""
    rows: list[AffiliationRow] = []
    role_choices: list[Option] = []
    takes_doctors: bool = False
    clinics: list[Option] = []
    doctors: list[Option] = []
    clinic_choice: str = ""
    clinic_role: str = ""
    primary: bool = False
    doctor_choice: str = ""
    errors: dict[str, str] = {}
    notice: str = ""
    saving: bool = False
    # The row waiting for "Confirm remove".
    pending_remove: str = ""

    def _show(self, view: Affiliations) -> None:
        self.user_id, self.name = view.user_id, view.name
        self.role_label, self.kind = ROLE_LABELS[view.role], view.kind
        self.rows, self.role_choices, self.takes_doctors = view.rows, view.role_choices, view.takes_doctors
        if self.clinic_role not in {o["value"] for o in view.role_choices}:
            self.clinic_role = view.role_choices[0]["value"] if view.role_choices else ""

    @rx.event
    async def open_for(self, user_id: int):
        self.reset()
        ip = client_ip(self)

        def work(db, principal):  # type: ignore[no-untyped-def]
            view = affiliations_admin.affiliations(session=db, principal=principal, user_id=user_id, ip=ip)
            clinics = affiliations_admin.clinic_options(session=db, principal=principal)
            doctors = (
                affiliations_admin.doctor_options(session=db, principal=principal)
                if view.takes_doctors
                else []
            )
            return view, clinics, doctors

        outcome = await page_call(self, work, on_denied="leave")
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if outcome.error:
            admin_list = await self.get_state(AdminUsersState)
            admin_list.notice, admin_list.notice_kind = outcome.error, "error"
            return None
        assert outcome.value is not None
        view, self.clinics, self.doctors = outcome.value
        self._show(view)
        self.open = True
        return None

    @rx.event
    def set_open(self, value: bool):
        if not value:
            self.reset()
            return AdminUsersState.refresh  # the Clinics column may have changed
        return None

    @rx.event
    def set_clinic_choice(self, value: str):
        self.clinic_choice, self.errors = value, {}

    @rx.event
    def set_clinic_role(self, value: str):
        self.clinic_role, self.errors = value, {}

    @rx.event
    def set_primary(self, value: bool):
        self.primary = bool(value)

    @rx.event
    def set_doctor_choice(self, value: str):
        self.doctor_choice, self.errors = value, {}

    async def _change(self, work, message: str):  # type: ignore[no-untyped-def]
        self.errors, self.notice, self.saving = {}, "", True
        outcome = await page_call(self, work, on_denied="leave")
        self.saving = False
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if outcome.error:
            self.errors = outcome.errors or {"form": outcome.error}
            return None
        assert outcome.value is not None
        self._show(outcome.value)
        self.notice = message
        return None

    @rx.event
    async def add_clinic(self):
        user_id, role, primary, ip = self.user_id, self.clinic_role, self.primary, client_ip(self)
        clinic_id = int(self.clinic_choice) if self.clinic_choice.isdigit() else None
        label = next((o["label"] for o in self.clinics if o["value"] == self.clinic_choice), "the clinic")
        result = await self._change(
            lambda db, p: affiliations_admin.add_clinic(
                session=db,
                principal=p,
                user_id=user_id,
                clinic_id=clinic_id,
                role=role,
                is_primary=primary,
                ip=ip,
            ),
            f"Added {label}.",
        )
        if not self.errors:
            self.clinic_choice, self.primary = "", False
        return result

    @rx.event
    async def add_doctor(self):
        user_id, ip = self.user_id, client_ip(self)
        doctor_id = int(self.doctor_choice) if self.doctor_choice.isdigit() else None
        result = await self._change(
            lambda db, p: affiliations_admin.add_doctor(
                session=db, principal=p, user_id=user_id, doctor_id=doctor_id, ip=ip
            ),
            "Assigned to the doctor's accounts.",
        )
        if not self.errors:
            self.doctor_choice = ""
        return result

    @rx.event
    def ask_remove(self, key: str):
        self.pending_remove, self.notice, self.errors = key, "", {}

    @rx.event
    def cancel_remove(self):
        self.pending_remove = ""

    @rx.event
    async def remove(self):
        user_id, key, ip = self.user_id, self.pending_remove, client_ip(self)
        self.pending_remove = ""
        if not key:
            return None
        return await self._change(
            lambda db, p: affiliations_admin.remove_affiliation(
                session=db, principal=p, user_id=user_id, key=key, ip=ip
            ),
            "Removed: it no longer applies from today.",
        )
