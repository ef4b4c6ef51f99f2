"""Patients: demographics, where they live and which clinic they use, how often they visit, how
they pay, their medical aid membership, and whether they have a login."""

from __future__ import annotations

from mediconnect.seed import datafiles
from mediconnect.seed.clock import DAY
from mediconnect.seed.codes import (
    MS_ACTIVE,
    MS_EXPIRED,
    MS_PENDING,
    MS_SUSPENDED,
    PAYER_LATER,
    PAYER_NEVER,
    PAYER_PARTIAL,
    PAYER_PROMPT,
    PAYER_SLOW,
)
from mediconnect.seed.columns import Patients
from mediconnect.seed.demo_accounts import DEMO_BY_ROLE
from mediconnect.seed.rng import Weighted, stream
from mediconnect.seed.vocab_ops import STREETS
from mediconnect.seed.world import World

AGE_BANDS = Weighted([(0, 17), (18, 30), (31, 50), (51, 70), (71, 95)], [0.13, 0.19, 0.31, 0.26, 0.11])
SEX = Weighted(["female", "male", "other", "unknown"], [0.53, 0.46, 0.005, 0.005])
PAYER = Weighted(
    [PAYER_PROMPT, PAYER_LATER, PAYER_SLOW, PAYER_PARTIAL, PAYER_NEVER], [0.47, 0.33, 0.1, 0.07, 0.03]
)
MS_STATUS = Weighted([MS_ACTIVE, MS_SUSPENDED, MS_EXPIRED, MS_PENDING], [0.84, 0.07, 0.07, 0.02])
AREA_FACTOR = {"Urban": 1.1, "Suburban": 1.0, "Rural": 0.65}


def _age_factor(age: int) -> float:
    if age < 18:
        return 0.7
    if age <= 30:
        return 0.8
    if age <= 50:
        return 1.0
    return 1.3 if age <= 70 else 1.5


def build(world: World) -> None:
    rng, p = stream(world.seed, "patients"), Patients()
    names, places = datafiles.names(), datafiles.places()
    today = world.today.toordinal()
    clinics = [c for c in world.clinics if c.status in {"active", "suspended"}]
    size = {c.id: 1 + sum(1 for d in world.doctors if c.id in d.pattern.values()) for c in clinics}
    home_pick = Weighted([c.id for c in clinics], [c.place.weight * size[c.id] for c in clinics])
    schemes = Weighted([s.id for s in world.schemes], [s.spec.market_share for s in world.schemes])
    clinicians = {
        c.id: [d.id for d in world.doctors if d.kind != "rad" and d.primary_clinic == c.id] for c in clinics
    }
    span = today - world.first_day
    next_user = len(world.users) + 1
    ms_next = 1
    for i in range(world.scale.patients):
        demo = i == 0
        age = rng.randint(*AGE_BANDS.draw(rng))
        sex = SEX.draw(rng)
        if demo:
            age, sex = 58, "female"
        dob = today - int(age * 365.2425) - rng.randint(0, 364)
        first = rng.pick(
            names["female" if sex == "female" else "male" if sex == "male" else rng.pick(("female", "male"))]
        )
        last = rng.pick(names["surname"])
        home = 1 if demo else home_pick.draw(rng)
        place = world.clinic(home).place
        if rng.chance(0.15):
            same = [pl for pl in places if pl.region == place.region]
            place = rng.pick(same)
        area = Weighted(["Urban", "Suburban", "Rural"], list(place.area_shares)).draw(rng)
        if demo:
            acc = DEMO_BY_ROLE["patient"]
            first, last, area = acc.first_name, acc.last_name, "Urban"
        has_login = demo or rng.chance(0.72 if age >= 18 else 0.15)
        if has_login and not demo:
            uid = next_user
            next_user += 1
        else:
            uid = DEMO_BY_ROLE["patient"].user_id if demo else 0
        if demo or rng.chance(0.4):
            registered = world.first_day - rng.randint(30, 1800)
        else:
            registered = world.first_day + int(span * rng.random() ** 0.75)
        reg_ts = world.local.at(registered, rng.randint(7 * 60, 20 * 60))
        p.first.append(first)
        p.last.append(last)
        p.dob.append(dob)
        p.sex.append(sex)
        p.phone.append(
            f"+27 {rng.choice((60, 71, 72, 73, 74, 76, 79, 81, 82, 83, 84))} {rng.randint(100, 999)} "
            f"{rng.randint(1000, 9999)}"
            if age >= 12 or rng.chance(0.3)
            else None
        )
        email = None
        if has_login:
            email = f"{first}.{last}.{i + 1}@example.com".lower().replace(" ", "")
        elif rng.chance(0.45):
            email = f"{first[0]}{last}{i + 1}@example.net".lower().replace(" ", "")
        if demo:
            email = DEMO_BY_ROLE["patient"].email
        p.email.append(email)
        p.street.append(f"{rng.randint(1, 400)} {rng.pick(STREETS)}")
        p.city.append(place.city)
        p.region.append(place.region)
        p.area.append(area)
        docs = clinicians.get(home) or [1]
        p.primary_doctor.append(1 if demo else (rng.pick(docs) if rng.chance(0.7) else 0))
        p.home_clinic.append(home)
        p.user_id.append(uid)
        p.registered.append(min(reg_ts, world.now - DAY))
        p.auto_pay.append(bool(uid) and rng.chance(0.15))
        p.propensity.append(
            0.3 if demo else rng.gammavariate(1.3, 1.0) * AREA_FACTOR[area] * _age_factor(age)
        )
        p.payer.append(PAYER_SLOW if demo else PAYER.draw(rng))
        if demo or rng.chance(0.7):
            status = MS_ACTIVE if demo else MS_STATUS.draw(rng)
            valid_from = min(registered, today) - rng.randint(0, 1500)
            valid_to = 0
            if status == MS_EXPIRED:
                valid_to = world.first_day + rng.randint(60, max(61, span - 1))
            elif status == MS_SUSPENDED:
                valid_to = today - rng.randint(20, 300)  # coverage stops here; stored as NULL
            elif status == MS_PENDING:
                valid_from = today - rng.randint(1, 10)
            p.scheme.append(world.schemes[0].id if demo else schemes.draw(rng))
            p.ms_status.append(status)
            p.ms_from.append(valid_from)
            p.ms_to.append(valid_to)
            p.ms_id.append(ms_next)
            ms_next += 1
        else:
            p.scheme.append(0)
            p.ms_status.append(0)
            p.ms_from.append(0)
            p.ms_to.append(0)
            p.ms_id.append(0)
    world.patients = p


def covered_on(p: Patients, index: int, ordinal: int) -> bool:
    """Whether the patient's medical aid pays for a visit on that day."""
    if not p.scheme[index]:
        return False
    status = p.ms_status[index]
    if status == MS_PENDING or ordinal < p.ms_from[index]:
        return False
    if status in (MS_EXPIRED, MS_SUSPENDED):
        return ordinal < p.ms_to[index]
    return True
