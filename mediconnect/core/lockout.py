"""Account lockout: 5 failed sign-ins within 15 minutes lock the account for 15 minutes.

The counters live behind a small ``Counter`` protocol so that every backend process shares
them: ``RedisCounter`` in production, ``MemoryCounter`` (thread-safe, this process only) in the
embedded default. Keys are ``<prefix>fail:<id>`` and ``<prefix>lock:<id>`` where ``<id>`` is a
SHA-256 of the normalised email, so no address is written to Redis. Counting by email (not by
user) means unknown addresses lock the same way known ones do, which reveals nothing.

Window semantics: the failure counter starts at the first failure and lives ``window`` long
(INCR, then EXPIRE ... NX in the same MULTI); reaching ``max_attempts`` inside it sets the lock
key for ``lock_duration`` and clears the counter. Attempts made while locked are recorded but
neither counted nor extend the lock. A success clears the counter.

Every attempt is also a ``LoginAttempt`` row (the admin dashboard's security monitoring), and
each lock that starts is a ``SecurityIncident``.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Protocol

import redis
from sqlmodel import Session

from mediconnect.core.settings import get_settings
from mediconnect.models.base import utcnow
from mediconnect.models.users import LoginAttempt, LoginOutcome, SecurityIncident

DEFAULT_PREFIX = "lockout:"
# Outcomes that count towards a lock: guessing. A locked or inactive account is not a guess.
COUNTED_OUTCOMES = frozenset({LoginOutcome.BAD_PASSWORD, LoginOutcome.UNKNOWN_USER, LoginOutcome.SUSPICIOUS})


class Counter(Protocol):
    """Expiring integer counters shared by every process that should agree on them."""

    def incr(self, key: str, *, ttl: timedelta) -> int:
        """Add one and return the new value; a key created by this call expires after ``ttl``."""
        ...

    def set_if_absent(self, key: str, *, ttl: timedelta) -> bool:
        """Create ``key`` expiring after ``ttl``; False if it already exists."""
        ...

    def remaining(self, key: str) -> timedelta | None:
        """Time until ``key`` expires, or None when it does not exist."""
        ...

    def delete(self, *keys: str) -> None: ...


def _ms(ttl: timedelta) -> int:
    ms = int(ttl.total_seconds() * 1000)
    if ms <= 0:
        raise ValueError("ttl must be positive")
    return ms


class RedisCounter:
    """Counters in Redis: atomic across processes and hosts."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    @classmethod
    def from_url(cls, url: str) -> RedisCounter:
        return cls(redis.Redis.from_url(url))

    def incr(self, key: str, *, ttl: timedelta) -> int:
        pipe = self.client.pipeline(transaction=True)
        pipe.incr(key)
        pipe.pexpire(key, _ms(ttl), nx=True)  # only the first failure starts the window
        value, _ = pipe.execute()
        return int(value)

    def set_if_absent(self, key: str, *, ttl: timedelta) -> bool:
        return bool(self.client.set(key, 1, px=_ms(ttl), nx=True))

    def remaining(self, key: str) -> timedelta | None:
        ms = int(self.client.pttl(key))  # type: ignore[arg-type]
        if ms == -2:  # no such key
            return None
        if ms == -1:  # no expiry: should not happen; treat as a full lock rather than none
            return timedelta(days=365)
        return timedelta(milliseconds=ms)

    def delete(self, *keys: str) -> None:
        if keys:
            self.client.delete(*keys)


