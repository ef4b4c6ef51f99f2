"""Recording one booked slot: referral, channel, type, the lifecycle outcome, follow-ups and
reschedules it causes, and the appointment row itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mediconnect.seed.catalog import price_factor
from mediconnect.seed.clock import DAY, HOUR, MINUTE
from mediconnect.seed.codes import (
    CANCELLED,
    CH_DESK,
    CH_ONLINE,
    CH_PHONE,
    CH_REFERRAL,
    COMPLETED,
    NO_SHOW,
    RESCHEDULE_REASON,
    T_CHECKUP,
    T_CONSULT,
    T_FOLLOW_UP,
    T_NEW,
    T_PROCEDURE,
    T_SCAN,
)
from mediconnect.seed.lifecycle import play
from mediconnect.seed.vocab_ops import APPOINTMENT_NOTES
from mediconnect.seed.world import Lane, Service

if TYPE_CHECKING:
    from mediconnect.seed.scheduler import Request, Scheduler

FOLLOW_UP_SERVICE = {"gp": "CON-GP-FU", "paed": "CON-PAED", "cardio": "CON-CARD", "ortho": "CON-ORTH"}


def _referrer(s: Scheduler, clinic_id: int) -> int:
    rng = s.rng
    if rng.random() < 0.1:
        return 0  # a paper referral from a doctor without an account
    if clinic_id == 1 and rng.random() < 0.12:
        return 1  # the demo referring doctor sends many patients to the flagship
    region = s.w.clinic(clinic_id).place.region
    local = s.referrers_by_region.get(region)
    if local and rng.random() < 0.8:
        return rng.choice(local)
    return rng.randint(1, len(s.w.referrers)) if s.w.referrers else 0


def _referral(
    s: Scheduler, patient_id: int, svc: Service, booked: int, referrer: int, lead: int, appt_id: int
) -> int:
    rng = s.rng
    if lead <= 2:
        urgency = 2 if rng.random() < 0.1 else 1 if rng.random() < 0.5 else 0
    else:
        urgency = 1 if rng.random() < 0.1 else 0
    referred = booked - rng.randint(0, 10) * DAY - rng.randint(0, 8 * HOUR)
    return s.refs.append(patient_id, referrer, svc.id, urgency, referred, appt_id, appt_id, 0)


def book(
    s: Scheduler,
    lane: Lane,
    day: int,
    svc: Service,
    pat: int,
    start: int,
    end: int,
    booked: int,
    req: Request | None,
    busy_until: int,
    imaging: bool,
) -> int:
    """Record the appointment; returns when its room is free again."""
    from mediconnect.seed.scheduler import Request

    w, rng, now = s.w, s.rng, s.w.now
    p = w.patients
    assert p is not None
    clinic, doctor, spec = w.clinic(lane.clinic_id), w.doctor(lane.doctor_id), svc.spec
    appt_id = len(s.appts) + 1
    lead = max(0, (start - booked) // DAY)
    ref = 0
    if req and req.referral:
        ref = req.referral
        s.refs.last_appt[ref - 1] = appt_id
    elif req and req.refer_demo:
        ref = _referral(s, pat + 1, svc, booked, 1, lead, appt_id)
    elif (imaging or spec.referral_required) and rng.random() < (0.95 if spec.referral_required else 0.4):
        ref = _referral(s, pat + 1, svc, booked, _referrer(s, clinic.id), lead, appt_id)
    uid = p.user_id[pat]
    if ref and rng.random() < 0.45:
        channel = CH_REFERRAL
    elif uid and rng.random() < 0.62:
        channel = CH_ONLINE
    else:
        channel = CH_DESK if lead == 0 and rng.random() < 0.6 else CH_PHONE
    desk = s.front_desk.get(clinic.id) or [0]
    booked_by = uid if channel == CH_ONLINE else (rng.choice(desk) if rng.random() < 0.9 else 0)
    cat = spec.category
    if (req and req.follow_up) or spec.code == "CON-GP-FU":
        atype = T_FOLLOW_UP
    elif spec.code == "CON-GP-NEW" or (cat == "consultation" and not s.visits[pat]):
        atype = T_NEW
    elif spec.code == "CON-GP-CHK":
        atype = T_CHECKUP
    else:
        atype = T_CONSULT if cat == "consultation" else T_PROCEDURE if cat == "procedure" else T_SCAN
    scheme = p.scheme[pat]
    needs_auth = bool(scheme) and w.tariffs[(scheme, svc.id)].requires_authorisation
    hour = (start - w.local.midnight(day)) // HOUR
    o = play(
        rng,
        now,
        start,
        end,
        booked,
        lead,
        p.age_on(pat, day),
        s.prior_noshow[pat],
        p.area[pat] == "Rural",
        clinic.wait_factor * doctor.delay,
        doctor.speed,
        busy_until,
        hour,
        bool(spec.preparation),
        needs_auth,
        bool(req and req.force),
    )
    cancelled_by = 0
    if o.status == CANCELLED:
        cancelled_by = uid if o.cancelled_by_patient and uid and rng.random() < 0.8 else rng.choice(desk)
        if o.cancel_reason == RESCHEDULE_REASON:
            again = Request(
                pat,
                svc,
                o.cancelled,
                kind=lane.kind,
                resched_from=appt_id,
                referral=ref,
                follow_up=atype == T_FOLLOW_UP,
            )
            s.push(clinic.id, lane.kind, day + rng.randint(2, 21), again)
    elif o.status == NO_SHOW:
        s.prior_noshow[pat] += 1
    follow = 0
    if o.status == COMPLETED and cat == "consultation" and rng.random() < 0.3:
        follow = day + rng.choice((14, 28, 42, 90))
        if rng.random() < 0.65:
            fu = w.service_by_code[FOLLOW_UP_SERVICE[lane.kind]]
            again = Request(pat, fu, min(o.ended + 10 * MINUTE, now), kind=lane.kind, follow_up=True)
            s.push(clinic.id, lane.kind, follow + rng.randint(-5, 7), again)
    s.visits[pat] += 1
    price = round(spec.price_cents * price_factor(w, day) / 100) * 100
    note = rng.randrange(len(APPOINTMENT_NOTES)) if rng.random() < 0.08 else -1
    room = w.rooms[lane.room_id - 1]
    s.appts.append(
        pat + 1,
        clinic.id,
        svc.id,
        doctor.id,
        clinic.departments.get(spec.department) or room.department_id or 0,
        lane.room_id,
        lane.equipment_id if spec.requires_equipment else 0,
        ref,
        atype,
        o.status,
        channel,
        start,
        end,
        price,
        booked,
        booked_by,
        o.prep_ack,
        o.confirmed,
        o.rem_sent,
        o.rem_conf,
        o.checkin,
        o.started,
        o.ended,
        o.cancelled,
        o.cancel_reason,
        cancelled_by,
        o.noshow,
        req.resched_from if req else 0,
        follow,
        note,
        lead,
        o.risk,
    )
    return o.busy_until
