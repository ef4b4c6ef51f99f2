"""Reports for completed imaging (and ECG) appointments: who wrote and signed them, and when.
Turnaround (signed_at - ended_at) depends on the modality, the radiologist and the urgency;
reports whose signing time lies after "now" are still drafts."""

from __future__ import annotations

from mediconnect.seed.clock import HOUR, MINUTE
from mediconnect.seed.codes import COMPLETED, REPORTED_MODALITIES, RP_AMENDED, RP_DRAFT, RP_FINAL
from mediconnect.seed.columns import ReportsSim
from mediconnect.seed.rng import stream
from mediconnect.seed.vocab_reports import REPORT_TEXT
from mediconnect.seed.world import World

TURNAROUND_HOURS = {
    "xray": 3.0,
    "ultrasound": 1.5,
    "ct": 10.0,
    "mri": 26.0,
    "mammography": 20.0,
    "fluoroscopy": 6.0,
    "dexa": 24.0,
    "ecg": 5.0,
}


def simulate(world: World) -> None:
    rng, a, out = stream(world.seed, "reports"), world.appts, ReportsSim()
    refs = world.referrals
    modality = [s.spec.modality for s in world.services]
    status_by_appt: dict[int, int] = {}
    now = world.now
    for i in range(len(a)):
        if a.status[i] != COMPLETED:
            continue
        mod = modality[a.service[i] - 1]
        if mod not in REPORTED_MODALITIES:
            continue
        doc = world.doctor(a.doctor[i])
        ended = a.ended[i]
        hours = TURNAROUND_HOURS[mod] * doc.report_speed * rng.lognormvariate(0.0, 0.55)
        ref = a.referral[i]
        if ref and refs.urgency[ref - 1] > 0:
            hours *= 0.35
        signed = ended + int(hours * HOUR) + rng.randint(5 * MINUTE, 30 * MINUTE)
        created = ended + rng.randint(2 * MINUTE, 20 * MINUTE)
        status, signer = RP_FINAL, doc.id
        if signed > now or rng.random() < 0.004:
            status, signer, signed = RP_DRAFT, 0, 0
        elif rng.random() < 0.02:
            status = RP_AMENDED
        delivered = signed + rng.randint(2 * MINUTE, 60 * MINUTE) if signed else 0
        if delivered > now:
            delivered = 0
        texts = REPORT_TEXT[mod]
        finding = rng.randrange(len(texts)) if rng.random() < 0.45 else 0
        out.append(i + 1, status, doc.id, signer, min(created, now), signed, delivered, finding)
        status_by_appt[i + 1] = status
    out.status_by_appt = status_by_appt  # type: ignore[attr-defined]
    world.reports = out
