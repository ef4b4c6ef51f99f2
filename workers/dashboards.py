"""Dashboard housekeeping: keep the daily rollup (``daily_clinic_stats``) current.

Beat runs ``refresh_daily_stats`` hourly; ``mediconnect.dashboards.kit.rollup_events`` sends it
by name a few seconds after an event changed a past day. Idempotent: a refresh recomputes from
the appointments, so a repeated or overlapping run gives the same rows. The commit hooks
(cache invalidation) are wired by ``workers.celery_app``, not by importing anything here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from mediconnect.core.db import session_scope
from mediconnect.dashboards.kit import daily_stats, rollup_events
from workers.celery_app import app


@app.task(name=rollup_events.TASK, acks_late=True)
def refresh_daily_stats(clinic_id: int | None = None, day: str | None = None) -> dict[str, Any]:
    """Refresh the rollup: everything, one clinic (SQLite), or one clinic-day (SQLite)."""
    rollup_events.started(rollup_events.scope_for(clinic_id))
    days = [date.fromisoformat(day)] if day else None
    with session_scope() as session:
        backend = session.connection().dialect.name
        daily_stats.refresh(session, clinic_id=clinic_id, days=days)
    return {"backend": backend, "clinic_id": clinic_id, "day": day}
