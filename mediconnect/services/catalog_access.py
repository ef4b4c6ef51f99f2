"""What the catalogue and schedule services share: who may manage a clinic, the audited
refusal, clinic-local time, and the events that make open booking pages refresh.

Services are platform-wide (admins only, ``admin_access.admin_only``). A clinic's set-up
(hours, closures, rooms, equipment, maintenance, duty roster) is managed by an admin or by
clinic staff currently assigned to that clinic; doctors may view a clinic's dashboard but not
change its set-up. Every refusal is audited in its own transaction (as ``admin_only`` does)
before the refusal is raised, so probing by name leaves a record and gets nothing.

Functions flush; the surface commits (``core.db.session_scope``), and the events queued here
go out only after that commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from mediconnect.core import audit, events, policy
from mediconnect.core.errors import ServiceError
from mediconnect.core.policy import Principal
from mediconnect.models.clinics import Clinic
from mediconnect.services.admin_access import AdminFormError
from mediconnect.services.zones import clinic_zone


class CatalogFormError(AdminFormError):
    """Bad input, by field. ``affected`` lists appointment ids a forced change would hit."""

    def __init__(self, errors: dict[str, str], *, affected: list[int] | None = None) -> None:
        super().__init__(errors)
        self.affected = list(affected or [])


def _deny(session: Session, principal: Principal, resource_type: str, exc: ServiceError) -> None:
    try:
        audit.record(
            session,
            principal_or_user_id=principal,
            action=audit.AuditAction.DENIED,
            patient_id=None,
            resource_type=resource_type,
            detail=exc.code.code,
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise


def managed_clinic(session: Session, *, principal: Principal, clinic_id: int, resource_type: str) -> Clinic:
    """The clinic, when ``principal`` may manage it (``policy.require_clinic_manager``);
    otherwise audit the refusal and raise it (AccessDenied, or DASH_005 for no such clinic)."""
    try:
        policy.require_clinic_manager(session, principal=principal, clinic_id=clinic_id)
    except ServiceError as exc:
        _deny(session, principal, resource_type, exc)
        raise
    clinic = session.get(Clinic, clinic_id)
    assert clinic is not None  # require_clinic raised DASH_005 otherwise
    return clinic


def change(
    session: Session,
    principal: Principal,
    action: str,
    *,
    resource_type: str,
    resource_id: int | str | None,
    detail: str | None = None,
) -> None:
    """Audit one change to the catalogue or a schedule (no patient data involved)."""
    audit.record(
        session,
        principal_or_user_id=principal,
        action=action,
        patient_id=None,
        resource_type=resource_type,
        resource_id=resource_id,
        detail=None if detail is None else detail[:500],
    )


# ------------------------------------------------------------------ clinic-local time


def zone(clinic: Clinic) -> ZoneInfo:
    return clinic_zone(clinic)


def to_utc(clinic: Clinic, day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=zone(clinic)).astimezone(UTC)


def local(clinic: Clinic, value: datetime) -> datetime:
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(zone(clinic))


def local_today(clinic: Clinic, now: datetime | None = None) -> date:
    return local(clinic, now or datetime.now(UTC)).date()


def days_touched(clinic: Clinic, starts: datetime, ends: datetime) -> list[date]:
    """Every clinic-local day the half-open interval [starts, ends) touches."""
    first = local(clinic, starts).date()
    last = local(clinic, ends - timedelta(microseconds=1)).date()
    out: list[date] = []
    day = first
    while day <= last and len(out) < 62:
        out.append(day)
        day += timedelta(days=1)
    return out


def schedule_changed(session: Session, clinic_id: int, days: Iterable[date]) -> None:
    for day in sorted(set(days)):
        events.publish(session, "schedule_changed", clinic_id=clinic_id, day=day)


def catalog_changed(session: Session, clinic_id: int) -> None:
    events.publish(session, "catalog_changed", clinic_id=clinic_id)


# ------------------------------------------------------------------ form parsing


def text(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name, "")
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else str(value).strip()


def flag(form: Mapping[str, Any], name: str) -> bool:
    value = form.get(name, False)
    if isinstance(value, str):
        return value.strip().lower() in ("on", "true", "1", "yes")
    return bool(value)


def parse_day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def parse_time(raw: str) -> time | None:
    try:
        parsed = time.fromisoformat(raw)
    except ValueError:
        return None
    return parsed.replace(second=0, microsecond=0, tzinfo=None)


def optional_id(raw: str) -> int | None:
    return int(raw) if raw.isdigit() else None
