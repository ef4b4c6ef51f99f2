"""/appointments/book/: a patient (or desk staff for a patient) books a scan against live
availability and sees what it costs before confirming."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.booking.book_state import BookState
from mediconnect.features.booking.choice_steps import clinic_step, patient_picker, services_step
from mediconnect.features.booking.summary_parts import preparation_ack, price_breakdown, referral_upload
from mediconnect.features.booking.time_step import alternatives, time_step
from mediconnect.features.kit.layout import page_heading
from mediconnect.features.shell.template import page
from mediconnect.services.booking_for import BOOKERS

S = BookState


def _summary() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Your booking", as_="h2", size="4", weight="bold"),
            rx.cond(
                S.service_id == "",
                rx.text(
                    "Choose a service to see its price and preparation.", size="2", color=rx.color("gray", 11)
                ),
                rx.vstack(
                    rx.text(S.service_name, weight="bold", size="3", data_testid="summary-service"),
                    rx.text(S.service_duration, size="2", color=rx.color("gray", 11)),
                    rx.cond(S.clinic_name, rx.text(S.clinic_name, size="2")),
                    rx.cond(
                        S.selected_label,
                        rx.text(
                            S.day_label,
                            " at ",
                            S.selected_label,
                            size="2",
                            weight="medium",
                            data_testid="summary-when",
                        ),
                        rx.cond(
                            S.clinic_name, rx.text("Choose a time.", size="2", color=rx.color("gray", 11))
                        ),
                    ),
                    spacing="1",
                    width="100%",
                ),
            ),
            rx.cond(
                S.has_quote,
                price_breakdown(),
                rx.cond(
                    S.quote_error,
                    rx.callout(S.quote_error, icon="triangle-alert", color_scheme="red", width="100%"),
                ),
            ),
            rx.cond(S.referral_required, referral_upload()),
            rx.cond((S.preparation != "") | (S.preparation_items.length() > 0), preparation_ack()),
            rx.cond(
                S.error,
                rx.callout(
                    S.error,
                    icon="triangle-alert",
                    color_scheme="red",
                    width="100%",
                    role="alert",
                    data_testid="booking-error",
                ),
            ),
            alternatives(),
            rx.button(
                "Confirm booking",
                on_click=S.confirm,
                size="3",
                width="100%",
                loading=S.busy,
                disabled=(S.selected == "") | (S.is_staff & (S.patient_label == "")),
                data_testid="confirm-booking",
            ),
            rx.text(
                "Nothing is charged online. You pay what is due at your visit.",
                size="1",
                color=rx.color("gray", 10),
            ),
            spacing="4",
            width="100%",
        ),
        size="3",
        width="100%",
        data_testid="booking-summary",
    )


@page(route="/appointments/book/", title="Book a scan", roles=BOOKERS, on_load=BookState.load)
def book_page() -> rx.Component:
    return rx.vstack(
        page_heading(
            "Book a scan",
            "Pick a service, clinic and time. You see what your medical aid pays before you confirm.",
        ),
        rx.cond(
            S.loaded,
            rx.flex(
                rx.vstack(
                    rx.cond(S.is_staff, patient_picker()),
                    services_step(),
                    clinic_step(),
                    time_step(),
                    spacing="4",
                    flex="3 1 28em",
                    min_width="0",
                ),
                rx.box(
                    _summary(),
                    flex="2 1 20em",
                    min_width="0",
                    position=rx.breakpoints(initial="static", md="sticky"),
                    top="1em",
                ),
                spacing="4",
                wrap="wrap",
                align="start",
                width="100%",
            ),
            rx.cond(
                S.error,
                rx.callout(S.error, icon="triangle-alert", color_scheme="red", width="100%"),
                rx.center(rx.spinner(size="3"), width="100%", padding="3em"),
            ),
        ),
        spacing="5",
        width="100%",
    )
