"""Sign-ins and sessions, security incidents, feature usage, support tickets, platform health,
request metrics, backups, safety events and scheduled reports with their runs."""

from __future__ import annotations

import math

from mediconnect.seed.clock import DAY, HOUR, MINUTE, dt
from mediconnect.seed.codes import COMPLETED
from mediconnect.seed.emitters import Rows, day, emits
from mediconnect.seed.rng import Weighted, stream
from mediconnect.seed.vocab_ops import SAFETY_EVENTS, TICKETS, USER_AGENTS
from mediconnect.seed.world import World


@emits(
    "user_sessions",
    "id user_id token_hash client_token ip_address user_agent created_at last_seen_at expires_at ended_at",
    total=lambda w: len(w.activity.sessions),
)
def sessions(w: World) -> Rows:
    rng = stream(w.seed, "session-rows")
    for n, (uid, created, seen, expires, ended, address, agent) in enumerate(w.activity.sessions, start=1):
        yield (
            n,
            uid,
            rng.hex(32),
            rng.hex(16),
            address,
            USER_AGENTS[agent],
            dt(created),
            dt(seen),
            dt(expires),
            dt(ended),
        )


@emits(
    "login_attempts",
    "id user_id email ip_address success outcome method attempted_at",
    total=lambda w: len(w.activity.attempts),
)
def login_attempts(w: World) -> Rows:
    for n, (uid, email, address, ok, outcome, method, at) in enumerate(w.activity.attempts, start=1):
        yield (n, uid or None, email, address, ok, outcome, method, dt(at))


@emits("security_incidents", "id incident_type source_ip user_id count action_taken detected_at resolved_at")
def incidents(w: World) -> Rows:
    for n, (kind, address, uid, count, action, detected, resolved) in enumerate(
        w.activity.incidents, start=1
    ):
        yield (n, kind, address or None, uid or None, count, action, dt(detected), dt(resolved))


@emits(
    "feature_usage", "id day user_id feature uses seconds_active", total=lambda w: len(w.activity.features)
)
def feature_usage(w: World) -> Rows:
    merged: dict[tuple[int, int, str], list[int]] = {}
    for o, uid, feature, uses, seconds in w.activity.features:
        cell = merged.setdefault((o, uid, feature), [0, 0])
        cell[0] += uses
        cell[1] += seconds
    for n, ((o, uid, feature), (uses, seconds)) in enumerate(sorted(merged.items()), start=1):
        yield (n, day(o), uid, feature, uses, seconds)


CATEGORY = Weighted(list(TICKETS), [0.3, 0.2, 0.2, 0.12, 0.12, 0.06])
PRIORITY = Weighted(["low", "normal", "high", "urgent"], [0.15, 0.6, 0.2, 0.05])
RESPONSE_HOURS = {"urgent": 0.5, "high": 2.0, "normal": 6.0, "low": 16.0}


