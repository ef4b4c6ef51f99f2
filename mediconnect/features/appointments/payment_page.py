"""/appointments/[appointment_id]/payment-summary/: the invoice's numbers for one appointment
(``billing.payment_summary``: the same figures the quote showed, payments, balance, claim)."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.appointments.common import PAYERS
from mediconnect.features.appointments.payment_state import PaymentSummaryState
from mediconnect.features.kit.layout import back_link
from mediconnect.features.kit.notices import missing_callout, object_frame
from mediconnect.features.shell.template import page

S = PaymentSummaryState


def _lines(items: rx.Var, test_id: str) -> rx.Component:
    return rx.vstack(
        rx.foreach(
            items,
            lambda line: rx.hstack(
                rx.text(line["label"], size="2", color=rx.color("gray", 11)),
                rx.spacer(),
                rx.text(line["value"], size="2", weight="medium", text_align="right"),
                width="100%",
            ),
        ),
        spacing="2",
        width="100%",
        data_testid=test_id,
    )


def _body() -> rx.Component:
    return rx.vstack(
        rx.heading("Price and payments", as_="h1", size="7"),
        rx.text(
            S.service, " · invoice ", S.number, " · ", S.invoice_status, size="3", color=rx.color("gray", 11)
        ),
        rx.flex(
            rx.card(
                rx.vstack(
                    rx.heading("Breakdown", as_="h2", size="4"),
                    _lines(S.figures, "summary-figures"),
                    spacing="3",
                    width="100%",
                ),
                flex="1 1 22em",
                min_width="0",
            ),
            rx.vstack(
                rx.card(
                    rx.vstack(
                        rx.text("Balance due from you", size="2", color=rx.color("gray", 11)),
                        rx.heading(S.balance, size="8", data_testid="summary-balance"),
                        rx.cond(S.due_date, rx.text("Due by ", S.due_date, size="2")),
                        rx.cond(S.overdue, rx.badge("Overdue", color_scheme="red")),
                        spacing="1",
                    ),
                    width="100%",
                ),
                rx.cond(
                    S.claim.length() > 0,
                    rx.card(
                        rx.vstack(
                            rx.heading("Medical aid claim", as_="h2", size="4"),
                            _lines(S.claim, "summary-claim"),
                            spacing="3",
                            width="100%",
                        ),
                        width="100%",
                    ),
                ),
                flex="1 1 18em",
                min_width="0",
                spacing="4",
            ),
            spacing="4",
            wrap="wrap",
            width="100%",
            align="start",
        ),
        rx.card(
            rx.vstack(
                rx.heading("Payments", as_="h2", size="4"),
                rx.cond(
                    S.payments.length() > 0,
                    rx.vstack(
                        rx.foreach(
                            S.payments,
                            lambda p: rx.flex(
                                rx.text(p["when"], size="2", flex="2 1 12em"),
                                rx.text(p["method"], size="2", flex="1 1 6em"),
                                rx.text(p["status"], size="2", flex="1 1 6em"),
                                rx.text(p["receipt"], size="2", flex="1 1 8em", color=rx.color("gray", 11)),
                                rx.text(
                                    p["amount"], size="2", weight="bold", flex="1 1 6em", text_align="right"
                                ),
                                wrap="wrap",
                                width="100%",
                                spacing="2",
                            ),
                        ),
                        width="100%",
                        data_testid="summary-payments",
                    ),
                    rx.text(
                        "No payments yet. You pay what is due at your visit.",
                        size="2",
                        color=rx.color("gray", 11),
                    ),
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


@page(
    route="/appointments/[appointment_id]/payment-summary/",
    title="Price and payments",
    roles=PAYERS,
    on_load=S.load,
)
def payment_summary_page() -> rx.Component:
    return rx.vstack(
        back_link("Back to the appointment", f"/appointments/{S.appointment_id}/"),
        object_frame(
            S.loaded, S.missing, _body(), when_missing=missing_callout(S.missing, test_id="summary-missing")
        ),
        spacing="4",
        width="100%",
    )
