"""The rollup refresh task: eagerly in the embedded default (SQLite), through a real Celery
worker over Redis on PostgreSQL, and sent by the commit of a change to a past day."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import redis
from sqlmodel import Session

ROOT = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("Africa/Johannesburg")


def past_day() -> date:
    return datetime.now(TZ).date() - timedelta(days=2)


def build(session: Session) -> tuple[int, int]:
    """A clinic with one completed R500 appointment two local days ago: (clinic id, its id)."""
    from mediconnect.models.appointments import Appointment, AppointmentStatus, AppointmentType
    from tests.core import factories as f

    clinic, svc = f.clinic(session), f.service(session)
    _, patient = f.patient(session)
    d = past_day()
    start = datetime(d.year, d.month, d.day, 9, tzinfo=TZ).astimezone(UTC)
    appt = Appointment(
        patient_id=patient.id,
        clinic_id=clinic.id,
        service_id=svc.id,
        appointment_type=AppointmentType.SCAN,
        status=AppointmentStatus.COMPLETED,
        scheduled_start=start,
        scheduled_end=start + timedelta(minutes=20),
        price=Decimal("500.00"),
    )
    session.add(appt)
    session.commit()
    assert clinic.id and appt.id
    return clinic.id, appt.id


def cancel_in_the_past(session: Session, appointment_id: int) -> None:
    """Correct history (cancel the past appointment) and publish it as the services do."""
    from mediconnect.core import events
    from mediconnect.models.appointments import Appointment, AppointmentStatus

    appt = session.get(Appointment, appointment_id)
    assert appt is not None
    appt.status, appt.cancelled_at = AppointmentStatus.CANCELLED, appt.scheduled_start
    session.add(appt)
    events.publish(
        session, "appointment_updated", appointment_id=appt.id, clinic_id=appt.clinic_id, day=past_day()
    )
    session.commit()


def rollup(session: Session, clinic_id: int) -> list[tuple[int, int, str]]:
    from mediconnect.dashboards.kit import daily_stats

    session.rollback()  # a fresh snapshot
    rows = daily_stats.read(session, clinic_id=clinic_id, first=past_day(), last=past_day())
    session.rollback()  # SQLite: every transaction holds the write lock; let the refresher in
    return [(r.appointment_count, r.completed_count, str(r.daily_revenue)) for r in rows]


# Deadlines only bound a hang: a loaded 2-core machine may take long, never fail for it.
HANG_S = 300.0


def wait_for(check: object, timeout: float = HANG_S) -> bool:
    """True once ``check()`` is; False only if it still is not after ``timeout`` (a hang)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


def embedded_main(url: str) -> None:
    """Run in a child process without Redis: the task runs eagerly, events refresh by timer."""
    from mediconnect.bootstrap import wire
    from mediconnect.core.db import make_engine
    from workers.celery_app import app
    from workers.dashboards import refresh_daily_stats

    wire()  # as every app process: the commit hooks
    assert app.conf.task_always_eager
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as s:
        clinic_id, appt_id = build(s)
        assert rollup(s, clinic_id) == []
        result = refresh_daily_stats.delay().get(timeout=HANG_S)
        assert result["backend"] == "sqlite", result
        assert rollup(s, clinic_id) == [(1, 1, "500.00")]
        cancel_in_the_past(s, appt_id)
        assert wait_for(lambda: rollup(s, clinic_id) == [(1, 0, "0.00")]), rollup(s, clinic_id)
    print("ok")


def test_embedded_refresh_runs_in_process(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'embedded.db'}"
    from tests.support.databases import migrate

    migrate(url)
    env = {**os.environ, "REDIS_URL": "", "DATABASE_URL": url}
    code = f"from tests.workers.test_dashboard_tasks import embedded_main; embedded_main({url!r})"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=2 * HANG_S
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("ok")


@pytest.fixture
def pg_url() -> Iterator[str]:
    from tests.conftest import PG_SERVER_URL
    from tests.support.databases import create_postgres_database, drop_postgres_database, migrate

    if not PG_SERVER_URL:
        pytest.skip("TEST_DATABASE_URL not set")
    url = create_postgres_database(PG_SERVER_URL, "mediconnect_rollup")
    migrate(url)
    yield url
    drop_postgres_database(PG_SERVER_URL, url)


def test_worker_refreshes_and_events_send_it(
    pg_url: str, redis_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mediconnect.core.db import make_engine
    from mediconnect.core.settings import get_settings
    from mediconnect.dashboards.kit import rollup_events

    own = redis_url.rsplit("/", 1)[0] + "/13"  # our broker and markers: no other run's tasks
    redis.Redis.from_url(own).flushdb()
    queue = f"rollup-{os.getpid()}"
    monkeypatch.setattr(get_settings(), "REDIS_URL", own)
    monkeypatch.setattr(get_settings(), "DATABASE_URL", pg_url)  # as the app's processes are configured
    monkeypatch.setattr(rollup_events, "QUEUE", queue)
    engine = make_engine(pg_url)
    env = {**os.environ, "REDIS_URL": own, "DATABASE_URL": pg_url}
    log_path = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "workers.celery_app", "worker", "--pool=solo",
         "--concurrency=1", "--without-gossip", "--without-mingle", "--loglevel=warning",
         "-Q", queue, "-n", f"{queue}@%h"],
        cwd=ROOT, env=env, stdout=log_path.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        with Session(engine, expire_on_commit=False) as s:
            clinic_id, appt_id = build(s)
            code = (
                "from workers.dashboards import refresh_daily_stats as t;"
                f"print(t.apply_async(queue={queue!r}).get(timeout={HANG_S})['backend'])"
            )
            out = subprocess.run(
                [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                timeout=2 * HANG_S,
            )  # fmt: skip
            assert out.returncode == 0, out.stderr + log_path.read_text()
            assert out.stdout.strip() == "postgresql"
            assert rollup(s, clinic_id) == [(1, 1, "500.00")]
            # A change to a past day, committed here: the commit hook sends the worker a refresh.
            cancel_in_the_past(s, appt_id)
            assert redis.Redis.from_url(own).exists(rollup_events.marker_key("all"))
            assert wait_for(lambda: rollup(s, clinic_id) == [(1, 0, "0.00")]), log_path.read_text()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        engine.dispose()
