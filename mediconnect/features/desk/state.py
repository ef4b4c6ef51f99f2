"""/desk/ state: a clinic's day at the front desk, kept live on every desk.

Clinic staff pick one of their clinics (admins any) and a day (default: today in the clinic's
zone). ``appointments_query.day_queue`` checks the caller may see that clinic; each button calls
the ``lifecycle`` function for that row, which checks again. The tab watches
``clinic:<id>:day:<date>``: a check-in at one desk, a booking online, a cancellation, and every
desk showing that day reloads within a second.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, TypedDict

import reflex as rx
from sqlmodel import Session

from mediconnect.core.policy import Principal
from mediconnect.features import live
from mediconnect.features.appointments.common import NOT_YOURS, status_label
from mediconnect.features.kit.calls import Outcome, page_call
from mediconnect.features.kit.format import hhmm, long_day
from mediconnect.features.shell.state import current_user, private_state
from mediconnect.services import booking_choices
from mediconnect.services.options import Option

ACTIONS = {
    "check_in": "checked in",
    "start": "started",
    "complete": "completed",
    "mark_no_show": "marked as a no-show",
}
MAX_REASON = 300


class QueueView(TypedDict):
    id: int
    time: str
    ends: str
    patient: str
    service: str
    room: str
    status: str
    status_label: str
    waiting: str
    actions: list[str]


def _actions(status: str, started: bool) -> list[str]:
    """The buttons a row offers (lifecycle decides); a no-show only once the start time passed."""
    if status in ("booked", "confirmed"):
        return ["check_in", "mark_no_show", "cancel"] if started else ["check_in", "cancel"]
    return {"checked_in": ["start"], "in_progress": ["complete"]}.get(status, [])


class CountView(TypedDict):
    label: str
    count: int


def _view(row: Any) -> QueueView:
    status = str(row.status)
    waited = row.waiting_minutes
    span = (
        ""
        if waited is None
        else (f"{waited} min" if waited < 60 else f"{waited // 60} h {waited % 60:02d} min")
    )
    waiting = "" if not span else (f"waiting {span}" if status == "checked_in" else f"waited {span}")
    start = datetime.fromisoformat(str(row.start))
    return QueueView(
        id=int(row.id),
        time=hhmm(row.start, None),
        ends=hhmm(row.end, None),
        patient=str(row.patient_name),
        service=str(row.service_name),
        room=str(row.room_name or ""),
        status=status,
        status_label=status_label(status),
        waiting=waiting,
        actions=_actions(status, start <= datetime.now(UTC)),
    )


@private_state
class DeskState(rx.State):
    loaded: bool = False
    clinic: str = ""
    day: str = ""
    day_label: str = ""
    today: str = ""
    clinic_options: list[Option] = []
    rows: list[QueueView] = []
    counts: list[CountView] = []
    notice: str = ""
    notice_kind: str = "success"
    busy_id: int = 0
    # Cancel-with-reason dialog.
    cancel_open: bool = False
    cancel_id: int = 0
    cancel_label: str = ""
    cancel_error: str = ""

    async def _fetch(self):  # type: ignore[no-untyped-def]
        if not self.clinic.isdigit() or not self.day:
            return None
        cid, day = int(self.clinic), date.fromisoformat(self.day)

        def work(db: Session, p: Principal) -> list[Any]:
            from mediconnect.services import appointments_query

            return appointments_query.day_queue(session=db, principal=p, clinic_id=cid, day=day)

        outcome: Outcome[list[Any]] = await page_call(self, work, denied_text=NOT_YOURS)
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if not outcome.ok:
            self.rows, self.notice, self.notice_kind = [], outcome.error, "error"
            return None
        self.rows = [_view(r) for r in outcome.value or []]
        counts: dict[str, int] = {}
        for r in self.rows:
            counts[r["status_label"]] = counts.get(r["status_label"], 0) + 1
        self.counts = [CountView(label=k, count=v) for k, v in counts.items()]
        self.day_label = long_day(day)
        self.loaded = True
        await live.watch(self, f"clinic:{cid}:day:{day.isoformat()}")
        return None

    async def _on_live(self, event: Any) -> None:
        if await current_user(self) is None:
            self.reset()
            return
        await self._fetch()

    async def _today(self, clinic_id: int) -> str:
        outcome = await page_call(
            self,
            lambda db, p: booking_choices.clinic_today(session=db, clinic_id=clinic_id).isoformat(),
            denied_text=NOT_YOURS,
        )
        return outcome.value or ""

    @rx.event
    async def load(self):
        self.reset()
        outcome = await page_call(
            self, lambda db, p: booking_choices.desk_clinics(session=db, principal=p), denied_text=NOT_YOURS
        )
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if not outcome.ok:
            self.notice, self.notice_kind, self.loaded = outcome.error, "error", True
            return None
        clinics = outcome.value or []
        self.clinic_options = [Option(value=str(c["id"]), label=c["name"]) for c in clinics]
        if not clinics:
            self.notice, self.notice_kind = (
                "You are not assigned to a clinic yet. Ask an administrator.",
                "info",
            )
            self.loaded = True
            return None
        wanted = self.router.url.query_parameters.get("clinic", "")
        self.clinic = (
            wanted
            if any(o["value"] == wanted for o in self.clinic_options)
            else self.clinic_options[0]["value"]
        )
        self.today = self.day = await self._today(int(self.clinic))
        return await self._fetch()

    @rx.event
    async def set_clinic(self, value: str):
        if not any(o["value"] == value for o in self.clinic_options):
            return None
        self.clinic, self.notice = value, ""
        self.today = self.day = await self._today(int(value))
        return await self._fetch()

    @rx.event
    async def set_day(self, value: str):
        try:
            chosen = date.fromisoformat(str(value))
        except ValueError:
            self.notice, self.notice_kind = "Choose a valid date.", "error"
            return None
        self.day, self.notice = chosen.isoformat(), ""
        return await self._fetch()

    @rx.event
    async def shift_day(self, delta: int):
        if not self.day:
            return None
        return await self.set_day((date.fromisoformat(self.day) + timedelta(days=int(delta))).isoformat())

    @rx.event
    async def go_today(self):
        return await self.set_day(self.today) if self.today else None

    def _row(self, appointment_id: int) -> QueueView | None:
        return next((r for r in self.rows if r["id"] == int(appointment_id)), None)

    @rx.event
    async def act(self, action: str, appointment_id: int):
        row = self._row(appointment_id)
        if action not in ACTIONS or row is None:
            self.notice, self.notice_kind = "That appointment is not on this day's list.", "error"
            return None
        aid, name = row["id"], row["patient"]
        self.busy_id = aid

        def work(db: Session, p: Principal) -> Any:
            from mediconnect.services import lifecycle

            return getattr(lifecycle, action)(session=db, principal=p, appointment_id=aid)

        outcome: Outcome[Any] = await page_call(self, work, denied_text=NOT_YOURS)
        self.busy_id = 0
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if not outcome.ok:
            self.notice, self.notice_kind = outcome.error, "error"
        else:
            self.notice, self.notice_kind = f"{name} {ACTIONS[action]} ({row['time']}).", "success"
        return await self._fetch()

    @rx.event
    def ask_cancel(self, appointment_id: int):
        row = self._row(appointment_id)
        if row is None:
            return
        self.cancel_id, self.cancel_label = row["id"], f"{row['time']} · {row['patient']} · {row['service']}"
        self.cancel_error, self.cancel_open = "", True

    @rx.event
    def set_cancel_open(self, value: bool):
        if not value:
            self.cancel_open, self.cancel_id, self.cancel_error = False, 0, ""

    @rx.event
    async def cancel(self, form: dict[str, Any]):
        row = self._row(self.cancel_id)
        reason = str(form.get("reason", "") or "").strip()
        if row is None:
            self.cancel_open = False
            return None
        if not reason:
            self.cancel_error = (
                "Give a reason: it is kept in the appointment's history and told to the patient."
            )
            return None
        if len(reason) > MAX_REASON:
            self.cancel_error = f"Keep the reason under {MAX_REASON} characters."
            return None
        aid = row["id"]

        def work(db: Session, p: Principal) -> Any:
            from mediconnect.services import lifecycle

            return lifecycle.cancel(session=db, principal=p, appointment_id=aid, reason=reason)

        outcome: Outcome[Any] = await page_call(self, work, denied_text=NOT_YOURS)
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if not outcome.ok:
            self.cancel_error = outcome.error
            return None
        self.cancel_open, self.cancel_id = False, 0
        self.notice, self.notice_kind = (
            f"{row['patient']}'s {row['time']} appointment is cancelled.",
            "success",
        )
        return await self._fetch()
