"""``financial_summary``: revenue by period, receivables and how patients pay.

* Revenue is "revenue generated" (price of completed appointments by scheduled day).
  ``today`` live; ``week`` the current ISO week to date, live; ``month`` and ``year_to_date``
  the rollup's days before today plus today live.
* Billing counts issued invoices (not draft, not cancelled). ``outstanding_invoices`` those with
  a balance (total - amount_paid > 0) and ``total_outstanding`` the sum of balances, whenever
  issued. ``collection_rate``: amount_paid / total over invoices issued in the last 90 days.
  ``average_collection_time``: mean days from issue to ``paid_at`` of invoices paid in the last
  90 days.
* ``payment_methods``: how this month's bills are being paid: completed payments against the
  invoices issued this month to date, by method, largest first; ``percentage`` is the share of
  their amount. (Driven from the clinic's invoices by ``(clinic_id, issued_at)``: payments carry
  no clinic, and scanning every clinic's payments of the month costs ten times as much.)
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from mediconnect.dashboards.clinic.context import ClinicContext
from mediconnect.dashboards.clinic.schema import ClinicBilling, ClinicFinancialSummary, ClinicPaymentMethod
from mediconnect.dashboards.kit.conventions import money, one_place, rate
from mediconnect.dashboards.kit.sql import (
    between,
    dec,
    minutes_between,
    tbl,
)
from mediconnect.models.billing import Invoice, InvoiceStatus, Payment, PaymentMethod, PaymentStatus

COLLECTION_WINDOW = timedelta(days=90)
METHOD_LABELS = {
    PaymentMethod.INSURANCE.value: "Insurance",
    PaymentMethod.CARD.value: "Credit Card",
    PaymentMethod.CASH.value: "Cash",
    PaymentMethod.BANK_TRANSFER.value: "Bank Transfer",
    PaymentMethod.MOBILE_MONEY.value: "Mobile Money",
}

I = sa.inspect(Invoice).local_table.c  # type: ignore[union-attr]  # noqa: E741
P = sa.inspect(Payment).local_table.c  # type: ignore[union-attr]


def billing(ctx: ClinicContext) -> ClinicBilling:
    """Three small queries, each on its own index (owing, issued recently, paid recently)."""
    since = ctx.now - COLLECTION_WINDOW
    mine = I.clinic_id == ctx.clinic_id
    issued = I.status.not_in([InvoiceStatus.DRAFT.value, InvoiceStatus.CANCELLED.value])
    owing_n, owing_sum = ctx.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(I.total - I.amount_paid), 0)).where(
            mine, issued, I.total > I.amount_paid
        )
    ).one()
    paid, billed = ctx.session.execute(
        sa.select(sa.func.sum(I.amount_paid), sa.func.sum(I.total)).where(mine, issued, I.issued_at >= since)
    ).one()
    days = ctx.session.scalar(
        sa.select(sa.func.avg(minutes_between(I.issued_at, I.paid_at, ctx.dialect) / 1440.0)).where(
            mine, issued, I.paid_at >= since
        )
    )
    return ClinicBilling.model_validate(
        {
            "outstanding_invoices": int(owing_n),
            "total_outstanding": money(dec(owing_sum)),
            "collection_rate": rate(dec(paid), dec(billed)),
            "average_collection_time": one_place(days),
        }
    )


def payment_methods(ctx: ClinicContext) -> list[ClinicPaymentMethod]:
    span = ctx.span(ctx.month[0], ctx.today)
    rows = ctx.session.execute(
        sa.select(P.method, sa.func.sum(P.amount))
        .select_from(tbl(P).join(tbl(I), I.id == P.invoice_id))
        .where(
            I.clinic_id == ctx.clinic_id,
            between(I.issued_at, span),
            P.status == PaymentStatus.COMPLETED.value,
        )
        .group_by(P.method)
    ).all()
    amounts = {str(m): dec(a) for m, a in rows}
    total = sum(amounts.values(), Decimal("0.00"))
    ordered = sorted(amounts, key=lambda m: (-amounts[m], METHOD_LABELS.get(m, m)))
    return [
        ClinicPaymentMethod(
            method=METHOD_LABELS.get(m, m.replace("_", " ").title()),
            percentage=rate(amounts[m], total),
            amount=money(amounts[m]),
        )
        for m in ordered
    ]


def build(
    ctx: ClinicContext, *, today: Decimal, week: Decimal, month: Decimal, year: Decimal
) -> ClinicFinancialSummary:
    return ClinicFinancialSummary.model_validate(
        {
            "revenue": {
                "today": money(today),
                "week": money(week),
                "month": money(month),
                "year_to_date": money(year),
            },
            "billing": billing(ctx),
            "payment_methods": payment_methods(ctx),
        }
    )
