"""GET /api/health: database and Redis status for load balancers and operators."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from mediconnect.api.auth_guard import public
from mediconnect.core.db import get_engine
from mediconnect.core.health import check_all_async
from mediconnect.core.settings import get_settings


@public
async def health(request: Request) -> JSONResponse:
    report = await check_all_async(engine=get_engine(), redis_url=get_settings().REDIS_URL)
    return JSONResponse(
        report.as_dict(),
        status_code=report.http_status,
        headers={"Cache-Control": "no-store"},
    )


routes: list[BaseRoute] = [Route("/api/health", health, methods=["GET"])]
