"""Referrals and their documents, appointments, their status history, pre-authorisations, the
waitlist and stored no-show / churn risk scores."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from mediconnect.seed import datafiles
from mediconnect.seed.clock import DAY, HOUR, MINUTE, dt
from mediconnect.seed.codes import (
    APPT_STATUS,
    APPT_TYPE,
    BOOKED,
    CANCEL_REASONS,
    CANCELLED,
    CHANNEL,
    COMPLETED,
    CONFIRMED,
    NO_SHOW,
    PREAUTH_DECLINED_REASON,
    RP_DRAFT,
)  # fmt: skip
from mediconnect.seed.columns import Columns
from mediconnect.seed.emitters import Rows, day, emits, money
from mediconnect.seed.patients_build import covered_on
from mediconnect.seed.rng import stream
from mediconnect.seed.vocab_clinical import INDICATIONS
from mediconnect.seed.vocab_ops import APPOINTMENT_NOTES
from mediconnect.seed.world import World

URGENCY = ("routine", "urgent", "emergency")
cents = lru_cache(maxsize=4096)(money)


def chunks(
    cols: Columns, names: tuple[str, ...], size: int = 50_000
) -> Iterator[tuple[int, Iterator[tuple[Any, ...]]]]:
    """(first index, rows of the named columns) in slices: fast iteration over typed arrays."""
    n = len(cols)
    for a in range(0, n, size):
        b = min(n, a + size)
        yield a, zip(*(getattr(cols, name)[a:b].tolist() for name in names), strict=True)


def extra_referrals(w: World) -> int:
    return max(2, len(w.referrals) // 40)


@emits("referrals", "id patient_id referring_doctor_id referrer_name service_id clinical_indication urgency status "
       "referred_on created_by_id", total=lambda w: len(w.referrals) + extra_referrals(w))  # fmt: skip
def referrals(w: World) -> Rows:
    rng, r, a, p = stream(w.seed, "referrals"), w.referrals, w.appts, w.patients
    names = datafiles.names()
    report_status = w.reports.status_by_appt
    for i in range(len(r)):
        svc = w.services[r.service[i] - 1]
        last = r.last_appt[i] - 1
        st = a.status[last]
        if st == COMPLETED:
            rs = report_status.get(last + 1, -1)
            status = "reported" if rs > RP_DRAFT else "completed"
        elif st in (CANCELLED, NO_SHOW):
            status = "received"
        else:
            status = "booked"
        yield _referral_row(w, rng, names, i + 1, r.patient[i], r.referrer[i], svc.id, svc.spec.modality,
                            URGENCY[r.urgency[i]], status, r.referred[i])  # fmt: skip
    n = len(r)
    for k in range(extra_referrals(w)):
        rejected = k % 4 == 3
        when = w.now - rng.randint(1, 400 if rejected else 14) * DAY - rng.randint(0, 8 * HOUR)
        svc = rng.choice([s for s in w.services if s.kind.startswith("img")])
        referrer = rng.randint(1, len(w.referrers)) if w.referrers and rng.random() < 0.9 else 0
        yield _referral_row(w, rng, names, n + k + 1, rng.randint(1, len(p)), referrer, svc.id, svc.spec.modality,
                            "routine", "rejected" if rejected else "received", when)  # fmt: skip


def _referral_row(w, rng, names, rid, patient_id, referrer, service_id, modality, urgency, status, when):  # type: ignore[no-untyped-def]
    p = w.patients
    name = None
    if referrer:
        created_by = w.referrers[referrer - 1].user.id
    else:
        name = f"Dr {rng.choice(names['female'] + names['male'])} {rng.choice(names['surname'])}"
        created_by = p.user_id[patient_id - 1] or None
    indication = rng.choice(INDICATIONS.get(modality, INDICATIONS["xray"]))
    return (
        rid,
        patient_id,
        referrer or None,
        name,
        service_id,
        indication,
        urgency,
        status,
        dt(when),
        created_by,
    )


DOC_NAMES = (("referral_letter.pdf", "application/pdf"), ("Referral.pdf", "application/pdf"),
             ("scan_0001.jpg", "image/jpeg"), ("previous_report.pdf", "application/pdf"),
             ("IMG_2041.png", "image/png"), ("lab_results.pdf", "application/pdf"))  # fmt: skip


@emits("referral_documents", "id referral_id original_filename stored_name content_type size_bytes sha256 "
       "uploaded_by_id uploaded_at deleted_at", total=lambda w: int(len(w.referrals) * 1.0))  # fmt: skip
def referral_documents(w: World) -> Rows:
    rng, r, p, n = stream(w.seed, "referral-docs"), w.referrals, w.patients, 0
    for i in range(len(r)):
        k = 0 if rng.random() < 0.12 else 2 if rng.random() < 0.1 else 1
        if not r.referrer[i]:
            k = max(k, 1)
        for _ in range(k):
            name, ctype = rng.choice(DOC_NAMES)
            uploader = (
                w.referrers[r.referrer[i] - 1].user.id
                if r.referrer[i]
                else p.user_id[r.patient[i] - 1] or None
            )
            n += 1
            yield (n, i + 1, name, rng.hex(16), ctype, rng.randint(40_000, 3_000_000), rng.hex(32), uploader,
                   dt(min(w.now, r.referred[i] + rng.randint(MINUTE, 2 * HOUR))),
                   dt(w.now - rng.randint(1, 30) * DAY) if rng.random() < 0.01 else None)  # fmt: skip


APPT_COLS = ("patient", "clinic", "service", "doctor", "department", "room", "equipment", "referral", "atype",
             "status", "channel", "start", "end", "price", "booked", "booked_by", "prep_ack", "confirmed",
             "rem_sent", "rem_conf", "checkin", "started", "ended", "cancelled", "cancel_reason", "cancelled_by",
             "noshow", "resched_from", "follow_up", "note")  # fmt: skip


@emits("appointments", "id patient_id clinic_id service_id doctor_id department_id room_id equipment_id referral_id "
       "appointment_type status channel scheduled_start scheduled_end price notes booked_by_id booked_at "
       "preparation_acknowledged_at confirmed_at reminder_sent_at reminder_confirmed_at checked_in_at started_at "
       "ended_at cancelled_at cancellation_reason cancelled_by_id no_show_recorded_at rescheduled_from_id "
       "follow_up_due_on", total=lambda w: len(w.appts))  # fmt: skip
def appointments(w: World) -> Rows:
    for a, rows in chunks(w.appts, APPT_COLS):
        for k, (pat, cl, svc, doc, dept, room, eq, ref, at, st, ch, s, e, price, bk, bkby, prep, conf, rs, rc, ci,
                started, ended, canc, reason, cby, ns, rf, fu, note) in enumerate(rows):  # fmt: skip
            yield (a + k + 1, pat, cl, svc, doc, dept or None, room, eq or None, ref or None, APPT_TYPE[at],
                   APPT_STATUS[st], CHANNEL[ch], dt(s), dt(e), cents(price),
                   APPOINTMENT_NOTES[note] if note >= 0 else None, bkby or None, dt(bk), dt(prep), dt(conf), dt(rs),
                   dt(rc), dt(ci), dt(started), dt(ended), dt(canc), CANCEL_REASONS[reason][0] if reason >= 0 else None,
                   cby or None, dt(ns), rf or None, day(fu))  # fmt: skip


def status_change_total(w: World) -> int:
    a = w.appts
    if w.scale.status_history != "full":
        return sum(1 for s in a.status if s in (CANCELLED, NO_SHOW))
    return (
        len(a)
        + sum(1 for x in a.confirmed if x)
        + sum(1 for x in a.checkin if x)
        + 2 * sum(1 for x in a.ended if x)
        + sum(1 for s in a.status if s in (CANCELLED, NO_SHOW))
    )


@emits("appointment_status_changes", "id appointment_id from_status to_status changed_by_id reason changed_at",
       total=status_change_total)  # fmt: skip
def status_changes(w: World) -> Rows:
    full = w.scale.status_history == "full"
    doctor_user = [0] + [d.user.id for d in w.doctors]
    names = ("status", "booked", "booked_by", "confirmed", "checkin", "started", "ended", "cancelled",
             "cancel_reason", "cancelled_by", "noshow", "resched_from", "doctor")  # fmt: skip
    n = 0
    for a, rows in chunks(w.appts, names):
        for k, (st, bk, bkby, conf, ci, started, ended, canc, reason, cby, ns, rf, doc) in enumerate(rows):
            aid = a + k + 1
            prev = None
            if full:
                n += 1
                yield (
                    n,
                    aid,
                    None,
                    "booked",
                    bkby or None,
                    f"Rescheduled from #{rf}" if rf else None,
                    dt(bk),
                )
                prev = "booked"
                if conf:
                    n += 1
                    yield (n, aid, prev, "confirmed", bkby or None, None, dt(conf))
                    prev = "confirmed"
                if ci:
                    n += 1
                    yield (n, aid, prev, "checked_in", None, None, dt(ci))
                    prev = "checked_in"
                if started:
                    n += 1
                    yield (n, aid, prev, "in_progress", doctor_user[doc], None, dt(started))
                    prev = "in_progress"
                if ended:
                    n += 1
                    yield (n, aid, prev, "completed", doctor_user[doc], None, dt(ended))
            if st == CANCELLED:
                n += 1
                yield (n, aid, prev or APPT_STATUS[CONFIRMED if conf else BOOKED], "cancelled", cby or None,
                       CANCEL_REASONS[reason][0], dt(canc))  # fmt: skip
            elif st == NO_SHOW:
                n += 1
                yield (n, aid, prev or APPT_STATUS[CONFIRMED if conf else BOOKED], "no_show", None,
                       "Patient did not arrive", dt(ns))  # fmt: skip


@emits("pre_authorisations", "id membership_id service_id appointment_id reference status requested_at decided_at "
       "valid_until")  # fmt: skip
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
            yield (n, p.ms_id[i], svc, a + k + 1, f"PA{scheme:02d}{n:09d}", status, dt(requested), dt(decided),
                   day(o + 30))  # fmt: skip


WAIT_STATUS = ("waiting",) * 11 + ("offered",) * 3 + ("accepted",) * 3 + ("declined", "expired", "cancelled")


@emits("waitlist_entries", "id patient_id clinic_id service_id desired_date earliest_time latest_time status "
       "created_at offered_at offer_expires_at offered_slot_start appointment_id")  # fmt: skip
def waitlist(w: World) -> Rows:
    from datetime import time

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
        yield (n, pat, clinic, svc, day(desired), early, late, status, dt(created), dt(offered or 0), dt(expires or 0),
               slot, appt)  # fmt: skip


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
