"""Who is on duty now and where next week's roster falls short, from ``DutyShift`` rows.

On duty: distinct people with a non-cancelled shift at the clinic covering ``now``. Doctors
are the ``doctor`` and ``radiologist`` duty roles, nurses ``nurse``, support staff every other
role (radiographer, sonographer, reception, support).

Shortfall: for each of the next 7 local days (tomorrow .. today+7) and each
``StaffingRequirement`` of that weekday, the distinct people rostered in that role on shifts
starting that day, against ``min_count``. Few enough rows (a week of one clinic's shifts) to
bucket by local day in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from mediconnect.dashboards.clinic.context import ClinicContext
from mediconnect.dashboards.kit.conventions import day_start
from mediconnect.models.staff import DutyRole, DutyShift, StaffingRequirement

HORIZON_DAYS = 7
DOCTOR_ROLES = {DutyRole.DOCTOR.value, DutyRole.RADIOLOGIST.value}
NURSE_ROLES = {DutyRole.NURSE.value}


@dataclass(frozen=True)
class Shortage:
    day: date
    role: str
    rostered: int
    required: int


@dataclass(frozen=True)
class Staffing:
    doctors_on_duty: int
    nurses_on_duty: int
    support_staff: int
    shortages: list[Shortage]


def load(ctx: ClinicContext) -> Staffing:
    shifts_t = sa.inspect(DutyShift).local_table
    req_t = sa.inspect(StaffingRequirement).local_table
    horizon_end = day_start(ctx.today + timedelta(days=HORIZON_DAYS + 1), ctx.tz)
    shifts = ctx.session.execute(
        sa.select(shifts_t.c.user_id, shifts_t.c.duty_role, shifts_t.c.starts_at, shifts_t.c.ends_at).where(
            shifts_t.c.clinic_id == ctx.clinic_id,
            sa.not_(shifts_t.c.cancelled),
            shifts_t.c.starts_at < horizon_end,
            shifts_t.c.ends_at > ctx.now,
        )
    ).all()
    on_duty: dict[str, set[int]] = {"doctor": set(), "nurse": set(), "support": set()}
    rostered: dict[tuple[date, str], set[int]] = {}
    for user_id, role, starts_at, ends_at in shifts:
        role = str(role)
        if starts_at <= ctx.now < ends_at:
            kind = "doctor" if role in DOCTOR_ROLES else "nurse" if role in NURSE_ROLES else "support"
            on_duty[kind].add(user_id)
        rostered.setdefault((starts_at.astimezone(ctx.tz).date(), role), set()).add(user_id)
    requirements = ctx.session.execute(
        sa.select(req_t.c.weekday, req_t.c.duty_role, req_t.c.min_count).where(
            req_t.c.clinic_id == ctx.clinic_id, req_t.c.min_count > 0
        )
    ).all()
    shortages: list[Shortage] = []
    for offset in range(1, HORIZON_DAYS + 1):
        day = ctx.today + timedelta(days=offset)
        for weekday, role, min_count in sorted(requirements, key=lambda r: str(r[1])):
            if weekday != day.weekday():
                continue
            have = len(rostered.get((day, str(role)), ()))
            if have < min_count:
                shortages.append(Shortage(day, str(role), have, min_count))
    return Staffing(
        doctors_on_duty=len(on_duty["doctor"]),
        nurses_on_duty=len(on_duty["nurse"]),
        support_staff=len(on_duty["support"]),
        shortages=shortages,
    )
