"""Keep ``daily_clinic_stats`` current when history changes: a debounced refresh after an event.

Today is always read live by the builders, so only a change to a day BEFORE today (a late
completion or no-show, a correction) makes the rollup wrong. Such an event schedules one
refresh a few seconds later; a burst of events schedules one. With Redis the refresh goes to
a Celery worker, and a ``SET NX`` marker (cleared by the task when it starts) makes the
debounce shared by every process. In the embedded default a timer thread of this process runs
it. Registered as a commit hook by ``bootstrap.wire()``, so it runs once per event, in the process
that committed it.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import redis

from mediconnect.core import events, tasks
from mediconnect.core.settings import get_settings

log = logging.getLogger(__name__)

TASK = "dashboards.refresh_daily_stats"
DEBOUNCE_S = 5.0
# A lost task must not silence later refreshes for long; beat's hourly run covers the rest.
MARKER_TTL_S = 60
# None: Celery's default queue (a deployment or a test may route the refresh elsewhere).
QUEUE: str | None = None
ROLLUP_EVENTS = frozenset({"appointment_created", "appointment_updated", "appointment_cancelled"})

_pending: set[str] = set()
_lock = threading.Lock()


def marker_key(scope: str) -> str:
    return f"dash:rollup:pending:{scope}"


def scope_for(clinic_id: int | None) -> str:
    """PostgreSQL refreshes the whole view at once, so one marker for all clinics."""
    return "all" if clinic_id is None or not get_settings().is_sqlite else str(clinic_id)


def _changes_history(evt: events.DomainEvent) -> bool:
    if evt.name not in ROLLUP_EVENTS:
        return False
    raw = evt.ids.get("day")
    try:
        day = date.fromisoformat(str(raw))
    except ValueError:
        return False  # appointment events name their day; without one, the hourly run catches up
    # Clinics share the app's zone in practice; a clinic elsewhere at worst refreshes once more.
    return day < datetime.now(UTC).astimezone(ZoneInfo(get_settings().TIMEZONE)).date()


def on_commit(evt: events.DomainEvent) -> None:
    if not _changes_history(evt):
        return
    raw = evt.ids.get("clinic_id")
    clinic_id = int(raw) if raw is not None and str(raw).isdigit() else None
    schedule(clinic_id)


def schedule(clinic_id: int | None) -> None:
    """Refresh the rollup (of ``clinic_id`` on SQLite) soon, once per burst."""
    scope = scope_for(clinic_id)
    url = get_settings().REDIS_URL
    if url:
        try:
            client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
            if not client.set(marker_key(scope), "1", nx=True, ex=MARKER_TTL_S):
                return
            # By name through Celery's current app: the read side never imports ``workers``.
            tasks.send(
                TASK,
                kwargs={"clinic_id": None if scope == "all" else clinic_id},
                countdown=DEBOUNCE_S,
                queue=QUEUE,
            )
        except (redis.RedisError, OSError) as exc:  # the hourly run will catch up
            log.warning("could not schedule a rollup refresh: %s", exc)
        return
    with _lock:
        if scope in _pending:
            return
        _pending.add(scope)
    timer = threading.Timer(DEBOUNCE_S, _run_local, args=(scope, clinic_id))
    timer.daemon = True
    timer.start()


def started(scope: str) -> None:
    """The refresh is starting: later events must schedule another one."""
    with _lock:
        _pending.discard(scope)
    url = get_settings().REDIS_URL
    if url:
        with contextlib.suppress(redis.RedisError):
            client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
            client.delete(marker_key(scope))


def _run_local(scope: str, clinic_id: int | None) -> None:
    from mediconnect.core.db import session_scope
    from mediconnect.dashboards.kit import daily_stats

    started(scope)
    try:
        with session_scope() as session:
            daily_stats.refresh(session, clinic_id=None if scope == "all" else clinic_id)
    except Exception as exc:  # a timer thread: nobody to raise to; the hourly run retries
        log.warning("rollup refresh failed: %s", exc)
