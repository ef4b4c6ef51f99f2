"""Celery, seen from the code that queues work: the app's configuration and sending by name.

Services and dashboards never import ``workers`` (the task modules import them, not the other
way round). They send a task by its name through the current Celery app (``send``). Which app is
current is decided by wiring: ``workers/celery_app.py`` makes its app (``make_celery`` with the
task modules) the default; ``bootstrap.wire()`` makes one without task modules the default in
any other process (the web app, the CLI) that has none yet.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

from celery import Celery, current_app

from mediconnect.core.settings import get_settings

APP_NAME = "mediconnect"
_lock = threading.Lock()


def make_celery(include: Sequence[str] = ()) -> Celery:
    """The Celery application, configured from Settings.

    With REDIS_URL set, Redis is broker and result backend and a worker process runs the tasks.
    Without it (the embedded default) tasks run in-process, eagerly, so the app needs nothing else.
    """
    settings = get_settings()
    app = Celery(APP_NAME, include=list(include))
    app.conf.update(
        broker_url=settings.REDIS_URL or "memory://",
        result_backend=settings.REDIS_URL or "cache+memory://",
        task_always_eager=settings.embedded,
        task_eager_propagates=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        timezone="UTC",
        enable_utc=True,
        broker_connection_retry_on_startup=True,
        result_expires=3600,
        beat_schedule={
            "expire-waitlist-offers": {"task": "booking.expire_waitlist_offers", "schedule": 120.0},
            "refresh-daily-clinic-stats": {"task": "dashboards.refresh_daily_stats", "schedule": 3600.0},
        },
    )
    return app


def ensure_default_app() -> Celery:
    """The current app when it is ours; else a new one from Settings, made the default for every
    thread (commit hooks run in whichever thread commits). Idempotent."""
    with _lock:
        app = current_app._get_current_object()
        if app.main != APP_NAME:
            app = make_celery()
            app.set_default()
        return app


def send(
    name: str,
    *,
    kwargs: Mapping[str, Any] | None = None,
    countdown: float | None = None,
    queue: str | None = None,
) -> None:
    """Send the task ``name`` through the current app to the broker Settings name now.

    The broker is taken at send time (not when the app was made), so a process whose REDIS_URL
    changed after start-up (a test pointing at its own Redis database) sends where it says.
    Raises ``kombu.exceptions.OperationalError`` (or ``OSError``) when the broker is unreachable.
    """
    app = current_app._get_current_object()
    url = get_settings().REDIS_URL or app.conf.broker_url
    route = {"queue": queue} if queue else {}
    with app.connection_for_write(url) as connection:
        app.send_task(name, kwargs=dict(kwargs or {}), countdown=countdown, connection=connection, **route)
