"""Doctors (with where and when they work), clinic staff, referring doctors and every
non-patient account, demo logins first."""

from __future__ import annotations

from datetime import date, timedelta

from mediconnect.seed import datafiles
from mediconnect.seed.demo_accounts import DEMO_ACCOUNTS, DEMO_BY_ROLE
from mediconnect.seed.rng import Rng, stream
from mediconnect.seed.vocab_ops import SPECIALISATIONS_REFERRING
from mediconnect.seed.world import Doctor, Referrer, Staff, User, World

SPECIALIZATION = {
    "rad": "Radiology",
    "gp": "General Practice",
    "cardio": "Cardiology",
    "paed": "Paediatrics",
    "ortho": "Orthopaedics",
}
CLINICIAN_CYCLE = ("cardio", "paed", "ortho", "gp")
# role, staff_role, duty role, job title, department, how many per clinic (base, per 4 radiologists)
STAFF_PLAN = (
    ("clinic_staff", "manager", None, "Practice Manager", None, 1, 0),
    ("clinic_staff", "receptionist", "reception", "Receptionist", None, 2, 0.5),
    ("clinic_staff", "nurse", "nurse", "Registered Nurse", "General Practice", 2, 0.5),
    ("clinic_staff", "radiographer", "radiographer", "Diagnostic Radiographer", "Radiology", 2, 1.0),
    ("clinic_staff", "sonographer", "sonographer", "Sonographer", "Radiology", 1, 0.4),
    ("clinic_staff", "support", "support", "Porter", None, 1, 0),
    ("billing_staff", "billing_clerk", None, "Billing Clerk", None, 1, 0.25),
)


WEEKDAY_STAFFING = (1.0, 0.95, 0.75, 0.7, 0.6)


def _weighted_sample(rng: Rng, weights: tuple[float, ...], k: int) -> list[int]:
    """k distinct indices, drawn in proportion to their weights."""
    pool = list(range(len(weights)))
    out: list[int] = []
    while len(out) < k:
        x = rng.random() * sum(weights[i] for i in pool)
        for i in pool:
            x -= weights[i]
            if x <= 0 or i == pool[-1]:
                out.append(i)
                pool.remove(i)
                break
    return out


def _person(rng: Rng, sex: str | None = None) -> tuple[str, str, str]:
    n = datafiles.names()
    sex = sex or rng.pick(("female", "male"))
    return rng.pick(n[sex]), rng.pick(n["surname"]), sex


def _email(first: str, last: str, uid: int, domain: str) -> str:
    local = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
    return f"{local}.{uid}@{domain}"


def _phone(rng: Rng) -> str:
    return f"+27 8{rng.randint(1, 4)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"


def _leave(rng: Rng, world: World, protect: bool) -> set[int]:
    out: set[int] = set()
    today = world.today.toordinal()
    for year_start in range(world.first_day, world.last_day, 365):
        for _ in range(2):
            start = year_start + rng.randint(0, 350)
            if protect and start > today - 30:
                continue
            out.update(range(start, start + rng.randint(5, 12)))
    return out


def build_doctors(world: World) -> None:
    rng, scale = stream(world.seed, "doctors"), world.scale
    clinics = [c for c in world.clinics if c.status in {"active", "suspended"}]
    operating = [c for c in clinics if c.status == "active"]
    slots: list[tuple[str, int]] = []
    per_clinic: dict[int, int] = {}
    for i in range(scale.clinicians):
        ci = i % len(clinics)
        k = per_clinic.get(ci, 0)
        per_clinic[ci] = k + 1
        slots.append(("gp" if k == 0 else CLINICIAN_CYCLE[(k - 1 + ci) % 4], clinics[ci].id))
    slots += [("rad", clinics[i % len(clinics)].id) for i in range(scale.radiologists)]
    sunday_rad = False
    for did, (kind, clinic_id) in enumerate(slots, start=1):
        demo = did == 1
        if demo:
            acc = DEMO_BY_ROLE["doctor"]
            first, last = acc.first_name, acc.last_name
        else:
            first, last, _ = _person(rng)
        clinic = world.clinic(clinic_id)
        joined = world.first_day - rng.randint(30, 3000)
        if not demo and rng.chance(0.15):
            joined = world.first_day + rng.randint(
                30, max(31, world.today.toordinal() - world.first_day - 60)
            )
        joined = max(joined, clinic.established.toordinal())
        user = User(
            0, "", "doctor", first, last, _phone(rng), world.local.at(min(joined, world.first_day), 600)
        )
        if joined >= world.first_day:
            user.created_ts = world.local.at(joined - rng.randint(3, 20), 600)
        doc = Doctor(
            id=did,
            user=user,
            kind=kind,
            specialization=SPECIALIZATION[kind],
            license_number=f"MP{1_000_000 + did * 7919 % 8_999_999:07d}",
            primary_clinic=clinic_id,
            joined=joined,
            speed=rng.lognormvariate(0, 0.08),
            delay=rng.between(0.6, 1.6),
            report_speed=rng.between(0.6, 1.9),
        )
        doc.bio = f"{SPECIALIZATION[kind]} specialist with {rng.randint(4, 30)} years of experience."
        lo, hi = scale.doctor_days
        # Busy weekdays are staffed more: clinics roster to demand (Monday and Tuesday peak).
        days = sorted(_weighted_sample(rng, WEEKDAY_STAFFING, min(5, rng.randint(lo, hi))))
        if demo:
            days = [0, 1, 2, 3, 4, 5, 6]
        elif rng.chance(0.6):
            days.append(5)
        if kind == "rad" and clinic_id == 1 and not sunday_rad:
            days.append(6)
            sunday_rad = True
        doc.pattern = {wd: clinic_id for wd in days}
        if clinic.status == "suspended":
            same_region = [c for c in operating if c.place.region == clinic.place.region]
            doc.fallback_clinic = (same_region or operating)[0].id
        role = {"rad": "radiologist", "cardio": "consultant", "ortho": "consultant"}.get(kind, "attending")
        dept = "Radiology" if kind == "rad" else SPECIALIZATION[kind]
        started = date.fromordinal(joined)
        ended = date.fromordinal(clinic.active_until) if clinic.status == "suspended" else None
        doc.affiliations.append((clinic_id, dept, role, True, started, ended))
        if doc.fallback_clinic:
            doc.affiliations.append((doc.fallback_clinic, dept, role, False, ended or started, None))
        others = [c for c in operating if c.id != clinic_id]
        if others and not demo and rng.chance(0.2):
            other = rng.pick(others)
            weekday = rng.pick([d for d in days if d < 5])
            doc.pattern[weekday] = other.id
            doc.affiliations.append((other.id, dept, "visiting", False, started, None))
        doc.leave = _leave(rng, world, protect=demo)
        world.doctors.append(doc)


