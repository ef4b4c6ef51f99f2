"""Authorization rules of the booking UI: /appointments/book/, the appointment list, detail,
cancel and payment-summary pages, the patient's waiting list and the front desk.

How the object pages are tried. Staff legitimately see the names of their clinic's patients,
and the matrix only lets an allowed caller see *their own* personal data on an object case
(``obj=``). So the appointment handlers are classified without ``obj`` and the tab is opened on
an appointment chosen per role (``appointment_path``): staff roles (``SEE_PATIENTS``: their
clinic's or their patients' data is their business) on one the policy gives them; a patient,
and anyone else, on someone else's appointment, which must show nothing. The pages themselves
are opened with no object (``authz-missing``): they must refuse cleanly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from mediconnect.features.appointments.common import PAYERS, READERS, WRITERS
from mediconnect.models.users import Role
from tests.authz.matrix import FORGED, PUBLIC, Ctx, Rule, _forge

BOOKERS: frozenset[Role] = frozenset({Role.PATIENT, Role.CLINIC_STAFF, Role.ADMIN})
DESK: frozenset[Role] = frozenset({Role.CLINIC_STAFF, Role.ADMIN})
PATIENTS: frozenset[Role] = frozenset({Role.PATIENT})
# Roles whose allowed views include other people's names: staff of a clinic (its patients),
# doctors (their patients), billing (invoiced patients), referring doctors (their referrals),
# admins (everyone). A patient is never among them.
SEE_PATIENTS: frozenset[Role] = READERS - {Role.PATIENT}


def appointment_path(suffix: str = "") -> Callable[[Ctx], str]:
    """Staff on an appointment of theirs; patients (and the rest) on someone else's."""

    def build(ctx: Ctx) -> str:
        own, other = ctx.world.object_ids("appointment", ctx.subject)
        pick = own if ctx.subject.role in SEE_PATIENTS else other
        return f"/appointments/{pick or 'authz-missing'}/{suffix}"

    return build


def _some_appointment(ctx: Ctx) -> int:
    _own, other = ctx.world.object_ids("appointment", ctx.subject)
    return int(other or 1)


def _first(ctx: Ctx, table: str) -> int:
    with ctx.world.engine.connect() as conn:
        return int(conn.execute(sa.text(f"SELECT min(id) FROM {table}")).scalar() or 1)


def _victim_patient(ctx: Ctx) -> int:
    return int(ctx.world.patient_id(ctx.victim.user_id) or _first(ctx, "patients"))


def _victim_name(ctx: Ctx) -> str:
    assert ctx.victim.user_id is not None
    user = ctx.world.user(ctx.victim.user_id)
    return f"{user.first_name} {user.last_name}"


def book_path(_: Ctx) -> str:
    return "/appointments/book/"


def list_path(ctx: Ctx) -> str:
    return ctx.hostile_query("/appointments/list/")


def desk_path(_: Ctx) -> str:
    return "/desk/"


def waitlist_path(_: Ctx) -> str:
    return "/appointments/waitlist/"


def form_only(
    payloads: Callable[[Ctx], list[dict[str, Any]]] | None = None, why: str = "form input only"
) -> Rule:
    return Rule(PUBLIC, why, payloads=payloads or (lambda ctx: [{}]))


def forged_patient(ctx: Ctx) -> list[tuple[str, dict[str, Any]]]:
    """Try to plant who the booking is for (a backend var) before booking or quoting."""
    return _forge("BookState", _patient_id=_victim_patient(ctx), patient_label=FORGED)


BOOK_LOADED = "var:book_state.loaded"
LIST_LOADED = "var:appointment_list_state.loaded"
DESK_LOADED = "var:desk_state.day_label"
WAITLIST_LOADED = "var:waitlist_state.loaded"


def _book(why: str, payloads: Callable[[Ctx], list[dict[str, Any]]], **kw: Any) -> Rule:
    return Rule(BOOKERS, why, path=book_path, payloads=payloads, **kw)


def _list(why: str, payloads: Callable[[Ctx], list[dict[str, Any]]] | None = None) -> Rule:
    return Rule(
        READERS,
        why,
        others=SEE_PATIENTS,
        effect=LIST_LOADED,
        path=list_path,
        payloads=payloads or (lambda ctx: [{}]),
    )


def _detail(why: str, payloads: Callable[[Ctx], list[dict[str, Any]]] | None = None, **kw: Any) -> Rule:
    return Rule(
        READERS,
        why,
        others=SEE_PATIENTS,
        path=appointment_path(),
        payloads=payloads or (lambda ctx: [{}]),
        **kw,
    )