@dataclass
class MemoryCounter:
    """Counters in this process, for the embedded default (single process). Thread-safe."""

    clock: Callable[[], float] = time.monotonic
    _data: dict[str, tuple[int, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _live(self, key: str, now: float) -> tuple[int, float] | None:
        entry = self._data.get(key)
        if entry is not None and entry[1] <= now:
            del self._data[key]
            return None
        return entry

    def incr(self, key: str, *, ttl: timedelta) -> int:
        ms = _ms(ttl)
        with self._lock:
            now = self.clock()
            entry = self._live(key, now)
            value, expires = entry if entry else (0, now + ms / 1000)
            self._data[key] = (value + 1, expires)
            return value + 1

    def set_if_absent(self, key: str, *, ttl: timedelta) -> bool:
        ms = _ms(ttl)
        with self._lock:
            now = self.clock()
            if self._live(key, now) is not None:
                return False
            self._data[key] = (1, now + ms / 1000)
            return True

    def remaining(self, key: str) -> timedelta | None:
        with self._lock:
            now = self.clock()
            entry = self._live(key, now)
            return None if entry is None else timedelta(seconds=entry[1] - now)

    def delete(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._data.pop(key, None)


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    max_attempts: int = 5
    window: timedelta = timedelta(minutes=15)
    lock_duration: timedelta = timedelta(minutes=15)

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.window <= timedelta(0) or self.lock_duration <= timedelta(0):
            raise ValueError("lockout policy values must be positive")

    @classmethod
    def from_settings(cls) -> LockoutPolicy:
        """Settings LOCKOUT_MAX_ATTEMPTS / LOCKOUT_WINDOW_MINUTES / LOCKOUT_MINUTES, when defined."""
        s = get_settings()
        return cls(
            max_attempts=int(getattr(s, "LOCKOUT_MAX_ATTEMPTS", 5)),
            window=timedelta(minutes=float(getattr(s, "LOCKOUT_WINDOW_MINUTES", 15))),
            lock_duration=timedelta(minutes=float(getattr(s, "LOCKOUT_MINUTES", 15))),
        )


@dataclass(frozen=True, slots=True)
class LockStatus:
    locked: bool
    retry_after: timedelta | None = None  # while locked: how long until it lifts
    failures: int = 0  # failures counted in the current window (0 when unknown or reset)
    just_locked: bool = False  # this attempt is the one that started the lock

    @property
    def retry_after_seconds(self) -> int | None:
        """For a Retry-After header: whole seconds, rounded up."""
        if self.retry_after is None:
            return None
        return max(1, math.ceil(self.retry_after.total_seconds()))


def normalise_email(email: str) -> str:
    return email.strip().lower()


class Lockout:
    """The lockout rule over a Counter."""

    def __init__(
        self, counter: Counter, *, policy: LockoutPolicy | None = None, prefix: str = DEFAULT_PREFIX
    ) -> None:
        self.counter = counter
        self.policy = policy or LockoutPolicy.from_settings()
        self.prefix = prefix

    def _keys(self, email: str) -> tuple[str, str]:
        digest = hashlib.sha256(normalise_email(email).encode()).hexdigest()
        return f"{self.prefix}fail:{digest}", f"{self.prefix}lock:{digest}"

    def status(self, *, email: str) -> LockStatus:
        """Is this account locked now? Check this BEFORE verifying the password."""
        _, lock_key = self._keys(email)
        remaining = self.counter.remaining(lock_key)
        return LockStatus(locked=remaining is not None, retry_after=remaining)

    def register_failure(self, *, email: str) -> LockStatus:
        fail_key, lock_key = self._keys(email)
        remaining = self.counter.remaining(lock_key)
        if remaining is not None:
            return LockStatus(locked=True, retry_after=remaining)
        failures = self.counter.incr(fail_key, ttl=self.policy.window)
        if failures < self.policy.max_attempts:
            return LockStatus(locked=False, failures=failures)
        started = self.counter.set_if_absent(lock_key, ttl=self.policy.lock_duration)
        self.counter.delete(fail_key)
        return LockStatus(
            locked=True,
            retry_after=self.counter.remaining(lock_key) or self.policy.lock_duration,
            failures=failures,
            just_locked=started,
        )

    def register_success(self, *, email: str) -> None:
        fail_key, _ = self._keys(email)
        self.counter.delete(fail_key)

    def unlock(self, *, email: str) -> None:
        """An admin lifts a lock early."""
        self.counter.delete(*self._keys(email))

    def record_attempt(
        self,
        session: Session,
        *,
        email: str,
        outcome: LoginOutcome,
        user_id: int | None = None,
        ip: str | None = None,
        method: str = "password",
        now: datetime | None = None,
    ) -> LockStatus:
        """Record one sign-in attempt: update the counter and write the LoginAttempt row.

        Adds (and flushes) the row in the caller's transaction; commit it even when the sign-in
        is refused, or the record of the failure is lost.
        """
        outcome = LoginOutcome(outcome)
        now = now or utcnow()
        if outcome is LoginOutcome.SUCCESS:
            self.register_success(email=email)
            status = LockStatus(locked=False)
        elif outcome in COUNTED_OUTCOMES:
            status = self.register_failure(email=email)
        else:
            status = self.status(email=email)
        session.add(
            LoginAttempt(
                user_id=user_id,
                email=normalise_email(email)[:254],
                ip_address=(ip or None) and ip[:45],
                success=outcome is LoginOutcome.SUCCESS,
                outcome=outcome,
                method=method[:20],
                attempted_at=now,
            )
        )
        if status.just_locked:
            session.add(
                SecurityIncident(
                    incident_type="account_lockout",
                    source_ip=(ip or None) and ip[:45],
                    user_id=user_id,
                    count=status.failures,
                    action_taken="account_locked",
                    detected_at=now,
                )
            )
        session.flush()
        return status


_memory_counter = MemoryCounter()


@lru_cache
def _redis_counter(url: str) -> RedisCounter:
    return RedisCounter.from_url(url)


def default_lockout() -> Lockout:
    """Redis when REDIS_URL is set (shared by all processes), otherwise this process's memory."""
    url = get_settings().REDIS_URL
    counter: Counter = _redis_counter(url) if url else _memory_counter
    return Lockout(counter)
