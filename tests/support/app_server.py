"""Starting the real app for tests: a migrated, seeded database and `reflex run --env prod`.

Shared by tests/browser (Chromium) and tests/authz (the hostile WebSocket client). Failures are
pytest failures with the server log's tail, never skips.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from mediconnect.core.settings import ROOT

# The first prod run installs frontend packages and builds the bundle.
STARTUP_TIMEOUT_S = 300


def app_port() -> int:
    return int(os.environ.get("MEDICONNECT_TEST_PORT", "3000"))


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def is_up(base_url: str) -> bool:
    try:
        page = httpx.get(f"{base_url}/", timeout=5)
        health = httpx.get(f"{base_url}/api/health", timeout=5)
    except httpx.HTTPError:
        return False
    return page.status_code == 200 and health.status_code == 200 and "database" in health.json()


def forget_lockouts() -> None:
    """Failed sign-ins of earlier runs live on in a shared Redis; this run's app starts clean."""
    from tests.conftest import REDIS_URL

    if not REDIS_URL:
        return
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter("lockout:*"):
        client.delete(key)
    client.close()


@contextmanager
def seeded_database(*, prefix: str, sqlite_path: Path) -> Iterator[str]:
    """A migrated database seeded at the tiny scale: PostgreSQL when TEST_DATABASE_URL is set."""
    from tests.conftest import PG_SERVER_URL
    from tests.support.databases import create_postgres_database, drop_postgres_database, migrate

    url = create_postgres_database(PG_SERVER_URL, prefix) if PG_SERVER_URL else f"sqlite:///{sqlite_path}"
    migrate(url)
    forget_lockouts()
    seed = subprocess.run(
        [sys.executable, "-m", "mediconnect.cli", "seed", "--scale", "tiny", "--database-url", url],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert seed.returncode == 0, seed.stdout[-2000:] + seed.stderr[-2000:]
    try:
        yield url
    finally:
        if PG_SERVER_URL:
            drop_postgres_database(PG_SERVER_URL, url)


def _server_env(
    port: int, database_url: str, extra: Mapping[str, str], drop_prefix: str | None
) -> dict[str, str]:
    env = os.environ.copy()  # REDIS_URL, SECRET_KEY ... pass through
    if drop_prefix:
        for name in [k for k in env if k.startswith(drop_prefix)]:
            del env[name]
    env.update(
        DATABASE_URL=database_url,
        PATH=f"{ROOT / '.tools' / 'node_modules' / '.bin'}{os.pathsep}{env.get('PATH', '')}",
        REFLEX_USE_SYSTEM_BUN="1",
        PORT=str(port),
        PUBLIC_URL=f"http://localhost:{port}",
        **extra,
    )
    return env


def _log_tail(log_path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(log_path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    # Reflex forks bun and granian workers: signal the whole group it leads.
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@contextmanager
def running_server(
    *,
    database_url: str,
    log_path: Path,
    extra_env: Mapping[str, str] | None = None,
    drop_env_prefix: str | None = None,
) -> Iterator[str]:
    """`reflex run --env prod` on the test port; yields its base URL and frees the port after."""
    port = app_port()
    if port_in_use(port):
        pytest.fail(f"port {port} is already in use: stop that server or set MEDICONNECT_TEST_PORT")
    base_url = f"http://localhost:{port}"
    log_path.parent.mkdir(exist_ok=True)
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "reflex"), "run", "--env", "prod"],
            cwd=ROOT,
            env=_server_env(port, database_url, extra_env or {}, drop_env_prefix),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not is_up(base_url):
            if proc.poll() is not None:
                pytest.fail(f"reflex exited with {proc.returncode}; server log tail:\n{_log_tail(log_path)}")
            if time.monotonic() > deadline:
                pytest.fail(f"app not up after {STARTUP_TIMEOUT_S}s; server log tail:\n{_log_tail(log_path)}")
            time.sleep(1)
        yield base_url
    finally:
        _stop(proc)
        # The next server (another test package) may start on the same port.
        deadline = time.monotonic() + 20
        while port_in_use(port) and time.monotonic() < deadline:
            time.sleep(0.2)
