"""The "New staff account" dialog on /admin/users/: its own small workflow state.

A temporary password is shown once, in this dialog, and forgotten when it closes; with the
email option no password exists at all until the new user sets one from the link.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from mediconnect.features.admin.users_state import AdminUsersState
from mediconnect.features.kit.calls import client_ip, page_call
from mediconnect.features.shell.state import private_state
from mediconnect.services import users_admin
from mediconnect.services.users_admin import CreatedStaff


def _text(form: dict[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


@private_state
class CreateStaffState(rx.State):
    open: bool = False
    role: str = "clinic_staff"
    mode: str = "temporary"
    radiologist: bool = False
    errors: dict[str, str] = {}
    saving: bool = False
    # Set once created: the dialog then shows the result instead of the form.
    created_user_id: int = 0
    created_name: str = ""
    created_email: str = ""
    created_password: str = ""
    # Bumped to re-mount the form empty.
    version: int = 0

    @rx.event
    def start(self):
        self.reset()
        self.open = True

    @rx.event
    def set_open(self, value: bool):
        if not value:
            self.reset()  # the temporary password goes with the dialog
        self.open = value

    @rx.event
    def set_role(self, value: str):
        self.role = value
        self.errors = {
            k: v for k, v in self.errors.items() if k not in ("role", "specialization", "license_number")
        }

    @rx.event
    def set_mode(self, value: str):
        self.mode = value if value in ("temporary", "email") else "temporary"

    @rx.event
    def set_radiologist(self, value: bool):
        self.radiologist = bool(value)

    @rx.event
    async def submit(self, form: dict[str, Any]):
        role, send_link, radiologist, ip = self.role, self.mode == "email", self.radiologist, client_ip(self)
        self.saving, self.errors = True, {}
        yield

        def work(db, principal) -> CreatedStaff:  # type: ignore[no-untyped-def]
            return users_admin.create_staff(
                session=db,
                principal=principal,
                role=role,
                email=_text(form, "email"),
                first_name=_text(form, "first_name"),
                last_name=_text(form, "last_name"),
                phone=_text(form, "phone"),
                send_reset_link=send_link,
                specialization=_text(form, "specialization"),
                license_number=_text(form, "license_number"),
                is_radiologist=radiologist,
                ip=ip,
            )

        outcome = await page_call(self, work, on_denied="leave")
        self.saving = False
        if outcome.redirect is not None:
            self.reset()
            yield outcome.redirect
            return
        if outcome.error:
            self.errors = outcome.errors or {"form": outcome.error}
            return
        created = outcome.value
        assert created is not None
        self.created_user_id = created.user.id
        self.created_name = f"{created.user.first_name} {created.user.last_name}"
        self.created_email = created.user.email
        self.created_password = created.temporary_password or ""
        yield AdminUsersState.show_user(created.user.email)
