"""Outgoing SMS and email about appointments and reports, one row per message, unique keys."""

from __future__ import annotations

from mediconnect.seed.clock import HOUR, MINUTE, dt
from mediconnect.seed.codes import CANCELLED, NO_SHOW
from mediconnect.seed.emit_appointments import chunks
from mediconnect.seed.emitters import Rows, emits
from mediconnect.seed.rng import Rng, stream
from mediconnect.seed.world import World

ERRORS = {
    "sms": ("Invalid destination number", "Carrier rejected message", "Unreachable handset"),
    "email": ("Mailbox unavailable", "Message rejected as spam", "Domain not found"),
}
SUBJECTS = {
    "booking_confirmation": "Your appointment is booked",
    "appointment_reminder": "Appointment reminder",
    "appointment_cancelled": "Your appointment was cancelled",
    "missed_appointment": "We missed you today",
    "report_ready": "Your report is ready",
}


def _row(
    rng: Rng,
    n: int,
    now: int,
    appt: int,
    template: str,
    channel: str,
    user: int,
    patient: int,
    to: str,
    when: int,
) -> tuple:  # type: ignore[type-arg]
    r = rng.random()
    status = "delivered" if r < 0.9 else "sent" if r < 0.95 else "failed" if r < 0.98 else "skipped"
    if when > now - 2 * MINUTE:
        status = "queued"
    sent = delivered = 0
    error = provider_id = None
    attempts = 1
    if status in ("delivered", "sent", "failed"):
        sent = when + rng.randint(2, 40)
        provider_id = f"SM{rng.hex(16)}" if channel == "sms" else f"<{rng.hex(12)}@mail.mediconnect.local>"
    if status == "delivered":
        delivered = sent + rng.randint(1, 120)
    elif status == "failed":
        error, attempts = rng.choice(ERRORS[channel]), 3
    elif status == "queued":
        attempts = 0
    subject = SUBJECTS[template] if channel == "email" else None
    return (
        n,
        f"appt-{appt}-{template}-{channel}",
        user or None,
        patient,
        appt,
        channel,
        template,
        to,
        subject,
        status,
        ("twilio" if channel == "sms" else "smtp") if sent else None,
        provider_id,
        attempts,
        error,
        dt(when),
        dt(sent),
        dt(delivered),
    )


@emits(
    "notifications",
    "id idempotency_key user_id patient_id appointment_id channel template to_address subject "
    "status provider provider_id attempts error created_at sent_at delivered_at",
    total=lambda w: int(len(w.appts) * 1.9),
)
def notifications(w: World) -> Rows:
    rng, p, now, n = stream(w.seed, "notifications"), w.patients, w.now, 0
    delivered_report = {
        w.reports.appt[i]: w.reports.delivered[i] for i in range(len(w.reports)) if w.reports.delivered[i]
    }
    names = ("patient", "status", "booked", "rem_sent", "cancelled", "noshow")
    for a, rows in chunks(w.appts, names):
        for k, (pat, st, booked, rem_sent, cancelled, noshow) in enumerate(rows):
            aid, i = a + k + 1, pat - 1
            email, phone, user = p.email[i], p.phone[i], p.user_id[i]
            events = [("booking_confirmation", booked + rng.randint(5, 60))]
            if rem_sent:
                events.append(("appointment_reminder", rem_sent))
            if st == CANCELLED:
                events.append(("appointment_cancelled", cancelled + rng.randint(5, 120)))
            elif st == NO_SHOW and rng.random() < 0.5 and noshow + 2 * HOUR <= now:
                events.append(("missed_appointment", noshow + 2 * HOUR))
            report = delivered_report.get(aid)
            if report:
                events.append(("report_ready", report + rng.randint(5, 120)))
            for template, when in events:
                if when > now:
                    continue
                channel = "sms" if phone and (template == "appointment_reminder" or not email) else "email"
                to = phone if channel == "sms" else email
                if not to:
                    continue
                n += 1
                yield _row(rng, n, now, aid, template, channel, user, pat, to, when)
