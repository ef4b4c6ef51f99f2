"""/billing/invoices/[invoice_id]/: one invoice for billing staff: what was charged and who
pays which part, the payments and refunds, the medical aid claim, and the actions on them."""

from __future__ import annotations

import reflex as rx

from mediconnect.features.billing.common import (
    CLAIM_STATUS_COLORS,
    DESK_ROLES,
    INVOICE_STATUS_COLORS,
    PAYMENT_STATUS_COLORS,
)
from mediconnect.features.billing.invoice_dialogs import (
    claim_paid_dialog,
    decision_dialog,
    payment_dialog,
    refund_dialog,
)
from mediconnect.features.billing.invoice_state import BillingInvoiceState
from mediconnect.features.kit.notices import form_alert, not_found, object_frame, status_badge
from mediconnect.features.kit.tables import amount_cell, amount_header, scroll_table
from mediconnect.features.shell.template import page

S = BillingInvoiceState
MUTED = rx.color("gray", 11)


def _figure(label: str, value: rx.Var, *, test_id: str, strong: bool = False) -> rx.Component:
    return rx.flex(
        rx.text(label, size="2", color=MUTED),
        rx.text(
            value, size="3" if strong else "2", weight="bold" if strong else "medium", data_testid=test_id
        ),
        justify="between",
        width="100%",
        spacing="3",
    )


def _header() -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.cond(
                S.can_manage,
                rx.link(
                    rx.hstack(
                        rx.icon("arrow-left", size=14), rx.text("Invoices"), spacing="1", align="center"
                    ),
                    href="/billing/invoices/",
                    size="2",
                ),
            ),
            rx.hstack(
                rx.heading(S.number, as_="h1", size="7", weight="bold", data_testid="invoice-number"),
                rx.box(
                    status_badge(S.status, S.status_label, INVOICE_STATUS_COLORS),
                    data_testid="invoice-status",
                ),
                spacing="3",
                align="center",
                wrap="wrap",
            ),
            rx.text(S.patient, " · ", S.clinic, size="3", color=MUTED),
            rx.text(
                "Issued ",
                S.issued,
                " · due ",
                S.due,
                rx.cond(
                    S.overdue, rx.text(" · overdue", as_="span", color=rx.color("red", 11), weight="medium")
                ),
                size="2",
                color=MUTED,
            ),
            spacing="1",
            flex="1 1 20em",
        ),
        rx.hstack(
            rx.cond(
                S.can_pay,
                rx.button(rx.icon("banknote", size=16), "Record payment", size="3", on_click=S.open_payment),
            ),
            spacing="2",
            wrap="wrap",
        ),
        align="end",
        justify="between",
        wrap="wrap",
        spacing="3",
        width="100%",
    )


def _summary() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Who pays what", as_="h2", size="4"),
            _figure("Total", S.total, test_id="invoice-total", strong=True),
            _figure("Medical aid portion", S.medical_aid_portion, test_id="invoice-aid-portion"),
            _figure("Patient portion", S.patient_portion, test_id="invoice-patient-portion"),
            rx.divider(),
            _figure("Paid by the patient", S.patient_paid, test_id="invoice-patient-paid"),
            _figure("Paid by the medical aid", S.insurance_paid, test_id="invoice-aid-paid"),
            _figure("Patient still owes", S.balance, test_id="invoice-balance", strong=True),
            spacing="2",
            width="100%",
        ),
        size="2",
        width="100%",
    )


def _lines() -> rx.Component:
    return rx.vstack(
        rx.heading("Lines", as_="h2", size="4"),
        scroll_table(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell("Description"),
                    amount_header("Qty"),
                    amount_header("Amount"),
                    amount_header("Medical aid"),
                    amount_header("Patient"),
                )
            ),
            rx.table.body(
                rx.foreach(
                    S.lines,
                    lambda line: rx.table.row(
                        rx.table.row_header_cell(line["description"]),
                        amount_cell(line["quantity"].to_string()),
                        amount_cell(line["amount"]),
                        amount_cell(line["medical_aid"]),
                        amount_cell(line["patient"]),
                    ),
                )
            ),
            test_id="invoice-lines",
            min_width="480px",
        ),
        spacing="2",
        width="100%",
    )


def _payment_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row["when"], size="2"), min_width="7.5em"),
        rx.table.cell(
            rx.vstack(
                rx.text(row["method_label"], size="2"),
                rx.text(row["reference"], size="1", color=MUTED, style={"overflowWrap": "anywhere"}),
                spacing="0",
            ),
            max_width="12em",
        ),
        amount_cell(row["amount"]),
        rx.table.cell(
            rx.vstack(
                status_badge(row["status"], row["status_label"], PAYMENT_STATUS_COLORS),
                rx.cond(
                    row["failure_reason"],
                    rx.text(row["failure_reason"], size="1", color=rx.color("red", 11)),
                ),
                spacing="1",
            ),
            max_width="10em",
        ),
        rx.table.cell(
            rx.flex(
                rx.cond(
                    row["receipt_href"],
                    rx.link(
                        rx.hstack(
                            rx.icon("receipt", size=14),
                            rx.text(row["receipt_number"]),
                            spacing="1",
                            align="center",
                        ),
                        href=row["receipt_href"],
                        size="1",
                        aria_label="Receipt " + row["receipt_number"].to(str),
                    ),
                ),
                rx.cond(
                    row["can_refund"],
                    rx.button(
                        "Refund",
                        variant="soft",
                        color_scheme="red",
                        size="1",
                        on_click=S.open_refund(row["id"]),
                    ),
                ),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
        ),
        align="center",
        data_testid="payment-row",
    )


