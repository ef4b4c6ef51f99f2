"""Starting the real app for tests: one production build, then a server per suite on a free port.

Shared by tests/browser (Chromium) and tests/authz (the hostile WebSocket client). The build
goes to its own directory (test-artifacts/prod-web, never the `.web` of an app that `make run`
is serving) for a port nobody is listening on; both suites' servers serve that one build, one
after the other, on that port (its pages' WebSocket URL is baked in). The build is kept for the
next run and reused when its inputs (sources, assets, frontend lock, Reflex version) are the
same and its port is still free. Failures are pytest failures with the log's tail, never skips.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import httpx
import pytest

from mediconnect.core.settings import ROOT

# Bounds on a hang, not expectations of speed: a cold build installs the frontend packages.
BUILD_TIMEOUT_S = 1800
STARTUP_TIMEOUT_S = 300

BUILD_DIR = ROOT / "test-artifacts" / "prod-web"
STAMP = BUILD_DIR / "mediconnect-test-build.json"
# What the compiled frontend is made from; anything else the server reads at run time.
BUILD_INPUTS = ("rxconfig.py", "mediconnect", "assets", "reflex.lock", "requirements.txt")
# Settings read at run time only (a different database or sign-in provider needs no rebuild).
RUNTIME_ONLY_ENV = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "UPLOAD_DIR", "OIDC_", "GRANIAN_", "PYTEST_")
BUILD_ENV = ("TIMEZONE", "CURRENCY", "ENVIRONMENT", "REFLEX_")


@dataclass(frozen=True)
class ProdBuild:
    """A compiled production frontend in ``web_dir`` whose pages talk to ``port``."""

    web_dir: Path
    port: int

    @property
    def base_url(self) -> str:
        return f"http://localhost:{self.port}"


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("", 0))
        return int(s.getsockname()[1])


def _build_fingerprint() -> str:
    digest = hashlib.sha256(f"reflex {version('reflex')}\n".encode())
    for name in BUILD_INPUTS:
        top = ROOT / name
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in files:
            rel = path.relative_to(ROOT).as_posix()
            if "__pycache__" in rel or rel.startswith("assets/external"):
                continue
            digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    for key in sorted(os.environ):
        if key.startswith(BUILD_ENV) and not key.startswith(RUNTIME_ONLY_ENV):
            digest.update(f"{key}={os.environ[key]}\n".encode())
    return digest.hexdigest()


def _cached_build(fingerprint: str) -> ProdBuild | None:
    try:
        stamp = json.loads(STAMP.read_text())
    except (OSError, ValueError):
        return None
    port = int(stamp.get("port", 0))
    wanted = os.environ.get("MEDICONNECT_TEST_PORT")
    if stamp.get("fingerprint") != fingerprint or (wanted and int(wanted) != port):
        return None
    if not (BUILD_DIR / "build" / "client").is_dir() or port_in_use(port):
        return None
    return ProdBuild(BUILD_DIR, port)


def _reflex_env(port: int) -> dict[str, str]:
    return {
        "PATH": f"{ROOT / '.tools' / 'node_modules' / '.bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "REFLEX_WEB_WORKDIR": str(BUILD_DIR),
        "PORT": str(port),
        "PUBLIC_URL": f"http://localhost:{port}",
    }


def prod_build(log_path: Path) -> ProdBuild:
    """The production build the test servers serve: reused if nothing changed, else made."""
    fingerprint = _build_fingerprint()
    cached = _cached_build(fingerprint)
    if cached is not None:
        return cached
    port = int(os.environ.get("MEDICONNECT_TEST_PORT") or free_port())
    STAMP.unlink(missing_ok=True)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        **_reflex_env(port),
        "REFLEX_STATES_WORKDIR": tempfile.mkdtemp(prefix="reflex-states-"),
    }
    with log_path.open("wb") as log:
        try:
            done = subprocess.run(
                [sys.executable, "-m", "reflex", "export", "--frontend-only", "--no-zip", "--env", "prod"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                timeout=BUILD_TIMEOUT_S,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            pytest.fail(f"production build still running after {BUILD_TIMEOUT_S}s:\n{_log_tail(log_path)}")
    if done.returncode != 0:
        pytest.fail(f"production build failed ({done.returncode}):\n{_log_tail(log_path)}")
    STAMP.write_text(json.dumps({"fingerprint": fingerprint, "port": port}))
    return ProdBuild(BUILD_DIR, port)


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
    build: ProdBuild, database_url: str, extra: Mapping[str, str], drop_prefix: str | None
) -> dict[str, str]:
    env = os.environ.copy()  # REDIS_URL, SECRET_KEY ... pass through
    if drop_prefix:
        for name in [k for k in env if k.startswith(drop_prefix)]:
            del env[name]
    env.update(
        _reflex_env(build.port),
        DATABASE_URL=database_url,
        # Each server its own (disk) state directory: never the one of an app already running.
        REFLEX_STATES_WORKDIR=tempfile.mkdtemp(prefix="reflex-states-"),
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
    build: ProdBuild,
    database_url: str,
    log_path: Path,
    extra_env: Mapping[str, str] | None = None,
    drop_env_prefix: str | None = None,
) -> Iterator[str]:
    """The app served from ``build`` on its port; yields its base URL and frees the port after."""
    port = build.port
    if port_in_use(port):
        pytest.fail(f"port {port} (the test build's) is taken: another test server still running?")
    base_url = build.base_url
    log_path.parent.mkdir(exist_ok=True)
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.support.serve_prod", str(port)],
            cwd=ROOT,
            env=_server_env(build, database_url, extra_env or {}, drop_env_prefix),
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
