"""``/ws/dashboard/{dashboard_type}/``: the spec's live ``metric_update`` and ``alert`` frames.

    ws://<host>/ws/dashboard/clinic/?token=<access JWT>&clinic_id=3
    ws://<host>/ws/dashboard/doctor/?token=<access JWT>             (a doctor: their own)
    ws://<host>/ws/dashboard/doctor/?token=<access JWT>&doctor_id=7 (an admin)

The token is the API's access token (``/api/auth/token``), in ``?token=`` (browsers cannot set
headers on a WebSocket) or an ``Authorization: Bearer`` header; it is verified exactly as on
the bearer routes. The access rules are the HTTP routes': the first figures come from the same
``dashboards.service`` call (access check, audit, rate limit).

Frames, server to client:
* on connect, one ``metric_update`` per headline figure (``change`` null: nothing to compare
  with yet) and one ``alert`` per alert the dashboard shows now;
* then, after each burst of domain events touching this clinic or doctor, a ``metric_update``
  per figure that changed (``change`` "+3", "-150.00", ...) and an ``alert`` per new alert
  (``dashboard_feed``);
* ``{"type": "error", "code", "data": {"code", "message", "detail", "timestamp"}}`` then a
  close: 4401 DASH_008 (token invalid, expired or revoked: the socket closes when the token
  expires; send ``{"type": "token", "token": <new access token>}`` before that to go on),
  4403 DASH_002 / DASH_006, 4404 DASH_001 / DASH_005, 4400 DASH_004, 4429 DASH_010,
  4503 DASH_003, 4504 DASH_007.
Client to server: ``{"type": "ping"}`` (answered ``{"type": "pong"}``) and ``token``.

A handshake with no credential at all is refused like a bearer route without one: HTTP 401
(the ASGI denial-response extension; a server without it answers 403).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from datetime import UTC, datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from mediconnect.api import deps
from mediconnect.api.dashboard_feed import Watcher, check_access, close_code, error_frame, feed
from mediconnect.api.dashboards import available_detail
from mediconnect.api.deps import MAX_TOKEN_LENGTH, authenticate_token
from mediconnect.api.fields import MAX_ID
from mediconnect.api.routing import api_router
from mediconnect.core import policy, rate_limit, tokens
from mediconnect.core.errors import AuthError, AuthErrorCode, DashboardError, DashErrorCode, ServiceError
from mediconnect.core.policy import DashboardType, Principal
from mediconnect.dashboards import service
from mediconnect.dashboards.service import DashboardResult

LIVE = (DashboardType.DOCTOR.value, DashboardType.CLINIC.value)
# /ws/ is not /api/: the socket authenticates itself (below), so it is not a CurrentUser route.
router = api_router(tags=["dashboards"])


def credential(ws: WebSocket) -> str | None:
    token = ws.query_params.get("token")
    if not token:
        scheme, _, value = ws.headers.get("authorization", "").strip().partition(" ")
        token = value.strip() if scheme.lower() == "bearer" else None
    return token or None


async def deny_unauthenticated(ws: WebSocket) -> None:
    body = AuthError(AuthErrorCode.TOKEN_MISSING, "pass ?token=<access token>").as_json()
    if "websocket.http.response" in ws.scope.get("extensions", {}):
        headers = {"WWW-Authenticate": 'Bearer realm="mediconnect"', "Cache-Control": "no-store"}
        await ws.send_denial_response(JSONResponse(body, status_code=401, headers=headers))
    else:
        await ws.close(code=4401)


def _id(ws: WebSocket, name: str) -> int | None:
    raw = ws.query_params.get(name)
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 12 or int(raw) > MAX_ID:
        raise DashboardError(DashErrorCode.DASH_004, f"{name} must be a positive integer")
    return int(raw)


def admit(kind: str, principal: Principal, wanted: int | None) -> int:
    """Before the handshake completes: the rate limit and the access check (the service's own,
    ``core.policy``). Returns the clinic or doctor id the socket will watch."""
    if kind == DashboardType.CLINIC.value and wanted is None:
        raise DashboardError(DashErrorCode.DASH_004, "clinic_id is required")
    rate_limit.check(principal.user_id)
    with deps.db_session() as session:
        if kind == DashboardType.CLINIC.value:
            assert wanted is not None
            check_access(session, principal, kind, wanted)
            return wanted
        doctor_id, _user_id = policy.doctor_for_dashboard(session, principal=principal, doctor_id=wanted)
        return doctor_id


def snapshot(kind: str, principal: Principal, object_id: int) -> DashboardResult:
    """The first figures, through the service (which checks access again and audits the view)."""
    with deps.db_session() as session:
        if kind == DashboardType.CLINIC.value:
            return service.serve("clinic", session=session, principal=principal, clinic_id=object_id)
        return service.serve("doctor", session=session, principal=principal, doctor_id=object_id)


_building: dict[tuple[int, str, int], asyncio.Future[None]] = {}


async def first_figures(kind: str, principal: Principal, object_id: int) -> DashboardResult:
    """The snapshot; sockets opening together on one dashboard (a wall of screens, a reconnect
    after a deploy) wait for one build, then each reads it from the cache through the service
    (its own access check and audit row)."""
    key = (id(asyncio.get_running_loop()), kind, object_id)
    pending = _building.get(key)
    if pending is not None:
        with contextlib.suppress(Exception):
            await asyncio.shield(pending)
        return await run_in_threadpool(snapshot, kind, principal, object_id)
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    _building[key] = done
    try:
        return await run_in_threadpool(snapshot, kind, principal, object_id)
    finally:
        del _building[key]
        done.set_result(None)


async def refuse(ws: WebSocket, exc: ServiceError) -> None:
    with contextlib.suppress(RuntimeError, WebSocketDisconnect):
        await ws.send_json(error_frame(exc))
        await ws.close(code=close_code(exc))


async def writer(ws: WebSocket, watcher: Watcher) -> None:
    """The only sender once connected: frames from the feed, replies, and a close code."""
    while True:
        item = await watcher.outbox.get()
        if isinstance(item, int):
            with contextlib.suppress(RuntimeError, WebSocketDisconnect):
                await ws.close(code=item)
            return
        await ws.send_json(item)


async def renew(watcher: Watcher, token: Any) -> None:
    """A fresh access token of the same account extends the socket's life."""
    try:
        if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
            raise AuthError(AuthErrorCode.TOKEN_MALFORMED)
        claims = tokens.decode_access(token)
        await run_in_threadpool(authenticate_token, token)
    except AuthError as exc:
        watcher.refuse(DashboardError(DashErrorCode.DASH_008, exc.code.message))
        return
    if claims.user_id != watcher.user_id:
        watcher.refuse(DashboardError(DashErrorCode.DASH_008, "a token of another account"))
        return
    watcher.token, watcher.expires_at = token, claims.expires_at


