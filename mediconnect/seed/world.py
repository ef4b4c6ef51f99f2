"""The in-memory model the seed simulates before it writes anything.

Small entities (clinics, rooms, doctors, staff) are slotted dataclasses; the big ones (patients,
appointments, invoices...) are column stores of arrays (see `columns.py`). Ids are assigned here,
explicitly, so every table can be written with its final keys in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from mediconnect.seed.clock import LocalDays
from mediconnect.seed.datafiles import Place, SchemeSpec, ServiceSpec
from mediconnect.seed.scales import Scale

if TYPE_CHECKING:
    from mediconnect.seed.columns import Appointments, Billing, Patients, Referrals, ReportsSim


@dataclass(slots=True)
class Service:
    id: int
    spec: ServiceSpec
    kind: str  # the lane kind that performs it: gp, paed, cardio, ortho, img:<modality>, proc


@dataclass(slots=True)
class Tariff:
    cap_cents: int
    coverage_percent: float  # effective: the tariff's own, else the scheme's
    own_coverage: bool
    requires_authorisation: bool
    covered: bool


@dataclass(slots=True)
class Scheme:
    id: int
    spec: SchemeSpec


@dataclass(slots=True)
class Clinic:
    id: int
    code: str
    name: str
    place: Place
    address: str
    phone: str
    email: str
    established: date
    status: str
    accreditation: str | None
    created_ts: int
    active_from: int  # first ordinal with activity
    active_until: int  # first ordinal without (exclusive)
    hours: dict[int, tuple[int, int]] = field(default_factory=dict)  # weekday -> (open, close) min
    closures: dict[int, str] = field(default_factory=dict)  # ordinal -> reason
    departments: dict[str, int] = field(default_factory=dict)  # name -> department id
    wait_factor: float = 1.0  # scales waiting times
    facility_quality: float = 0.0  # shifts facility ratings
    # Capacity-reducing events: (start_ts, end_ts, reduction 0..1)
    events: list[tuple[int, int, float]] = field(default_factory=list)

    def open_on(self, ordinal: int) -> bool:
        return (
            self.active_from <= ordinal < self.active_until
            and ordinal not in self.closures
            and (ordinal - 1) % 7 in self.hours  # date.fromordinal(o).weekday() == (o - 1) % 7
        )


@dataclass(slots=True)
class Room:
    id: int
    clinic_id: int
    department_id: int | None
    name: str
    room_type: str
    modality: str | None = None  # of the equipment installed in it
    equipment_id: int = 0


@dataclass(slots=True)
class Equipment:
    id: int
    clinic_id: int
    room_id: int
    name: str
    modality: str
    manufacturer: str
    serial_number: str
    installed_on: date
    interval_days: int
    status: str = "operational"
    last_maintenance_ts: int = 0
    blocks: list[tuple[int, int]] = field(default_factory=list)  # unavailable [start, end)


@dataclass(slots=True)
class User:
    id: int
    email: str
    role: str
    first_name: str
    last_name: str
    phone: str | None
    created_ts: int
    password_hash: str | None = None
    is_active: bool = True
    email_verified: bool = True
    notify_sms: bool = True
    notify_email: bool = True
    last_login_ts: int = 0
    deactivated_ts: int = 0


@dataclass(slots=True)
class Doctor:
    id: int
    user: User
    kind: str  # rad, gp, paed, cardio, ortho
    specialization: str
    license_number: str
    primary_clinic: int
    joined: int = 0  # ordinal from which the doctor works (history may start before)
    # weekday -> clinic id (the days this doctor works, and where)
    pattern: dict[int, int] = field(default_factory=dict)
    fallback_clinic: int = 0  # where the doctor moves when the primary clinic is suspended
    leave: set[int] = field(default_factory=set)  # ordinals on leave
    speed: float = 1.0  # actual / scheduled duration
    delay: float = 1.0  # scales the doctor's start delays
    report_speed: float = 1.0  # scales report turnaround
    bio: str = ""
    # (clinic_id, department name, role, is_primary, started_on, ended_on)
    affiliations: list[tuple[int, str, str, bool, date, date | None]] = field(default_factory=list)

    @property
    def is_radiologist(self) -> bool:
        return self.kind == "rad"


@dataclass(slots=True)
class Staff:
    user: User
    clinic_id: int
    staff_role: str
    duty_role: str | None  # None: not rostered (billing, analysts)
    job_title: str
    department: str | None
    weekdays: tuple[int, ...]
    starts_on: date
    doctor_ids: tuple[int, ...] = ()  # billing staff may also be scoped to doctors' accounts
    leave: set[int] = field(default_factory=set)


@dataclass(slots=True)
class Referrer:
    id: int
    user: User
    practice_name: str
    practice_number: str
    specialization: str
    region: str


@dataclass(slots=True)
class Lane:
    """One doctor in one room for one session: the unit appointments are packed into."""

    day: int
    clinic_id: int
    doctor_id: int
    room_id: int
    equipment_id: int
    kind: str
    start_min: int
    end_min: int


@dataclass
class World:
    scale: Scale
    seed: int
    today: date
    now: int  # epoch seconds: the anchor instant
    tz: ZoneInfo
    local: LocalDays
    first_day: int  # ordinal of the first day of history
    last_day: int  # ordinal of the last day with future bookings
    demo_password_hash: str
    services: list[Service] = field(default_factory=list)
    service_by_code: dict[str, Service] = field(default_factory=dict)
    schemes: list[Scheme] = field(default_factory=list)
    tariffs: dict[tuple[int, int], Tariff] = field(default_factory=dict)
    medications: list[tuple[int, str, str]] = field(default_factory=list)
    medication_by_name: dict[str, int] = field(default_factory=dict)
    interactions: list[tuple[int, int, int, str, str]] = field(default_factory=list)
    clinics: list[Clinic] = field(default_factory=list)
    department_rows: list[tuple[int, int, str, float]] = field(default_factory=list)
    rooms: list[Room] = field(default_factory=list)
    equipment: list[Equipment] = field(default_factory=list)
    maintenance_rows: list[tuple[Any, ...]] = field(default_factory=list)
    event_rows: list[tuple[Any, ...]] = field(default_factory=list)
    staffing_rows: list[tuple[Any, ...]] = field(default_factory=list)
    users: list[User] = field(default_factory=list)  # every non-patient account, in id order
    doctors: list[Doctor] = field(default_factory=list)
    staff: list[Staff] = field(default_factory=list)
    referrers: list[Referrer] = field(default_factory=list)
    shift_rows: list[tuple[Any, ...]] = field(default_factory=list)
    lanes_by_day: dict[int, list[Lane]] = field(default_factory=dict)
    patients: Patients | None = None
    appts: Appointments | None = None
    referrals: Referrals | None = None
    reports: ReportsSim | None = None
    billing: Billing | None = None
    # Aggregates the simulation leaves for targets and costs: (clinic or doctor, month) -> cents
    revenue_by_doctor_month: dict[tuple[int, int], int] = field(default_factory=dict)
    revenue_by_clinic_month: dict[tuple[int, int], int] = field(default_factory=dict)
    visits_by_clinic_month: dict[tuple[int, int], int] = field(default_factory=dict)
    cost_by_clinic_month: dict[tuple[int, int], int] = field(default_factory=dict)
    activity: Any = None  # activity_sim.Activity: sessions and last logins
    clinical: Any = None  # clinical_sim.Clinical: conditions and medicines per patient

    def clinic(self, clinic_id: int) -> Clinic:
        return self.clinics[clinic_id - 1]

    def doctor(self, doctor_id: int) -> Doctor:
        return self.doctors[doctor_id - 1]

    def user_ids_by_role(self, role: str) -> list[int]:
        return [u.id for u in self.users if u.role == role]
