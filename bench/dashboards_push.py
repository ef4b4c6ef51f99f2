"""Push latency of /ws/dashboard: from a committed check-in to the metric_update at every socket.

The API app runs under granian (``--workers`` processes, Redis for events and the cache), as in
production minus the Reflex frontend. --clients aiohttp WebSockets open the clinic dashboard of
the clinic with the most appointments still to check in today. This process then checks in
--rounds of them, one commit each, through ``services.lifecycle``; the event goes out through
Redis, each server process recomputes the dashboard once and sends every socket it holds the
changed figures. Latency = the first metric_update a socket receives after the commit minus
the commit time stamped on the event (same machine, same clock). Afterwards the checked-in
appointments are put back as they were.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa


@dataclass
class PushResult:
    clients: int
    rounds: int
    connected: int
    latencies_ms: list[float] = field(default_factory=list)
    missed: int = 0
    log: str = ""


@dataclass
class Socket:
    ws: Any
    arrivals: list[float] = field(default_factory=list)


def pick(engine: sa.Engine, rounds: int) -> tuple[int, list[tuple[int, str]]]:
    """The clinic with most booked/confirmed appointments today, and ``rounds`` of them."""
    today = "(now() AT TIME ZONE c.timezone)::date"
    local = "(a.scheduled_start AT TIME ZONE c.timezone)::date"
    with engine.connect() as conn:
        clinic_id = conn.execute(sa.text(
            f"SELECT a.clinic_id FROM appointments a JOIN clinics c ON c.id = a.clinic_id "
            f"WHERE {local} = {today} AND a.status IN ('booked', 'confirmed') "
            "GROUP BY a.clinic_id ORDER BY count(*) DESC LIMIT 1"
        )).scalar()  # fmt: skip
        if clinic_id is None:
            raise SystemExit("no clinic has appointments left to check in today")
        rows = conn.execute(sa.text(
            f"SELECT a.id, a.status FROM appointments a JOIN clinics c ON c.id = a.clinic_id "
            f"WHERE a.clinic_id = :c AND {local} = {today} AND a.status IN ('booked', 'confirmed') "
            "ORDER BY a.scheduled_start LIMIT :n"
        ), {"c": clinic_id, "n": rounds}).all()  # fmt: skip
    return int(clinic_id), [(int(i), str(s)) for i, s in rows]


def check_in(engine: sa.Engine, admin_id: int, appointment_id: int) -> float:
    """Commit one check-in; return the commit time stamped on its event."""
    from sqlmodel import Session

    from mediconnect.core import events
    from mediconnect.core.policy import principal_for
    from mediconnect.models.users import User
    from mediconnect.services import lifecycle

    stamps: list[float] = []
    unsubscribe = events.subscribe(
        lambda e: stamps.append(e.committed_at) if e.name == "appointment_updated" else None
    )
    try:
        with Session(engine, expire_on_commit=False) as s:
            user = s.get(User, admin_id)
            assert user is not None
            lifecycle.check_in(
                session=s, principal=principal_for(s, user=user), appointment_id=appointment_id
            )
            s.commit()
    finally:
        unsubscribe()
    return stamps[-1]


def restore(engine: sa.Engine, done: list[tuple[int, str]]) -> None:
    with engine.begin() as conn:
        for appointment_id, status in done:
            conn.execute(
                sa.text("UPDATE appointments SET status = :s, checked_in_at = NULL WHERE id = :i"),
                {"s": status, "i": appointment_id},
            )


def start_server(port: int, workers: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    cmd = [
        str(Path(sys.executable).with_name("granian")), "--interface", "asgi", "--factory",
        "--workers", str(workers), "--host", "127.0.0.1", "--port", str(port),
        "mediconnect.api.router:create_api",
    ]  # fmt: skip
    out = log.open("wb")
    proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code < 500:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    stop_server(proc)
    raise SystemExit(f"the API did not start on port {port}; see {log}")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


async def open_sockets(url: str, n: int, headlines: int) -> tuple[Any, list[Socket]]:
    import aiohttp

    session = aiohttp.ClientSession()

    async def one() -> Socket:
        ws = await session.ws_connect(url, heartbeat=None, max_msg_size=0)
        sock = Socket(ws)
        got = 0
        while got < headlines:  # the connect-time figures
            frame = await ws.receive_json(timeout=30)
            got += frame.get("type") == "metric_update"
            if frame.get("type") == "error":
                raise RuntimeError(f"refused: {frame}")
        return sock

    sockets: list[Socket] = []
    for start in range(0, n, 20):
        sockets += await asyncio.gather(*(one() for _ in range(min(20, n - start))))
    return session, sockets


async def read(sock: Socket) -> None:
    import aiohttp

    async for msg in sock.ws:
        if msg.type == aiohttp.WSMsgType.TEXT and '"metric_update"' in msg.data:
            sock.arrivals.append(time.time())


async def measure(
    engine: sa.Engine, admin_id: int, url: str, clients: int, appts: list[tuple[int, str]], result: PushResult
) -> list[tuple[int, str]]:
    from mediconnect.api.dashboard_feed import HEADLINES

    session, sockets = await open_sockets(url, clients, len(HEADLINES["clinic"]))
    result.connected = len(sockets)
    readers = [asyncio.create_task(read(s)) for s in sockets]
    done: list[tuple[int, str]] = []
    try:
        for appointment_id, status in appts:
            committed = await asyncio.to_thread(check_in, engine, admin_id, appointment_id)
            done.append((appointment_id, status))
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not all(
                any(t >= committed for t in s.arrivals) for s in sockets
            ):
                await asyncio.sleep(0.005)
            for s in sockets:
                after = [t for t in s.arrivals if t >= committed]
                if after:
                    result.latencies_ms.append((after[0] - committed) * 1000)
                else:
                    result.missed += 1
            await asyncio.sleep(0.2)  # let stragglers of this round land before the next commit
    finally:
        for task in readers:
            task.cancel()
        await asyncio.gather(*(s.ws.close() for s in sockets), return_exceptions=True)
        await session.close()
    return done


def run_push(
    *, database_url: str, redis_url: str, clients: int, rounds: int, port: int, workers: int = 2
) -> PushResult:
    from sqlmodel import Session, select

    from mediconnect.bootstrap import wire
    from mediconnect.core.db import make_engine
    from mediconnect.core.tokens import issue_access_token
    from mediconnect.models.users import Role, User

    wire()  # this process commits the check-ins: its commit hooks invalidate the cache
    engine = make_engine(database_url)
    clinic_id, appts = pick(engine, rounds)
    with Session(engine) as s:
        admin = s.exec(select(User).where(User.role == Role.ADMIN, User.is_active == True)).first()  # noqa: E712
        assert admin is not None and admin.id is not None
        token, admin_id = issue_access_token(user=admin), admin.id
    log = Path(tempfile.mkdtemp(prefix="mediconnect-bench-")) / "api.log"
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url, "PYTHONPATH": os.getcwd()}
    result = PushResult(clients=clients, rounds=len(appts), connected=0, log=str(log))
    proc = start_server(port, workers, env, log)
    done: list[tuple[int, str]] = []
    try:
        url = f"ws://127.0.0.1:{port}/ws/dashboard/clinic/?token={token}&clinic_id={clinic_id}"
        done = asyncio.run(measure(engine, admin_id, url, clients, appts, result))
    finally:
        stop_server(proc)
        restore(engine, done or appts)
        engine.dispose()
    print(f"clinic {clinic_id}, {workers} server processes, log {log}")
    return result


def print_push(r: PushResult) -> None:
    from bench.dashboards import percentile

    lat = r.latencies_ms
    print(f"{'sockets':<22}{r.connected:>10} of {r.clients}")
    print(f"{'updates received':<22}{len(lat):>10} of {r.connected * r.rounds} (missed {r.missed})")
    print(f"{'push p50 / p95 / max':<22}{percentile(lat, 50):>10.1f} / {percentile(lat, 95):.1f} / "
          f"{(max(lat) if lat else float('nan')):.1f} ms   (target p95 < 1000)")  # fmt: skip
