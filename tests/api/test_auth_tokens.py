"""API tokens over HTTP: /api/auth/token, /refresh, /revoke, /me and the bearer guard.

Runs against the FastAPI app from ``create_api()`` (and a small app with demo routes) through
httpx.ASGITransport, on SQLite and PostgreSQL (``api_db``); the lockout counter is Redis when
REDIS_URL is set, else in-process.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from types import ModuleType
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session, select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mediconnect.api import auth_guard
from mediconnect.api.auth_guard import public
from mediconnect.api.deps import CurrentUser, SessionDep, require_bearer
from mediconnect.api.fields import RefId
from mediconnect.api.router import collect_routes, create_api
from mediconnect.api.routing import api_router
from mediconnect.core import tokens
from mediconnect.core.lockout import LockoutPolicy
from mediconnect.core.policy import require_patient
from mediconnect.core.settings import get_settings
from mediconnect.models.base import utcnow
from mediconnect.models.patients import Patient
from mediconnect.models.users import LoginAttempt, LoginOutcome, RefreshToken, Role, User
from mediconnect.services import accounts
from tests.api.conftest import PASSWORD, run, unique_email

BASE = "http://testserver"


def call(
    method: str,
    path: str,
    *,
    app: FastAPI | None = None,
    token: str | None = None,
    headers: dict[str, str] | None = None,
    **kwargs: Any,
) -> httpx.Response:
    all_headers = dict(headers or {})
    if token is not None:
        all_headers["Authorization"] = f"Bearer {token}"

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app or create_api(), client=("203.0.113.7", 5000))
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
            return await client.request(method, path, headers=all_headers, **kwargs)

    return run(go)


def sign_in(email: str, password: str = PASSWORD) -> httpx.Response:
    return call("POST", "/api/auth/token", json={"email": email, "password": password})


def assert_401(response: httpx.Response, code: str, *, challenge: bool = True) -> dict[str, Any]:
    assert response.status_code == 401, response.text
    body = response.json()
    assert set(body) == {"code", "message", "detail"}
    assert body["code"] == code
    assert response.headers["cache-control"] == "no-store"
    if challenge:
        assert response.headers["www-authenticate"].startswith('Bearer realm="mediconnect"')
    return body


# --------------------------------------------------------------------------- issuing tokens


def test_token_pair_for_email_and_password(
    make_user: Callable[..., User], api_db: Callable[[], Session]
) -> None:
    user = make_user(Role.DOCTOR)

    response = sign_in(user.email.upper())  # addresses are case-insensitive

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token"}
    assert body["token_type"] == "Bearer"
    assert 14 * 60 <= body["expires_in"] <= 15 * 60
    assert response.headers["cache-control"] == "no-store"
    claims = tokens.decode_access(body["access_token"])
    assert claims.user_id == user.id and claims.role is Role.DOCTOR
    with api_db() as s:
        attempt = s.exec(select(LoginAttempt).where(LoginAttempt.user_id == user.id)).one()
        assert (attempt.outcome, attempt.method, attempt.success) == (LoginOutcome.SUCCESS, "api", True)
        assert attempt.ip_address == "203.0.113.7"
        assert s.exec(select(RefreshToken).where(RefreshToken.user_id == user.id)).one().revoked_at is None


def test_form_body_with_the_oauth_field_name(make_user: Callable[..., User]) -> None:
    user = make_user()

    response = call("POST", "/api/auth/token", data={"username": user.email, "password": PASSWORD})

    assert response.status_code == 200
    assert response.json()["token_type"] == "Bearer"


def test_wrong_password_and_unknown_email_look_the_same(
    make_user: Callable[..., User], api_db: Callable[[], Session]
) -> None:
    user = make_user()

    wrong = assert_401(sign_in(user.email, "Not-the-password-1"), "AUTH_007", challenge=False)
    unknown = assert_401(sign_in(unique_email("nobody")), "AUTH_007", challenge=False)

    assert wrong == unknown == {"code": "AUTH_007", "message": "Invalid email or password", "detail": None}
    with api_db() as s:
        attempt = s.exec(select(LoginAttempt).where(LoginAttempt.user_id == user.id)).one()
        assert (attempt.outcome, attempt.method) == (LoginOutcome.BAD_PASSWORD, "api")


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def lockout_backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The shared lockout counter: this process's memory, or Redis (needs REDIS_URL)."""
    url = request.getfixturevalue("redis_url") if request.param == "redis" else None
    monkeypatch.setattr(get_settings(), "REDIS_URL", url)
    return request.param


