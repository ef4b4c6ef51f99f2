"""Authorization rules of the dashboards' API (mediconnect/api/dashboards.py, dashboard_ws.py)
and its documentation (api/openapi.py).

Every dashboard route calls ``dashboards.service``, which checks ``core.policy`` before
anything else (the spec's Permission Matrix):

* doctor dashboard and analytics (``GET /api/dashboard/doctor/``, also reached as
  ``/api/dashboard/{dashboard_type}/`` with type ``doctor``; ``GET /api/dashboard/doctor/analytics/``):
  a doctor their own; an admin any doctor, named with ``?doctor_id=``; every other role DASH_002;
  a doctor naming another doctor DASH_006. The matrix has no "doctor" object kind, so these rules
  take ``obj="self"`` and build the URL: "own" is the subject's own dashboard (an admin: the first
  doctor), "other" a doctor that is not the subject. The other dashboard types of that route are DASH_001 for
  everyone (tests/api/test_dashboards_api.py), so the matrix probes it with ``doctor``.
* clinic dashboard (``GET /api/clinics/{clinic_id}/dashboard/``) and the live socket
  (``WS /ws/dashboard/{dashboard_type}/``, probed as ``clinic`` with ``?clinic_id=``): admin any
  clinic, a doctor an affiliated one, clinic staff their own (``require_clinic``); the socket
  refuses with an error frame carrying the code and a 4403 close, an anonymous handshake with 401.
* ``/api/openapi.json`` and ``/api/docs/``: public, the interface only, no data.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from tests.authz.matrix import PUBLIC, Ctx, Rule
from tests.authz.matrix import Role as R

ADMIN = frozenset({R.ADMIN})
DOCTOR_VIEWERS = frozenset({R.ADMIN, R.DOCTOR})
CLINIC_VIEWERS = frozenset({R.ADMIN, R.DOCTOR, R.CLINIC_STAFF})
ANALYTICS = "/api/dashboard/doctor/analytics/"


def _doctor_ids(ctx: Ctx) -> tuple[int | None, int | None]:
    """(the subject's own doctor id, the first doctor that is not the subject)."""
    with ctx.world.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, user_id FROM doctors ORDER BY id")).all()
    own = next((d for d, u in rows if u == ctx.subject.user_id), None)
    other = next((d for d, u in rows if u != ctx.subject.user_id), None)
    return own, other


def doctor_url(base: str, query: str = "") -> Callable[[Ctx], str]:
    def build(ctx: Ctx) -> str:
        _own, other = _doctor_ids(ctx)
        params = [query] if query else []
        if ctx.other:
            params.append(f"doctor_id={other}")
        elif ctx.subject.role is R.ADMIN:
            params.append(f"doctor_id={other}")  # an admin's "own" view: any doctor it names
        return base + ("?" + "&".join(params) if params else "")

    return build


def clinic_socket(ctx: Ctx) -> str:
    return f"/ws/dashboard/clinic/?clinic_id={ctx.object_id}"


API: dict[str, Rule] = {
    "GET /api/dashboard/doctor/": Rule(
        DOCTOR_VIEWERS, "doctor dashboard: own; admins any (?doctor_id=)",
        obj="self", others=ADMIN, path=doctor_url("/api/dashboard/doctor/"),
    ),
    # ``doctor`` is answered by the route above (listed first); the matrix probes it again here,
    # the other types are DASH_001 for everyone (tests/api/test_dashboards_api.py).
    "GET /api/dashboard/{dashboard_type}/": Rule(
        DOCTOR_VIEWERS, "doctor dashboard: own; admins any (?doctor_id=); other types DASH_001",
        obj="self", others=ADMIN, path=doctor_url("/api/dashboard/doctor/"),
    ),
    "GET /api/dashboard/doctor/analytics/": Rule(
        DOCTOR_VIEWERS, "doctor analytics: own; admins any (?doctor_id=)",
        obj="self", others=ADMIN, path=doctor_url(ANALYTICS, "period=month&comparison=true"),
    ),
    "GET /api/clinics/{clinic_id}/dashboard/": Rule(
        CLINIC_VIEWERS, "clinic dashboard: require_clinic (admin any, doctor affiliated, staff own)",
        obj="clinic", param="clinic_id", others=ADMIN,
    ),
    "WS /ws/dashboard/{dashboard_type}/": Rule(
        CLINIC_VIEWERS, "live clinic figures: the clinic dashboard's rule, checked again on every push",
        obj="clinic", others=ADMIN, path=clinic_socket,
    ),
    "GET /api/openapi.json": Rule(PUBLIC, "the API's description; no data"),
    "GET /api/docs/": Rule(PUBLIC, "the API's description as HTML; no data"),
}  # fmt: skip
