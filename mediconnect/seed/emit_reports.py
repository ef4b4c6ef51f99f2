"""Reports, who opened them, and the feedback patients leave (ratings fall as waits grow)."""

from __future__ import annotations

from mediconnect.seed.clock import HOUR, MINUTE, dt
from mediconnect.seed.codes import COMPLETED, REPORT_STATUS, RP_AMENDED
from mediconnect.seed.emit_appointments import chunks
from mediconnect.seed.emitters import Rows, emits
from mediconnect.seed.patients_build import covered_on
from mediconnect.seed.rng import Rng, stream
from mediconnect.seed.vocab_ops import NEGATIVE_COMMENTS, NEUTRAL_COMMENTS, POSITIVE_COMMENTS, USER_AGENTS
from mediconnect.seed.vocab_reports import REPORT_TEXT
from mediconnect.seed.world import World


def ip(rng: Rng) -> str:
    first = rng.choice((41, 102, 105, 154, 196, 197))
    return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


@emits(
    "reports",
    "id appointment_id patient_id author_doctor_id status findings impression recommendations "
    "file_stored_name file_content_type file_size_bytes created_at signed_by_id signed_at delivered_at",
    total=lambda w: len(w.reports),
)
def reports(w: World) -> Rows:
    rng, r, a = stream(w.seed, "report-rows"), w.reports, w.appts
    modality = [s.spec.modality for s in w.services]
    for i in range(len(r)):
        appt = r.appt[i] - 1
        finding, impression, recommendation, _ = REPORT_TEXT[modality[a.service[appt] - 1]][r.finding[i]]
        status = r.status[i]
        if status == RP_AMENDED:
            finding += " Addendum: comparison with prior imaging confirms the findings."
        stored = rng.hex(16) if r.signed[i] else None
        yield (
            i + 1,
            appt + 1,
            a.patient[appt],
            r.author[i],
            REPORT_STATUS[status],
            finding,
            impression,
            recommendation,
            stored,
            "application/pdf" if stored else None,
            rng.randint(80_000, 600_000) if stored else None,
            dt(r.created[i]),
            r.signer[i] or None,
            dt(r.signed[i]),
            dt(r.delivered[i]),
        )


def accesses(w: World) -> list[tuple[int, int, str, str, int, int, int]]:
    """Every report view/download: (report id, user id, action, ip, user agent index, when, patient id).

    Simulated once and shared by report_accesses and the audit trail."""
    cached = getattr(w.reports, "accesses", None)
    if cached is not None:
        return cached
    rng, r, a, p, refs = stream(w.seed, "report-access"), w.reports, w.appts, w.patients, w.referrals
    out: list[tuple[int, int, str, str, int, int, int]] = []
    now = w.now
    for i in range(len(r)):
        delivered = r.delivered[i]
        if not delivered:
            continue
        appt = r.appt[i] - 1
        patient = a.patient[appt]
        readers = []
        uid = p.user_id[patient - 1]
        if uid and rng.random() < 0.72:
            readers.append((uid, 0.4))
        ref = a.referral[appt]
        if ref and refs.referrer[ref - 1] and rng.random() < 0.85:
            readers.append((w.referrers[refs.referrer[ref - 1] - 1].user.id, 0.45))
        for user, p_download in readers:
            agent = rng.randrange(len(USER_AGENTS))
            address = ip(rng)
            t = delivered
            for action in ["view"] * rng.randint(1, 3) + (["download"] if rng.random() < p_download else []):
                t += int(rng.expovariate(1 / (6 * HOUR))) + MINUTE
                if t > now:
                    break
                out.append((i + 1, user, action, address, agent, t, patient))
    w.reports.accesses = out  # type: ignore[attr-defined]
    return out


@emits(
    "report_accesses",
    "id report_id user_id action ip_address user_agent accessed_at",
    total=lambda w: len(accesses(w)),
)
def report_accesses(w: World) -> Rows:
    for n, (report, user, action, address, agent, t, _patient) in enumerate(accesses(w), start=1):
        yield (n, report, user, action, address, USER_AGENTS[agent], dt(t))


def _clip(x: float) -> int:
    return max(1, min(5, round(x)))


@emits(
    "feedback",
    "id appointment_id patient_id overall_rating wait_time_rating staff_rating communication_rating "
    "facility_rating billing_clarity_rating nps_score would_recommend comments submitted_at",
    total=lambda w: len(w.appts) // 4,
)
def feedback(w: World) -> Rows:
    rng, p, n, now = stream(w.seed, "feedback"), w.patients, 0, w.now
    quality = [0.0] + [c.facility_quality for c in w.clinics]
    names = ("status", "patient", "clinic", "service", "start", "checkin", "started", "ended")
    for a0, rows in chunks(w.appts, names):
        for k, (st, pat, clinic, svc, start, checkin, started, ended) in enumerate(rows):
            if st != COMPLETED:
                continue
            i = pat - 1
            if rng.random() >= (0.4 if p.user_id[i] else 0.2):
                continue
            submitted = ended + HOUR + int(rng.expovariate(1 / (30 * HOUR)))
            if submitted > now:
                continue
            wait = (started - max(checkin, start)) / MINUTE
            late = (started - start) / MINUTE
            overall = _clip(
                4.8 - 0.045 * wait - (0.3 if late > 30 else 0) + 0.3 * quality[clinic] + rng.gauss(0, 0.55)
            )
            wait_rating = _clip(5.1 - wait / 11 + rng.gauss(0, 0.5))
            staff = _clip(overall + rng.gauss(0.25, 0.6))
            comms = _clip(overall + rng.gauss(0.0, 0.6))
            facility = _clip(4.1 + 2 * quality[clinic] + rng.gauss(0, 0.6))
            day = w.local.local_day(start)
            scheme = p.scheme[i]
            shortfall = (
                covered_on(p, i, day)
                and w.tariffs[(scheme, svc)].cap_cents < w.services[svc - 1].spec.price_cents
            )
            billing = _clip((3.6 if shortfall else 4.4) + rng.gauss(0, 0.7))
            nps = max(0, min(10, round(2.3 * overall - 1.3 + rng.gauss(0, 1.1))))
            comment = None
            if rng.random() < 0.4:
                pool = (
                    POSITIVE_COMMENTS
                    if overall >= 4
                    else NEUTRAL_COMMENTS
                    if overall == 3
                    else NEGATIVE_COMMENTS
                )
                comment = rng.choice(pool)
            optional = [
                x if rng.random() > 0.08 else None for x in (wait_rating, staff, comms, facility, billing)
            ]
            n += 1
            yield (n, a0 + k + 1, pat, overall, *optional, nps, nps >= 7, comment, dt(submitted))
