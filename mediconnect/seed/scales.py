"""How big each seed is. Every volume knob lives here so the generators hold no magic numbers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    operating_clinics: int
    pending_clinics: int  # registered, awaiting verification: no activity yet
    suspended_clinics: int  # operated until three months ago
    radiologists: int
    clinicians: int
    patients: int
    target_appointments: int
    referring_doctors: int
    # Share of the week a doctor works (days out of Mon-Sat).
    doctor_days: tuple[int, int] = (4, 5)
    login_window_days: int = 90  # sessions, login attempts and feature usage cover this window
    dose_window_days: int = 7  # scheduled doses kept for active prescriptions
    dose_patient_share: float = 1.0  # share of patients with a login who track doses
    tickets: int = 400
    safety_events: int = 60
    waitlist: int = 120
    messages_per_patient_user: float = 1.2
    # "full": every lifecycle transition; "terminal": only cancellations and no-shows.
    status_history: str = "full"


SCALES: dict[str, Scale] = {
    "tiny": Scale(
        name="tiny",
        operating_clinics=1,
        pending_clinics=0,
        suspended_clinics=0,
        radiologists=1,
        clinicians=2,
        patients=150,
        target_appointments=1_200,
        referring_doctors=5,
        doctor_days=(3, 4),
        login_window_days=60,
        tickets=30,
        safety_events=5,
        waitlist=10,
    ),
    "demo": Scale(
        name="demo",
        operating_clinics=3,
        pending_clinics=1,
        suspended_clinics=0,
        radiologists=5,
        clinicians=7,
        patients=2_000,
        target_appointments=30_000,
        referring_doctors=15,
        doctor_days=(4, 5),
    ),
    "large": Scale(
        name="large",
        operating_clinics=20,
        pending_clinics=1,
        suspended_clinics=1,
        radiologists=130,
        clinicians=170,
        patients=200_000,
        target_appointments=2_120_000,
        referring_doctors=400,
        doctor_days=(5, 5),
        login_window_days=30,
        dose_window_days=5,
        dose_patient_share=0.25,
        tickets=8_000,
        safety_events=1_200,
        waitlist=6_000,
        messages_per_patient_user=0.8,
    ),
}
