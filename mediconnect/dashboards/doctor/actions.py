"""``quick_actions`` with live counts:

* ``view_schedule``: today's appointments (all of them, as ``today_metrics.appointments.total``);
  links to the app's appointment list (the desk view is staff-only).
* ``pending_results``: lab tests this doctor ordered that are completed but not yet reviewed.
* ``messages``: unread messages addressed to the doctor's user.
* ``pending_reports``: this doctor's completed appointments that owe a report (imaging, ECG:
  ``kit.sql.owes_report``) of the last ``REPORT_BACKLOG_DAYS`` days without a signed one.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from mediconnect.dashboards.doctor.context import DoctorContext
from mediconnect.dashboards.doctor.schema import DoctorQuickAction
from mediconnect.dashboards.kit.sql import COMPLETED, A, owes_report, tbl
from mediconnect.models.clinical import LabTest, LabTestStatus, Message
from mediconnect.models.reports import Report

# The signing backlog a doctor can still act on; older gaps go to the records audit. The window
# also keeps the count on the (doctor_id, scheduled_start) index instead of the whole history.
REPORT_BACKLOG_DAYS = 90
L = sa.inspect(LabTest).local_table.c  # type: ignore[union-attr]
M = sa.inspect(Message).local_table.c  # type: ignore[union-attr]
R = sa.inspect(Report).local_table.c  # type: ignore[union-attr]


def counts(ctx: DoctorContext) -> tuple[int, int, int]:
    results = sa.select(sa.func.count()).where(
        L.ordered_by_id == ctx.doctor_id, L.status == LabTestStatus.COMPLETED.value, L.reviewed_at.is_(None)
    )
    unread = sa.select(sa.func.count()).where(M.recipient_id == ctx.user.id, M.read_at.is_(None))
    reports = (
        sa.select(sa.func.count())
        .select_from(tbl(A).outerjoin(tbl(R), R.appointment_id == A.id))
        .where(
            A.doctor_id == ctx.doctor_id,
            A.scheduled_start >= ctx.span(ctx.today - timedelta(days=REPORT_BACKLOG_DAYS), ctx.today)[0],
            A.status == COMPLETED,
            owes_report(),
            R.signed_at.is_(None),
        )
    )
    row = ctx.session.execute(
        sa.select(results.scalar_subquery(), unread.scalar_subquery(), reports.scalar_subquery())
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


def build(ctx: DoctorContext, today_total: int) -> list[DoctorQuickAction]:
    results, unread, reports = counts(ctx)
    return [
        DoctorQuickAction(
            action="view_schedule", label="Today's Schedule", url="/appointments/list/", count=today_total
        ),
        DoctorQuickAction(
            action="pending_results", label="Pending Lab Results", url="/lab-results/pending", count=results
        ),
        DoctorQuickAction(action="messages", label="Unread Messages", url="/messages", count=unread),
        DoctorQuickAction(
            action="pending_reports", label="Reports to Sign", url="/reports/pending", count=reports
        ),
    ]
