"""The documented demo logins: one per role, all sharing one password."""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "Demo!2026"
DEMO_DOMAIN = "demo.mediconnect.local"


@dataclass(frozen=True, slots=True)
class DemoAccount:
    user_id: int
    role: str
    email: str
    first_name: str
    last_name: str
    what: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        1,
        "patient",
        f"patient@{DEMO_DOMAIN}",
        "Lerato",
        "Mokoena",
        "patient with past scans and reports, an upcoming visit, invoices and prescriptions",
    ),
    DemoAccount(
        2,
        "doctor",
        f"doctor@{DEMO_DOMAIN}",
        "Naledi",
        "Khumalo",
        "GP at MediConnect Rosebank, on duty every day with appointments today",
    ),
    DemoAccount(
        3,
        "referring_doctor",
        f"referring-doctor@{DEMO_DOMAIN}",
        "Pieter",
        "Botha",
        "outside GP whose referred patients have reports",
    ),
    DemoAccount(
        4,
        "clinic_staff",
        f"clinic-staff@{DEMO_DOMAIN}",
        "Zanele",
        "Dlamini",
        "practice manager at MediConnect Rosebank",
    ),
    DemoAccount(
        5,
        "billing_staff",
        f"billing-staff@{DEMO_DOMAIN}",
        "Ravi",
        "Naidoo",
        "billing clerk for MediConnect Rosebank",
    ),
    DemoAccount(
        6, "analytics_staff", f"analytics-staff@{DEMO_DOMAIN}", "Aisha", "Patel", "analyst across all clinics"
    ),
    DemoAccount(7, "admin", f"admin@{DEMO_DOMAIN}", "Thabo", "Nkosi", "platform administrator"),
)

DEMO_BY_ROLE = {a.role: a for a in DEMO_ACCOUNTS}


def format_demo_logins() -> str:
    width = max(len(a.email) for a in DEMO_ACCOUNTS)
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD})"]
    for a in DEMO_ACCOUNTS:
        lines.append(f"  {a.role:<16} {a.email:<{width}}  {a.first_name} {a.last_name}: {a.what}")
    return "\n".join(lines)
