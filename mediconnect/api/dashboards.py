"""The dashboards over JSON: the spec's response structures, exactly, from ``dashboards.service``.

``GET /api/dashboard/{dashboard_type}/``  ``doctor``: the doctor dashboard (a doctor: their own;
    an admin names one with ``?doctor_id=``). Every other type is 404 DASH_001 naming the
    dashboards that exist (the clinic dashboard lives at ``/api/clinics/{clinic_id}/dashboard/``;
    patient, admin, billing and analytics are not built yet).
``GET /api/dashboard/doctor/analytics/``  ``?period=day|week|month|quarter|year&start_date=
    &end_date=&clinic_id=&comparison=true|false`` (+ ``doctor_id`` for an admin); bad values 400
    DASH_004 (``doctor_analytics.parse_params``).
``GET /api/clinics/{clinic_id}/dashboard/``  admins, the clinic's doctors and its staff. A path
    id that is not a number names no clinic: 404 DASH_005 (after the role check, DASH_002).

Every route: ``@bearer_required``; the per-user rate limit first (429 DASH_010 with Retry-After),
then the service (access check, audit, cache, build under the timeout). The body is the builder's
dict and nothing else; what the cache did is in the headers: ``X-Cache: HIT|MISS``,
``X-Generated-At`` (ISO 8601) and ``Last-Modified`` (when the figures were computed),
``Age`` on a hit, and ``Cache-Control: private, no-store`` (figures about patients and money:
no shared or on-disk copies anywhere on the way).

Request ``Cache-Control`` (RFC 9111 section 5.2.1): ``no-cache`` (or ``max-age=0``, or
``Pragma: no-cache``) recomputes; ``only-if-cached`` answers from the cache or not at all: a miss
is 503 DASH_009 (RFC 9111 says 504 for a cache; the spec's code maps to 503, "allow time for data
refresh", with Retry-After). A database that cannot be reached, even while authenticating, is
503 DASH_003.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from mediconnect.api import deps
from mediconnect.api.auth_guard import NO_STORE, Endpoint, bearer_required, caller
from mediconnect.core import permissions, rate_limit
from mediconnect.core.errors import DashboardError, DashErrorCode
from mediconnect.core.permissions import DashboardType, Principal
from mediconnect.dashboards import service
from mediconnect.dashboards.service import DashboardResult

PRIVATE = {"Cache-Control": "private, no-store", "Pragma": "no-cache"}
# Where each built dashboard is served; every other type is DASH_001.
AVAILABLE = {
    DashboardType.DOCTOR: "/api/dashboard/doctor/",
    DashboardType.CLINIC: "/api/clinics/{clinic_id}/dashboard/",
}
RETRY_AFTER_DEFAULT = 5


def available_detail(kind: str) -> str:
    where = ", ".join(f"{k.value} ({path})" for k, path in AVAILABLE.items())
    return f"no {kind[:40]!r} dashboard here; available: {where}"


# --------------------------------------------------------------------------- errors


def error_response(exc: DashboardError) -> JSONResponse:
    headers = dict(NO_STORE)
    if exc.code in (DashErrorCode.DASH_010, DashErrorCode.DASH_009, DashErrorCode.DASH_003):
        retry = getattr(exc, "retry_after", None) or RETRY_AFTER_DEFAULT
        headers["Retry-After"] = str(max(1, int(retry)))
    return JSONResponse(exc.as_json(), status_code=exc.http_status, headers=headers)


def data_unavailable(endpoint: Endpoint) -> Endpoint:
    """Outside ``bearer_required``: a database that cannot be reached (authentication included)
    is the spec's DASH_003, not a 500. Keeps the route's access mark (``functools.wraps``)."""

    @functools.wraps(endpoint)
    async def guarded(request: Request) -> Response:
        try:
            return await endpoint(request)
        except DBAPIError as exc:
            if type(exc.orig).__name__ == "QueryCanceled" or "interrupted" in str(exc.orig):
                return error_response(DashboardError(DashErrorCode.DASH_007, "the query took too long"))
            if not isinstance(exc, OperationalError | InterfaceError) and not exc.connection_invalidated:
                raise
            return error_response(DashboardError(DashErrorCode.DASH_003, "the database is not reachable"))

    return guarded


# --------------------------------------------------------------------------- request parsing


def cache_directives(request: Request) -> tuple[bool, bool]:
    """(fresh, only_if_cached) from the request's Cache-Control / Pragma."""
    names = {
        part.strip().split("=", 1)[0].strip().lower() + ("=0" if part.strip().lower() == "max-age=0" else "")
        for part in request.headers.get("cache-control", "").split(",")
        if part.strip()
    }
    only = "only-if-cached" in names
    fresh = not only and (
        "no-cache" in names or "max-age=0" in names or "no-cache" in request.headers.get("pragma", "").lower()
    )
    return fresh, only


