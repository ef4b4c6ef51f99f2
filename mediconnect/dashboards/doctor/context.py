"""The doctor, their zone and their calendar: what every doctor-dashboard section reads.

"Today" is the local date of ``now`` in the doctor's primary clinic's zone (else their first
affiliated clinic's, else the platform default). Periods, all local and turned into UTC
``[start, end)`` ranges for the ``(doctor_id, scheduled_start)`` index:

* ``today``; ``week`` the current ISO week; ``last_week`` the previous full ISO week (the spec's
  ``weekly_summary``); ``week_before`` the one before it;
* ``month`` the current calendar month; ``last_month`` the previous one.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from mediconnect.core.errors import AccessDenied, DashErrorCode
from mediconnect.dashboards.kit.calendar import LocalCalendar
from mediconnect.dashboards.kit.conventions import zone
from mediconnect.models.clinics import Clinic
from mediconnect.models.staff import Doctor, DoctorClinicAffiliation
from mediconnect.models.users import User


@dataclass(frozen=True)
class DoctorContext(LocalCalendar):
    session: Session
    doctor: Doctor
    user: User
    doctor_id: int
    tz: ZoneInfo
    now: datetime
    today: date
    dialect: str

    def one_of(self, column: Any, ids: Collection[int]) -> ColumnElement[bool]:
        """``column IN ids``; on PostgreSQL as ``= ANY(array)``, one parameter however many ids."""
        if self.dialect == "postgresql":
            return column == sa.func.any(sa.bindparam(None, list(ids), type_=ARRAY(sa.Integer)))
        return column.in_(list(ids))  # type: ignore[no-any-return]


def _home_zone(session: Session, doctor_id: int) -> ZoneInfo:
    aff = DoctorClinicAffiliation
    tz_name = session.exec(
        select(Clinic.timezone)
        .join(aff, col(aff.clinic_id) == col(Clinic.id))
        .where(aff.doctor_id == doctor_id)
        .order_by(sa.desc(col(aff.is_primary)), col(aff.id))
        .limit(1)
    ).first()
    return zone(tz_name)


def load(session: Session, doctor_id: int, now: datetime) -> DoctorContext:
    doctor = session.get(Doctor, doctor_id)
    user = session.get(User, doctor.user_id) if doctor is not None and doctor.user_id else None
    if doctor is None or user is None:
        raise AccessDenied(DashErrorCode.DASH_006, f"no doctor {doctor_id}")
    tz = _home_zone(session, doctor_id)
    return DoctorContext(
        session=session,
        doctor=doctor,
        user=user,
        doctor_id=doctor_id,
        tz=tz,
        now=now,
        today=now.astimezone(tz).date(),
        dialect=session.get_bind().dialect.name,
    )
