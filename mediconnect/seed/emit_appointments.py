"""Appointments and their status history, plus the chunked reader the other emitters share."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from mediconnect.seed.clock import dt
from mediconnect.seed.codes import (
    APPT_STATUS,
    APPT_TYPE,
    BOOKED,
    CANCEL_REASONS,
    CANCELLED,
    CHANNEL,
    CONFIRMED,
    NO_SHOW,
)
from mediconnect.seed.columns import Columns
from mediconnect.seed.emitters import Rows, day, emits, money
from mediconnect.seed.vocab_ops import APPOINTMENT_NOTES
from mediconnect.seed.world import World

cents = lru_cache(maxsize=4096)(money)


def chunks(
    cols: Columns, names: tuple[str, ...], size: int = 50_000
) -> Iterator[tuple[int, Iterator[tuple[Any, ...]]]]:
    """(first index, rows of the named columns) in slices: fast iteration over typed arrays."""
    n = len(cols)
    for a in range(0, n, size):
        b = min(n, a + size)
        yield a, zip(*(getattr(cols, name)[a:b].tolist() for name in names), strict=True)


APPT_COLS = (
    "patient",
    "clinic",
    "service",
    "doctor",
    "department",
    "room",
    "equipment",
    "referral",
    "atype",
    "status",
    "channel",
    "start",
    "end",
    "price",
    "booked",
    "booked_by",
    "prep_ack",
    "confirmed",
    "rem_sent",
    "rem_conf",
    "checkin",
    "started",
    "ended",
    "cancelled",
    "cancel_reason",
    "cancelled_by",
    "noshow",
    "resched_from",
    "follow_up",
    "note",
)


@emits(
    "appointments",
    "id patient_id clinic_id service_id doctor_id department_id room_id equipment_id referral_id "
    "appointment_type status channel scheduled_start scheduled_end price notes booked_by_id booked_at "
    "preparation_acknowledged_at confirmed_at reminder_sent_at reminder_confirmed_at checked_in_at "
    "started_at ended_at cancelled_at cancellation_reason cancelled_by_id no_show_recorded_at "
    "rescheduled_from_id follow_up_due_on",
    total=lambda w: len(w.appts),
)
def appointments(w: World) -> Rows:
    for a, rows in chunks(w.appts, APPT_COLS):
        for k, (
            pat,
            cl,
            svc,
            doc,
            dept,
            room,
            eq,
            ref,
            at,
            st,
            ch,
            s,
            e,
            price,
            bk,
            bkby,
            prep,
            conf,
            rs,
            rc,
            ci,
            started,
            ended,
            canc,
            reason,
            cby,
            ns,
            rf,
            fu,
            note,
        ) in enumerate(rows):
            yield (
                a + k + 1,
                pat,
                cl,
                svc,
                doc,
                dept or None,
                room,
                eq or None,
                ref or None,
                APPT_TYPE[at],
                APPT_STATUS[st],
                CHANNEL[ch],
                dt(s),
                dt(e),
                cents(price),
                APPOINTMENT_NOTES[note] if note >= 0 else None,
                bkby or None,
                dt(bk),
                dt(prep),
                dt(conf),
                dt(rs),
                dt(rc),
                dt(ci),
                dt(started),
                dt(ended),
                dt(canc),
                CANCEL_REASONS[reason][0] if reason >= 0 else None,
                cby or None,
                dt(ns),
                rf or None,
                day(fu),
            )


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


@emits(
    "appointment_status_changes",
    "id appointment_id from_status to_status changed_by_id reason changed_at",
    total=status_change_total,
)
def status_changes(w: World) -> Rows:
    full = w.scale.status_history == "full"
    doctor_user = [0] + [d.user.id for d in w.doctors]
    names = (
        "status",
        "booked",
        "booked_by",
        "confirmed",
        "checkin",
        "started",
        "ended",
        "cancelled",
        "cancel_reason",
        "cancelled_by",
        "noshow",
        "resched_from",
        "doctor",
    )
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
                yield (
                    n,
                    aid,
                    prev or APPT_STATUS[CONFIRMED if conf else BOOKED],
                    "cancelled",
                    cby or None,
                    CANCEL_REASONS[reason][0],
                    dt(canc),
                )
            elif st == NO_SHOW:
                n += 1
                yield (
                    n,
                    aid,
                    prev or APPT_STATUS[CONFIRMED if conf else BOOKED],
                    "no_show",
                    None,
                    "Patient did not arrive",
                    dt(ns),
                )
