"""One doctor's figures over named periods, each period a UTC ``[start, end)`` of local days.

Every period figure of the doctor dashboard and of its analytics comes from here, so "a week"
reads the same in the weekly summary, the insights and the analytics. Definitions:

* ``total``: appointments scheduled in the period, any status. ``due``: ``total`` less the open
  ones (booked, confirmed, checked in, in progress) not yet begun at ``now``: the visits whose
  outcome could be known. Completion, cancellation and no-show rates divide by ``due``, so on
  a settled period the three add up to 1.
* ``revenue``: price of completed appointments ("revenue generated"); ``insured``: the part of
  it whose invoice carries a medical aid portion (> 0).
* ``duration``: mean minutes from ``started_at`` to ``ended_at`` of completed visits.
  ``on_time`` of ``started``: visits begun no later than ``GRACE_SECONDS`` after the scheduled
  start. ``wait``: mean minutes from check-in to start.
* Patients (``patients_in()``): distinct patients with a non-cancelled appointment in the
  period; ``new`` those whose first-ever non-cancelled appointment with this doctor is in the
  period (none before its start), the others returning; ``seen`` distinct patients with a
  completed visit.
* Satisfaction (``satisfaction()``): per feedback, the mean of its non-empty ratings among
  ``RATING_COLUMNS``; averaged over the feedback on the period's appointments (feedback belongs
  to the period its visit was scheduled in).

``figures()`` answers any number of (overlapping) periods with one grouped query on the
``(doctor_id, scheduled_start)`` index, ``patients_in()`` and ``ratings()`` likewise with one
each; ``where`` narrows them (the analytics' clinic filter).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from mediconnect.dashboards.doctor.context import DoctorContext
from mediconnect.dashboards.kit.calendar import Span
from mediconnect.dashboards.kit.conventions import rate
from mediconnect.dashboards.kit.sql import (
    CANCELLED,
    COMPLETED,
    GRACE_SECONDS,
    NO_SHOW,
    A,
    avg_when,
    between,
    count_when,
    dec,
    epoch,
    minutes_between,
    num,
    sum_when,
    tbl,
)
from mediconnect.models.appointments import OPEN_STATUSES
from mediconnect.models.billing import Invoice
from mediconnect.models.reports import Feedback

I = sa.inspect(Invoice).local_table.c  # type: ignore[union-attr]  # noqa: E741
F = sa.inspect(Feedback).local_table.c  # type: ignore[union-attr]
OPEN = tuple(s.value for s in OPEN_STATUSES)
# SQLite's julianday arithmetic is off by microseconds: a start exactly on the grace limit counts.
EPSILON_SECONDS = 0.5
# The ratings about the visit itself; billing clarity rates the accounts office, not the doctor.
RATING_COLUMNS = (
    "overall_rating",
    "wait_time_rating",
    "staff_rating",
    "communication_rating",
    "facility_rating",
)


@dataclass(frozen=True)
class Figures:
    total: int
    completed: int
    cancelled: int
    no_show: int
    open: int
    due: int
    revenue: Decimal
    insured: Decimal
    duration: float | None
    on_time: int
    started: int
    wait: float | None

    @property
    def completion_rate(self) -> float:
        return rate(self.completed, self.due)

    @property
    def cancellation_rate(self) -> float:
        return rate(self.cancelled, self.due)

    @property
    def no_show_rate(self) -> float:
        return rate(self.no_show, self.due)

    @property
    def punctuality(self) -> float:
        return rate(self.on_time, self.started)

    @property
    def avg_revenue(self) -> Decimal:
        return (
            (self.revenue / self.completed).quantize(Decimal("0.01")) if self.completed else Decimal("0.00")
        )

    @property
    def insurance_split(self) -> dict[str, float]:
        if not self.revenue:
            return {"insurance": 0.0, "private": 0.0}
        insurance = rate(self.insured, self.revenue)
        return {"insurance": insurance, "private": round(1.0 - insurance, 4)}


@dataclass(frozen=True)
class Patients:
    unique: int
    new: int
    seen: int

    @property
    def returning(self) -> int:
        return self.unique - self.new

    @property
    def retention_rate(self) -> float:
        return rate(self.returning, self.unique)


def scope(
    ctx: DoctorContext, span: Span, where: tuple[ColumnElement[bool], ...]
) -> list[ColumnElement[bool]]:
    return [A.doctor_id == ctx.doctor_id, between(A.scheduled_start, span), *where]


def _pieces(spans: dict[str, Span]) -> list[Span]:
    """The elementary intervals between every boundary of ``spans``: each span is a run of them."""
    cuts = sorted({t for span in spans.values() for t in span})
    return list(itertools.pairwise(cuts))


def figures(
    ctx: DoctorContext, spans: dict[str, Span], where: tuple[ColumnElement[bool], ...] = ()
) -> dict[str, Figures]:
    """Every span's figures from one grouped query.

    Rows are grouped by the elementary interval they fall in (one CASE over the spans'
    boundaries), with additive sums and counts only, then each span adds up its intervals.
    This keeps the statement small however many (overlapping) spans are asked for.
    """
    if not spans:
        return {}
    pieces = _pieces(spans)
    d = ctx.dialect
    done = A.status == COMPLETED
    began = A.started_at.is_not(None)
    late = epoch(A.started_at, d) - epoch(A.scheduled_start, d)
    timed = sa.and_(done, began, A.ended_at.is_not(None))
    waited = sa.and_(began, A.checked_in_at.is_not(None))
    piece = sa.case(*((A.scheduled_start < hi, i) for i, (_, hi) in enumerate(pieces)), else_=len(pieces))
    rows = ctx.session.execute(
        sa.select(
            piece,
            sa.func.count(),
            count_when(done),
            count_when(A.status == CANCELLED),
            count_when(A.status == NO_SHOW),
            count_when(A.status.in_(OPEN)),
            count_when(sa.and_(A.status.in_(OPEN), A.scheduled_start >= ctx.now)),
            sum_when(done, A.price),
            sum_when(sa.and_(done, I.medical_aid_portion > 0), A.price),
            sum_when(timed, minutes_between(A.started_at, A.ended_at, d)),
            count_when(timed),
            count_when(sa.and_(began, late <= GRACE_SECONDS + EPSILON_SECONDS)),
            count_when(began),
            sum_when(waited, minutes_between(A.checked_in_at, A.started_at, d)),
            count_when(waited),
        )
        .select_from(tbl(A).outerjoin(tbl(I), I.appointment_id == A.id))
        .where(*scope(ctx, (pieces[0][0], pieces[-1][1]), where))
        .group_by(piece)
    ).all()
    by_piece = {int(r[0]): r[1:] for r in rows}
    out: dict[str, Figures] = {}
    for name, (lo, hi) in spans.items():
        parts = [by_piece[i] for i, p in enumerate(pieces) if lo <= p[0] and p[1] <= hi and i in by_piece]
        t, c, x, n, o, fut, _, _, dur, dur_n, ont, st, wait, wait_n = (
            0 if k in (6, 7) else sum((part[k] or 0 for part in parts), 0) for k in range(14)
        )
        out[name] = Figures(
            total=int(t),
            completed=int(c),
            cancelled=int(x),
            no_show=int(n),
            open=int(o),
            due=int(t) - int(fut),
            revenue=sum((dec(part[6]) for part in parts), Decimal("0.00")),
            insured=sum((dec(part[7]) for part in parts), Decimal("0.00")),
            duration=float(dur) / int(dur_n) if dur_n else None,
            on_time=int(ont),
            started=int(st),
            wait=float(wait) / int(wait_n) if wait_n else None,
        )
    return out


def patients_in(
    ctx: DoctorContext, spans: dict[str, Span], where: tuple[ColumnElement[bool], ...] = ()
) -> dict[str, Patients]:
    """Per span: patients present, those whose first-ever visit with the doctor is in it, and
    those with a completed visit in it (``seen``).

    One pass over the doctor's non-cancelled appointments up to the last span's end, grouped by
    patient (a few thousand rows on the index), instead of a probe per patient. ``where``
    narrows presence only: "first-ever" is with this doctor anywhere.
    """
    last = max(s[1] for s in spans.values())
    first_visit = sa.func.min(A.scheduled_start)
    cols: list[Any] = []
    for name, span in spans.items():
        inside = sa.and_(between(A.scheduled_start, span), *where)
        seen = sa.and_(inside, A.status == COMPLETED)
        cols.append(sa.func.max(sa.case((inside, 1), else_=0)).label(name))
        cols.append(sa.func.max(sa.case((seen, 1), else_=0)).label(f"{name}_seen"))
    per_patient = (
        sa.select(first_visit.label("first"), *cols)
        .where(A.doctor_id == ctx.doctor_id, A.scheduled_start < last, A.status != CANCELLED)
        .group_by(A.patient_id)
        .subquery()
    )
    totals: list[Any] = []
    for name, span in spans.items():
        present = per_patient.c[name] == 1
        totals += [
            count_when(present),
            count_when(sa.and_(present, per_patient.c.first >= span[0])),
            count_when(per_patient.c[f"{name}_seen"] == 1),
        ]
    row = ctx.session.execute(sa.select(*totals)).one()
    return {
        name: Patients(unique=int(row[3 * i]), new=int(row[3 * i + 1]), seen=int(row[3 * i + 2]))
        for i, name in enumerate(spans)
    }


def _feedback_score() -> ColumnElement[Any]:
    cols = [F[name] for name in RATING_COLUMNS]
    total = sum((sa.func.coalesce(c, 0) for c in cols), sa.literal(0.0))
    present = sum((sa.case((c.is_not(None), 1), else_=0) for c in cols), sa.literal(0))
    return total / sa.func.nullif(present, 0)


def ratings(
    ctx: DoctorContext, spans: dict[str, Span], where: tuple[ColumnElement[bool], ...] = ()
) -> dict[str, tuple[float | None, int]]:
    """(mean feedback score or ``None``, number of feedbacks) per named span."""
    if not spans:
        return {}
    first = min(s[0] for s in spans.values())
    last = max(s[1] for s in spans.values())
    score = _feedback_score()
    cols: list[Any] = []
    for span in spans.values():
        inside = between(A.scheduled_start, span)
        cols += [avg_when(inside, score), count_when(inside)]
    row = ctx.session.execute(
        sa.select(*cols)
        .select_from(tbl(A).join(tbl(F), F.appointment_id == A.id))
        .where(*scope(ctx, (first, last), where))
    ).one()
    return {
        name: (num(row[2 * i]) if row[2 * i + 1] else None, int(row[2 * i + 1]))
        for i, name in enumerate(spans)
    }


def satisfaction(
    ctx: DoctorContext, spans: dict[str, Span], where: tuple[ColumnElement[bool], ...] = ()
) -> dict[str, float | None]:
    """Mean feedback score per named span; ``None`` where the span has no feedback."""
    return {name: mean for name, (mean, _) in ratings(ctx, spans, where).items()}
