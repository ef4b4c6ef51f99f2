"""Pre-authorisations, the waitlist and stored no-show / churn risk scores."""

from __future__ import annotations

from datetime import time

from mediconnect.seed.clock import DAY, HOUR, MINUTE, dt
from mediconnect.seed.codes import CANCELLED, COMPLETED, NO_SHOW, PREAUTH_DECLINED_REASON
from mediconnect.seed.emit_appointments import chunks
from mediconnect.seed.emitters import Rows, day, emits
from mediconnect.seed.patients_build import covered_on
from mediconnect.seed.rng import stream
from mediconnect.seed.world import World


@emits(
    "pre_authorisations",
    "id membership_id service_id appointment_id reference status requested_at decided_at valid_until",
)
def pre_authorisations(w: World) -> Rows:
    rng, p, n = stream(w.seed, "preauth"), w.patients, 0
    names = ("patient", "service", "status", "start", "booked", "cancel_reason")
    for a, rows in chunks(w.appts, names):
        for k, (pat, svc, st, start, booked, reason) in enumerate(rows):
            i = pat - 1
            scheme = p.scheme[i]
            if not scheme or not w.tariffs[(scheme, svc)].requires_authorisation:
                continue
            o = w.local.local_day(start)
            if not covered_on(p, i, o):
                continue
            requested = min(w.now, booked + rng.randint(10 * MINUTE, 4 * HOUR))
            decided = requested + rng.randint(HOUR, 72 * HOUR)
            status = "approved"
            if st == CANCELLED and reason == PREAUTH_DECLINED_REASON:
                status = "declined"
            elif st == NO_SHOW and rng.random() < 0.5:
                status = "expired"
            if decided > w.now:
                status, decided = "requested", 0
            n += 1
            yield (
                n,
                p.ms_id[i],
                svc,
                a + k + 1,
                f"PA{scheme:02d}{n:09d}",
                status,
                dt(requested),
                dt(decided),
                day(o + 30),
            )


WAIT_STATUS = ("waiting",) * 11 + ("offered",) * 3 + ("accepted",) * 3 + ("declined", "expired", "cancelled")


@emits(
    "waitlist_entries",
    "id patient_id clinic_id service_id desired_date earliest_time latest_time status "
    "created_at offered_at offer_expires_at offered_slot_start appointment_id",
)
def waitlist(w: World) -> Rows:
    rng, a = stream(w.seed, "waitlist"), w.appts
    today = w.today.toordinal()
    future = [
        i for i in range(max(0, len(a) - 200_000), len(a)) if a.start[i] > w.now and a.status[i] in (0, 1)
    ]
    for n in range(1, w.scale.waitlist + 1):
        status = rng.choice(WAIT_STATUS)
        if future and status == "accepted":
            i = rng.choice(future)
            pat, clinic, svc, desired = a.patient[i], a.clinic[i], a.service[i], w.local.local_day(a.start[i])
            appt = i + 1
        else:
            i = rng.randrange(len(a)) if len(a) else 0
            pat, clinic, svc = a.patient[i], a.clinic[i], a.service[i]
            desired, appt = today + rng.randint(1, 28), None
        created = w.now - rng.randint(HOUR, 20 * DAY)
        offered = expires = slot = None
        if status in ("offered", "accepted", "declined", "expired"):
            offered = min(w.now - MINUTE, created + rng.randint(HOUR, 5 * DAY))
            expires = offered + (24 * HOUR if status != "expired" else 12 * HOUR)
            slot = dt(w.local.at(desired, rng.choice((480, 540, 600, 840))))
            if status == "offered":
                expires = max(expires, w.now + HOUR)
        early = rng.choice((None, time(8), time(9), time(13)))
        late = time(17) if early else None
        yield (
            n,
            pat,
            clinic,
            svc,
            day(desired),
            early,
            late,
            status,
            dt(created),
            dt(offered or 0),
            dt(expires or 0),
            slot,
            appt,
        )


@emits("risk_scores", "id kind appointment_id patient_id score model_version computed_at")
def risk_scores(w: World) -> Rows:
    a, n = w.appts, 0
    computed = dt(w.now - 2 * HOUR)
    last_visit: dict[int, int] = {}
    visits: dict[int, int] = {}
    for i in range(len(a)):
        if a.status[i] == COMPLETED:
            pat = a.patient[i]
            last_visit[pat] = a.start[i]
            visits[pat] = visits.get(pat, 0) + 1
        elif a.start[i] > w.now and a.status[i] in (0, 1):
            n += 1
            yield (n, "no_show", i + 1, a.patient[i], round(float(a.risk[i]), 4), "seed-logit-1", computed)
    for pat in sorted(last_visit):
        idle = (w.now - last_visit[pat]) / DAY
        if visits[pat] >= 2 and idle > 150:
            n += 1
            yield (n, "churn", None, pat, round(min(0.97, idle / 540), 4), "seed-recency-1", computed)
