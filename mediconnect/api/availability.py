"""``GET /api/availability?service_id=&clinic_id=&date=``: the free slots of a clinic-local day.

Any signed-in caller (availability shows no personal data, but it is not public: it would
let anyone map the practice's load). 200 ``{"clinic_id", "service_id", "date", "timezone",
"slots": [{"start", "end"}]}`` with clinic-local ISO 8601 times. Bad or missing parameters:
400 DASH_004; an unknown clinic: 404 DASH_005.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from mediconnect.api import deps
from mediconnect.api.deps import CurrentUser
from mediconnect.api.errors import NO_STORE, ErrorBody
from mediconnect.api.fields import Day, RefId
from mediconnect.api.routing import api_router
from mediconnect.core.errors import DashboardError, DashErrorCode
from mediconnect.models.clinics import Clinic
from mediconnect.services import availability
from mediconnect.services.appointment_public import SlotPublic, slot_public

router = api_router(tags=["scheduling"])


class DaySlots(BaseModel):
    clinic_id: int
    service_id: int
    date: str
    timezone: str
    slots: list[SlotPublic]


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


@router.get(
    "/api/availability",
    summary="The free slots of a clinic-local day",
    response_model=DaySlots,
    responses={404: {"model": ErrorBody, "description": "DASH_005: no such clinic"}},
)
async def get_availability(
    caller: CurrentUser,
    clinic_id: Annotated[RefId, Query()],
    service_id: Annotated[RefId, Query()],
    date: Annotated[Day, Query(description="the clinic-local day, YYYY-MM-DD")],
) -> Response:
    body = await run_in_threadpool(_slots, clinic_id, service_id, date)
    return JSONResponse(body, headers=dict(NO_STORE))
