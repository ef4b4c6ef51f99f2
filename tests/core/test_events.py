"""Domain events: sent only after commit, dropped on rollback, ids only, shared through Redis."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import date

import pytest
import redis
from sqlmodel import Session

from mediconnect.core import events
from mediconnect.core.settings import ROOT


@pytest.fixture
def heard() -> list[events.DomainEvent]:
    got: list[events.DomainEvent] = []
    unsubscribe = events.subscribe(got.append)
    yield got
    unsubscribe()


def test_an_event_goes_out_when_the_transaction_commits(session: Session, heard) -> None:
    evt = events.publish(
        session, "appointment_created", appointment_id=7, clinic_id=3, day=date(2026, 11, 23)
    )
    assert evt not in heard and not [e for e in heard if e.event_id == evt.event_id]
    session.commit()
    [got] = [e for e in heard if e.event_id == evt.event_id]
    assert got.name == "appointment_created"
    assert dict(got.ids) == {"appointment_id": 7, "clinic_id": 3, "day": "2026-11-23"}
    assert set(got.topics) == {"appointment:7", "clinic:3", "clinic:3:day:2026-11-23"}
    assert got.committed_at > 0


def test_a_rolled_back_event_never_goes_out(session: Session, heard) -> None:
    dropped = events.publish(session, "appointment_created", appointment_id=8)
    session.rollback()
    kept = events.publish(session, "appointment_cancelled", appointment_id=9)
    session.commit()
    ids = [e.event_id for e in heard]
    assert kept.event_id in ids
    assert dropped.event_id not in ids


def test_events_carry_ids_and_dates_only(session: Session) -> None:
    with pytest.raises(TypeError):
        events.publish(session, "appointment_created", patient_name=object())  # type: ignore[arg-type]
    evt = events.make_event("x", patient_id=4, note=None)
    assert dict(evt.ids) == {"patient_id": 4}
    assert events.DomainEvent.from_json(evt.to_json()).topics == evt.topics


def test_an_event_from_another_process_arrives_through_redis(redis_url: str, monkeypatch) -> None:
    """A separate interpreter (a second web process, a Celery worker) publishes; we hear it."""
    monkeypatch.setattr(events.get_settings(), "REDIS_URL", redis_url)
    arrived = threading.Event()
    got: list[events.DomainEvent] = []

    def listener(evt: events.DomainEvent) -> None:
        if evt.name == "cross_process_probe":
            got.append(evt)
            arrived.set()

    unsubscribe = events.subscribe(listener)
    try:
        code = (
            "from mediconnect.core import events;"
            "events.publish_now(events.make_event('cross_process_probe', clinic_id=5))"
        )
        env = {"REDIS_URL": redis_url, "PATH": "/usr/bin:/bin"}
        run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        assert arrived.wait(300), "the event published by the other process never arrived"
        assert got[0].origin != events.origin()
        assert got[0].topics == ("clinic:5",)
    finally:
        unsubscribe()


def test_our_own_events_are_heard_once_even_with_redis(redis_url: str, monkeypatch, session: Session) -> None:
    monkeypatch.setattr(events.get_settings(), "REDIS_URL", redis_url)
    got: list[events.DomainEvent] = []
    unsubscribe = events.subscribe(got.append)
    try:
        first = events.publish(session, "appointment_updated", appointment_id=1)
        session.commit()
        # A marker from another interpreter arrives after ours would have come back via Redis.
        client = redis.Redis.from_url(redis_url)
        marker = events.make_event("marker", clinic_id=1)
        object.__setattr__(marker, "origin", "another-process")
        done = threading.Event()
        unsubscribe_marker = events.subscribe(lambda e: done.set() if e.name == "marker" else None)
        client.publish(events.CHANNEL, marker.to_json())
        assert done.wait(300)  # bounds a hang only
        unsubscribe_marker()
        assert [e.event_id for e in got].count(first.event_id) == 1
    finally:
        unsubscribe()


def test_releasing_a_savepoint_is_not_a_commit(session: Session, heard) -> None:
    evt = events.publish(session, "appointment_created", appointment_id=11)
    with session.begin_nested():
        inner = events.publish(session, "appointment_updated", appointment_id=11)
    assert not {evt.event_id, inner.event_id} & {e.event_id for e in heard}
    session.rollback()
    assert not {evt.event_id, inner.event_id} & {e.event_id for e in heard}


def test_a_rolled_back_savepoint_drops_only_its_own_events(session: Session, heard) -> None:
    before = events.publish(session, "appointment_created", appointment_id=12)
    try:
        with session.begin_nested():
            inside = events.publish(session, "appointment_updated", appointment_id=12)
            raise ValueError("the savepoint fails")
    except ValueError:
        pass
    session.commit()
    ids = {e.event_id for e in heard}
    assert before.event_id in ids
    assert inside.event_id not in ids
