"""services.landing: the one rule for the clinic whose dashboard a user lands on."""

from __future__ import annotations

from sqlmodel import Session, select

from mediconnect.core.policy import Principal
from mediconnect.models.clinics import Clinic
from mediconnect.models.users import Role
from mediconnect.services.landing import landing_clinic


def _clinic(session: Session, code: str, name: str) -> int:
    row = Clinic(code=code, name=name, address="1 Main Rd", city="Town", region="Region")
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def test_first_by_name_of_the_callers_clinics(session: Session) -> None:
    zebra = _clinic(session, "LND-Z", "Zebra Imaging")
    alpha = _clinic(session, "LND-A", "Alpha Radiology")
    mid = _clinic(session, "LND-M", "Middle Scans")
    staff = Principal(user_id=1, role=Role.CLINIC_STAFF, clinic_ids=frozenset({zebra, mid}))
    assert landing_clinic(session=session, principal=staff) == mid
    # An admin may open every clinic: the first of them all by name.
    admin = Principal(user_id=2, role=Role.ADMIN)
    names = {c.id: c.name for c in session.exec(select(Clinic)).all()}
    assert landing_clinic(session=session, principal=admin) == min(names, key=lambda i: (names[i], i))
    assert names[alpha] <= names[mid] <= names[zebra]


def test_none_without_a_clinic(session: Session) -> None:
    nobody = Principal(user_id=3, role=Role.CLINIC_STAFF)
    assert landing_clinic(session=session, principal=nobody) is None
