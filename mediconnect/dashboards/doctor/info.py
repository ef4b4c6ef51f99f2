"""``doctor_info``: who the doctor is and where they practise.

``clinic_affiliations`` lists current affiliations (no ``ended_on`` before today), the primary
one first, then by clinic name.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col, select

from mediconnect.dashboards.doctor.context import DoctorContext
from mediconnect.dashboards.doctor.schema import DoctorInfo
from mediconnect.models.clinics import Clinic
from mediconnect.models.staff import DoctorClinicAffiliation


def build(ctx: DoctorContext) -> DoctorInfo:
    aff = DoctorClinicAffiliation
    rows = ctx.session.exec(
        select(aff.clinic_id, Clinic.name, aff.role, aff.is_primary)
        .join(Clinic, col(Clinic.id) == col(aff.clinic_id))
        .where(
            aff.doctor_id == ctx.doctor_id,
            sa.or_(col(aff.ended_on).is_(None), col(aff.ended_on) >= ctx.today),
        )
        .order_by(sa.desc(col(aff.is_primary)), col(Clinic.name), col(aff.clinic_id))
    ).all()
    return DoctorInfo.model_validate(
        {
            "id": ctx.doctor_id,
            "name": f"Dr. {ctx.user.first_name} {ctx.user.last_name}",
            "specialization": ctx.doctor.specialization,
            "license_number": ctx.doctor.license_number,
            "clinic_affiliations": [
                {"clinic_id": cid, "clinic_name": name, "role": str(role), "is_primary": bool(primary)}
                for cid, name, role, primary in rows
            ],
        }
    )