def build_people(world: World) -> None:
    """Assign user ids (demo accounts 1-7 first), create staff, referrers, admins and analysts."""
    rng = stream(world.seed, "people")
    users = world.users
    for acc in DEMO_ACCOUNTS:
        created = world.local.at(world.first_day - 400, 600)
        users.append(
            User(
                acc.user_id,
                acc.email,
                acc.role,
                acc.first_name,
                acc.last_name,
                _phone(rng),
                created,
                password_hash=world.demo_password_hash,
            )
        )

    def add(user: User, domain: str = "mediconnect.local") -> User:
        user.id = len(users) + 1
        user.email = user.email or _email(user.first_name, user.last_name, user.id, domain)
        users.append(user)
        return user

    for doc in world.doctors:
        if doc.id == 1:
            doc.user = users[DEMO_BY_ROLE["doctor"].user_id - 1]
        else:
            add(doc.user)
    for clinic in world.clinics:
        if clinic.status == "pending_verification":
            continue
        rads = sum(1 for d in world.doctors if d.kind == "rad" and clinic.id in d.pattern.values())
        for role, staff_role, duty, title, dept, base, per4 in STAFF_PLAN:
            n = base + int(per4 * rads / 4 + 0.5)
            for k in range(n):
                demo_acc = None
                if clinic.id == 1 and k == 0 and staff_role == "manager":
                    demo_acc = DEMO_BY_ROLE["clinic_staff"]
                elif clinic.id == 1 and k == 0 and staff_role == "billing_clerk":
                    demo_acc = DEMO_BY_ROLE["billing_staff"]
                starts = world.today - timedelta(days=rng.randint(60, 3000))
                if demo_acc:
                    user = users[demo_acc.user_id - 1]
                    starts = world.today - timedelta(days=1500)
                else:
                    first, last, _ = _person(rng)
                    user = add(User(0, "", role, first, last, _phone(rng), 0))
                user.created_ts = world.local.at(starts.toordinal(), 540)
                weekdays = [0, 1, 2, 3, 4]
                if duty and duty != "support" and k % 2 == 1:
                    weekdays = [0, 1, 2, 3, 5] if k % 4 == 1 else [1, 2, 3, 4, 5]
                if clinic.id == 1 and k == 0 and duty in {"reception", "nurse", "radiographer"}:
                    weekdays.append(6)
                if demo_acc and staff_role == "manager":
                    duty = "reception"
                doctors = (1,) if demo_acc and staff_role == "billing_clerk" else ()
                staff = Staff(
                    user,
                    clinic.id,
                    staff_role,
                    duty,
                    title,
                    dept,
                    tuple(weekdays),
                    starts,
                    doctor_ids=doctors,
                    leave=_leave(rng, world, protect=bool(demo_acc)),
                )
                world.staff.append(staff)
                if demo_acc and staff_role == "manager":
                    duty = None
    extra_admin = 1 if world.scale.name == "tiny" else 2
    for role, n in (("admin", extra_admin), ("analytics_staff", extra_admin)):
        for _ in range(n):
            first, last, _ = _person(rng)
            add(User(0, "", role, first, last, _phone(rng), world.local.at(world.first_day - 200, 540)))
    regions = [c.place for c in world.clinics if c.status == "active"]
    for rid in range(1, world.scale.referring_doctors + 1):
        if rid == 1:
            acc = DEMO_BY_ROLE["referring_doctor"]
            user, place = users[acc.user_id - 1], world.clinic(1).place
            practice, spec = "Botha Family Practice", "General Practitioner"
        else:
            first, last, _ = _person(rng)
            joined = world.first_day + rng.randint(-900, world.today.toordinal() - world.first_day - 10)
            user = add(
                User(0, "", "referring_doctor", first, last, _phone(rng), world.local.at(joined, 660)),
                domain="practice.example.org",
            )
            place = rng.pick(regions)
            spec = rng.pick(SPECIALISATIONS_REFERRING)
            practice = f"{last} {'Family Practice' if spec == 'General Practitioner' else spec + ' Rooms'}"
        world.referrers.append(
            Referrer(
                rid, user, practice, f"PR{2_000_000 + rid * 104_729 % 7_000_000:07d}", spec, place.region
            )
        )
