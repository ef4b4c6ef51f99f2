"""/admin/users/ state: one page of the user table, its filters, and the row actions
(deactivate, reactivate, change role). Creating staff and affiliations have their own states.

Only the current page of rows reaches the browser. Every handler that reads or changes users
goes through ``page_call`` (server-side session + Principal, and the service's own admin
check); a non-admin calling any of them by name gets nothing back, and is on the record.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from mediconnect.features.kit.calls import client_ip, page_call
from mediconnect.features.kit.paging import PagedList
from mediconnect.features.shell.state import private_state
from mediconnect.models.users import Role
from mediconnect.services import affiliations_admin, users_admin
from mediconnect.services.options import Option
from mediconnect.services.users_admin import UserPage, UserRow

PAGE_SIZE = 20
ROLE_OPTIONS: list[Option] = [Option(value="all", label="All roles")] + [
    Option(value=r.value, label=users_admin.ROLE_LABELS[r]) for r in Role
]
STAFF_ROLE_OPTIONS: list[Option] = [
    Option(value=r.value, label=users_admin.ROLE_LABELS[r]) for r in users_admin.STAFF_ROLES
]
STATUS_OPTIONS: list[Option] = [
    Option(value="all", label="Active and inactive"),
    Option(value="active", label="Active only"),
    Option(value="inactive", label="Inactive only"),
]
STAFF_ROLE_VALUES = [r.value for r in users_admin.STAFF_ROLES]


def _text(form: dict[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


@private_state
class AdminUsersState(PagedList, rx.State):
    loaded: bool = False
    rows: list[UserRow] = []
    text: str = ""
    role_filter: str = "all"
    status_filter: str = "all"
    clinic_filter: str = "all"
    sort: str = "name"
    descending: bool = False
    clinic_options: list[Option] = []
    # Bumped to re-mount the search box with ``text`` (after a create shows the new user).
    search_version: int = 0

    notice: str = ""
    notice_kind: str = "success"
    list_error: str = ""

    # Deactivate / reactivate confirmation.
    confirm_open: bool = False
    confirm_action: str = ""
    confirm_user_id: int = 0
    confirm_name: str = ""
    busy: bool = False

    # Change-role dialog.
    role_open: bool = False
    role_user_id: int = 0
    role_name: str = ""
    role_current: str = ""
    role_choice: str = ""
    role_errors: dict[str, str] = {}

    # ------------------------------------------------------------------ listing

    def _say(self, message: str, kind: str = "success") -> None:
        self.notice, self.notice_kind = message, kind

    def _deny(self, outcome: Any):  # type: ignore[no-untyped-def]
        self.reset()
        return outcome.redirect

    def _row(self, user_id: int) -> UserRow | None:
        return next((r for r in self.rows if r["id"] == user_id), None)

    async def _fetch(self, *, with_clinics: bool = False):  # type: ignore[no-untyped-def]
        text, page, ip = self.text, self.page, client_ip(self)
        role = None if self.role_filter == "all" else self.role_filter
        active = {"active": True, "inactive": False}.get(self.status_filter)
        clinic = int(self.clinic_filter) if self.clinic_filter.isdigit() else None
        sort, descending = self.sort, self.descending

        def work(db, principal) -> tuple[UserPage, list[Option] | None]:  # type: ignore[no-untyped-def]
            found = users_admin.list_users(
                session=db,
                principal=principal,
                text=text,
                role=role,
                active=active,
                clinic_id=clinic,
                sort=sort,
                descending=descending,
                page=page,
                page_size=PAGE_SIZE,
                ip=ip,
            )
            clinics = (
                affiliations_admin.clinic_options(session=db, principal=principal) if with_clinics else None
            )
            return found, clinics

        outcome = await page_call(self, work, on_denied="leave")
        if outcome.redirect is not None:
            return self._deny(outcome)
        if outcome.error:
            self.list_error = outcome.error
            return None
        assert outcome.value is not None
        result, clinics = outcome.value
        if clinics is not None:
            self.clinic_options = [Option(value="all", label="All clinics"), *clinics]
        self.list_error = ""
        self.rows = result.rows
        self._show_page(result.total, result.page, result.pages)
        self.loaded = True
        return None

    @rx.event
    async def load(self):
        self.reset()
        return await self._fetch(with_clinics=True)

    @rx.event
    async def refresh(self):
        return await self._fetch()

    @rx.event
    async def search(self, form: dict[str, Any]):
        self.text, self.page, self.notice = _text(form, "text").strip(), 1, ""
        return await self._fetch()

    @rx.event
    async def show_user(self, email: str):
        """After a create: list just the new account."""
        self.text, self.page = email, 1
        self.role_filter = self.status_filter = self.clinic_filter = "all"
        self.search_version += 1
        return await self._fetch()

    @rx.event
    async def set_role_filter(self, value: str):
        self.role_filter, self.page = value, 1
        return await self._fetch()

    @rx.event
    async def set_status_filter(self, value: str):
        self.status_filter, self.page = value, 1
        return await self._fetch()

    @rx.event
    async def set_clinic_filter(self, value: str):
        self.clinic_filter, self.page = value, 1
        return await self._fetch()

    @rx.event
    async def sort_by(self, column: str):
        if column not in users_admin.SORTS:
            return None
        self.descending = not self.descending if self.sort == column else column == "last_login"
        self.sort, self.page = column, 1
        return await self._fetch()

    # ------------------------------------------------------------------ deactivate / reactivate

    @rx.event
    def ask(self, action: str, user_id: int):
        """Open the confirmation for a row on this page (nothing is read or changed yet)."""
        row = self._row(user_id)
        if row is None or action not in ("deactivate", "reactivate"):
            self._say("Find the user in the list first.", "error")
            return
        self.confirm_action, self.confirm_user_id, self.confirm_name = action, user_id, row["name"]
        self.confirm_open = True

    @rx.event
    def set_confirm_open(self, value: bool):
        if not value:
            self.cancel_confirm()

    @rx.event
    def set_role_open(self, value: bool):
        if not value:
            self.close_role()

    @rx.event
    def cancel_confirm(self):
        self.confirm_open, self.confirm_action, self.confirm_user_id, self.confirm_name = False, "", 0, ""

    @rx.event
    async def confirm(self):
        action, user_id, name, ip = (
            self.confirm_action,
            self.confirm_user_id,
            self.confirm_name,
            client_ip(self),
        )
        if action not in ("deactivate", "reactivate") or not user_id:
            self.cancel_confirm()
            return
        self.busy = True
        yield
        fn = users_admin.deactivate if action == "deactivate" else users_admin.reactivate
        outcome = await page_call(
            self, lambda db, p: fn(session=db, principal=p, user_id=user_id, ip=ip), on_denied="leave"
        )
        self.busy = False
        self.cancel_confirm()
        if outcome.redirect is not None:
            yield self._deny(outcome)
            return
        if outcome.error:
            self._say(outcome.error, "error")
        elif action == "deactivate":
            self._say(f"{name} is deactivated: their sessions and API tokens have ended.")
        else:
            self._say(f"{name} is active again and can sign in.")
        yield AdminUsersState.refresh

    # ------------------------------------------------------------------ change role

    @rx.event
    def open_role(self, user_id: int):
        row = self._row(user_id)
        if row is None:
            self._say("Find the user in the list first.", "error")
            return
        if row["role"] not in STAFF_ROLE_VALUES:
            self._say(f"{row['role_label']}s register themselves; their role cannot change.", "error")
            return
        self.role_user_id, self.role_name, self.role_current = user_id, row["name"], row["role_label"]
        self.role_choice, self.role_errors, self.role_open = row["role"], {}, True

    @rx.event
    def close_role(self):
        self.role_open, self.role_user_id, self.role_errors = False, 0, {}

    @rx.event
    def set_role_choice(self, value: str):
        self.role_choice, self.role_errors = value, {}

    @rx.event
    async def save_role(self, form: dict[str, Any]):
        user_id, role, name, ip = self.role_user_id, self.role_choice, self.role_name, client_ip(self)
        if not user_id:
            return self.close_role()
        speciality, licence = _text(form, "specialization"), _text(form, "license_number")
        outcome = await page_call(
            self,
            lambda db, p: users_admin.assign_role(
                session=db,
                principal=p,
                user_id=user_id,
                role=role,
                specialization=speciality,
                license_number=licence,
                ip=ip,
            ),
            on_denied="leave",
        )
        if outcome.redirect is not None:
            return self._deny(outcome)
        if outcome.error:
            self.role_errors = outcome.errors or {"role": outcome.error}
            return None
        self.close_role()
        label = users_admin.ROLE_LABELS[Role(role)].lower()
        self._say(f"{name} is now {label}. They were signed out and sign in again with the new role.")
        return await self._fetch()
