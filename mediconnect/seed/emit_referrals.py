"""Referrals from outside doctors (and paper ones), and the documents uploaded with them."""

from __future__ import annotations

from mediconnect.seed import datafiles
from mediconnect.seed.clock import DAY, HOUR, MINUTE, dt
from mediconnect.seed.codes import CANCELLED, COMPLETED, NO_SHOW, RP_DRAFT
from mediconnect.seed.emitters import Rows, emits
from mediconnect.seed.rng import stream
from mediconnect.seed.vocab_reports import INDICATIONS
from mediconnect.seed.world import World

URGENCY = ("routine", "urgent", "emergency")


def extra_referrals(w: World) -> int:
    return max(2, len(w.referrals) // 40)


@emits(
    "referrals",
    "id patient_id referring_doctor_id referrer_name service_id clinical_indication urgency status "
    "referred_on created_by_id",
    total=lambda w: len(w.referrals) + extra_referrals(w),
)
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
        yield _referral_row(
            w,
            rng,
            names,
            i + 1,
            r.patient[i],
            r.referrer[i],
            svc.id,
            svc.spec.modality,
            URGENCY[r.urgency[i]],
            status,
            r.referred[i],
        )
    n = len(r)
    for k in range(extra_referrals(w)):
        rejected = k % 4 == 3
        when = w.now - rng.randint(1, 400 if rejected else 14) * DAY - rng.randint(0, 8 * HOUR)
        svc = rng.choice([s for s in w.services if s.kind.startswith("img")])
        referrer = rng.randint(1, len(w.referrers)) if w.referrers and rng.random() < 0.9 else 0
        yield _referral_row(
            w,
            rng,
            names,
            n + k + 1,
            rng.randint(1, len(p)),
            referrer,
            svc.id,
            svc.spec.modality,
            "routine",
            "rejected" if rejected else "received",
            when,
        )


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


DOC_NAMES = (
    ("referral_letter.pdf", "application/pdf"),
    ("Referral.pdf", "application/pdf"),
    ("scan_0001.jpg", "image/jpeg"),
    ("previous_report.pdf", "application/pdf"),
    ("IMG_2041.png", "image/png"),
    ("lab_results.pdf", "application/pdf"),
)


@emits(
    "referral_documents",
    "id referral_id original_filename stored_name content_type size_bytes sha256 "
    "uploaded_by_id uploaded_at deleted_at",
    total=lambda w: int(len(w.referrals) * 1.0),
)
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
            yield (
                n,
                i + 1,
                name,
                rng.hex(16),
                ctype,
                rng.randint(40_000, 3_000_000),
                rng.hex(32),
                uploader,
                dt(min(w.now, r.referred[i] + rng.randint(MINUTE, 2 * HOUR))),
                dt(w.now - rng.randint(1, 30) * DAY) if rng.random() < 0.01 else None,
            )
