"""Explicit wiring (issue 11): ``bootstrap.wire()`` registers the commit hooks and the Celery app
to send through, in every kind of process; the read side sends tasks by name, to the broker
Settings name at send time, without importing ``workers``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str, **env: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


HOOKS = (
    "from mediconnect.core import events; from celery import current_app;"
    "print(json.dumps([[f'{h.__module__}.{h.__name__}' for h in events._hooks], current_app.main]))"
)
WIRED = [
    ["mediconnect.dashboards.kit.cache.invalidate", "mediconnect.dashboards.kit.rollup_events.on_commit"],
    "mediconnect",
]


def test_wire_is_idempotent() -> None:
    code = "import json; from mediconnect.bootstrap import wire; wire(); wire();" + HOOKS
    assert json.loads(_run(code, REDIS_URL="")) == WIRED


def test_the_celery_app_wires_its_process_and_keeps_its_task_modules() -> None:
    code = (
        "import json; from workers.celery_app import app; from celery import current_app;"
        "assert current_app._get_current_object() is app, current_app.main;"
        "assert 'workers.dashboards' in app.conf.include;" + HOOKS
    )
    assert json.loads(_run(code, REDIS_URL="")) == WIRED


def test_the_cli_wires_its_process() -> None:
    code = (
        "import json, contextlib, io; from mediconnect import cli;"
        "f = io.StringIO();\nwith contextlib.redirect_stdout(f): cli.main(['demo-logins'])\n" + HOOKS
    )
    assert json.loads(_run(code, REDIS_URL="")) == WIRED


def test_the_app_wires_its_process_and_gives_the_live_hub_the_app() -> None:
    code = (
        "import json; import mediconnect.app as m; from mediconnect.features.live import hub;"
        "assert hub._the_app() is m.app;" + HOOKS
    )
    assert json.loads(_run(code, REDIS_URL="")) == WIRED


def test_send_goes_by_name_to_the_broker_settings_name_now(
    redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mediconnect.bootstrap import wire
    from mediconnect.core import tasks
    from mediconnect.core.settings import get_settings

    wire()
    own = redis_url.rsplit("/", 1)[0] + "/14"  # set after the app was made: send must follow it
    client = redis.Redis.from_url(own)
    queue = f"wiring-{os.getpid()}"
    client.delete(queue)
    monkeypatch.setattr(get_settings(), "REDIS_URL", own)
    try:
        tasks.send("dashboards.refresh_daily_stats", kwargs={"clinic_id": 3}, countdown=5.0, queue=queue)
        raw = client.lpop(queue)
        assert isinstance(raw, bytes), raw
        message = json.loads(raw)
        assert message["headers"]["task"] == "dashboards.refresh_daily_stats"
        assert message["headers"]["eta"]  # the countdown travels with it
    finally:
        client.delete(queue)
