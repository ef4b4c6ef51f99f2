"""GET /api/health through HTTP against the API's ASGI app (the same app Reflex mounts)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from mediconnect.api import health as health_route
from mediconnect.api.router import create_api
from mediconnect.core.db import make_engine
from mediconnect.core.settings import get_settings

PG_SERVER_URL = os.environ.get("TEST_DATABASE_URL")
# Port 1 on loopback: nothing listens there, so connecting is refused at once.
DEAD_REDIS_URL = "redis://127.0.0.1:1/0"

BACKENDS = [
    pytest.param("sqlite", marks=pytest.mark.sqlite),
    *([pytest.param("postgresql", marks=pytest.mark.postgres)] if PG_SERVER_URL else []),
]


def get(path: str) -> httpx.Response:
    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_api())
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.get(path)

    # A thread of its own: sync Playwright (browser tests, same session) keeps an event loop
    # running in the main thread, where asyncio.run() refuses to start.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, call()).result()


@pytest.fixture(params=BACKENDS)
def live_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
    # SELECT 1 needs no tables, so no migration: the check must not depend on the schema.
    url = f"sqlite:///{tmp_path / 'health.db'}" if request.param == "sqlite" else PG_SERVER_URL
    assert url
    engine = make_engine(url)
    yield engine
    engine.dispose()


def use(monkeypatch: pytest.MonkeyPatch, *, engine: sa.Engine, redis_url: str | None) -> None:
    settings = get_settings().model_copy(update={"REDIS_URL": redis_url})
    monkeypatch.setattr(health_route, "get_engine", lambda: engine)
    monkeypatch.setattr(health_route, "get_settings", lambda: settings)


def test_ok_on_the_embedded_default(monkeypatch: pytest.MonkeyPatch, live_engine: sa.Engine) -> None:
    use(monkeypatch, engine=live_engine, redis_url=None)

    response = get("/api/health")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["database"]["backend"] == live_engine.dialect.name
    assert body["database"]["latency_ms"] >= 0
    assert body["redis"] == {"ok": True, "mode": "embedded"}
    assert body["version"]


def test_database_down_answers_503(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    unreachable = sa.create_engine(f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}")
    use(monkeypatch, engine=unreachable, redis_url=None)

    response = get("/api/health")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == {"ok": False, "backend": "sqlite", "error": "OperationalError"}


def test_redis_down_is_degraded_but_serving(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use(monkeypatch, engine=make_engine(f"sqlite:///{tmp_path / 'h.db'}"), redis_url=DEAD_REDIS_URL)

    response = get("/api/health")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"]["ok"] is True
    assert body["redis"]["ok"] is False
    assert body["redis"]["mode"] == "redis"
    # Only the exception type: a driver message could carry credentials from the URL.
    assert body["redis"]["error"].isidentifier()


def test_real_redis_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, redis_url: str) -> None:
    use(monkeypatch, engine=make_engine(f"sqlite:///{tmp_path / 'h.db'}"), redis_url=redis_url)

    body = get("/api/health").json()

    assert body["status"] == "ok"
    assert body["redis"]["ok"] is True
    assert body["redis"]["mode"] == "redis"
    assert body["redis"]["latency_ms"] >= 0


def test_unknown_api_path_is_json_404() -> None:
    response = get("/api/no-such-endpoint")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}


def test_trailing_slash_redirects_to_the_route() -> None:
    response = get("/api/health/")

    assert response.status_code == 307
    assert response.headers["location"].endswith("/api/health")
