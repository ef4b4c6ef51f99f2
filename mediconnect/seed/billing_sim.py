"""Billing: an invoice for every completed appointment (the medical aid pays its coverage % of
the service up to the scheme's tariff cap, the patient the rest), claims with scheme-specific
turnaround and denial rates, patient payments shaped by each patient's payment behaviour
(prompt, later, slow, partial, never), failed attempts, duplicate charges refunded, chargebacks,
payment plans with installments, and the monthly revenue/cost aggregates targets are built on."""

from __future__ import annotations

from mediconnect.seed.billing_columns import Billing
from mediconnect.seed.billing_plans import plan_or_none
from mediconnect.seed.catalog import price_factor
from mediconnect.seed.clock import DAY, HOUR, MINUTE
from mediconnect.seed.codes import (
    CL_APPROVED,
    CL_DENIED,
    CL_PAID,
    CL_PARTIAL,
    CL_SUBMITTED,
    COMPLETED,
    DENIAL_REASONS,
    INV_CANCELLED,
    INV_DRAFT,
    INV_OVERDUE,
    INV_PAID,
    INV_PARTIAL,
    INV_SENT,
    PAYER_LATER,
    PAYER_NEVER,
    PAYER_PARTIAL,
    PAYER_PROMPT,
    PAYER_SLOW,
    PM_CARD,
    PM_CASH,
    PM_INSURANCE,
    PM_MOBILE,
    PM_TRANSFER,
    PS_COMPLETED,
    PS_FAILED,
    PS_PROCESSING,
    PS_REFUNDED,
)
from mediconnect.seed.patients_build import covered_on
from mediconnect.seed.rng import Weighted, stream
from mediconnect.seed.world import World

DESK_METHODS = Weighted([PM_CARD, PM_MOBILE, PM_CASH, PM_TRANSFER], [0.55, 0.2, 0.15, 0.1])
LATER_METHODS = Weighted([PM_CARD, PM_TRANSFER, PM_MOBILE], [0.4, 0.35, 0.25])
CONTRAST = {"CT-ABDO", "CT-CTA", "MR-ABDO"}
EXTRA_CONTRAST, EXTRA_CONSUMABLES = 1, 2


def fee(method: int, amount: int) -> int:
    if method == PM_CARD:
        return round(amount * 0.029) + 200
    if method == PM_MOBILE:
        return round(amount * 0.015)
    return 450 if method == PM_TRANSFER else 0