def test_locked_account_is_401_with_retry_after(make_user: Callable[..., User], lockout_backend: str) -> None:
    user = make_user()
    policy = LockoutPolicy.from_settings()

    for _ in range(policy.max_attempts):
        sign_in(user.email, "Not-the-password-1")
    response = sign_in(user.email)  # the right password no longer helps

    body = assert_401(response, "AUTH_009", challenge=False)
    assert body["message"] == "Account locked"
    assert "locked" in body["detail"]
    assert 0 < int(response.headers["retry-after"]) <= policy.lock_duration.total_seconds()


def test_deactivated_account_is_refused(make_user: Callable[..., User]) -> None:
    user = make_user(is_active=False)

    assert_401(sign_in(user.email), "AUTH_008", challenge=False)


@pytest.mark.parametrize(
    ("kwargs", "status", "needle"),
    [
        ({"content": b"email=a", "headers": {"Content-Type": "text/plain"}}, 400, "application/json"),
        ({"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 400, "not valid JSON"),
        ({"json": ["email", "password"]}, 400, "must be an object"),
        ({"json": {"email": "a@example.org"}}, 400, "Missing field(s): password"),
        ({"json": {"email": 42, "password": "x"}}, 400, "email must be a string"),
        ({"data": {"email": "", "password": ""}}, 400, "Missing field(s): email, password"),
        ({"content": b"\xff\xfe", "headers": {"Content-Type": "application/json"}}, 400, "UTF-8"),
        ({"json": {"email": "a@example.org", "password": "x" * 20_000}}, 413, "at most"),
    ],
)
def test_malformed_body_is_a_clear_400(kwargs: dict[str, Any], status: int, needle: str) -> None:
    response = call("POST", "/api/auth/token", **kwargs)

    assert response.status_code == status
    body = response.json()
    assert body["code"] == "REQUEST_INVALID"
    assert needle in body["detail"]


# --------------------------------------------------------------------------- /me and the guard


def test_me_with_the_access_token(make_user: Callable[..., User]) -> None:
    user = make_user(Role.CLINIC_STAFF)
    access = sign_in(user.email).json()["access_token"]

    response = call("GET", "/api/auth/me", token=access)

    assert response.status_code == 200
    assert response.json() == {
        "id": user.id,
        "email": user.email,
        "role": "clinic_staff",
        "first_name": "Thandi",
        "last_name": "Nkosi",
        "is_active": True,
    }


def test_missing_or_foreign_scheme_is_401_with_a_challenge(api_db: Callable[[], Session]) -> None:
    missing = call("GET", "/api/auth/me")
    basic = call("GET", "/api/auth/me", headers={"Authorization": "Basic dXNlcjpwYXNz"})

    for response in (missing, basic):
        assert_401(response, "AUTH_001")
        assert response.headers["www-authenticate"] == 'Bearer realm="mediconnect"'


def test_expired_token(make_user: Callable[..., User]) -> None:
    user = make_user()
    old = tokens.issue_access_token(user=user, now=utcnow() - timedelta(hours=1))

    body = assert_401(call("GET", "/api/auth/me", token=old), "AUTH_004")

    assert body["message"] == "Token expired"


def test_short_ttl_token_expires(make_user: Callable[..., User]) -> None:
    user = make_user()
    token = tokens.issue_access_token(
        user=user, now=utcnow() - timedelta(seconds=2), ttl=timedelta(seconds=1)
    )

    assert_401(call("GET", "/api/auth/me", token=token), "AUTH_004")


def test_tampered_tokens(make_user: Callable[..., User]) -> None:
    user = make_user(Role.PATIENT)
    access = sign_in(user.email).json()["access_token"]
    header, payload, signature = access.split(".")
    flipped = signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB")
    forged = tokens.issue_access_token(user=user, secret="another-secret-of-enough-length")

    assert_401(call("GET", "/api/auth/me", token=f"{header}.{payload}.{flipped}"), "AUTH_003")
    assert_401(call("GET", "/api/auth/me", token=forged), "AUTH_003")
    assert_401(call("GET", "/api/auth/me", token="not-a-jwt"), "AUTH_002")
    assert_401(call("GET", "/api/auth/me", token="a b"), "AUTH_002")


def test_refresh_token_is_not_an_access_token(make_user: Callable[..., User]) -> None:
    user = make_user()
    refresh = sign_in(user.email).json()["refresh_token"]

    assert_401(call("GET", "/api/auth/me", token=refresh), "AUTH_006")


def test_deactivation_and_role_change_end_access_at_once(
    make_user: Callable[..., User], api_db: Callable[[], Session]
) -> None:
    user, other = make_user(Role.DOCTOR), make_user(Role.DOCTOR)
    access = sign_in(user.email).json()["access_token"]
    other_access = sign_in(other.email).json()["access_token"]
    assert call("GET", "/api/auth/me", token=access).status_code == 200

    with api_db() as s:
        assert user.id is not None
        accounts.deactivate_user(session=s, user_id=user.id)
        promoted = s.get(User, other.id)
        assert promoted is not None
        promoted.role = Role.ADMIN
        s.add(promoted)
        s.commit()

    assert_401(call("GET", "/api/auth/me", token=access), "AUTH_005")
    body = assert_401(call("GET", "/api/auth/me", token=other_access), "AUTH_005")
    assert body["detail"] == "the account's role has changed"


# --------------------------------------------------------------------------- refresh and revoke


def test_refresh_rotates_and_reuse_ends_every_refresh_token(make_user: Callable[..., User]) -> None:
    user = make_user()
    first = sign_in(user.email).json()

    rotated = call("POST", "/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert rotated.status_code == 200
    second = rotated.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert call("GET", "/api/auth/me", token=second["access_token"]).status_code == 200

    reuse = call("POST", "/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    body = assert_401(reuse, "AUTH_005", challenge=False)
    assert "reuse" in body["detail"]
    # The thief's copy and the rightful one are both dead now.
    assert_401(
        call("POST", "/api/auth/refresh", json={"refresh_token": second["refresh_token"]}),
        "AUTH_005",
        challenge=False,
    )


def test_refresh_with_a_tampered_or_access_token(make_user: Callable[..., User]) -> None:
    user = make_user()
    pair = sign_in(user.email).json()

    assert_401(
        call("POST", "/api/auth/refresh", json={"refresh_token": pair["refresh_token"][:-3] + "abc"}),
        "AUTH_003",
        challenge=False,
    )
    assert_401(
        call("POST", "/api/auth/refresh", json={"refresh_token": pair["access_token"]}),
        "AUTH_006",
        challenge=False,
    )
    assert call("POST", "/api/auth/refresh", json={}).status_code == 400


def test_revoke_signs_an_api_client_out(make_user: Callable[..., User]) -> None:
    user = make_user()
    pair = sign_in(user.email).json()

    first = call("POST", "/api/auth/revoke", data={"refresh_token": pair["refresh_token"]})
    again = call("POST", "/api/auth/revoke", json={"refresh_token": pair["refresh_token"]})

    assert (first.status_code, first.json()) == (200, {"revoked": True})
    assert (again.status_code, again.json()) == (200, {"revoked": False})
    assert_401(
        call("POST", "/api/auth/refresh", json={"refresh_token": pair["refresh_token"]}),
        "AUTH_005",
        challenge=False,
    )
    assert_401(call("POST", "/api/auth/revoke", json={"refresh_token": "x.y.z"}), "AUTH_002", challenge=False)


# --------------------------------------------------------------------------- a protected route


demo = api_router()


@demo.get("/api/demo/patients/{patient_id}")
def demo_patient(patient_id: RefId, caller: CurrentUser, session: SessionDep) -> dict[str, int | None]:
    """What a patient route looks like: the caller and a session as dependencies, one policy call."""
    require_patient(session, principal=caller.principal, patient_id=patient_id)
    return {"patient_id": patient_id, "seen_by": caller.principal.user_id}


@demo.get("/api/demo/inline")
@public
async def demo_inline(request: Request) -> Response:
    """The caller read inside a handler; the app's exception handlers answer the 401."""
    user, _ = await require_bearer(request)
    return JSONResponse({"user_id": user.id})


def demo_app() -> FastAPI:
    module = ModuleType("demo_routes")
    module.router = demo  # type: ignore[attr-defined]
    return create_api((module,))


def test_demo_route_allows_the_patient_their_own_record_only(
    make_user: Callable[..., User], api_db: Callable[[], Session]
) -> None:
    me, other = make_user(Role.PATIENT), make_user(Role.PATIENT)
    analyst = make_user(Role.ANALYTICS_STAFF)
    with api_db() as s:
        mine = Patient(user_id=me.id, first_name="A", last_name="B", date_of_birth=utcnow().date())
        theirs = Patient(user_id=other.id, first_name="C", last_name="D", date_of_birth=utcnow().date())
        s.add(mine)
        s.add(theirs)
        s.commit()
    access = sign_in(me.email).json()["access_token"]
    analyst_access = sign_in(analyst.email).json()["access_token"]
    app = demo_app()

    own = call("GET", f"/api/demo/patients/{mine.id}", app=app, token=access)
    foreign = call("GET", f"/api/demo/patients/{theirs.id}", app=app, token=access)
    by_role = call("GET", f"/api/demo/patients/{mine.id}", app=app, token=analyst_access)
    anonymous = call("GET", f"/api/demo/patients/{mine.id}", app=app)

    assert (own.status_code, own.json()) == (200, {"patient_id": mine.id, "seen_by": me.id})
    assert (foreign.status_code, foreign.json()["code"]) == (403, "DASH_006")
    assert (by_role.status_code, by_role.json()["code"]) == (403, "DASH_002")
    assert_401(anonymous, "AUTH_001")


def test_inline_require_bearer(make_user: Callable[..., User]) -> None:
    user = make_user()
    access = sign_in(user.email).json()["access_token"]

    assert call("GET", "/api/demo/inline", app=demo_app(), token=access).json() == {"user_id": user.id}
    assert_401(call("GET", "/api/demo/inline", app=demo_app()), "AUTH_001")


def test_every_api_route_is_marked() -> None:
    assert auth_guard.unmarked_routes(collect_routes()) == []
    access = {
        path: auth_guard.route_access(route)
        for path, route in auth_guard._api_routes(collect_routes())
        if path.startswith("/api/")
    }
    assert access["/api/auth/me"] == "bearer"
    assert {p for p, a in access.items() if a == "public"} == {
        "/api/health",
        "/api/auth/token",
        "/api/auth/refresh",
        "/api/auth/revoke",
        "/api/auth/oidc/start",
        "/api/auth/oidc/callback",
        "/api/openapi.json",  # the API's own description: no data behind it
        "/api/docs/",
        "/api/{rest:path}",
    }


def test_an_unmarked_api_route_stops_the_app() -> None:
    async def forgot(request: Request) -> Response:
        return JSONResponse({})

    with pytest.raises(RuntimeError, match="/api/forgot"):
        auth_guard.check_marked([Route("/api/forgot", forgot)])
    # A FastAPI route is bearer when it depends on CurrentUser, else it must be @public.
    unmarked = api_router()
    unmarked.get("/api/forgot-too")(forgot)
    with pytest.raises(RuntimeError, match="/api/forgot-too"):
        auth_guard.check_marked(unmarked.routes)
    assert auth_guard.unmarked_routes(demo.routes) == []
    assert [auth_guard.route_access(r) for r in demo.routes] == ["bearer", "public"]
