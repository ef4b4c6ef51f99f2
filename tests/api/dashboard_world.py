"""A clinic open today with appointments, and one signed-in account of every kind the dashboard
rules tell apart, for the dashboards' API and WebSocket tests.

Clinic "SCH" (the scheduling world, built for the clinic-local today): doctors A and B
affiliated, a desk clerk of the clinic, a patient, an admin. Today: three of doctor A's
appointments (booked 09:00, confirmed 10:00, booked 11:00 local; R 500 each). Elsewhere: a
second clinic with its own clerk and its own doctor, and a billing clerk, an analyst and a
referring doctor of no clinic at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from mediconnect.core.policy import Principal, principal_for
from mediconnect.core.tokens import issue_tokens
from mediconnect.models.appointments import Appointment, AppointmentStatus, AppointmentType
from mediconnect.models.clinics import Clinic
from mediconnect.models.staff import Doctor
from mediconnect.models.users import Role, User
from tests.core import factories
from tests.services import scheduling_world as sw

_TYPES: dict[str, Any] = {
    "object": dict, "array": list, "string": str, "boolean": bool, "null": type(None),
    "integer": int, "number": (int, float),
}  # fmt: skip


def example_keys(name: str) -> list[str]:
    """The top-level keys of one of the spec's example responses."""
    from mediconnect.api.openapi import example

    return list(example(name))


def schema_errors(schema: dict[str, Any], value: Any, doc: dict[str, Any], at: str = "$") -> list[str]:
    """Where ``value`` breaks ``schema`` (the subset of JSON Schema our OpenAPI document uses:
    $ref, type, properties, required, additionalProperties, items, pattern, format date)."""
    if "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    kinds = schema.get("type")
    if kinds is not None:
        kinds = kinds if isinstance(kinds, list) else [kinds]
        ok = any(
            isinstance(value, _TYPES[k]) and not (k in ("integer", "number") and isinstance(value, bool))
            for k in kinds
        )
        if not ok:
            return [f"{at}: {type(value).__name__} {value!r:.40} is not {kinds}"]
    errors: list[str] = []
    if isinstance(value, str) and "pattern" in schema and not re.match(schema["pattern"], value):
        errors.append(f"{at}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, str) and schema.get("format") == "date":
        date.fromisoformat(value)
    if isinstance(value, str) and schema.get("format") == "date-time":
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, dict):
        props = schema.get("properties", {})
        errors += [f"{at}: missing {k!r}" for k in schema.get("required", []) if k not in value]
        extra = schema.get("additionalProperties", True)
        for key, sub in value.items():
            if key in props:
                errors += schema_errors(props[key], sub, doc, f"{at}.{key}")
            elif extra is False:
                errors.append(f"{at}: unexpected key {key!r}")
            elif isinstance(extra, dict):
                errors += schema_errors(extra, sub, doc, f"{at}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors += schema_errors(schema["items"], item, doc, f"{at}[{i}]")
    return errors


@dataclass
class DashWorld:
    clinic: Clinic
    other_clinic: Clinic
    doctor_a: Doctor
    doctor_b: Doctor
    other_doctor: Doctor
    appointment_ids: list[int]
    users: dict[str, User]
    tokens: dict[str, str]
    extra: dict[str, Any] = field(default_factory=dict)

    def principal(self, session: Session, name: str) -> Principal:
        user = session.get(User, self.users[name].id)
        assert user is not None
        return principal_for(session, user=user)


def build(session: Session) -> DashWorld:
    today = datetime.now(sw.TZ).date()
    w = sw.build(session, day=today, extra_days=0)
    other = factories.clinic(session)
    other.timezone = "Africa/Johannesburg"
    other_doctor_user, other_doctor = factories.doctor(session, clinics=(other,))
    ids = []
    for hour, status in (
        (9, AppointmentStatus.BOOKED),
        (10, AppointmentStatus.CONFIRMED),
        (11, AppointmentStatus.BOOKED),
    ):
        start = sw.local(today, hour)
        confirmed = datetime.now(UTC) if status is AppointmentStatus.CONFIRMED else None
        appt = Appointment(
            patient_id=w.patient.id, clinic_id=w.clinic.id, service_id=w.consult.id,
            doctor_id=w.doctor_a.id, appointment_type=AppointmentType.CONSULTATION, status=status,
            scheduled_start=start, scheduled_end=start + timedelta(minutes=15),
            price=Decimal("500.00"), confirmed_at=confirmed,
        )  # fmt: skip
        session.add(appt)
        session.flush()
        assert appt.id is not None
        ids.append(appt.id)
    users = {
        "admin": w.admin,
        "doctor": session.get(User, w.doctor_a.user_id),
        "other_doctor": other_doctor_user,
        "clinic_staff": w.staff_user,
        "other_clinic_staff": factories.staff(session, Role.CLINIC_STAFF, clinics=(other,)),
        "patient": w.patient_user,
        "billing_staff": factories.staff(session, Role.BILLING_STAFF, clinics=(w.clinic,)),
        "analytics_staff": factories.staff(session, Role.ANALYTICS_STAFF, clinics=(w.clinic,)),
        "referring_doctor": factories.referring_doctor(session)[0],
    }
    tokens = {name: issue_tokens(session, user=user).access_token for name, user in users.items()}  # type: ignore[arg-type]
    session.commit()
    return DashWorld(w.clinic, other, w.doctor_a, w.doctor_b, other_doctor, ids, users, tokens)  # type: ignore[arg-type]
