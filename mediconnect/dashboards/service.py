"""The one entry point every surface calls for a dashboard (API, WebSocket feed, Reflex pages).

``serve(kind, ...)`` reads the dashboard's row in ``registry`` and, in this order: runs its
access check (the policy), writes the audit row of the view, looks in the cache
(``kit.cache``), and on a miss runs the builder, bounded in time (``kit.guard``), and stores
its result. Builders are pure reads and know nothing of any of this. Errors are the spec's:
DASH_002/004/005/006 from the policy, DASH_007 over the time budget, DASH_003 when the database
cannot be reached, DASH_009 for ``only_if_cached`` without a cached value.

A caller passing ``now`` (tests, replays) bypasses the cache: a value computed for another
moment must never be served as the present, nor the present for that moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlmodel import Session

from mediconnect.core import audit
from mediconnect.core.audit import AuditAction
from mediconnect.core.errors import DashboardError, DashErrorCode
from mediconnect.core.policy import Principal
from mediconnect.core.settings import get_settings
from mediconnect.dashboards.kit import cache as dcache
from mediconnect.dashboards.kit.guard import database_errors, run_bounded
from mediconnect.dashboards.kit.schema import Schema, wire
from mediconnect.dashboards.registry import DASHBOARDS, Ask

if TYPE_CHECKING:
    from mediconnect.dashboards.doctor.analytics import AnalyticsParams

DEFAULT_TIMEOUT_MS = 8000
S = TypeVar("S", bound=Schema)


@dataclass(frozen=True)
class DashboardResult:
    """``data`` is the JSON body, exactly as sent; ``model(Schema)`` is the same figures typed."""

    data: dict[str, Any]
    generated_at: datetime
    cached: bool

    def model(self, schema: type[S]) -> S:
        return schema.model_validate(self.data)


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


def serve(
    kind: str,
    *,
    session: Session,
    principal: Principal,
    doctor_id: int | None = None,
    clinic_id: int | None = None,
    params: AnalyticsParams | None = None,
    now: datetime | None = None,
    fresh: bool = False,
    only_if_cached: bool = False,
) -> DashboardResult:
    """The ``kind`` dashboard (a key of ``registry.DASHBOARDS``) for ``principal``.

    ``doctor_id``: the doctor dashboards (an admin names one; a doctor sees their own).
    ``clinic_id``: the clinic dashboard. ``params``: doctor analytics' parsed query.
    ``fresh`` recomputes; ``only_if_cached`` answers from the cache or raises DASH_009.
    """
    row = DASHBOARDS.get(kind)
    if row is None:
        raise DashboardError(
            DashErrorCode.DASH_001, f"no {kind[:40]!r} dashboard; known: {', '.join(DASHBOARDS)}"
        )
    ask = Ask(doctor_id=doctor_id, clinic_id=clinic_id, params=params)
    with database_errors():
        target = row.policy(session, principal, ask)
        _audit(session, principal, row.resource(target))
        at = now or datetime.now(UTC)
        # A caller-supplied moment is never cached (see the module docstring).
        key = None if now is not None else row.key(target, ask, at.date())
        found = dcache.lookup(key, row.family(target)) if key is not None else dcache.Lookup(None, ())
        if found.entry is not None and (only_if_cached or not fresh):
            return DashboardResult(found.entry.data, found.entry.generated_at, cached=True)
        if only_if_cached:
            raise DashboardError(
                DashErrorCode.DASH_009, "no cached dashboard; request it without only-if-cached"
            )
        data = run_bounded(
            session, lambda: wire(row.build(session, target, ask, at)), timeout_ms=_timeout_ms()
        )
        if key is not None:
            dcache.store(key, found.tag, data, at, row.ttl)
        return DashboardResult(data, at, cached=False)