class BillingSim:
    def __init__(self, world: World) -> None:
        self.w, self.b = world, Billing()
        self.rng = stream(world.seed, "billing")
        self.today = world.today.toordinal()
        self.desk: dict[int, list[int]] = {}
        for st in world.staff:
            if st.staff_role in {"receptionist", "billing_clerk"}:
                self.desk.setdefault(st.clinic_id, []).append(st.user.id)

    def pay(
        self, inv: int, patient: int, amount: int, method: int, when: int, clinic: int
    ) -> tuple[int, int]:
        """Record a payment made at `when` (maybe after a failed attempt).

        Returns (completed_at or 0 while still processing, payment id); (0, 0) if it lies after now."""
        rng, b, now = self.rng, self.b, self.w.now
        if when > now or amount <= 0:
            return 0, 0
        desk = self.desk.get(clinic) or [0]
        by = rng.choice(desk) if method in (PM_CASH, PM_CARD) and rng.random() < 0.5 else 0
        if method in (PM_CARD, PM_MOBILE) and rng.random() < 0.07:
            failed_at = when - rng.randint(10 * MINUTE, 3 * DAY)
            reason = (
                4
                if method == PM_MOBILE and rng.random() < 0.5
                else rng.randrange(4)
                if rng.random() < 0.9
                else 5
            )
            b.payments.append(inv, patient, 0, amount, method, PS_FAILED, failed_at, 0, reason, 0, 0, by, 0)
        status, completed = PS_COMPLETED, when + rng.randint(5, 90)
        if method == PM_TRANSFER:
            completed = when + rng.randint(2 * HOUR, 2 * DAY)
        if completed > now:
            status, completed = PS_PROCESSING, 0
        chargeback = 0
        if method == PM_CARD and status == PS_COMPLETED and rng.random() < 0.003:
            chargeback = min(now, completed + rng.randint(10, 60) * DAY)
        pid = b.payments.append(
            inv,
            patient,
            0,
            amount,
            method,
            status,
            when,
            completed,
            -1,
            fee(method, amount),
            chargeback,
            by,
            0,
        )
        refunded = completed + rng.randint(1, 5) * DAY
        if status == PS_COMPLETED and method == PM_CARD and refunded <= now and rng.random() < 0.005:
            # a duplicate card charge, refunded a few days later
            dup = b.payments.append(
                inv,
                patient,
                0,
                amount,
                method,
                PS_REFUNDED,
                when + 120,
                completed + 120,
                -1,
                fee(method, amount),
                0,
                by,
                0,
            )
            b.refunds.append(dup, amount, 0, refunded, rng.choice(desk))
        return completed, pid

    def pay_now(
        self, inv: int, patient: int, amount: int, method: int, when: int, clinic: int
    ) -> tuple[int, int]:
        """pay() as (amount settled, completed_at)."""
        completed, _ = self.pay(inv, patient, amount, method, when, clinic)
        return (amount, completed) if completed else (0, 0)

    def run(self) -> None:
        w, rng, a, p, b = self.w, self.rng, self.w.appts, self.w.patients, self.b
        services = w.services
        for i in range(len(a)):
            if a.status[i] != COMPLETED:
                continue
            pat, clinic, svc = a.patient[i] - 1, a.clinic[i], services[a.service[i] - 1]
            day = w.local.local_day(a.start[i])
            price = a.price[i]
            extra_kind = extra = 0
            if svc.spec.code in CONTRAST:
                extra_kind, extra = EXTRA_CONTRAST, rng.choice((45_000, 65_000, 85_000))
            elif svc.spec.category == "procedure":
                extra_kind, extra = EXTRA_CONSUMABLES, 35_000
            ma = extra_ma = 0
            scheme = p.scheme[pat]
            tariff = w.tariffs[(scheme, svc.id)] if scheme else None
            if tariff and tariff.covered and covered_on(p, pat, day):
                cap = round(tariff.cap_cents * price_factor(w, day))
                ma = round(min(price, cap) * tariff.coverage_percent / 100)
                extra_ma = round(extra * w.schemes[scheme - 1].spec.coverage_percent / 100)
            total = price + extra
            ma_total = ma + extra_ma
            issued = min(w.now, a.ended[i] + rng.randint(5 * MINUTE, 3 * HOUR))
            issue_day = w.local.local_day(issued)
            month = (lambda d: d.year * 12 + d.month - 1)(w.today.fromordinal(issue_day))
            doctor = a.doctor[i]
            w.revenue_by_doctor_month[(doctor, month)] = (
                w.revenue_by_doctor_month.get((doctor, month), 0) + total
            )
            w.revenue_by_clinic_month[(clinic, month)] = (
                w.revenue_by_clinic_month.get((clinic, month), 0) + total
            )
            cost = svc.spec.cost_cents + extra // 3
            w.cost_by_clinic_month[(clinic, month)] = w.cost_by_clinic_month.get((clinic, month), 0) + cost
            w.visits_by_clinic_month[(clinic, month)] = w.visits_by_clinic_month.get((clinic, month), 0) + 1
            self._invoice(
                i, pat, clinic, doctor, total, ma_total, issued, issue_day, extra_kind, extra, extra_ma
            )
        w.billing = b

    def _invoice(
        self,
        i: int,
        pat: int,
        clinic: int,
        doctor: int,
        total: int,
        ma: int,
        issued: int,
        issue_day: int,
        extra_kind: int,
        extra: int,
        extra_ma: int,
    ) -> None:
        w, rng, p, b, now = self.w, self.rng, self.w.patients, self.b, self.w.now
        inv = len(b.invoices) + 1
        draft = issued > now - 2 * DAY and rng.random() < 0.15
        sent = 0 if draft else min(now, issued + rng.randint(MINUTE, 2 * HOUR))
        cancelled = 0
        if not draft and issue_day < self.today - 30 and rng.random() < 0.004:
            cancelled = issued + rng.randint(1, 20) * DAY
        paid_sum, last_paid = 0, 0
        pt = total - ma
        if not cancelled and not draft:
            if ma:
                got, when = self._claim(inv, pat, ma, issued)
                paid_sum += got
                last_paid = max(last_paid, when)
                if got < ma and when:  # denied or partly paid: the patient is billed the shortfall
                    pt += ma - got
            got, when = self._patient_pays(inv, pat, clinic, pt, issued, issue_day)
            paid_sum += got
            last_paid = max(last_paid, when)
        due = issue_day + 30
        if cancelled:
            status = INV_CANCELLED
        elif draft:
            status = INV_DRAFT
        elif paid_sum >= total:
            status = INV_PAID
        elif due < self.today - 180 and rng.random() < 0.85:
            status, cancelled = INV_CANCELLED, w.local.at(due + 180, 9 * 60)  # written off as bad debt
        elif due < self.today:
            status = INV_OVERDUE
        else:
            status = INV_PARTIAL if paid_sum else INV_SENT
        reminders, last_reminder = 0, 0
        if status in (INV_OVERDUE, INV_PARTIAL, INV_SENT) and not p.auto_pay[pat]:
            overdue_days = self.today - due
            if overdue_days > 0:
                reminders = min(4, overdue_days // 14 + 1)
                last_reminder = w.local.at(due + 14 * (reminders - 1), 9 * 60)
        auto_gen = rng.random() < 0.92
        b.invoices.append(
            i + 1,
            pat + 1,
            clinic,
            doctor,
            status,
            total,
            ma,
            min(paid_sum, total),
            issued,
            due,
            sent,
            last_paid if status == INV_PAID else 0,
            cancelled,
            auto_gen,
            bool(sent) and auto_gen and rng.random() < 0.9,
            reminders,
            last_reminder,
            extra_kind,
            extra,
            extra_ma,
        )

    def _claim(self, inv: int, pat: int, ma: int, issued: int) -> tuple[int, int]:
        """Submit the medical aid's share; returns (amount paid by now, when)."""
        w, rng, p, b, now = self.w, self.rng, self.w.patients, self.b, self.w.now
        submitted = issued + rng.randint(10 * MINUTE, 2 * DAY)
        if submitted > now:
            return 0, 0
        scheme = w.schemes[p.scheme[pat] - 1].spec
        decided = submitted + int(scheme.claim_turnaround_days * rng.lognormvariate(0, 0.35) * DAY)
        paid_at = decided + rng.randint(2, 12) * DAY
        r = rng.random()
        denial = -1
        if r < scheme.denial_rate:
            status, approved, denial = CL_DENIED, 0, rng.randrange(len(DENIAL_REASONS))
        elif r < scheme.denial_rate + 0.1:
            status, approved = CL_PARTIAL, round(ma * rng.between(0.6, 0.95))
        else:
            status, approved = CL_APPROVED, ma
        paid_amount = -1
        if decided > now:
            status, approved, denial, decided, paid_at = CL_SUBMITTED, -1, -1, 0, 0
        elif status != CL_DENIED and paid_at <= now:
            paid_amount = approved
            if status == CL_APPROVED:
                status = CL_PAID
        else:
            paid_at = 0
        b.claims.append(
            inv,
            p.ms_id[pat],
            p.scheme[pat],
            status,
            ma,
            approved,
            paid_amount,
            submitted,
            decided,
            paid_at,
            denial,
        )
        claim = len(b.claims)
        if paid_amount > 0:
            b.payments.append(
                inv,
                pat + 1,
                claim,
                paid_amount,
                PM_INSURANCE,
                PS_COMPLETED,
                paid_at - DAY,
                paid_at,
                -1,
                0,
                0,
                0,
                p.scheme[pat],
            )
            return paid_amount, paid_at
        return 0, decided if status == CL_DENIED else 0

    def _patient_pays(
        self, inv: int, pat: int, clinic: int, pt: int, issued: int, issue_day: int
    ) -> tuple[int, int]:
        """The patient's share; returns (amount settled by now, when the last payment completed)."""
        rng, p = self.rng, self.w.patients
        if pt <= 0:
            return 0, 0
        behaviour, pid = p.payer[pat], pat + 1
        if p.auto_pay[pat]:
            return self.pay_now(inv, pid, pt, PM_CARD, issued + rng.randint(MINUTE, HOUR), clinic)
        plan = plan_or_none(self, inv, pat, clinic, pt, issued, issue_day)
        if plan is not None:
            return plan
        if behaviour == PAYER_PROMPT:
            return self.pay_now(
                inv, pid, pt, DESK_METHODS.draw(rng), issued + rng.randint(MINUTE, 30 * MINUTE), clinic
            )
        if behaviour in (PAYER_LATER, PAYER_SLOW):
            lag = rng.randint(1, 45) if behaviour == PAYER_LATER else rng.randint(35, 110)
            when = issued + lag * DAY + rng.randint(0, 10 * HOUR)
            return self.pay_now(inv, pid, pt, LATER_METHODS.draw(rng), when, clinic)
        if behaviour == PAYER_PARTIAL:
            first = round(pt * rng.between(0.4, 0.7))
            when = issued + rng.randint(0, 20) * DAY + HOUR
            got, last = self.pay_now(inv, pid, first, DESK_METHODS.draw(rng), when, clinic)
            if got and rng.random() < 0.8:
                when = issued + rng.randint(60, 150) * DAY
                more, later = self.pay_now(inv, pid, pt - first, LATER_METHODS.draw(rng), when, clinic)
                if more:
                    got, last = got + more, later
            return got, last
        assert behaviour == PAYER_NEVER
        if rng.random() < 0.5:  # debt collection recovers half of it, eventually
            return self.pay_now(inv, pid, pt, PM_TRANSFER, issued + rng.randint(120, 300) * DAY, clinic)
        return 0, 0


def simulate(world: World) -> None:
    BillingSim(world).run()
