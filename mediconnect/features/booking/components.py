"""Pieces of the booking page: service cards, clinic choice, slot grid, price breakdown, referral."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.booking.state import MAX_REFERRAL_BYTES, REFERRAL_TYPES, BookState
from mediconnect.features.booking.views import ServiceCard, ServiceGroup, SlotView

S = BookState
UPLOAD_ID = "referral-upload"


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


def _slot_button(slot: SlotView) -> rx.Component:
    chosen = S.selected == slot["key"]
    return rx.button(
        slot["label"],
        on_click=S.choose_slot(slot["key"]),
        variant=rx.cond(chosen, "solid", "outline"),
        size="2",
        aria_pressed=chosen,
        data_testid="slot",
        data_key=slot["key"],
        width="100%",
    )


def _day_picker() -> rx.Component:
    return rx.hstack(
        rx.icon_button(
            rx.icon("chevron-left", size=18),
            on_click=S.shift_day(-1),
            variant="soft",
            aria_label="Previous day",
            disabled=S.day == S.days[0]["value"].to(str),
        ),
        # min_width 0 lets the long day label shrink instead of pushing the card sideways.
        rx.box(
            rx.select.root(
                rx.select.trigger(aria_label="Day", width="100%", overflow="hidden"),
                rx.select.content(rx.foreach(S.days, lambda d: rx.select.item(d["label"], value=d["value"]))),
                value=S.day,
                on_change=S.choose_day,
            ),
            flex="1",
            min_width="0",
        ),
        rx.icon_button(
            rx.icon("chevron-right", size=18),
            on_click=S.shift_day(1),
            variant="soft",
            aria_label="Next day",
        ),
        spacing="2",
        align="center",
        width="100%",
        data_testid="day-picker",
    )


def _full_day() -> rx.Component:
    return rx.callout(
        rx.vstack(
            rx.text(
                "No free times on ",
                S.day_label,
                ". Try another day, or join the waiting list: "
                "if a time frees up, the first person waiting is offered it.",
            ),
            rx.button(
                rx.icon("list-plus", size=16),
                "Join the waiting list for this day",
                on_click=S.join_waitlist,
                variant="soft",
                data_testid="join-waitlist",
            ),
            spacing="2",
            align="start",
        ),
        icon="calendar-x",
        color_scheme="amber",
        width="100%",
        data_testid="day-full",
    )


def _closed_day() -> rx.Component:
    return rx.callout(
        rx.text(
            "No bookings for this service on ",
            S.day_label,
            ": the clinic is closed, or the day's times have passed.",
        ),
        icon="calendar-off",
        color_scheme="gray",
        width="100%",
        data_testid="day-closed",
    )


def _nearest() -> rx.Component:
    return rx.cond(
        S.nearest.length() > 0,
        rx.vstack(
            rx.text("The nearest free times:", size="2", weight="medium"),
            rx.flex(
                rx.foreach(
                    S.nearest,
                    lambda a: rx.button(
                        a["label"],
                        variant="outline",
                        on_click=S.choose_alternative(a["key"]),
                        data_testid="nearest",
                    ),
                ),
                wrap="wrap",
                spacing="2",
            ),
            spacing="2",
            width="100%",
        ),
    )


def time_step() -> rx.Component:
    return step(
        "3",
        "Choose a day and time",
        rx.cond(
            S.clinic_id == "",
            rx.text("Choose a clinic first.", size="2", color=rx.color("gray", 11)),
            rx.vstack(
                _day_picker(),
                rx.cond(
                    S.slot_notice,
                    rx.callout(
                        S.slot_notice,
                        icon="triangle-alert",
                        color_scheme="amber",
                        width="100%",
                        role="alert",
                        data_testid="slot-notice",
                    ),
                ),
                rx.cond(
                    S.waitlist_notice,
                    rx.callout(
                        S.waitlist_notice,
                        icon="circle-check",
                        color_scheme="teal",
                        width="100%",
                        data_testid="waitlist-notice",
                    ),
                ),
                rx.cond(
                    S.slots.length() > 0,
                    rx.grid(
                        rx.foreach(S.slots, _slot_button),
                        columns=rx.breakpoints(initial="4", sm="6", md="5", lg="6"),
                        spacing="2",
                        width="100%",
                        data_testid="slot-grid",
                    ),
                    rx.cond(
                        S.slots_loaded,
                        rx.vstack(rx.cond(S.day_open, _full_day(), _closed_day()), _nearest(), width="100%"),
                    ),
                ),
                rx.text(
                    "Times are shown in the clinic's local time and update live as others book.",
                    size="1",
                    color=rx.color("gray", 10),
                ),
                spacing="3",
                width="100%",
            ),
        ),
        test_id="step-time",
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


# --------------------------------------------------------------------------- summary column


def _row(label: str, value: rx.Var, *, strong: bool = False, test_id: str | None = None) -> rx.Component:
    return rx.hstack(
        rx.text(label, size="2", color=rx.color("gray", 11)),
        rx.spacer(),
        rx.text(
            value, size="2", weight=rx.cond(strong, "bold", "medium"), text_align="right", data_testid=test_id
        ),
        width="100%",
        align="start",
        spacing="3",
    )


def price_breakdown() -> rx.Component:
    q = S.quote
    return rx.vstack(
        rx.heading("What it costs", as_="h3", size="3"),
        _row("Price", q["price"], test_id="quote-price"),
        _row("Medical aid", q["scheme"], test_id="quote-scheme"),
        rx.cond(
            ~q["private"].to(bool),
            rx.vstack(
                _row("Cover", q["coverage"], test_id="quote-coverage"),
                _row("Tariff cap", q["tariff_cap"], test_id="quote-cap"),
                _row("Annual limit remaining", q["annual_limit_remaining"], test_id="quote-limit"),
                _row("Authorisation", q["authorisation"], test_id="quote-auth"),
                _row("Medical aid pays", q["medical_aid_portion"], test_id="quote-aid"),
                _row("Shortfall (above the tariff)", q["shortfall"], test_id="quote-shortfall"),
                _row("Co-payment", q["co_payment"], test_id="quote-copay"),
                spacing="2",
                width="100%",
            ),
        ),
        rx.separator(size="4"),
        _row("You pay in total", q["patient_portion"], strong=True, test_id="quote-patient"),
        _row("Due at your visit", q["due_now"], test_id="quote-due-now"),
        _row("Due after the claim", q["due_after_claim"], test_id="quote-due-later"),
        rx.cond(
            q["lines"].to(list[str]).length() > 0,
            rx.el.ul(
                rx.foreach(q["lines"].to(list[str]), lambda line: rx.el.li(rx.text(line, size="1"))),
                style={
                    "paddingLeft": "1.2em",
                    "color": "var(--gray-11)",
                    "margin": 0,
                    "listStyleType": "disc",
                },
                data_testid="quote-lines",
            ),
        ),
        spacing="2",
        width="100%",
        data_testid="price-breakdown",
    )


def referral_upload() -> rx.Component:
    return rx.vstack(
        rx.heading("Referral letter", as_="h3", size="3"),
        rx.text(
            "This scan needs a referral from your doctor: a PDF, JPEG or PNG of at most 10 MB.", size="2"
        ),
        rx.cond(
            S.referral_name,
            rx.hstack(
                rx.icon("file-check", size=18, color=rx.color("teal", 10)),
                rx.text(S.referral_name, size="2", weight="medium", data_testid="referral-name"),
                rx.spacer(),
                rx.button(
                    "Remove", variant="ghost", size="1", color_scheme="gray", on_click=S.remove_referral
                ),
                width="100%",
                align="center",
            ),
            rx.upload.root(
                rx.vstack(
                    rx.icon("upload", size=20),
                    rx.text("Drop the file here, or click to choose", size="2"),
                    align="center",
                    spacing="1",
                ),
                id=UPLOAD_ID,
                accept=REFERRAL_TYPES,
                max_size=MAX_REFERRAL_BYTES,
                multiple=False,
                max_files=1,
                on_drop=S.upload_referral(rx.upload_files(upload_id=UPLOAD_ID)),
                on_drop_rejected=S.referral_rejected,
                border="1px dashed var(--gray-8)",
                border_radius="var(--radius-3)",
                padding="16px",
                width="100%",
                cursor="pointer",
                data_testid="referral-upload",
            ),
        ),
        rx.cond(
            S.referral_error,
            rx.text(
                S.referral_error,
                size="2",
                color=rx.color("red", 11),
                role="alert",
                data_testid="referral-error",
            ),
        ),
        spacing="2",
        width="100%",
    )


def preparation_ack() -> rx.Component:
    return rx.vstack(
        rx.heading("Preparation", as_="h3", size="3"),
        rx.cond(S.preparation, rx.text(S.preparation, size="2")),
        rx.cond(
            S.preparation_items.length() > 0,
            rx.el.ul(
                rx.foreach(S.preparation_items, lambda i: rx.el.li(rx.text(i, size="2"))),
                style={"paddingLeft": "1.2em", "margin": 0, "listStyleType": "disc"},
            ),
        ),
        rx.el.label(
            rx.hstack(
                rx.checkbox(checked=S.acknowledged, on_change=S.set_acknowledged, data_testid="prep-ack"),
                rx.text("I have read and will follow these preparation instructions.", size="2"),
                spacing="2",
                align="start",
            ),
        ),
        spacing="2",
        width="100%",
    )


def alternatives() -> rx.Component:
    return rx.cond(
        S.alternatives.length() > 0,
        rx.vstack(
            rx.text("The nearest free times:", size="2", weight="medium"),
            rx.hstack(
                rx.foreach(
                    S.alternatives,
                    lambda a: rx.button(
                        a["label"],
                        variant="outline",
                        on_click=S.choose_alternative(a["key"]),
                        data_testid="alternative",
                    ),
                ),
                wrap="wrap",
                spacing="2",
            ),
            spacing="2",
            width="100%",
        ),
    )
