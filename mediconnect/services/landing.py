"""Where a user lands: the clinic whose dashboard opens for them (``/dashboard/`` for clinic
staff, ``/dashboard/clinic/`` for anyone who may see a clinic dashboard).

One rule, so both doors open on the same clinic: the first by name of the clinics the caller
may open, their own clinics, or every clinic for an admin. ``None`` when there is none.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from mediconnect.core.policy import Principal
from mediconnect.models.clinics import Clinic


def landing_clinic(*, session: Session, principal: Principal) -> int | None:
    query = select(Clinic.id).order_by(col(Clinic.name), col(Clinic.id))
    if not principal.is_admin:
        if not principal.clinic_ids:
            return None
        query = query.where(col(Clinic.id).in_(sorted(principal.clinic_ids)))
    return session.exec(query.limit(1)).first()
