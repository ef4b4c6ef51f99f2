"""/appointments/[appointment_id]/cancel/: cancel with a reason.

Patients may cancel up to 24 hours before the start; staff at any time, with a reason. The page
says which rule applies before the user submits; ``lifecycle.cancel`` enforces it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import reflex as rx
from sqlmodel import Session

from mediconnect.core.permissions import Principal
from mediconnect.features.appointments.common import (
    NOT_YOURS,
    WRITERS,
    Outcome,
    as_local,
    back_link,
    path_id,
    user_call,
    when,
)
from mediconnect.features.appointments.list_state import get
from mediconnect.features.shell.state import private_state
from mediconnect.features.shell.template import page
from mediconnect.models.users import Role

PATIENT_NOTICE = timedelta(hours=24)
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
        self.appointment_id = aid = path_id(self)

        def work(db: Session, p: Principal) -> tuple[Any, Role]:
            from mediconnect.services import appointments_query

            return appointments_query.get_appointment(session=db, principal=p, appointment_id=aid), p.role

        outcome: Outcome[Any] = await user_call(self, work)
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
        self.too_late = self.is_patient and start is not None and start - datetime.now(UTC) < PATIENT_NOTICE
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

        outcome: Outcome[Any] = await user_call(self, work)
        self.busy = False
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if not outcome.ok:
            self.error = outcome.error
            return None
        return rx.redirect(f"/appointments/{aid}/?cancelled=1")


S = CancelState


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.el.label("Reason", html_for="cancel-reason", style={"fontWeight": "500"}),
            rx.text_area(
                id="cancel-reason",
                name="reason",
                placeholder=rx.cond(
                    S.is_patient, "Optional: tell us why, so we can help", "Required for staff"
                ),
                max_length=MAX_REASON,
                rows="3",
                width="100%",
            ),
            rx.cond(
                S.error,
                rx.text(
                    S.error, color=rx.color("red", 11), size="2", role="alert", data_testid="cancel-error"
                ),
            ),
            rx.hstack(
                rx.button(
                    "Cancel appointment",
                    type="submit",
                    color_scheme="red",
                    loading=S.busy,
                    data_testid="cancel-submit",
                ),
                rx.link(
                    rx.button("Keep it", variant="soft", color_scheme="gray", type="button"),
                    href=f"/appointments/{S.appointment_id}/",
                ),
                spacing="2",
                wrap="wrap",
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=S.submit,
        reset_on_submit=False,
        width="100%",
    )


def _body() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Cancel this appointment?", as_="h1", size="6"),
            rx.text(S.service, " at ", S.clinic, size="3", weight="medium"),
            rx.text(S.when_text, size="3"),
            rx.cond(
                S.closed,
                rx.callout(
                    "This appointment can no longer be cancelled.",
                    icon="info",
                    color_scheme="gray",
                    width="100%",
                ),
                rx.cond(
                    S.too_late,
                    rx.callout(
                        "Appointments can be cancelled online up to 24 hours before they start. "
                        "Please call the clinic to cancel or change this one.",
                        icon="clock",
                        color_scheme="amber",
                        width="100%",
                        data_testid="too-late",
                    ),
                    rx.vstack(
                        rx.cond(
                            S.is_patient,
                            rx.text(
                                "You can cancel free of charge up to 24 hours before your appointment. "
                                "The time is then offered to the next person on the waiting list.",
                                size="2",
                            ),
                            rx.text("Cancelling as staff: give a reason; the patient is told.", size="2"),
                        ),
                        _form(),
                        spacing="3",
                        width="100%",
                    ),
                ),
            ),
            spacing="3",
            width="100%",
        ),
        size="3",
        width="100%",
        max_width="40em",
    )


@page(
    route="/appointments/[appointment_id]/cancel/",
    title="Cancel appointment",
    roles=WRITERS,
    on_load=S.load,
)
def cancel_page() -> rx.Component:
    return rx.vstack(
        back_link("Back to the appointment", f"/appointments/{S.appointment_id}/"),
        rx.cond(
            S.loaded,
            rx.cond(
                S.missing,
                rx.callout(
                    S.missing,
                    icon="triangle-alert",
                    color_scheme="amber",
                    width="100%",
                    data_testid="cancel-missing",
                ),
                _body(),
            ),
            rx.center(rx.spinner(size="3"), width="100%", padding="3em"),
        ),
        spacing="4",
        width="100%",
    )
