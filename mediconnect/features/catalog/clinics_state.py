"""/manage/clinics/ (the clinics the caller may manage) and the "Hours & closures" and
"Rooms & equipment" tabs of /manage/clinics/<id>/. Handlers run services through
``page_call`` (server-side session, fresh Principal, clinic from the URL, checked by the
service); what reaches the browser is that clinic's set-up, never anyone's personal data."""

from __future__ import annotations

from typing import Any

import reflex as rx

from mediconnect.features.catalog.clinic_common import for_route_clinic, form_text
from mediconnect.features.kit.calls import page_call
from mediconnect.features.shell.state import private_state
from mediconnect.services import clinic_resources, clinic_setup
from mediconnect.services.catalog_access import CatalogFormError
from mediconnect.services.clinic_resources import EquipmentRow, RoomRow
from mediconnect.services.clinic_setup import ClinicRow, ClosureRow, HoursRow
from mediconnect.services.options import Option


@private_state
class ManageClinicsState(rx.State):
    loaded: bool = False
    clinics: list[ClinicRow] = []

    @rx.event
    async def load(self):
        self.reset()
        outcome = await page_call(
            self,
            lambda db, principal: clinic_setup.manageable_clinics(session=db, principal=principal),
            on_denied="leave",
        )
        if outcome.redirect is not None:
            return outcome.redirect
        self.clinics, self.loaded = outcome.value or [], True
        return None


@private_state
class ClinicSetupState(rx.State):
    loaded: bool = False
    cid: int = 0
    clinic_name: str = ""
    clinic_city: str = ""
    timezone: str = ""
    hours: list[HoursRow] = []
    closures: list[ClosureRow] = []
    rooms: list[RoomRow] = []
    equipment: list[EquipmentRow] = []
    departments: list[Option] = []
    room_choices: list[Option] = []
    notice: str = ""
    errors: dict[str, str] = {}
    form_version: int = 0

    def _fill(self, data: dict[str, Any]) -> None:
        header: ClinicRow = data["header"]
        self.cid, self.clinic_name, self.clinic_city = header["id"], header["name"], header["city"]
        self.timezone = header["timezone"]
        self.hours, self.closures = data["hours"], data["closures"]
        self.rooms, self.equipment = data["rooms"], data["equipment"]
        self.departments = [Option(value="none", label="No department"), *data["departments"]]
        self.room_choices = [Option(value="none", label="No fixed room"), *data["room_choices"]]
        self.loaded = True

    async def _run(self, change: Any = None, *, success: str = "", rename: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        """Apply ``change(db, principal, clinic_id)`` (if any), then reload the whole set-up."""

        def work(db, principal, clinic_id) -> dict[str, Any]:  # type: ignore[no-untyped-def]
            if change is not None:
                change(db, principal, clinic_id)
            kw = {"session": db, "principal": principal, "clinic_id": clinic_id}
            return {
                "header": clinic_setup.clinic_header(**kw),
                "hours": clinic_setup.opening_hours(**kw),
                "closures": clinic_setup.closures(**kw),
                "rooms": clinic_resources.rooms(**kw),
                "equipment": clinic_resources.equipment(**kw),
                "departments": clinic_resources.department_options(**kw),
                "room_choices": clinic_resources.room_options(**kw),
            }

        outcome = await page_call(self, for_route_clinic(self, work), on_denied="leave")
        if outcome.redirect is not None:
            self.reset()
            return outcome.redirect
        if outcome.error or outcome.value is None:
            errors = outcome.errors or {"form": outcome.error}
            self.errors = {(rename or {}).get(k, k): v for k, v in errors.items()}
            self.notice = ""
            return None
        self._fill(outcome.value)
        self.errors, self.notice = {}, success
        if change is not None:
            self.form_version += 1
        return None

    @rx.event
    async def load(self):
        self.reset()
        return await self._run()

    @rx.event
    async def save_hours(self, form: dict[str, Any]):
        """The week's hours at once: each weekday's opens_<n> / closes_<n> (both empty: closed)."""
        wanted = {n: (form_text(form, f"opens_{n}"), form_text(form, f"closes_{n}")) for n in range(7)}
        current = {h["weekday"]: (h["opens"], h["closes"]) for h in self.hours}

        def change(db, principal, clinic_id) -> None:  # type: ignore[no-untyped-def]
            for weekday, (opens, closes) in wanted.items():
                if current.get(weekday) != (opens, closes):
                    try:
                        clinic_setup.set_opening_hours(
                            session=db,
                            principal=principal,
                            clinic_id=clinic_id,
                            weekday=weekday,
                            opens=opens,
                            closes=closes,
                        )
                    except CatalogFormError as exc:
                        raise CatalogFormError({f"{k}_{weekday}": v for k, v in exc.errors.items()}) from None

        return await self._run(change, success="Opening hours saved.")

    @rx.event
    async def add_closure(self, form: dict[str, Any]):
        return await self._run(
            lambda db, p, c: clinic_setup.add_closure(
                session=db, principal=p, clinic_id=c, form={**form, "day": form.get("closure_day", "")}
            ),
            success="Closure added.",
            rename={"day": "closure_day"},
        )

    @rx.event
    async def remove_closure(self, closure_id: int):
        return await self._run(
            lambda db, p, c: clinic_setup.remove_closure(
                session=db, principal=p, clinic_id=c, closure_id=int(closure_id)
            ),
            success="Closure removed.",
        )

    @rx.event
    async def add_room(self, form: dict[str, Any]):
        return await self._run(
            lambda db, p, c: clinic_resources.add_room(session=db, principal=p, clinic_id=c, form=form),
            success="Room added.",
        )

    @rx.event
    async def set_room_active(self, room_id: int, active: bool):
        return await self._run(
            lambda db, p, c: clinic_resources.set_room_active(
                session=db, principal=p, clinic_id=c, room_id=int(room_id), active=bool(active)
            ),
            success="Room updated.",
        )

    @rx.event
    async def add_equipment(self, form: dict[str, Any]):
        return await self._run(
            lambda db, p, c: clinic_resources.add_equipment(
                session=db, principal=p, clinic_id=c, form={**form, "name": form.get("equipment_name", "")}
            ),
            success="Equipment added.",
            rename={"name": "equipment_name"},
        )

    @rx.event
    async def set_equipment_status(self, equipment_id: int, status: str):
        return await self._run(
            lambda db, p, c: clinic_resources.set_equipment_status(
                session=db, principal=p, clinic_id=c, equipment_id=int(equipment_id), status=str(status)
            ),
            success="Equipment status updated.",
        )
