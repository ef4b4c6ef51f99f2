"""The state of /appointments/[appointment_id]/cancel/ (``cancel_page``).

Whether the patient is too late is read from the lifecycle service's rule
(``PATIENT_CANCEL_NOTICE``) to say so before they submit; ``lifecycle.cancel`` enforces it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import reflex as rx
from sqlmodel import Session

from mediconnect.core.policy import Principal
from mediconnect.features.appointments.common import NOT_YOURS
from mediconnect.features.appointments.list_state import get
from mediconnect.features.kit.calls import Outcome, page_call, path_id
from mediconnect.features.kit.format import as_local, when
from mediconnect.features.shell.state import private_state
from mediconnect.models.users import Role
from mediconnect.services.lifecycle import PATIENT_CANCEL_NOTICE

MAX_REASON = 300


@private_state
class CancelState(rx.State):
    loaded: bool = False
    missing: str = ""
    appointment_id: int = 0
    service: str = ""
    when_text: str = ""
    clinic: str = ""
    is_patient: bool = True
    too_late: bool = False
    closed: bool = False
    error: str = ""
    busy: bool = False

    @rx.event
    async def load(self):
        self.reset()
        self.appointment_id = aid = path_id(self, "appointments")

        def work(db: Session, p: Principal) -> tuple[Any, Role]:
            from mediconnect.services import appointments_query

            return appointments_query.get_appointment(session=db, principal=p, appointment_id=aid), p.role

        outcome: Outcome[Any] = await page_call(self, work, denied_text=NOT_YOURS)
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        self.loaded = True
        if not outcome.ok or not aid:
            self.missing = outcome.error or NOT_YOURS
            return None
        found, role = outcome.value
        detail = get(found, "appointment")
        tz = str(get(detail, "timezone", "") or "")
        start = as_local(get(detail, "start"), tz)
        self.service, self.clinic = str(get(detail, "service_name", "")), str(get(detail, "clinic_name", ""))
        self.when_text = when(get(detail, "start"), tz)
        self.is_patient = role is Role.PATIENT
        self.closed = str(get(detail, "status", "")) not in ("booked", "confirmed")
        self.too_late = (
            self.is_patient and start is not None and start - datetime.now(UTC) < PATIENT_CANCEL_NOTICE
        )
        return None

    @rx.event
    async def submit(self, form: dict[str, Any]):
        reason = str(form.get("reason", "") or "").strip()
        if len(reason) > MAX_REASON:
            self.error = f"Please keep the reason under {MAX_REASON} characters."
            return None
        if not self.is_patient and not reason:
            self.error = "Staff cancellations need a reason (it is kept in the appointment's history)."
            return None
        aid = self.appointment_id
        self.busy = True

        def work(db: Session, p: Principal) -> Any:
            from mediconnect.services import lifecycle

            return lifecycle.cancel(session=db, principal=p, appointment_id=aid, reason=reason or None)

        outcome: Outcome[Any] = await page_call(self, work, denied_text=NOT_YOURS)
        self.busy = False
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if not outcome.ok:
            self.error = outcome.error
            return None
        return rx.redirect(f"/appointments/{aid}/?cancelled=1")
