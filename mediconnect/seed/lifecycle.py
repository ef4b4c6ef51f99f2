"""One appointment's life: confirmation, reminder, cancellation or no-show, arrival, waiting,
the visit itself; then everything after the anchor instant is cut away, which leaves today's
appointments checked in or in progress around "now" and future ones booked or confirmed.

The no-show model is deliberately legible (the analytics dashboards should find it):
logit = -3.45 + 0.045 * lead days + 0.8 * prior no-shows (max 3) + 0.6 if aged 18-30
        + 0.3 if rural - 1.8 if the reminder was confirmed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from mediconnect.seed.clock import DAY, HOUR, MINUTE
from mediconnect.seed.codes import (
    BOOKED,
    CANCEL_REASONS,
    CANCELLED,
    CHECKED_IN,
    COMPLETED,
    CONFIRMED,
    IN_PROGRESS,
    NO_SHOW,
    PREAUTH_DECLINED_REASON,
)
from mediconnect.seed.rng import Rng

PATIENT_EARLY = tuple(i for i, (_, who) in enumerate(CANCEL_REASONS) if who == "patient")
PATIENT_LATE = tuple(i for i, (_, who) in enumerate(CANCEL_REASONS) if who == "patient_late")
STAFF = tuple(
    i for i, (_, who) in enumerate(CANCEL_REASONS) if who == "staff" and i != PREAUTH_DECLINED_REASON
)
# How much the waiting room backs up by local hour: the morning peak waits longest.
HOUR_BUSY = (1.0,) * 7 + (0.8, 1.1, 1.35, 1.3, 1.1, 0.9, 0.8, 1.0, 0.9, 0.8, 0.7) + (0.7,) * 6


def no_show_probability(
    lead_days: int, prior_no_shows: int, age: int, rural: bool, reminder_confirmed: bool
) -> float:
    logit = -3.45 + 0.045 * min(lead_days, 60) + 0.8 * min(prior_no_shows, 3)
    logit += (
        (0.6 if 18 <= age <= 30 else 0.0) + (0.3 if rural else 0.0) - (1.8 if reminder_confirmed else 0.0)
    )
    return 1.0 / (1.0 + math.exp(-logit))


@dataclass(slots=True)
class Outcome:
    status: int = BOOKED
    confirmed: int = 0
    rem_sent: int = 0
    rem_conf: int = 0
    prep_ack: int = 0
    checkin: int = 0
    started: int = 0
    ended: int = 0
    cancelled: int = 0
    cancel_reason: int = -1
    cancelled_by_patient: bool = False
    noshow: int = 0
    risk: float = 0.0
    busy_until: int = 0  # when the room is free again (the next patient cannot start earlier)


def play(
    rng: Rng,
    now: int,
    start: int,
    end: int,
    booked: int,
    lead_days: int,
    age: int,
    prior_no_shows: int,
    rural: bool,
    wait_scale: float,
    speed: float,
    busy_until: int,
    hour: int,
    has_prep: bool,
    needs_auth: bool,
    force: bool,
) -> Outcome:
    o = Outcome(busy_until=busy_until)
    gap = start - booked
    if rng.random() < 0.78:
        o.confirmed = booked + int(min(gap * 0.5, rng.uniform(2 * MINUTE, 2 * DAY)))
    if gap > 36 * HOUR:
        o.rem_sent = start - 24 * HOUR - rng.randint(0, 2 * HOUR)
        if rng.random() < 0.55:
            o.rem_conf = o.rem_sent + rng.randint(3 * MINUTE, 8 * HOUR)
    elif gap > 5 * HOUR:  # short notice: a same-day SMS two hours before
        o.rem_sent = start - 2 * HOUR - rng.randint(0, 30 * MINUTE)
        if rng.random() < 0.45:
            o.rem_conf = o.rem_sent + rng.randint(2 * MINUTE, 60 * MINUTE)
    if has_prep and rng.random() < 0.7:
        o.prep_ack = booked + rng.randint(5 * MINUTE, max(6 * MINUTE, min(20 * HOUR, gap // 2)))
    o.risk = no_show_probability(lead_days, prior_no_shows, age, rural, bool(o.rem_conf))
    p_cancel = 0.0 if force else 0.055 + 0.0012 * min(lead_days, 60)
    if gap > HOUR and rng.random() < p_cancel:
        r = rng.random()
        if r < 0.62 and gap > 26 * HOUR:
            o.cancelled = booked + rng.randint(HOUR, gap - 25 * HOUR)
            o.cancel_reason, o.cancelled_by_patient = rng.choice(PATIENT_EARLY), True
        elif r < 0.82:
            o.cancelled = start - rng.randint(30 * MINUTE, min(23 * HOUR, gap - 10 * MINUTE))
            o.cancel_reason, o.cancelled_by_patient = rng.choice(PATIENT_LATE), True
        else:
            o.cancelled = booked + rng.randint(30 * MINUTE // 2, max(30 * MINUTE, gap - HOUR))
            o.cancel_reason = (
                PREAUTH_DECLINED_REASON if needs_auth and rng.random() < 0.5 else rng.choice(STAFF)
            )
        if o.cancelled <= now:
            o.status = CANCELLED
            o.confirmed = o.confirmed if o.confirmed < o.cancelled else 0
            o.rem_sent = o.rem_sent if o.rem_sent < o.cancelled else 0
            o.rem_conf = o.rem_conf if o.rem_sent and o.rem_conf < o.cancelled else 0
            o.prep_ack = o.prep_ack if o.prep_ack < o.cancelled else 0
            return _cut(o, now)
        o.cancelled, o.cancel_reason, o.cancelled_by_patient = 0, -1, False
    if not force and rng.random() < o.risk:
        o.noshow = start + rng.randint(20 * MINUTE, 45 * MINUTE)
    else:
        if rng.random() < 0.88:
            o.checkin = start - rng.randint(MINUTE, 25 * MINUTE)
        else:
            o.checkin = start + rng.randint(MINUTE, 20 * MINUTE)
        o.checkin = max(o.checkin, max(booked, o.confirmed) + rng.randint(MINUTE, 5 * MINUTE))
        ready = max(o.checkin, start, busy_until)
        delay = rng.expovariate(1.0 / (2.2 * wait_scale * HOUR_BUSY[hour])) * MINUTE
        if rng.random() < 0.03:
            delay += rng.randint(15, 50) * MINUTE  # an emergency squeezed in, a scanner reboot
        o.started = ready + int(delay) + rng.randint(0, 59)
        o.ended = o.started + int((end - start) * speed * rng.lognormvariate(0.0, 0.18))
        o.busy_until = o.ended
    return _cut(o, now)


def _cut(o: Outcome, now: int) -> Outcome:
    """Forget everything that has not happened by `now` and derive the status from what remains."""
    for name in ("confirmed", "rem_sent", "rem_conf", "prep_ack", "checkin", "started", "ended", "noshow"):
        if getattr(o, name) > now:
            setattr(o, name, 0)
    if o.rem_conf and not o.rem_sent:
        o.rem_conf = 0
    if o.status == CANCELLED:
        return o
    if o.noshow:
        o.status = NO_SHOW
    elif o.ended:
        o.status = COMPLETED
    elif o.started:
        o.status = IN_PROGRESS
    elif o.checkin:
        o.status = CHECKED_IN
    elif o.confirmed:
        o.status = CONFIRMED
    else:
        o.status = BOOKED
    return o
