"""The scheduling JSON API over HTTP on a rolled-back database: availability, booking (base64
referral), conflicts with alternatives, the lifecycle, the queue, the waitlist, the documents."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlmodel import Session, select

from mediconnect.core.tokens import issue_tokens
from mediconnect.models.referrals import ReferralDocument
from mediconnect.models.users import User
from tests.api.documented import schema_errors
from tests.api.test_auth_tokens import call
from tests.services import scheduling_world as sw

PDF = b"%PDF-1.5\nreferral\n%%EOF"


@pytest.fixture
def world(api_db: Callable[[], Session]) -> tuple[sw.World, dict[str, str]]:
    with api_db() as s:
        w = sw.build(s)
        tokens = {}
        for name in ("patient_user", "other_patient_user", "staff_user", "admin"):
            user: User = getattr(w, name)
            tokens[name] = issue_tokens(s, user=user).access_token
        s.commit()
        return w, tokens


def _book_body(w: sw.World, hh: int = 9, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "clinic_id": w.clinic.id,
        "service_id": w.ct.id,
        "start": sw.local(w.day, hh).astimezone(sw.TZ).isoformat(),
        "preparation_acknowledged": True,
        "referral": {"filename": "../letter.pdf", "content_base64": base64.b64encode(PDF).decode()},
    }
    body.update(extra)
    return body


def _ok(r: httpx.Response, status: int = 200) -> Any:
    assert r.status_code == status, r.text
    assert schema_errors(r) == []  # the answer is what the OpenAPI document says
    return r.json()


def test_availability(world: tuple[sw.World, dict[str, str]]) -> None:
    w, t = world
    q = f"/api/availability?clinic_id={w.clinic.id}&service_id={w.ct.id}&date={w.day.isoformat()}"
    body = _ok(call("GET", q, token=t["patient_user"]))
    assert body["timezone"] == "Africa/Johannesburg" and body["date"] == w.day.isoformat()
    assert body["slots"][0] == {
        "start": f"{w.day.isoformat()}T08:00:00+02:00",
        "end": f"{w.day.isoformat()}T08:30:00+02:00",
    }
    assert call("GET", q).status_code == 401
    bad = call("GET", f"/api/availability?clinic_id=x&service_id={w.ct.id}&date=2026-01-01", token=t["admin"])
    assert bad.status_code == 400 and bad.json()["code"] == "DASH_004"
    missing = call("GET", "/api/availability?clinic_id=999999&service_id=1&date=2026-01-01", token=t["admin"])
    assert missing.status_code == 404 and missing.json()["code"] == "DASH_005"


def test_book_conflict_and_refusals(
    world: tuple[sw.World, dict[str, str]], api_db: Callable[[], Session]
) -> None:
    w, t = world
    appt = _ok(call("POST", "/api/appointments/book", token=t["patient_user"], json=_book_body(w)), 201)
    assert appt["status"] == "booked" and appt["patient_id"] == w.patient.id
    taken = call("POST", "/api/appointments/book", token=t["other_patient_user"], json=_book_body(w))
    assert taken.status_code == 409
    body = taken.json()
    assert body["code"] == "BOOK_SLOT_TAKEN" and "just taken" in body["message"]
    assert body["detail"]["alternatives"][0]["start"].endswith("+02:00")
    exe = _book_body(
        w, 11, referral={"filename": "x.pdf", "content_base64": base64.b64encode(b"MZ..").decode()}
    )
    refused = call("POST", "/api/appointments/book", token=t["patient_user"], json=exe)
    assert refused.status_code == 422 and refused.json()["code"] == "BOOK_INVALID_FILE"
    other = call(
        "POST",
        "/api/appointments/book",
        token=t["patient_user"],
        json=_book_body(w, 12, patient_id=w.other_patient.id),
    )
    assert other.status_code == 403 and other.json()["code"] == "DASH_006"
    assert call("POST", "/api/appointments/book", token=t["patient_user"], content=b"[1").status_code == 400

    # The stored referral is served to its patient only, as an attachment.
    with api_db() as s:
        doc = s.exec(select(ReferralDocument).order_by(ReferralDocument.id.desc())).first()  # type: ignore[union-attr]
        assert doc is not None
    got = call("GET", f"/api/referral-documents/{doc.id}", token=t["patient_user"])
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["content-disposition"].startswith("attachment")
    assert got.headers["content-type"].startswith("application/pdf")
    denied = call("GET", f"/api/referral-documents/{doc.id}", token=t["other_patient_user"])
    assert denied.status_code == 403


def test_lifecycle_list_and_queue(world: tuple[sw.World, dict[str, str]]) -> None:
    w, t = world
    appt = _ok(call("POST", "/api/appointments/book", token=t["patient_user"], json=_book_body(w)), 201)
    a = f"/api/appointments/{appt['id']}"
    assert _ok(call("GET", a, token=t["patient_user"]))["appointment"]["id"] == appt["id"]
    assert call("GET", a, token=t["other_patient_user"]).json()["code"] == "DASH_006"
    rows = _ok(call("GET", "/api/appointments?page=1", token=t["patient_user"]))
    assert [r["id"] for r in rows["rows"]] == [appt["id"]] and rows["total"] == 1
    refused = call("POST", a + "/check-in", token=t["patient_user"])
    assert refused.status_code == 403 and refused.json()["code"] == "DASH_002"
    for step, status in (("confirm", "confirmed"), ("check-in", "checked_in"), ("start", "in_progress")):
        assert _ok(call("POST", f"{a}/{step}", token=t["staff_user"]))["status"] == status
    bad = call("POST", a + "/confirm", token=t["staff_user"])
    assert bad.status_code == 409 and bad.json()["code"] == "BOOK_INVALID_TRANSITION"
    queue = _ok(
        call("GET", f"/api/clinics/{w.clinic.id}/queue?date={w.day.isoformat()}", token=t["staff_user"])
    )
    assert [(r["id"], r["status"]) for r in queue["rows"]] == [(appt["id"], "in_progress")]
    assert (
        call(
            "GET", f"/api/clinics/{w.clinic.id}/queue?date={w.day.isoformat()}", token=t["patient_user"]
        ).status_code
        == 403
    )
    assert _ok(call("POST", a + "/complete", token=t["staff_user"]))["ended_at"]


def test_cancel_reschedule_and_waitlist(world: tuple[sw.World, dict[str, str]]) -> None:
    w, t = world
    appt = _ok(call("POST", "/api/appointments/book", token=t["patient_user"], json=_book_body(w)), 201)
    a = f"/api/appointments/{appt['id']}"
    moved = _ok(
        call(
            "POST",
            a + "/reschedule",
            token=t["patient_user"],
            json={"start": sw.local(w.day, 13).isoformat()},
        )
    )
    assert moved["rescheduled_from_id"] == appt["id"]
    done = _ok(call("POST", f"/api/appointments/{moved['id']}/cancel", token=t["patient_user"], json={}))
    assert done["status"] == "cancelled"
    join = call(
        "POST",
        "/api/waitlist",
        token=t["patient_user"],
        json={"clinic_id": w.clinic.id, "service_id": w.ct.id, "date": w.day.isoformat()},
    )
    assert join.status_code == 409 and join.json()["code"] == "BOOK_SLOTS_AVAILABLE"
    assert call("POST", "/api/waitlist/999999/decline", token=t["patient_user"]).status_code == 403
    assert call("POST", "/api/waitlist/999999/leave", token=t["patient_user"]).status_code == 403
