"""One row per dashboard: who may see it, where it is cached, how it is built.

Adding a dashboard is a row here (plus its package and route): ``service.serve(kind, ...)``
reads the row for the access check, the audit row, the cache key (the spec's), the family its
invalidation bumps, the TTL and the builder. A row's functions are small and pure apart from
the policy (which may read the database) and ``build`` (a read).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from mediconnect.core import policy
from mediconnect.core.policy import Principal
from mediconnect.dashboards import clinic, doctor
from mediconnect.dashboards.clinic.schema import ClinicDashboard
from mediconnect.dashboards.doctor import analytics
from mediconnect.dashboards.doctor.analytics_schema import AnalyticsResponse
from mediconnect.dashboards.doctor.schema import DoctorDashboard
from mediconnect.dashboards.kit import cache
from mediconnect.dashboards.kit.schema import Schema


@dataclass(frozen=True)
class Ask:
    """What the caller asked for: the ids and parameters a surface parsed from its request."""

    doctor_id: int | None = None
    clinic_id: int | None = None
    params: analytics.AnalyticsParams | None = None


@dataclass(frozen=True)
class Target:
    """Whose dashboard the policy granted: the object's id and, for the spec's per-user cache key,
    the doctor's user id (``None`` when the doctor has no user: then nothing is cached)."""

    object_id: int
    owner_user_id: int | None = None


@dataclass(frozen=True)
class Dashboard:
    kind: str
    schema: type[Schema]
    # Raises AccessDenied / DashboardError (DASH_002/004/005/006), else names the target.
    policy: Callable[[Session, Principal, Ask], Target]
    # The audit row's resource id: "doctor:12", "clinic:3".
    resource: Callable[[Target], str]
    # The spec's cache key for this target on this day, or None for "do not cache".
    key: Callable[[Target, Ask, date], str | None]
    family: Callable[[Target], str]
    ttl: int
    build: Callable[[Session, Target, Ask, datetime], Schema]


def _doctor_target(session: Session, principal: Principal, ask: Ask) -> Target:
    doctor_id, user_id = policy.doctor_for_dashboard(session, principal=principal, doctor_id=ask.doctor_id)
    return Target(doctor_id, user_id)


def _clinic_target(session: Session, principal: Principal, ask: Ask) -> Target:
    assert ask.clinic_id is not None, "the clinic dashboard needs a clinic_id"
    policy.require_clinic_dashboard(session, principal=principal, clinic_id=ask.clinic_id)
    return Target(ask.clinic_id)


def _build_doctor(session: Session, target: Target, ask: Ask, now: datetime) -> Schema:
    return doctor.build(session=session, doctor_id=target.object_id, now=now)


def _build_analytics(session: Session, target: Target, ask: Ask, now: datetime) -> Schema:
    assert ask.params is not None, "doctor analytics needs its parsed params"
    return analytics.build(session=session, doctor_id=target.object_id, params=ask.params, now=now)


def _build_clinic(session: Session, target: Target, ask: Ask, now: datetime) -> Schema:
    return clinic.build(session=session, clinic_id=target.object_id, now=now)


def _analytics_key(target: Target, ask: Ask, as_of: date) -> str | None:
    if target.owner_user_id is None or ask.params is None:
        return None
    return cache.analytics_key(target.owner_user_id, ask.params, as_of)


DASHBOARDS: dict[str, Dashboard] = {
    row.kind: row
    for row in (
        Dashboard(
            kind="doctor",
            schema=DoctorDashboard,
            policy=_doctor_target,
            resource=lambda t: f"doctor:{t.object_id}",
            key=lambda t, _ask, _day: (
                cache.doctor_key(t.owner_user_id) if t.owner_user_id is not None else None
            ),
            family=lambda t: cache.doctor_family(t.object_id),
            ttl=cache.DOCTOR_TTL,
            build=_build_doctor,
        ),
        Dashboard(
            kind="doctor_analytics",
            schema=AnalyticsResponse,
            policy=_doctor_target,
            resource=lambda t: f"doctor:{t.object_id}",
            key=_analytics_key,
            family=lambda t: cache.doctor_family(t.object_id),
            ttl=cache.ANALYTICS_TTL,
            build=_build_analytics,
        ),
        Dashboard(
            kind="clinic",
            schema=ClinicDashboard,
            policy=_clinic_target,
            resource=lambda t: f"clinic:{t.object_id}",
            key=lambda t, _ask, _day: cache.clinic_key(t.object_id),
            family=lambda t: cache.clinic_family(t.object_id),
            ttl=cache.CLINIC_TTL,
            build=_build_clinic,
        ),
    )
}
