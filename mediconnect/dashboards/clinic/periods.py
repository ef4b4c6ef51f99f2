"""Live appointment totals over a few named periods in one indexed, conditional-aggregate query,
plus the clinic's revenue targets and the "patients seen before" split.

Revenue is "revenue generated": the price of completed appointments, by scheduled day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from mediconnect.dashboards.clinic.context import ClinicContext
from mediconnect.dashboards.kit.calendar import Span
from mediconnect.dashboards.kit.sql import (
    CANCELLED,
    COMPLETED,
    NO_SHOW,
    A,
    between,
    count_when,
    dec,
    not_cancelled,
    sum_when,
)
from mediconnect.models.staff import RevenueTarget, TargetPeriod


@dataclass(frozen=True)
class Totals:
    total: int
    completed: int
    cancelled: int
    no_show: int
    revenue: Decimal

    @property
    def completion_rate_parts(self) -> tuple[int, int]:
        return self.completed, self.completed + self.cancelled + self.no_show


def totals(ctx: ClinicContext, spans: dict[str, Span]) -> dict[str, Totals]:
    first = min(s[0] for s in spans.values())
    last = max(s[1] for s in spans.values())
    cols = []
    for span in spans.values():
        inside = between(A.scheduled_start, span)
        cols += [
            count_when(inside),
            count_when(sa.and_(inside, A.status == COMPLETED)),
            count_when(sa.and_(inside, A.status == CANCELLED)),
            count_when(sa.and_(inside, A.status == NO_SHOW)),
            sum_when(sa.and_(inside, A.status == COMPLETED), A.price),
        ]
    row = ctx.session.execute(
        sa.select(*cols).where(A.clinic_id == ctx.clinic_id, between(A.scheduled_start, (first, last)))
    ).one()
    out: dict[str, Totals] = {}
    for i, name in enumerate(spans):
        t, c, x, n, rev = row[5 * i : 5 * i + 5]
        out[name] = Totals(int(t), int(c), int(x), int(n), dec(rev))
    return out


def unique_patients(ctx: ClinicContext, span: Span) -> int:
    """Distinct patients with a non-cancelled appointment in ``span``.

    Of these, the new ones (first visit here) come from the rollup, where a patient's first
    visit is counted on exactly one day; a per-patient look back cost 50-230 ms on a large clinic.
    """
    return int(
        ctx.session.scalar(
            sa.select(sa.func.count(sa.distinct(A.patient_id))).where(
                A.clinic_id == ctx.clinic_id, between(A.scheduled_start, span), not_cancelled()
            )
        )
        or 0
    )


def target(ctx: ClinicContext, period: TargetPeriod, on: date) -> Decimal | None:
    """The clinic's revenue target for ``period`` in force on ``on`` (latest ``effective_from``)."""
    t = sa.inspect(RevenueTarget).local_table
    amount = ctx.session.scalar(
        sa.select(t.c.amount)
        .where(t.c.clinic_id == ctx.clinic_id, t.c.period == period, t.c.effective_from <= on)
        .order_by(t.c.effective_from.desc())
        .limit(1)
    )
    return None if amount is None else Decimal(amount)
