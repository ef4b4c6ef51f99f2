"""Liveness of the things the app cannot work without: the database, and Redis when configured.

Plain Python so that the HTTP route, the CLI and monitoring scripts share one definition of
"healthy". Error texts name the exception type only: a driver message can carry a URL with
credentials in it, and the health endpoint is public.
"""

from __future__ import annotations

import asyncio
import functools
import time
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib import metadata
from typing import Any, Literal, TypeVar

import sqlalchemy as sa
from sqlalchemy import Engine

from mediconnect.core.settings import ROOT

T = TypeVar("T")
A = TypeVar("A")

# A health probe must answer fast even when a dependency hangs (an unreachable PostgreSQL
# host otherwise waits for the OS TCP timeout, minutes).
PROBE_TIMEOUT_S = 3.0


@functools.cache
def app_version() -> str:
    try:
        return metadata.version("mediconnect")
    except metadata.PackageNotFoundError:
        pass
    # Run from a checkout without `pip install -e .`: the version is still in pyproject.toml.
    try:
        with (ROOT / "pyproject.toml").open("rb") as f:
            return str(tomllib.load(f)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


@dataclass(frozen=True)
class DatabaseHealth:
    ok: bool
    backend: str
    latency_ms: float | None = None
    error: str | None = None


@dataclass(frozen=True)
class RedisHealth:
    ok: bool
    mode: Literal["embedded", "redis"]
    latency_ms: float | None = None
    error: str | None = None


@dataclass(frozen=True)
class HealthReport:
    database: DatabaseHealth
    redis: RedisHealth
    version: str = field(default_factory=app_version)

    @property
    def status(self) -> Literal["ok", "degraded"]:
        return "ok" if self.database.ok and self.redis.ok else "degraded"

    @property
    def http_status(self) -> int:
        # Only the database is fatal: without Redis the app still serves pages, just slower.
        return 200 if self.database.ok else 503

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "database": _drop_none(asdict(self.database)),
            "redis": _drop_none(asdict(self.redis)),
            "version": self.version,
        }


def check_database(engine: Engine) -> DatabaseHealth:
    backend = engine.dialect.name
    started = time.perf_counter()
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # any failure means "down": reported, never raised
        return DatabaseHealth(ok=False, backend=backend, error=type(exc).__name__)
    return DatabaseHealth(ok=True, backend=backend, latency_ms=_ms_since(started))


def check_redis(redis_url: str | None) -> RedisHealth:
    if not redis_url:
        return RedisHealth(ok=True, mode="embedded")
    import redis  # only needed when Redis is configured

    started = time.perf_counter()
    client = redis.Redis.from_url(
        redis_url, socket_timeout=PROBE_TIMEOUT_S, socket_connect_timeout=PROBE_TIMEOUT_S
    )
    try:
        client.ping()
    except Exception as exc:  # any failure means "down": reported, never raised
        return RedisHealth(ok=False, mode="redis", error=type(exc).__name__)
    finally:
        client.close()
    return RedisHealth(ok=True, mode="redis", latency_ms=_ms_since(started))


def check_all(*, engine: Engine, redis_url: str | None) -> HealthReport:
    return HealthReport(database=check_database(engine), redis=check_redis(redis_url))


async def check_all_async(*, engine: Engine, redis_url: str | None) -> HealthReport:
    """The same checks off the event loop, each bounded by PROBE_TIMEOUT_S."""
    database, redis_health = await asyncio.gather(
        _bounded(check_database, engine, DatabaseHealth(False, engine.dialect.name, error="Timeout")),
        _bounded(check_redis, redis_url, RedisHealth(False, "redis", error="Timeout")),
    )
    return HealthReport(database=database, redis=redis_health)


async def _bounded(check: Callable[[A], T], arg: A, on_timeout: T) -> T:
    try:
        return await asyncio.wait_for(asyncio.to_thread(check, arg), PROBE_TIMEOUT_S)
    except TimeoutError:
        # The worker thread finishes on its own; the caller must not wait for it.
        return on_timeout


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def _drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}
