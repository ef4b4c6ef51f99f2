"""A clinic's set-up as its managers keep it: opening hours per weekday (a closed day has no
row) and closures (rooms and equipment: ``clinic_resources``). Admins manage every clinic,
clinic staff their own (``catalog_access.managed_clinic``). Each change is audited and
announces, after commit, ``catalog_changed`` for the clinic and ``schedule_changed`` for each
clinic-local day whose bookable slots it moves (for a weekday's hours: its next
``HOURS_HORIZON_WEEKS`` occurrences, the days a booking page can be showing).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, TypedDict

from sqlmodel import Session, col, select

from mediconnect.core import policy
from mediconnect.core.errors import AccessDenied, DashErrorCode
from mediconnect.core.policy import Principal
from mediconnect.models.clinics import (
    Clinic,
    ClinicClosure,
    ClinicOpeningHours,
)
from mediconnect.services.catalog_access import (
    CatalogFormError,
    catalog_changed,
    change,
    local_today,
    managed_clinic,
    parse_day,
    parse_time,
    schedule_changed,
    text,
)

HOURS_HORIZON_WEEKS = 8
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class ClinicRow(TypedDict):
    id: int
    name: str
    city: str
    timezone: str


class HoursRow(TypedDict):
    weekday: int
    day: str
    opens: str  # "HH:MM", "" when closed
    closes: str


class ClosureRow(TypedDict):
    id: int
    day: str
    reason: str


def manageable_clinics(*, session: Session, principal: Principal) -> list[ClinicRow]:
    """The clinics whose set-up the caller may manage (admin: all; staff: their own)."""
    if principal.role not in policy.CLINIC_MANAGER_ROLES:
        raise AccessDenied(DashErrorCode.DASH_002, f"role {principal.role.value} may not manage clinics")
    query = select(Clinic).order_by(col(Clinic.name))
    if not principal.is_admin:
        query = query.where(col(Clinic.id).in_(sorted(principal.clinic_ids) or [-1]))
    return [
        ClinicRow(id=c.id or 0, name=c.name, city=c.city, timezone=c.timezone)
        for c in session.exec(query).all()
    ]


def clinic_header(*, session: Session, principal: Principal, clinic_id: int) -> ClinicRow:
    c = managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type="clinic")
    return ClinicRow(id=clinic_id, name=c.name, city=c.city, timezone=c.timezone)


# ------------------------------------------------------------------ hours and closures


def opening_hours(*, session: Session, principal: Principal, clinic_id: int) -> list[HoursRow]:
    managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type="clinic_hours")
    rows = {
        h.weekday: h
        for h in session.exec(
            select(ClinicOpeningHours).where(ClinicOpeningHours.clinic_id == clinic_id)
        ).all()
    }
    out = []
    for weekday, name in enumerate(WEEKDAYS):
        h = rows.get(weekday)
        out.append(
            HoursRow(
                weekday=weekday,
                day=name,
                opens=h.opens_at.strftime("%H:%M") if h else "",
                closes=h.closes_at.strftime("%H:%M") if h else "",
            )
        )
    return out


def _next_weekdays(clinic: Clinic, weekday: int) -> list[date]:
    today = local_today(clinic)
    first = today + timedelta(days=(weekday - today.weekday()) % 7)
    return [first + timedelta(weeks=n) for n in range(HOURS_HORIZON_WEEKS)]


def set_opening_hours(
    *, session: Session, principal: Principal, clinic_id: int, weekday: int, opens: str, closes: str
) -> list[HoursRow]:
    """Set one weekday's hours; both empty closes that weekday (its row is removed)."""
    clinic = managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type="clinic_hours")
    if not 0 <= weekday <= 6:
        raise CatalogFormError({"weekday": "Choose a day of the week."})
    existing = session.exec(
        select(ClinicOpeningHours).where(
            ClinicOpeningHours.clinic_id == clinic_id, ClinicOpeningHours.weekday == weekday
        )
    ).first()
    if not opens.strip() and not closes.strip():
        if existing is not None:
            session.delete(existing)
        detail = f"{WEEKDAYS[weekday]}: closed"
    else:
        errors: dict[str, str] = {}
        opens_at, closes_at = parse_time(opens.strip()), parse_time(closes.strip())
        if opens_at is None:
            errors["opens"] = "Enter an opening time such as 07:30."
        if closes_at is None:
            errors["closes"] = "Enter a closing time such as 17:00."
        if opens_at is not None and closes_at is not None and closes_at <= opens_at:
            errors["closes"] = "The clinic must close after it opens."
        if errors:
            raise CatalogFormError(errors)
        assert opens_at is not None and closes_at is not None
        row = existing or ClinicOpeningHours(
            clinic_id=clinic_id, weekday=weekday, opens_at=opens_at, closes_at=closes_at
        )
        row.opens_at, row.closes_at = opens_at, closes_at
        session.add(row)
        detail = f"{WEEKDAYS[weekday]}: {opens_at:%H:%M}-{closes_at:%H:%M}"
    session.flush()
    change(session, principal, "update", resource_type="clinic_hours", resource_id=clinic_id, detail=detail)
    catalog_changed(session, clinic_id)
    schedule_changed(session, clinic_id, _next_weekdays(clinic, weekday))
    return opening_hours(session=session, principal=principal, clinic_id=clinic_id)


