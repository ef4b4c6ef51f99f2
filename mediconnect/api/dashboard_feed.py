"""The /ws/dashboard fan-out of one process: domain events in, metric_update / alert frames out.

One ``events.subscribe`` per process (its listener runs on the committing or the Redis thread
and only hops to the event loop, ``call_soon_threadsafe``, when an event names a watched topic:
``clinic:<id>`` or ``doctor:<id>``). Per dashboard key, ``(kind, id)``, a burst of events
gives ONE recomputation through ``dashboards.service`` (its cache was invalidated at commit),
however many sockets watch it: events arriving while it runs mark it for one more pass. The
headline figures (``HEADLINES``) and the alert list are then compared, per socket, with what
that socket was last sent; each changed figure is a ``metric_update`` and each alert that was
not there before an ``alert``.

Before a pass, every socket's access is checked again in one session (token lifetime, the
account still active and with the same role, the dashboard permission for that object):
a socket that lost it gets a DASH_008 / DASH_002 / DASH_006 frame and is closed. Frames carry
figures and alert sentences only, never a patient's name or id.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool

from mediconnect.api import deps
from mediconnect.core import events, policy, tokens
from mediconnect.core.errors import AuthError, DashboardError, DashErrorCode, ServiceError
from mediconnect.core.events import DomainEvent
from mediconnect.core.policy import DashboardType, Principal
from mediconnect.dashboards import service
from mediconnect.dashboards.clinic.schema import ClinicDashboard
from mediconnect.dashboards.doctor.schema import DoctorDashboard
from mediconnect.models.users import User

log = logging.getLogger(__name__)

# metric_name -> the figure in the typed dashboard (a renamed field fails mypy here).
# "today_appointments" is the spec's own example.
CLINIC_HEADLINES: dict[str, Callable[[ClinicDashboard], Any]] = {
    "today_appointments": lambda d: d.operational_metrics.today.appointments.total_scheduled,
    "completed_appointments": lambda d: d.operational_metrics.today.appointments.completed,
    "in_progress_appointments": lambda d: d.operational_metrics.today.appointments.in_progress,
    "cancelled_appointments": lambda d: d.operational_metrics.today.appointments.cancelled,
    "no_show_appointments": lambda d: d.operational_metrics.today.appointments.no_show,
    "completion_rate": lambda d: d.operational_metrics.today.appointments.completion_rate,
    "patients_today": lambda d: d.operational_metrics.today.patient_flow.total_patients,
    "average_wait_time": lambda d: d.operational_metrics.today.patient_flow.average_wait_time,
    "rooms_occupied": lambda d: d.operational_metrics.today.resource_utilization.examination_rooms.occupied,
    "doctors_on_duty": lambda d: d.operational_metrics.today.staff_metrics.doctors_on_duty,
    "revenue_today": lambda d: d.financial_summary.revenue.today,
    "outstanding_invoices": lambda d: d.financial_summary.billing.outstanding_invoices,
    "total_outstanding": lambda d: d.financial_summary.billing.total_outstanding,
}
DOCTOR_HEADLINES: dict[str, Callable[[DoctorDashboard], Any]] = {
    "today_appointments": lambda d: d.today_metrics.appointments.total,
    "completed_appointments": lambda d: d.today_metrics.appointments.completed,
    "upcoming_appointments": lambda d: d.today_metrics.appointments.upcoming,
    "cancelled_appointments": lambda d: d.today_metrics.appointments.cancelled,
    "no_show_appointments": lambda d: d.today_metrics.appointments.no_show,
    "patients_seen": lambda d: d.today_metrics.patients.total_seen,
    "revenue_generated": lambda d: d.today_metrics.revenue.generated,
    "revenue_achievement_rate": lambda d: d.today_metrics.revenue.achievement_rate,
    "avg_appointment_duration": lambda d: d.today_metrics.efficiency.avg_appointment_duration,
    "patient_wait_time": lambda d: d.today_metrics.efficiency.patient_wait_time,
}
HEADLINES: Mapping[str, Mapping[str, Callable[[Any], Any]]] = {
    "clinic": CLINIC_HEADLINES,
    "doctor": DOCTOR_HEADLINES,
}
URGENT = frozenset({"high", "critical"})
DEBOUNCE_S = 0.01  # the events of one commit arrive one by one: take them as one burst
MAX_PARALLEL = 8  # dashboards recomputed at once (each holds a database connection)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def typed(kind: str, data: Mapping[str, Any]) -> ClinicDashboard | DoctorDashboard:
    """The service's JSON as its schema: the one place the feed turns a dict into fields."""
    return ClinicDashboard.model_validate(data) if kind == "clinic" else DoctorDashboard.model_validate(data)


