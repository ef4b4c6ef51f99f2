"""The dashboards over JSON: the spec's response structures, exactly, from ``dashboards.service``.

``GET /api/dashboard/{dashboard_type}/``  ``doctor``: the doctor dashboard (a doctor: their own;
    an admin names one with ``?doctor_id=``). Every other type is 404 DASH_001 naming the
    dashboards that exist (the clinic dashboard lives at ``/api/clinics/{clinic_id}/dashboard/``;
    patient, admin, billing and analytics are not built yet).
``GET /api/dashboard/doctor/analytics/``  ``?period=day|week|month|quarter|year&start_date=
    &end_date=&clinic_id=&comparison=true|false`` (+ ``doctor_id`` for an admin); bad values 400
    DASH_004 (``dashboards.doctor.analytics.parse_params``).
``GET /api/clinics/{clinic_id}/dashboard/``  admins, the clinic's doctors and its staff. A path
    id that is not a number names no clinic: 404 DASH_005 (after the role check, DASH_002).

Every route depends on ``CurrentUser`` (bearer); the per-user rate limit comes first (429 DASH_010
with Retry-After), then the service (access check, audit, cache, build under the timeout). The
body is the dashboard's JSON (``response_model`` documents it in OpenAPI) and nothing else; what
the cache did is in the headers: ``X-Cache: HIT|MISS``, ``X-Generated-At`` (ISO 8601) and
``Last-Modified`` (when the figures were computed), ``Age`` on a hit, and
``Cache-Control: private, no-store`` (figures about patients and money: no shared or on-disk
copies anywhere on the way).

Request ``Cache-Control`` (RFC 9111 section 5.2.1): ``no-cache`` (or ``max-age=0``, or
``Pragma: no-cache``) recomputes; ``only-if-cached`` answers from the cache or not at all: a miss
is 503 DASH_009 (RFC 9111 says 504 for a cache; the spec's code maps to 503, "allow time for data
refresh", with Retry-After). A database that cannot be reached, even while authenticating, is
503 DASH_003 (``DashboardRoute``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Annotated, Any

from fastapi import Header, Query, Request
from pydantic import WithJsonSchema
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from starlette.responses import JSONResponse, Response

from mediconnect.api.deps import CurrentUser, SessionDep
from mediconnect.api.errors import NO_STORE, ErrorBody, dash_004
from mediconnect.api.fields import MAX_ID
from mediconnect.api.routing import ApiRoute, Handler, api_router
from mediconnect.core import policy, rate_limit
from mediconnect.core.errors import DashboardError, DashErrorCode, ServiceError
from mediconnect.core.policy import DashboardType
from mediconnect.dashboards import service
from mediconnect.dashboards.clinic.schema import ClinicDashboard
from mediconnect.dashboards.doctor import analytics
from mediconnect.dashboards.doctor.analytics_schema import AnalyticsResponse
from mediconnect.dashboards.doctor.schema import DoctorDashboard
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


def error_response(exc: ServiceError) -> JSONResponse:
    """The spec's error body; Retry-After on the codes that say "try again" (003, 009, 010)."""
    headers = dict(NO_STORE)
    if exc.code in (DashErrorCode.DASH_010, DashErrorCode.DASH_009, DashErrorCode.DASH_003):
        retry = getattr(exc, "retry_after", None) or RETRY_AFTER_DEFAULT
        headers["Retry-After"] = str(max(1, int(retry)))
    return JSONResponse(exc.as_json(), status_code=exc.http_status, headers=headers)


def database_error(exc: DBAPIError) -> ServiceError | None:
    """DASH_007 for a cancelled query, DASH_003 for a database that cannot be reached, else None."""
    if type(exc.orig).__name__ == "QueryCanceled" or "interrupted" in str(exc.orig):
        return DashboardError(DashErrorCode.DASH_007, "the query took too long")
    if isinstance(exc, OperationalError | InterfaceError) or exc.connection_invalidated:
        return DashboardError(DashErrorCode.DASH_003, "the database is not reachable")
    return None


class DashboardRoute(ApiRoute):
    """An ``ApiRoute`` (bad input: 400 DASH_004) whose whole handler, the caller's authentication
    included, answers an unreachable database as DASH_003 rather than a 500, and the service's
    errors with their Retry-After."""

    def get_route_handler(self) -> Handler:
        inner = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await inner(request)
            except ServiceError as exc:
                return error_response(exc)
            except DBAPIError as exc:
                mapped = database_error(exc)
                if mapped is None:
                    raise
                return error_response(mapped)

        return handler


