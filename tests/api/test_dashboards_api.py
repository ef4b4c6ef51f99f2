"""The dashboards' JSON API over HTTP on a rolled-back database: the spec's shapes, the permission
rules (every role, own and someone else's), every error code, and the cache headers."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import pytest
from sqlmodel import Session

from mediconnect.api import deps
from mediconnect.api.openapi import document as _document
from mediconnect.api.router import create_api
from mediconnect.core.db import make_engine
from mediconnect.models.users import Role
from tests.api import dashboard_world as dw
from tests.api.test_auth_tokens import call

DOCTOR = "/api/dashboard/doctor/"
ANALYTICS = "/api/dashboard/doctor/analytics/"


@pytest.fixture
def world(api_db: Callable[[], Session], monkeypatch: pytest.MonkeyPatch) -> dw.DashWorld:
    from mediconnect.core.settings import get_settings
    from mediconnect.dashboards.kit import cache

    # SQLite reuses ids after a rollback: no figures or request counts of an earlier test's
    # user 3 or clinic 1 (the limit itself is test_dash_010's).
    cache.clear()
    monkeypatch.setattr(get_settings(), "DASHBOARD_RATE_LIMIT", 10_000)
    with api_db() as s:
        return dw.build(s)


def clinic_url(clinic_id: object) -> str:
    return f"/api/clinics/{clinic_id}/dashboard/"


def get(path: str, who: str | None, world: dw.DashWorld, **headers: str) -> httpx.Response:
    return call("GET", path, token=world.tokens[who] if who else None, headers=headers or None)


def ok(r: httpx.Response) -> Any:
    assert r.status_code == 200, r.text
    return r.json()


def refused(r: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert (r.status_code, r.json()["code"]) == (status, code), r.text
    body = r.json()
    assert set(body) == {"code", "message", "detail"}
    assert r.headers["cache-control"].startswith("no-store")
    return body


# --------------------------------------------------------------------------- shapes and headers


@functools.cache
def document() -> dict[str, Any]:
    return _document(create_api())


def test_doctor_dashboard_has_the_spec_shape(world: dw.DashWorld) -> None:
    r = get(DOCTOR, "doctor", world)
    body = ok(r)
    assert dw.schema_errors({"$ref": "#/components/schemas/DoctorDashboard"}, body, document()) == []
    assert body["doctor_info"]["id"] == world.doctor_a.id
    assert body["today_metrics"]["appointments"]["total"] == 3
    assert (
        body["today_metrics"]["appointments"]["upcoming"] + body["today_metrics"]["appointments"]["completed"]
        <= 3
    )
    assert r.headers["cache-control"] == "private, no-store"
    assert r.headers["x-cache"] == "MISS"
    generated = datetime.fromisoformat(r.headers["x-generated-at"].replace("Z", "+00:00"))
    assert parsedate_to_datetime(r.headers["last-modified"]) == generated.replace(microsecond=0)
    again = get(DOCTOR, "doctor", world)
    assert again.headers["x-cache"] == "HIT" and again.json() == body
    assert again.headers["x-generated-at"] == r.headers["x-generated-at"]


def test_clinic_dashboard_has_the_spec_shape(world: dw.DashWorld) -> None:
    r = get(clinic_url(world.clinic.id), "clinic_staff", world)
    body = ok(r)
    assert dw.schema_errors({"$ref": "#/components/schemas/ClinicDashboard"}, body, document()) == []
    assert body["clinic_info"]["id"] == world.clinic.id
    today = body["operational_metrics"]["today"]["appointments"]
    assert today["total_scheduled"] == 3 and today["completed"] == 0
    assert r.headers["x-cache"] == "MISS"
    assert get(clinic_url(world.clinic.id), "admin", world).headers["x-cache"] == "HIT"


def test_doctor_analytics(world: dw.DashWorld) -> None:
    body = ok(get(f"{ANALYTICS}?period=month&comparison=true", "doctor", world))
    assert isinstance(body, dict) and body
    admin = ok(get(f"{ANALYTICS}?period=week&doctor_id={world.doctor_a.id}", "admin", world))
    assert isinstance(admin, dict)
    for query in ("period=fortnight", "start_date=2026-02-30", "comparison=perhaps", "clinic_id=x",
                  "start_date=2026-03-10&end_date=2026-03-01", "doctor_id=abc"):  # fmt: skip
        refused(get(f"{ANALYTICS}?{query}", "doctor", world), 400, "DASH_004")
    refused(get(f"{ANALYTICS}?doctor_id={world.doctor_b.id}", "doctor", world), 403, "DASH_006")
    refused(get(ANALYTICS, "clinic_staff", world), 403, "DASH_002")


# --------------------------------------------------------------------------- permissions

# role -> (own, someone else's) for each dashboard; "own" of a role with no own dashboard is the
# world's doctor A / clinic. Expected: 200, or (status, code).
DOCTOR_RULES: dict[str, tuple[Any, Any]] = {
    "admin": (200, 200),
    "doctor": (200, (403, "DASH_006")),
    "patient": ((403, "DASH_002"), (403, "DASH_002")),
    "clinic_staff": ((403, "DASH_002"), (403, "DASH_002")),
    "billing_staff": ((403, "DASH_002"), (403, "DASH_002")),
    "analytics_staff": ((403, "DASH_002"), (403, "DASH_002")),
    "referring_doctor": ((403, "DASH_002"), (403, "DASH_002")),
}
CLINIC_RULES: dict[str, tuple[Any, Any]] = {
    "admin": (200, 200),
    "doctor": (200, (403, "DASH_006")),
    "clinic_staff": (200, (403, "DASH_006")),
    "patient": ((403, "DASH_002"), (403, "DASH_002")),
    "billing_staff": ((403, "DASH_002"), (403, "DASH_002")),
    "analytics_staff": ((403, "DASH_002"), (403, "DASH_002")),
    "referring_doctor": ((403, "DASH_002"), (403, "DASH_002")),
}


def _expect(r: httpx.Response, want: Any) -> None:
    if want == 200:
        ok(r)
    else:
        refused(r, *want)


def test_every_role_covered() -> None:
    assert set(DOCTOR_RULES) == set(CLINIC_RULES) == {role.value for role in Role}


@pytest.mark.parametrize("role", sorted(DOCTOR_RULES))
def test_doctor_dashboard_permissions(world: dw.DashWorld, role: str) -> None:
    own_id = world.doctor_a.id if role != "doctor" else None
    own = f"{DOCTOR}?doctor_id={own_id}" if role == "admin" else DOCTOR
    _expect(get(own, role, world), DOCTOR_RULES[role][0])
    _expect(get(f"{DOCTOR}?doctor_id={world.doctor_b.id}", role, world), DOCTOR_RULES[role][1])
    if role == "admin":
        body = ok(get(f"{DOCTOR}?doctor_id={world.doctor_b.id}", role, world))
        assert body["doctor_info"]["id"] == world.doctor_b.id
        refused(get(DOCTOR, role, world), 400, "DASH_004")  # an admin names the doctor
        refused(get(f"{DOCTOR}?doctor_id=99999999", role, world), 400, "DASH_004")
    assert get(own, None, world).status_code == 401


@pytest.mark.parametrize("role", sorted(CLINIC_RULES))
def test_clinic_dashboard_permissions(world: dw.DashWorld, role: str) -> None:
    _expect(get(clinic_url(world.clinic.id), role, world), CLINIC_RULES[role][0])
    _expect(get(clinic_url(world.other_clinic.id), role, world), CLINIC_RULES[role][1])
    unknown = get(clinic_url(99999999), role, world)
    not_numeric = get(clinic_url("main"), role, world)
    if CLINIC_RULES[role][0] == 200:
        refused(unknown, 404, "DASH_005")
        refused(not_numeric, 404, "DASH_005")
    else:
        refused(not_numeric, 403, "DASH_002")
    assert get(clinic_url(world.clinic.id), None, world).status_code == 401


def test_other_clinic_staff_and_doctor_see_their_own(world: dw.DashWorld) -> None:
    ok(get(clinic_url(world.other_clinic.id), "other_clinic_staff", world))
    refused(get(clinic_url(world.clinic.id), "other_clinic_staff", world), 403, "DASH_006")
    refused(get(clinic_url(world.clinic.id), "other_doctor", world), 403, "DASH_006")
    assert ok(get(DOCTOR, "other_doctor", world))["doctor_info"]["id"] == world.other_doctor.id


# --------------------------------------------------------------------------- error codes


@pytest.mark.parametrize("kind", ["patient", "admin", "billing", "analytics", "clinic", "nope"])
def test_dash_001_unknown_or_unbuilt_dashboard(world: dw.DashWorld, kind: str) -> None:
    body = refused(get(f"/api/dashboard/{kind}/", "admin", world), 404, "DASH_001")
    assert "doctor (/api/dashboard/doctor/)" in body["detail"]
    assert "/api/clinics/{clinic_id}/dashboard/" in body["detail"]
    assert get(f"/api/dashboard/{kind}/", None, world).status_code == 401


def test_dash_009_only_if_cached(world: dw.DashWorld) -> None:
    url = clinic_url(world.clinic.id)
    r = get(url, "clinic_staff", world, **{"Cache-Control": "only-if-cached"})
    refused(r, 503, "DASH_009")
    assert int(r.headers["retry-after"]) >= 1
    first = ok(get(url, "clinic_staff", world))
    hit = get(url, "clinic_staff", world, **{"Cache-Control": "only-if-cached"})
    assert hit.headers["x-cache"] == "HIT" and hit.json() == first
    fresh = get(url, "clinic_staff", world, **{"Cache-Control": "no-cache"})
    assert fresh.headers["x-cache"] == "MISS" and fresh.json()["clinic_info"] == first["clinic_info"]
    # Access is checked before the cache: a cached dashboard is no one else's.
    refused(get(url, "other_clinic_staff", world, **{"Cache-Control": "only-if-cached"}), 403, "DASH_006")


def test_dash_010_rate_limit(world: dw.DashWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    from mediconnect.core import rate_limit
    from mediconnect.core.settings import get_settings

    monkeypatch.setattr(get_settings(), "DASHBOARD_RATE_LIMIT", 3)
    rate_limit.reset()
    try:
        answers = [get(DOCTOR, "doctor", world) for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        refused(answers[-1], 429, "DASH_010")
        assert int(answers[-1].headers["retry-after"]) >= 1
        # Per user: another account is not held back by this one's requests.
        ok(get(clinic_url(world.clinic.id), "clinic_staff", world))
    finally:
        rate_limit.reset()


def test_dash_007_timeout(world: dw.DashWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    from mediconnect.core.settings import get_settings

    monkeypatch.setattr(get_settings(), "DASHBOARD_TIMEOUT_MS", 1)
    r = get(f"{clinic_url(world.clinic.id)}", "admin", world, **{"Cache-Control": "no-cache"})
    refused(r, 504, "DASH_007")


@pytest.fixture
def unreachable_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every API session on a PostgreSQL server that is not there (a closed port)."""
    engine = make_engine("postgresql://postgres@127.0.0.1:9/none?connect_timeout=2")

    @contextmanager
    def scope() -> Iterator[Session]:
        with Session(engine, expire_on_commit=False) as session:
            yield session

    monkeypatch.setattr(deps, "session_scope", scope)
    yield
    engine.dispose()


