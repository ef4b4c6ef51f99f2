"""Helpers shared by the seed tests."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from mediconnect.core.db import make_engine
from mediconnect.models import metadata
from mediconnect.seed.runner import SeedResult, seed_database

TODAY = date(2026, 3, 10)  # a Tuesday
NOW = time(10, 30)
TZ = "Africa/Johannesburg"
SEED = 7


def empty_sqlite(path: Path) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    metadata.create_all(engine)
    engine.dispose()
    return url


def seed_tiny(url: str, seed: int = SEED, **kwargs: object) -> SeedResult:
    return seed_database(url, "tiny", seed, TODAY, NOW, TZ, progress=False, echo=lambda *_: None, **kwargs)  # type: ignore[arg-type]
