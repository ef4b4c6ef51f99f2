"""The booking page's first steps: the numbered step card, who the booking is for (staff), the
service (grouped by modality) and the clinic."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.booking.book_state import BookState
from mediconnect.features.booking.views import ServiceCard, ServiceGroup

S = BookState


def step(number: str, title: str, *children: rx.Component, test_id: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.badge(number or rx.icon("user", size=12), variant="solid", radius="full", size="2"),
                rx.heading(title, as_="h2", size="4", weight="bold"),
                spacing="2",
                align="center",
            ),
            *children,
            spacing="3",
            width="100%",
        ),
        size="2",
        width="100%",
        data_testid=test_id,
    )


def _service_card(card: ServiceCard) -> rx.Component:
    chosen = S.service_id == card["id"]
    return rx.el.button(
        rx.vstack(
            rx.text(card["name"], weight="bold", size="3", text_align="left"),
            rx.hstack(
                rx.text(card["duration"], size="2", color=rx.color("gray", 11)),
                rx.text("·", size="2", color=rx.color("gray", 9)),
                rx.text(card["price"], size="2", weight="medium"),
                spacing="2",
                wrap="wrap",
            ),
            rx.cond(
                card["referral_required"],
                rx.badge(
                    rx.icon("file-text", size=12), "Referral required", color_scheme="amber", variant="soft"
                ),
            ),
            rx.cond(
                card["preparation"],
                rx.text(
                    card["preparation"],
                    size="1",
                    color=rx.color("gray", 11),
                    text_align="left",
                    no_of_lines=2,
                ),
            ),
            spacing="1",
            align="start",
            width="100%",
        ),
        on_click=S.choose_service(card["id"]),
        type="button",
        aria_pressed=chosen,
        data_testid="service-option",
        style={
            "width": "100%",
            "textAlign": "left",
            "display": "flex",
            "alignItems": "flex-start",
            "padding": "12px",
            "borderRadius": "var(--radius-3)",
            "cursor": "pointer",
            "background": rx.cond(chosen, "var(--teal-3)", "var(--gray-1)"),
            "border": rx.cond(chosen, "2px solid var(--teal-9)", "1px solid var(--gray-6)"),
        },
    )


def _group(group: ServiceGroup) -> rx.Component:
    return rx.vstack(
        rx.grid(
            rx.foreach(group["items"], _service_card),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="2",
            width="100%",
        ),
        spacing="2",
        width="100%",
    )


def _modality_chip(group: ServiceGroup) -> rx.Component:
    chosen = S.modality == group["label"]
    return rx.button(
        group["label"],
        on_click=S.show_modality(group["label"]),
        variant=rx.cond(chosen, "solid", "soft"),
        color_scheme=rx.cond(chosen, "teal", "gray"),
        size="2",
        radius="full",
        aria_pressed=chosen,
        data_testid="modality",
    )


def _chosen_service() -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(S.service_name, weight="bold", size="3", data_testid="chosen-service"),
            rx.text(S.modality, " · ", S.service_duration, size="2", color=rx.color("gray", 11)),
            spacing="0",
        ),
        rx.spacer(),
        rx.button(
            "Change", variant="soft", size="2", on_click=S.change_service, data_testid="change-service"
        ),
        width="100%",
        align="center",
    )


def services_step() -> rx.Component:
    return step(
        "1",
        "Choose a scan or service",
        rx.cond(
            S.choosing_service,
            rx.vstack(
                rx.flex(
                    rx.foreach(S.groups, _modality_chip),
                    wrap="wrap",
                    spacing="2",
                    width="100%",
                    role="group",
                    aria_label="Kind of scan",
                ),
                rx.foreach(S.groups, lambda g: rx.cond(g["label"] == S.modality, _group(g))),
                spacing="3",
                width="100%",
            ),
            _chosen_service(),
        ),
        test_id="step-service",
    )


def clinic_step() -> rx.Component:
    return step(
        "2",
        "Choose a clinic",
        rx.cond(
            S.service_id == "",
            rx.text("Choose a service first.", size="2", color=rx.color("gray", 11)),
            rx.cond(
                S.clinics.length() > 0,
                rx.radio_cards.root(
                    rx.foreach(
                        S.clinics,
                        lambda c: rx.radio_cards.item(
                            rx.vstack(
                                rx.text(c["name"], weight="bold"),
                                rx.text(c["where"], size="1", color=rx.color("gray", 11)),
                                spacing="0",
                                align="start",
                            ),
                            value=c["id"],
                            data_testid="clinic-option",
                        ),
                    ),
                    value=S.clinic_id,
                    on_value_change=S.choose_clinic,
                    columns=rx.breakpoints(initial="1", sm="2"),
                    width="100%",
                ),
                rx.text(
                    "No clinic offers this service online at the moment. Please call us to book.",
                    size="2",
                    color=rx.color("gray", 11),
                ),
            ),
        ),
        test_id="step-clinic",
    )


def patient_picker() -> rx.Component:
    """Desk staff and admins book for a patient of their clinics."""
    return step(
        "",
        "Booking for",
        rx.cond(
            S.patient_label,
            rx.hstack(
                rx.icon("user", size=16),
                rx.text(S.patient_label, weight="medium", data_testid="patient-chosen"),
                spacing="2",
                align="center",
            ),
        ),
        rx.form(
            rx.hstack(
                rx.input(
                    name="patient_query",
                    placeholder="Patient name, email or ID number",
                    aria_label="Find patient",
                    max_length=80,
                    width="100%",
                ),
                rx.button("Find", type="submit"),
                spacing="2",
                width="100%",
            ),
            on_submit=S.search_patients,
            reset_on_submit=False,
            width="100%",
        ),
        rx.foreach(
            S.patient_matches,
            lambda m: rx.button(
                m["name"],
                " · born ",
                m["born"],
                on_click=S.choose_patient(m["id"]),
                variant="soft",
                color_scheme="gray",
                width="100%",
                justify="start",
            ),
        ),
        test_id="step-patient",
    )
