"""Days before today, from the ``daily_clinic_stats`` rollup, summed over the periods asked for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from mediconnect.dashboards.clinic.context import ClinicContext


@dataclass(frozen=True)
class DaySums:
    appointments: int = 0
    completed: int = 0
    cancelled: int = 0
    no_shows: int = 0
    revenue: Decimal = Decimal("0.00")
    new_patients: int = 0  # first-ever visit here on one of these days: additive across days


def _read(ctx: ClinicContext, first: date, last: date) -> list[Any]:
    from mediconnect.dashboards.kit import daily_stats

    return list(daily_stats.read(ctx.session, clinic_id=ctx.clinic_id, first=first, last=last))


class History:
    """The rollup's rows for ``first`` .. yesterday, read once."""

    def __init__(self, ctx: ClinicContext, first: date) -> None:
        yesterday = ctx.today - timedelta(days=1)
        self.rows = _read(ctx, first, yesterday) if first <= yesterday else []

    def sums(self, first: date, last: date) -> DaySums:
        rows = [r for r in self.rows if first <= r.day <= last]
        return DaySums(
            appointments=sum(r.appointment_count for r in rows),
            completed=sum(r.completed_count for r in rows),
            cancelled=sum(r.cancelled_count for r in rows),
            no_shows=sum(r.no_show_count for r in rows),
            revenue=sum((Decimal(r.daily_revenue) for r in rows), Decimal("0.00")),
            new_patients=sum(r.new_patients for r in rows),
        )