@emits(
    "support_tickets",
    "id number requester_id clinic_id assigned_to_id category priority status subject "
    "description created_at first_response_at resolved_at",
)
def tickets(w: World) -> Rows:
    rng, p, now = stream(w.seed, "tickets"), w.patients, w.now
    agents = w.user_ids_by_role("admin") + w.user_ids_by_role("clinic_staff")[:5]
    patient_users = [i for i in range(len(p)) if p.user_id[i]]
    span = w.today.toordinal() - w.first_day
    for n in range(1, w.scale.tickets + 1):
        created = w.local.at(w.first_day + int(span * rng.random() ** 0.8), rng.randint(420, 1260))
        if n <= max(3, w.scale.tickets // 50):
            created = now - rng.randint(10 * MINUTE, 30 * HOUR)  # a few fresh ones: the open queue
        category, priority = CATEGORY.draw(rng), PRIORITY.draw(rng)
        if patient_users and rng.random() < 0.75:
            i = rng.choice(patient_users)
            requester, clinic = p.user_id[i], p.home_clinic[i]
        else:
            requester, clinic = rng.choice(w.users).id, None
        first = created + int(rng.expovariate(1 / (RESPONSE_HOURS[priority] * HOUR)))
        resolved = first + int(rng.expovariate(1 / ((2 if category == "password_reset" else 6) * HOUR)))
        if resolved <= now:
            status = "closed" if now - resolved > 7 * DAY else "resolved"
        elif first <= now:
            status, resolved = "in_progress", 0
        else:
            status, first, resolved = "open", 0, 0
        yield (
            n,
            f"TCK-{n:06d}",
            requester,
            clinic,
            rng.choice(agents) if first and agents else None,
            category,
            priority,
            status,
            rng.choice(TICKETS[category]),
            "Reported through the help widget.",
            dt(created),
            dt(first),
            dt(resolved),
        )


@emits("health_samples", "id sampled_at database_ok database_latency_ms redis_ok storage_used_fraction")
def health(w: World) -> Rows:
    rng, step, samples = stream(w.seed, "health"), 5 * MINUTE, 30 * 288
    start = w.now - samples * step
    outages = {start + rng.randint(0, samples - 10) * step for _ in range(3)}
    down = 0
    for n in range(1, samples + 1):
        at = start + n * step
        if at - step in outages:
            down = rng.randint(2, 7)
        ok = down <= 0
        down -= 1
        latency = round(rng.lognormvariate(math.log(3.0), 0.5), 2) if ok else None
        yield (
            n,
            dt(at),
            ok,
            latency,
            rng.random() > 0.001,
            round(0.58 + 0.07 * n / samples + rng.gauss(0, 0.002), 4),
        )


ROUTES = (
    ("api", 120.0, 1.0),
    ("dashboard", 220.0, 0.6),
    ("booking", 160.0, 0.4),
    ("auth", 90.0, 0.3),
    ("reports", 340.0, 0.15),
)


@emits("request_metrics", "id bucket_start route_group request_count error_count total_ms max_ms")
def request_metrics(w: World) -> Rows:
    rng, n = stream(w.seed, "requests"), 0
    scale = {"tiny": 1.0, "demo": 6.0}.get(w.scale.name, 60.0)
    start = (w.now - 2 * DAY) // MINUTE * MINUTE
    for minute in range(start, w.now, MINUTE):
        hour = (minute - w.local.midnight(w.local.local_day(minute))) // HOUR
        curve = 0.1 + max(0.0, math.sin(math.pi * (hour - 6) / 15)) if 6 <= hour <= 21 else 0.08
        for route, mean_ms, share in ROUTES:
            count = int(rng.expovariate(1 / (scale * share * curve)) + 0.5)
            if not count:
                continue
            errors = sum(1 for _ in range(min(count, 50)) if rng.random() < 0.002)
            total = (
                sum(rng.lognormvariate(math.log(mean_ms), 0.35) for _ in range(min(count, 20)))
                * count
                / min(count, 20)
            )
            n += 1
            yield (
                n,
                dt(minute),
                route,
                count,
                errors,
                round(total, 1),
                round(mean_ms * rng.between(2, 6), 1),
            )


@emits("backup_runs", "id started_at finished_at status size_bytes location")
def backups(w: World) -> Rows:
    rng = stream(w.seed, "backups")
    for n, o in enumerate(range(w.first_day, w.today.toordinal() + 1), start=1):
        started = w.local.at(o, 120)
        if started > w.now:
            break
        failed = rng.random() < 0.01
        # compressed dumps; backup_runs.size_bytes is a 32-bit INTEGER in the model (< 2 GiB)
        size = int(6e8 * (1 + (o - w.first_day) / 400) * rng.between(0.98, 1.02))
        d = day(o)
        yield (
            n,
            dt(started),
            dt(started + rng.randint(15, 40) * MINUTE),
            "failed" if failed else "completed",
            None if failed else size,
            None if failed else f"s3://mediconnect-backups/{d:%Y/%m/%d}/db.dump",
        )


@emits("safety_events", "id clinic_id appointment_id kind severity description occurred_at reported_by_id")
def safety(w: World) -> Rows:
    rng, a = stream(w.seed, "safety"), w.appts
    reporters: dict[int, list[int]] = {}
    for st in w.staff:
        reporters.setdefault(st.clinic_id, []).append(st.user.id)
    done = [
        i
        for i in range(0, len(a), max(1, len(a) // (w.scale.safety_events * 20)))
        if a.status[i] == COMPLETED
    ]
    for n in range(1, w.scale.safety_events + 1):
        i = rng.choice(done)
        kind, severity, text = rng.choice(SAFETY_EVENTS)
        clinic = a.clinic[i]
        yield (
            n,
            clinic,
            i + 1 if rng.random() < 0.8 else None,
            kind,
            severity,
            text,
            dt(a.started[i] + rng.randint(0, 30) * MINUTE),
            rng.choice(reporters.get(clinic, [None])),
        )


REPORTS = (
    ("monthly-revenue", "Monthly Revenue Report", "billing", "monthly"),
    ("aging", "Aging Report", "billing", "weekly"),
    ("claims-summary", "Medical Aid Claims Summary", "billing", "weekly"),
    ("payment-methods", "Payment Methods Analysis", "billing", "monthly"),
    ("daily-cashup", "Daily Cash-up", "billing", "daily"),
    ("department-analysis", "Radiology Department Analysis", "analytics", "weekly"),
    ("no-show-analysis", "Missed Appointments Analysis", "analytics", "weekly"),
    ("radiologist-turnaround", "Radiologist Turnaround Times", "analytics", "monthly"),
    ("patient-satisfaction", "Patient Satisfaction Trends", "analytics", "monthly"),
    ("demand-forecast", "Appointment Demand Forecast", "analytics", "on_demand"),
)
EVERY = {"daily": 1, "weekly": 7, "monthly": 30}


@emits(
    "scheduled_reports", "id key name category schedule parameters owner_id clinic_id next_run_at created_at"
)
def scheduled_reports(w: World) -> Rows:
    for n, (key, name, category, schedule) in enumerate(REPORTS, start=1):
        owner = 5 if category == "billing" else 6
        yield (
            n,
            key,
            name,
            category,
            schedule,
            {"format": "pdf"},
            owner,
            1 if key == "daily-cashup" else None,
            dt(_next_run(w, schedule)),
            dt(w.local.at(w.first_day - 30, 540)),
        )


def _next_run(w: World, schedule: str) -> int:
    today = w.today.toordinal()
    if schedule == "on_demand":
        return 0
    if schedule == "daily":
        return w.local.at(today + 1, 480)
    if schedule == "weekly":
        return w.local.at(today + (7 - (today - 1) % 7), 480)
    nxt = w.today.replace(day=1)
    nxt = nxt.replace(year=nxt.year + (nxt.month == 12), month=nxt.month % 12 + 1)
    return w.local.at(nxt.toordinal(), 540)


@emits("report_runs", "id report_id status started_at finished_at period_label stored_name error")
def report_runs(w: World) -> Rows:
    rng, n, today = stream(w.seed, "report-runs"), 0, w.today.toordinal()
    for rid, (_key, _name, _cat, schedule) in enumerate(REPORTS, start=1):
        every = EVERY.get(schedule, 45)
        o = max(w.first_day, today - (180 if schedule == "daily" else 730))
        while o < today:
            started = w.local.at(o, 480 if schedule != "monthly" else 540)
            failed = rng.random() < 0.02
            n += 1
            yield (
                n,
                rid,
                "failed" if failed else "completed",
                dt(started),
                dt(started + rng.randint(20, 600)),
                f"{day(o):%Y-%m-%d}",
                None if failed else rng.hex(16),
                "Timed out waiting for the database" if failed else None,
            )
            o += every
