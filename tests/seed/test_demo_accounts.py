"""The documented demo logins work and have something to show."""

from __future__ import annotations

import sqlalchemy as sa

from mediconnect.core.passwords import verify_password
from mediconnect.seed.demo_accounts import DEMO_ACCOUNTS, DEMO_BY_ROLE, DEMO_PASSWORD

TODAY_LOCAL = "date(datetime(scheduled_start, '+2 hours'))"


def test_one_login_per_role_with_the_documented_password(tiny: sa.Connection) -> None:
    roles = {a.role for a in DEMO_ACCOUNTS}
    assert roles == {
        "patient",
        "doctor",
        "referring_doctor",
        "clinic_staff",
        "billing_staff",
        "analytics_staff",
        "admin",
    }
    hashes = set()
    for account in DEMO_ACCOUNTS:
        row = tiny.execute(
            sa.text("SELECT role, password_hash, is_active FROM users WHERE email = :e"), {"e": account.email}
        ).one()
        assert row.role == account.role and row.is_active
        assert row.password_hash.startswith("$argon2id$")
        assert verify_password(row.password_hash, DEMO_PASSWORD)
        assert not verify_password(row.password_hash, DEMO_PASSWORD + "x")
        hashes.add(row.password_hash)
    assert len(hashes) == 1  # hashed once, shared
    others = tiny.execute(sa.text("SELECT count(*) FROM users WHERE password_hash IS NOT NULL")).scalar_one()
    assert others == len(DEMO_ACCOUNTS)


def test_demo_doctor_is_busy_today_and_this_week(tiny: sa.Connection) -> None:
    doctor = tiny.execute(
        sa.text("SELECT d.id FROM doctors d JOIN users u ON u.id = d.user_id WHERE u.email = :e"),
        {"e": DEMO_BY_ROLE["doctor"].email},
    ).scalar_one()
    today = tiny.execute(
        sa.text(f"SELECT count(*) FROM appointments WHERE doctor_id = :d AND {TODAY_LOCAL} = '2026-03-10'"),
        {"d": doctor},
    ).scalar_one()
    week = tiny.execute(
        sa.text(
            f"SELECT count(*) FROM appointments WHERE doctor_id = :d AND {TODAY_LOCAL} "
            "BETWEEN '2026-03-09' AND '2026-03-15'"
        ),
        {"d": doctor},
    ).scalar_one()
    assert today >= 3 and week >= 10


def test_demo_patient_has_a_rich_record(tiny: sa.Connection) -> None:
    patient = tiny.execute(
        sa.text("SELECT p.id FROM patients p JOIN users u ON u.id = p.user_id WHERE u.email = :e"),
        {"e": DEMO_BY_ROLE["patient"].email},
    ).scalar_one()
    q = lambda sql: tiny.execute(sa.text(sql), {"p": patient}).scalar_one()  # noqa: E731
    assert (
        q(
            "SELECT count(*) FROM reports r JOIN appointments a ON a.id = r.appointment_id "
            "WHERE a.patient_id = :p AND r.status = 'final'"
        )
        >= 2
    )
    assert (
        q(
            "SELECT count(*) FROM appointments WHERE patient_id = :p AND status IN ('booked', 'confirmed') "
            "AND scheduled_start > '2026-03-10 09:00:00'"
        )
        >= 1
    )
    assert q("SELECT count(*) FROM invoices WHERE patient_id = :p") >= 3
    assert q("SELECT count(*) FROM medical_aid_memberships WHERE patient_id = :p AND status = 'active'") == 1
    assert (
        q("""SELECT count(*) FROM prescriptions a JOIN prescriptions b ON b.patient_id = a.patient_id
                AND a.medication_id < b.medication_id JOIN medication_interactions i
                ON i.medication_a_id = a.medication_id AND i.medication_b_id = b.medication_id
                WHERE a.patient_id = :p AND a.status = 'active' AND b.status = 'active'""")
        >= 1
    )


def test_demo_referrer_sees_reports_of_referred_patients(tiny: sa.Connection) -> None:
    reports = tiny.execute(
        sa.text("""
        SELECT count(*) FROM referring_doctors rd JOIN users u ON u.id = rd.user_id
        JOIN referrals r ON r.referring_doctor_id = rd.id JOIN appointments a ON a.referral_id = r.id
        JOIN reports rep ON rep.appointment_id = a.id
        WHERE u.email = :e AND rep.status = 'final'"""),
        {"e": DEMO_BY_ROLE["referring_doctor"].email},
    ).scalar_one()
    assert reports >= 1


def test_demo_staff_are_assigned_to_a_clinic(tiny: sa.Connection) -> None:
    for role in ("clinic_staff", "billing_staff"):
        clinics = tiny.execute(
            sa.text(
                "SELECT count(*) FROM staff_assignments s JOIN users u ON u.id = s.user_id "
                "WHERE u.email = :e AND s.clinic_id IS NOT NULL"
            ),
            {"e": DEMO_BY_ROLE[role].email},
        ).scalar_one()
        assert clinics == 1
