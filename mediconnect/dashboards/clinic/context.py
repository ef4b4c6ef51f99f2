"""The clinic, its zone and the calendar every clinic-dashboard section reads its periods from.

Periods (all clinic-local, turned into UTC ``[start, end)`` for the indexed columns):

* ``today``: the local date of ``now``.
* ``week``: the current ISO week, Monday to Sunday. ``last_week``: the previous full ISO week
  (the spec's ``weekly_performance`` period), ``week_before``: the one before that.
* ``month``: the current calendar month; ``last_month``: the previous one.
* ``recent``: a rolling 30 days ending today, for the doctor rates that need a sample.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from mediconnect.core.errors import DashboardError, DashErrorCode
from mediconnect.dashboards.kit.calendar import LocalCalendar
from mediconnect.dashboards.kit.conventions import zone
from mediconnect.models.clinics import Clinic

RECENT_DAYS = 30


@dataclass(frozen=True)
class ClinicContext(LocalCalendar):
    session: Session
    clinic: Clinic
    clinic_id: int
    tz: ZoneInfo
    now: datetime
    today: date
    dialect: str

    @property
    def recent(self) -> tuple[date, date]:
        return self.today - timedelta(days=RECENT_DAYS - 1), self.today


def load(session: Session, clinic_id: int, now: datetime) -> ClinicContext:
    clinic = session.get(Clinic, clinic_id)
    if clinic is None:
        raise DashboardError(DashErrorCode.DASH_005, f"no clinic {clinic_id}")
    tz = zone(clinic.timezone)
    bind = session.get_bind()
    return ClinicContext(
        session=session,
        clinic=clinic,
        clinic_id=clinic_id,
        tz=tz,
        now=now,
        today=now.astimezone(tz).date(),
        dialect=bind.dialect.name,
    )
