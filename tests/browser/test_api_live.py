"""/api/health on the running server: our Starlette routes sit in front of Reflex's."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.browser


def test_health_is_served_beside_the_frontend(running_app: str) -> None:
    response = httpx.get(f"{running_app}/api/health", timeout=10)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] in {"ok", "degraded"}
    assert body["database"]["ok"] is True
    assert body["redis"]["mode"] in {"embedded", "redis"}


def test_unknown_api_path_is_json_not_the_frontend(running_app: str) -> None:
    response = httpx.get(f"{running_app}/api/no-such-endpoint", timeout=10)

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
