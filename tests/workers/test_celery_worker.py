"""Celery runs tasks eagerly in the embedded default, and through a real worker with Redis."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Bounds a hang only: a loaded 2-core machine may take long, and that is not a failure.
HANG_S = 300.0


def test_embedded_mode_runs_tasks_in_process() -> None:
    code = (
        "from workers.celery_app import app; from workers.system import ping;"
        "assert app.conf.task_always_eager; r = ping.delay().get(timeout=5);"
        "assert r['pong'] and r['database']['ok'], r; print('ok')"
    )
    env = {**os.environ, "REDIS_URL": ""}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_real_worker_executes_task_over_redis(redis_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "REDIS_URL": redis_url}
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "workers.celery_app",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=warning",
            "-n",
            f"test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        code = (
            "from workers.celery_app import app; from workers.system import ping;"
            f"assert not app.conf.task_always_eager; r = ping.delay().get(timeout={HANG_S});"
            "assert r['pong'] and r['database']['ok'], r; print(r['database']['backend'])"
        )
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=2 * HANG_S,
        )
        assert out.returncode == 0, out.stderr + (tmp_path / "worker.log").read_text()
        assert out.stdout.strip() in {"sqlite", "postgresql"}
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()
