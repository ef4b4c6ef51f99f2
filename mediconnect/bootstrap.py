"""Wire the behaviour around a commit, explicitly, once per process.

Called by every kind of process before it serves anything: the Reflex app (``mediconnect/app.py``),
the Celery app (``workers/celery_app.py``) and the command line (``mediconnect/cli.py``); tests
call it from a fixture. Nothing else registers behaviour by being imported.

``wire()`` registers, in this order, the commit hooks that run in the committing process before
an event is broadcast (``core.events.add_commit_hook``):

1. dashboard cache invalidation (``dashboards.kit.cache.invalidate``): the generations of the
   families an event makes stale are bumped, so no screen refreshes onto a stale figure;
2. rollup refresh (``dashboards.kit.rollup_events.on_commit``): a change to a past day schedules
   one debounced refresh of ``daily_clinic_stats`` (a Celery task sent by name, or a timer
   thread in the embedded default);

and makes a Celery app configured from Settings the current one (``core.tasks``), so the read
side can send tasks by name without importing ``workers``. Idempotent and thread-safe.
"""

from __future__ import annotations

import threading

from mediconnect.core import events, tasks
from mediconnect.dashboards.kit import cache, rollup_events

_lock = threading.Lock()
_wired = False


def wire() -> None:
    global _wired
    with _lock:
        if _wired:
            return
        events.add_commit_hook(cache.invalidate)
        events.add_commit_hook(rollup_events.on_commit)
        tasks.ensure_default_app()
        _wired = True


def is_wired() -> bool:
    return _wired
