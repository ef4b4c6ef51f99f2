"""Patient satisfaction: the mean ``Feedback.overall_rating`` (1-5) of the clinic's appointments.

Feedback belongs to the period its appointment was scheduled in, not the day it was written, so
"this week's satisfaction" is about this week's visits. Several periods come back from one
query with a conditional mean per period.
"""

from __future__ import annotations

import sqlalchemy as sa

from mediconnect.dashboards.clinic.context import ClinicContext
from mediconnect.dashboards.kit.calendar import Span
from mediconnect.dashboards.kit.sql import A, avg_when, between, count_when, tbl
from mediconnect.models.reports import Feedback

F = sa.inspect(Feedback).local_table.c  # type: ignore[union-attr]


def means(ctx: ClinicContext, spans: dict[str, Span]) -> dict[str, float | None]:
    """Mean rating per named span; ``None`` where the span has no feedback."""
    first = min(s[0] for s in spans.values())
    last = max(s[1] for s in spans.values())
    names = list(spans)
    cols = []
    for name in names:
        inside = between(A.scheduled_start, spans[name])
        cols += [avg_when(inside, F.overall_rating), count_when(inside)]
    row = ctx.session.execute(
        sa.select(*cols)
        .select_from(tbl(A).join(tbl(F), F.appointment_id == A.id))
        .where(A.clinic_id == ctx.clinic_id, between(A.scheduled_start, (first, last)))
    ).one()
    out: dict[str, float | None] = {}
    for i, name in enumerate(names):
        out[name] = float(row[2 * i]) if row[2 * i + 1] else None
    return out
