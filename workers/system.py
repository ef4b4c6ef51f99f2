"""System tasks: the worker's own health probe."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from mediconnect.core.db import get_engine
from mediconnect.core.health import check_database
from workers.celery_app import app


@app.task(name="system.ping")
def ping() -> dict[str, Any]:
    """Proves a worker is up and can reach the database it was configured with."""
    return {"pong": True, "database": asdict(check_database(get_engine()))}
