"""The dashboards' cache, in-process and on Redis: hits, invalidation by every trigger event
(published, and committed through the real services), the stale-write race, and Redis outages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from mediconnect.core import events
from mediconnect.core.cache import Cache
from mediconnect.core.policy import principal_for
from mediconnect.core.settings import get_settings
from mediconnect.dashboards import service
from mediconnect.dashboards.kit import cache as dcache
from mediconnect.models.users import Role
from mediconnect.services import lifecycle, payments
from mediconnect.services.booking import book
from tests.core import factories as f
from tests.services import billing_world as bw
from tests.services import scheduling_world as sw

DEAD_REDIS = "redis://127.0.0.1:1/0"


def own_db(url: str) -> str:
    """A Redis database of our own: other test runs clearing theirs must not clear ours."""
    return url.rsplit("/", 1)[0] + "/11"


@pytest.fixture(params=["in-process", "redis"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str | None]:
    url = own_db(request.getfixturevalue("redis_url")) if request.param == "redis" else None
    monkeypatch.setattr(get_settings(), "REDIS_URL", url)
    dcache.clear()
    yield url
    dcache.clear()


def clinic_view(session: Session, clinic_id: int, user_id: int, **kw: object) -> service.DashboardResult:
    from mediconnect.models.users import User

    user = session.get(User, user_id)
    assert user is not None
    p = principal_for(session, user=user)
    return service.serve("clinic", session=session, principal=p, clinic_id=clinic_id, **kw)  # type: ignore[arg-type]


def put_doctor_value(doctor_id: int, user_id: int) -> str:
    """A cached doctor dashboard, stored the way the service stores one."""
    key = dcache.doctor_key(user_id)
    found = dcache.lookup(key, dcache.doctor_family(doctor_id))
    dcache.store(key, found.tag, {"doctor": doctor_id}, datetime.now(UTC), dcache.DOCTOR_TTL)
    assert dcache.lookup(key, dcache.doctor_family(doctor_id)).entry is not None
    return key


def doctor_cached(doctor_id: int, user_id: int) -> bool:
    return dcache.lookup(dcache.doctor_key(user_id), dcache.doctor_family(doctor_id)).entry is not None


# ------------------------------------------------------------------------- hits


def test_second_call_is_served_from_cache(session: Session, backend: str | None) -> None:
    w = bw.world(session)
    assert w.clinic.id and w.admin_user.id
    first = clinic_view(session, w.clinic.id, w.admin_user.id)
    second = clinic_view(session, w.clinic.id, w.admin_user.id)
    assert (first.cached, second.cached) == (False, True)
    assert second.data == first.data
    assert second.generated_at == first.generated_at
    fresh = clinic_view(session, w.clinic.id, w.admin_user.id, fresh=True)
    assert fresh.cached is False and fresh.generated_at >= first.generated_at
    assert clinic_view(session, w.clinic.id, w.admin_user.id, only_if_cached=True).cached is True


def test_keys_follow_the_spec() -> None:
    from mediconnect.dashboards.kit.cache import analytics_key, clinic_key, doctor_key

    assert doctor_key(12) == "dash:doctor:12:today"
    assert clinic_key(3) == "dash:clinic:3:metrics"
    assert (dcache.DOCTOR_TTL, dcache.CLINIC_TTL, dcache.ANALYTICS_TTL) == (30, 30, 3600)
    params = pytest.importorskip("mediconnect.dashboards.doctor.analytics").AnalyticsParams
    day = datetime(2026, 11, 21).date()
    assert analytics_key(12, params(period="month"), day) == "dash:doctor:12:month:2026-11-21"


# ------------------------------------------------------------------------- triggers (published)

DOCTOR_EVENTS = sorted(dcache.APPOINTMENT_EVENTS | {"payment_received", "payment_refunded"})


@pytest.mark.parametrize("name", sorted(dcache.TRIGGERS))
def test_each_trigger_invalidates(session: Session, backend: str | None, name: str) -> None:
    clinic, other = f.clinic(session), f.clinic(session)
    du, d = f.doctor(session, clinics=(clinic,))
    admin = f.user(session, Role.ADMIN)
    assert clinic.id and other.id and d.id and du.id and admin.id
    session.commit()
    clinic_view(session, clinic.id, admin.id)
    clinic_view(session, other.id, admin.id)
    put_doctor_value(d.id, du.id)
    assert clinic_view(session, clinic.id, admin.id).cached

    ids: dict[str, int] = {"clinic_id": clinic.id}
    if name in DOCTOR_EVENTS:
        ids["doctor_id"] = d.id
    events.publish(session, name, **ids)
    assert clinic_view(session, clinic.id, admin.id).cached, "nothing changes before the commit"
    session.commit()

    assert not clinic_view(session, clinic.id, admin.id).cached
    assert clinic_view(session, other.id, admin.id).cached, "another clinic's figures stay"
    assert doctor_cached(d.id, du.id) is (name not in DOCTOR_EVENTS)


def test_unrelated_events_keep_the_cache(session: Session, backend: str | None) -> None:
    clinic = f.clinic(session)
    admin = f.user(session, Role.ADMIN)
    assert clinic.id and admin.id
    clinic_view(session, clinic.id, admin.id)
    events.publish(session, "waitlist_updated", clinic_id=clinic.id)
    session.commit()
    assert clinic_view(session, clinic.id, admin.id).cached


# ------------------------------------------------------------------------- triggers (real services)


def _cache_scheduling_world(session: sw.Session) -> tuple[sw.World, int]:
    w = sw.build(session)
    assert w.clinic.id and w.admin.id
    session.commit()
    clinic_view(session, w.clinic.id, w.admin.id)
    assert clinic_view(session, w.clinic.id, w.admin.id).cached
    return w, w.clinic.id


def _book_consult(w: sw.World, hh: int = 9) -> int:
    out = book(
        session=w.session,
        principal=w.principal(w.staff_user),
        patient_id=w.patient.id,  # type: ignore[arg-type]
        clinic_id=w.clinic.id,  # type: ignore[arg-type]
        service_id=w.consult.id,  # type: ignore[arg-type]
        start=sw.local(w.day, hh),
        preparation_acknowledged=True,
    )
    return int(out.id)


def test_booking_invalidates_clinic_and_doctor(session: Session, backend: str | None) -> None:
    w, clinic_id = _cache_scheduling_world(session)
    doctors = [(d.id, d.user_id) for d in (w.doctor_a, w.doctor_b)]
    for did, uid in doctors:
        put_doctor_value(did, uid)  # type: ignore[arg-type]
    appt_id = _book_consult(w)
    session.commit()
    assert not clinic_view(session, clinic_id, w.admin.id).cached  # type: ignore[arg-type]
    from mediconnect.models.appointments import Appointment

    booked_doctor = session.get(Appointment, appt_id).doctor_id  # type: ignore[union-attr]
    assert booked_doctor is not None
    for did, uid in doctors:
        assert doctor_cached(did, uid) is (did != booked_doctor)  # type: ignore[arg-type]


@pytest.mark.parametrize("step", ["check_in", "cancel"])
def test_lifecycle_invalidates(session: Session, backend: str | None, step: str) -> None:
    w, clinic_id = _cache_scheduling_world(session)
    appt_id = _book_consult(w, 10)
    session.commit()
    clinic_view(session, clinic_id, w.admin.id)  # type: ignore[arg-type]
    assert clinic_view(session, clinic_id, w.admin.id).cached  # type: ignore[arg-type]
    desk = w.principal(w.staff_user)
    if step == "check_in":
        lifecycle.check_in(session=session, principal=desk, appointment_id=appt_id)
    else:
        lifecycle.cancel(session=session, principal=desk, appointment_id=appt_id, reason="patient asked")
    session.commit()
    assert not clinic_view(session, clinic_id, w.admin.id).cached  # type: ignore[arg-type]


def test_payment_invalidates(session: Session, backend: str | None) -> None:
    w = bw.world(session)
    _, inv = bw.booked(session, w)
    assert w.clinic.id and w.admin_user.id and inv.id
    session.commit()
    clinic_view(session, w.clinic.id, w.admin_user.id)
    assert clinic_view(session, w.clinic.id, w.admin_user.id).cached
    desk = bw.principal(session, w.desk_user)
    payments.record_payment(session=session, principal=desk, invoice_id=inv.id, amount="100", method="cash")
    session.commit()
    assert not clinic_view(session, w.clinic.id, w.admin_user.id).cached


# ------------------------------------------------------------------------- races and processes


def test_a_value_computed_before_an_invalidation_is_never_served(backend: str | None) -> None:
    key, family = dcache.clinic_key(999_001), dcache.clinic_family(999_001)
    reader = dcache.lookup(key, family)  # a reader starts: miss, notes the generation
    assert reader.entry is None
    # ... meanwhile a writer commits and invalidates ...
    events._dispatch([events.make_event("appointment_created", clinic_id=999_001)])
    # ... and the reader stores what it computed from its older snapshot.
    dcache.store(key, reader.tag, {"stale": True}, datetime.now(UTC), 30)
    assert dcache.lookup(key, family).entry is None
    # The next reader computes afresh and its value is served.
    again = dcache.lookup(key, family)
    dcache.store(key, again.tag, {"stale": False}, datetime.now(UTC), 30)
    entry = dcache.lookup(key, family).entry
    assert entry is not None and entry.data == {"stale": False}


def test_two_processes_share_values_and_invalidations(redis_url: str) -> None:
    one, two = Cache(own_db(redis_url)), Cache(own_db(redis_url))
    one.clear()
    value, tag = one.read("dash:clinic:77:metrics", ["dash:gen:clinic:77"])
    assert value is None and tag
    one.set("dash:clinic:77:metrics", b"x", 30)
    assert two.read("dash:clinic:77:metrics", ["dash:gen:clinic:77"]) == (b"x", tag)
    two.bump(["dash:gen:clinic:77"])
    assert one.read("dash:clinic:77:metrics", ["dash:gen:clinic:77"])[1] != tag
    one.clear()


def test_in_process_values_expire() -> None:
    c = Cache(None)
    c.set("dash:k", b"v", ttl=30)
    assert c.get("dash:k") == b"v"
    c._local["dash:k"] = (0.0, b"v")  # as if 30 s had passed
    assert c.get("dash:k") is None


# ------------------------------------------------------------------------- Redis down


def test_redis_outage_serves_direct_queries(
    session: Session, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(get_settings(), "REDIS_URL", DEAD_REDIS)
    w = bw.world(session)
    assert w.clinic.id and w.admin_user.id
    first = clinic_view(session, w.clinic.id, w.admin_user.id)
    second = clinic_view(session, w.clinic.id, w.admin_user.id)
    assert (first.cached, second.cached) == (False, False)
    assert second.data["clinic_info"] == first.data["clinic_info"]
    assert any("Redis unavailable" in r.getMessage() for r in caplog.records)
    # A commit while Redis is down still succeeds.
    events.publish(session, "appointment_created", clinic_id=w.clinic.id)
    session.commit()


def test_invalidation_lost_in_an_outage_retires_older_values(redis_url: str) -> None:
    c = Cache(own_db(redis_url))
    c.clear()
    _, tag = c.read("dash:clinic:78:metrics", ["dash:gen:clinic:78"])
    c.set("dash:clinic:78:metrics", b"old", 30)
    good_url = c.url
    c.url, c._clients = DEAD_REDIS, {}
    c.bump(["dash:gen:clinic:78"])  # lost: Redis is "down"
    c.url, c._clients, c._down_until = good_url, {}, 0.0
    value, now_tag = c.read("dash:clinic:78:metrics", ["dash:gen:clinic:78"])
    assert value == b"old" and now_tag != tag, "the stored tag no longer matches: a miss"
    c.clear()


def test_timeline_is_not_cached_for_an_explicit_now(session: Session, backend: str | None) -> None:
    w = bw.world(session)
    assert w.clinic.id and w.admin_user.id
    at = datetime.now(UTC) - timedelta(days=1)
    a = clinic_view(session, w.clinic.id, w.admin_user.id, now=at)
    b = clinic_view(session, w.clinic.id, w.admin_user.id, now=at)
    assert (a.cached, b.cached, a.generated_at) == (False, False, at)
    assert not clinic_view(session, w.clinic.id, w.admin_user.id).cached