def test_dash_003_database_unreachable(world: dw.DashWorld, unreachable_database: None) -> None:
    for url in (DOCTOR, clinic_url(world.clinic.id), f"{ANALYTICS}?period=month", "/api/dashboard/nope/"):
        r = get(url, "doctor", world)
        refused(r, 503, "DASH_003")


def test_no_extra_keys_and_no_store_on_errors(world: dw.DashWorld) -> None:
    body = ok(get(clinic_url(world.clinic.id), "admin", world))
    assert set(body) == set(dw.example_keys("clinic_dashboard"))
    r = get(clinic_url(world.clinic.id), "patient", world)
    refused(r, 403, "DASH_002")
    assert "x-cache" not in r.headers


def test_trailing_slash_redirects(world: dw.DashWorld) -> None:
    r = get("/api/dashboard/doctor", "doctor", world)
    assert r.status_code == 307 and r.headers["location"].endswith("/api/dashboard/doctor/")


# --------------------------------------------------------------------------- bad input is never a 500

MALFORMED = [
    f"{DOCTOR}?doctor_id=0",
    f"{DOCTOR}?doctor_id=2147483648",
    f"{DOCTOR}?doctor_id=999999999999999999999",
    f"{DOCTOR}?doctor_id=-1",
    f"{DOCTOR}?doctor_id=%00",
    f"{ANALYTICS}?doctor_id=2147483648",
    f"{ANALYTICS}?start_date=0001-01-01&end_date=0001-01-05&comparison=true",
    f"{ANALYTICS}?end_date=9999-12-31",
    f"{ANALYTICS}?start_date=2026-02-30",
    f"{ANALYTICS}?clinic_id=99999999999999",
    f"{ANALYTICS}?period=%00",
    "/api/clinics/0/dashboard/",
    "/api/clinics/2147483648/dashboard/",
    "/api/clinics/99999999999/dashboard/",
    "/api/clinics/-1/dashboard/",
    "/api/clinics/%00/dashboard/",
    "/api/dashboard/%00/",
]


@pytest.mark.parametrize("url", MALFORMED)
@pytest.mark.parametrize("role", ["admin", "doctor", "clinic_staff"])
def test_malformed_input_gets_a_spec_error(world: dw.DashWorld, url: str, role: str) -> None:
    r = get(url, role, world)
    assert r.status_code in (400, 403, 404), (r.status_code, r.text)
    assert r.json()["code"].startswith("DASH_00")