router = api_router(route_class=DashboardRoute, tags=["dashboards"])


# --------------------------------------------------------------------------- request parsing


def cache_directives(cache_control: str | None, pragma: str | None) -> tuple[bool, bool]:
    """(fresh, only_if_cached) from the request's Cache-Control / Pragma."""
    names = {
        part.strip().split("=", 1)[0].strip().lower() + ("=0" if part.strip().lower() == "max-age=0" else "")
        for part in (cache_control or "").split(",")
        if part.strip()
    }
    only = "only-if-cached" in names
    fresh = not only and ("no-cache" in names or "max-age=0" in names or "no-cache" in (pragma or "").lower())
    return fresh, only


def _optional_id(raw: Any) -> int | None:
    """``doctor_id``: absent or empty is None; digits are the id (0 included: the policy answers
    it); anything else, or an id no database column can hold, is DASH_004."""
    if raw is None or raw == "":
        return None
    text = str(raw)
    if not text.isdigit() or len(text) > 12 or int(text) > MAX_ID:
        raise dash_004("doctor_id must be a positive integer")
    return int(text)


# Query parameters are read as text (``_optional_id`` and ``parse_params`` give the spec's DASH_004
# messages) and documented as what they mean.
_ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
DoctorIdParam = Annotated[
    str | None, WithJsonSchema(_ID_SCHEMA), Query(description="admins: the doctor to show (required)")
]
PeriodParam = Annotated[
    str | None,
    WithJsonSchema(
        {"type": "string", "enum": ["day", "week", "month", "quarter", "year"], "default": "month"}
    ),
    Query(description="the period"),
]
StartParam = Annotated[
    str | None,
    WithJsonSchema({"type": "string", "format": "date"}),
    Query(description="custom range start (with end_date)"),
]
EndParam = Annotated[
    str | None,
    WithJsonSchema({"type": "string", "format": "date"}),
    Query(description="custom range end, inclusive"),
]
ClinicParam = Annotated[
    str | None, WithJsonSchema(_ID_SCHEMA), Query(description="only this clinic's appointments")
]
ComparisonParam = Annotated[
    str | None,
    WithJsonSchema({"type": "boolean", "default": False}),
    Query(description="add the previous period's figures"),
]
CacheControl = Annotated[
    str | None,
    Header(
        alias="Cache-Control",
        description="no-cache: recompute; only-if-cached: cached figures or 503 DASH_009 (RFC 9111)",
    ),
]
Pragma = Annotated[str | None, Header(alias="Pragma", include_in_schema=False)]


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
    # The cached JSON as it is: the model (``response_model``) only documents it.
    return JSONResponse(result.data, headers=headers)


def serve(
    kind: str,
    caller: CurrentUser,
    session: SessionDep,
    cache_control: str | None,
    pragma: str | None,
    **kwargs: Any,
) -> JSONResponse:
    """Rate limit, then the service; its errors become their JSON in ``DashboardRoute``."""
    rate_limit.check(caller.principal.user_id)
    fresh, only = cache_directives(cache_control, pragma)
    result = service.serve(
        kind, session=session, principal=caller.principal, fresh=fresh, only_if_cached=only, **kwargs
    )
    return result_response(result)


# --------------------------------------------------------------------------- OpenAPI

D = DashErrorCode
COMMON = (D.DASH_002, D.DASH_003, D.DASH_006, D.DASH_007, D.DASH_009, D.DASH_010)
HEADERS = {
    "X-Cache": {
        "schema": {"type": "string", "enum": ["HIT", "MISS"]},
        "description": "served from the cache?",
    },
    "X-Generated-At": {
        "schema": {"type": "string", "format": "date-time"},
        "description": "figures computed at",
    },
    "Last-Modified": {"schema": {"type": "string"}, "description": "the same instant, HTTP-date"},
    "Cache-Control": {"schema": {"type": "string"}, "description": "private, no-store"},
}


