"""/appointments/list/ state: one page of the caller's appointments with filters.

The service scopes the rows (``appointments_query.list_appointments``: patients their own,
doctors theirs, staff their clinics', admins all); this state only passes the filters on and
keeps the current page of rows. Patient names arrive only for callers the service lets read them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypedDict

import reflex as rx
from sqlmodel import Session

from mediconnect.core.policy import Principal
from mediconnect.features.appointments.common import NOT_YOURS, status_label
from mediconnect.features.kit.calls import Outcome, page_call
from mediconnect.features.kit.format import short_when
from mediconnect.features.kit.paging import PagedList
from mediconnect.features.shell.state import private_state
from mediconnect.models.appointments import AppointmentStatus
from mediconnect.models.users import Role
from mediconnect.services import booking_choices
from mediconnect.services.options import Option
from mediconnect.services.zones import default_zone

PAGE_SIZE = 20
STAFF_ROLES = (Role.ADMIN, Role.CLINIC_STAFF, Role.DOCTOR, Role.BILLING_STAFF, Role.REFERRING_DOCTOR)


class Row(TypedDict):
    id: int
    when: str
    service: str
    clinic: str
    patient: str
    status: str
    status_label: str


STATUS_OPTIONS: list[Option] = [Option(value="all", label="Any status")] + [
    Option(value=s.value, label=status_label(s.value)) for s in AppointmentStatus
]


def get(row: Any, name: str, default: Any = None) -> Any:
    """A field of a service row (a pydantic model, a dataclass or a dict)."""
    if isinstance(row, dict):
        return row.get(name, default)
    return getattr(row, name, default)


def to_row(row: Any) -> Row:
    status = str(get(row, "status", ""))
    return Row(
        id=int(get(row, "id")),
        when=short_when(get(row, "start"), get(row, "timezone")),
        service=str(get(row, "service_name", "")),
        clinic=str(get(row, "clinic_name", "")),
        patient=str(get(row, "patient_name", "") or ""),
        status=status,
        status_label=status_label(status),
    )


def _day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@private_state
class AppointmentListState(PagedList, rx.State):
    loaded: bool = False
    rows: list[Row] = []
    is_staff: bool = False
    date_from: str = ""
    date_to: str = ""
    clinic: str = "all"
    doctor: str = "all"
    status: str = "all"
    # The patient search stays on the server: what a caller typed is never echoed back in state.
    _patient_text: str = ""
    # Bumped to re-mount the filter form (empty) after Clear.
    form_version: int = 0
    clinic_options: list[Option] = []
    doctor_options: list[Option] = []
    error: str = ""

    async def _fetch(self, *, with_options: bool = False):  # type: ignore[no-untyped-def]
        start, end = _day(self.date_from), _day(self.date_to)
        if (self.date_from and start is None) or (self.date_to and end is None):
            self.error = "Dates must look like 2026-11-21."
            return None
        if start and end and end < start:
            self.error = "The 'to' date is before the 'from' date."
            return None
        clinic = int(self.clinic) if self.clinic.isdigit() else None
        doctor = int(self.doctor) if self.doctor.isdigit() else None
        status = None if self.status == "all" else self.status
        text, page = self._patient_text, self.page

        def work(db: Session, p: Principal) -> tuple[Any, Any, Any]:
            from mediconnect.services import appointments_query as q

            found = q.list_appointments(
                session=db,
                principal=p,
                date_from=start,
                date_to=end,
                clinic_id=clinic,
                doctor_id=doctor,
                status=status,
                patient_query=(text or None) if p.role is not Role.PATIENT else None,
                page=page,
                page_size=PAGE_SIZE,
                # Looking back (the range ends before today): the most recent first.
                newest_first=end is not None and end < datetime.now(default_zone()).date(),
            )
            options = None
            if with_options:
                options = (
                    p.role in STAFF_ROLES,
                    booking_choices.filter_clinics(session=db, principal=p),
                    booking_choices.filter_doctors(session=db, principal=p),
                )
            return found, options, None

        outcome: Outcome[Any] = await page_call(self, work, denied_text=NOT_YOURS)
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if not outcome.ok:
            self.error = outcome.error
            return None
        found, options, _ = outcome.value
        if options is not None:
            self.is_staff = options[0]
            self.clinic_options = [Option(value="all", label="All clinics")] + [
                Option(value=str(c["id"]), label=c["name"]) for c in options[1]
            ]
            self.doctor_options = [Option(value="all", label="All doctors")] + [
                Option(value=str(d["id"]), label=d["name"]) for d in options[2]
            ]
        rows = list(get(found, "rows", []) or [])
        self.total = int(get(found, "total", len(rows)) or 0)
        self.pages = max(1, -(-self.total // PAGE_SIZE))
        self.rows = [to_row(r) for r in rows]
        self.error, self.loaded = "", True
        return None

    @rx.event
    async def load(self):
        self.reset()
        # Upcoming first: the list opens at today (clear the dates to see the past too).
        self.date_from = datetime.now(default_zone()).date().isoformat()
        return await self._fetch(with_options=True)

    @rx.event
    async def apply(self, form: dict[str, Any]):
        self.date_from = str(form.get("date_from", "") or "")[:10]
        self.date_to = str(form.get("date_to", "") or "")[:10]
        self._patient_text = str(form.get("patient_text", "") or "").strip()[:80]
        self.page = 1
        return await self._fetch()

    @rx.event
    async def set_clinic(self, value: str):
        self.clinic, self.page = str(value), 1
        return await self._fetch()

    @rx.event
    async def set_doctor(self, value: str):
        self.doctor, self.page = str(value), 1
        return await self._fetch()

    @rx.event
    async def set_status(self, value: str):
        self.status, self.page = str(value), 1
        return await self._fetch()

    @rx.event
    async def clear(self):
        self.date_from = self.date_to = self._patient_text = ""
        self.form_version += 1
        self.clinic = self.doctor = self.status = "all"
        self.page = 1
        return await self._fetch()
