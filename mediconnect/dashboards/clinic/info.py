"""``clinic_info``: who the clinic is and how big.

``total_staff``: distinct people working there today: users with a current ``StaffAssignment``
at the clinic plus the users of currently affiliated doctors (a doctor who also holds a staff
assignment counts once). ``total_doctors``: current affiliations. ``departments``: active ones.
"Current" means started on or before today (or undated) and not ended before today.
"""

from __future__ import annotations

import sqlalchemy as sa

from mediconnect.dashboards.clinic.context import ClinicContext
from mediconnect.dashboards.clinic.schema import ClinicInfo
from mediconnect.dashboards.kit.sql import tbl
from mediconnect.models.clinics import Department
from mediconnect.models.staff import Doctor, DoctorClinicAffiliation, StaffAssignment


def build(ctx: ClinicContext) -> ClinicInfo:
    c = ctx.clinic
    sa_t = sa.inspect(StaffAssignment).local_table.c  # type: ignore[union-attr]
    aff = sa.inspect(DoctorClinicAffiliation).local_table.c  # type: ignore[union-attr]
    doc = sa.inspect(Doctor).local_table.c  # type: ignore[union-attr]
    dept = sa.inspect(Department).local_table.c  # type: ignore[union-attr]
    today = ctx.today
    current_aff = sa.and_(
        aff.clinic_id == ctx.clinic_id,
        sa.or_(aff.started_on.is_(None), aff.started_on <= today),
        sa.or_(aff.ended_on.is_(None), aff.ended_on >= today),
    )
    people = sa.union(
        sa.select(sa_t.user_id).where(
            sa_t.clinic_id == ctx.clinic_id,
            sa.or_(sa_t.starts_on.is_(None), sa_t.starts_on <= today),
            sa.or_(sa_t.ends_on.is_(None), sa_t.ends_on >= today),
        ),
        sa.select(doc.user_id)
        .select_from(tbl(aff).join(tbl(doc), doc.id == aff.doctor_id))
        .where(current_aff),
    ).subquery()
    staff, doctors, departments = ctx.session.execute(
        sa.select(
            sa.select(sa.func.count()).select_from(people).scalar_subquery(),
            sa.select(sa.func.count()).select_from(tbl(aff)).where(current_aff).scalar_subquery(),
            sa.select(sa.func.count())
            .select_from(tbl(dept))
            .where(dept.clinic_id == ctx.clinic_id, dept.is_active)
            .scalar_subquery(),
        )
    ).one()
    return ClinicInfo.model_validate(
        {
            "id": c.id,
            "name": c.name,
            "location": ", ".join(p for p in (c.address, c.city, c.region) if p),
            "established": c.established.isoformat() if c.established else None,
            "status": str(c.status),
            "accreditation": c.accreditation,
            "total_staff": int(staff),
            "total_doctors": int(doctors),
            "departments": int(departments),
        }
    )
