"""Conditions, allergies, vital signs, prescriptions and scheduled doses, lab tests and results,
health goals and secure messages."""

from __future__ import annotations

from mediconnect.seed.clinical_sim import FLAG
from mediconnect.seed.clock import DAY, HOUR, MINUTE, dt
from mediconnect.seed.codes import COMPLETED
from mediconnect.seed.emit_appointments import chunks
from mediconnect.seed.emitters import Rows, day, emits
from mediconnect.seed.rng import stream
from mediconnect.seed.vocab_clinical import ALLERGIES, CONDITIONS, DOSAGES, FREQUENCY, GOALS
from mediconnect.seed.vocab_ops import MESSAGES
from mediconnect.seed.world import World


@emits(
    "conditions",
    "id patient_id name icd10_code diagnosed_on status diagnosed_by_id",
    total=lambda w: len(w.clinical.conditions),
)
def conditions(w: World) -> Rows:
    for n, (pid, k, diagnosed, status, by) in enumerate(w.clinical.conditions, start=1):
        yield (n, pid, CONDITIONS[k][0], CONDITIONS[k][1], day(diagnosed), status, by or None)


@emits("allergies", "id patient_id allergen severity reaction recorded_at")
def allergies(w: World) -> Rows:
    rng, p, n = stream(w.seed, "allergies"), w.patients, 0
    for i in range(len(p)):
        for allergen, reactions, prevalence in ALLERGIES:
            if rng.random() < prevalence or (i == 0 and allergen == "Iodinated contrast"):
                severity, reaction = rng.choice(reactions)
                n += 1
                yield (
                    n,
                    i + 1,
                    allergen,
                    severity,
                    reaction,
                    dt(min(w.now, p.registered[i] + rng.randint(0, 400) * DAY)),
                )


def _vitals_total(w: World) -> int:
    return len(w.appts) // 5


@emits(
    "vital_signs",
    "id patient_id appointment_id recorded_at systolic diastolic heart_rate weight_kg temperature_c "
    "spo2 recorded_by_id",
    total=_vitals_total,
)
def vitals(w: World) -> Rows:
    rng, p, flags, n = stream(w.seed, "vitals"), w.patients, w.clinical.flags, 0
    consult = [s.spec.modality in ("consultation", "ecg") for s in w.services]
    nurses: dict[int, list[int]] = {}
    for st in w.staff:
        if st.duty_role == "nurse":
            nurses.setdefault(st.clinic_id, []).append(st.user.id)
    ht, af, copd = (
        FLAG["Hypertension"],
        FLAG["Atrial fibrillation"],
        FLAG["Chronic obstructive pulmonary disease"],
    )
    for a, rows in chunks(w.appts, ("status", "patient", "service", "clinic", "checkin", "start")):
        for k, (st, pat, svc, clinic, checkin, start) in enumerate(rows):
            if st != COMPLETED or not consult[svc - 1] or rng.random() > 0.8:
                continue
            i = pat - 1
            f = flags[i]
            age = p.age_on(i, w.local.local_day(start))
            hyper = bool(f & ht) and rng.random() < 0.6
            systolic = round(rng.gauss(146 if hyper else 121, 14 if hyper else 11))
            diastolic = round(rng.gauss(92 if hyper else 77, 8))
            heart = round(rng.gauss(96 if f & af else 74, 14 if f & af else 9))
            if age < 18:
                weight = round(max(3.5, 3.5 + age * 3.2 + rng.gauss(0, 3)), 1)
            else:
                weight = round(rng.gauss(83 if p.sex[i] == "male" else 72, 14), 1)
            temp = round(rng.gauss(38.3, 0.4) if rng.random() < 0.03 else rng.gauss(36.7, 0.3), 1)
            spo2 = min(100, round(rng.gauss(92 if f & copd else 97.5, 1.5)))
            n += 1
            who = nurses.get(clinic)
            yield (
                n,
                pat,
                a + k + 1,
                dt(max(checkin, start - 20 * MINUTE) + rng.randint(2, 10) * MINUTE),
                max(70, min(240, systolic)),
                max(40, min(140, diastolic)),
                max(35, min(190, heart)),
                weight,
                temp,
                max(70, spo2),
                rng.choice(who) if who else None,
            )


@emits(
    "prescriptions",
    "id patient_id medication_id doctor_id dosage frequency doses_per_day prescribed_on ends_on "
    "refills_allowed refills_used remaining_doses next_refill_on status",
    total=lambda w: len(w.clinical.prescriptions),
)
def prescriptions(w: World) -> Rows:
    for n, (pid, med, doc, start, ends, status, allowed, used, remaining, refill) in enumerate(
        w.clinical.prescriptions, start=1
    ):
        dosage, per_day = DOSAGES.get(w.medications[med - 1][1], ("1 tablet", 1))
        yield (
            n,
            pid,
            med,
            doc or None,
            dosage,
            FREQUENCY[per_day],
            per_day,
            day(start),
            day(ends),
            allowed,
            used,
            remaining,
            day(refill),
            status,
        )


