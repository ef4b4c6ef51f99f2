"""Authorization rules of the catalogue and clinic set-up pages (features/catalog).

/manage/services/ is for admins (services are sold by every clinic). /manage/clinics/ and
/manage/clinics/[clinic_id]/ are for admins (every clinic) and clinic staff (their own
clinics); every data handler reads the clinic from the URL and the service checks the caller
against it (``catalog_access.managed_clinic``).

The object kind ``managed_clinic`` (own: a clinic the subject may manage, or for roles that
manage none, the seed's clinic; other: a clinic that is not theirs) comes from the world, which
adds a second, empty clinic ("AUTHZ2") because the tiny seed has only one. The set-up
tables are not fingerprinted by the world, so writes are judged by their effect (a success
notice pushed to the tab) and by the canary scan; the service tests cover the other-clinic
refusals row by row (tests/services/test_catalog_admin.py).
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from mediconnect.models.users import Role
from tests.authz.matrix import ADMINS, PUBLIC, Ctx, Rule

MANAGERS: frozenset[Role] = frozenset({Role.ADMIN, Role.CLINIC_STAFF})
SECOND_CLINIC = "AUTHZ2"


def clinic_path(ctx: Ctx) -> str:
    return f"/manage/clinics/{ctx.object_id}/"


def services_path(_: Ctx) -> str:
    return "/manage/services/"


def _far_day() -> str:
    """A random day years ahead: concurrent allowed cases never collide on it."""
    return (date.today() + timedelta(days=400 + secrets.randbelow(3000))).isoformat()


def _first_service(ctx: Ctx) -> int:
    with ctx.world.engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT min(id) FROM services WHERE is_active")).scalar() or 0)


def _hours_form(ctx: Ctx) -> list[dict[str, Any]]:
    """The clinic's current hours, unchanged: saving them moves nothing."""
    form: dict[str, str] = {f"{k}_{n}": "" for n in range(7) for k in ("opens", "closes")}
    with ctx.world.engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT weekday, opens_at, closes_at FROM clinic_opening_hours WHERE clinic_id = :c"),
            {"c": ctx.object_id},
        ).all()
    for weekday, opens, closes in rows:
        form[f"opens_{weekday}"], form[f"closes_{weekday}"] = str(opens)[:5], str(closes)[:5]
    return [{"form": form}]


def _service_form(_: Ctx) -> list[dict[str, Any]]:
    tag = secrets.token_hex(3).upper()
    return [
        {
            "form": {
                "code": f"AZ{tag}",
                "name": f"Authz service {tag}",
                "category": "diagnostics",
                "modality": "xray",
                "department_name": "Radiology",
                "duration_minutes": "15",
                "price": "100.00",
                "cost": "10.00",
                "room_type": "imaging",
            }
        }
    ]


def _staff_user(ctx: Ctx) -> str:
    return str(ctx.world.subjects["clinic_staff"].user_id)


def _clinic(effect: str | None, why: str, **kw: Any) -> Rule:
    return Rule(MANAGERS, why, obj="managed_clinic", others=ADMINS, effect=effect, path=clinic_path, **kw)


SETUP_NOTICE = "var:clinic_setup_state.notice"
SETUP_LOADED = "var:clinic_setup_state.loaded"
SERVICES_LOADED = "var:manage_services_state.loaded"
FORM_ONLY = "form input only"

PAGES: dict[str, Rule] = {
    "/manage/services/": Rule(ADMINS, "the service catalogue", others=ADMINS, effect=SERVICES_LOADED),
    "/manage/clinics/": Rule(
        MANAGERS, "the clinics the caller may manage", others=ADMINS, effect="var:manage_clinics_state.loaded"
    ),
    "/manage/clinics/[clinic_id]/": Rule(
        MANAGERS,
        "one clinic's set-up: admins any clinic, staff their own",
        obj="managed_clinic",
        others=ADMINS,
        param="clinic_id",
        effect=SETUP_LOADED,
    ),
}