def optional_id(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or len(raw) > 12:
        raise DashboardError(DashErrorCode.DASH_004, f"{name} must be a positive integer")
    return int(raw)


# --------------------------------------------------------------------------- responses


def result_response(result: DashboardResult) -> JSONResponse:
    generated = result.generated_at.astimezone(UTC)
    headers = {
        **PRIVATE,
        "X-Cache": "HIT" if result.cached else "MISS",
        "X-Generated-At": generated.isoformat().replace("+00:00", "Z"),
        "Last-Modified": format_datetime(generated, usegmt=True),
    }
    if result.cached:
        headers["Age"] = str(max(0, int((datetime.now(UTC) - generated).total_seconds())))
    return JSONResponse(result.data, headers=headers)


def _compute(work: Callable[..., DashboardResult], **kwargs: Any) -> DashboardResult:
    rate_limit.check(kwargs["principal"].user_id)
    with deps.db_session() as session:
        return work(session=session, **kwargs)


async def serve(request: Request, work: Callable[..., DashboardResult], **kwargs: Any) -> Response:
    """Rate limit, then the service call in a worker thread; DashboardError -> its JSON."""
    _user, principal = caller(request)
    fresh, only = cache_directives(request)
    try:
        result = await run_in_threadpool(
            _compute, work, principal=principal, fresh=fresh, only_if_cached=only, **kwargs
        )
    except DashboardError as exc:
        return error_response(exc)
    return result_response(result)


# --------------------------------------------------------------------------- routes


def _refuse_type(principal: Principal, kind: str) -> Response:
    rate_limit.check(principal.user_id)
    raise DashboardError(DashErrorCode.DASH_001, available_detail(kind))


@data_unavailable
@bearer_required
async def dashboard_by_type(request: Request) -> Response:
    kind = str(request.path_params["dashboard_type"])
    if kind == DashboardType.DOCTOR.value:
        try:
            doctor_id = optional_id(request, "doctor_id")
        except DashboardError as exc:
            return error_response(exc)
        return await serve(request, service.doctor_dashboard, doctor_id=doctor_id)
    _user, principal = caller(request)
    try:
        return await run_in_threadpool(_refuse_type, principal, kind)
    except DashboardError as exc:
        return error_response(exc)


@data_unavailable
@bearer_required
async def doctor_analytics_route(request: Request) -> Response:
    from mediconnect.dashboards import doctor_analytics  # the builder loads with its first use

    try:
        doctor_id = optional_id(request, "doctor_id")
        params = doctor_analytics.parse_params(request.query_params)
    except DashboardError as exc:
        return error_response(exc)
    return await serve(request, service.doctor_analytics, params=params, doctor_id=doctor_id)


@data_unavailable
@bearer_required
async def clinic_dashboard_route(request: Request) -> Response:
    raw = str(request.path_params.get("clinic_id", ""))
    if not raw.isdigit() or len(raw) > 12:
        _user, principal = caller(request)
        try:
            permissions.require_dashboard(principal=principal, dashboard_type=DashboardType.CLINIC)
        except DashboardError as exc:
            return error_response(exc)
        return error_response(DashboardError(DashErrorCode.DASH_005, "a clinic id is a positive integer"))
    return await serve(request, service.clinic_dashboard, clinic_id=int(raw))


routes: list[BaseRoute] = [
    Route("/api/dashboard/doctor/analytics/", doctor_analytics_route, methods=["GET"]),
    Route("/api/dashboard/{dashboard_type}/", dashboard_by_type, methods=["GET"]),
    Route("/api/clinics/{clinic_id}/dashboard/", clinic_dashboard_route, methods=["GET"]),
]
