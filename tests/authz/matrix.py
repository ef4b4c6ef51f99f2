"""The authorization matrix as data, built by enumeration so nothing is missed.

Three kinds of entry are enumerated from the app itself, never listed by hand:

* pages: every route registered with the app (``rx.page`` / the page decorator), with the roles
  the decorator declared (``shell.template.PAGE_ROLES``);
* event handlers: every event handler of every ``rx.State`` in the app's state tree (the app's
  own states and Reflex's internal ones: all are callable by name from any browser), plus
  every private method of the app's states, which must NOT be callable;
* API routes: every route of ``create_api()``, per HTTP method.

Each entry must have a ``Rule`` in the tables below: who may use it (public, any signed-in
user, or a set of roles), whether it takes an object (and so is tried on the caller's own
object and on someone else's), how an allowed call shows (``effect``) and what a hostile
client sends it. An entry without a rule fails ``test_every_entry_is_classified``: a new page,
handler or route is not done until it is classified here.
"""

from __future__ import annotations

import dataclasses
import inspect
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from mediconnect.models.users import Role

if TYPE_CHECKING:
    from tests.authz.world import Subject, World

PUBLIC = "public"
SIGNED_IN = "signed_in"
Access = str | frozenset[Role]

ALL_ROLES: frozenset[Role] = frozenset(Role)
SUBJECT_NAMES: tuple[str, ...] = ("anonymous", *(role.value for role in Role))

# What a hostile client writes where a value should never end up.
FORGED = "authz-forged-value"
NEW_PASSWORD = "Authz-matrix-pass-2026"


@dataclass
class Ctx:
    """One case: who calls, whose object, and the world to read current values from."""

    world: World
    subject: Subject
    victim: Subject
    which: str | None  # "own", "other" or None (entry takes no object)
    object_id: Any = None

    @property
    def other(self) -> bool:
        return self.which == "other"

    def hostile_ids(self) -> dict[str, Any]:
        """Every way a form or URL could name the victim instead of the caller."""
        v = self.victim
        return {
            "user_id": v.user_id,
            "id": v.user_id,
            "email": v.email,
            "patient_id": self.world.patient_id(v.user_id),
        }

    def hostile_query(self, path: str) -> str:
        if not self.other:
            return path
        ids = {k: v for k, v in self.hostile_ids().items() if v is not None}
        return path + "?" + "&".join(f"{k}={v}" for k, v in ids.items())


Payloads = Callable[[Ctx], list[dict[str, Any]]]
Prelude = Callable[[Ctx], list[tuple[str, dict[str, Any]]]]


def _none(_: Ctx) -> list[dict[str, Any]]:
    return [{}]


def _no_prelude(_: Ctx) -> list[tuple[str, dict[str, Any]]]:
    return []


@dataclass(frozen=True)
class Rule:
    access: Access
    why: str
    # The object the entry acts on: "self" (the caller's own account), "reset_token", or one of
    # the policy's object kinds ("patient", "appointment", "report", "invoice", "clinic").
    obj: str | None = None
    # Roles allowed on someone else's object (an admin on any patient, ...). With no ``obj``
    # (the admin pages): these roles may see and change every account's data.
    others: frozenset[Role] = frozenset()
    # How an allowed call shows: "profile" (own profile pushed), "dashboard", "db_write" (a
    # watched row of the caller changed), "victim_write" (a watched row of the victim changed),
    # "session_end", "download" (a file sent), "var:<state>.<name>" (that var pushed truthy).
    # None: nothing to observe.
    effect: str | None = None
    payloads: Payloads = _none
    prelude: Prelude = _no_prelude
    path: Callable[[Ctx], str] | None = None
    # Who the tab is after the call: "same", or "anonymous" (sign-out).
    identity_after: str = "same"
    # Path parameter that carries the object (pages "[name]", API "{name}").
    param: str | None = None
    # Strings that must never come back (forged values a hostile client tried to plant).
    forbidden: tuple[str, ...] = ()
    # Private methods: nothing may run at all.
    not_callable: bool = False
    # Every payload is an attack the server should refuse; a refusal by exception is fine.
    attack: bool = False

    def allows(self, role: Role | None, which: str | None) -> tuple[bool, str]:
        """(allowed?, why not): "anonymous", "role" or "object"."""
        if self.not_callable:
            return False, "not_callable"
        if self.access == PUBLIC:
            return True, ""
        if role is None:
            return False, "anonymous"
        if self.access != SIGNED_IN and role not in self.access:
            return False, "role"
        if which == "other" and role not in self.others:
            return False, "object"
        return True, ""