HANDLERS: dict[str, Rule] = {
    # ---- /manage/services/ (catalog_admin: admin_only on every call)
    "ManageServicesState.load": Rule(
        ADMINS, "the catalogue", others=ADMINS, effect=SERVICES_LOADED, path=services_path
    ),
    "ManageServicesState.search": Rule(
        ADMINS,
        "searches the catalogue",
        others=ADMINS,
        effect=SERVICES_LOADED,
        path=services_path,
        payloads=lambda ctx: [{"form": {"search": "x"}}],
    ),
    "ManageServicesState.set_show_inactive": Rule(
        ADMINS,
        "filter + reload",
        others=ADMINS,
        effect=SERVICES_LOADED,
        path=services_path,
        payloads=lambda ctx: [{"value": False}],
    ),
    "ManageServicesState.prev_page": Rule(
        ADMINS, "paging", others=ADMINS, effect=SERVICES_LOADED, path=services_path
    ),
    "ManageServicesState.next_page": Rule(
        ADMINS, "paging", others=ADMINS, effect=SERVICES_LOADED, path=services_path
    ),
    "ManageServicesState.open_new": Rule(PUBLIC, FORM_ONLY + " (opens the empty dialog)"),
    "ManageServicesState.open_edit": Rule(
        PUBLIC,
        FORM_ONLY + " (a row already on the caller's page; nothing is read)",
        payloads=lambda ctx: [{"service_id": _first_service(ctx)}],
    ),
    "ManageServicesState.set_edit_open": Rule(PUBLIC, FORM_ONLY, payloads=lambda ctx: [{"value": False}]),
    "ManageServicesState.save": Rule(
        ADMINS,
        "creates a service",
        others=ADMINS,
        effect="var:manage_services_state.notice",
        path=services_path,
        payloads=_service_form,
    ),
    "ManageServicesState.set_active": Rule(
        ADMINS,
        "(re)activates a service (an active one here: nothing changes)",
        others=ADMINS,
        effect="var:manage_services_state.notice",
        path=services_path,
        payloads=lambda ctx: [{"service_id": _first_service(ctx), "active": True}],
    ),
    # ---- /manage/clinics/
    "ManageClinicsState.load": Rule(
        MANAGERS,
        "the clinics the caller may manage",
        others=ADMINS,
        effect="var:manage_clinics_state.loaded",
        path=lambda ctx: "/manage/clinics/",
    ),
    # ---- /manage/clinics/[clinic_id]/: hours, closures, rooms, equipment
    "ClinicSetupState.load": _clinic(SETUP_LOADED, "the clinic's set-up"),
    "ClinicSetupState.save_hours": _clinic(
        SETUP_NOTICE, "saves the week's hours (unchanged here)", payloads=_hours_form
    ),
    "ClinicSetupState.add_closure": _clinic(
        SETUP_NOTICE,
        "adds a closure",
        payloads=lambda ctx: [{"form": {"closure_day": _far_day(), "reason": "Authz closure"}}],
    ),
    "ClinicSetupState.remove_closure": _clinic(
        None, "removes a closure (none with this id: refused)", payloads=lambda ctx: [{"closure_id": 0}]
    ),
    "ClinicSetupState.add_room": _clinic(
        SETUP_NOTICE,
        "adds a room",
        payloads=lambda ctx: [{"form": {"name": f"Authz {secrets.token_hex(3)}", "room_type": "imaging"}}],
    ),
    "ClinicSetupState.set_room_active": _clinic(
        None,
        "a room in or out of use (no such room: refused)",
        payloads=lambda ctx: [{"room_id": 0, "active": False}],
    ),
    "ClinicSetupState.add_equipment": _clinic(
        SETUP_NOTICE,
        "adds equipment",
        payloads=lambda ctx: [
            {
                "form": {
                    "equipment_name": f"Authz {secrets.token_hex(3)}",
                    "modality": "xray",
                    "interval_days": "90",
                }
            }
        ],
    ),
    "ClinicSetupState.set_equipment_status": _clinic(
        None,
        "equipment status (no such equipment: refused)",
        payloads=lambda ctx: [{"equipment_id": 0, "status": "retired"}],
    ),
    # ---- maintenance tab
    "MaintenanceState.load": _clinic("var:maintenance_state.loaded", "the clinic's maintenance windows"),
    "MaintenanceState.add": _clinic(
        "var:maintenance_state.notice",
        "schedules a night window years ahead (no bookings then)",
        payloads=lambda ctx: [
            {
                "form": {
                    "title": "Authz window",
                    "target": "clinic",
                    "starts_day": (day := _far_day()),
                    "starts_time": "01:00",
                    "ends_day": day,
                    "ends_time": "02:00",
                }
            }
        ],
    ),
    "MaintenanceState.cancel": _clinic(
        None, "cancels a window (no such window: refused)", payloads=lambda ctx: [{"window_id": 0}]
    ),
    # ---- duty roster tab
    "RosterState.load": _clinic("var:roster_state.loaded", "the clinic's roster"),
    "RosterState.prev_week": _clinic("var:roster_state.loaded", "roster paging"),
    "RosterState.next_week": _clinic("var:roster_state.loaded", "roster paging"),
    "RosterState.this_week": _clinic("var:roster_state.loaded", "roster paging"),
    "RosterState.add": _clinic(
        None,
        "adds a shift for the clinic's staff member (refused at a clinic they do not work at)",
        payloads=lambda ctx: [
            {
                "form": {
                    "user_id": _staff_user(ctx),
                    "duty_role": "reception",
                    "day": _far_day(),
                    "starts": "08:00",
                    "ends": "09:00",
                }
            }
        ],
    ),
    "RosterState.cancel": _clinic(
        None, "cancels a shift (no such shift: refused)", payloads=lambda ctx: [{"shift_id": 0}]
    ),
}
