"""The waitlist housekeeping task, run by a real Celery worker over Redis on PostgreSQL: a lapsed
offer passes to the next patient, and the event the worker publishes reaches this process."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from mediconnect.core import events
from mediconnect.core.db import make_engine
from mediconnect.models.appointments import WaitlistEntry, WaitlistStatus
from mediconnect.models.base import utcnow
from tests.conftest import PG_SERVER_URL
from tests.services import scheduling_world
from tests.support.databases import create_postgres_database, drop_postgres_database, migrate

ROOT = Path(__file__).resolve().parents[2]
# Bounds a hang only: a loaded 2-core machine may take long, and that is not a failure.
HANG_S = 300.0


@pytest.fixture
def pg_url() -> Iterator[str]:
    if not PG_SERVER_URL:
        pytest.skip("TEST_DATABASE_URL not set")
    url = create_postgres_database(PG_SERVER_URL, "mediconnect_worker")
    migrate(url)
    yield url
    drop_postgres_database(PG_SERVER_URL, url)


def test_worker_passes_a_lapsed_offer_to_the_next_patient(
    pg_url: str, redis_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(pg_url)
    with Session(engine, expire_on_commit=False) as s:
        world = scheduling_world.build(s)
        first, second = world.patient, world.other_patient
        now = utcnow()
        lapsed = WaitlistEntry(
            patient_id=first.id, clinic_id=world.clinic.id, service_id=world.us.id, desired_date=world.day,
            status=WaitlistStatus.OFFERED, offered_at=now - timedelta(hours=3),
            offer_expires_at=now - timedelta(minutes=5),
            offered_slot_start=scheduling_world.local(world.day, 9), created_at=now - timedelta(hours=4),
        )  # fmt: skip
        waiting = WaitlistEntry(
            patient_id=second.id, clinic_id=world.clinic.id, service_id=world.us.id, desired_date=world.day,
            created_at=now - timedelta(hours=2),
        )  # fmt: skip
        s.add_all([lapsed, waiting])
        s.commit()
        waiting_id = waiting.id

    monkeypatch.setattr(events.get_settings(), "REDIS_URL", redis_url)
    offered = threading.Event()
    heard: list[events.DomainEvent] = []

    def listen(evt: events.DomainEvent) -> None:
        # Other test runs may share this Redis: listen for our entry only.
        if evt.name == "waitlist_offered" and evt.ids.get("waitlist_entry_id") == waiting_id:
            heard.append(evt)
            offered.set()

    unsubscribe = events.subscribe(listen)
    env = {**os.environ, "REDIS_URL": redis_url, "DATABASE_URL": pg_url}
    log_path = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "workers.celery_app", "worker", "--pool=solo",
         "--concurrency=1", "--without-gossip", "--without-mingle", "--loglevel=warning",
         "-Q", f"waitlist-{os.getpid()}", "-n", f"waitlist-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=log_path.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        code = (
            "from workers.booking import expire_waitlist_offers as t;"
            f"print(t.apply_async(queue='waitlist-{os.getpid()}').get(timeout={HANG_S}))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=2 * HANG_S,
        )
        assert out.returncode == 0, out.stderr + log_path.read_text()
        assert out.stdout.strip() == "1"
        assert offered.wait(HANG_S), "the worker's waitlist_offered event never reached this process"
        assert heard[0].origin != events.origin()
        with Session(engine) as s:
            assert s.get(WaitlistEntry, lapsed.id).status is WaitlistStatus.EXPIRED
            now_offered = s.get(WaitlistEntry, waiting.id)
            assert now_offered.status is WaitlistStatus.OFFERED
            assert now_offered.offered_slot_start is not None
            assert now_offered.offer_expires_at > utcnow()
        assert heard[0].ids.get("waitlist_entry_id") == waiting.id
    finally:
        unsubscribe()
        worker.terminate()
        worker.wait(timeout=HANG_S)
        engine.dispose()