def _desk(why: str, payloads: Callable[[Ctx], list[dict[str, Any]]] | None = None, **kw: Any) -> Rule:
    return Rule(DESK, why, others=DESK, path=desk_path, payloads=payloads or (lambda ctx: [{}]), **kw)


PAGES: dict[str, Rule] = {
    "/appointments/book/": Rule(BOOKERS, "the catalogue and the caller's own quote", effect=BOOK_LOADED),
    "/appointments/list/": Rule(
        READERS,
        "appointments in the caller's scope (appointment_scope)",
        others=SEE_PATIENTS,
        effect=LIST_LOADED,
    ),
    "/appointments/waitlist/": Rule(PATIENTS, "the patient's own waiting list", effect=WAITLIST_LOADED),
    "/desk/": Rule(DESK, "the day queue of the caller's clinics", others=DESK, effect=DESK_LOADED),
    "/appointments/[appointment_id]/": Rule(
        READERS, "one appointment (require_appointment READ)", others=SEE_PATIENTS, param="appointment_id"
    ),
    "/appointments/[appointment_id]/confirmed/": Rule(
        READERS, "the detail page with a booked banner", others=SEE_PATIENTS, param="appointment_id"
    ),
    "/appointments/[appointment_id]/cancel/": Rule(
        WRITERS, "cancel form (lifecycle.cancel checks WRITE)", others=SEE_PATIENTS, param="appointment_id"
    ),
    "/appointments/[appointment_id]/payment-summary/": Rule(
        PAYERS,
        "billing.payment_summary (require_payment_summary)",
        others=SEE_PATIENTS,
        param="appointment_id",
    ),
}