def closures(*, session: Session, principal: Principal, clinic_id: int) -> list[ClosureRow]:
    """Closures from today (clinic-local) on."""
    clinic = managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type="clinic_closure")
    found = session.exec(
        select(ClinicClosure)
        .where(ClinicClosure.clinic_id == clinic_id, col(ClinicClosure.closed_on) >= local_today(clinic))
        .order_by(col(ClinicClosure.closed_on))
        .limit(100)
    ).all()
    return [ClosureRow(id=c.id or 0, day=c.closed_on.isoformat(), reason=c.reason) for c in found]


def add_closure(
    *, session: Session, principal: Principal, clinic_id: int, form: Mapping[str, Any]
) -> ClosureRow:
    clinic = managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type="clinic_closure")
    errors: dict[str, str] = {}
    day, reason = parse_day(text(form, "day")), text(form, "reason")
    if day is None:
        errors["day"] = "Choose the day the clinic is closed."
    elif day < local_today(clinic):
        errors["day"] = "Choose today or a later day."
    elif session.exec(
        select(ClinicClosure.id).where(ClinicClosure.clinic_id == clinic_id, ClinicClosure.closed_on == day)
    ).first():
        errors["day"] = "The clinic is already closed that day."
    if not reason or len(reason) > 120:
        errors["reason"] = "Say why (up to 120 characters), e.g. Public holiday."
    if errors:
        raise CatalogFormError(errors)
    assert day is not None
    closure = ClinicClosure(clinic_id=clinic_id, closed_on=day, reason=reason)
    session.add(closure)
    session.flush()
    change(
        session,
        principal,
        "create",
        resource_type="clinic_closure",
        resource_id=closure.id,
        detail=f"{day} {reason}",
    )
    schedule_changed(session, clinic_id, [day])
    return ClosureRow(id=closure.id or 0, day=day.isoformat(), reason=reason)


def remove_closure(*, session: Session, principal: Principal, clinic_id: int, closure_id: int) -> None:
    managed_clinic(session, principal=principal, clinic_id=clinic_id, resource_type="clinic_closure")
    closure = session.get(ClinicClosure, closure_id)
    if closure is None or closure.clinic_id != clinic_id:
        raise CatalogFormError({"form": "No such closure at this clinic. Reload the page."})
    day = closure.closed_on
    session.delete(closure)
    session.flush()
    change(
        session, principal, "delete", resource_type="clinic_closure", resource_id=closure_id, detail=str(day)
    )
    schedule_changed(session, clinic_id, [day])
