"""``weekly_summary``: the previous full ISO week (Monday to Sunday before the current week).

* ``appointments``: ``total`` scheduled that week, any status; ``completion_rate``,
  ``cancellation_rate``, ``no_show_rate`` over the week's appointments less any still open and
  not yet begun (see ``doctor.figures``).
* ``patient_metrics``: ``total_patients`` distinct patients with a non-cancelled appointment;
  ``new_patients`` those whose first-ever non-cancelled appointment with this doctor fell in
  the week; ``retention_rate`` share of the week's patients seen by this doctor before it;
  ``satisfaction_avg`` the mean feedback score (1-5, 1 place) of the week's visits.
* ``revenue``: ``weekly_total`` the price of completed visits; ``avg_per_appointment`` that
  over the completed count; ``insurance_vs_private`` shares of the revenue whose invoice has a
  medical aid portion vs not.
"""

from __future__ import annotations

from mediconnect.dashboards.doctor.context import DoctorContext
from mediconnect.dashboards.doctor.figures import Figures, Patients
from mediconnect.dashboards.doctor.schema import DoctorWeeklySummary
from mediconnect.dashboards.kit.conventions import money, one_place, period_label


def build(ctx: DoctorContext, week: Figures, people: Patients, rating: float | None) -> DoctorWeeklySummary:
    return DoctorWeeklySummary.model_validate(
        {
            "period": period_label(*ctx.last_week),
            "appointments": {
                "total": week.total,
                "completion_rate": week.completion_rate,
                "cancellation_rate": week.cancellation_rate,
                "no_show_rate": week.no_show_rate,
            },
            "patient_metrics": {
                "total_patients": people.unique,
                "new_patients": people.new,
                "retention_rate": people.retention_rate,
                "satisfaction_avg": one_place(rating),
            },
            "revenue": {
                "weekly_total": money(week.revenue),
                "avg_per_appointment": money(week.avg_revenue),
                "insurance_vs_private": week.insurance_split,
            },
        }
    )
