"""/manage/services/ state: one page of the service catalogue, and the add/edit dialog.

Only the current page of services reaches the browser. Every data handler goes through
``page_call`` (the tab's server-side session, a fresh Principal, and the service's own
admin check, which audits a refusal); a non-admin calling them by name gets nothing.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from mediconnect.features.kit.calls import page_call
from mediconnect.features.kit.paging import PagedList
from mediconnect.features.shell.state import private_state
from mediconnect.services import catalog_admin
from mediconnect.services.catalog_admin import ServicePage, ServiceRow

PAGE_SIZE = 15
EMPTY_FORM: dict[str, Any] = {
    "code": "",
    "name": "",
    "category": "diagnostics",
    "modality": "xray",
    "department_name": "Radiology",
    "duration_minutes": "15",
    "price": "",
    "cost": "0.00",
    "preparation": "",
    "preparation_items": "",
    "fasting_hours": "0",
    "room_type": "imaging",
    "requires_equipment": False,
    "referral_required": False,
}


@private_state
class ManageServicesState(PagedList, rx.State):
    loaded: bool = False
    rows: list[ServiceRow] = []
    search_text: str = ""
    show_inactive: bool = True
    notice: str = ""
    list_error: str = ""

    edit_open: bool = False
    edit_id: int = 0
    edit_values: dict[str, Any] = EMPTY_FORM
    edit_errors: dict[str, str] = {}
    form_version: int = 0
    busy: bool = False

    async def _fetch(self):  # type: ignore[no-untyped-def]
        search, page, inactive = self.search_text, self.page, self.show_inactive

        def work(db, principal) -> ServicePage:  # type: ignore[no-untyped-def]
            return catalog_admin.list_services(
                session=db,
                principal=principal,
                search=search,
                include_inactive=inactive,
                page=page,
                page_size=PAGE_SIZE,
            )

        outcome = await page_call(self, work, on_denied="leave")
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if outcome.error or outcome.value is None:
            self.list_error = outcome.error
            return None
        found = outcome.value
        self.rows = found.rows
        self._show_page(found.total, found.page, found.pages)
        self.list_error, self.loaded = "", True
        return None

    @rx.event
    async def load(self):
        self.reset()
        return await self._fetch()

    @rx.event
    async def search(self, form: dict[str, Any]):
        value = form.get("search", "")
        self.search_text, self.page, self.notice = (
            (value if isinstance(value, str) else "").strip()[:80],
            1,
            "",
        )
        return await self._fetch()

    @rx.event
    async def set_show_inactive(self, value: bool):
        self.show_inactive, self.page = bool(value), 1
        return await self._fetch()

    # ------------------------------------------------------------------ dialog

    @rx.event
    def open_new(self):
        self.edit_id, self.edit_values, self.edit_errors = 0, dict(EMPTY_FORM), {}
        self.form_version += 1
        self.edit_open = True

    @rx.event
    def open_edit(self, service_id: int):
        """Edit a service already on the caller's page (nothing is read from the database)."""
        row = next((r for r in self.rows if r["id"] == service_id), None)
        if row is None:
            self.notice = ""
            self.list_error = "Find the service in the list first."
            return
        values: dict[str, Any] = {k: v for k, v in row.items() if k in EMPTY_FORM}
        values["preparation_items"] = "\n".join(row["preparation_items"])
        values["duration_minutes"] = str(row["duration_minutes"])
        values["fasting_hours"] = str(row["fasting_hours"])
        self.edit_id, self.edit_values, self.edit_errors = service_id, values, {}
        self.form_version += 1
        self.edit_open = True

    @rx.event
    def set_edit_open(self, value: bool):
        if not value:
            self.edit_open, self.edit_id, self.edit_errors = False, 0, {}

    @rx.event
    async def save(self, form: dict[str, Any]):
        service_id = self.edit_id
        self.busy = True
        yield

        def work(db, principal) -> ServiceRow:  # type: ignore[no-untyped-def]
            if service_id:
                return catalog_admin.update_service(
                    session=db, principal=principal, service_id=service_id, form=form
                )
            return catalog_admin.create_service(session=db, principal=principal, form=form)

        outcome = await page_call(self, work, on_denied="leave")
        self.busy = False
        if outcome.redirect is not None:
            self.reset()
            yield outcome.redirect
            return
        if outcome.error or outcome.value is None:
            self.edit_errors = outcome.errors or {"form": outcome.error}
            return
        saved = outcome.value
        self.edit_open, self.edit_id, self.edit_errors = False, 0, {}
        self.notice = f"Saved {saved['name']} ({saved['code']})."
        if not service_id:
            self.search_text, self.page = saved["code"], 1
        yield await self._fetch()

    @rx.event
    async def set_active(self, service_id: int, active: bool):
        def work(db, principal) -> ServiceRow:  # type: ignore[no-untyped-def]
            return catalog_admin.set_service_active(
                session=db, principal=principal, service_id=int(service_id), active=bool(active)
            )

        outcome = await page_call(self, work, on_denied="leave")
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if outcome.error or outcome.value is None:
            self.list_error = outcome.error
            return None
        row = outcome.value
        self.notice = (
            f"{row['name']} is {'active again' if row['is_active'] else 'deactivated: no new bookings'}."
        )
        return await self._fetch()
