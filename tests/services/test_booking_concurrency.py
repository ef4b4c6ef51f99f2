"""50 patients book the same slot at once: exactly one booking, 49 clean "slot_taken" answers with
alternatives, no orphan referral file. Real threads, one Session and connection each, on a
freshly migrated database that really commits (SQLite file, and PostgreSQL when
TEST_DATABASE_URL is set)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from mediconnect.core.db import make_engine
from mediconnect.core.policy import principal_for
from mediconnect.models.appointments import Appointment, AppointmentStatus
from mediconnect.models.billing import Invoice
from mediconnect.models.referrals import ReferralDocument
from mediconnect.models.users import User
from mediconnect.services import referral_files
from mediconnect.services.booking import BookingError, book
from mediconnect.services.referral_files import ReferralUpload
from tests.conftest import DB_BACKENDS, PG_SERVER_URL
from tests.core import factories
from tests.services import scheduling_world as sw
from tests.support.databases import create_postgres_database, drop_postgres_database, migrate

ATTEMPTS = 50
PDF = b"%PDF-1.4\n% concurrency\n%%EOF\n"


@pytest.fixture(params=DB_BACKENDS)
def committed_engine(request: pytest.FixtureRequest, tmp_root: Path) -> Iterator[sa.Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_root / f'concurrency-{id(request)}.db'}"
        migrate(url)
        eng = make_engine(url)
        yield eng
        eng.dispose()
        return
    assert PG_SERVER_URL
    url = create_postgres_database(PG_SERVER_URL, "mediconnect_conc")
    migrate(url)
    eng = make_engine(url)
    yield eng
    eng.dispose()
    drop_postgres_database(PG_SERVER_URL, url)


@dataclass
class Setup:
    clinic_id: int
    service_id: int
    start: datetime
    patients: list[tuple[int, int]]  # (user id, patient id)


def _arrange(engine: sa.Engine) -> Setup:
    with Session(engine, expire_on_commit=False) as s:
        w = sw.build(s)
        patients = []
        for _ in range(ATTEMPTS):
            u, p = factories.patient(s, with_user=True)
            assert u is not None and u.id is not None and p.id is not None
            patients.append((u.id, p.id))
        s.commit()
        assert w.clinic.id is not None and w.ct.id is not None
        return Setup(w.clinic.id, w.ct.id, sw.local(w.day, 10), patients)


def _attempt(engine: sa.Engine, setup: Setup, who: tuple[int, int], gate: threading.Barrier) -> object:
    user_id, patient_id = who
    gate.wait()
    with Session(engine, expire_on_commit=False) as s:
        try:
            user = s.get(User, user_id)
            assert user is not None
            appt = book(
                session=s,
                principal=principal_for(s, user=user),
                patient_id=patient_id,
                clinic_id=setup.clinic_id,
                service_id=setup.service_id,
                start=setup.start,
                preparation_acknowledged=True,
                referral=ReferralUpload(f"referral-{patient_id}.pdf", PDF),
            )
            s.commit()
            return appt
        except BookingError as exc:
            s.rollback()
            return exc


def test_fifty_concurrent_bookings_of_one_slot(committed_engine: sa.Engine) -> None:
    setup = _arrange(committed_engine)
    folder = referral_files.storage_dir()
    before = set(folder.iterdir()) if folder.exists() else set()
    gate = threading.Barrier(ATTEMPTS)
    with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
        results = list(pool.map(lambda who: _attempt(committed_engine, setup, who, gate), setup.patients))

    booked = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, BookingError)]
    assert len(booked) == 1, results
    assert len(refused) == ATTEMPTS - 1
    assert {r.code for r in refused} == {"slot_taken"}
    assert all(r.alternatives and all(a.start != setup.start for a in r.alternatives) for r in refused)
    assert all("just taken" in r.message for r in refused)

    with Session(committed_engine) as s:
        live = s.exec(
            select(Appointment).where(
                col(Appointment.clinic_id) == setup.clinic_id,
                col(Appointment.status) != AppointmentStatus.CANCELLED,
            )
        ).all()
        assert len(live) == 1 and live[0].scheduled_start == setup.start
        assert len(s.exec(select(Invoice).where(col(Invoice.appointment_id) == live[0].id)).all()) == 1
        docs = s.exec(select(ReferralDocument)).all()
        new_files = set(folder.iterdir()) - before
        # Exactly the one committed booking's file is on disk: no orphans from the 49 others.
        assert {p.name for p in new_files} == {d.stored_name for d in docs} and len(new_files) == 1
