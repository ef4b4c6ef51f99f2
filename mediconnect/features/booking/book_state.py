"""/appointments/book/ state: service -> clinic -> day -> live slot grid -> price -> referral ->
preparation -> confirm.

Everything the browser sees is catalogue data, the free times of the chosen day, and the
caller's own quote. The patient a member of staff chose (``_patient_id``) is a backend var;
who the booking is for is decided on the server by ``services.booking_for`` (a patient books for
themself; staff for a patient the policy lets them book for), as are the audit of a quote staff
look at and the booking channel. Every handler that reads or writes data goes through
``_call`` (``kit.calls.page_call``) to a service that checks the caller again.

The slot grid is live: after loading a day the tab watches ``clinic:<id>:day:<date>``; every
booking, cancellation or schedule change of that day recomputes the grid once per process
(``live.once``) and each open page gets its delta. If the time the user picked is gone, the
page says so and keeps everything else they chose.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import reflex as rx

from mediconnect.core.db import session_scope
from mediconnect.features import live
from mediconnect.features.appointments.common import NOT_YOURS
from mediconnect.features.booking.views import (
    ClinicCard,
    QuoteView,
    ServiceGroup,
    clinic_cards,
    quote_view,
    service_groups,
)
from mediconnect.features.kit.calls import Outcome, Work, page_call
from mediconnect.features.kit.format import as_local, long_day
from mediconnect.features.kit.pickers import SlotView, day_options, slot_views
from mediconnect.features.shell.state import current_user, private_state
from mediconnect.services import booking_choices, booking_for, referral_files
from mediconnect.services.booking_choices import BOOKING_HORIZON_DAYS, DayGrid, PatientChoice, ServiceChoice
from mediconnect.services.options import Option

T = TypeVar("T")
MAX_REFERRAL_BYTES = referral_files.MAX_BYTES
# What the upload widget lets the browser pick; the service decides by the file's first bytes.
REFERRAL_TYPES = {"application/pdf": [".pdf"], "image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"]}


def _compute_grid(clinic_id: int, service_id: int, day: date) -> DayGrid:
    """Public availability, the same for every tab (so ``live.once`` computes it once)."""
    with session_scope() as db:
        return booking_choices.day_grid(session=db, clinic_id=clinic_id, service_id=service_id, day=day)


@private_state
class BookState(rx.State):
    loaded: bool = False
    is_staff: bool = False
    groups: list[ServiceGroup] = []
    clinics: list[ClinicCard] = []
    days: list[Option] = []
    service_id: str = ""
    # Which modality's services are listed, and whether the list is folded after a choice.
    modality: str = ""
    choosing_service: bool = True
    clinic_id: str = ""
    day: str = ""
    slots: list[SlotView] = []
    slots_loaded: bool = False
    day_open: bool = True
    nearest: list[SlotView] = []
    selected: str = ""
    selected_label: str = ""
    slot_notice: str = ""
    alternatives: list[SlotView] = []
    # Chosen service's details, shown beside the grid.
    service_name: str = ""
    service_duration: str = ""
    preparation: str = ""
    preparation_items: list[str] = []
    referral_required: bool = False
    clinic_name: str = ""
    day_label: str = ""
    # Staff booking for a patient: search results (names only) and the choice.
    patient_matches: list[PatientChoice] = []
    patient_label: str = ""
    quote: QuoteView = QuoteView(  # type: ignore[typeddict-item]
        price="",
        scheme="",
        coverage="",
        tariff_cap="",
        annual_limit_remaining="",
        authorisation="",
        authorisation_kind="ok",
        medical_aid_portion="",
        shortfall="",
        co_payment="",
        patient_portion="",
        due_now="",
        due_after_claim="",
        private=True,
        lines=[],
    )
    has_quote: bool = False
    quote_error: str = ""
    referral_name: str = ""
    referral_error: str = ""
    acknowledged: bool = False
    error: str = ""
    busy: bool = False
    waitlist_notice: str = ""

    _services: list[ServiceChoice] = []
    _slots: list[Any] = []
    _patient_id: int | None = None
    _tz: str = ""
    _referral: tuple[str, bytes] | None = None
    _owner: int = 0

    # ------------------------------------------------------------------ helpers

    def _ids(self) -> tuple[int, int, date] | None:
        if not (self.service_id.isdigit() and self.clinic_id.isdigit() and self.day):
            return None
        try:
            return int(self.clinic_id), int(self.service_id), date.fromisoformat(self.day)
        except ValueError:
            return None

    def _service(self) -> ServiceChoice | None:
        return next((s for s in self._services if str(s["id"]) == self.service_id), None)

    def _set_slots(self, grid: DayGrid) -> None:
        self._slots = grid.free
        self.slots = slot_views(grid.free, self._tz)
        self.slots_loaded, self.day_open = True, grid.open
        self.nearest = slot_views(grid.nearest, self._tz, with_day=True)
        keys = {s["key"] for s in self.slots}
        # Suggestions on this day must still be free; those on other days stay.
        self.alternatives = [
            a for a in self.alternatives if a["key"] in keys or not a["key"].startswith(self.day)
        ]
        if self.selected and self.selected not in keys:
            self.slot_notice = (
                f"The {self.selected_label} time you picked has just been taken by someone else. "
                "Please choose another time; your other choices are kept."
            )
            self.selected = self.selected_label = ""

    def _clear_after_service(self) -> None:
        self.clinic_id = self.clinic_name = ""
        self._clear_after_clinic()

    def _clear_after_clinic(self) -> None:
        self.slots, self._slots, self.slots_loaded, self.nearest = [], [], False, []
        self.selected = self.selected_label = self.slot_notice = self.error = self.waitlist_notice = ""
        self.alternatives = []

    async def _call(self, work: Work[T]) -> Outcome[T]:
        """How every handler reaches data: the tab's signed-in caller, then the service; a
        refusal reads as "not one you can open", like the other appointment pages."""
        return await page_call(self, work, denied_text=NOT_YOURS)

    async def _deny(self, outcome: Outcome[Any]):  # type: ignore[no-untyped-def]
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        self.error = outcome.error
        return None

    # ------------------------------------------------------------------ loading

    @rx.event
    async def load(self):
        """Also runs when the tab reconnects (network blip, a big upload): the same user keeps
        every choice made so far and gets a fresh grid; anyone else starts from nothing."""
        user = await current_user(self)
        if user is not None and self.loaded and self._owner == user.id:
            self.error = ""
            return await self._load_day() if self._ids() else None
        self.reset()
        self._owner = user.id if user is not None else 0

        outcome = await self._call(lambda db, p: booking_for.menu(session=db, principal=p))
        if not outcome.ok:
            return await self._deny(outcome)
        assert outcome.value is not None
        self._services, self.is_staff = outcome.value.services, outcome.value.for_others
        self.groups = service_groups(self._services)
        self.modality = self.groups[0]["label"] if self.groups else ""
        self.loaded = True
        wanted = self.router.url.query_parameters.get("service", "")
        if wanted.isdigit() and any(str(s["id"]) == wanted for s in self._services):
            return await self.choose_service(wanted)
        return None

    @rx.event
    async def choose_service(self, service_id: str):
        service_id = str(service_id)
        if not any(str(s["id"]) == service_id for s in self._services):
            self.error = "Choose a service from the list."
            return None
        self.service_id, self.error, self.choosing_service = service_id, "", False
        s = self._service()
        assert s is not None
        self.modality = next(
            (g["label"] for g in self.groups if any(i["id"] == service_id for i in g["items"])), ""
        )
        self.service_name, self.service_duration = s["name"], f"{s['duration_minutes']} minutes"
        self.preparation, self.preparation_items = s["preparation"], s["preparation_items"]
        self.referral_required, self.acknowledged = s["referral_required"], False
        if not self.referral_required:
            self._referral, self.referral_name = None, ""
        sid = int(service_id)
        outcome = await self._call(
            lambda db, p: booking_choices.clinics_for_service(session=db, service_id=sid)
        )
        if not outcome.ok:
            return await self._deny(outcome)
        found = outcome.value or []
        self.clinics = clinic_cards(found)
        keep = self.clinic_id if any(c["id"] == self.clinic_id for c in self.clinics) else ""
        self._clear_after_service()
        if len(self.clinics) == 1 and not keep:
            keep = self.clinics[0]["id"]
        if keep:
            self._tz = next((c["timezone"] for c in found if str(c["id"]) == keep), "")
            return await self.choose_clinic(keep)
        await live.watch(self)
        return None

    @rx.event
    def show_modality(self, label: str):
        if any(g["label"] == label for g in self.groups):
            self.modality, self.choosing_service = label, True

    @rx.event
    def change_service(self):
        self.choosing_service = True

    @rx.event
    async def choose_clinic(self, clinic_id: str):
        clinic_id = str(clinic_id)
        option = next((c for c in self.clinics if c["id"] == clinic_id), None)
        if option is None:
            self.error = "Choose a clinic from the list."
            return None
        self.clinic_id, self.clinic_name = clinic_id, option["name"]
        self._clear_after_clinic()
        cid = int(clinic_id)
        outcome = await self._call(lambda db, p: booking_choices.clinic_day(session=db, clinic_id=cid))
        if not outcome.ok:
            return await self._deny(outcome)
        assert outcome.value is not None
        today, self._tz = outcome.value.today, outcome.value.timezone
        self.days = day_options(today, days=BOOKING_HORIZON_DAYS)
        if not self.day or not (today.isoformat() <= self.day <= self.days[-1]["value"]):
            self.day = today.isoformat()
        return await self._load_day()

    @rx.event
    async def choose_day(self, value: str):
        try:
            chosen = date.fromisoformat(str(value))
        except ValueError:
            self.error = "Choose a date in the next 30 days."
            return None
        if not self.days or not (self.days[0]["value"] <= chosen.isoformat() <= self.days[-1]["value"]):
            self.error = f"Online booking is open for the next {BOOKING_HORIZON_DAYS} days."
            return None
        self.day = chosen.isoformat()
        self._clear_after_clinic()
        return await self._load_day()

    @rx.event
    async def shift_day(self, delta: int):
        if not self.day or not self.days:
            return None
        target = (date.fromisoformat(self.day) + timedelta(days=int(delta))).isoformat()
        if not (self.days[0]["value"] <= target <= self.days[-1]["value"]):
            return None
        return await self.choose_day(target)

    async def _load_day(self):  # type: ignore[no-untyped-def]
        ids = self._ids()
        if ids is None:
            return None
        cid, sid, day = ids
        self.day_label = long_day(day)
        outcome = await self._call(
            lambda db, p: booking_choices.day_grid(session=db, clinic_id=cid, service_id=sid, day=day),
        )
        if not outcome.ok:
            return await self._deny(outcome)
        assert outcome.value is not None
        self._set_slots(outcome.value)
        await live.watch(self, f"clinic:{cid}:day:{day.isoformat()}")
        return await self._requote()

    async def _on_live(self, event: Any) -> None:
        """Someone booked, cancelled or changed this day: recompute the grid (once per event)."""
        if await current_user(self) is None:
            self.reset()
            return
        ids = self._ids()
        if ids is None:
            return
        cid, sid, day = ids
        self._set_slots(
            await live.once(event, ("slots", cid, sid, day), lambda: _compute_grid(cid, sid, day))
        )

    # ------------------------------------------------------------------ slot and price

    @rx.event
    async def choose_slot(self, key: str):
        match = next((s for s in self.slots if s["key"] == key), None)
        if match is None:
            self.slot_notice = "That time is no longer free. Please choose another."
            return None
        self.selected, self.selected_label = match["key"], match["label"]
        self.slot_notice = self.error = ""
        return await self._requote()

    async def _requote(self):  # type: ignore[no-untyped-def]
        if not self.service_id.isdigit() or not self.day:
            return None
        if self.is_staff and self._patient_id is None:
            self.has_quote, self.quote_error = False, ""
            return None
        sid, day, chosen = int(self.service_id), date.fromisoformat(self.day), self._patient_id
        outcome = await self._call(
            lambda db, p: booking_for.quote(session=db, principal=p, chosen=chosen, service_id=sid, on=day),
        )
        if outcome.redirect is not None:
            return await self._deny(outcome)
        if not outcome.ok:
            self.has_quote, self.quote_error = False, outcome.error
            return None
        self.quote, self.has_quote, self.quote_error = quote_view(outcome.value), True, ""
        return None

    # ------------------------------------------------------------------ staff: for which patient

    @rx.event
    async def search_patients(self, form: dict[str, Any]):
        text = str(form.get("patient_query", "") or "").strip()[:80]
        if len(text) < 2:
            self.patient_matches = []
            self.error = "Type at least two letters of the patient's name, their email or ID number."
            return None
        outcome = await self._call(
            lambda db, p: booking_choices.find_patients(session=db, principal=p, text=text)
        )
        if not outcome.ok:
            return await self._deny(outcome)
        self.patient_matches, self.error = outcome.value or [], ""
        if not self.patient_matches:
            self.error = "No patient of your clinics matches that search."
        return None

    @rx.event
    async def choose_patient(self, patient_id: int):
        match = next((m for m in self.patient_matches if m["id"] == int(patient_id)), None)
        if match is None:
            self.error = "Find the patient with the search first."
            return None
        self._patient_id, self.patient_label = match["id"], f"{match['name']} (born {match['born']})"
        self.patient_matches, self.error = [], ""
        return await self._requote()

    # ------------------------------------------------------------------ referral and preparation

    @rx.event
    async def upload_referral(self, files: list[rx.UploadFile]):
        if not files:
            # The browser refused the file (type, size): ``referral_rejected`` already said why.
            return
        self.referral_error = ""
        if len(files) > 1:
            self.referral_error = "Upload one referral document."
            return
        upload = files[0]
        data = await upload.read(MAX_REFERRAL_BYTES + 1)
        name = (upload.name or "referral")[-120:]
        if len(data) > MAX_REFERRAL_BYTES:
            self.referral_error = f"{name} is larger than 10 MB. Please upload a smaller scan or photo."
            return
        try:
            checked = referral_files.validate(referral_files.ReferralUpload(name, data))
        except referral_files.ReferralFileError as exc:
            self.referral_error = f"{exc.message} Please upload a PDF, JPEG or PNG of at most 10 MB."
            return
        self._referral, self.referral_name = (checked.display_name, data), checked.display_name

    @rx.event
    def referral_rejected(self, rejected: list[dict[str, Any]]):
        codes = {str(e.get("code", "")) for r in rejected for e in (r.get("errors") or [])}
        if "file-too-large" in codes:
            self.referral_error = "That file is larger than 10 MB. Please upload a smaller scan or photo."
        elif "too-many-files" in codes:
            self.referral_error = "Upload one referral document."
        else:
            self.referral_error = "Only PDF, JPEG or PNG files can be uploaded as a referral."

    @rx.event
    def remove_referral(self):
        self._referral, self.referral_name, self.referral_error = None, "", ""

    @rx.event
    def set_acknowledged(self, value: bool):
        self.acknowledged = bool(value)

    # ------------------------------------------------------------------ confirm

    @rx.event
    async def confirm(self):
        ids, key = self._ids(), self.selected
        if ids is None or not key:
            self.error = "Choose a service, a clinic, a day and a time first."
            return
        if (self.preparation_items or self.preparation) and not self.acknowledged:
            self.error = "Please confirm that you have read the preparation instructions."
            return
        if self.referral_required and self._referral is None:
            self.error = "This scan needs a referral letter from your doctor. Please upload it above."
            return
        cid, sid, _day = ids
        start = datetime.fromisoformat(key)
        chosen, ack = self._patient_id, self.acknowledged or not self.preparation
        upload = referral_files.ReferralUpload(*self._referral) if self._referral else None
        self.busy, self.error = True, ""
        yield
        outcome = await self._call(
            lambda db, p: booking_for.book(
                session=db,
                principal=p,
                chosen=chosen,
                clinic_id=cid,
                service_id=sid,
                start=start,
                preparation_acknowledged=ack,
                referral=upload,
            ),
        )
        self.busy = False
        if outcome.redirect is not None:
            self.reset()
            yield outcome.redirect
            return
        if not outcome.ok:
            self.error = outcome.error
            if outcome.code == "slot_taken":
                self.selected = self.selected_label = ""
                self.alternatives = slot_views(outcome.alternatives, self._tz, with_day=True)
                self._set_slots(await _slots_now(cid, sid, date.fromisoformat(self.day)))
            return
        appointment_id = _id_of(outcome.value)
        self.reset()  # booked: the next visit starts afresh
        yield rx.redirect(f"/appointments/{appointment_id}/confirmed/")

    @rx.event
    async def choose_alternative(self, key: str):
        """An alternative may be on another day: move the grid there, then select it."""
        try:
            start = datetime.fromisoformat(key)
        except ValueError:
            return None
        if not self._ids() or start.tzinfo is None:
            return None
        local_day = _local_date(start, self._tz).isoformat()
        if not self.days or not (self.days[0]["value"] <= local_day <= self.days[-1]["value"]):
            self.error = f"Online booking is open for the next {BOOKING_HORIZON_DAYS} days."
            return None
        if local_day != self.day:
            self.day = local_day
            self._clear_after_clinic()
            await self._load_day()
        return await self.choose_slot(key)

    # ------------------------------------------------------------------ waitlist

    @rx.event
    async def join_waitlist(self):
        ids, chosen = self._ids(), self._patient_id
        if ids is None:
            self.error = "Choose a service, a clinic and a day first."
            return None
        cid, sid, day = ids
        outcome = await self._call(
            lambda db, p: booking_for.join_waitlist(
                session=db, principal=p, chosen=chosen, clinic_id=cid, service_id=sid, day=day
            ),
        )
        if not outcome.ok:
            return await self._deny(outcome)
        self.waitlist_notice = (
            f"You are on the waiting list for {self.service_name} at {self.clinic_name} on {self.day_label}. "
            "If a time frees up we offer it to the first person waiting; you will find offers under "
            "My waiting list."
        )
        return None


async def _slots_now(cid: int, sid: int, day: date) -> DayGrid:
    return await asyncio.to_thread(_compute_grid, cid, sid, day)


def _local_date(start: datetime, tz: str) -> date:
    local = as_local(start, tz)
    assert local is not None
    return local.date()


def _id_of(value: Any) -> int:
    if isinstance(value, dict):
        return int(value["id"])
    return int(value.id)


__all__ = ["MAX_REFERRAL_BYTES", "REFERRAL_TYPES", "BookState"]
