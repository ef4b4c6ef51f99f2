"""Patients and their medical aid memberships."""

from __future__ import annotations

from datetime import date

from mediconnect.seed import datafiles
from mediconnect.seed.clock import dt
from mediconnect.seed.codes import MEMBERSHIP_STATUS, MS_EXPIRED
from mediconnect.seed.emitters import Rows, day, emits
from mediconnect.seed.rng import stream
from mediconnect.seed.world import World


@emits(
    "patients",
    "id user_id first_name last_name date_of_birth sex phone email address city region area_type "
    "id_number emergency_contact primary_doctor_id home_clinic_id auto_pay_enabled registered_at",
    total=lambda w: len(w.patients),
)
def patients(w: World) -> Rows:
    p, rng = w.patients, stream(w.seed, "patient-rows")
    names = datafiles.names()
    for i in range(len(p)):
        pid = i + 1
        dob = date.fromordinal(p.dob[i])
        id_number = f"{dob:%y%m%d}{pid:07d}"
        contact = None
        if rng.random() < 0.6:
            contact = (
                f"{rng.choice(names['female'] + names['male'])} {p.last[i]} "
                f"(+27 8{rng.randint(1, 4)} {rng.randint(100, 999)} {rng.randint(1000, 9999)})"
            )
        yield (
            pid,
            p.user_id[i] or None,
            p.first[i],
            p.last[i],
            dob,
            p.sex[i],
            p.phone[i],
            p.email[i],
            p.street[i],
            p.city[i],
            p.region[i],
            p.area[i],
            id_number,
            contact,
            p.primary_doctor[i] or None,
            p.home_clinic[i],
            p.auto_pay[i],
            dt(p.registered[i]),
        )


@emits(
    "medical_aid_memberships",
    "id patient_id scheme_id policy_number dependant_code principal_member status "
    "valid_from valid_to is_primary",
)
def memberships(w: World) -> Rows:
    p, today = w.patients, w.today.toordinal()
    for i in range(len(p)):
        if not p.scheme[i]:
            continue
        scheme = w.schemes[p.scheme[i] - 1].spec
        child = p.age_on(i, today) < 18
        principal = f"{'Parent of ' if child else ''}{p.first[i]} {p.last[i]}"
        status = p.ms_status[i]
        yield (
            p.ms_id[i],
            i + 1,
            p.scheme[i],
            f"{scheme.code}{i + 1:09d}",
            "02" if child else "00",
            principal,
            MEMBERSHIP_STATUS[status],
            day(p.ms_from[i]),
            day(p.ms_to[i]) if status == MS_EXPIRED else None,
            True,
        )