# --------------------------------------------------------------------------------------------
# Payload builders for the app's handlers


def _user(ctx: Ctx):  # type: ignore[no-untyped-def]
    assert ctx.subject.user_id is not None
    return ctx.world.user(ctx.subject.user_id)


def _hostile(ctx: Ctx, form: dict[str, Any]) -> dict[str, Any]:
    return {**form, **{k: v for k, v in ctx.hostile_ids().items() if v is not None}} if ctx.other else form


def contact_form(ctx: Ctx) -> list[dict[str, Any]]:
    if ctx.subject.user_id is None:
        form = {"first_name": FORGED, "last_name": FORGED, "phone": "+27 82 555 0100"}
    else:
        user = _user(ctx)
        form = {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": f"+27 82 {secrets.randbelow(900) + 100} {secrets.randbelow(9000) + 1000}",
            "address": "1 Authz Street",
            "city": "Authzville",
            "emergency_contact": "Authz Contact 0825550100",
        }
    return [{"form": _hostile(ctx, form)}]


def notification_prelude(ctx: Ctx) -> list[tuple[str, dict[str, Any]]]:
    email, sms = (
        (True, False) if ctx.subject.user_id is None else (_user(ctx).notify_email, _user(ctx).notify_sms)
    )
    return [
        ("ProfileState.set_notify_email", {"value": not email}),
        ("ProfileState.set_notify_sms", {"value": sms}),
    ]


def medical_aid_prelude(ctx: Ctx) -> list[tuple[str, dict[str, Any]]]:
    current = ctx.world.current_scheme(ctx.subject.user_id) if ctx.subject.user_id else ""
    code = next(c for c in ctx.world.scheme_codes() if c != current)
    return [("ProfileState.set_scheme_code", {"value": code})]


def medical_aid_form(ctx: Ctx) -> list[dict[str, Any]]:
    form = {"policy_number": f"AUTHZ{secrets.token_hex(4).upper()}", "dependant_code": "00"}
    return [{"form": _hostile(ctx, form)}]


def password_form(ctx: Ctx) -> list[dict[str, Any]]:
    from mediconnect.seed.demo_accounts import DEMO_PASSWORD

    form = {
        "current_password": DEMO_PASSWORD,
        "new_password": NEW_PASSWORD,
        "confirm_new_password": NEW_PASSWORD,
    }
    return [{"form": _hostile(ctx, form)}]


def profile_path(ctx: Ctx) -> str:
    return ctx.hostile_query("/profile/")


def reset_path(ctx: Ctx) -> str:
    return f"/password-reset/{ctx.object_id or 'not-a-real-token'}/"


def all_roles_payload(_: Ctx) -> list[dict[str, Any]]:
    # The guard takes the allowed roles from the event: a client can send any list, or a string.
    return [{"roles": sorted(r.value for r in Role)}, {"roles": ["admin"]}, {"roles": "admin"}, {"roles": []}]


def forged_client_storage(ctx: Ctx) -> list[dict[str, Any]]:
    """update_vars_internal only applies client-storage vars; try planting backend and plain vars."""
    from mediconnect.features.profile.state import ProfileState
    from mediconnect.features.shell.state import SessionState

    session, profile = SessionState.get_full_name(), ProfileState.get_full_name()
    return [
        {
            "vars": {
                f"{session}._user_id": ctx.victim.user_id,
                f"{session}._role": Role.ADMIN.value,
                f"{session}.first_name": FORGED,
                f"{profile}.email": FORGED,
                f"{profile}.loaded": True,
            }
        }
    ]


def setvar_variants(state_cls: type) -> Payloads:
    """setvar(name, value) calls ``set_<name>``: try every var of the state that has no setter
    (backend vars, computed vars, plain vars) with a forged value."""

    def build(ctx: Ctx) -> list[dict[str, Any]]:
        names = sorted(
            set(backend_var_names(state_cls)) | set(state_cls.computed_vars) | set(state_cls.base_vars)
        )
        out = []
        for name in names:
            if hasattr(state_cls, f"set_{name}"):
                continue  # a real event handler, classified and tried on its own
            value: Any = ctx.victim.user_id if name.endswith("_id") else FORGED
            if name == "_role":
                value = Role.ADMIN.value
            out.append({"var_name": name, "value": value})
        return out or [{"var_name": "authz_no_such_var", "value": FORGED}]

    return build


