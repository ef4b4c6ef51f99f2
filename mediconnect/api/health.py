"""GET /api/health: database and Redis status for load balancers and operators."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from mediconnect.api.auth_guard import public
from mediconnect.api.routing import api_router
from mediconnect.core.db import get_engine
from mediconnect.core.health import check_all_async
from mediconnect.core.settings import get_settings

router = api_router(tags=["health"])

_REPORT: dict[int | str, dict[str, Any]] = {
    503: {"description": "degraded: the database is not reachable (the same body)"},
}


@router.get("/api/health", summary="Database and Redis status", responses=_REPORT)
@public
async def health() -> JSONResponse:
    """200 ``{"status": "ok"|"degraded", "database", "redis", "version"}``; 503 when the
    database is down (Redis down is degraded but serving)."""
    report = await check_all_async(engine=get_engine(), redis_url=get_settings().REDIS_URL)
    return JSONResponse(
        report.as_dict(),
        status_code=report.http_status,
        headers={"Cache-Control": "no-store"},
    )
