"""Payment plans: a large patient share split into monthly installments, some paid late, some
missed (plans with two or more missed installments default)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mediconnect.seed.clock import DAY, HOUR
from mediconnect.seed.codes import PAYER_NEVER, PAYER_PROMPT, PM_CARD, PM_TRANSFER

if TYPE_CHECKING:
    from mediconnect.seed.billing_sim import BillingSim

INST_STATUS = ("due", "paid", "late", "missed")
I_DUE, I_PAID, I_LATE, I_MISSED = range(4)
PLAN_STATUS = ("active", "completed", "defaulted", "cancelled")
P_ACTIVE, P_COMPLETED, P_DEFAULTED, P_CANCELLED = range(4)
PLAN_MIN_CENTS = 250_000


def plan_or_none(
    sim: BillingSim, inv: int, pat: int, clinic: int, pt: int, issued: int, issue_day: int
) -> tuple[int, int] | None:
    """Put a large balance on a plan (30% of the time); returns (settled by now, when) or None."""
    rng, w, b = sim.rng, sim.w, sim.b
    behaviour = w.patients.payer[pat]
    if pt < PLAN_MIN_CENTS or behaviour == PAYER_PROMPT or rng.random() >= 0.3:
        return None
    created = issued + rng.randint(HOUR, 3 * DAY)
    if created > w.now:
        return None
    count = rng.choice((3, 3, 6))
    each = -(-pt // count)
    start = issue_day + 7
    plan_id = len(b.plans) + 1
    got = last = missed = paid = 0
    method = PM_CARD if rng.random() < 0.6 else PM_TRANSFER
    for k in range(count):
        amount = each if k < count - 1 else pt - each * (count - 1)
        due = start + 30 * k
        r = rng.random()
        p_missed = 0.35 if behaviour == PAYER_NEVER else 0.07
        status, paid_at, payment = I_DUE, 0, 0
        if r < p_missed:
            status = I_MISSED if due < sim.today else I_DUE
        else:
            late = r < p_missed + 0.15
            pay_day = due + rng.randint(3, 25) if late else due - rng.randint(0, 3)
            completed, payment = sim.pay(
                inv, pat + 1, amount, method, w.local.at(pay_day, rng.randint(420, 1200)), clinic
            )
            if payment:
                status = I_LATE if late else I_PAID
                paid_at = completed or b.payments.created[payment - 1]
                if completed:
                    got, last = got + amount, max(last, completed)
            elif due < sim.today:
                status = I_MISSED
        missed += status == I_MISSED
        paid += status in (I_PAID, I_LATE)
        b.installments.append(plan_id, k + 1, due, amount, status, paid_at, payment)
    plan_status = P_COMPLETED if paid == count else P_DEFAULTED if missed >= 2 else P_ACTIVE
    if plan_status == P_ACTIVE and missed and rng.random() < 0.1:
        plan_status = P_CANCELLED
    b.plans.append(pat + 1, inv, pt, count, each, start, plan_status, created)
    return got, last