def backend_var_names(state_cls: type) -> list[str]:
    return [
        n for n in vars(state_cls).get("__annotations__", {}) if n.startswith("_") and not n.startswith("__")
    ]


# ---- admin pages: every call that acts on a user names the victim (a non-admin calling by
# name must not reach them); the admin's own call does reach them and is put back afterwards.

ADMINS: frozenset[Role] = frozenset({Role.ADMIN})
USERS_LOADED = "var:admin_users_state.loaded"
AUDIT_LOADED = "var:admin_audit_state.loaded"


def admin_users_path(_: Ctx) -> str:
    return "/admin/users/"


def admin_audit_path(_: Ctx) -> str:
    return "/admin/audit/"


def _victim_id(ctx: Ctx) -> int:
    assert ctx.victim.user_id is not None
    return ctx.victim.user_id


def _find_victim(ctx: Ctx) -> list[tuple[str, dict[str, Any]]]:
    """List just the victim (how an admin gets their row on the page before acting on it)."""
    return [("AdminUsersState.search", {"form": {"text": ctx.victim.email}})]


def _forge(state: str, **values: Any) -> list[tuple[str, dict[str, Any]]]:
    """setvar on setter-less vars: refused, but tried before the handler that reads them."""
    return [(f"{state}.setvar", {"var_name": k, "value": v}) for k, v in values.items()]


def deactivate_prelude(ctx: Ctx) -> list[tuple[str, dict[str, Any]]]:
    return [
        *_forge("AdminUsersState", confirm_action="deactivate", confirm_user_id=_victim_id(ctx)),
        *_find_victim(ctx),
        ("AdminUsersState.ask", {"action": "deactivate", "user_id": _victim_id(ctx)}),
    ]


def role_prelude(ctx: Ctx) -> list[tuple[str, dict[str, Any]]]:
    return [
        *_forge("AdminUsersState", role_user_id=_victim_id(ctx)),
        *_find_victim(ctx),
        ("AdminUsersState.open_role", {"user_id": _victim_id(ctx)}),
        ("AdminUsersState.set_role_choice", {"value": Role.ANALYTICS_STAFF.value}),
    ]


def _first_clinic(ctx: Ctx) -> str:
    with ctx.world.engine.connect() as conn:
        return str(conn.execute(sa.text("SELECT min(id) FROM clinics")).scalar() or 1)


def _first_doctor(ctx: Ctx) -> str:
    with ctx.world.engine.connect() as conn:
        return str(conn.execute(sa.text("SELECT min(id) FROM doctors")).scalar() or 1)


def _victim_affiliation(ctx: Ctx) -> str:
    """A key of one of the victim's affiliations ("staff:N" / "doctor:N")."""
    with ctx.world.engine.connect() as conn:
        staff = conn.execute(
            sa.text("SELECT min(id) FROM staff_assignments WHERE user_id = :u"), {"u": _victim_id(ctx)}
        ).scalar()
        doctor = conn.execute(
            sa.text(
                "SELECT min(a.id) FROM doctor_clinic_affiliations a"
                " JOIN doctors d ON d.id = a.doctor_id WHERE d.user_id = :u"
            ),
            {"u": _victim_id(ctx)},
        ).scalar()
    return f"staff:{staff}" if staff else f"doctor:{doctor or 0}"


def affiliations_prelude(ctx: Ctx) -> list[tuple[str, dict[str, Any]]]:
    return [
        *_forge("AffiliationsState", user_id=_victim_id(ctx)),
        ("AffiliationsState.open_for", {"user_id": _victim_id(ctx)}),
        ("AffiliationsState.set_clinic_choice", {"value": _first_clinic(ctx)}),
        ("AffiliationsState.set_doctor_choice", {"value": _first_doctor(ctx)}),
    ]


def remove_prelude(ctx: Ctx) -> list[tuple[str, dict[str, Any]]]:
    return [
        *affiliations_prelude(ctx),
        ("AffiliationsState.ask_remove", {"key": _victim_affiliation(ctx)}),
    ]


def staff_form(ctx: Ctx) -> list[dict[str, Any]]:
    """A complete form for a non-admin (the account would exist if the check were missing); an
    admin's is sent empty, so nothing is created that the matrix would have to remove."""
    if ctx.subject.role == Role.ADMIN:
        return [{"form": {}}]
    tag = secrets.token_hex(4)
    form = {"email": f"authz-{tag}@example.test", "first_name": "Authz", "last_name": f"Staff{tag}"}
    return [{"form": {**form, "phone": "+27 82 555 0199"}}]