def responses(*codes: DashErrorCode, ok: str = "the dashboard") -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses: 200 with the cache headers, and each spec code under its status."""
    out: dict[int | str, dict[str, Any]] = {200: {"description": ok, "headers": HEADERS}}
    by_status: dict[int, list[DashErrorCode]] = {}
    for c in codes:
        by_status.setdefault(c.http_status, []).append(c)
    for status, group in sorted(by_status.items()):
        examples = {
            c.code: {"value": {"code": c.code, "message": c.message, "detail": c.description}} for c in group
        }
        out[status] = {
            "model": ErrorBody,
            "description": "; ".join(f"{c.code} {c.message}" for c in group),
            "content": {"application/json": {"examples": examples}},
        }
    out[401] = {"model": ErrorBody, "description": "AUTH_00x: no, or an invalid, bearer token"}
    return out


# --------------------------------------------------------------------------- routes


@router.get(
    "/api/dashboard/doctor/analytics/",
    response_model=AnalyticsResponse,
    responses=responses(D.DASH_004, *COMMON),
    summary="Doctor analytics",
    description="Doctors: their own. Admins: any, named with doctor_id. Bad values: DASH_004.",
)
def doctor_analytics_route(
    request: Request,
    caller: CurrentUser,
    session: SessionDep,
    doctor_id: DoctorIdParam = None,
    period: PeriodParam = None,
    start_date: StartParam = None,
    end_date: EndParam = None,
    clinic_id: ClinicParam = None,
    comparison: ComparisonParam = None,
    cache_control: CacheControl = None,
    pragma: Pragma = None,
) -> Response:
    # The parser reads the raw query (its messages name each parameter); the declared
    # parameters above are what OpenAPI shows.
    target = _optional_id(doctor_id)
    params = analytics.parse_params(request.query_params)
    return serve("doctor_analytics", caller, session, cache_control, pragma, params=params, doctor_id=target)


@router.get(
    "/api/dashboard/doctor/",
    response_model=DoctorDashboard,
    responses=responses(D.DASH_004, *COMMON),
    summary="Doctor dashboard",
    description="Doctors: their own. Admins: any, named with doctor_id.",
)
def doctor_dashboard_route(
    caller: CurrentUser,
    session: SessionDep,
    doctor_id: DoctorIdParam = None,
    cache_control: CacheControl = None,
    pragma: Pragma = None,
) -> Response:
    target = _optional_id(doctor_id)
    return serve("doctor", caller, session, cache_control, pragma, doctor_id=target)


@router.get(
    "/api/dashboard/{dashboard_type}/",
    response_model=DoctorDashboard,
    responses=responses(D.DASH_001, D.DASH_004, *COMMON),
    summary="Dashboard by type",
    description="doctor: as /api/dashboard/doctor/. Every other type: DASH_001, naming the "
    "dashboards that exist (clinic: /api/clinics/{clinic_id}/dashboard/).",
)
def dashboard_by_type(
    dashboard_type: str,
    caller: CurrentUser,
    session: SessionDep,
    doctor_id: DoctorIdParam = None,
    cache_control: CacheControl = None,
    pragma: Pragma = None,
) -> Response:
    if dashboard_type == DashboardType.DOCTOR.value:  # answered by the route above; kept for clarity
        return doctor_dashboard_route(caller, session, doctor_id, cache_control, pragma)
    rate_limit.check(caller.principal.user_id)
    raise DashboardError(DashErrorCode.DASH_001, available_detail(dashboard_type))


@router.get(
    "/api/clinics/{clinic_id}/dashboard/",
    response_model=ClinicDashboard,
    responses=responses(D.DASH_005, *COMMON),
    summary="Clinic dashboard",
    description="Admins; the clinic's affiliated doctors; its own staff.",
)
def clinic_dashboard_route(
    clinic_id: Annotated[str, WithJsonSchema(_ID_SCHEMA)],
    caller: CurrentUser,
    session: SessionDep,
    cache_control: CacheControl = None,
    pragma: Pragma = None,
) -> Response:
    if not clinic_id.isdigit() or len(clinic_id) > 12 or int(clinic_id) > MAX_ID:
        # Not a clinic id at all: the role is checked first (DASH_002), then DASH_005.
        policy.require_dashboard(principal=caller.principal, dashboard_type=DashboardType.CLINIC)
        raise DashboardError(DashErrorCode.DASH_005, "a clinic id is a positive integer")
    return serve("clinic", caller, session, cache_control, pragma, clinic_id=int(clinic_id))
