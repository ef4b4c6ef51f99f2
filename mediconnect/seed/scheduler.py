"""The appointment simulation: day by day, every lane (a doctor in a room for a session) is filled
slot by slot. A slot is booked with a probability shaped by weekday, hour, month and growth, and
calibrated so the total lands on the scale's target. Each lane is one timeline, so no room,
piece of equipment or doctor is ever double-booked; a patient has at most one appointment a day.
Follow-ups, reschedules and the demo patient's pinned visits wait in queues until their day."""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np

from mediconnect.seed.booking import book
from mediconnect.seed.clock import DAY, HOUR, MINUTE
from mediconnect.seed.columns import Appointments, Referrals
from mediconnect.seed.demo_pins import DEMO_PINS
from mediconnect.seed.patient_pools import PatientPools
from mediconnect.seed.rng import Rng, Weighted, stream
from mediconnect.seed.world import Lane, Service, World

STEP = 10  # minutes skipped when a slot stays empty
HOUR_W = (0.0,) * 7 + (0.75, 1.0, 1.0, 0.97, 0.85, 0.6, 0.55, 0.7, 0.65, 0.5, 0.4) + (0.3,) * 6
WEEKDAY_W = (1.0, 0.96, 0.85, 0.8, 0.74, 0.95, 0.35)
MONTH_W = (0.0, 0.85, 0.97, 1.0, 0.95, 1.0, 0.97, 1.0, 1.02, 1.0, 1.03, 1.0, 0.78)


def draw_lead(rng: Rng, imaging: bool) -> int:
    r = rng.random()
    if imaging:
        return rng.randint(0, 2) if r < 0.22 else rng.randint(3, 14) if r < 0.7 else rng.randint(15, 60)
    return rng.randint(0, 1) if r < 0.3 else rng.randint(2, 10) if r < 0.75 else rng.randint(11, 40)


def lead_survival(k: int, imaging: bool) -> float:
    """P(lead >= k days) under draw_lead's mixture."""
    parts = (
        ((0.22, 0, 2), (0.48, 3, 14), (0.30, 15, 60))
        if imaging
        else ((0.3, 0, 1), (0.45, 2, 10), (0.25, 11, 40))
    )
    return sum(w * min(1.0, max(0.0, (hi - k + 1) / (hi - lo + 1))) for w, lo, hi in parts)


@dataclass(slots=True)
class Request:
    """A booking that must happen: a follow-up, a reschedule, or one of the demo patient's visits."""

    patient: int
    service: Service
    booked: int  # 0: decide when placed
    kind: str = ""
    resched_from: int = 0
    referral: int = 0
    doctor: int = 0
    min_minute: int = 0
    force: bool = False  # pinned: always attended, never cancelled
    follow_up: bool = False
    refer_demo: bool = False


