"""/appointments/[appointment_id]/cancel/: cancel with a reason.

Patients may cancel up to 24 hours before the start; staff at any time, with a reason. The page
says which rule applies before the user submits; ``lifecycle.cancel`` enforces it.
"""

from __future__ import annotations

import reflex as rx

from mediconnect.features.appointments.cancel_state import MAX_REASON, CancelState
from mediconnect.features.appointments.common import WRITERS
from mediconnect.features.kit.layout import back_link
from mediconnect.features.kit.notices import missing_callout, object_frame
from mediconnect.features.shell.template import page

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
        object_frame(
            S.loaded, S.missing, _body(), when_missing=missing_callout(S.missing, test_id="cancel-missing")
        ),
        spacing="4",
        width="100%",
    )