async def listen(ws: WebSocket, watcher: Watcher) -> None:
    """Read client frames until the socket closes or the token expires."""
    while ws.client_state is WebSocketState.CONNECTED:
        remaining = (watcher.expires_at - datetime.now(UTC)).total_seconds()
        if remaining <= 0:
            watcher.refuse(DashboardError(DashErrorCode.DASH_008, "the access token has expired"))
            return
        try:
            message = await asyncio.wait_for(ws.receive(), timeout=remaining)
        except TimeoutError:
            continue
        if message["type"] == "websocket.disconnect":
            return
        try:
            frame = json.loads(message.get("text") or "{}")
        except ValueError:
            continue
        kind = frame.get("type") if isinstance(frame, dict) else None
        if kind == "ping":
            watcher.send([{"type": "pong"}])
        elif kind == "token":
            await renew(watcher, frame.get("token"))


@router.websocket("/ws/dashboard/{dashboard_type}/")
async def dashboard_socket(ws: WebSocket) -> None:
    token = credential(ws)
    if token is None:
        await deny_unauthenticated(ws)
        return
    # Everything that can refuse runs before the handshake completes, so a refusal follows the
    # 101 at once (then the frame and the close); only the first figures are computed after.
    try:
        if len(token) > MAX_TOKEN_LENGTH:
            raise AuthError(AuthErrorCode.TOKEN_MALFORMED)
        claims = tokens.decode_access(token)
        _user, principal = await run_in_threadpool(authenticate_token, token)
    except AuthError as exc:
        await ws.accept()
        await refuse(ws, DashboardError(DashErrorCode.DASH_008, exc.code.message))
        return
    kind = str(ws.path_params.get("dashboard_type", ""))
    try:
        if kind not in LIVE:
            raise DashboardError(DashErrorCode.DASH_001, available_detail(kind))
        wanted = _id(ws, "clinic_id" if kind == DashboardType.CLINIC.value else "doctor_id")
        object_id = await run_in_threadpool(admit, kind, principal, wanted)
        await ws.accept()
        result = await first_figures(kind, principal, object_id)
    except ServiceError as exc:  # DashboardError, AccessDenied
        if ws.application_state is WebSocketState.CONNECTING:
            await ws.accept()
        await refuse(ws, exc)
        return
    watcher = Watcher(kind, object_id, token, principal.user_id, claims.expires_at)
    hub = feed()
    watcher.send(hub.attach(watcher, result.data))
    sender = asyncio.create_task(writer(ws, watcher))
    try:
        await listen(ws, watcher)
        if not sender.done() and watcher.outbox.qsize():
            # A refusal queued by listen (expiry, bad renewal): let the writer send it and close.
            await asyncio.wait_for(sender, timeout=1.0)
    except (WebSocketDisconnect, TimeoutError):
        pass
    finally:
        hub.detach(watcher)
        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await sender
