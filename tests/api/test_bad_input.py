"""Malformed input answers the spec's codes, never a 500: ids (path and query) that are not
numbers or do not fit the database's integer columns, bodies that are not JSON objects or hold
text PostgreSQL cannot store, dates no calendar has or years no clinic means; the token
endpoint included. (tests/api/test_schemathesis.py explores the same space at random.)"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from mediconnect.core.tokens import issue_tokens
from mediconnect.models.users import Role, User
from tests.api.test_auth_tokens import call

HUGE = "9" * 20  # beyond int64
INT4 = str(2**31)  # beyond PostgreSQL INTEGER

DASH_004 = (400, "DASH_004")
BOOK = {"clinic_id": 1, "service_id": 1, "start": "2026-01-05T10:00:00+02:00"}
BAD_INPUT: list[tuple[str, str, dict[str, Any], tuple[int, str]]] = [
    ("GET", "/api/appointments/abc", {}, DASH_004),
    ("GET", f"/api/appointments/{HUGE}", {}, DASH_004),
    ("GET", f"/api/appointments/{INT4}", {}, DASH_004),
    ("GET", "/api/appointments/-1", {}, DASH_004),
    ("POST", f"/api/appointments/{HUGE}/confirm", {}, DASH_004),
    ("POST", f"/api/waitlist/{INT4}/decline", {}, DASH_004),
    ("GET", f"/api/referral-documents/{HUGE}", {}, DASH_004),
    ("GET", f"/api/clinics/{INT4}/queue", {}, DASH_004),
    ("GET", "/api/clinics/1/queue?date=2026-13-45", {}, DASH_004),
    ("GET", "/api/clinics/1/queue?date=9999-12-31", {}, DASH_004),
    ("GET", f"/api/availability?clinic_id={HUGE}&service_id=1&date=2026-01-05", {}, DASH_004),
    ("GET", "/api/availability?clinic_id=1&service_id=1&date=0001-01-01", {}, DASH_004),
    ("GET", "/api/availability?clinic_id=1&service_id=1&date=2026-02-30", {}, DASH_004),
    ("GET", f"/api/appointments?clinic_id={INT4}", {}, DASH_004),
    ("GET", "/api/appointments?date_from=9999-12-31", {}, DASH_004),
    ("GET", "/api/appointments?q=%00", {}, DASH_004),
    ("GET", f"/api/invoices?clinic_id={HUGE}", {}, DASH_004),
    ("POST", "/api/appointments/book", {"content": b"not json"}, DASH_004),
    ("POST", "/api/appointments/book", {"json": [1, 2]}, DASH_004),
    ("POST", "/api/appointments/book", {"json": {"clinic_id": HUGE, "service_id": 1}}, DASH_004),
    (
        "POST",
        "/api/appointments/book",
        {"json": {"clinic_id": 1, "service_id": 1, "start": "9999-12-31T23:59:59+14:00"}},
        DASH_004,
    ),
    (
        "POST",
        "/api/appointments/book",
        {"json": {"clinic_id": 1, "service_id": 1, "start": "2026-13-45T10:00:00+02:00"}},
        DASH_004,
    ),
    # Who may change the appointment is settled before its body is read (DASH_006: none such).
    (
        "POST",
        "/api/appointments/1/reschedule",
        {"json": {"start": "2026-13-45T10:00:00+02:00"}},
        (403, "DASH_006"),
    ),
    ("POST", "/api/waitlist", {"json": {"clinic_id": 1, "service_id": 1, "date": "0001-01-01"}}, DASH_004),
    ("POST", "/api/appointments/book", {"json": {**BOOK, "notes": "a\x00b"}}, DASH_004),
    (
        "POST",
        "/api/appointments/book",
        {"content": json.dumps({**BOOK, "channel": "\ud800"}).encode()},
        DASH_004,
    ),
    ("POST", "/api/appointments/1/confirm", {"content": b"[" * 5000}, DASH_004),
    ("POST", "/api/appointments/quote", {"json": {"date": "2026-13-45"}}, DASH_004),
    ("POST", "/api/appointments/quote", {"json": {"service_id": INT4}}, DASH_004),
    (
        "POST",
        "/api/invoices/1/payments",
        {"json": {"amount": "1", "method": "cash", "reference": "\x00"}},
        DASH_004,
    ),
    # A billing path id that names nothing is out of reach, as any object the caller cannot see.
    ("GET", f"/api/invoices/{HUGE}", {}, (403, "DASH_006")),
    ("GET", "/api/invoices/abc", {}, (403, "DASH_006")),
]


@pytest.fixture
def admin_token(make_user: Callable[..., User], api_db: Callable[..., Any]) -> str:
    user = make_user(Role.ADMIN)
    with api_db() as s:
        token = issue_tokens(s, user=user).access_token
        s.commit()
    return token


@pytest.mark.parametrize(("method", "path", "kwargs", "expected"), BAD_INPUT)
def test_malformed_input_is_a_spec_error(
    admin_token: str, method: str, path: str, kwargs: dict[str, Any], expected: tuple[int, str]
) -> None:
    r = call(method, path, token=admin_token, **kwargs)
    assert (r.status_code, r.json()["code"]) == expected, r.text
    assert set(r.json()) == {"code", "message", "detail"}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"content": b"[" * 10_000, "headers": {"Content-Type": "application/json"}},
        {"json": {"email": "a\x00@example.org", "password": "x"}},
        {
            "content": b'{"email": "\\udc80@example.org", "password": "x"}',
            "headers": {"Content-Type": "application/json"},
        },
        {"data": {"email": "a%00b", "password": "\x00"}},
    ],
)
def test_sign_in_refuses_malformed_bodies_with_a_400(
    kwargs: dict[str, Any], api_db: Callable[..., Any]
) -> None:
    r = call("POST", "/api/auth/token", **kwargs)
    assert (r.status_code, r.json()["code"]) == (400, "REQUEST_INVALID"), r.text