def staff_prelude(ctx: Ctx) -> list[tuple[str, dict[str, Any]]]:
    return [("CreateStaffState.set_role", {"value": Role.ADMIN.value})]


# --------------------------------------------------------------------------------------------
# The tables


PAGES: dict[str, Rule] = {
    "/": Rule(PUBLIC, "landing page, no personal data"),
    "/login/": Rule(PUBLIC, "sign-in form; a signed-in visitor is sent on"),
    "/register/": Rule(PUBLIC, "patients and referring doctors sign themselves up"),
    "/logout/": Rule(
        PUBLIC, "ends the visitor's own session", effect="session_end", identity_after="anonymous"
    ),
    "/password-reset/": Rule(PUBLIC, "asks for a reset link"),
    "/password-reset/[token]/": Rule(
        PUBLIC,
        "the link's token is the credential; the page must show nothing of its owner",
        obj="reset_token",
        param="token",
    ),
    "/dashboard/": Rule(SIGNED_IN, "each role's dashboard (placeholder until built)", effect="dashboard"),
    "/profile/": Rule(SIGNED_IN, "the caller's own profile", effect="profile"),
    "404": Rule(PUBLIC, "not-found page"),
    "/admin/users/": Rule(ADMINS, "every account", others=ADMINS, effect=USERS_LOADED),
    "/admin/audit/": Rule(ADMINS, "the audit trail", others=ADMINS, effect=AUDIT_LOADED),
}

