"""Clinics and everything about them, accounts, doctors, staff, shifts, targets and costs."""

from __future__ import annotations

from datetime import date, time, timedelta

from mediconnect.seed.clock import DAY, dt
from mediconnect.seed.emitters import Rows, day, emits, money
from mediconnect.seed.rng import stream
from mediconnect.seed.world import World


@emits(
    "clinics",
    "id code name address city region timezone phone email established status accreditation created_at",
)
def clinics(w: World) -> Rows:
    for c in w.clinics:
        yield (
            c.id,
            c.code,
            c.name,
            c.address,
            c.place.city,
            c.place.region,
            w.tz.key,
            c.phone,
            c.email,
            c.established,
            c.status,
            c.accreditation,
            dt(c.created_ts),
        )


@emits("clinic_opening_hours", "id clinic_id weekday opens_at closes_at")
def opening_hours(w: World) -> Rows:
    n = 0
    for c in w.clinics:
        for wd, (o, cl) in sorted(c.hours.items()):
            n += 1
            yield (n, c.id, wd, time(o // 60, o % 60), time(cl // 60, cl % 60))


@emits("clinic_closures", "id clinic_id closed_on reason")
def closures(w: World) -> Rows:
    n = 0
    for c in w.clinics:
        for o, reason in sorted(c.closures.items()):
            n += 1
            yield (n, c.id, day(o), reason)


@emits("departments", "id clinic_id name wait_time_target_minutes is_active")
def departments(w: World) -> Rows:
    for did, cid, name, target in w.department_rows:
        yield (did, cid, name, target, True)


@emits("rooms", "id clinic_id department_id name room_type is_active")
def rooms(w: World) -> Rows:
    for r in w.rooms:
        yield (r.id, r.clinic_id, r.department_id, r.name, r.room_type, True)


@emits(
    "equipment",
    "id clinic_id room_id name modality manufacturer serial_number status installed_on "
    "last_maintenance_at maintenance_interval_days",
)
def equipment(w: World) -> Rows:
    for e in w.equipment:
        yield (
            e.id,
            e.clinic_id,
            e.room_id,
            e.name,
            e.modality,
            e.manufacturer,
            e.serial_number,
            e.status,
            e.installed_on,
            dt(e.last_maintenance_ts),
            e.interval_days,
        )


@emits(
    "maintenance_windows",
    "id clinic_id equipment_id room_id title starts_at ends_at planned status impact created_at",
)
def maintenance(w: World) -> Rows:
    for mid, cid, eid, rid, title, s, e, planned, status, impact, created in w.maintenance_rows:
        yield (mid, cid, eid, rid, title, dt(s), dt(e), planned, status, impact, dt(created))


@emits("clinic_events", "id clinic_id event_type title starts_at ends_at attendees capacity_reduction impact")
def events(w: World) -> Rows:
    for eid, cid, kind, title, s, e, attendees, reduction, impact in w.event_rows:
        yield (eid, cid, kind, title, dt(s), dt(e), attendees, reduction, impact)


@emits("staffing_requirements", "id clinic_id weekday duty_role min_count")
def staffing(w: World) -> Rows:
    yield from w.staffing_rows


PLANS = (("Starter", 250_000), ("Professional", 650_000), ("Enterprise", 1_400_000))


@emits("clinic_subscriptions", "id clinic_id plan monthly_fee started_on ended_on status")
def subscriptions(w: World) -> Rows:
    rng, n = stream(w.seed, "subscriptions"), 0
    for c in w.clinics:
        start = max(c.established, date.fromordinal(w.first_day) - timedelta(days=rng.randint(30, 700)))
        if c.status == "pending_verification":
            n += 1
            yield (n, c.id, "Starter", money(PLANS[0][1]), c.established, None, "trial")
            continue
        tier = 2 if c.id == 1 else 1 if rng.chance(0.6) else 0
        if tier and rng.chance(0.5):  # upgraded during the history: growth in subscription revenue
            upgrade = date.fromordinal(w.first_day + rng.randint(60, 650))
            n += 1
            yield (n, c.id, PLANS[tier - 1][0], money(PLANS[tier - 1][1]), start, upgrade, "cancelled")
            start = upgrade
        status = "active"
        ended = None
        if c.status == "suspended":
            status, ended = "cancelled", day(c.active_until)
        elif c.id == 3:
            status = "past_due"
        n += 1
        yield (n, c.id, PLANS[tier][0], money(PLANS[tier][1]), start, ended, status)


@emits(
    "users",
    "id email password_hash role first_name last_name phone is_active email_verified notify_sms "
    "notify_email created_at last_login_at deactivated_at",
    total=lambda w: len(w.users) + sum(1 for u in w.patients.user_id if u),
)
def users(w: World) -> Rows:
    last = w.activity.last_login
    for u in w.users:
        yield (
            u.id,
            u.email,
            u.password_hash,
            u.role,
            u.first_name,
            u.last_name,
            u.phone,
            u.is_active,
            u.email_verified,
            u.notify_sms,
            u.notify_email,
            dt(u.created_ts),
            dt(last.get(u.id, 0)),
            dt(u.deactivated_ts),
        )
    p, rng = w.patients, stream(w.seed, "patient-users")
    n_staff = len(w.users)
    for i in range(len(p)):
        uid = p.user_id[i]
        if uid <= n_staff:
            continue
        active = rng.random() > 0.02
        yield (
            uid,
            p.email[i],
            None,
            "patient",
            p.first[i],
            p.last[i],
            p.phone[i],
            active,
            rng.random() < 0.9,
            rng.random() > 0.08,
            rng.random() > 0.12,
            dt(p.registered[i]),
            dt(last.get(uid, 0)),
            None if active else dt(min(w.now, p.registered[i] + rng.randint(30, 400) * DAY)),
        )


@emits("doctors", "id user_id specialization license_number is_radiologist bio accepting_new_patients")
def doctors(w: World) -> Rows:
    for d in w.doctors:
        yield (d.id, d.user.id, d.specialization, d.license_number, d.is_radiologist, d.bio, d.id % 9 != 0)


@emits(
    "doctor_clinic_affiliations", "id doctor_id clinic_id department_id role is_primary started_on ended_on"
)
def affiliations(w: World) -> Rows:
    n = 0
    for d in w.doctors:
        for cid, dept, role, primary, started, ended in d.affiliations:
            n += 1
            yield (n, d.id, cid, w.clinic(cid).departments.get(dept), role, primary, started, ended)


@emits("referring_doctors", "id user_id practice_name practice_number specialization")
def referrers(w: World) -> Rows:
    for r in w.referrers:
        yield (r.id, r.user.id, r.practice_name, r.practice_number, r.specialization)


@emits(
    "staff_assignments", "id user_id clinic_id doctor_id department_id staff_role job_title starts_on ends_on"
)
def assignments(w: World) -> Rows:
    n = 0
    for s in w.staff:
        clinic = w.clinic(s.clinic_id)
        ends = day(clinic.active_until) if clinic.status == "suspended" else None
        n += 1
        yield (
            n,
            s.user.id,
            s.clinic_id,
            None,
            clinic.departments.get(s.department or ""),
            s.staff_role,
            s.job_title,
            s.starts_on,
            ends,
        )
        for doctor_id in s.doctor_ids:
            n += 1
            yield (n, s.user.id, None, doctor_id, None, s.staff_role, s.job_title, s.starts_on, ends)


@emits(
    "duty_shifts",
    "id clinic_id user_id department_id room_id duty_role starts_at ends_at cancelled",
    total=lambda w: len(w.shift_rows),
)
def shifts(w: World) -> Rows:
    for sid, cid, uid, dept, room, role, s, e, cancelled in w.shift_rows:
        yield (sid, cid, uid, dept, room, role, dt(s), dt(e), cancelled)


def _quarters(w: World) -> list[date]:
    q = date.fromordinal(w.first_day)
    q = date(q.year, 3 * ((q.month - 1) // 3) + 1, 1)
    out = []
    while q <= w.today:
        out.append(q)
        q = date(q.year + (q.month + 2) // 12, (q.month + 2) % 12 + 1, 1)
    return out


def _target_rows(w: World, key: str, owner: int, revenue: dict[tuple[int, int], int], rng) -> Rows:  # type: ignore[no-untyped-def]
    prev = 0
    for q in _quarters(w):
        months = [q.year * 12 + q.month - 1 + k for k in range(3)]
        monthly = sum(revenue.get((owner, m), 0) for m in months) / 3
        if q.year * 12 + q.month + 1 > w.today.year * 12 + w.today.month - 1:  # the current quarter
            monthly = prev * 1.04
        if monthly <= 0:
            continue
        prev = monthly
        target = round(monthly * rng.between(0.98, 1.12) / 10_000) * 10_000
        created = dt(w.local.at(q.toordinal() - 7, 9 * 60))
        yield (key, owner, "month", money(target), q, created)
        yield (key, owner, "day", money(round(target / 22 / 100) * 100), q, created)
        if key == "clinic" and q.month == 1:
            yield (key, owner, "year", money(round(target * 12.5 / 10_000) * 10_000), q, created)


@emits("revenue_targets", "id doctor_id clinic_id period amount effective_from created_at")
def targets(w: World) -> Rows:
    rng, n = stream(w.seed, "targets"), 0
    for d in w.doctors:
        for _, owner, period, amount, q, created in _target_rows(
            w, "doctor", d.id, w.revenue_by_doctor_month, rng
        ):
            n += 1
            yield (n, owner, None, period, amount, q, created)
    for c in w.clinics:
        for _, owner, period, amount, q, created in _target_rows(
            w, "clinic", c.id, w.revenue_by_clinic_month, rng
        ):
            n += 1
            yield (n, None, owner, period, amount, q, created)


EQUIPMENT_COST = {
    "ct": 9_500_000,
    "mri": 15_000_000,
    "xray": 2_500_000,
    "ultrasound": 1_200_000,
    "mammography": 3_000_000,
    "fluoroscopy": 3_000_000,
    "dexa": 1_000_000,
    "ecg": 200_000,
}
SALARY = {
    "manager": 5_500_000,
    "receptionist": 1_800_000,
    "nurse": 3_200_000,
    "radiographer": 3_800_000,
    "sonographer": 3_600_000,
    "support": 1_200_000,
    "billing_clerk": 2_200_000,
}


@emits("operating_costs", "id clinic_id month category amount")
def costs(w: World) -> Rows:
    rng, n = stream(w.seed, "costs"), 0
    first = date.fromordinal(w.first_day).replace(day=1)
    for c in w.clinics:
        if c.status == "pending_verification":
            continue
        staff = sum(SALARY[s.staff_role] for s in w.staff if s.clinic_id == c.id)
        kit = sum(EQUIPMENT_COST[e.modality] for e in w.equipment if e.clinic_id == c.id)
        rent = 6_000_000 + 1_500_000 * len([r for r in w.rooms if r.clinic_id == c.id]) // 4
        m = first
        while m <= w.today:
            key = m.year * 12 + m.month - 1
            if m.toordinal() >= c.active_until:
                break
            revenue = w.revenue_by_clinic_month.get((c.id, key), 0)
            share = 1.0
            if (m.year, m.month) == (w.today.year, w.today.month):
                share = w.today.day / 31
            amounts = {
                "staff": (staff + revenue * 0.18) * share,
                "consumables": w.cost_by_clinic_month.get((c.id, key), 0) * rng.between(1.0, 1.15),
                "equipment": kit * share * rng.between(0.95, 1.1),
                "facilities": rent * share * rng.between(0.97, 1.05),
                "administration": (2_000_000 + revenue * 0.06) * share,
            }
            for category, cents in amounts.items():
                n += 1
                yield (n, c.id, m, category, money(round(cents / 100) * 100))
            m = (m + timedelta(days=32)).replace(day=1)
