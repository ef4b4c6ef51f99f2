"""The booking page's summary column parts: the price breakdown, the referral upload and the
preparation acknowledgement."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.booking.book_state import MAX_REFERRAL_BYTES, REFERRAL_TYPES, BookState

S = BookState
UPLOAD_ID = "referral-upload"


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