def _payments() -> rx.Component:
    return rx.vstack(
        rx.heading("Payments", as_="h2", size="4"),
        rx.cond(
            S.payments.length() > 0,
            scroll_table(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("When"),
                        rx.table.column_header_cell("Method · reference"),
                        amount_header("Amount"),
                        rx.table.column_header_cell("Status"),
                        rx.table.column_header_cell("Receipt"),
                    )
                ),
                rx.table.body(rx.foreach(S.payments, _payment_row)),
                test_id="payments-table",
                min_width="560px",
            ),
            rx.text("No payments yet.", size="2", color=MUTED, data_testid="no-payments"),
        ),
        rx.cond(
            S.refunds.length() > 0,
            rx.vstack(
                rx.heading("Refunds", as_="h3", size="3"),
                rx.foreach(
                    S.refunds,
                    lambda r: rx.text(
                        r["when"],
                        " · ",
                        r["amount"],
                        " from ",
                        r["payment_receipt"],
                        " · ",
                        r["reason"],
                        size="2",
                        data_testid="refund-row",
                    ),
                ),
                spacing="1",
                width="100%",
            ),
        ),
        spacing="2",
        width="100%",
    )


def _claim_panel() -> rx.Component:
    claim = S.claim[0]
    details = rx.vstack(
        rx.hstack(
            rx.text(claim["number"], weight="bold", size="3"),
            rx.box(
                status_badge(claim["status"], claim["status_label"], CLAIM_STATUS_COLORS),
                data_testid="claim-status",
            ),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        rx.grid(
            rx.text("Claimed", size="2", color=MUTED),
            rx.text(claim["claimed"], size="2", data_testid="claim-claimed"),
            rx.text("Approved", size="2", color=MUTED),
            rx.text(
                rx.cond(claim["approved"], claim["approved"], "—"), size="2", data_testid="claim-approved"
            ),
            rx.text("Paid", size="2", color=MUTED),
            rx.text(rx.cond(claim["paid"], claim["paid"], "—"), size="2", data_testid="claim-paid"),
            rx.text("Submitted", size="2", color=MUTED),
            rx.text(claim["submitted"], size="2"),
            rx.text("Decided", size="2", color=MUTED),
            rx.text(rx.cond(claim["decided"], claim["decided"], "—"), size="2"),
            rx.text("Paid on", size="2", color=MUTED),
            rx.text(rx.cond(claim["paid_on"], claim["paid_on"], "—"), size="2"),
            columns="2",
            spacing_x="4",
            spacing_y="1",
        ),
        rx.cond(
            claim["denial_reason"],
            rx.callout(
                claim["denial_reason"],
                icon="circle-x",
                color_scheme="red",
                size="1",
                data_testid="claim-denial",
            ),
        ),
        rx.hstack(
            rx.cond(
                claim["status"] == "submitted",
                rx.button("Record decision", size="2", variant="soft", on_click=S.open_decision),
            ),
            rx.cond(
                (claim["status"] == "approved") | (claim["status"] == "partially_approved"),
                rx.button("Mark claim paid", size="2", variant="soft", on_click=S.open_claim_paid),
            ),
            spacing="2",
        ),
        spacing="3",
        width="100%",
    )
    return rx.card(
        rx.vstack(
            rx.heading("Medical aid claim", as_="h2", size="4"),
            rx.cond(
                S.claim.length() > 0,
                details,
                rx.cond(
                    S.has_aid_portion,
                    rx.text("No claim yet.", size="2", color=MUTED),
                    rx.text("Private account: no medical aid portion to claim.", size="2", color=MUTED),
                ),
            ),
            rx.cond(
                S.can_claim,
                rx.button(
                    rx.icon("send", size=14),
                    "Submit claim",
                    size="2",
                    loading=S.busy == "claim",
                    on_click=S.submit_claim,
                ),
            ),
            spacing="3",
            width="100%",
        ),
        size="2",
        width="100%",
        data_testid="claim-panel",
    )


def _content() -> rx.Component:
    return rx.vstack(
        _header(),
        rx.cond(
            S.notice_kind == "error",
            form_alert(S.notice, kind="error", test_id="invoice-notice"),
            form_alert(S.notice, kind="success", test_id="invoice-notice"),
        ),
        # Two columns from 1024px up (what was charged and paid | who pays, the claim); one
        # column below.
        rx.grid(
            rx.vstack(_lines(), _payments(), spacing="5", width="100%", min_width="0"),
            rx.vstack(_summary(), rx.cond(S.can_manage, _claim_panel()), spacing="4", width="100%"),
            columns=rx.breakpoints(initial="1", md="minmax(0, 2fr) minmax(18em, 1fr)"),
            spacing="5",
            width="100%",
            align="start",
        ),
        payment_dialog(),
        refund_dialog(),
        decision_dialog(),
        claim_paid_dialog(),
        spacing="5",
        width="100%",
        padding_y="1em",
    )


@page(route="/billing/invoices/[invoice_id]/", title="Invoice", roles=DESK_ROLES, on_load=S.load)
def billing_invoice() -> rx.Component:
    return object_frame(
        S.loaded,
        S.missing,
        _content(),
        when_missing=not_found(
            S.missing, "/billing/invoices/", "Back to invoices", test_id="billing-not-found"
        ),
    )
