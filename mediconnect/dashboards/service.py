"""The one entry point every surface calls for a dashboard (API, WebSocket feed, Reflex pages).

Each call, in this order: the access check (``core.permissions``), the audit row of the view,
the cache (``dashboards.cache``), and on a miss the builder, bounded in time
(``dashboards.guard``), whose result is stored. Builders are pure reads and know nothing of
any of this. Errors are the spec's: DASH_002/004/005/006 from the policy, DASH_007 over the
time budget, DASH_003 when the database cannot be reached, DASH_009 for ``only_if_cached``
without a cached value.

A caller passing ``now`` (tests, replays) bypasses the cache: a value computed for another
moment must never be served as the present, nor the present for that moment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from mediconnect.core import audit, permissions
from mediconnect.core.audit import AuditAction
from mediconnect.core.errors import DashboardError, DashErrorCode
from mediconnect.core.permissions import Principal
from mediconnect.core.settings import get_settings
from mediconnect.dashboards import cache as dcache
from mediconnect.dashboards.guard import database_errors, run_bounded

if TYPE_CHECKING:
    from mediconnect.dashboards.doctor_analytics import AnalyticsParams

DEFAULT_TIMEOUT_MS = 8000


@dataclass(frozen=True)
class DashboardResult:
    data: dict[str, Any]
    generated_at: datetime
    cached: bool


def _timeout_ms() -> int:
    return int(getattr(get_settings(), "DASHBOARD_TIMEOUT_MS", DEFAULT_TIMEOUT_MS))


def _audit(session: Session, principal: Principal, resource_id: str) -> None:
    audit.record(
        session,
        principal_or_user_id=principal,
        action=AuditAction.VIEW,
        patient_id=None,
        resource_type="dashboard",
        resource_id=resource_id,
    )


def _serve(
    session: Session,
    *,
    key: str | None,
    family: str,
    ttl: int,
    build: Callable[[datetime], dict[str, Any]],
    now: datetime | None,
    fresh: bool,
    only_if_cached: bool,
) -> DashboardResult:
    at = now or datetime.now(UTC)
    if now is not None:
        key = None
    found = dcache.lookup(key, family) if key is not None else dcache.Lookup(None, ())
    if found.entry is not None and (only_if_cached or not fresh):
        return DashboardResult(found.entry.data, found.entry.generated_at, cached=True)
    if only_if_cached:
        raise DashboardError(DashErrorCode.DASH_009, "no cached dashboard; request it without only-if-cached")
    data = run_bounded(session, lambda: build(at), timeout_ms=_timeout_ms())
    if key is not None:
        dcache.store(key, found.tag, data, at, ttl)
    return DashboardResult(data, at, cached=False)


def doctor_dashboard(
    *,
    session: Session,
    principal: Principal,
    doctor_id: int | None = None,
    now: datetime | None = None,
    fresh: bool = False,
    only_if_cached: bool = False,
) -> DashboardResult:
    """GET /api/dashboard/doctor/: a doctor's own; an admin names ``doctor_id``."""
    with database_errors():
        target, user_id = permissions.doctor_for_dashboard(session, principal=principal, doctor_id=doctor_id)
        _audit(session, principal, f"doctor:{target}")

        def build(at: datetime) -> dict[str, Any]:
            from mediconnect.dashboards import doctor

            return doctor.build(session=session, doctor_id=target, now=at)

        return _serve(
            session,
            key=dcache.doctor_key(user_id) if user_id is not None else None,
            family=dcache.doctor_family(target),
            ttl=dcache.DOCTOR_TTL,
            build=build,
            now=now,
            fresh=fresh,
            only_if_cached=only_if_cached,
        )


def doctor_analytics(
    *,
    session: Session,
    principal: Principal,
    params: AnalyticsParams,
    doctor_id: int | None = None,
    now: datetime | None = None,
    fresh: bool = False,
    only_if_cached: bool = False,
) -> DashboardResult:
    """GET /api/dashboard/doctor/analytics/ with parsed ``params``."""
    with database_errors():
        target, user_id = permissions.doctor_for_dashboard(session, principal=principal, doctor_id=doctor_id)
        _audit(session, principal, f"doctor:{target}")

        def build(at: datetime) -> dict[str, Any]:
            from mediconnect.dashboards import doctor_analytics as analytics

            return analytics.build(session=session, doctor_id=target, params=params, now=at)

        as_of = (now or datetime.now(UTC)).date()
        return _serve(
            session,
            key=dcache.analytics_key(user_id, params, as_of) if user_id is not None else None,
            family=dcache.doctor_family(target),
            ttl=dcache.ANALYTICS_TTL,
            build=build,
            now=now,
            fresh=fresh,
            only_if_cached=only_if_cached,
        )


def clinic_dashboard(
    *,
    session: Session,
    principal: Principal,
    clinic_id: int,
    now: datetime | None = None,
    fresh: bool = False,
    only_if_cached: bool = False,
) -> DashboardResult:
    """GET /api/clinics/{clinic_id}/dashboard/."""
    with database_errors():
        permissions.require_clinic_dashboard(session, principal=principal, clinic_id=clinic_id)
        _audit(session, principal, f"clinic:{clinic_id}")

        def build(at: datetime) -> dict[str, Any]:
            from mediconnect.dashboards import clinic

            return clinic.build(session=session, clinic_id=clinic_id, now=at)

        return _serve(
            session,
            key=dcache.clinic_key(clinic_id),
            family=dcache.clinic_family(clinic_id),
            ttl=dcache.CLINIC_TTL,
            build=build,
            now=now,
            fresh=fresh,
            only_if_cached=only_if_cached,
        )