HANDLERS: dict[str, Rule] = {
    # ---- shell: who is looking
    "SessionState.load_session": Rule(PUBLIC, "refreshes the caller's own session"),
    "SessionState.require_roles": Rule(
        PUBLIC,
        "a redirect guard only; grants nothing (data handlers check again)",
        payloads=all_roles_payload,
    ),
    "SessionState.sign_out": Rule(
        PUBLIC, "ends the caller's own session", effect="session_end", identity_after="anonymous"
    ),
    "SessionState.watch_idle": Rule(PUBLIC, "background idle watcher of the caller's own session"),
    # ---- sign-in pages (forms are sent empty or invalid: nothing is created, no lockout counted)
    "LoginState.load": Rule(PUBLIC, "sign-in page"),
    "LoginState.submit": Rule(PUBLIC, "sign-in form", payloads=lambda ctx: [{"form": {}}]),
    "LoginState.start_sso": Rule(PUBLIC, "binds single sign-on to this tab's own client token"),
    "RegisterState.load": Rule(PUBLIC, "registration page"),
    "RegisterState.set_role": Rule(
        PUBLIC,
        "only patient / referring_doctor are accepted",
        payloads=lambda ctx: [{"value": Role.ADMIN.value}, {"value": Role.REFERRING_DOCTOR.value}],
    ),
    "RegisterState.submit": Rule(PUBLIC, "registration form", payloads=lambda ctx: [{"form": {}}]),
    "ResetRequestState.load": Rule(PUBLIC, "reset request page"),
    "ResetRequestState.submit": Rule(
        PUBLIC, "reset request form", payloads=lambda ctx: [{"form": {"email": "not-an-email"}}]
    ),
    "ResetFinishState.load": Rule(
        PUBLIC, "checks the link token; shows nothing of its owner", obj="reset_token", path=reset_path
    ),
    "ResetFinishState.submit": Rule(
        PUBLIC,
        "new password for the link's owner (mismatched here: nothing changes)",
        obj="reset_token",
        path=reset_path,
        payloads=lambda ctx: [{"form": {"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD + "x"}}],
    ),
    # ---- dashboard
    "DashboardState.load": Rule(SIGNED_IN, "the caller's own dashboard", effect="dashboard"),
    # ---- profile: the caller's own account only; "other" = the victim named in form and URL
    "ProfileState.load": Rule(SIGNED_IN, "own profile", obj="self", effect="profile", path=profile_path),
    "ProfileState.set_notify_email": Rule(PUBLIC, "form input only", payloads=lambda ctx: [{"value": False}]),
    "ProfileState.set_notify_sms": Rule(PUBLIC, "form input only", payloads=lambda ctx: [{"value": False}]),
    "ProfileState.set_scheme_code": Rule(PUBLIC, "form input only", payloads=lambda ctx: [{"value": FORGED}]),
    "ProfileState.save_contact": Rule(
        SIGNED_IN,
        "own contact details",
        obj="self",
        effect="db_write",
        payloads=contact_form,
        path=profile_path,
    ),
    "ProfileState.save_notifications": Rule(
        SIGNED_IN,
        "own notification preferences",
        obj="self",
        effect="db_write",
        prelude=notification_prelude,
        path=profile_path,
    ),
    "ProfileState.save_medical_aid": Rule(
        frozenset({Role.PATIENT}),
        "a patient's own medical aid",
        obj="self",
        effect="db_write",
        prelude=medical_aid_prelude,
        payloads=medical_aid_form,
        path=profile_path,
    ),
    "ProfileState.change_password": Rule(
        SIGNED_IN, "own password", obj="self", effect="db_write", payloads=password_form, path=profile_path
    ),
    # ---- /admin/users/: admins only; every data handler goes through admin_call (server-side
    # session + require_admin). "form input only": the caller's own form / dialog fields.
    "AdminUsersState.load": Rule(
        ADMINS, "every account", others=ADMINS, effect=USERS_LOADED, path=admin_users_path
    ),
    "AdminUsersState.refresh": Rule(
        ADMINS, "every account", others=ADMINS, effect=USERS_LOADED, path=admin_users_path
    ),
    "AdminUsersState.search": Rule(
        ADMINS,
        "finds any account",
        others=ADMINS,
        effect=USERS_LOADED,
        path=admin_users_path,
        payloads=lambda ctx: [{"form": {"text": ctx.victim.email}}],
    ),
    "AdminUsersState.show_user": Rule(
        ADMINS,
        "lists the account just created",
        others=ADMINS,
        effect=USERS_LOADED,
        path=admin_users_path,
        payloads=lambda ctx: [{"email": ctx.victim.email}],
    ),
    "AdminUsersState.set_role_filter": Rule(
        ADMINS,
        "filter + reload",
        others=ADMINS,
        effect=USERS_LOADED,
        path=admin_users_path,
        payloads=lambda ctx: [{"value": Role.ADMIN.value}],
    ),
    "AdminUsersState.set_status_filter": Rule(
        ADMINS,
        "filter + reload",
        others=ADMINS,
        effect=USERS_LOADED,
        path=admin_users_path,
        payloads=lambda ctx: [{"value": "inactive"}],
    ),
    "AdminUsersState.set_clinic_filter": Rule(
        ADMINS,
        "filter + reload",
        others=ADMINS,
        effect=USERS_LOADED,
        path=admin_users_path,
        payloads=lambda ctx: [{"value": _first_clinic(ctx)}],
    ),
    "AdminUsersState.sort_by": Rule(
        ADMINS,
        "sort + reload",
        others=ADMINS,
        effect=USERS_LOADED,
        path=admin_users_path,
        payloads=lambda ctx: [{"column": "email"}],
    ),
    "AdminUsersState.prev_page": Rule(
        ADMINS, "paging", others=ADMINS, effect=USERS_LOADED, path=admin_users_path
    ),
    "AdminUsersState.next_page": Rule(
        ADMINS, "paging", others=ADMINS, effect=USERS_LOADED, path=admin_users_path
    ),
    "AdminUsersState.ask": Rule(
        PUBLIC,
        "form input only (opens the confirmation for a row already on the caller's page)",
        payloads=lambda ctx: [{"action": "deactivate", "user_id": _victim_id(ctx)}],
    ),
    "AdminUsersState.set_confirm_open": Rule(
        PUBLIC, "form input only", payloads=lambda ctx: [{"value": False}]
    ),
    "AdminUsersState.cancel_confirm": Rule(PUBLIC, "form input only"),
    "AdminUsersState.confirm": Rule(
        ADMINS,
        "deactivates / reactivates the victim",
        others=ADMINS,
        effect="victim_write",
        prelude=deactivate_prelude,
        path=admin_users_path,
    ),
    "AdminUsersState.open_role": Rule(
        PUBLIC,
        "form input only (opens the dialog for a row already on the caller's page)",
        payloads=lambda ctx: [{"user_id": _victim_id(ctx)}],
    ),
    "AdminUsersState.close_role": Rule(PUBLIC, "form input only"),
    "AdminUsersState.set_role_open": Rule(PUBLIC, "form input only", payloads=lambda ctx: [{"value": False}]),
    "AdminUsersState.set_role_choice": Rule(
        PUBLIC, "form input only", payloads=lambda ctx: [{"value": Role.ADMIN.value}]
    ),
    "AdminUsersState.save_role": Rule(
        ADMINS,
        "changes the victim's role",
        others=ADMINS,
        effect="victim_write",
        prelude=role_prelude,
        path=admin_users_path,
        payloads=lambda ctx: [{"form": {}}],
    ),
    # ---- /admin/users/ "New staff account" dialog
    "CreateStaffState.start": Rule(PUBLIC, "form input only (opens the empty dialog)"),
    "CreateStaffState.set_open": Rule(PUBLIC, "form input only", payloads=lambda ctx: [{"value": False}]),
    "CreateStaffState.set_role": Rule(
        PUBLIC, "form input only", payloads=lambda ctx: [{"value": Role.ADMIN.value}]
    ),
    "CreateStaffState.set_mode": Rule(PUBLIC, "form input only", payloads=lambda ctx: [{"value": "email"}]),
    "CreateStaffState.set_radiologist": Rule(
        PUBLIC, "form input only", payloads=lambda ctx: [{"value": True}]
    ),
    "CreateStaffState.submit": Rule(
        ADMINS,
        "creates a staff account (an admin one, if the check were missing)",
        others=ADMINS,
        prelude=staff_prelude,
        payloads=staff_form,
        path=admin_users_path,
    ),
    # ---- /admin/users/ "Clinics and assignments" dialog: the victim's affiliations
    "AffiliationsState.open_for": Rule(
        ADMINS,
        "the victim's affiliations",
        others=ADMINS,
        effect="var:affiliations_state.open",
        path=admin_users_path,
        payloads=lambda ctx: [{"user_id": _victim_id(ctx)}],
    ),
    "AffiliationsState.set_open": Rule(
        ADMINS,
        "closing asks for AdminUsersState.refresh (a list load)",
        others=ADMINS,
        path=admin_users_path,
        payloads=lambda ctx: [{"value": False}],
    ),
    "AffiliationsState.set_clinic_choice": Rule(
        PUBLIC, "form input only", payloads=lambda ctx: [{"value": FORGED}]
    ),
    "AffiliationsState.set_clinic_role": Rule(
        PUBLIC, "form input only", payloads=lambda ctx: [{"value": FORGED}]
    ),
    "AffiliationsState.set_primary": Rule(PUBLIC, "form input only", payloads=lambda ctx: [{"value": True}]),
    "AffiliationsState.set_doctor_choice": Rule(
        PUBLIC, "form input only", payloads=lambda ctx: [{"value": FORGED}]
    ),
    "AffiliationsState.ask_remove": Rule(
        PUBLIC, "form input only", payloads=lambda ctx: [{"key": _victim_affiliation(ctx)}]
    ),
    "AffiliationsState.cancel_remove": Rule(PUBLIC, "form input only"),
    "AffiliationsState.add_clinic": Rule(
        ADMINS,
        "adds a clinic to the victim",
        others=ADMINS,
        prelude=affiliations_prelude,
        path=admin_users_path,
    ),
    "AffiliationsState.add_doctor": Rule(
        ADMINS,
        "assigns the victim to a doctor's accounts",
        others=ADMINS,
        prelude=affiliations_prelude,
        path=admin_users_path,
    ),
    "AffiliationsState.remove": Rule(
        ADMINS,
        "ends one of the victim's affiliations",
        others=ADMINS,
        prelude=remove_prelude,
        path=admin_users_path,
    ),
    # ---- /admin/audit/: admins only (audit_search checks require_admin on every call)
    "AdminAuditState.load": Rule(
        ADMINS, "the audit trail", others=ADMINS, effect=AUDIT_LOADED, path=admin_audit_path
    ),
    "AdminAuditState.search": Rule(
        ADMINS,
        "searches the audit trail",
        others=ADMINS,
        effect=AUDIT_LOADED,
        path=admin_audit_path,
        payloads=lambda ctx: [{"form": {"user": ctx.victim.email}}, {"form": {}}],
    ),
    "AdminAuditState.clear": Rule(
        ADMINS, "reloads the audit trail", others=ADMINS, effect=AUDIT_LOADED, path=admin_audit_path
    ),
    "AdminAuditState.prev_page": Rule(
        ADMINS, "paging", others=ADMINS, effect=AUDIT_LOADED, path=admin_audit_path
    ),
    "AdminAuditState.next_page": Rule(
        ADMINS, "paging", others=ADMINS, effect=AUDIT_LOADED, path=admin_audit_path
    ),
    "AdminAuditState.export_csv": Rule(
        ADMINS, "the audit trail as CSV", others=ADMINS, effect="download", path=admin_audit_path
    ),
    "AdminAuditState.verify": Rule(
        ADMINS,
        "checks the audit hash chain",
        others=ADMINS,
        effect="var:admin_audit_state.verified",
        path=admin_audit_path,
    ),
    # ---- Reflex's own states: callable by any client, so tried as hostile input too
    "State.hydrate": Rule(PUBLIC, "Reflex: resend the tab's own state"),
    "State.hydrate_and_load": Rule(PUBLIC, "Reflex: connect-time hydrate + on_load of the current page"),
    "State.set_is_hydrated": Rule(PUBLIC, "Reflex: UI flag", payloads=lambda ctx: [{"value": True}]),
    "FrontendEventExceptionState.handle_frontend_exception": Rule(
        PUBLIC,
        "Reflex: logs a frontend error",
        payloads=lambda ctx: [{"info": "authz", "component_stack": ""}],
    ),
    "OnLoadInternalState.on_load_internal": Rule(
        PUBLIC, "Reflex: runs the current page's on_load (pages tested)"
    ),
    "OnLoadInternalState.set_is_hydrated": Rule(
        PUBLIC, "Reflex: UI flag", payloads=lambda ctx: [{"value": True}]
    ),
    "UpdateVarsInternalState.update_vars_internal": Rule(
        PUBLIC,
        "Reflex: applies client-storage vars only; forged backend vars must be ignored",
        payloads=forged_client_storage,
        forbidden=(FORGED,),
        attack=True,
    ),
}

# Every state's generic setter; the payloads are built per state (see setvar_variants).
SETVAR = Rule(
    PUBLIC,
    "Reflex: setvar(name, v) only reaches the state's set_<name> handlers (classified one by one); "
    "backend, computed and setter-less vars are refused",
    forbidden=(FORGED,),
    attack=True,
)

# API routes: "METHOD path" ("*" = every method; HEAD follows GET).
API: dict[str, Rule] = {
    "GET /api/health": Rule(PUBLIC, "status of the database and Redis, no personal data"),
    "* /api/{rest:path}": Rule(PUBLIC, "unknown /api/ paths answer 404 JSON", param="rest"),
    # API tokens (api/auth.py): the credentials are in the body; sent empty here (400).
    "POST /api/auth/token": Rule(PUBLIC, "email + password -> tokens"),
    "POST /api/auth/refresh": Rule(PUBLIC, "refresh token -> new pair"),
    "POST /api/auth/revoke": Rule(PUBLIC, "refresh token -> revoked"),
    "GET /api/auth/me": Rule(SIGNED_IN, "the Bearer's own account"),
    # Single sign-on (api/oidc.py): browser navigations answered with redirects.
    "GET /api/auth/oidc/start": Rule(PUBLIC, "needs this tab's signed binding cookie; redirects"),
    "GET /api/auth/oidc/callback": Rule(PUBLIC, "provider redirect back; refusals go to /login/"),
}


def _merge_feature_rules() -> None:
    """Each feature classifies its own entries in ``tests/authz/rules/<feature>.py`` (module-level
    ``PAGES``, ``HANDLERS`` and ``API`` dicts, built with the helpers above). A key classified
    twice is an error, not a silent override."""
    import importlib
    import pkgutil

    from tests.authz import rules

    for info in sorted(pkgutil.iter_modules(rules.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"tests.authz.rules.{info.name}")
        for table, name in ((PAGES, "PAGES"), (HANDLERS, "HANDLERS"), (API, "API")):
            extra: dict[str, Rule] = getattr(module, name, {})
            twice = table.keys() & extra.keys()
            assert not twice, f"{info.name}.{name} classifies again: {sorted(twice)}"
            table.update(extra)


_merge_feature_rules()

# The probe that says who a tab is after a case (must be SIGNED_IN with effect "profile").
IDENTITY_PROBE = "ProfileState.load"


# --------------------------------------------------------------------------------------------
# Enumeration


@dataclass(frozen=True)
class Entry:
    kind: str  # "page", "handler", "api"
    key: str  # table key
    rule: Rule | None
    # page: the route; handler: the state class and handler name; api: method and path.
    target: Any = None
    detail: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


def normalise_route(route: str) -> str:
    if route in ("404", "/404", "404/"):
        return "404"
    inner = route.strip("/")
    if inner in ("", "index"):
        return "/"
    return f"/{inner}/"


@cache
def _app():  # type: ignore[no-untyped-def]
    from mediconnect.app import app

    return app


def enumerate_pages() -> list[Entry]:
    from mediconnect.features.shell.template import PAGE_ROLES

    app = _app()
    routes: set[str] = set()
    for _render, kwargs in app._registration_context.decorated_pages:
        routes.add(normalise_route(str(kwargs.get("route", ""))))
    for route in app._unevaluated_pages:
        routes.add(normalise_route(str(route)))
    declared = {normalise_route(r): roles for r, roles in PAGE_ROLES.items()}
    out = []
    for route in sorted(routes):
        out.append(
            Entry(
                "page",
                route,
                PAGES.get(route),
                target=route,
                detail={"declared": route in declared, "declared_roles": declared.get(route)},
            )
        )
    return out


def _walk_states(cls: type) -> Iterator[type]:
    yield cls
    for sub in sorted(cls.get_substates(), key=lambda c: c.get_full_name()):  # type: ignore[attr-defined]
        yield from _walk_states(sub)


def app_states() -> list[type]:
    import reflex as rx

    _app()
    return list(_walk_states(rx.State))


def enumerate_handlers() -> list[Entry]:
    out = []
    names: dict[str, str] = {}
    for cls in app_states():
        short = cls.__name__
        assert names.setdefault(short, cls.get_full_name()) == cls.get_full_name(), (
            f"two states named {short}: the matrix keys handlers by class name"
        )
        for handler in sorted(cls.event_handlers):
            key = f"{short}.{handler}"
            if handler == "setvar":
                rule: Rule | None = dataclasses.replace(SETVAR, payloads=setvar_variants(cls))
            else:
                rule = HANDLERS.get(key)
            out.append(
                Entry(
                    "handler",
                    key,
                    rule,
                    target=(cls, handler),
                    detail={
                        "full_name": f"{cls.get_full_name()}.{handler}",
                        "app": cls.__module__.startswith("mediconnect."),
                        "background": bool(getattr(cls.event_handlers[handler], "is_background", False)),
                    },
                )
            )
        if cls.__module__.startswith("mediconnect."):
            for name, value in vars(cls).items():
                if name.startswith("_") and not name.startswith("__") and inspect.isfunction(value):
                    params = [p for p in inspect.signature(value).parameters if p != "self"]
                    out.append(
                        Entry(
                            "handler",
                            f"{short}.{name}",
                            Rule(PUBLIC, "private method: not an event handler", not_callable=True),
                            target=(cls, name),
                            detail={
                                "full_name": f"{cls.get_full_name()}.{name}",
                                "app": True,
                                "payload": dict.fromkeys(params),
                            },
                        )
                    )
    return out


def enumerate_api() -> list[Entry]:
    from starlette.routing import Mount, Route, WebSocketRoute

    from mediconnect.api.router import create_api

    def walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
        for route in routes:
            if isinstance(route, Mount):
                yield from walk(list(route.routes), prefix + route.path)
            elif isinstance(route, WebSocketRoute):
                yield "WS", prefix + route.path
            elif isinstance(route, Route):
                for method in sorted(route.methods or {"GET"}):
                    yield method, prefix + route.path

    out = []
    for method, path in walk(list(create_api().routes)):
        rule = API.get(f"{method} {path}") or API.get(f"* {path}")
        if rule is None and method == "HEAD":
            rule = API.get(f"GET {path}")
        out.append(Entry("api", f"{method} {path}", rule, target=(method, path)))
    return out


def enumerate_all() -> list[Entry]:
    return [*enumerate_pages(), *enumerate_handlers(), *enumerate_api()]


def declared_access(roles: frozenset[Role] | None) -> Access:
    if roles is None:
        return PUBLIC
    return SIGNED_IN if roles == ALL_ROLES else roles


def rule_access_as_roles(access: Access) -> frozenset[Role] | None:
    if access == PUBLIC:
        return None
    if access == SIGNED_IN:
        return ALL_ROLES
    assert isinstance(access, frozenset)
    return access


def stale_rules() -> list[str]:
    """Rules naming nothing the app has (kept visible so renamed entries are not missed)."""
    keys = {e.key for e in enumerate_all()}
    return sorted(
        [f"page {k}" for k in PAGES if k not in keys]
        + [f"handler {k}" for k in HANDLERS if k not in keys]
        + [
            f"api {k}"
            for k in API
            if not any(e.key.endswith(" " + k.split(" ", 1)[1]) for e in enumerate_api())
        ]
    )
