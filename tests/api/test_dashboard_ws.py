"""The /ws/dashboard sockets through Starlette's TestClient on a rolled-back database: the first
figures, a committed check-in arriving as a metric_update, one recomputation per burst however
many sockets watch, and every refusal with its frame and close code."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session
from starlette.testclient import TestClient, WebSocketDenialResponse

from mediconnect.api import dashboard_feed
from mediconnect.api.dashboard_feed import HEADLINES
from mediconnect.api.router import create_api
from mediconnect.core.tokens import issue_access_token
from mediconnect.dashboards.kit.frames import Alert, MetricUpdate
from mediconnect.models.users import User
from mediconnect.services import lifecycle
from tests.api import dashboard_world as dw


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


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_api(), base_url="http://testserver") as c:
        yield c


def clinic_ws(world: dw.DashWorld, who: str, clinic_id: object | None = None) -> str:
    return f"/ws/dashboard/clinic/?token={world.tokens[who]}&clinic_id={clinic_id or world.clinic.id}"


def first_frames(ws: Any, kind: str) -> dict[str, dict[str, Any]]:
    """The connect-time metric_update of every headline figure (alerts may be interleaved)."""
    seen: dict[str, dict[str, Any]] = {}
    while len(seen) < len(HEADLINES[kind]):
        frame = ws.receive_json()
        if frame["type"] == "metric_update":
            MetricUpdate.model_validate(frame)  # the spec's frame (dashboards/kit/frames.py)
            seen[frame["data"]["metric_name"]] = frame["data"]
        else:
            Alert.model_validate(frame)
            assert frame["type"] == "alert" and set(frame["data"]) == {
                "severity",
                "message",
                "action_required",
                "timestamp",
            }
    return seen


def next_update(ws: Any, name: str) -> dict[str, Any]:
    while True:
        frame = ws.receive_json()
        if frame["type"] == "metric_update" and frame["data"]["metric_name"] == name:
            return frame["data"]


def check_in(api_db: Callable[[], Session], world: dw.DashWorld, index: int = 0) -> None:
    with api_db() as s:
        lifecycle.check_in(
            session=s,
            principal=world.principal(s, "clinic_staff"),
            appointment_id=world.appointment_ids[index],
        )
        s.commit()


def refusal(ws: Any) -> tuple[dict[str, Any], int]:
    """The error frame (after any figures still queued) and the close code that follows it."""
    frame = ws.receive_json()
    while frame["type"] != "error":
        frame = ws.receive_json()
    closing = ws.receive()
    assert closing["type"] == "websocket.close"
    assert frame["type"] == "error" and frame["code"] == frame["data"]["code"]
    return frame, closing["code"]


def test_first_figures_then_a_check_in_is_pushed(
    world: dw.DashWorld, client: TestClient, api_db: Callable[[], Session]
) -> None:
    body = client.get(
        f"/api/clinics/{world.clinic.id}/dashboard/",
        headers={"Authorization": f"Bearer {world.tokens['admin']}"},
    ).json()
    with client.websocket_connect(clinic_ws(world, "clinic_staff")) as ws:
        frames = first_frames(ws, "clinic")
        today = body["operational_metrics"]["today"]["appointments"]
        assert frames["today_appointments"]["value"] == today["total_scheduled"] == 3
        assert frames["in_progress_appointments"]["value"] == today["in_progress"] == 0
        assert frames["revenue_today"]["value"] == body["financial_summary"]["revenue"]["today"]
        assert all(f["change"] is None for f in frames.values())
        check_in(api_db, world)
        update = next_update(ws, "in_progress_appointments")
        assert update["value"] == 1 and update["change"] == "+1"
        assert update["timestamp"].endswith("Z")


def test_one_recomputation_per_burst_for_every_socket(
    world: dw.DashWorld, client: TestClient, api_db: Callable[[], Session]
) -> None:
    urls = [clinic_ws(world, "clinic_staff"), clinic_ws(world, "admin"), clinic_ws(world, "doctor")]
    with ExitStack() as stack:
        sockets = []
        for url in urls:  # one at a time: the tests' sessions share one database connection
            sockets.append(stack.enter_context(client.websocket_connect(url)))
            first_frames(sockets[-1], "clinic")
        hub = next(f for f in dashboard_feed._feeds.values() if ("clinic", world.clinic.id) in f.watchers)
        before = hub.passes
        check_in(api_db, world, 1)  # a confirmed appointment: one commit, its events, one pass
        for ws in sockets:
            assert next_update(ws, "in_progress_appointments")["value"] == 1
        assert hub.passes == before + 1


def test_doctor_socket_and_refusals(
    world: dw.DashWorld, client: TestClient, api_db: Callable[[], Session]
) -> None:
    with client.websocket_connect(f"/ws/dashboard/doctor/?token={world.tokens['doctor']}") as ws:
        frames = first_frames(ws, "doctor")
        assert frames["today_appointments"]["value"] == 3
        ws.send_json({"type": "ping"})
        while ws.receive_json() != {"type": "pong"}:
            pass
    admin = f"/ws/dashboard/doctor/?token={world.tokens['admin']}&doctor_id={world.doctor_a.id}"
    with client.websocket_connect(admin) as ws:
        assert first_frames(ws, "doctor")["today_appointments"]["value"] == 3
    cases = {
        f"/ws/dashboard/doctor/?token={world.tokens['doctor']}&doctor_id={world.doctor_b.id}": (
            "DASH_006",
            4403,
        ),
        f"/ws/dashboard/doctor/?token={world.tokens['admin']}": ("DASH_004", 4400),
        f"/ws/dashboard/doctor/?token={world.tokens['clinic_staff']}": ("DASH_002", 4403),
        clinic_ws(world, "other_clinic_staff"): ("DASH_006", 4403),
        clinic_ws(world, "other_doctor"): ("DASH_006", 4403),
        clinic_ws(world, "patient"): ("DASH_002", 4403),
        clinic_ws(world, "admin", 99999999): ("DASH_005", 4404),
        f"/ws/dashboard/billing/?token={world.tokens['admin']}": ("DASH_001", 4404),
        f"/ws/dashboard/nope/?token={world.tokens['admin']}": ("DASH_001", 4404),
        "/ws/dashboard/clinic/?token=not-a-jwt&clinic_id=1": ("DASH_008", 4401),
    }
    for url, (code, close) in cases.items():
        with client.websocket_connect(url) as ws:
            frame, closed = refusal(ws)
            assert (frame["code"], closed) == (code, close), url
            assert set(frame["data"]) == {"code", "message", "detail", "timestamp"}


def test_no_credential_is_refused_at_the_handshake(world: dw.DashWorld, client: TestClient) -> None:
    url = f"/ws/dashboard/clinic/?clinic_id={world.clinic.id}"
    with pytest.raises(WebSocketDenialResponse) as denied, client.websocket_connect(url):
        pass
    assert denied.value.status_code == 401 and denied.value.json()["code"] == "AUTH_001"


def test_the_socket_closes_when_its_token_expires(
    world: dw.DashWorld, client: TestClient, api_db: Callable[[], Session]
) -> None:
    with api_db() as s:
        user = s.get(User, world.users["clinic_staff"].id)
        assert user is not None
        short = issue_access_token(user=user, ttl=timedelta(seconds=2))
    with client.websocket_connect(f"/ws/dashboard/clinic/?token={short}&clinic_id={world.clinic.id}") as ws:
        first_frames(ws, "clinic")
        frame, closed = refusal(ws)  # no event needed: the socket's own clock ends it
        assert (frame["code"], closed) == ("DASH_008", 4401)
    # A renewed token keeps it open past the first one's expiry.
    with client.websocket_connect(f"/ws/dashboard/clinic/?token={short}&clinic_id={world.clinic.id}") as ws:
        refusal(ws)  # already expired at connect
    fresh = issue_access_token(user=user, ttl=timedelta(seconds=2))
    with client.websocket_connect(f"/ws/dashboard/clinic/?token={fresh}&clinic_id={world.clinic.id}") as ws:
        first_frames(ws, "clinic")
        ws.send_json({"type": "token", "token": world.tokens["clinic_staff"]})
        time.sleep(2.5)
        ws.send_json({"type": "ping"})
        while ws.receive_json() != {"type": "pong"}:
            pass
        ws.send_json({"type": "token", "token": world.tokens["admin"]})  # another account's token
        frame, closed = refusal(ws)
        assert (frame["code"], closed) == ("DASH_008", 4401)
