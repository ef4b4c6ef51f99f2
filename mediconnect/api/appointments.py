"""Appointments over JSON: book, list, read, run the lifecycle, the desk queue, the waitlist, and
the referral documents. Every route is bearer (``deps.CurrentUser``); the services decide who may do what.

``POST /api/appointments/book``   JSON ``{"clinic_id", "service_id", "start" (ISO 8601 with
    offset), "preparation_acknowledged": bool, "patient_id"? (a patient books for themself; staff
    name the patient), "referral"?: {"filename", "content_base64"} (PDF/JPEG/PNG, <= 10 MB),
    "referral_id"?, "channel"?, "notes"?}`` -> 201 the appointment.
``GET  /api/appointments``        ``?date_from=&date_to=&clinic_id=&doctor_id=&status=&q=&page=
    &page_size=`` -> ``{"rows", "total", "page", "page_size"}``.
``GET  /api/appointments/{id}``   -> ``{"appointment", "patient_name", "doctor_name", "history"}``.
``POST /api/appointments/{id}/cancel`` ``{"reason"}``; ``/reschedule`` ``{"start"}``;
    ``/confirm``, ``/check-in``, ``/start``, ``/complete``, ``/no-show`` -> 200 the appointment.
``GET  /api/clinics/{clinic_id}/queue?date=`` (default: the clinic's today) -> ``{"clinic_id", "date",
    "rows"}``.
``POST /api/waitlist`` ``{"clinic_id", "service_id", "date", "earliest_time"?, "latest_time"?,
    "patient_id"?}`` -> 201 the entry; ``POST /api/waitlist/{entry_id}/accept``
    ``{"preparation_acknowledged", "referral"?, "referral_id"?}`` -> 201 the appointment;
    ``/decline`` -> 200 the entry; ``/leave`` -> 200 the entry, off the list (an offer passes on).
``GET  /api/referral-documents/{document_id}`` -> the file, as an attachment, ``nosniff``.

Errors, one scheme: access refusals are the policy's AccessDenied (403 DASH_002 / DASH_006,
404 DASH_005); malformed parameters or bodies are 400 DASH_004; a business refusal from the
scheduling services is ``{"code": "BOOK_<REASON>", "message": <a sentence>, "detail":
{"reason": <reason>, "alternatives": [{"start", "end"}]}}`` with 409 when the state of the
schedule is the cause (BOOK_SLOT_TAKEN, BOOK_PATIENT_DOUBLE_BOOKED, BOOK_INVALID_TRANSITION,
BOOK_TOO_LATE_TO_CANCEL, BOOK_TOO_EARLY, BOOK_NO_OFFER, BOOK_OFFER_EXPIRED, BOOK_SLOTS_AVAILABLE,
BOOK_NOT_WAITING)
and 422 when the request itself cannot be honoured (BOOK_REFERRAL_REQUIRED, BOOK_INVALID_FILE,
BOOK_OUTSIDE_HOURS, BOOK_TOO_SOON, ...).

Order, as before: who is calling (401), then may they (403, a dependency), then the body (400):
a caller the policy refuses learns that, never which of their fields was wrong.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Body, Depends, Query
from pydantic import Field
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from mediconnect.api import deps
from mediconnect.api.deps import Caller, CurrentUser
from mediconnect.api.errors import NO_STORE, ApiError, ErrorBody, dash_004
from mediconnect.api.fields import (
    OptionalDay,
    OptionalId,
    OptionalPage,
    RefId,
    Text,
)
from mediconnect.api.routing import ApiRoute, api_router
from mediconnect.api.scheduling_models import (
    MAX_BODY,
    AcceptIn,
    BookIn,
    CancelIn,
    ClinicQueue,
    ReferralIn,
    RescheduleIn,
    WaitlistIn,
)
from mediconnect.core import policy
from mediconnect.core.errors import AccessDenied, DashErrorCode
from mediconnect.core.policy import Action, Principal
from mediconnect.models.appointments import Appointment
from mediconnect.models.base import utcnow
from mediconnect.models.clinics import Clinic
from mediconnect.services import (
    appointments_query,
    availability,
    booking,
    lifecycle,
    referral_files,
    waitlist,
)
from mediconnect.services.appointment_public import AppointmentPublic, slot_public
from mediconnect.services.appointments_query import AppointmentDetail, AppointmentPage
from mediconnect.services.booking import BookingError
from mediconnect.services.referral_files import ReferralUpload
from mediconnect.services.waitlist import WaitlistPublic

CONFLICTS = frozenset(
    {"slot_taken", "patient_double_booked", "invalid_transition", "too_late_to_cancel", "too_early",
     "no_offer", "offer_expired", "slots_available", "not_waiting"}
)  # fmt: skip
T = TypeVar("T")


class ReferralRoute(ApiRoute):
    """Booking and accepting an offer carry a base64 referral file."""

    body_limit = MAX_BODY


router = api_router(tags=["scheduling"])
REFUSALS: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorBody, "description": "DASH_002 / DASH_006: not allowed"},
    404: {"model": ErrorBody, "description": "DASH_005: not found"},
    409: {"model": ErrorBody, "description": "BOOK_<REASON> with detail.reason and detail.alternatives"},
    422: {"model": ErrorBody, "description": "BOOK_<REASON>: the request cannot be honoured"},
}


def _referral_post(path: str, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``router.post`` for the routes whose body may carry a referral file (``ReferralRoute``)."""

    def register(endpoint: Callable[..., Any]) -> Callable[..., Any]:
        router.add_api_route(path, endpoint, methods=["POST"], route_class_override=ReferralRoute, **kwargs)
        return endpoint

    return register