class Scheduler:
    def __init__(self, world: World) -> None:
        self.w = world
        self.rng = stream(world.seed, "schedule")
        self.appts, self.refs = Appointments(), Referrals()
        self.pools = PatientPools(world)
        n = len(world.patients or ())
        self.prior_noshow = array("h", bytes(2 * n))
        self.visits = array("i", bytes(4 * n))
        self.queues: dict[tuple[int, str], list[tuple[int, int, Request]]] = {}
        self.seq = 0
        self.pins: dict[int, list[Request]] = {}
        self.kind_services: dict[str, Weighted] = {}
        for kind in sorted({s.kind for s in world.services}):
            svcs = [s for s in world.services if s.kind == kind and s.spec.popularity > 0]
            self.kind_services[kind] = Weighted(svcs, [s.spec.popularity for s in svcs])
        self.front_desk: dict[int, list[int]] = {}
        for st in world.staff:
            if st.staff_role in {"receptionist", "manager"}:
                self.front_desk.setdefault(st.clinic_id, []).append(st.user.id)
        self.referrers_by_region: dict[str, list[int]] = {}
        for r in world.referrers:
            self.referrers_by_region.setdefault(r.region, []).append(r.id)
        self.today = world.today.toordinal()
        self.base = 1.0
        for offset, kind, code, doctor, minute, refer in DEMO_PINS:
            day = self.today + offset
            if world.first_day <= day <= world.last_day and world.scale.patients:
                svc = world.service_by_code[code]
                req = Request(
                    0,
                    svc,
                    0,
                    kind=kind,
                    doctor=doctor,
                    min_minute=minute,
                    force=True,
                    follow_up=code == "CON-GP-FU",
                    refer_demo=refer,
                )
                self.pins.setdefault(day, []).append(req)

    def day_factor(self, day: int) -> float:
        d = date.fromordinal(day)
        growth = 0.88 + 0.12 * (day - self.w.first_day) / 365.0
        return WEEKDAY_W[d.weekday()] * MONTH_W[d.month] * growth

    def calibrate(self) -> float:
        """Find the base booking probability whose expected appointment count meets the target."""
        mean_dur = {
            k: sum(s.spec.duration * s.spec.popularity for s in ws.items) / ws.total
            for k, ws in self.kind_services.items()
        }
        minutes, weights, durs, future = [], [], [], []
        for day, lanes in self.w.lanes_by_day.items():
            f = self.day_factor(day)
            for lane in lanes:
                imaging = lane.kind.startswith("img") or lane.kind == "proc"
                fut = 1.0 if day <= self.today else lead_survival(day - self.today, imaging)
                t = lane.start_min
                while t < lane.end_min:
                    nxt = min(lane.end_min, (t // 60 + 1) * 60)
                    minutes.append(nxt - t)
                    weights.append(HOUR_W[t // 60] * f)
                    durs.append(mean_dur[lane.kind])
                    future.append(fut)
                    t = nxt
        m, w, d, fu = (np.asarray(x, dtype=np.float64) for x in (minutes, weights, durs, future))

        def expected(base: float) -> float:
            p = np.minimum(0.97, base * w)
            return float(np.sum(m / (p * d + (1 - p) * STEP) * p * fu))

        lo, hi = 0.0, 5.0
        target = self.w.scale.target_appointments
        for _ in range(40):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if expected(mid) < target else (lo, mid)
        self.base = hi
        return hi

    def run(self, tick: Callable[[int], object] | None = None) -> None:
        self.calibrate()
        for day in range(self.w.first_day, self.w.last_day + 1):
            self._day(day)
            if tick:
                tick(1)
        self.w.appts, self.w.referrals = self.appts, self.refs

    def _day(self, day: int) -> None:
        busy: set[int] = set()
        factor = self.day_factor(day)
        pins = self.pins.pop(day, [])
        for lane in self.w.lanes_by_day.get(day, ()):
            mine = [
                r
                for r in pins
                if lane.clinic_id == 1 and r.kind == lane.kind and r.doctor in (0, lane.doctor_id)
            ]
            if mine:
                pins = [r for r in pins if r not in mine]
            pins.extend(self._lane(lane, day, busy, factor, mine))
        if pins and day < self.w.last_day:
            self.pins.setdefault(day + 1, []).extend(pins)

    def push(self, clinic_id: int, kind: str, target: int, req: Request) -> None:
        self.seq += 1
        heapq.heappush(self.queues.setdefault((clinic_id, kind), []), (target, self.seq, req))

    def _lane(
        self, lane: Lane, day: int, busy: set[int], factor: float, pins: list[Request]
    ) -> list[Request]:
        """Fill one lane; returns the pinned requests it could not place (tried again next day)."""
        w, rng, now = self.w, self.rng, self.w.now
        clinic = w.clinic(lane.clinic_id)
        day0 = w.local.midnight(day)
        blocks = []
        if lane.equipment_id:
            blocks = [
                b for b in w.equipment[lane.equipment_id - 1].blocks if b[1] > day0 and b[0] < day0 + DAY
            ]
        events = [e for e in clinic.events if e[1] > day0 and e[0] < day0 + DAY]
        queue = self.queues.get((lane.clinic_id, lane.kind))
        boosted = lane.doctor_id == 1 and -3 <= day - self.today <= 6
        kinds = self.kind_services[lane.kind]
        imaging = lane.kind.startswith("img") or lane.kind == "proc"
        deferred: list[Request] = []
        t, busy_until = lane.start_min, day0 + lane.start_min * MINUTE
        while t < lane.end_min:
            req, from_queue = None, False
            if pins and t >= pins[0].min_minute:
                req = pins[0]
            elif queue:
                while queue and queue[0][0] < day - 21:
                    heapq.heappop(queue)  # stale: the patient went elsewhere
                if queue and queue[0][0] <= day:
                    req, from_queue = queue[0][2], True
            svc = req.service if req else kinds.draw(rng)
            dur = svc.spec.duration
            if t + dur > lane.end_min:
                break
            start = day0 + t * MINUTE
            end = start + dur * MINUTE
            hit = next((b for b in blocks if b[0] < end and b[1] > start), None)
            if hit:
                t = -(-(hit[1] - day0) // (5 * MINUTE)) * 5
                continue
            if not (req and req.force):
                prob = self.base * HOUR_W[t // 60] * factor
                for e0, e1, reduction in events:
                    if e0 < end and e1 > start:
                        prob *= 1 - reduction
                if req or boosted:
                    prob = max(prob, 0.85 if boosted else 0.6)
                if rng.random() >= prob:
                    t += STEP
                    continue
            if req:
                booked = req.booked or (
                    start - 12 * DAY if start < now else min(start - 9 * DAY, now - 2 * DAY)
                )
                pat = req.patient
                if from_queue:
                    heapq.heappop(queue)  # type: ignore[arg-type]
                else:
                    pins.pop(0)
                if pat in busy:
                    if from_queue:
                        self.push(lane.clinic_id, lane.kind, day + 1, req)
                    else:
                        deferred.append(req)
                    continue
            else:
                lead = draw_lead(rng, imaging)
                back = rng.randint(600, 8 * HOUR) if lead else rng.randint(20 * MINUTE, 5 * HOUR)
                booked = start - lead * DAY - back
                if booked > now:
                    if not boosted:
                        t += STEP
                        continue
                    booked = now - rng.randint(HOUR, 3 * DAY)
                pat = self.pools.pick(rng, lane.clinic_id, svc.spec.pool, booked, busy)
                if pat < 0:
                    t += STEP
                    continue
            if (
                lane.kind == "gp"
                and not self.visits[pat]
                and not (req and req.follow_up)
                and t + 30 <= lane.end_min
            ):
                svc = w.service_by_code["CON-GP-NEW"]
                dur = 30
                end = start + dur * MINUTE
            busy.add(pat)
            busy_until = book(self, lane, day, svc, pat, start, end, booked, req, busy_until, imaging)
            t += dur
        return deferred + pins
