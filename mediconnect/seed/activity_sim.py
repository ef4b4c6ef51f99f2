"""Who signed in and when, over the scale's login window: staff on their working days, patients
now and then, the demo accounts every day (and online right now); failed passwords, lockouts and
a few suspicious bursts from single IPs, which become security incidents."""

from __future__ import annotations

from dataclasses import dataclass, field

from mediconnect.seed.clock import DAY, HOUR, MINUTE
from mediconnect.seed.emit_reports import ip
from mediconnect.seed.rng import stream
from mediconnect.seed.vocab_ops import USER_AGENTS
from mediconnect.seed.world import World

FEATURES = {
    "patient": (("appointments", 0.9), ("messaging", 0.35), ("billing", 0.3)),
    "doctor": (("appointments", 0.95), ("messaging", 0.6), ("analytics", 0.35), ("billing", 0.15)),
    "referring_doctor": (("appointments", 0.6), ("messaging", 0.3)),
    "clinic_staff": (("appointments", 0.95), ("messaging", 0.4), ("analytics", 0.2)),
    "billing_staff": (("billing", 0.98), ("appointments", 0.4), ("analytics", 0.3)),
    "analytics_staff": (("analytics", 0.98), ("appointments", 0.2)),
    "admin": (("analytics", 0.7), ("appointments", 0.5), ("billing", 0.4), ("messaging", 0.2)),
}


@dataclass
class Activity:
    # (user id, created, last seen, expires, ended or 0, ip, user agent index)
    sessions: list[tuple[int, int, int, int, int, str, int]] = field(default_factory=list)
    # (user id or 0, email, ip, success, outcome, method, at)
    attempts: list[tuple[int, str, str, bool, str, str, int]] = field(default_factory=list)
    # (type, ip, user id or 0, count, action, detected, resolved or 0)
    incidents: list[tuple[str, str, int, int, str, int, int]] = field(default_factory=list)
    # (day ordinal, user id, feature, uses, seconds)
    features: list[tuple[int, int, str, int, int]] = field(default_factory=list)
    last_login: dict[int, int] = field(default_factory=dict)


def simulate(world: World) -> None:
    rng, now, act = stream(world.seed, "activity"), world.now, Activity()
    today = world.today.toordinal()
    first = today - world.scale.login_window_days
    accounts: list[tuple[int, str, str, float]] = []  # (user id, email, role, sessions per day)
    for u in world.users:
        rate = {"patient": 0.5, "referring_doctor": 0.3}.get(u.role, 0.8)
        accounts.append((u.id, u.email, u.role, 1.0 if u.id <= 7 else rate))
    p = world.patients
    n_staff = len(world.users)
    for i in range(len(p)):
        if p.user_id[i] > n_staff:
            accounts.append(
                (p.user_id[i], p.email[i] or "", "patient", min(0.4, 0.03 * p.propensity[i] + 0.01))
            )
    for uid, email, role, rate in accounts:
        staff = role not in ("patient", "referring_doctor")
        since = max(first, world.first_day)
        for o in range(since, today + 1):
            weekday = (o - 1) % 7
            if staff and weekday == 6 and uid > 7:
                continue
            if rng.random() >= (rate if not staff or weekday < 5 else rate * 0.3) and not (
                uid <= 7 and o == today
            ):
                continue
            if staff:
                start = world.local.at(o, rng.randint(7 * 60, 9 * 60 + 30))
                length = rng.randint(4 * HOUR, 9 * HOUR)
            else:
                start = world.local.at(o, rng.randint(6 * 60, 22 * 60))
                length = rng.randint(3 * MINUTE, 40 * MINUTE)
            if o == today and uid <= 7:
                start = min(start, now - rng.randint(20 * MINUTE, 90 * MINUTE))
            if start >= now:
                continue
            address, agent = ip(rng), rng.randrange(len(USER_AGENTS))
            if rng.random() < 0.06:
                for _ in range(rng.randint(1, 2)):
                    act.attempts.append(
                        (uid, email, address, False, "bad_password", "password", start - rng.randint(20, 300))
                    )
            method = "oidc" if staff and rng.random() < 0.15 else "password"
            act.attempts.append((uid, email, address, True, "success", method, start))
            act.last_login[uid] = max(act.last_login.get(uid, 0), start)
            last_seen = min(now, start + length)
            online = last_seen >= now - 15 * MINUTE
            ended = 0 if online or rng.random() < 0.4 else last_seen + rng.randint(10, 300)
            ended = ended if ended <= now else 0
            act.sessions.append((uid, start, last_seen, start + 12 * HOUR, ended, address, agent))
            seconds = last_seen - start
            for feature, p_use in FEATURES[role]:
                if rng.random() < p_use:
                    act.features.append(
                        (o, uid, feature, rng.randint(1, 8), int(seconds * rng.between(0.05, 0.5)))
                    )
    _attacks(world, rng, act, first)
    world.activity = act


def _attacks(world: World, rng, act: Activity, first: int) -> None:  # type: ignore[no-untyped-def]
    now = world.now
    emails = [u.email for u in world.users[:40]]
    bursts = max(3, world.scale.login_window_days // 15)
    for b in range(bursts):
        address = f"185.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        start = (
            now - rng.randint(HOUR, 20 * HOUR)
            if b == 0
            else world.local.at(rng.randint(first, world.today.toordinal() - 1), rng.randint(0, 1439))
        )
        count = rng.randint(12, 40)
        for k in range(count):
            target = (
                rng.choice(emails) if rng.random() < 0.5 else f"admin{rng.randint(1, 99)}@mediconnect.local"
            )
            outcome = "suspicious" if k >= 5 else "unknown_user" if "admin" in target else "bad_password"
            act.attempts.append(
                (0, target, address, False, outcome, "password", start + k * rng.randint(5, 25))
            )
        detected = start + 5 * 20
        action = "permanent_block" if count > 30 else "temporary_block"
        resolved = 0 if b == 0 else detected + rng.randint(HOUR, 2 * DAY)
        act.incidents.append(
            ("failed_login_attempts", address, 0, count, action, detected, min(resolved, now))
        )
    for _ in range(max(1, bursts // 2)):
        u = rng.choice(world.users[7:] or world.users)
        at = world.local.at(rng.randint(first, world.today.toordinal()), rng.randint(480, 1200))
        at = min(at, now - HOUR)
        for k in range(5):
            act.attempts.append((u.id, u.email, ip(rng), False, "bad_password", "password", at + k * 30))
        act.attempts.append((u.id, u.email, ip(rng), False, "locked", "password", at + 200))
        act.incidents.append(
            ("account_lockout", "", u.id, 6, "account_locked", at + 200, min(now, at + 2 * HOUR))
        )
    act.attempts.sort(key=lambda x: (x[6], x[0], x[1]))