def _upload(ref: ReferralIn | None) -> ReferralUpload | None:
    if ref is None:
        return None
    try:
        content = base64.b64decode(ref.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise dash_004("referral.content_base64 is not valid base64") from None
    return ReferralUpload(filename=(ref.filename or "")[:255], data=content)


# --------------------------------------------------------------------------- running a service


def _failure(session: Session, exc: BookingError, clinic_id: int | None) -> ApiError:
    clinic = session.get(Clinic, clinic_id) if clinic_id else None
    alts = [slot_public(s, clinic).model_dump() for s in exc.alternatives] if clinic else []
    body = {
        "code": f"BOOK_{exc.code.upper()}",
        "message": exc.message,
        "detail": {"reason": exc.code, "alternatives": alts},
    }
    return ApiError(body, 409 if exc.code in CONFLICTS else 422)


def _run(work: Callable[[Session], T], clinic_of: Callable[[Session], int | None]) -> T:
    with deps.db_session() as session:
        try:
            return work(session)
        except BookingError as exc:
            raise _failure(session, exc, clinic_of(session)) from None


async def _respond(
    work: Callable[[Session], Any], clinic_of: Callable[[Session], int | None], status: int = 200
) -> Response:
    result = await run_in_threadpool(_run, work, clinic_of)
    body = result.model_dump() if hasattr(result, "model_dump") else result
    return JSONResponse(body, status_code=status, headers=dict(NO_STORE))


def _appointment_clinic(appointment_id: int) -> Callable[[Session], int | None]:
    def clinic_of(session: Session) -> int | None:
        appt = session.get(Appointment, appointment_id)
        return appt.clinic_id if appt else None

    return clinic_of


def _entry_clinic(entry_id: int) -> Callable[[Session], int | None]:
    def clinic_of(session: Session) -> int | None:
        entry = session.get(waitlist.WaitlistEntry, entry_id)
        return entry.clinic_id if entry else None

    return clinic_of


def _patient_id(principal: Principal, given: int | None) -> int:
    if given is None:
        if principal.patient_id is None:
            raise dash_004("patient_id is required")
        return principal.patient_id
    return given


# --------------------------------------------------------------------------- access first
# Who may call is settled before the body is read (dependencies run before the body is
# validated): a caller the policy refuses learns that (403), never which field was wrong (400).


def _may_write_patients(principal: Principal, what: str) -> None:
    if Action.WRITE not in policy.PATIENT_ACTIONS.get(principal.role, frozenset()):
        raise AccessDenied(DashErrorCode.DASH_002, f"role {principal.role.value} may not {what}")


def may_book(caller: CurrentUser) -> Caller:
    _may_write_patients(caller.principal, "book")
    return caller


def may_use_waitlist(caller: CurrentUser) -> Caller:
    _may_write_patients(caller.principal, "use the waitlist")
    return caller


def may_accept(entry_id: RefId, caller: CurrentUser) -> Caller:
    """The entry id is read before the role is checked (a malformed one is DASH_004), as before."""
    _may_write_patients(caller.principal, "use the waitlist")
    return caller


async def may_change(appointment_id: RefId, caller: CurrentUser) -> Caller:
    def check() -> None:
        with deps.db_session() as session:
            policy.require_appointment(
                session, principal=caller.principal, appointment_id=appointment_id, action=Action.WRITE
            )

    await run_in_threadpool(check)
    return caller


Booker = Annotated[Caller, Depends(may_book)]
WaitlistUser = Annotated[Caller, Depends(may_use_waitlist)]
OfferTaker = Annotated[Caller, Depends(may_accept)]
Changer = Annotated[Caller, Depends(may_change)]


# --------------------------------------------------------------------------- booking


@_referral_post(
    "/api/appointments/book", status_code=201,
    response_model=AppointmentPublic, responses=REFUSALS, summary="Book an appointment",
)  # fmt: skip
async def book(caller: Booker, body: BookIn) -> Response:
    """A patient books for themself; staff name the patient. ``preparation_acknowledged`` must be
    true when the service asks for preparation; a referral when it needs one."""
    args: dict[str, Any] = dict(
        principal=caller.principal,
        patient_id=_patient_id(caller.principal, body.patient_id),
        clinic_id=body.clinic_id,
        service_id=body.service_id,
        start=body.start,
        preparation_acknowledged=body.preparation_acknowledged,
        referral=_upload(body.referral),
        referral_id=body.referral_id,
        channel=body.channel or "online",
        notes=body.notes,
    )
    clinic_id = body.clinic_id
    return await _respond(lambda s: booking.book(session=s, **args), lambda _s: clinic_id, status=201)


# --------------------------------------------------------------------------- reading


@router.get(
    "/api/appointments", response_model=AppointmentPage, responses=REFUSALS, summary="List appointments"
)
async def list_appointments(
    caller: CurrentUser,
    date_from: Annotated[OptionalDay, Query()] = None,
    date_to: Annotated[OptionalDay, Query()] = None,
    clinic_id: Annotated[OptionalId, Query()] = None,
    doctor_id: Annotated[OptionalId, Query()] = None,
    status: Annotated[Annotated[Text, Field(max_length=40)] | None, Query()] = None,
    q: Annotated[Text | None, Query(description="patient name, first 80 characters")] = None,
    page: Annotated[OptionalPage, Query()] = None,
    page_size: Annotated[OptionalPage, Query()] = None,
) -> Response:
    args: dict[str, Any] = dict(
        principal=caller.principal,
        date_from=date_from,
        date_to=date_to,
        clinic_id=clinic_id,
        doctor_id=doctor_id,
        status=status or None,
        patient_query=(q or "")[:80] or None,
        page=page or 1,
        page_size=page_size or 25,
    )
    return await _respond(lambda s: appointments_query.list_appointments(session=s, **args), lambda _s: None)


@router.get(
    "/api/appointments/{appointment_id}", response_model=AppointmentDetail, responses=REFUSALS,
    summary="One appointment, its names and its history",
)  # fmt: skip
async def get_appointment(appointment_id: RefId, caller: CurrentUser) -> Response:
    return await _respond(
        lambda s: appointments_query.get_appointment(
            session=s, principal=caller.principal, appointment_id=appointment_id
        ),
        lambda _s: None,
    )


@router.get(
    "/api/clinics/{clinic_id}/queue", response_model=ClinicQueue, responses=REFUSALS,
    summary="A clinic's queue for a day",
)  # fmt: skip
async def clinic_queue(
    clinic_id: RefId,
    caller: CurrentUser,
    date: Annotated[OptionalDay, Query(description="default: the clinic's today")] = None,
) -> Response:
    asked = date

    def work(s: Session) -> dict[str, Any]:
        clinic = s.get(Clinic, clinic_id)
        day = asked or (availability.local_day(clinic, utcnow()) if clinic else utcnow().date())
        rows = appointments_query.day_queue(
            session=s, principal=caller.principal, clinic_id=clinic_id, day=day
        )
        return {"clinic_id": clinic_id, "date": day.isoformat(), "rows": [r.model_dump() for r in rows]}

    return await _respond(work, lambda _s: clinic_id)


# --------------------------------------------------------------------------- lifecycle

AnyBody = Annotated[dict[str, Any] | None, Body(description="ignored; if sent, a small JSON object")]


def _transition(path: str, fn: Callable[..., AppointmentPublic], summary: str) -> None:
    async def endpoint(appointment_id: RefId, caller: CurrentUser, body: AnyBody = None) -> Response:
        return await _respond(
            lambda s: fn(session=s, principal=caller.principal, appointment_id=appointment_id),
            _appointment_clinic(appointment_id),
        )

    endpoint.__name__ = fn.__name__
    router.post(path, response_model=AppointmentPublic, responses=REFUSALS, summary=summary)(endpoint)


@router.post(
    "/api/appointments/{appointment_id}/cancel", response_model=AppointmentPublic, responses=REFUSALS,
    summary="Cancel an appointment",
)  # fmt: skip
async def cancel(appointment_id: RefId, caller: Changer, body: CancelIn | None = None) -> Response:
    reason = body.reason if body else None
    return await _respond(
        lambda s: lifecycle.cancel(
            session=s, principal=caller.principal, appointment_id=appointment_id, reason=reason
        ),
        _appointment_clinic(appointment_id),
    )


@router.post(
    "/api/appointments/{appointment_id}/reschedule", response_model=AppointmentPublic, responses=REFUSALS,
    summary="Move an appointment to a new start",
)  # fmt: skip
async def reschedule(appointment_id: RefId, caller: Changer, body: RescheduleIn) -> Response:
    return await _respond(
        lambda s: lifecycle.reschedule(
            session=s, principal=caller.principal, appointment_id=appointment_id, new_start=body.start
        ),
        _appointment_clinic(appointment_id),
    )


A = "/api/appointments/{appointment_id}"
_transition(A + "/confirm", lifecycle.confirm, "Confirm an appointment")
_transition(A + "/check-in", lifecycle.check_in, "Check the patient in")
_transition(A + "/start", lifecycle.start, "Start the consultation")
_transition(A + "/complete", lifecycle.complete, "Complete the appointment")
_transition(A + "/no-show", lifecycle.mark_no_show, "Mark a no-show")


# --------------------------------------------------------------------------- waitlist


@router.post(
    "/api/waitlist", status_code=201, response_model=WaitlistPublic, responses=REFUSALS,
    summary="Join the waitlist for a day",
)  # fmt: skip
async def join_waitlist(caller: WaitlistUser, body: WaitlistIn) -> Response:
    args: dict[str, Any] = dict(
        principal=caller.principal,
        patient_id=_patient_id(caller.principal, body.patient_id),
        clinic_id=body.clinic_id,
        service_id=body.service_id,
        desired_date=body.date,
        earliest_time=body.earliest_time,
        latest_time=body.latest_time,
    )
    clinic_id = body.clinic_id
    return await _respond(lambda s: waitlist.join(session=s, **args), lambda _s: clinic_id, status=201)


@_referral_post(
    "/api/waitlist/{entry_id}/accept", status_code=201,
    response_model=AppointmentPublic, responses=REFUSALS, summary="Accept a waitlist offer",
)  # fmt: skip
async def accept_offer(entry_id: RefId, caller: OfferTaker, body: AcceptIn | None = None) -> Response:
    body = body or AcceptIn()
    args: dict[str, Any] = dict(
        principal=caller.principal,
        entry_id=entry_id,
        preparation_acknowledged=body.preparation_acknowledged,
        referral=_upload(body.referral),
        referral_id=body.referral_id,
    )
    return await _respond(lambda s: waitlist.accept(session=s, **args), _entry_clinic(entry_id), status=201)


@router.post(
    "/api/waitlist/{entry_id}/decline", response_model=WaitlistPublic, responses=REFUSALS,
    summary="Decline a waitlist offer",
)  # fmt: skip
async def decline_offer(entry_id: RefId, caller: CurrentUser) -> Response:
    return await _respond(
        lambda s: waitlist.decline(session=s, principal=caller.principal, entry_id=entry_id),
        _entry_clinic(entry_id),
    )


@router.post(
    "/api/waitlist/{entry_id}/leave", response_model=WaitlistPublic, responses=REFUSALS,
    summary="Leave the waitlist",
)  # fmt: skip
async def leave_waitlist(entry_id: RefId, caller: CurrentUser) -> Response:
    return await _respond(
        lambda s: waitlist.leave(session=s, principal=caller.principal, entry_id=entry_id),
        _entry_clinic(entry_id),
    )


# --------------------------------------------------------------------------- referral documents


@router.get(
    "/api/referral-documents/{document_id}", response_class=FileResponse, responses=REFUSALS,
    summary="A referral document, as an attachment",
)  # fmt: skip
async def referral_document(document_id: RefId, caller: CurrentUser, request: Request) -> Response:
    ip = deps.client_ip(request)

    def work() -> tuple[str, str, str]:
        with deps.db_session() as s:
            doc, path = referral_files.open_referral_document(
                session=s, principal=caller.principal, document_id=document_id, ip=ip
            )
            return str(path), doc.content_type, doc.original_filename

    path, content_type, filename = await run_in_threadpool(work)
    headers = {
        **NO_STORE,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    return FileResponse(
        path,
        media_type=content_type,
        filename=filename,
        headers=headers,
        content_disposition_type="attachment",
    )