HANDLERS: dict[str, Rule] = {
    # ---- /appointments/book/
    "BookState.load": _book("bookable services (catalogue)", lambda ctx: [{}], effect=BOOK_LOADED),
    "BookState.choose_service": _book("clinics offering a service", lambda ctx: [{"service_id": "1"}]),
    "BookState.choose_clinic": _book("a clinic's today and slot grid", lambda ctx: [{"clinic_id": "1"}]),
    "BookState.choose_day": _book("slot grid of a day", lambda ctx: [{"value": "2026-12-01"}]),
    "BookState.shift_day": _book("slot grid of the next day", lambda ctx: [{"delta": 1}]),
    "BookState.choose_slot": _book(
        "selects a time; booking_for.quote prices it for the patient the server decides",
        lambda ctx: [{"key": FORGED}],
        prelude=forged_patient,
    ),
    "BookState.choose_alternative": _book("selects a suggested time", lambda ctx: [{"key": FORGED}]),
    "BookState.search_patients": Rule(
        BOOKERS,
        "staff find patients they may book for (find_patients: patient_scope WRITE; patients refused)",
        others=DESK,
        path=book_path,
        payloads=lambda ctx: [{"form": {"patient_query": _victim_name(ctx)}}],
    ),
    "BookState.choose_patient": _book(
        "only a patient from the caller's own search results",
        lambda ctx: [{"patient_id": _victim_patient(ctx)}],
    ),
    "BookState.upload_referral": _book(
        "referral bytes held for the caller's booking", lambda ctx: [{"files": []}]
    ),
    "BookState.confirm": _book(
        "booking_for.book: who it is for decided from the Principal (nothing chosen here: refused)",
        lambda ctx: [{}],
        prelude=forged_patient,
    ),
    "BookState.join_waitlist": _book(
        "booking_for.join_waitlist for the patient the server decides (nothing chosen: refused)",
        lambda ctx: [{}],
        prelude=forged_patient,
    ),
    "BookState.show_modality": form_only(lambda ctx: [{"label": FORGED}]),
    "BookState.change_service": form_only(),
    "BookState.set_acknowledged": form_only(lambda ctx: [{"value": True}]),
    "BookState.remove_referral": form_only(),
    "BookState.referral_rejected": form_only(
        lambda ctx: [{"rejected": [{"file": {"path": "x.exe"}, "errors": [{"code": "file-invalid-type"}]}]}]
    ),
    # ---- /appointments/list/
    "AppointmentListState.load": _list("appointments in the caller's scope"),
    "AppointmentListState.apply": _list(
        "filters + reload (patients' patient search is ignored)",
        lambda ctx: [{"form": {"date_from": "2020-01-01", "patient_text": _victim_name(ctx)}}],
    ),
    "AppointmentListState.set_clinic": _list(
        "filter + reload", lambda ctx: [{"value": str(_first(ctx, "clinics"))}]
    ),
    "AppointmentListState.set_doctor": _list(
        "filter + reload", lambda ctx: [{"value": str(_first(ctx, "doctors"))}]
    ),
    "AppointmentListState.set_status": _list("filter + reload", lambda ctx: [{"value": "booked"}]),
    "AppointmentListState.clear": _list("reload"),
    "AppointmentListState.prev_page": _list("paging"),
    "AppointmentListState.next_page": _list("paging"),
    # ---- /appointments/[id]/ (detail, confirmed): the id is read from the path only
    "AppointmentDetailState.load": _detail("get_appointment (require_appointment READ)"),
    "AppointmentDetailState.transition": _detail(
        "lifecycle.* on the loaded appointment only (forged id refused)",
        lambda ctx: [{"action": "check_in"}, {"action": FORGED}],
        prelude=lambda ctx: _forge("AppointmentDetailState", appointment_id=_some_appointment(ctx)),
    ),
    "AppointmentDetailState.open_reschedule": _detail("slot grid for the loaded appointment's clinic"),
    "AppointmentDetailState.close_reschedule": form_only(),
    "AppointmentDetailState.set_pick_day": _detail("slot grid", lambda ctx: [{"value": "2026-12-01"}]),
    "AppointmentDetailState.reschedule_to": _detail(
        "lifecycle.reschedule of the loaded appointment to a listed time", lambda ctx: [{"key": FORGED}]
    ),
    "AppointmentDetailState.download_referral": _detail(
        "open_referral_document (checks and audits) for a document of the loaded appointment",
        lambda ctx: [{"document_id": 1}],
    ),
    # ---- /appointments/[id]/cancel/
    "CancelState.load": Rule(
        WRITERS, "the appointment to cancel", others=SEE_PATIENTS, path=appointment_path("cancel/")
    ),
    "CancelState.submit": Rule(
        WRITERS,
        "lifecycle.cancel of the loaded appointment (nothing loaded, forged id: refused)",
        others=SEE_PATIENTS,
        path=appointment_path("cancel/"),
        prelude=lambda ctx: _forge("CancelState", appointment_id=_some_appointment(ctx), is_patient=False),
        payloads=lambda ctx: [{"form": {"reason": "authz matrix"}}],
    ),
    # ---- /appointments/[id]/payment-summary/
    "PaymentSummaryState.load": Rule(
        PAYERS,
        "billing.payment_summary (require_payment_summary)",
        others=SEE_PATIENTS,
        path=appointment_path("payment-summary/"),
    ),
    # ---- /appointments/waitlist/
    "WaitlistState.load": Rule(
        PATIENTS, "the patient's own entries", effect=WAITLIST_LOADED, path=waitlist_path
    ),
    "WaitlistState.accept": Rule(
        PATIENTS,
        "waitlist.accept of an offer on the caller's page",
        path=waitlist_path,
        payloads=lambda ctx: [{"entry_id": 1}],
    ),
    "WaitlistState.decline": Rule(
        PATIENTS,
        "waitlist.decline of an offer on the caller's page",
        path=waitlist_path,
        payloads=lambda ctx: [{"entry_id": 1}],
    ),
    "WaitlistState.leave": Rule(
        PATIENTS,
        "waitlist.leave of an entry on the caller's page",
        path=waitlist_path,
        payloads=lambda ctx: [{"entry_id": 1}],
    ),
    "WaitlistState.toggle_ack": form_only(lambda ctx: [{"entry_id": 1, "value": True}]),
    # ---- /desk/
    "DeskState.load": _desk("the day queue of the caller's first clinic", effect=DESK_LOADED),
    "DeskState.set_clinic": _desk(
        "only a clinic from the caller's own list", lambda ctx: [{"value": str(_first(ctx, "clinics"))}]
    ),
    "DeskState.set_day": _desk("reload another day", lambda ctx: [{"value": "2026-12-01"}]),
    "DeskState.shift_day": _desk("reload the next day", lambda ctx: [{"delta": 1}]),
    "DeskState.go_today": _desk("reload today"),
    "DeskState.act": _desk(
        "lifecycle.* on a row of the caller's queue only",
        lambda ctx: [{"action": "check_in", "appointment_id": _some_appointment(ctx)}],
    ),
    "DeskState.ask_cancel": form_only(
        lambda ctx: [{"appointment_id": 1}], "opens the dialog for a listed row"
    ),
    "DeskState.set_cancel_open": form_only(lambda ctx: [{"value": False}]),
    "DeskState.cancel": _desk(
        "lifecycle.cancel of the row the dialog was opened for (forged id refused)",
        lambda ctx: [{"form": {"reason": "authz matrix"}}],
        prelude=lambda ctx: _forge("DeskState", cancel_id=_some_appointment(ctx)),
    ),
}

API: dict[str, Rule] = {}
