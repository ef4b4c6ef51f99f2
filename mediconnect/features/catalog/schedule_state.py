"""The "Maintenance" and "Duty roster" tabs of /manage/clinics/<id>/. Same rules as
``clinics_state``: the clinic comes from the URL and every service checks the caller."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import reflex as rx

from mediconnect.features.catalog.clinic_common import for_route_clinic
from mediconnect.features.kit.calls import page_call
from mediconnect.features.shell.state import private_state
from mediconnect.services import clinic_resources, maintenance, rosters
from mediconnect.services.catalog_access import CatalogFormError
from mediconnect.services.maintenance import MaintenanceRow
from mediconnect.services.options import Option
from mediconnect.services.rosters import RosterDay

DUTY_ROLES: list[Option] = [
    Option(value=v, label=v.capitalize())
    for v in ("doctor", "radiologist", "radiographer", "sonographer", "nurse", "reception", "support")
]


@private_state
class MaintenanceState(rx.State):
    loaded: bool = False
    windows: list[MaintenanceRow] = []
    targets: list[Option] = []
    errors: dict[str, str] = {}
    # Live appointments the last refused window would hit: the form then offers "Schedule anyway".
    affected_count: int = 0
    notice: str = ""
    form_version: int = 0

    async def _run(self, change: Any = None, *, success: str = ""):  # type: ignore[no-untyped-def]
        def work(db, principal, clinic_id) -> tuple[list[MaintenanceRow], list[Option]]:  # type: ignore[no-untyped-def]
            if change is not None:
                change(db, principal, clinic_id)
            kw = {"session": db, "principal": principal, "clinic_id": clinic_id}
            targets = [Option(value="clinic", label="Whole clinic")]
            targets += [
                Option(value=f"equipment:{e['id']}", label=f"Equipment: {e['name']}")
                for e in clinic_resources.equipment(**kw)
                if e["status"] != "retired"
            ]
            targets += [
                Option(value=f"room:{r['value']}", label=f"Room: {r['label']}")
                for r in clinic_resources.room_options(**kw)
            ]
            return maintenance.list_maintenance(**kw), targets

        outcome = await page_call(self, for_route_clinic(self, work), on_denied="leave")
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if outcome.error or outcome.value is None:
            self.errors, self.notice = outcome.errors or {"form": outcome.error}, ""
            return None
        self.windows, self.targets = outcome.value
        self.loaded, self.errors, self.notice = True, {}, success
        if change is not None:
            self.affected_count = 0
            self.form_version += 1
        return None

    @rx.event
    async def load(self):
        self.reset()
        return await self._run()

    @rx.event
    async def add(self, form: dict[str, Any]):
        affected: list[int] = []

        def change(db, principal, clinic_id) -> None:  # type: ignore[no-untyped-def]
            try:
                maintenance.add_maintenance(session=db, principal=principal, clinic_id=clinic_id, form=form)
            except CatalogFormError as exc:
                affected.extend(exc.affected)
                raise

        result = await self._run(change, success="Maintenance window scheduled.")
        if self.errors:
            self.affected_count = len(affected)
        return result

    @rx.event
    async def cancel(self, window_id: int):
        return await self._run(
            lambda db, p, c: maintenance.cancel_maintenance(
                session=db, principal=p, clinic_id=c, window_id=int(window_id)
            ),
            success="Maintenance window cancelled.",
        )


@private_state
class RosterState(rx.State):
    loaded: bool = False
    week_start: str = ""
    days: list[RosterDay] = []
    people: list[Option] = []
    room_choices: list[Option] = []
    errors: dict[str, str] = {}
    notice: str = ""
    form_version: int = 0

    async def _run(self, change: Any = None, *, week: str = "", success: str = ""):  # type: ignore[no-untyped-def]
        wanted = week or self.week_start

        def work(db, principal, clinic_id) -> tuple[date, list[RosterDay], list[Option], list[Option]]:  # type: ignore[no-untyped-def]
            if change is not None:
                change(db, principal, clinic_id)
            kw = {"session": db, "principal": principal, "clinic_id": clinic_id}
            try:
                start = date.fromisoformat(wanted)
            except ValueError:
                start = rosters.this_week(**kw)
            start -= timedelta(days=start.weekday())
            people = rosters.staff_options(**kw, on=start)
            return (
                start,
                rosters.week_roster(**kw, week_start=start),
                people,
                clinic_resources.room_options(**kw),
            )

        outcome = await page_call(self, for_route_clinic(self, work), on_denied="leave")
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if outcome.error or outcome.value is None:
            self.errors, self.notice = outcome.errors or {"form": outcome.error}, ""
            return None
        start, self.days, self.people, rooms = outcome.value
        self.room_choices = [Option(value="none", label="Any room"), *rooms]
        self.week_start = start.isoformat()
        self.loaded, self.errors, self.notice = True, {}, success
        if change is not None:
            self.form_version += 1
        return None

    def _shifted(self, weeks: int) -> str:
        try:
            return (date.fromisoformat(self.week_start) + timedelta(weeks=weeks)).isoformat()
        except ValueError:
            return ""

    @rx.event
    async def load(self):
        self.reset()
        return await self._run()

    @rx.event
    async def prev_week(self):
        return await self._run(week=self._shifted(-1))

    @rx.event
    async def next_week(self):
        return await self._run(week=self._shifted(1))

    @rx.event
    async def this_week(self):
        self.week_start = ""
        return await self._run()

    @rx.event
    async def add(self, form: dict[str, Any]):
        return await self._run(
            lambda db, p, c: rosters.add_shift(session=db, principal=p, clinic_id=c, form=form),
            success="Shift added.",
        )

    @rx.event
    async def cancel(self, shift_id: int):
        return await self._run(
            lambda db, p, c: rosters.cancel_shift(
                session=db, principal=p, clinic_id=c, shift_id=int(shift_id)
            ),
            success="Shift cancelled.",
        )
