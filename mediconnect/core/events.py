"""Domain events: published by services after their transaction commits, carrying ids only.

    events.publish(session, "appointment_created", appointment_id=a.id, clinic_id=a.clinic_id,
                   patient_id=a.patient_id, doctor_id=a.doctor_id, day=local_day)

``publish`` queues the event on the session; it goes out only when that session's transaction
commits, and is dropped if it rolls back, so a screen never shows a change that did not happen.
Going out means: every local hook runs (cache invalidation), then the event is handed to the
bus: Redis pub/sub on one channel when REDIS_URL is set (every process of the app, and Celery
workers, share it), or this process alone in the embedded default.

Each backend process holds ONE subscription (``subscribe``); the Reflex fan-out
(``features/live``) and the /ws dashboard feed listen through it. Events name things by id
and by topic (``topics_for``), never by anything a person could be recognised from.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

import redis
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session as OrmSession

from mediconnect.core.after_commit import TransactionQueue
from mediconnect.core.settings import get_settings

log = logging.getLogger(__name__)

CHANNEL = "mediconnect:events"
_origin: tuple[int, str] | None = None


def origin() -> str:
    """This process's id, so a listener can tell its own events from others'. Made per pid:
    the web server imports the app once and forks its workers, which must not share one."""
    global _origin
    pid = os.getpid()
    if _origin is None or _origin[0] != pid:
        _origin = (pid, uuid.uuid4().hex[:12])
    return _origin[1]


IdValue = int | str


@dataclass(frozen=True, slots=True)
class DomainEvent:
    name: str
    ids: Mapping[str, IdValue]
    topics: tuple[str, ...]
    # Wall-clock time of the commit (seconds since the epoch): push latency is measured from it.
    committed_at: float = 0.0
    origin: str = field(default_factory=origin)
    event_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def to_json(self) -> str:
        return json.dumps(
            {
                "name": self.name,
                "ids": dict(self.ids),
                "topics": list(self.topics),
                "committed_at": self.committed_at,
                "origin": self.origin,
                "event_id": self.event_id,
            }
        )

    @classmethod
    def from_json(cls, raw: str | bytes) -> DomainEvent:
        data = json.loads(raw)
        return cls(
            name=str(data["name"]),
            ids={str(k): v for k, v in dict(data["ids"]).items()},
            topics=tuple(str(t) for t in data["topics"]),
            committed_at=float(data.get("committed_at") or 0.0),
            origin=str(data.get("origin") or ""),
            event_id=str(data.get("event_id") or uuid.uuid4().hex),
        )


def topics_for(ids: Mapping[str, IdValue]) -> tuple[str, ...]:
    """The topics an event with these ids concerns.

    Every ``<kind>_id`` gives ``<kind>:<id>``; a clinic with a ``day`` (the clinic-local date,
    ISO) also gives ``clinic:<id>:day:<date>``, which the booking pages and the front desk watch.
    """
    topics = [f"{key[:-3]}:{value}" for key, value in sorted(ids.items()) if key.endswith("_id")]
    if "clinic_id" in ids and "day" in ids:
        topics.append(f"clinic:{ids['clinic_id']}:day:{ids['day']}")
    return tuple(topics)


def make_event(name: str, **ids: IdValue | date | None) -> DomainEvent:
    clean: dict[str, IdValue] = {}
    for key, value in ids.items():
        if value is None:
            continue
        if isinstance(value, date):
            value = value.isoformat()
        if not isinstance(value, int | str):
            raise TypeError(f"event {name}: {key} must be an id or a date, not {type(value).__name__}")
        clean[key] = value
    return DomainEvent(name=name, ids=clean, topics=topics_for(clean))


def publish(session: OrmSession, name: str, **ids: IdValue | date | None) -> DomainEvent:
    """Queue ``name`` to go out when ``session`` commits. Returns the (not yet sent) event."""
    evt = make_event(name, **ids)
    _pending.add(session, evt)
    return evt


def publish_now(evt: DomainEvent) -> None:
    """Send an event at once (for work that committed elsewhere, e.g. a Celery task)."""
    _dispatch([evt])


# --------------------------------------------------------------------------- after commit


_pending = TransactionQueue("events")


@sa_event.listens_for(OrmSession, "after_commit")
def _after_commit(session: OrmSession) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT released: the transaction has not committed yet
    pending = _pending.take(session)
    if pending:
        _dispatch(pending)


# --------------------------------------------------------------------------- hooks and the bus

Listener = Callable[[DomainEvent], None]

# Run synchronously in the committing process before the event is broadcast (cache
# invalidation): by the time any screen refreshes, stale cached figures are gone.
_hooks: list[Listener] = []
# This process's subscribers (the one Reflex fan-out, the /ws feed, tests).
_subscribers: list[Listener] = []
_lock = threading.Lock()


def add_commit_hook(hook: Listener) -> None:
    with _lock:
        if hook not in _hooks:
            _hooks.append(hook)


def subscribe(listener: Listener) -> Callable[[], None]:
    """Receive every event of the app (all processes, with Redis). Returns an unsubscribe.

    This process's own events arrive synchronously in the committing thread, before
    ``commit()`` returns; other processes' arrive on the Redis listener thread. Listeners must
    be quick and must not raise; hand work to your own loop or queue.
    """
    with _lock:
        _subscribers.append(listener)
    if get_settings().REDIS_URL:
        _RedisListener.ensure_started(get_settings().REDIS_URL or "")

    def unsubscribe() -> None:
        with _lock:
            if listener in _subscribers:
                _subscribers.remove(listener)

    return unsubscribe


def _deliver(evt: DomainEvent) -> None:
    with _lock:
        listeners = list(_subscribers)
    for listener in listeners:
        try:
            listener(evt)
        except Exception:  # one bad listener must not starve the others
            log.exception("event listener failed on %s", evt.name)


def _dispatch(pending: Iterable[DomainEvent]) -> None:
    now = time.time()
    stamped = [
        DomainEvent(e.name, e.ids, e.topics, committed_at=now, origin=e.origin, event_id=e.event_id)
        for e in pending
    ]
    with _lock:
        hooks = list(_hooks)
    for evt in stamped:
        for hook in hooks:
            try:
                hook(evt)
            except Exception:
                log.exception("commit hook failed on %s", evt.name)
    # This process hears its own events at once, from the committing thread; the other
    # processes hear them through Redis (the listener skips our own on the way back).
    for evt in stamped:
        _deliver(evt)
    url = get_settings().REDIS_URL
    if url:
        try:
            client = _redis_client(url)
            pipe = client.pipeline(transaction=False)
            for evt in stamped:
                pipe.publish(CHANNEL, evt.to_json())
            pipe.execute()
        except redis.RedisError:
            # The change is committed and this process's screens heard of it; the others
            # catch up on their next load. Never fail a booking because Redis blinked.
            log.warning("could not publish %d event(s) to Redis", len(stamped))


# Per process: a forked worker must open its own connections and run its own listener.
_clients: dict[tuple[int, str], redis.Redis] = {}


def _redis_client(url: str) -> redis.Redis:
    key = (os.getpid(), url)
    client = _clients.get(key)
    if client is None:
        client = _clients[key] = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    return client


class _RedisListener:
    """The one Redis subscription of this process, on a daemon thread; reconnects on failure."""

    _started: dict[tuple[int, str], _RedisListener] = {}

    def __init__(self, url: str) -> None:
        self.url = url
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, name="mediconnect-events", daemon=True)

    @classmethod
    def ensure_started(cls, url: str, timeout: float = 5.0) -> None:
        key = (os.getpid(), url)
        with _lock:
            listener = cls._started.get(key)
            if listener is None:
                listener = cls._started[key] = cls(url)
                listener.thread.start()
        listener.ready.wait(timeout)

    def _run(self) -> None:
        backoff = 0.2
        while True:
            try:
                client = redis.Redis.from_url(self.url, socket_connect_timeout=2, health_check_interval=15)
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(CHANNEL)
                self.ready.set()
                backoff = 0.2
                for message in pubsub.listen():
                    if message.get("type") != "message":
                        continue
                    try:
                        evt = DomainEvent.from_json(message["data"])
                    except (ValueError, KeyError, TypeError):
                        log.warning("ignoring a malformed event on %s", CHANNEL)
                        continue
                    if evt.origin != origin():
                        _deliver(evt)
            except redis.RedisError:
                log.warning("event subscription lost; retrying in %.1fs", backoff)
                time.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
