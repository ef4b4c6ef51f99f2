"""/appointments/[appointment_id]/ (and /confirmed/): one appointment, its history, and the
actions the caller may take on it.

The id comes from the path only; the service (``appointments_query.get_appointment``) checks
the caller can read it, the lifecycle functions check again for every action. The buttons shown
are a convenience computed from role and status; refusals from the service come back as a
message. The page watches ``appointment:<id>``, so a desk check-in shows at once.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypedDict

import reflex as rx
from sqlmodel import Session

from mediconnect.core.policy import Principal
from mediconnect.features import live
from mediconnect.features.appointments.common import NOT_YOURS, PAYERS, status_label
from mediconnect.features.appointments.list_state import get
from mediconnect.features.kit.calls import Outcome, client_ip, page_call, path_id
from mediconnect.features.kit.format import as_local, money, when
from mediconnect.features.kit.pickers import SlotView, day_options, slot_views
from mediconnect.features.shell.state import current_user, private_state
from mediconnect.models.users import Role
from mediconnect.services.booking_choices import BOOKING_HORIZON_DAYS
from mediconnect.services.lifecycle import PATIENT_CANCEL_NOTICE
from mediconnect.services.options import Option

OPEN = ("booked", "confirmed")
DESK = (Role.ADMIN, Role.CLINIC_STAFF, Role.DOCTOR)
VERBS = {
    "confirm": "confirmed",
    "check_in": "checked in",
    "start": "started",
    "complete": "completed",
    "mark_no_show": "marked as a no-show",
}


class HistoryRow(TypedDict):
    when: str
    change: str
    reason: str


class DocView(TypedDict):
    id: int
    name: str


def _history(rows: list[Any], tz: str) -> list[HistoryRow]:
    out = []
    for r in rows:
        before, after = get(r, "from_status"), get(r, "to_status", "")
        change = (
            status_label(str(after))
            if not before
            else f"{status_label(str(before))} → {status_label(str(after))}"
        )
        out.append(HistoryRow(when=when(get(r, "at"), tz), change=change, reason=str(get(r, "reason") or "")))
    return out


@private_state
class AppointmentDetailState(rx.State):
    loaded: bool = False
    missing: str = ""
    just_booked: bool = False
    appointment_id: int = 0
    status: str = ""
    status_text: str = ""
    when_text: str = ""
    ends_text: str = ""
    service: str = ""
    clinic: str = ""
    clinic_address: str = ""
    patient: str = ""
    price: str = ""
    preparation: str = ""
    preparation_items: list[str] = []
    history: list[HistoryRow] = []
    documents: list[DocView] = []
    cancellation_reason: str = ""
    rescheduled_from: int = 0
    # What the caller may try (the service decides).
    can_cancel: bool = False
    can_reschedule: bool = False
    can_see_payment: bool = False
    cancel_note: str = ""
    desk_actions: list[str] = []
    notice: str = ""
    notice_kind: str = "success"
    busy: bool = False
    # Reschedule picker.
    picking: bool = False
    pick_day: str = ""
    pick_days: list[Option] = []
    pick_slots: list[SlotView] = []
    pick_loaded: bool = False

    _role: str = ""
    _tz: str = ""
    _clinic_id: int = 0
    _service_id: int = 0
    _start: str = ""

    # ------------------------------------------------------------------ loading

    def _apply(self, found: Any, extras: Any, role: Role, my_doctor_id: int | None) -> None:
        detail = get(found, "appointment")
        tz = str(get(detail, "timezone", "") or "")
        self._tz, self._role = tz, role.value
        self._clinic_id, self._service_id = (
            int(get(detail, "clinic_id", 0)),
            int(get(detail, "service_id", 0)),
        )
        self._start = str(get(detail, "start", ""))
        self.appointment_id = int(get(detail, "id"))
        self.status = str(get(detail, "status", ""))
        self.status_text = status_label(self.status)
        self.when_text = when(get(detail, "start"), tz)
        end = as_local(get(detail, "end"), tz)
        self.ends_text = f"until {end:%H:%M}" if end else ""
        self.service = str(get(detail, "service_name", ""))
        self.clinic = str(get(detail, "clinic_name", ""))
        self.clinic_address = extras["clinic_address"]
        self.patient = str(get(found, "patient_name", "") or "") if role is not Role.PATIENT else ""
        self.price = money(get(detail, "price")) or "—"
        self.preparation = extras["preparation"]
        self.preparation_items = extras["preparation_items"]
        self.history = _history(list(get(found, "history", []) or []), tz)
        self.documents = [DocView(id=d["id"], name=d["name"]) for d in extras["documents"]]
        reason = str(get(detail, "cancellation_reason", "") or "")
        self.cancellation_reason = reason[:1].upper() + reason[1:]
        self.rescheduled_from = int(get(detail, "rescheduled_from_id", 0) or 0)
        start = as_local(get(detail, "start"), tz)
        future = start is not None and start > datetime.now(start.tzinfo)
        is_open = self.status in OPEN
        # A patient changes a booking online up to 24 hours ahead (lifecycle enforces it too).
        notice_ok = start is not None and start - datetime.now(start.tzinfo) >= PATIENT_CANCEL_NOTICE
        # A doctor changes only appointments with them (the policy's WRITE scope).
        mine = role is not Role.DOCTOR or (
            my_doctor_id is not None and get(detail, "doctor_id") == my_doctor_id
        )
        if role is Role.PATIENT:
            self.can_cancel = self.can_reschedule = is_open and notice_ok
            self.cancel_note = (
                "Online changes close 24 hours before the appointment. "
                "Please call the clinic to cancel or move it."
                if is_open and future and not notice_ok
                else ""
            )
        else:
            self.can_cancel = is_open and role in DESK and mine
            self.can_reschedule = self.can_cancel and future
            self.cancel_note = ""
        self.can_see_payment = role in PAYERS
        actions: list[str] = []
        if role in DESK and mine:
            if self.status == "booked":
                actions.append("confirm")
            if is_open:
                actions.append("check_in")
            if self.status == "checked_in":
                actions.append("start")
            if self.status == "in_progress":
                actions.append("complete")
            if is_open and not future:
                actions.append("mark_no_show")
        self.desk_actions = actions

    async def _fetch(self) -> Any:
        aid = self.appointment_id

        def work(db: Session, p: Principal) -> tuple[Any, Any, Role]:
            from mediconnect.services import appointments_query, booking_choices

            found = appointments_query.get_appointment(session=db, principal=p, appointment_id=aid)
            extras = booking_choices.appointment_extras(session=db, principal=p, appointment_id=aid)
            return found, extras, p.role, p.doctor_id

        outcome: Outcome[Any] = await page_call(self, work, denied_text=NOT_YOURS)
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if not outcome.ok:
            keep = self.appointment_id
            self.reset()
            self.appointment_id, self.missing, self.loaded = keep, outcome.error or NOT_YOURS, True
            return None
        found, extras, role, my_doctor_id = outcome.value
        self._apply(found, extras, role, my_doctor_id)
        self.loaded, self.missing = True, ""
        await live.watch(self, f"appointment:{self.appointment_id}")
        return None

    @rx.event
    async def load(self):
        self.reset()
        self.appointment_id = path_id(self, "appointments")
        self.just_booked = self.router.url.path.rstrip("/").endswith("/confirmed")
        if not self.appointment_id:
            self.missing, self.loaded = NOT_YOURS, True
            return None
        query = self.router.url.query_parameters
        if query.get("rescheduled"):
            self.notice = "Rescheduled: this is your new time. The old one is cancelled."
            self.notice_kind = "success"
        elif query.get("cancelled"):
            self.notice, self.notice_kind = "The appointment is cancelled.", "success"
        return await self._fetch()

    async def _on_live(self, event: Any) -> None:
        if await current_user(self) is None:
            self.reset()
            return
        if self.appointment_id:
            await self._fetch()

    # ------------------------------------------------------------------ desk transitions

    @rx.event
    async def transition(self, action: str):
        if action not in VERBS or not self.appointment_id:
            return None
        aid = self.appointment_id
        self.busy = True

        def work(db: Session, p: Principal) -> Any:
            from mediconnect.services import lifecycle

            return getattr(lifecycle, action)(session=db, principal=p, appointment_id=aid)

        outcome: Outcome[Any] = await page_call(self, work, denied_text=NOT_YOURS)
        self.busy = False
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if not outcome.ok:
            self.notice, self.notice_kind = outcome.error, "error"
            return None
        self.notice, self.notice_kind = f"The appointment is {VERBS[action]}.", "success"
        return await self._fetch()

    # ------------------------------------------------------------------ reschedule

    @rx.event
    async def open_reschedule(self):
        if not self.can_reschedule:
            return None

        def work(db: Session, p: Principal) -> date:
            from mediconnect.services import booking_choices

            return booking_choices.clinic_today(session=db, clinic_id=self._clinic_id)

        outcome: Outcome[Any] = await page_call(self, work, denied_text=NOT_YOURS)
        if not outcome.ok:
            return outcome.redirect
        self.pick_days = day_options(outcome.value, days=BOOKING_HORIZON_DAYS)
        local = as_local(self._start, self._tz)
        start_day = local.date().isoformat() if local else outcome.value.isoformat()
        self.pick_day = max(start_day, self.pick_days[0]["value"])
        self.picking = True
        return await self._load_pick()

    @rx.event
    def close_reschedule(self):
        self.picking, self.pick_slots, self.pick_loaded = False, [], False

    @rx.event
    async def set_pick_day(self, value: str):
        if not any(d["value"] == value for d in self.pick_days):
            return None
        self.pick_day = value
        return await self._load_pick()

    async def _load_pick(self):  # type: ignore[no-untyped-def]
        cid, sid, day = self._clinic_id, self._service_id, date.fromisoformat(self.pick_day)

        def work(db: Session, p: Principal) -> list[Any]:
            from mediconnect.services import availability

            return list(availability.day_slots(session=db, clinic_id=cid, service_id=sid, day=day))

        outcome: Outcome[Any] = await page_call(self, work, denied_text=NOT_YOURS)
        if not outcome.ok:
            return outcome.redirect
        self.pick_slots, self.pick_loaded = slot_views(outcome.value or [], self._tz), True
        return None

    @rx.event
    async def reschedule_to(self, key: str):
        if not any(s["key"] == key for s in self.pick_slots):
            self.notice, self.notice_kind = "That time is no longer free. Please choose another.", "error"
            return None
        aid, new_start = self.appointment_id, datetime.fromisoformat(key)

        def work(db: Session, p: Principal) -> Any:
            from mediconnect.services import lifecycle

            return lifecycle.reschedule(session=db, principal=p, appointment_id=aid, new_start=new_start)

        outcome: Outcome[Any] = await page_call(self, work, denied_text=NOT_YOURS)
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if not outcome.ok:
            self.notice, self.notice_kind = outcome.error, "error"
            return await self._load_pick()
        new_id = int(get(outcome.value, "id"))
        return rx.redirect(f"/appointments/{new_id}/?rescheduled=1")

    # ------------------------------------------------------------------ referral download

    @rx.event
    async def download_referral(self, document_id: int):
        if not any(d["id"] == int(document_id) for d in self.documents):
            self.notice, self.notice_kind = "That document is not part of this appointment.", "error"
            return None
        doc_id, ip = int(document_id), client_ip(self)

        def work(db: Session, p: Principal) -> tuple[str, str, bytes]:
            from mediconnect.services import referral_files

            doc, path = referral_files.open_referral_document(
                session=db, principal=p, document_id=doc_id, ip=ip
            )
            return doc.original_filename, doc.content_type, path.read_bytes()

        outcome: Outcome[Any] = await page_call(self, work, denied_text=NOT_YOURS)
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if not outcome.ok:
            self.notice, self.notice_kind = outcome.error, "error"
            return None
        name, content_type, data = outcome.value
        return rx.download(data=data, filename=name, mime_type=content_type)
