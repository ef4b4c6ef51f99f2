"""Invoices and their lines, claims, payments, refunds, payment plans, installments and credit accounts."""

from __future__ import annotations

from datetime import date

from mediconnect.seed.billing_plans import INST_STATUS, PLAN_STATUS
from mediconnect.seed.billing_sim import EXTRA_CONTRAST
from mediconnect.seed.clock import DAY, dt
from mediconnect.seed.codes import (
    CLAIM_STATUS,
    DENIAL_REASONS,
    FAILURE_REASONS,
    INVOICE_STATUS,
    PAY_METHOD,
    PAY_STATUS,
    PM_CARD,
    PM_CASH,
    PM_INSURANCE,
    PM_MOBILE,
    PS_COMPLETED,
    PS_REFUNDED,
)
from mediconnect.seed.emit_appointments import cents, chunks
from mediconnect.seed.emitters import Rows, day, emits, money
from mediconnect.seed.rng import stream
from mediconnect.seed.world import World

PROVIDERS = {PM_CARD: "peach_payments", PM_MOBILE: "mtn_momo", PM_CASH: "desk", 2: "ozow"}


def _amount_or_none(c: int) -> object:
    return None if c < 0 else money(c)


@emits(
    "invoices",
    "id number appointment_id patient_id clinic_id doctor_id status subtotal medical_aid_portion "
    "patient_portion total amount_paid issued_at due_date sent_at paid_at cancelled_at auto_generated "
    "auto_sent reminders_sent last_reminder_at",
    total=lambda w: len(w.billing.invoices),
)
def invoices(w: World) -> Rows:
    names = (
        "appt",
        "patient",
        "clinic",
        "doctor",
        "status",
        "total",
        "ma",
        "paid",
        "issued",
        "due",
        "sent",
        "paid_at",
        "cancelled",
        "auto_gen",
        "auto_sent",
        "reminders",
        "last_reminder",
    )
    for a, rows in chunks(w.billing.invoices, names):
        for k, (
            appt,
            pat,
            cl,
            doc,
            st,
            total,
            ma,
            paid,
            issued,
            due,
            sent,
            paid_at,
            canc,
            ag,
            asent,
            rem,
            last,
        ) in enumerate(rows):
            iid = a + k + 1
            year = date.fromordinal(due - 30).year
            yield (
                iid,
                f"INV-{year}-{iid:08d}",
                appt,
                pat,
                cl,
                doc,
                INVOICE_STATUS[st],
                cents(total),
                cents(ma),
                cents(total - ma),
                cents(total),
                cents(paid),
                dt(issued),
                day(due),
                dt(sent),
                dt(paid_at),
                dt(canc),
                bool(ag),
                bool(asent),
                rem,
                dt(last),
            )


@emits(
    "invoice_lines",
    "id invoice_id service_id description quantity unit_price amount medical_aid_amount patient_amount",
    total=lambda w: len(w.billing.invoices),
)
def invoice_lines(w: World) -> Rows:
    inv, a, n = w.billing.invoices, w.appts, 0
    for i in range(len(inv)):
        svc = w.services[a.service[inv.appt[i] - 1] - 1]
        extra, extra_ma = inv.extra_amt[i], inv.extra_ma[i]
        main = inv.total[i] - extra
        main_ma = inv.ma[i] - extra_ma
        n += 1
        yield (
            n,
            i + 1,
            svc.id,
            svc.spec.name,
            1,
            cents(main),
            cents(main),
            cents(main_ma),
            cents(main - main_ma),
        )
        if extra:
            text = (
                "Contrast medium (iohexol)"
                if inv.extra_kind[i] == EXTRA_CONTRAST
                else "Procedure consumables"
            )
            n += 1
            yield (
                n,
                i + 1,
                None,
                text,
                1,
                cents(extra),
                cents(extra),
                cents(extra_ma),
                cents(extra - extra_ma),
            )


@emits(
    "claims",
    "id claim_number invoice_id membership_id scheme_id status claimed_amount approved_amount "
    "paid_amount submitted_at decided_at paid_at denial_reason",
    total=lambda w: len(w.billing.claims),
)
def claims(w: World) -> Rows:
    c = w.billing.claims
    names = (
        "invoice",
        "membership",
        "scheme",
        "status",
        "claimed",
        "approved",
        "paid_amount",
        "submitted",
        "decided",
        "paid",
        "denial",
    )
    for a, rows in chunks(c, names):
        for k, (inv, ms, scheme, st, claimed, approved, paid_amount, sub, dec, paid, denial) in enumerate(
            rows
        ):
            cid = a + k + 1
            yield (
                cid,
                f"CLM-{cid:09d}",
                inv,
                ms,
                scheme,
                CLAIM_STATUS[st],
                cents(claimed),
                _amount_or_none(approved),
                _amount_or_none(paid_amount),
                dt(sub),
                dt(dec),
                dt(paid),
                DENIAL_REASONS[denial] if denial >= 0 else None,
            )


