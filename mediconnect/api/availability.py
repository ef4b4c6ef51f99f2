"""``GET /api/availability?service_id=&clinic_id=&date=``: the free slots of a clinic-local day.

Any signed-in caller (availability shows no personal data, but it is not public: it would
let anyone map the practice's load). 200 ``{"clinic_id", "service_id", "date", "timezone",
"slots": [{"start", "end"}]}`` with clinic-local ISO 8601 times. Bad or missing parameters:
400 DASH_004; an unknown clinic: 404 DASH_005.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from mediconnect.api import deps
from mediconnect.api.auth_guard import NO_STORE, bearer_required
from mediconnect.core.errors import DashboardError, DashErrorCode
from mediconnect.models.clinics import Clinic
from mediconnect.services import availability
from mediconnect.services.appointment_public import slot_public


def int_param(request: Request, name: str, *, required: bool = True) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        if required:
            raise DashboardError(DashErrorCode.DASH_004, f"{name} is required")
        return None
    if not raw.isdigit() or len(raw) > 12:
        raise DashboardError(DashErrorCode.DASH_004, f"{name} must be a positive integer")
    return int(raw)


def date_param(request: Request, name: str, *, required: bool = True) -> date | None:
    raw = request.query_params.get(name)
    if not raw:
        if required:
            raise DashboardError(DashErrorCode.DASH_004, f"{name} is required (YYYY-MM-DD)")
        return None
    try:
        return date.fromisoformat(raw[:10]) if len(raw) == 10 else date.fromisoformat("x")
    except ValueError:
        raise DashboardError(DashErrorCode.DASH_004, f"{name} must be a date, YYYY-MM-DD") from None


def _slots(clinic_id: int, service_id: int, day: date) -> dict[str, Any]:
    with deps.db_session() as session:
        clinic = session.get(Clinic, clinic_id)
        if clinic is None:
            raise DashboardError(DashErrorCode.DASH_005, f"no clinic {clinic_id}")
        slots = availability.day_slots(session=session, clinic_id=clinic_id, service_id=service_id, day=day)
        return {
            "clinic_id": clinic_id,
            "service_id": service_id,
            "date": day.isoformat(),
            "timezone": clinic.timezone,
            "slots": [slot_public(s, clinic).model_dump() for s in slots],
        }


@bearer_required
async def get_availability(request: Request) -> Response:
    clinic_id = int_param(request, "clinic_id")
    service_id = int_param(request, "service_id")
    day = date_param(request, "date")
    assert clinic_id is not None and service_id is not None and day is not None
    body = await run_in_threadpool(_slots, clinic_id, service_id, day)
    return JSONResponse(body, headers=dict(NO_STORE))


routes: list[BaseRoute] = [Route("/api/availability", get_availability, methods=["GET"])]
