"""The Celery application, configured from Settings.

With REDIS_URL set, Redis is broker and result backend and a worker process runs the tasks.
Without it (the embedded default) tasks run in-process, eagerly, so the app needs nothing else.
"""

from __future__ import annotations

from celery import Celery

from mediconnect.core.settings import get_settings


def make_celery() -> Celery:
    settings = get_settings()
    app = Celery("mediconnect", include=["workers.system", "workers.booking", "workers.dashboards"])
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


app = make_celery()