@emits(
    "payments",
    "id invoice_id patient_id claim_id amount method status provider transaction_reference "
    "receipt_number failure_reason processing_fee idempotency_key recorded_by_id created_at completed_at "
    "chargeback_at",
    total=lambda w: len(w.billing.payments),
)
def payments(w: World) -> Rows:
    rng = stream(w.seed, "payment-rows")
    schemes = [""] + [s.spec.code for s in w.schemes]
    names = (
        "invoice",
        "patient",
        "claim",
        "amount",
        "method",
        "status",
        "created",
        "completed",
        "failure",
        "fee",
        "chargeback",
        "recorded_by",
        "provider",
    )
    for a, rows in chunks(w.billing.payments, names):
        for k, (
            inv,
            pat,
            claim,
            amount,
            method,
            st,
            created,
            completed,
            failure,
            fee,
            cb,
            by,
            prov,
        ) in enumerate(rows):
            pid = a + k + 1
            provider = schemes[prov] if method == PM_INSURANCE else PROVIDERS.get(method, "desk")
            # Dashes keep a remittance reference from reading as a policy number ("HFM" + 9 digits).
            reference = None if method == PM_CASH else f"{provider[:4].upper()}-{pid:010d}-{rng.hex(4)}"
            receipt = f"RCT-{pid:010d}" if st in (PS_COMPLETED, PS_REFUNDED) else None
            online = method != PM_CASH and not by
            yield (
                pid,
                inv,
                pat,
                claim or None,
                cents(amount),
                PAY_METHOD[method],
                PAY_STATUS[st],
                provider,
                reference,
                receipt,
                FAILURE_REASONS[failure] if failure >= 0 else None,
                cents(fee),
                f"pay-{pid:012d}" if online else None,
                by or None,
                dt(created),
                dt(completed),
                dt(cb),
            )


REFUND_REASONS = ("Duplicate payment",)


@emits("refunds", "id payment_id amount reason reference recorded_by_id refunded_at")
def refunds(w: World) -> Rows:
    r = w.billing.refunds
    for i in range(len(r)):
        yield (
            i + 1,
            r.payment[i],
            cents(r.amount[i]),
            REFUND_REASONS[r.reason[i]],
            f"RF-{i + 1:09d}",
            r.by[i] or None,
            dt(r.at[i]),
        )


@emits(
    "payment_plans",
    "id patient_id invoice_id total_amount installments installment_amount frequency_days "
    "start_date status created_at",
)
def plans(w: World) -> Rows:
    p = w.billing.plans
    for i in range(len(p)):
        yield (
            i + 1,
            p.patient[i],
            p.invoice[i],
            cents(p.total[i]),
            p.count[i],
            cents(p.installment[i]),
            30,
            day(p.start[i]),
            PLAN_STATUS[p.status[i]],
            dt(p.created[i]),
        )


@emits("payment_plan_installments", "id plan_id sequence due_date amount status paid_at payment_id")
def installments(w: World) -> Rows:
    x = w.billing.installments
    for i in range(len(x)):
        yield (
            i + 1,
            x.plan[i],
            x.seq[i],
            day(x.due[i]),
            cents(x.amount[i]),
            INST_STATUS[x.status[i]],
            dt(x.paid[i]),
            x.payment[i] or None,
        )


@emits("credit_accounts", "id patient_id credit_limit balance opened_at is_active")
def credit_accounts(w: World) -> Rows:
    rng, p, n = stream(w.seed, "credit"), w.patients, 0
    for i in range(len(p)):
        if rng.random() >= 0.03:
            continue
        limit = rng.choice((200_000, 500_000, 1_000_000, 2_000_000))
        balance = round(limit * rng.random() ** 1.5 * 0.9 / 100) * 100
        n += 1
        opened = max(p.registered[i], w.now - rng.randint(30, 900) * DAY)
        yield (n, i + 1, money(limit), money(balance), dt(min(opened, w.now)), rng.random() < 0.95)
