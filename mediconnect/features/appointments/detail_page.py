"""/appointments/[appointment_id]/ and /appointments/[appointment_id]/confirmed/: one appointment."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.appointments.common import READERS, status_badge
from mediconnect.features.appointments.detail_state import VERBS, AppointmentDetailState
from mediconnect.features.kit.layout import back_link, fact
from mediconnect.features.kit.notices import missing_callout, notice, object_frame
from mediconnect.features.shell.template import page

S = AppointmentDetailState
ACTION_LABELS = {
    "confirm": ("Confirm", "circle-check"),
    "check_in": ("Check in", "log-in"),
    "start": ("Start", "play"),
    "complete": ("Complete", "flag"),
    "mark_no_show": ("No-show", "user-x"),
}


def _confirmed_banner() -> rx.Component:
    return rx.cond(
        S.just_booked,
        rx.callout(
            rx.vstack(
                rx.cond(
                    S.patient,
                    rx.text("Booked for ", S.patient, ".", weight="bold", size="3"),
                    rx.text("You're booked.", weight="bold", size="3"),
                ),
                rx.text(
                    rx.cond(
                        S.patient,
                        "The patient is sent a confirmation with the preparation instructions.",
                        "We have sent you a confirmation. Please arrive 15 minutes early and bring your ID "
                        "and medical aid card. You can change or cancel online up to 24 hours before.",
                    ),
                    size="2",
                ),
                spacing="1",
            ),
            icon="circle-check",
            color_scheme="teal",
            size="2",
            width="100%",
            data_testid="booked-banner",
        ),
    )


def _desk_buttons() -> rx.Component:
    return rx.hstack(
        rx.foreach(
            S.desk_actions,
            lambda a: rx.button(
                rx.match(a, *[(k, rx.icon(v[1], size=16)) for k, v in ACTION_LABELS.items()], rx.fragment()),
                rx.match(a, *[(k, v[0]) for k, v in ACTION_LABELS.items()], a),
                on_click=S.transition(a),
                variant=rx.cond(a == "mark_no_show", "soft", "solid"),
                color_scheme=rx.cond(a == "mark_no_show", "red", "teal"),
                loading=S.busy,
                data_testid=f"action-{a}",
            ),
        ),
        wrap="wrap",
        spacing="2",
    )


def _actions() -> rx.Component:
    return rx.flex(
        rx.cond(S.desk_actions.length() > 0, _desk_buttons()),
        rx.cond(
            S.can_reschedule,
            rx.button(
                rx.icon("calendar-clock", size=16),
                "Reschedule",
                variant="soft",
                on_click=S.open_reschedule,
                data_testid="reschedule",
            ),
        ),
        rx.cond(
            S.can_cancel,
            rx.link(
                rx.button(rx.icon("x", size=16), "Cancel appointment", variant="soft", color_scheme="red"),
                href=f"/appointments/{S.appointment_id}/cancel/",
                data_testid="cancel-link",
            ),
        ),
        rx.cond(
            S.cancel_note,
            rx.text(
                S.cancel_note, size="2", color=rx.color("gray", 11), width="100%", data_testid="cancel-note"
            ),
        ),
        rx.cond(
            S.can_see_payment,
            rx.link(
                rx.button(rx.icon("receipt", size=16), "Price and payments", variant="outline"),
                href=f"/appointments/{S.appointment_id}/payment-summary/",
                data_testid="payment-link",
            ),
        ),
        spacing="2",
        wrap="wrap",
        width="100%",
    )


def _reschedule() -> rx.Component:
    return rx.cond(
        S.picking,
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.heading("Pick a new time", as_="h2", size="4"),
                    rx.spacer(),
                    rx.button("Close", variant="ghost", on_click=S.close_reschedule),
                    width="100%",
                ),
                rx.select.root(
                    rx.select.trigger(aria_label="Day"),
                    rx.select.content(
                        rx.foreach(S.pick_days, lambda d: rx.select.item(d["label"], value=d["value"]))
                    ),
                    value=S.pick_day,
                    on_change=S.set_pick_day,
                ),
                rx.cond(
                    S.pick_slots.length() > 0,
                    rx.grid(
                        rx.foreach(
                            S.pick_slots,
                            lambda s: rx.button(
                                s["label"],
                                variant="outline",
                                on_click=S.reschedule_to(s["key"]),
                                data_testid="reschedule-slot",
                                width="100%",
                            ),
                        ),
                        columns=rx.breakpoints(initial="4", sm="6", md="8"),
                        spacing="2",
                        width="100%",
                    ),
                    rx.cond(S.pick_loaded, rx.text("No free times that day. Try another day.", size="2")),
                ),
                rx.text(
                    "Your current time is kept until the new one is confirmed.",
                    size="1",
                    color=rx.color("gray", 10),
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
        ),
    )


def _body() -> rx.Component:
    return rx.vstack(
        _confirmed_banner(),
        rx.flex(
            rx.vstack(
                rx.heading(S.service, as_="h1", size="7", weight="bold", data_testid="detail-service"),
                rx.text(S.when_text, " ", S.ends_text, size="4", data_testid="detail-when"),
                spacing="1",
                flex="1 1 20em",
            ),
            status_badge(S.status, S.status_text),
            justify="between",
            align="start",
            wrap="wrap",
            spacing="3",
            width="100%",
        ),
        notice(S.notice, S.notice_kind, test_id="detail-notice"),
        rx.card(
            rx.grid(
                fact("Clinic", S.clinic),
                rx.cond(S.clinic_address, fact("Address", S.clinic_address)),
                rx.cond(S.patient, fact("Patient", S.patient, test_id="detail-patient")),
                fact("Price", S.price),
                fact("Reference", "#" + S.appointment_id.to_string()),
                rx.cond(S.cancellation_reason, fact("Cancellation reason", S.cancellation_reason)),
                columns=rx.breakpoints(initial="1", sm="2", md="3"),
                spacing="4",
                width="100%",
            ),
            width="100%",
        ),
        rx.cond(
            S.can_see_payment
            | S.can_cancel
            | S.can_reschedule
            | (S.desk_actions.length() > 0)
            | (S.cancel_note != ""),
            _actions(),
        ),
        _reschedule(),
        rx.cond(
            (S.preparation != "") | (S.preparation_items.length() > 0),
            rx.card(
                rx.vstack(
                    rx.heading("How to prepare", as_="h2", size="4"),
                    rx.cond(S.preparation, rx.text(S.preparation, size="2")),
                    rx.el.ul(
                        rx.foreach(S.preparation_items, lambda i: rx.el.li(rx.text(i, size="2"))),
                        style={"paddingLeft": "1.2em", "margin": 0, "listStyleType": "disc"},
                    ),
                    spacing="2",
                ),
                width="100%",
            ),
        ),
        rx.cond(
            S.documents.length() > 0,
            rx.card(
                rx.vstack(
                    rx.heading("Referral", as_="h2", size="4"),
                    rx.foreach(
                        S.documents,
                        lambda d: rx.button(
                            rx.icon("download", size=16),
                            d["name"],
                            variant="ghost",
                            on_click=S.download_referral(d["id"]),
                            data_testid="referral-download",
                        ),
                    ),
                    spacing="2",
                    align="start",
                ),
                width="100%",
            ),
        ),
        rx.card(
            rx.vstack(
                rx.heading("History", as_="h2", size="4"),
                rx.cond(
                    S.history.length() > 0,
                    rx.vstack(
                        rx.foreach(
                            S.history,
                            lambda h: rx.hstack(
                                rx.icon("dot", size=18, color=rx.color("teal", 9)),
                                rx.vstack(
                                    rx.text(h["change"], size="2", weight="medium"),
                                    rx.text(h["when"], size="1", color=rx.color("gray", 11)),
                                    rx.cond(
                                        h["reason"],
                                        rx.text(h["reason"], size="1", color=rx.color("gray", 11)),
                                    ),
                                    spacing="0",
                                ),
                                align="start",
                                spacing="1",
                            ),
                        ),
                        spacing="2",
                        data_testid="history",
                    ),
                    rx.text("No changes yet.", size="2", color=rx.color("gray", 11)),
                ),
                rx.cond(
                    S.rescheduled_from > 0,
                    rx.link(
                        "Rescheduled from #" + S.rescheduled_from.to_string(),
                        href="/appointments/" + S.rescheduled_from.to_string() + "/",
                        size="2",
                    ),
                ),
                spacing="2",
                width="100%",
            ),
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def detail_content() -> rx.Component:
    return rx.vstack(
        back_link("All appointments", "/appointments/list/"),
        object_frame(
            S.loaded, S.missing, _body(), when_missing=missing_callout(S.missing, test_id="detail-missing")
        ),
        spacing="4",
        width="100%",
    )


@page(route="/appointments/[appointment_id]/", title="Appointment", roles=READERS, on_load=S.load)
def appointment_detail() -> rx.Component:
    return detail_content()


@page(
    route="/appointments/[appointment_id]/confirmed/",
    title="Booking confirmed",
    roles=READERS,
    on_load=S.load,
)
def appointment_confirmed() -> rx.Component:
    return detail_content()


__all__ = ["VERBS", "appointment_confirmed", "appointment_detail"]
