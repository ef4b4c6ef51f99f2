"""Authorization rules for the scheduling API (mediconnect/api/availability.py, api/appointments.py).

Who may call what, as the services enforce it:

* availability: any signed-in caller (no personal data);
* booking: the roles that may WRITE a patient (admin, patient for themself, doctor and clinic
  staff for their patients at their clinics); billing, referring doctors and analysts: DASH_002;
* reading appointments: every role with appointment READ (not analytics staff), each on the
  appointments ``appointment_scope`` gives it; an admin on any;
* desk transitions (confirm, check-in, start, complete, no-show): clinic staff, doctors and
  admins, on appointments they may WRITE; cancel / reschedule also the patient, on their own;
* the day queue: ``require_clinic`` (staff of the clinic, its doctors, admins);
* the waitlist: the roles that may WRITE a patient;
* referral documents: the roles that may READ a patient (the service adds: a referring doctor
  only for their own referrals).

Allowed calls with the matrix's empty payloads are refused by business rules (a missing start,
a completed appointment cannot be confirmed): 400 DASH_004, 409/422 BOOK_*; those are past the
access check, never a 401/403.
"""

from __future__ import annotations

from datetime import date, timedelta

from tests.authz.matrix import SIGNED_IN, Ctx, Rule
from tests.authz.matrix import Role as R

ADMIN = frozenset({R.ADMIN})
PATIENT_WRITERS = frozenset({R.ADMIN, R.PATIENT, R.DOCTOR, R.CLINIC_STAFF})
PATIENT_READERS = PATIENT_WRITERS | {R.BILLING_STAFF, R.REFERRING_DOCTOR}
APPOINTMENT_READERS = PATIENT_READERS
DESK = frozenset({R.ADMIN, R.DOCTOR, R.CLINIC_STAFF})
CLINIC_VIEWERS = DESK


def availability_url(ctx: Ctx) -> str:
    """A real clinic, service and day: the route needs all three."""
    day = (date.today() + timedelta(days=3)).isoformat()
    return f"/api/availability?service_id=1&clinic_id={ctx.world.clinic_ids()[0]}&date={day}"


def _desk(why: str) -> Rule:
    return Rule(DESK, why, obj="appointment", param="appointment_id", others=ADMIN)


API: dict[str, Rule] = {
    "GET /api/availability": Rule(
        SIGNED_IN, "free slots of a clinic-day; no personal data", path=availability_url
    ),
    "POST /api/appointments/book": Rule(
        PATIENT_WRITERS, "book for a patient the caller may write (a patient: themself)"
    ),
    "GET /api/appointments": Rule(APPOINTMENT_READERS, "the caller's appointment_scope, filtered and paged"),
    "GET /api/appointments/{appointment_id}": Rule(
        APPOINTMENT_READERS, "one appointment in the caller's scope, with its history",
        obj="appointment", param="appointment_id", others=ADMIN,
    ),
    "POST /api/appointments/{appointment_id}/cancel": Rule(
        PATIENT_WRITERS, "patient: own, 24 h ahead; desk roles: with a reason",
        obj="appointment", param="appointment_id", others=ADMIN,
    ),
    "POST /api/appointments/{appointment_id}/reschedule": Rule(
        PATIENT_WRITERS, "patient: own, 24 h ahead; desk roles: any they may write",
        obj="appointment", param="appointment_id", others=ADMIN,
    ),
    "POST /api/appointments/{appointment_id}/confirm": _desk("desk transition booked -> confirmed"),
    "POST /api/appointments/{appointment_id}/check-in": _desk("desk transition -> checked_in"),
    "POST /api/appointments/{appointment_id}/start": _desk("desk transition checked_in -> in_progress"),
    "POST /api/appointments/{appointment_id}/complete": _desk("desk transition in_progress -> completed"),
    "POST /api/appointments/{appointment_id}/no-show": _desk("desk: no-show after the start time"),
    "GET /api/clinics/{clinic_id}/queue": Rule(
        CLINIC_VIEWERS, "the front desk's day list: require_clinic",
        obj="clinic", param="clinic_id", others=ADMIN,
    ),
    "POST /api/waitlist": Rule(
        PATIENT_WRITERS, "join a full day's waitlist for a patient the caller may write"
    ),
    "POST /api/waitlist/{entry_id}/accept": Rule(
        PATIENT_WRITERS, "accept the offer on an entry of a patient the caller may write",
        obj="waitlist_entry", param="entry_id", others=ADMIN,
    ),
    "POST /api/waitlist/{entry_id}/decline": Rule(
        PATIENT_WRITERS, "decline the offer on an entry of a patient the caller may write",
        obj="waitlist_entry", param="entry_id", others=ADMIN,
    ),
    "POST /api/waitlist/{entry_id}/leave": Rule(
        PATIENT_WRITERS, "leave the waitlist: an entry of a patient the caller may write",
        obj="waitlist_entry", param="entry_id", others=ADMIN,
    ),
    "GET /api/referral-documents/{document_id}": Rule(
        PATIENT_READERS, "the file, to those who may read the patient (referrers: own referrals)",
        obj="referral_document", param="document_id", others=ADMIN,
    ),
}  # fmt: skip