def headline_metrics(kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    dash = typed(kind, data)
    return {name: figure(dash) for name, figure in HEADLINES[kind].items()}


def alerts(kind: str, data: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """The dashboard's alerts as spec ``alert`` data (no timestamp yet), keyed by identity."""
    dash = typed(kind, data)
    # (type, severity, message, action required?) of each alert the dashboard shows.
    items: list[tuple[str, str, str, bool]] = (
        [(a.type, a.severity, a.message, bool(a.action_required)) for a in dash.alerts_and_notifications]
        if isinstance(dash, ClinicDashboard)
        else [(a.type, a.priority, a.message, False) for a in dash.patient_alerts]
    )
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for kind_of, severity, message, required in items:
        severity = severity or "medium"
        out[(kind_of or "", message or "")] = {
            "severity": severity,
            "message": message or "",
            "action_required": required or severity in URGENT,
        }
    return out


def change(old: Any, new: Any) -> str | None:
    """Signed difference in the value's own format ("+3", "-150.00", "+0.05"); None if unknown."""
    if old is None or new is None or isinstance(old, bool) or isinstance(new, bool):
        return None
    try:
        a, b = Decimal(str(old)), Decimal(str(new))
    except InvalidOperation:
        return None
    places = max(-a.as_tuple().exponent, -b.as_tuple().exponent, 0)  # type: ignore[operator]
    diff = (b - a).quantize(Decimal(1).scaleb(-places)) if places else b - a
    return f"{'+' if diff >= 0 else '-'}{abs(diff)}"


@dataclass(eq=False)
class Watcher:
    """One socket: which dashboard, whose token, and what it was last sent."""

    kind: str
    object_id: int
    token: str
    user_id: int
    expires_at: datetime
    outbox: asyncio.Queue[dict[str, Any] | int] = field(default_factory=asyncio.Queue)
    last: dict[str, Any] = field(default_factory=dict)
    alerts_seen: set[tuple[str, str]] = field(default_factory=set)

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.object_id)

    def expired(self) -> bool:
        return datetime.now(UTC) >= self.expires_at

    def updates(
        self, metrics: Mapping[str, Any], current: Mapping[tuple[str, str], dict[str, Any]]
    ) -> list[dict[str, Any]]:
        stamp, out = now_iso(), []
        for name, value in metrics.items():
            first = name not in self.last
            if first or self.last[name] != value:
                delta = None if first else change(self.last[name], value)
                out.append(
                    {
                        "type": "metric_update",
                        "data": {"metric_name": name, "value": value, "timestamp": stamp, "change": delta},
                    }
                )
                self.last[name] = value
        for ident, alert in current.items():
            if ident not in self.alerts_seen:
                out.append({"type": "alert", "data": {**alert, "timestamp": stamp}})
        self.alerts_seen = set(current)
        return out

    def send(self, frames: Iterable[dict[str, Any]]) -> None:
        for frame in frames:
            self.outbox.put_nowait(frame)

    def refuse(self, exc: ServiceError) -> None:
        """Queue the error frame and the close (the socket's writer does both)."""
        self.outbox.put_nowait(error_frame(exc))
        self.outbox.put_nowait(close_code(exc))


def error_frame(exc: ServiceError) -> dict[str, Any]:
    """``{"type": "error", "code", "data": {code, message, detail, timestamp}}``: ``code`` on top
    too, so a client can switch on it without opening ``data``."""
    return {"type": "error", "code": exc.code.code, "data": {**exc.as_json(), "timestamp": now_iso()}}


def close_code(exc: ServiceError) -> int:
    """Application close codes: 4401 authentication, else 4000 + the error's HTTP status."""
    return 4401 if exc.code is DashErrorCode.DASH_008 else 4000 + exc.http_status


def check_access(session: Session, principal: Principal, kind: str, object_id: int) -> None:
    """The service's own checks (``core.policy``), without building anything."""
    if kind == DashboardType.CLINIC.value:
        policy.require_clinic_dashboard(session, principal=principal, clinic_id=object_id)
    else:
        policy.doctor_for_dashboard(session, principal=principal, doctor_id=object_id)


def recompute(
    kind: str, object_id: int, watchers: list[Watcher]
) -> tuple[dict[str, Any] | None, dict[Watcher, ServiceError]]:
    """In a worker thread: re-check every socket's access, then build the dashboard once."""
    refused: dict[Watcher, ServiceError] = {}
    principal: Principal | None = None
    with deps.db_session() as session:
        ids = sorted({w.user_id for w in watchers})
        session.exec(select(User).where(col(User.id).in_(ids))).all()  # one query; get() hits the map
        principals: dict[int, Principal] = {}
        for w in watchers:
            try:
                user = tokens.authenticate_access(session, token=w.token)
                if user.id not in principals:
                    principals[w.user_id] = policy.principal_for(session, user=user)
                check_access(session, principals[w.user_id], kind, object_id)
                principal = principal or principals[w.user_id]
            except AuthError as exc:
                refused[w] = DashboardError(DashErrorCode.DASH_008, exc.code.message)
            except ServiceError as exc:  # AccessDenied (DASH_002/006), DASH_005 ...
                refused[w] = exc
        if principal is None:
            return None, refused
        if kind == DashboardType.CLINIC.value:
            result = service.serve("clinic", session=session, principal=principal, clinic_id=object_id)
        else:
            result = service.serve("doctor", session=session, principal=principal, doctor_id=object_id)
    return result.data, refused


class Feed:
    """The process's one subscription and its sockets; everything but ``_heard`` runs on the loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.watchers: dict[tuple[str, int], set[Watcher]] = {}
        self.topics: frozenset[str] = frozenset()  # read from other threads; replaced, never mutated
        self.running: dict[tuple[str, int], asyncio.Task[None]] = {}
        self.again: set[tuple[str, int]] = set()
        self.slots = asyncio.Semaphore(MAX_PARALLEL)
        self.passes = 0  # recomputations done (tests: one per burst, not one per socket)
        self.unsubscribe = events.subscribe(self._heard)

    def attach(self, watcher: Watcher, data: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Register a socket; returns its first frames (every headline figure, current alerts)."""
        self.watchers.setdefault(watcher.key, set()).add(watcher)
        self._retopic()
        return watcher.updates(headline_metrics(watcher.kind, data), alerts(watcher.kind, data))

    def detach(self, watcher: Watcher) -> None:
        group = self.watchers.get(watcher.key)
        if group is not None:
            group.discard(watcher)
            if not group:
                del self.watchers[watcher.key]
        self._retopic()

    def _retopic(self) -> None:
        self.topics = frozenset(f"{kind}:{oid}" for kind, oid in self.watchers)

    def _heard(self, evt: DomainEvent) -> None:
        """Any thread. Cheap and non-blocking: a set lookup, then a hop to the loop."""
        hits = [t for t in evt.topics if t in self.topics]
        if hits and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self._mark, hits)

    def _mark(self, topics: list[str]) -> None:
        for topic in topics:
            kind, _, oid = topic.partition(":")
            key = (kind, int(oid))
            if key not in self.watchers:
                continue
            if key in self.running:
                self.again.add(key)
            else:
                self.running[key] = self.loop.create_task(self._refresh_loop(key))

    async def _refresh_loop(self, key: tuple[str, int]) -> None:
        try:
            while True:
                await asyncio.sleep(DEBOUNCE_S)
                self.again.discard(key)
                await self._refresh(key)
                if key not in self.again:
                    return
        finally:
            self.running.pop(key, None)

    async def _refresh(self, key: tuple[str, int]) -> None:
        watchers = [w for w in self.watchers.get(key, ()) if not self._expire(w)]
        if not watchers:
            return
        try:
            async with self.slots:
                data, refused = await run_in_threadpool(recompute, key[0], key[1], watchers)
            self.passes += 1
        except ServiceError as exc:  # a timeout or an outage: keep the sockets, try on the next event
            log.warning("dashboard %s:%s not refreshed: %s", *key, exc)
            return
        except Exception:
            log.exception("dashboard %s:%s refresh failed", *key)
            return
        for watcher, why in refused.items():
            self.detach(watcher)
            watcher.refuse(why)
        if data is None:
            return
        metrics, current = headline_metrics(key[0], data), alerts(key[0], data)
        for watcher in watchers:
            if watcher not in refused:
                watcher.send(watcher.updates(metrics, current))

    def _expire(self, watcher: Watcher) -> bool:
        if not watcher.expired():
            return False
        self.detach(watcher)
        watcher.refuse(DashboardError(DashErrorCode.DASH_008, "the access token has expired"))
        return True


_feeds: dict[tuple[int, int], Feed] = {}


def feed() -> Feed:
    """This process's feed on the running loop (a forked worker, or a new loop, gets its own)."""
    loop = asyncio.get_running_loop()
    key = (os.getpid(), id(loop))
    current = _feeds.get(key)
    if current is None:
        for stale_key in [k for k, f in _feeds.items() if f.loop.is_closed() or k[0] != os.getpid()]:
            _feeds.pop(stale_key).unsubscribe()
        current = _feeds[key] = Feed(loop)
    return current
