"""Appointments over JSON: book, list, read, run the lifecycle, the desk queue, the waitlist, and
the referral documents. Every route is ``@bearer_required``; the services decide who may do what.

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

Errors, one scheme: access refusals are the policy's DashboardError (403 DASH_002 / DASH_006,
404 DASH_005); malformed parameters or bodies are 400 DASH_004; a business refusal from the
scheduling services is ``{"code": "BOOK_<REASON>", "message": <a sentence>, "detail":
{"reason": <reason>, "alternatives": [{"start", "end"}]}}`` with 409 when the state of the
schedule is the cause (BOOK_SLOT_TAKEN, BOOK_PATIENT_DOUBLE_BOOKED, BOOK_INVALID_TRANSITION,
BOOK_TOO_LATE_TO_CANCEL, BOOK_TOO_EARLY, BOOK_NO_OFFER, BOOK_OFFER_EXPIRED, BOOK_SLOTS_AVAILABLE,
BOOK_NOT_WAITING)
and 422 when the request itself cannot be honoured (BOOK_REFERRAL_REQUIRED, BOOK_INVALID_FILE,
BOOK_OUTSIDE_HOURS, BOOK_TOO_SOON, ...).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any, TypeVar

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from mediconnect.api import deps
from mediconnect.api.auth_guard import NO_STORE, bearer_required, caller
from mediconnect.api.availability import date_param, int_param
from mediconnect.api.bodies import bad, int_field, read_json, str_field
from mediconnect.core import permissions
from mediconnect.core.errors import DashboardError, DashErrorCode
from mediconnect.core.permissions import Action, Principal
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
from mediconnect.services.appointment_public import slot_public
from mediconnect.services.booking import BookingError
from mediconnect.services.referral_files import MAX_BYTES, ReferralUpload

MAX_BODY = (MAX_BYTES * 4) // 3 + 64 * 1024  # a base64 referral plus the other fields
CONFLICTS = frozenset(
    {"slot_taken", "patient_double_booked", "invalid_transition", "too_late_to_cancel", "too_early",
     "no_offer", "offer_expired", "slots_available", "not_waiting"}
)  # fmt: skip
T = TypeVar("T")


class BookingFailure(Exception):
    def __init__(self, body: dict[str, Any], status: int) -> None:
        super().__init__(body["code"])
        self.body, self.status = body, status


def _moment(data: dict[str, Any], name: str) -> datetime:
    raw = str_field(data, name, 40)
    try:
        value = datetime.fromisoformat(raw or "")
    except ValueError:
        raise bad(f"{name} must be an ISO 8601 time with its offset") from None
    if value.tzinfo is None:
        raise bad(f"{name} must include its UTC offset")
    return value


def _clock(data: dict[str, Any], name: str) -> time | None:
    raw = str_field(data, name, 8)
    if raw is None:
        return None
    try:
        return time.fromisoformat(raw)
    except ValueError:
        raise bad(f"{name} must be a time, HH:MM") from None


def _upload(data: dict[str, Any]) -> ReferralUpload | None:
    ref = data.get("referral")
    if ref is None:
        return None
    if not isinstance(ref, dict) or not isinstance(ref.get("content_base64"), str):
        raise bad("referral must be {filename, content_base64}")
    try:
        content = base64.b64decode(ref["content_base64"], validate=True)
    except (binascii.Error, ValueError):
        raise bad("referral.content_base64 is not valid base64") from None
    return ReferralUpload(filename=str(ref.get("filename") or "")[:255], data=content)


def _path_id(request: Request, name: str) -> int:
    raw = str(request.path_params.get(name, ""))
    if not raw.isdigit() or len(raw) > 12:
        raise bad(f"{name} must be a positive integer")
    return int(raw)


def _failure(session: Session, exc: BookingError, clinic_id: int | None) -> BookingFailure:
    clinic = session.get(Clinic, clinic_id) if clinic_id else None
    alts = [slot_public(s, clinic).model_dump() for s in exc.alternatives] if clinic else []
    body = {
        "code": f"BOOK_{exc.code.upper()}",
        "message": exc.message,
        "detail": {"reason": exc.code, "alternatives": alts},
    }
    return BookingFailure(body, 409 if exc.code in CONFLICTS else 422)


def _run(work: Callable[[Session], T], clinic_of: Callable[[Session], int | None]) -> T:
    with deps.db_session() as session:
        try:
            return work(session)
        except BookingError as exc:
            raise _failure(session, exc, clinic_of(session)) from None


async def _respond(
    work: Callable[[Session], Any], clinic_of: Callable[[Session], int | None], status: int = 200
) -> Response:
    try:
        result = await run_in_threadpool(_run, work, clinic_of)
    except BookingFailure as failure:
        return JSONResponse(failure.body, status_code=failure.status, headers=dict(NO_STORE))
    body = result.model_dump() if hasattr(result, "model_dump") else result
    return JSONResponse(body, status_code=status, headers=dict(NO_STORE))


def _appointment_clinic(appointment_id: int) -> Callable[[Session], int | None]:
    def clinic_of(session: Session) -> int | None:
        appt = session.get(Appointment, appointment_id)
        return appt.clinic_id if appt else None

    return clinic_of


def _patient_id(principal: Principal, data: dict[str, Any]) -> int:
    given = int_field(data, "patient_id", required=False)
    if given is None:
        if principal.patient_id is None:
            raise bad("patient_id is required")
        return principal.patient_id
    return given


# --------------------------------------------------------------------------- access first
# Who may call is settled before the body is read: a caller the policy refuses learns that
# (403), never which of their fields was wrong (400).


def _may_book(principal: Principal) -> None:
    if Action.WRITE not in permissions.PATIENT_ACTIONS.get(principal.role, frozenset()):
        raise DashboardError(DashErrorCode.DASH_002, f"role {principal.role.value} may not book")


async def _may_change(principal: Principal, appointment_id: int) -> None:
    def check() -> None:
        with deps.db_session() as session:
            permissions.require_appointment(
                session, principal=principal, appointment_id=appointment_id, action=Action.WRITE
            )

    await run_in_threadpool(check)


def _may_use_waitlist(principal: Principal) -> None:
    if Action.WRITE not in permissions.PATIENT_ACTIONS.get(principal.role, frozenset()):
        raise DashboardError(DashErrorCode.DASH_002, f"role {principal.role.value} may not use the waitlist")


# --------------------------------------------------------------------------- booking


@bearer_required
async def book(request: Request) -> Response:
    _, principal = caller(request)
    _may_book(principal)
    data = await read_json(request, MAX_BODY)
    clinic_id, service_id = int_field(data, "clinic_id"), int_field(data, "service_id")
    assert clinic_id is not None and service_id is not None
    args: dict[str, Any] = dict(
        principal=principal,
        patient_id=_patient_id(principal, data),
        clinic_id=clinic_id,
        service_id=service_id,
        start=_moment(data, "start"),
        preparation_acknowledged=data.get("preparation_acknowledged") is True,
        referral=_upload(data),
        referral_id=int_field(data, "referral_id", required=False),
        channel=str_field(data, "channel", 20) or "online",
        notes=str_field(data, "notes", 1000),
    )
    return await _respond(lambda s: booking.book(session=s, **args), lambda _s: clinic_id, status=201)


# --------------------------------------------------------------------------- reading


@bearer_required
async def list_appointments(request: Request) -> Response:
    _, principal = caller(request)
    args: dict[str, Any] = dict(
        principal=principal,
        date_from=date_param(request, "date_from", required=False),
        date_to=date_param(request, "date_to", required=False),
        clinic_id=int_param(request, "clinic_id", required=False),
        doctor_id=int_param(request, "doctor_id", required=False),
        status=request.query_params.get("status") or None,
        patient_query=(request.query_params.get("q") or "")[:80] or None,
        page=int_param(request, "page", required=False) or 1,
        page_size=int_param(request, "page_size", required=False) or 25,
    )
    return await _respond(lambda s: appointments_query.list_appointments(session=s, **args), lambda _s: None)


@bearer_required
async def get_appointment(request: Request) -> Response:
    _, principal = caller(request)
    appointment_id = _path_id(request, "appointment_id")
    return await _respond(
        lambda s: appointments_query.get_appointment(
            session=s, principal=principal, appointment_id=appointment_id
        ),
        lambda _s: None,
    )


@bearer_required
async def clinic_queue(request: Request) -> Response:
    _, principal = caller(request)
    clinic_id = _path_id(request, "clinic_id")
    asked = date_param(request, "date", required=False)

    def work(s: Session) -> dict[str, Any]:
        clinic = s.get(Clinic, clinic_id)
        day = asked or (availability.local_day(clinic, utcnow()) if clinic else utcnow().date())
        rows = appointments_query.day_queue(session=s, principal=principal, clinic_id=clinic_id, day=day)
        return {"clinic_id": clinic_id, "date": day.isoformat(), "rows": [r.model_dump() for r in rows]}

    return await _respond(work, lambda _s: clinic_id)


# --------------------------------------------------------------------------- lifecycle


def _transition(fn: Callable[..., Any]) -> Callable[[Request], Any]:
    @bearer_required
    async def endpoint(request: Request) -> Response:
        _, principal = caller(request)
        appointment_id = _path_id(request, "appointment_id")
        await read_json(request)  # a body, if any, must still be small and JSON
        return await _respond(
            lambda s: fn(session=s, principal=principal, appointment_id=appointment_id),
            _appointment_clinic(appointment_id),
        )

    endpoint.__name__ = fn.__name__
    return endpoint


@bearer_required
async def cancel(request: Request) -> Response:
    _, principal = caller(request)
    appointment_id = _path_id(request, "appointment_id")
    await _may_change(principal, appointment_id)
    reason = str_field(await read_json(request), "reason", 300)
    return await _respond(
        lambda s: lifecycle.cancel(
            session=s, principal=principal, appointment_id=appointment_id, reason=reason
        ),
        _appointment_clinic(appointment_id),
    )


@bearer_required
async def reschedule(request: Request) -> Response:
    _, principal = caller(request)
    appointment_id = _path_id(request, "appointment_id")
    await _may_change(principal, appointment_id)
    new_start = _moment(await read_json(request), "start")
    return await _respond(
        lambda s: lifecycle.reschedule(
            session=s, principal=principal, appointment_id=appointment_id, new_start=new_start
        ),
        _appointment_clinic(appointment_id),
    )


# --------------------------------------------------------------------------- waitlist


@bearer_required
async def join_waitlist(request: Request) -> Response:
    _, principal = caller(request)
    _may_use_waitlist(principal)
    data = await read_json(request)
    clinic_id, service_id = int_field(data, "clinic_id"), int_field(data, "service_id")
    raw_day = str_field(data, "date", 10)
    try:
        desired = date.fromisoformat(raw_day or "")
    except ValueError:
        raise bad("date must be YYYY-MM-DD") from None
    assert clinic_id is not None and service_id is not None
    args: dict[str, Any] = dict(
        principal=principal,
        patient_id=_patient_id(principal, data),
        clinic_id=clinic_id,
        service_id=service_id,
        desired_date=desired,
        earliest_time=_clock(data, "earliest_time"),
        latest_time=_clock(data, "latest_time"),
    )
    return await _respond(lambda s: waitlist.join(session=s, **args), lambda _s: clinic_id, status=201)


def _entry_clinic(entry_id: int) -> Callable[[Session], int | None]:
    def clinic_of(session: Session) -> int | None:
        entry = session.get(waitlist.WaitlistEntry, entry_id)
        return entry.clinic_id if entry else None

    return clinic_of


@bearer_required
async def accept_offer(request: Request) -> Response:
    _, principal = caller(request)
    entry_id = _path_id(request, "entry_id")
    _may_use_waitlist(principal)
    data = await read_json(request, MAX_BODY)
    args: dict[str, Any] = dict(
        principal=principal,
        entry_id=entry_id,
        preparation_acknowledged=data.get("preparation_acknowledged") is True,
        referral=_upload(data),
        referral_id=int_field(data, "referral_id", required=False),
    )
    return await _respond(lambda s: waitlist.accept(session=s, **args), _entry_clinic(entry_id), status=201)


@bearer_required
async def decline_offer(request: Request) -> Response:
    _, principal = caller(request)
    entry_id = _path_id(request, "entry_id")
    return await _respond(
        lambda s: waitlist.decline(session=s, principal=principal, entry_id=entry_id), _entry_clinic(entry_id)
    )


@bearer_required
async def leave_waitlist(request: Request) -> Response:
    _, principal = caller(request)
    entry_id = _path_id(request, "entry_id")
    return await _respond(
        lambda s: waitlist.leave(session=s, principal=principal, entry_id=entry_id), _entry_clinic(entry_id)
    )


# --------------------------------------------------------------------------- referral documents


@bearer_required
async def referral_document(request: Request) -> Response:
    _, principal = caller(request)
    document_id = _path_id(request, "document_id")
    ip = deps.client_ip(request)

    def work() -> tuple[str, str, str]:
        with deps.db_session() as s:
            doc, path = referral_files.open_referral_document(
                session=s, principal=principal, document_id=document_id, ip=ip
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


A = "/api/appointments/{appointment_id}"
routes: list[BaseRoute] = [
    Route("/api/appointments/book", book, methods=["POST"]),
    Route("/api/appointments", list_appointments, methods=["GET"]),
    Route(A, get_appointment, methods=["GET"]),
    Route(A + "/cancel", cancel, methods=["POST"]),
    Route(A + "/reschedule", reschedule, methods=["POST"]),
    Route(A + "/confirm", _transition(lifecycle.confirm), methods=["POST"]),
    Route(A + "/check-in", _transition(lifecycle.check_in), methods=["POST"]),
    Route(A + "/start", _transition(lifecycle.start), methods=["POST"]),
    Route(A + "/complete", _transition(lifecycle.complete), methods=["POST"]),
    Route(A + "/no-show", _transition(lifecycle.mark_no_show), methods=["POST"]),
    Route("/api/clinics/{clinic_id}/queue", clinic_queue, methods=["GET"]),
    Route("/api/waitlist", join_waitlist, methods=["POST"]),
    Route("/api/waitlist/{entry_id}/accept", accept_offer, methods=["POST"]),
    Route("/api/waitlist/{entry_id}/decline", decline_offer, methods=["POST"]),
    Route("/api/waitlist/{entry_id}/leave", leave_waitlist, methods=["POST"]),
    Route("/api/referral-documents/{document_id}", referral_document, methods=["GET"]),
]