DOSE_TIMES = {1: (8 * 60,), 2: (8 * 60, 20 * 60), 3: (8 * 60, 14 * 60, 20 * 60)}


@emits("medication_doses", "id prescription_id scheduled_at status taken_at")
def doses(w: World) -> Rows:
    rng, p, now, n = stream(w.seed, "doses"), w.patients, w.now, 0
    today = w.today.toordinal()
    share = w.scale.dose_patient_share
    tracking: dict[int, bool] = {}
    for rx_id, (pid, med, _doc, _start, _ends, status, *_rest) in enumerate(
        w.clinical.prescriptions, start=1
    ):
        if status != "active" or not p.user_id[pid - 1]:
            continue
        if pid not in tracking:
            tracking[pid] = pid == 1 or rng.random() < share
        if not tracking[pid]:
            continue
        per_day = DOSAGES.get(w.medications[med - 1][1], ("", 1))[1]
        adherence = rng.between(0.7, 0.99)
        for o in range(today - w.scale.dose_window_days, today + 2):
            for minute in DOSE_TIMES[per_day]:
                at = w.local.at(o, minute)
                status, taken = "scheduled", None
                if at < now - HOUR:
                    if rng.random() < adherence:
                        status, taken = "taken", dt(min(now, at + rng.randint(0, 90) * MINUTE))
                    else:
                        status = "missed"
                n += 1
                yield (n, rx_id, dt(at), status, taken)


@emits("health_goals", "id patient_id goal target current progress deadline actions status set_by_id")
def goals(w: World) -> Rows:
    rng, p, flags, n = stream(w.seed, "goals"), w.patients, w.clinical.flags, 0
    today = w.today.toordinal()
    for i in range(len(p)):
        for goal, target, current, actions, condition in GOALS:
            has = bool(flags[i] & FLAG[condition]) if condition else rng.random() < 0.03
            if not has or (i and rng.random() > 0.4):
                continue
            r = rng.random()
            status = "active" if r < 0.75 else "achieved" if r < 0.9 else "abandoned"
            progress = 1.0 if status == "achieved" else round(rng.between(0.1, 0.9), 2)
            n += 1
            yield (
                n,
                i + 1,
                goal,
                target,
                current,
                progress,
                day(today + rng.randint(-30, 150)),
                list(actions),
                status,
                p.primary_doctor[i] or None,
            )


@emits("messages", "id sender_id recipient_id patient_id thread_id subject body sent_at read_at")
def messages(w: World) -> Rows:
    rng, p, now, n = stream(w.seed, "messages"), w.patients, w.now, 0
    doctor_user = {d.id: d.user.id for d in w.doctors}
    clinicians = [d.id for d in w.doctors if d.kind != "rad"] or [1]
    users = [i for i in range(len(p)) if p.user_id[i]]
    count = int(len(users) * w.scale.messages_per_patient_user)
    picks = [0, 0, 0] + [rng.choice(users) for _ in range(count)] if users else []
    for k, i in enumerate(picks):
        doc = doctor_user[p.primary_doctor[i] or (1 if i == 0 else rng.choice(clinicians))]
        patient_user = p.user_id[i]
        subject, body = rng.choice(MESSAGES)
        sent = now - rng.randint(10 * MINUTE, (60 if k < 3 else 700) * DAY)
        sent = max(sent, p.registered[i] + HOUR)
        from_patient = rng.random() < 0.5
        sender, recipient = (patient_user, doc) if from_patient else (doc, patient_user)
        unread = (now - sent < 30 * DAY and rng.random() < 0.5) or k < 2
        n += 1
        first = n
        yield (
            n,
            sender,
            recipient,
            i + 1,
            None,
            subject,
            body,
            dt(sent),
            None if unread else dt(min(now, sent + rng.randint(5 * MINUTE, 2 * DAY))),
        )
        if not unread and rng.random() < 0.6:
            reply = sent + rng.randint(30 * MINUTE, 3 * DAY)
            if reply < now:
                n += 1
                read = None if now - reply < 7 * DAY and rng.random() < 0.5 else dt(min(now, reply + HOUR))
                yield (
                    n,
                    recipient,
                    sender,
                    i + 1,
                    first,
                    f"Re: {subject}",
                    "Thank you, noted.",
                    dt(reply),
                    read,
                )


@emits(
    "lab_tests",
    "id patient_id ordered_by_id test_name location fasting_required preparation_hours status "
    "ordered_at scheduled_at completed_at reviewed_at summary",
)
def lab_tests(w: World) -> Rows:
    for (
        tid,
        pid,
        doc,
        name,
        location,
        fasting,
        prep,
        status,
        ordered,
        scheduled,
        completed,
        reviewed,
        summary,
    ) in w.clinical.labs.tests:
        yield (
            tid,
            pid,
            doc,
            name,
            location,
            fasting,
            prep,
            status,
            dt(ordered),
            dt(scheduled),
            dt(completed),
            dt(reviewed),
            summary,
        )


@emits("lab_results", "id lab_test_id analyte value unit reference_low reference_high flag")
def lab_results(w: World) -> Rows:
    yield from w.clinical.labs.results
