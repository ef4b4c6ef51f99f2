"""``patient_alerts``: what needs the doctor's attention about their patients.

"The doctor's patients": patients with a non-cancelled appointment with this doctor scheduled
from ``PATIENT_LOOKBACK_DAYS`` days ago onwards (upcoming bookings included).

* ``overdue_followup``: a completed visit whose follow-up fell due in the last
  ``doctor.followups.LOOKBACK_DAYS`` (before today) with no later visit with this doctor (cancelled and
  no-show ones do not count); one per patient (their latest). ``high`` from
  ``OVERDUE_HIGH_DAYS`` days late, else ``medium``.
* ``medication_interaction``: a patient holding two active prescriptions (status active, not
  ended before today) whose medications form a pair of the curated ``medication_interactions``
  table; priority from its severity (``SEVERITY_PRIORITY``).
* ``abnormal_vitals``: the patient's latest vital signs (within ``VITALS_LOOKBACK_DAYS``) with a
  reading outside ``RANGES``; ``critical`` when beyond a critical bound, else ``high``.

At most ``MAX_ALERTS``, most urgent first. Messages are composed from the figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from mediconnect.dashboards.doctor import followups as doctor_followups
from mediconnect.dashboards.doctor.context import DoctorContext
from mediconnect.dashboards.doctor.schema import DoctorPatientAlert
from mediconnect.dashboards.kit.sql import CANCELLED, A
from mediconnect.models.clinical import (
    Medication,
    MedicationInteraction,
    Prescription,
    PrescriptionStatus,
    VitalSign,
)
from mediconnect.models.patients import Patient

# The doctor's active panel: seen in the last quarter or booked. Alerts about patients not seen
# for longer belong on recall lists, and the shorter list keeps the alert queries index-bound.
PATIENT_LOOKBACK_DAYS = 90
# Two weeks late turns a reminder into a clinical risk for most follow-up plans.
OVERDUE_HIGH_DAYS = 14
# A reading older than this no longer describes the patient.
VITALS_LOOKBACK_DAYS = 90
MAX_ALERTS = 20
SEVERITY_PRIORITY = {"critical": "critical", "major": "high", "moderate": "medium"}
PRIORITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}
TYPE_ORDER = {"medication_interaction": 0, "abnormal_vitals": 1, "overdue_followup": 2}


@dataclass(frozen=True)
class Range:
    """Normal is ``low <= value <= high``; critical below ``critical_low`` or above ``critical_high``."""

    label: str
    unit: str
    low: float
    high: float
    critical_low: float
    critical_high: float


# Adult resting ranges. Why these bounds: BP >= 140/90 is hypertension and >= 180/120 a crisis
# (ESC/ESH 2018); < 90/60 is hypotension, < 80 systolic shock-range. Heart rate outside 50-100
# is brady/tachycardia, < 40 or > 130 needs same-day review. SpO2 below 92% prompts assessment
# (BTS oxygen guideline), below 88% is critical. Temperature >= 38.0 C is fever, >= 40 C
# hyperpyrexia; < 35 C hypothermia, < 32 C moderate hypothermia.
RANGES: dict[str, Range] = {
    "systolic": Range("Systolic BP", "mmHg", 90, 139, 80, 179),
    "diastolic": Range("Diastolic BP", "mmHg", 60, 89, 40, 119),
    "heart_rate": Range("Heart rate", "bpm", 50, 100, 40, 130),
    "spo2": Range("SpO2", "%", 92, 100, 88, 100),
    "temperature_c": Range("Temperature", "C", 35.0, 37.9, 32.0, 39.9),
}

P = sa.inspect(Patient).local_table.c  # type: ignore[union-attr]
RX = sa.inspect(Prescription).local_table
MI = sa.inspect(MedicationInteraction).local_table.c  # type: ignore[union-attr]
MED = sa.inspect(Medication).local_table
V = sa.inspect(VitalSign).local_table.c  # type: ignore[union-attr]


def my_patients(ctx: DoctorContext) -> list[int]:
    since = ctx.span(ctx.today - timedelta(days=PATIENT_LOOKBACK_DAYS), ctx.today)[0]
    return list(
        ctx.session.scalars(
            sa.select(A.patient_id)
            .where(A.doctor_id == ctx.doctor_id, A.scheduled_start >= since, A.status != CANCELLED)
            .distinct()
        )
    )


def _weeks_or_days(days: int) -> str:
    if days >= OVERDUE_HIGH_DAYS:
        weeks = days // 7
        return f"{weeks} weeks"
    return f"{days} day" if days == 1 else f"{days} days"


def overdue(ctx: DoctorContext, items: list[doctor_followups.FollowUp]) -> list[dict[str, Any]]:
    latest: dict[int, doctor_followups.FollowUp] = {}
    for f in items:
        if not f.later and (f.patient_id not in latest or f.visited > latest[f.patient_id].visited):
            latest[f.patient_id] = f
    out = []
    for f in latest.values():
        late = (ctx.today - f.due).days
        out.append(
            {
                "type": "overdue_followup",
                "patient_id": f.patient_id,
                "message": f"Follow-up overdue by {_weeks_or_days(late)}",
                "priority": "high" if late >= OVERDUE_HIGH_DAYS else "medium",
                "last_visit": f.visited.astimezone(ctx.tz).date().isoformat(),
                "due_date": f.due.isoformat(),
            }
        )
    return out


def interactions(ctx: DoctorContext, patients: list[int]) -> list[dict[str, Any]]:
    ma, mb = MED.alias("ma"), MED.alias("mb")
    pairs = {
        (a_id, b_id): (a, b, severity)
        for a_id, b_id, a, b, severity in ctx.session.execute(
            sa.select(MI.medication_a_id, MI.medication_b_id, ma.c.name, mb.c.name, MI.severity)
            .join(ma, ma.c.id == MI.medication_a_id)
            .join(mb, mb.c.id == MI.medication_b_id)
        )
    }
    if not pairs or not patients:
        return []
    involved = {m for pair in pairs for m in pair}
    # Fetched, then paired here: a self-join on prescriptions makes PostgreSQL scan the table.
    held: dict[int, set[int]] = {}
    for pid, med in ctx.session.execute(
        sa.select(RX.c.patient_id, RX.c.medication_id).where(
            ctx.one_of(RX.c.patient_id, patients),
            RX.c.status == PrescriptionStatus.ACTIVE.value,
            sa.or_(RX.c.ends_on.is_(None), RX.c.ends_on >= ctx.today),
            RX.c.medication_id.in_(involved),
        )
    ):
        held.setdefault(pid, set()).add(med)
    out = []
    for pid in sorted(held):
        meds = sorted(held[pid])
        for i, first in enumerate(meds):
            for second in meds[i + 1 :]:
                found = pairs.get((first, second))
                if found is None:
                    continue
                a, b, severity = found
                out.append(
                    {
                        "type": "medication_interaction",
                        "patient_id": pid,
                        "message": f"Potential {severity} interaction between {a} and {b}",
                        "priority": SEVERITY_PRIORITY.get(severity, "medium"),
                        "medications": [a, b],
                    }
                )
    return out


def _out_of_range(values: dict[str, Any]) -> tuple[list[str], bool]:
    notes: list[str] = []
    critical = False
    for name, value in values.items():
        r = RANGES[name]
        if r.low <= value <= r.high:
            continue
        unit = r.unit if r.unit == "%" else f" {r.unit}"
        notes.append(f"{r.label} {value:g}{unit} (normal {r.low:g}-{r.high:g})")
        critical = critical or value > r.critical_high or value < r.critical_low
    return notes, critical


def vitals(ctx: DoctorContext, patients: list[int]) -> list[dict[str, Any]]:
    if not patients:
        return []
    since = ctx.now - timedelta(days=VITALS_LOOKBACK_DAYS)
    order = sa.func.row_number().over(partition_by=V.patient_id, order_by=(V.recorded_at.desc(), V.id.desc()))
    ranked = (
        sa.select(V.id, V.patient_id, V.recorded_at, *(V[name] for name in RANGES), order.label("rn"))
        .where(ctx.one_of(V.patient_id, patients), V.recorded_at >= since)
        .subquery()
    )
    outside = sa.or_(*(sa.or_(ranked.c[n] < r.low, ranked.c[n] > r.high) for n, r in RANGES.items()))
    rows = ctx.session.execute(
        sa.select(ranked).where(ranked.c.rn == 1, outside).order_by(ranked.c.patient_id)
    ).all()
    out: list[dict[str, Any]] = []
    for row in rows:
        values = {name: getattr(row, name) for name in RANGES if getattr(row, name) is not None}
        notes, critical = _out_of_range(values)
        if not notes:
            continue
        out.append(
            {
                "type": "abnormal_vitals",
                "patient_id": row.patient_id,
                "message": "; ".join(notes),
                "priority": "critical" if critical else "high",
                "recorded_at": row.recorded_at.astimezone(ctx.tz).date().isoformat(),
                "readings": {k: v for k, v in values.items() if RANGES[k].low > v or v > RANGES[k].high},
            }
        )
    return out


def build(ctx: DoctorContext, followups: list[doctor_followups.FollowUp]) -> list[DoctorPatientAlert]:
    """``followups``: ``doctor.followups.recent``, shared with the monthly compliance figure."""
    patients = my_patients(ctx)
    alerts = interactions(ctx, patients) + vitals(ctx, patients) + overdue(ctx, followups)
    if not alerts:
        return []
    names = {
        pid: f"{first} {last}"
        for pid, first, last in ctx.session.execute(
            sa.select(P.id, P.first_name, P.last_name).where(
                ctx.one_of(P.id, {a["patient_id"] for a in alerts})
            )
        )
    }
    for a in alerts:
        a["patient_name"] = names.get(a["patient_id"], "")
    alerts.sort(
        key=lambda a: (
            PRIORITY_ORDER[a["priority"]],
            TYPE_ORDER[a["type"]],
            a["patient_name"],
            a["patient_id"],
        )
    )
    keys = ("type", "patient_id", "patient_name", "message", "priority")
    # Each kind sets only its own keys (last_visit, medications, readings ...).
    return [
        DoctorPatientAlert.model_validate(
            {**{k: a[k] for k in keys}, **{k: v for k, v in a.items() if k not in keys}}
        )
        for a in alerts[:MAX_ALERTS]
    ]
