"""/billing/my-invoices/: a patient's own invoices, read only: what each visit cost, what the
medical aid covers, what they paid and still owe, and a receipt for every payment.

The service lists by ``invoice_scope``: for a patient that is their own invoices only, whatever
the browser sends."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.billing.common import INVOICE_STATUS_COLORS, PATIENT_ROLES
from mediconnect.features.billing.my_invoices_state import MyInvoicesState
from mediconnect.features.kit.layout import busy_spinner, page_heading
from mediconnect.features.kit.notices import form_alert, status_badge
from mediconnect.features.kit.tables import pager
from mediconnect.features.shell.template import page

MUTED = rx.color("gray", 11)


S = MyInvoicesState


def _figure(label: str, value: rx.Var, *, strong: bool = False) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color=MUTED),
        rx.text(value, size="3", weight=rx.cond(strong, "bold", "medium")),  # type: ignore[arg-type]
        spacing="0",
        min_width="7em",
    )


def _card(item: rx.Var) -> rx.Component:
    inv = item["invoice"]
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.vstack(
                    rx.text(inv["service"], weight="bold", size="3"),
                    rx.text(
                        inv["number"],
                        " · ",
                        inv["clinic"],
                        " · issued ",
                        inv["issued"],
                        size="2",
                        color=MUTED,
                    ),
                    spacing="0",
                ),
                status_badge(inv["status"], inv["status_label"], INVOICE_STATUS_COLORS),
                justify="between",
                align="start",
                spacing="3",
                width="100%",
            ),
            rx.flex(
                _figure("Total", inv["total"]),
                _figure("Medical aid", inv["medical_aid"]),
                _figure("Your portion", inv["patient_portion"]),
                _figure("You still owe", inv["balance"], strong=True),
                spacing="5",
                wrap="wrap",
            ),
            rx.cond(
                inv["overdue"],
                rx.text("Payment was due on ", inv["due"], ".", size="2", color=rx.color("red", 11)),
            ),
            rx.cond(
                item["receipts"].length() > 0,
                rx.flex(
                    rx.text("Receipts:", size="2", color=MUTED),
                    rx.foreach(
                        item["receipts"],
                        lambda r: rx.link(
                            rx.hstack(
                                rx.icon("receipt", size=14), rx.text(r["label"]), spacing="1", align="center"
                            ),
                            href=r["href"],
                            size="2",
                        ),
                    ),
                    spacing="3",
                    wrap="wrap",
                    align="center",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        data_testid="my-invoice",
    )


@page(route="/billing/my-invoices/", title="My invoices", roles=PATIENT_ROLES, on_load=S.load)
def my_invoices() -> rx.Component:
    return rx.cond(
        S.loaded,
        rx.vstack(
            page_heading(
                "My invoices",
                "What each visit cost, what your medical aid covers and what you have paid.",
            ),
            form_alert(S.list_error, kind="error", test_id="my-invoices-error"),
            rx.foreach(S.items, _card),
            rx.cond(
                S.total == 0,
                rx.callout("You have no invoices yet.", icon="receipt", color_scheme="gray", width="100%"),
                pager(
                    page=S.page,
                    pages=S.pages,
                    total=S.total,
                    noun=("invoice", "invoices"),
                    on_prev=S.prev_page,
                    on_next=S.next_page,
                ),
            ),
            spacing="4",
            width="100%",
            padding_y="1em",
            max_width="52em",
        ),
        busy_spinner(),
    )
