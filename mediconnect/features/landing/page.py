"""The public front door at /: what MediConnect does, and where to start."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.landing.components import (
    booking_preview,
    cta_link,
    feature_card,
    role_card,
    section,
    section_heading,
    step,
)
from mediconnect.features.shell.nav import BOOK, REGISTER, SIGN_IN
from mediconnect.features.shell.template import page
from mediconnect.features.shell.theme import SOFT_BAND

FEATURES = [
    (
        "calendar-clock",
        "Live availability",
        "See open slots per scan type and clinic as they are now, and book in a minute.",
    ),
    (
        "receipt-text",
        "Cover and co-payment up front",
        "Your medical aid cover, any shortfall and your co-payment are shown before you confirm.",
    ),
    (
        "file-up",
        "Digital referrals",
        "Upload your doctor's referral with the booking: no paper to bring along.",
    ),
    (
        "shield-check",
        "Secure reports",
        "Reports are released to you and your referring doctor only, and every download is logged.",
    ),
    (
        "bell-ring",
        "Reminders that arrive",
        "Confirmation, reminder and report-ready messages by SMS and email.",
    ),
    (
        "message-square-heart",
        "Your feedback counts",
        "Rate your visit afterwards; clinics see the trends and act on them.",
    ),
]

ROLES = [
    ("stethoscope", "Doctors", "Today's list, their patients' reports and turnaround, their own revenue."),
    ("building-2", "Clinic staff", "Bookings, rooms and radiologists across the clinic, updated live."),
    ("wallet", "Billing", "Payments, outstanding invoices and medical aid claims in one view."),
    ("shield", "Administrators", "Users, roles, audit trail and the health of the whole platform."),
    ("chart-line", "Analysts", "Appointment, revenue and satisfaction trends, missed-appointment risk."),
    ("user-round", "Patients", "Upcoming scans, reports, payments and feedback in one place."),
]

STEPS = [
    ("1", "Choose scan and time", "Pick the examination, a clinic near you and an open slot."),
    ("2", "See what you will pay", "Check medical aid cover and your co-payment before you confirm."),
    ("3", "Get your report", "After your visit the report reaches you and your doctor securely."),
]


def hero() -> rx.Component:
    return section(
        rx.flex(
            rx.vstack(
                rx.badge("Radiology and clinic practice platform", size="2", variant="soft", radius="full"),
                rx.heading(
                    "Book your scan online. Know the cost before you confirm.",
                    as_="h1",
                    size=rx.breakpoints(initial="8", lg="9"),
                    weight="bold",
                    line_height="1.1",
                ),
                rx.text(
                    "MediConnect lets patients book radiology appointments with live availability, "
                    "shows medical aid cover and co-payment up front, and delivers reports securely, "
                    "while doctors, clinic staff, billing and administrators work from live dashboards.",
                    size="4",
                    color=rx.color("gray", 11),
                ),
                rx.flex(
                    cta_link(BOOK.label, BOOK.href, icon="arrow-right"),
                    cta_link("Create an account", REGISTER.href, variant="outline"),
                    wrap="wrap",
                    spacing="3",
                    padding_top="0.5em",
                ),
                rx.text(
                    "Already registered? ",
                    rx.link(SIGN_IN.label, href=SIGN_IN.href, weight="medium"),
                    size="2",
                    color=rx.color("gray", 11),
                ),
                spacing="5",
                flex="1 1 26em",
                min_width="0",
            ),
            rx.center(booking_preview(), flex="1 1 20em", min_width="0"),
            gap="3em",
            align="center",
            wrap="wrap",
        ),
        background=SOFT_BAND,
    )


def features() -> rx.Component:
    return section(
        section_heading(
            "For patients",
            "Everything about your scan, before and after",
            "No phone queues and no surprises at the front desk.",
        ),
        rx.grid(
            *[feature_card(*feature) for feature in FEATURES],
            columns=rx.breakpoints(initial="1", xs="2", md="3"),
            spacing="4",
        ),
        id="features",
    )


def how_it_works() -> rx.Component:
    return section(
        section_heading(
            "How it works", "Three steps from referral to report", "The same way at every clinic."
        ),
        rx.grid(*[step(*s) for s in STEPS], columns=rx.breakpoints(initial="1", sm="3"), spacing="6"),
        background=rx.color("gray", 2),
    )


def practice() -> rx.Component:
    return section(
        section_heading(
            "For the practice",
            "Live dashboards for everyone on the team",
            "Each role sees the figures it needs, and only those, refreshed as bookings and payments happen.",
        ),
        rx.grid(
            *[role_card(*role) for role in ROLES],
            columns=rx.breakpoints(initial="1", xs="2", md="3"),
            spacing="4",
        ),
    )


def closing_call() -> rx.Component:
    return section(
        rx.flex(
            rx.vstack(
                rx.heading("Ready when you are", as_="h2", size="7"),
                rx.text(
                    "Find an open slot and see your co-payment now.", size="4", color=rx.color("gray", 11)
                ),
                spacing="2",
                flex="1 1 20em",
            ),
            rx.flex(
                cta_link(BOOK.label, BOOK.href, icon="arrow-right"),
                cta_link(SIGN_IN.label, SIGN_IN.href, variant="soft"),
                wrap="wrap",
                spacing="3",
            ),
            align="center",
            wrap="wrap",
            spacing="4",
        ),
        background=SOFT_BAND,
    )


@page(route="/", title="MediConnect · Book radiology scans online", full_width=True)
def index() -> rx.Component:
    return rx.box(hero(), features(), how_it_works(), practice(), closing_call(), width="100%")
