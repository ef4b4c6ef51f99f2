"""Account lockout on both counter implementations, and the login-attempt records."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
import redis
from sqlmodel import Session, select

from mediconnect.core import lockout as lockout_mod
from mediconnect.core.lockout import (
    Lockout,
    LockoutPolicy,
    MemoryCounter,
    RedisCounter,
)
from mediconnect.models.users import LoginAttempt, LoginOutcome, Role, SecurityIncident
from tests.core import factories as f

MakeLockout = Callable[..., Lockout]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta.total_seconds()


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[tuple[redis.Redis, str]]:
    client = redis.Redis.from_url(redis_url)
    prefix = f"lockout:test:{uuid.uuid4().hex}:"
    yield client, prefix
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(params=["memory", "redis"])
def make_lockout(request: pytest.FixtureRequest) -> Iterator[MakeLockout]:
    """A factory of Lockouts sharing one store, as separate processes would."""
    if request.param == "memory":
        counter = MemoryCounter()

        def make(policy: LockoutPolicy = LockoutPolicy()) -> Lockout:
            return Lockout(counter, policy=policy)

        yield make
        return
    client, prefix = request.getfixturevalue("redis_prefix")

    def make_redis(policy: LockoutPolicy = LockoutPolicy()) -> Lockout:
        # a client of its own each time: like another backend process
        return Lockout(
            RedisCounter(redis.Redis(connection_pool=client.connection_pool)), policy=policy, prefix=prefix
        )

    yield make_redis


def test_five_failures_lock_for_the_lock_duration(make_lockout: MakeLockout) -> None:
    lk = make_lockout()
    email = "someone@example.test"
    for n in range(1, 5):
        status = lk.register_failure(email=email)
        assert (status.locked, status.failures) == (False, n)
    assert not lk.status(email=email).locked
    fifth = lk.register_failure(email=email)
    assert fifth.locked and fifth.just_locked and fifth.failures == 5
    status = lk.status(email=email)
    assert status.locked
    assert status.retry_after is not None
    assert timedelta(minutes=14, seconds=58) < status.retry_after <= timedelta(minutes=15)
    assert status.retry_after_seconds == 900
    sixth = lk.register_failure(email=email)
    assert sixth.locked and not sixth.just_locked
    assert not lk.status(email="someone-else@example.test").locked


def test_counter_is_shared_between_instances(make_lockout: MakeLockout) -> None:
    a, b = make_lockout(), make_lockout()
    for i in range(4):
        (a if i % 2 else b).register_failure(email="shared@example.test")
    assert a.register_failure(email="shared@example.test").just_locked
    assert b.status(email="shared@example.test").locked


def test_email_is_normalised(make_lockout: MakeLockout) -> None:
    lk = make_lockout()
    for variant in ("Mixed@Example.test", " mixed@example.test", "MIXED@EXAMPLE.TEST", "mixed@example.test "):
        lk.register_failure(email=variant)
    assert lk.register_failure(email="mixed@example.test").just_locked


def test_success_resets_the_count(make_lockout: MakeLockout) -> None:
    lk = make_lockout()
    for _ in range(4):
        lk.register_failure(email="ok@example.test")
    lk.register_success(email="ok@example.test")
    for n in range(1, 5):
        assert lk.register_failure(email="ok@example.test").failures == n
    assert not lk.status(email="ok@example.test").locked


def test_unlock(make_lockout: MakeLockout) -> None:
    lk = make_lockout()
    for _ in range(5):
        lk.register_failure(email="u@example.test")
    lk.unlock(email="u@example.test")
    assert not lk.status(email="u@example.test").locked
    assert lk.register_failure(email="u@example.test").failures == 1


def test_concurrent_failures_lock_exactly_once(make_lockout: MakeLockout) -> None:
    results: list[bool] = []
    barrier = threading.Barrier(20)

    def attempt() -> None:
        lk = make_lockout()
        barrier.wait()
        results.append(lk.register_failure(email="race@example.test").just_locked)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)  # bounds a hang only; a loaded machine is not a failure
    assert len(results) == 20
    assert results.count(True) == 1


def test_window_and_lock_expire_in_real_time(make_lockout: MakeLockout) -> None:
    """Short durations so both stores expire keys for real (Redis PX, memory monotonic clock)."""
    policy = LockoutPolicy(
        max_attempts=3, window=timedelta(milliseconds=300), lock_duration=timedelta(milliseconds=300)
    )
    lk = make_lockout(policy)
    lk.register_failure(email="t@example.test")
    lk.register_failure(email="t@example.test")
    time.sleep(0.35)  # the window has passed: the count starts again
    assert lk.register_failure(email="t@example.test").failures == 1
    lk.register_failure(email="t@example.test")
    assert lk.register_failure(email="t@example.test").just_locked
    assert lk.status(email="t@example.test").locked
    time.sleep(0.35)
    assert not lk.status(email="t@example.test").locked
    assert lk.register_failure(email="t@example.test").failures == 1


# --------------------------------------------------------------------------------------------
# The in-process counter with a controlled clock: the exact 15-minute semantics.


def test_memory_window_is_fifteen_minutes_from_the_first_failure() -> None:
    clock = FakeClock()
    lk = Lockout(MemoryCounter(clock=clock), policy=LockoutPolicy())
    for _ in range(4):
        lk.register_failure(email="w@example.test")
        clock.advance(timedelta(minutes=3))  # 4 failures over 12 minutes
    clock.advance(timedelta(minutes=2, seconds=59))  # 14:59 after the first
    assert lk.register_failure(email="w@example.test").just_locked


def test_memory_failures_spread_beyond_the_window_do_not_lock() -> None:
    clock = FakeClock()
    lk = Lockout(MemoryCounter(clock=clock), policy=LockoutPolicy())
    for _ in range(4):
        lk.register_failure(email="w@example.test")
    clock.advance(timedelta(minutes=15))
    assert lk.register_failure(email="w@example.test").failures == 1


def test_memory_lock_lifts_after_fifteen_minutes_and_is_not_extended() -> None:
    clock = FakeClock()
    lk = Lockout(MemoryCounter(clock=clock), policy=LockoutPolicy())
    for _ in range(5):
        lk.register_failure(email="l@example.test")
    clock.advance(timedelta(minutes=10))
    assert lk.register_failure(email="l@example.test").locked  # attempts while locked...
    clock.advance(timedelta(minutes=4, seconds=59))
    assert lk.status(email="l@example.test").locked
    clock.advance(timedelta(seconds=1))  # ...do not push the end back
    assert not lk.status(email="l@example.test").locked


def test_memory_counter_is_thread_safe() -> None:
    counter = MemoryCounter()

    def bump() -> None:
        for _ in range(500):
            counter.incr("k", ttl=timedelta(minutes=1))

    threads = [threading.Thread(target=bump) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert counter.incr("k", ttl=timedelta(minutes=1)) == 4001


def test_policy_validation_and_settings_defaults() -> None:
    with pytest.raises(ValueError):
        LockoutPolicy(max_attempts=0)
    p = LockoutPolicy.from_settings()
    assert (p.max_attempts, p.window, p.lock_duration) == (5, timedelta(minutes=15), timedelta(minutes=15))


def test_redis_keys_use_the_prefix_and_hide_the_email(redis_prefix: tuple[redis.Redis, str]) -> None:
    client, prefix = redis_prefix
    lk = Lockout(RedisCounter(client), prefix=prefix)
    for _ in range(5):
        lk.register_failure(email="private.person@example.test")
    keys = [k.decode() for k in client.scan_iter(match=f"{prefix}*")]
    assert len(keys) == 1 and keys[0].startswith(f"{prefix}lock:")  # the counter is cleared on lock
    assert "private" not in keys[0] and "@" not in keys[0]
    assert 0 < client.pttl(keys[0]) <= 15 * 60 * 1000


def test_default_lockout_picks_the_store(monkeypatch: pytest.MonkeyPatch) -> None:
    class S:
        REDIS_URL: str | None = None

    monkeypatch.setattr(lockout_mod, "get_settings", lambda: S())
    assert isinstance(lockout_mod.default_lockout().counter, MemoryCounter)
    S.REDIS_URL = "redis://127.0.0.1:6379/0"
    assert isinstance(lockout_mod.default_lockout().counter, RedisCounter)


# --------------------------------------------------------------------------------------------
# Attempts are recorded in the database


def test_attempts_are_recorded_and_a_lock_is_an_incident(session: Session, make_lockout: MakeLockout) -> None:
    lk = make_lockout()
    user = f.user(session, Role.PATIENT, email=f"pat{uuid.uuid4().hex[:8]}@example.test")
    email = user.email.upper()
    for _ in range(4):
        lk.record_attempt(
            session, email=email, outcome=LoginOutcome.BAD_PASSWORD, user_id=user.id, ip="10.0.0.9"
        )
    status = lk.record_attempt(
        session, email=email, outcome=LoginOutcome.BAD_PASSWORD, user_id=user.id, ip="10.0.0.9"
    )
    assert status.just_locked
    locked = lk.record_attempt(
        session, email=email, outcome=LoginOutcome.LOCKED, user_id=user.id, ip="10.0.0.9"
    )
    assert locked.locked

    rows = session.exec(select(LoginAttempt).where(LoginAttempt.user_id == user.id)).all()
    assert [r.outcome for r in rows] == [LoginOutcome.BAD_PASSWORD] * 5 + [LoginOutcome.LOCKED]
    assert all(r.email == user.email and r.ip_address == "10.0.0.9" and not r.success for r in rows)
    incidents = session.exec(select(SecurityIncident).where(SecurityIncident.user_id == user.id)).all()
    assert len(incidents) == 1
    assert (incidents[0].incident_type, incidents[0].count, incidents[0].action_taken) == (
        "account_lockout",
        5,
        "account_locked",
    )


def test_unknown_users_are_counted_too(session: Session, make_lockout: MakeLockout) -> None:
    lk = make_lockout()
    email = f"nobody{uuid.uuid4().hex[:8]}@example.test"
    for _ in range(4):
        lk.record_attempt(session, email=email, outcome=LoginOutcome.UNKNOWN_USER, ip="192.0.2.1")
    assert lk.record_attempt(session, email=email, outcome=LoginOutcome.UNKNOWN_USER, ip="192.0.2.1").locked
    rows = session.exec(select(LoginAttempt).where(LoginAttempt.email == email)).all()
    assert len(rows) == 5 and all(r.user_id is None for r in rows)


def test_success_is_recorded_and_resets(session: Session, make_lockout: MakeLockout) -> None:
    lk = make_lockout()
    user = f.user(session, Role.DOCTOR)
    for _ in range(3):
        lk.record_attempt(session, email=user.email, outcome=LoginOutcome.BAD_PASSWORD, user_id=user.id)
    ok = lk.record_attempt(
        session, email=user.email, outcome=LoginOutcome.SUCCESS, user_id=user.id, method="oidc"
    )
    assert not ok.locked
    assert lk.register_failure(email=user.email).failures == 1
    last = session.exec(
        select(LoginAttempt).where(LoginAttempt.user_id == user.id, LoginAttempt.success == True)  # noqa: E712
    ).one()
    assert (last.outcome, last.method) == (LoginOutcome.SUCCESS, "oidc")


def test_inactive_outcome_does_not_count(session: Session, make_lockout: MakeLockout) -> None:
    lk = make_lockout()
    user = f.user(session, Role.DOCTOR, is_active=False)
    for _ in range(6):
        lk.record_attempt(session, email=user.email, outcome=LoginOutcome.INACTIVE, user_id=user.id)
    assert not lk.status(email=user.email).locked
