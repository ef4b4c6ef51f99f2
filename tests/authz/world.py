"""The database side of the authorization matrix: who the subjects are, whose data is whose,
and what changed.

* ``Subject``: anonymous, or the demo account of one role (signed in by a server-side session
  created directly for the hostile client's token, as the login handler would).
* ``victim``: for every subject, another account (same role where the seed has one) whose data
  must never reach that subject and whose rows it must never change.
* Canaries: every piece of personal data in the seed (emails, full names, phones, dates of birth,
  addresses, ID numbers, emergency contacts, policy numbers), each mapped to its owner. A
  string of someone the subject may not see, found anywhere in what the server sent, is a leak.
* Fingerprints: the rows of the tables holding account and patient data, keyed by owner, taken
  before and after every case; denied cases may change nothing, allowed ones only the caller's
  rows. Whatever an allowed case changed is put back afterwards, so every case starts from the
  seed. A trigger on each watched table logs which table a write touched (``CHANGE_LOG``), so a
  fingerprint re-reads only the tables written since the last one: most cases write nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from mediconnect.core import policy as perm
from mediconnect.core.db import make_engine
from mediconnect.models.appointments import Appointment, WaitlistEntry
from mediconnect.models.base import utcnow
from mediconnect.models.billing import Invoice
from mediconnect.models.clinics import Clinic
from mediconnect.models.patients import Patient
from mediconnect.models.referrals import Referral, ReferralDocument
from mediconnect.models.reports import Report
from mediconnect.models.users import PasswordResetToken, Role, User
from mediconnect.seed.demo_accounts import DEMO_ACCOUNTS
from mediconnect.services import sessions

ANONYMOUS = "anonymous"
# Canaries are at least this long (shorter strings identify nobody).
PREFIX = 6

# Tables whose rows belong to someone: SQL for the owning user id of each row, and columns that
# change on their own (sign-in bookkeeping) and are not compared.
WATCHED: dict[str, tuple[str, frozenset[str]]] = {
    "users": ("t.id", frozenset({"last_login_at"})),
    "patients": ("t.user_id", frozenset()),
    "medical_aid_memberships": (
        "(SELECT p.user_id FROM patients p WHERE p.id = t.patient_id)",
        frozenset(),
    ),
    "password_reset_tokens": ("t.user_id", frozenset()),
    "refresh_tokens": ("t.user_id", frozenset()),
    "oauth_identities": ("t.user_id", frozenset()),
    # What the admin pages change about an account: its doctor record, clinic affiliations and
    # staff assignments (a row appearing, or ending, is a change to that user's data).
    "doctors": ("t.user_id", frozenset()),
    "doctor_clinic_affiliations": ("(SELECT d.user_id FROM doctors d WHERE d.id = t.doctor_id)", frozenset()),
    "staff_assignments": ("t.user_id", frozenset()),
}
# Sessions are compared by which are open: ending someone's session is a change to their data.
SESSIONS_TABLE = "user_sessions"
# Insert-only log of writes to the watched tables (one row per statement on PostgreSQL, per row on
# SQLite): it shares no lock between the app's transactions, unlike a counter row would.
CHANGE_LOG = "authz_change_log"
# A row's owner is read through another table: a write there may change it too.
OWNER_VIA = {"medical_aid_memberships": "patients", "doctor_clinic_affiliations": "doctors"}


@dataclass(frozen=True)
class Subject:
    name: str  # "anonymous" or the role's value
    role: Role | None = None
    user_id: int | None = None
    email: str | None = None

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None

    @property
    def owner(self) -> str | None:
        return f"user:{self.user_id}" if self.user_id is not None else None


@dataclass(frozen=True)
class Change:
    table: str
    key: Any
    owner: str | None
    kind: str  # "changed", "added", "removed"


@dataclass
class Fingerprint:
    rows: dict[str, dict[Any, tuple[str | None, str]]] = field(default_factory=dict)
    full: dict[str, dict[Any, dict[str, Any]]] = field(default_factory=dict)

    def diff(self, after: Fingerprint) -> list[Change]:
        changes: list[Change] = []
        for table, before_rows in self.rows.items():
            after_rows = after.rows.get(table, {})
            for key, (owner, digest) in before_rows.items():
                if key not in after_rows:
                    changes.append(Change(table, key, owner, "removed"))
                elif after_rows[key][1] != digest:
                    changes.append(Change(table, key, after_rows[key][0] or owner, "changed"))
            for key, (owner, _) in after_rows.items():
                if key not in before_rows:
                    changes.append(Change(table, key, owner, "added"))
        return changes


def _owner(user_id: Any) -> str | None:
    return f"user:{int(user_id)}" if user_id is not None else None


SECOND_CLINIC = "AUTHZ2"


def _waitlist_scope(*, principal: perm.Principal) -> Any:
    """Entries of patients the principal may book for (what the waitlist services check)."""
    writable = select(col(Patient.id)).where(perm.patient_scope(principal=principal, action="write"))
    return col(WaitlistEntry.patient_id).in_(writable)


def _referral_document_scope(*, principal: perm.Principal) -> Any:
    """Documents of referrals of patients the principal may read; a referring doctor: own only."""
    readable = select(col(Patient.id)).where(perm.patient_scope(principal=principal, action="read"))
    referrals = select(col(Referral.id)).where(col(Referral.patient_id).in_(readable))
    if principal.role is Role.REFERRING_DOCTOR:
        referrals = referrals.where(col(Referral.referring_doctor_id) == principal.referring_doctor_id)
    return col(ReferralDocument.referral_id).in_(referrals)


def _writable_clause(kind: str, principal: perm.Principal) -> Any:
    scopes = {
        "patient": perm.patient_scope,
        "appointment": perm.appointment_scope,
        "report": perm.report_scope,
        "invoice": perm.invoice_scope,
    }
    scope = scopes.get(kind)
    return scope(principal=principal, action="write") if scope else None


class World:
    """Subjects, victims, canaries and DB fingerprints of the running app's database."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.engine = make_engine(database_url)
        self.metadata = sa.MetaData()
        self.metadata.reflect(self.engine, only=[*WATCHED, SESSIONS_TABLE])
        self._install_change_log()
        # Per watched table when last read: (CHANGE_LOG counts of it and its OWNER_VIA table, rows, full).
        self._read: dict[str, tuple[Any, dict[Any, tuple[str | None, str]], dict[Any, dict[str, Any]]]] = {}
        with self.db() as db:
            self.subjects = self._subjects(db)
            self.victims = self._victims(db)
            self.canaries = self._canaries(db)
            self.patient_ids = {
                uid: pid
                for pid, uid in db.exec(select(col(Patient.id), col(Patient.user_id))).all()
                if uid is not None
            }
        self._compile_canaries()
        # A standing session of every victim: no subject may end it.
        self.victim_tokens: dict[int, str] = {}
        for victim in {v.user_id for v in self.victims.values()}:
            assert victim is not None
            token = f"authz-victim-{secrets.token_hex(8)}"
            self.open_session(victim, token)
            self.victim_tokens[victim] = token
        self._reset_tokens: dict[int, str] = {}
        self._readable: dict[int, set[str]] = {}
        self._second_clinic()

    def close(self) -> None:
        for token in self.victim_tokens.values():
            self.end_session(token)
        self.engine.dispose()

    @contextmanager
    def db(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    # ------------------------------------------------------------------ people

    @staticmethod
    def _subjects(db: Session) -> dict[str, Subject]:
        out = {ANONYMOUS: Subject(ANONYMOUS)}
        for account in DEMO_ACCOUNTS:
            user = db.exec(select(User).where(User.email == account.email)).first()
            assert user is not None and user.id is not None, f"demo account {account.email} is not seeded"
            assert user.role == account.role and user.is_active, f"demo account {account.email} is unusable"
            out[account.role] = Subject(account.role, Role(user.role), user.id, user.email)
        return out

    def _victims(self, db: Session) -> dict[str, Subject]:
        """For each subject, another active account: same role if possible, never a demo account."""
        demo_ids = {s.user_id for s in self.subjects.values() if s.user_id is not None}
        users = db.exec(select(User).where(col(User.is_active).is_(True)).order_by(col(User.id))).all()
        others = [u for u in users if u.id not in demo_ids]
        with_patient = {uid for uid in db.exec(select(col(Patient.user_id))).all() if uid is not None}
        victims: dict[str, Subject] = {}
        for name, subject in self.subjects.items():
            same = [u for u in others if subject.role is not None and u.role == subject.role]
            # An anonymous visitor is tested against a patient, the richest record there is.
            pool = same or [u for u in others if u.id in with_patient] or others
            victim = pool[0]
            assert victim.id is not None
            victims[name] = Subject(str(victim.role), Role(victim.role), victim.id, victim.email)
        return victims

    # ------------------------------------------------------------------ canaries

    @staticmethod
    def _canaries(db: Session) -> dict[str, str]:
        """Personal strings of the seed -> their owner ("user:N", or "patient:N" without a login)."""
        found: dict[str, set[str]] = {}

        def add(text: Any, owner: str, *, min_len: int = 6) -> None:
            if text is None:
                return
            value = str(text).strip()
            if len(value) >= min_len:
                found.setdefault(value.lower(), set()).add(owner)

        for uid, email, first, last, phone, role in db.exec(
            select(
                col(User.id), col(User.email), col(User.first_name), col(User.last_name), col(User.phone),
                col(User.role),
            )
        ).all():  # fmt: skip
            owner = f"user:{uid}"
            add(email, owner)
            # A practitioner's or staff member's name is how patients know them (on appointments,
            # rosters, reports): professional, not personal data. Their contacts still are.
            if Role(role) is Role.PATIENT:
                add(f"{first} {last}", owner, min_len=8)
            add(phone, owner, min_len=7)
        patient = Patient
        rows = db.exec(
            select(
                col(patient.id),
                col(patient.user_id),
                col(patient.email),
                col(patient.first_name),
                col(patient.last_name),
                col(patient.phone),
                col(patient.date_of_birth),
                col(patient.address),
                col(patient.id_number),
                col(patient.emergency_contact),
            )
        ).all()
        owner_of_patient: dict[int, str] = {}
        for pid, uid, email, first, last, phone, dob, address, id_number, emergency in rows:
            owner = f"user:{uid}" if uid is not None else f"patient:{pid}"
            owner_of_patient[pid] = owner
            add(email, owner)
            add(f"{first} {last}", owner, min_len=8)
            add(phone, owner, min_len=7)
            if isinstance(dob, date):
                add(dob.isoformat(), owner)
                add(f"{dob.day} {dob:%B %Y}", owner)
            add(address, owner, min_len=8)
            add(id_number, owner)
            add(emergency, owner, min_len=8)
        memberships = sa.table("medical_aid_memberships", sa.column("patient_id"), sa.column("policy_number"))
        for pid, policy in db.connection().execute(
            sa.select(memberships.c.patient_id, memberships.c.policy_number)
        ):
            add(policy, owner_of_patient.get(pid, f"patient:{pid}"))
        # A string shared by two people identifies neither: keep only unambiguous ones.
        return {text: next(iter(owners)) for text, owners in found.items() if len(owners) == 1}

    def _compile_canaries(self) -> None:
        """Index the canaries by their first PREFIX characters: a scan is one dict lookup per
        position of the text (a regex alternation of ~1,000 names is a hundred times slower)."""
        index: dict[str, list[str]] = {}
        for text in self.canaries:
            index.setdefault(text[:PREFIX], []).append(text)
        self._canary_index = index

    @contextmanager
    def planted_canary(self, text: str, owner: str) -> Iterator[None]:
        """Treat ``text`` as ``owner``'s personal data for a while (to test the leak scan)."""
        self.canaries[text.lower()] = owner
        self._compile_canaries()
        try:
            yield
        finally:
            del self.canaries[text.lower()]
            self._compile_canaries()

    def find_canaries(self, strings: Iterable[str]) -> Iterator[tuple[str, str]]:
        """(owner, what) for every canary found in ``strings`` (case-insensitive). A canary
        inside a longer one found at the same place is part of that one, not a find of its own
        ("doctor@..." inside "referring-doctor@...")."""
        index = self._canary_index
        for text in strings:
            if len(text) < PREFIX:
                continue
            low = text.lower()
            found = [
                (i, i + len(canary), canary)
                for i in range(len(low) - PREFIX + 1)
                for canary in index.get(low[i : i + PREFIX], ())
                if low.startswith(canary, i)
            ]
            taken: list[tuple[int, int]] = []
            for start, end, canary in sorted(found, key=lambda f: f[0] - f[1]):
                if any(a <= start and end <= b for a, b in taken):
                    continue
                taken.append((start, end))
                yield self.canaries[canary], canary

    # ------------------------------------------------------------------ sessions and objects

    def open_session(self, user_id: int, token: str) -> None:
        with self.db() as db:
            sessions.create_session(session=db, user_id=user_id, client_token=token, ip="127.0.0.1")

    def end_session(self, token: str) -> None:
        with self.db() as db:
            sessions.end_session(session=db, client_token=token)

    def session_open(self, token: str) -> bool:
        with self.db() as db:
            return sessions.resolve_session(session=db, client_token=token, touch=False) is not None

    def user(self, user_id: int) -> User:
        with self.db() as db:
            row = db.get(User, user_id)
            assert row is not None
            return row

    def patient_id(self, user_id: int | None) -> int | None:
        return self.patient_ids.get(user_id) if user_id is not None else None

    def scheme_codes(self) -> list[str]:
        with self.engine.connect() as conn:
            return [
                code
                for (code,) in conn.execute(
                    sa.text("SELECT code FROM medical_aid_schemes WHERE is_active ORDER BY code")
                )
            ]

    def current_scheme(self, user_id: int) -> str:
        with self.db() as db:
            row = (
                db.connection()
                .execute(
                    sa.text(
                        "SELECT s.code FROM medical_aid_memberships m"
                        " JOIN patients p ON p.id = m.patient_id"
                        " JOIN medical_aid_schemes s ON s.id = m.scheme_id"
                        " WHERE p.user_id = :u AND m.is_primary"
                    ),
                    {"u": user_id},
                )
                .first()
            )
        return row[0] if row else ""

    def reset_token(self, user_id: int) -> str:
        """A valid, unused password reset link token of ``user_id`` (made once, as the service does)."""
        if user_id not in self._reset_tokens:
            raw = secrets.token_urlsafe(32)
            with self.db() as db:
                db.add(
                    PasswordResetToken(
                        user_id=user_id,
                        token_hash=hashlib.sha256(raw.encode()).hexdigest(),
                        expires_at=utcnow() + timedelta(hours=6),
                    )
                )
                db.commit()
            self._reset_tokens[user_id] = raw
        return self._reset_tokens[user_id]

    def principal(self, user_id: int) -> perm.Principal:
        with self.db() as db:
            user = db.get(User, user_id)
            assert user is not None
            return perm.principal_for(db, user=user)

    def object_ids(self, kind: str, subject: Subject) -> tuple[Any, Any]:
        """(own, other) ids of ``kind`` for ``subject``: an object the policy associates it with,
        and one it does not (for an admin, any object that is not its own). None if the seed has
        none."""
        victim = self.victims[subject.name]
        if kind == "self":
            return subject.user_id, victim.user_id
        if kind == "reset_token":
            own = self.reset_token(subject.user_id) if subject.user_id is not None else None
            assert victim.user_id is not None
            return own, self.reset_token(victim.user_id)
        scoped = {
            "patient": (Patient.id, perm.patient_scope),
            "appointment": (Appointment.id, perm.appointment_scope),
            "report": (Report.id, perm.report_scope),
            "invoice": (Invoice.id, perm.invoice_scope),
            "waitlist_entry": (WaitlistEntry.id, _waitlist_scope),
            "referral_document": (ReferralDocument.id, _referral_document_scope),
        }
        with self.db() as db:
            if kind in ("clinic", "managed_clinic"):
                ids = self.clinic_ids()
                principal = self.principal(subject.user_id) if subject.user_id else None
                mine = sorted(principal.clinic_ids) if principal and not principal.is_admin else []
                if not mine:  # admins, and roles with no clinic (refused by role anyway)
                    return ids[0], ids[-1]
                theirs = [i for i in ids if i not in mine]
                return mine[0], (theirs[0] if theirs else None)
            if kind not in scoped:
                raise KeyError(f"unknown object kind {kind!r}")
            id_col, scope = scoped[kind]
            if subject.user_id is None:
                other = db.exec(select(col(id_col)).order_by(col(id_col)).limit(1)).first()
                return None, other
            principal = self.principal(subject.user_id)
            where = scope(principal=principal)
            # Prefer an object the subject may also change (a doctor reads its patients' other
            # appointments but writes only its own): one "own" object serves read and write rules.
            writable = _writable_clause(kind, principal)
            own = None
            if writable is not None:
                own = db.exec(
                    select(col(id_col)).where(where, writable).order_by(col(id_col)).limit(1)
                ).first()
            if own is None:
                own = db.exec(select(col(id_col)).where(where).order_by(col(id_col)).limit(1)).first()
            if own is None:
                # A role the policy gives no such objects: any one (its call is refused by role;
                # were the role allowed, the case would fail, not pass).
                own = db.exec(select(col(id_col)).order_by(col(id_col)).limit(1)).first()
            if principal.is_admin:
                other = db.exec(
                    select(col(id_col)).where(col(id_col) != own).order_by(col(id_col)).limit(1)
                ).first()
            else:
                other = db.exec(
                    # NULL-safe: NOT (clinic IN (..) OR doctor IN (..)) is NULL for a NULL doctor.
                    select(col(id_col))
                    .where(sa.not_(sa.func.coalesce(where, sa.false())))
                    .order_by(col(id_col))
                    .limit(1)
                ).first()
            return own, other

    def readable_owners(self, user_id: int) -> set[str]:
        """Owners (canary keys) of the patients the policy lets this user read: their data may
        reach them on an allowed call (a doctor's patient list names the doctor's patients)."""
        if user_id not in self._readable:
            principal = self.principal(user_id)
            with self.db() as db:
                rows = db.exec(
                    select(col(Patient.id), col(Patient.user_id)).where(
                        perm.patient_scope(principal=principal, action="read")
                    )
                ).all()
            self._readable[user_id] = {f"user:{uid}" if uid else f"patient:{pid}" for pid, uid in rows}
        return self._readable[user_id]

    def clinic_ids(self) -> list[int]:
        with self.db() as db:
            return sorted(i for i in db.exec(select(Clinic.id)).all() if i is not None)

    def _second_clinic(self) -> None:
        """The tiny seed has one clinic; clinic-scoped cases need another that is not the
        subjects'. It gets one appointment (of a patient without a login), invoiced and paid,
        so "someone else's" appointment, invoice and payment exist for clinic and billing staff."""
        from mediconnect.models.appointments import Appointment, AppointmentType
        from mediconnect.models.billing import Invoice, Payment, PaymentMethod, PaymentStatus
        from mediconnect.models.catalog import Service

        with self.db() as db:
            if db.exec(select(Clinic.id).where(Clinic.code == SECOND_CLINIC)).first() is not None:
                return
            clinic = Clinic(
                code=SECOND_CLINIC, name="Authz Second Clinic", address="2 Matrix Road",
                city="Authzville", region="Gauteng",
            )  # fmt: skip
            db.add(clinic)
            db.flush()
            service = db.exec(select(Service).order_by(col(Service.id))).first()
            # A patient of that clinic only: nobody's patient among the subjects.
            outsider = Patient(
                first_name="Authz",
                last_name="Outsider",
                date_of_birth=date(1980, 1, 1),
                home_clinic_id=clinic.id,
            )
            db.add(outsider)
            db.flush()
            patient_id = outsider.id
            assert service is not None and patient_id is not None
            start = utcnow().replace(microsecond=0) + timedelta(days=730)
            appt = Appointment(
                patient_id=patient_id, clinic_id=clinic.id, service_id=service.id,
                appointment_type=AppointmentType.SCAN, scheduled_start=start,
                scheduled_end=start + timedelta(minutes=service.duration_minutes), price=service.price,
            )  # fmt: skip
            db.add(appt)
            db.flush()
            invoice = Invoice(
                number=f"INV-{SECOND_CLINIC}-{appt.id}", appointment_id=appt.id, patient_id=patient_id,
                clinic_id=clinic.id, subtotal=service.price, medical_aid_portion=0,
                patient_portion=service.price, total=service.price, amount_paid=service.price,
                due_date=start.date(),
            )  # fmt: skip
            db.add(invoice)
            db.flush()
            db.add(
                Payment(
                    invoice_id=invoice.id, patient_id=patient_id, amount=service.price,
                    method=PaymentMethod.CASH, status=PaymentStatus.COMPLETED, completed_at=utcnow(),
                    receipt_number=f"RCT-{SECOND_CLINIC}-{appt.id}",
                )
            )  # fmt: skip
            self._waitlist_and_referral(db, clinic_id=clinic.id, service_id=service.id, outsider=patient_id)
            db.commit()

    def _waitlist_and_referral(self, db: Session, *, clinic_id: Any, service_id: Any, outsider: int) -> None:
        """A waitlist entry of the demo patient (own) and of the outsider (other), and a referral
        document of the outsider with its file, as an upload would leave it."""
        from mediconnect.seed.referral_files import pdf_bytes
        from mediconnect.services.referral_files import storage_dir

        demo_patient = self.patient_id(self.subjects[Role.PATIENT.value].user_id)
        desired = utcnow().date() + timedelta(days=700)
        for pid in (demo_patient, outsider):
            db.add(
                WaitlistEntry(
                    patient_id=pid, clinic_id=clinic_id, service_id=service_id, desired_date=desired
                )
            )
        referral = Referral(patient_id=outsider, service_id=service_id, referrer_name="Authz Referrer")
        db.add(referral)
        db.flush()
        data, stored = pdf_bytes(0, "Authz referral"), secrets.token_hex(32)
        folder = storage_dir()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / stored).write_bytes(data)
        db.add(
            ReferralDocument(
                referral_id=referral.id, original_filename="authz.pdf", stored_name=stored,
                content_type="application/pdf", size_bytes=len(data), sha256=hashlib.sha256(data).hexdigest(),
            )
        )  # fmt: skip

    # ------------------------------------------------------------------ fingerprints

    def _queries(self) -> list[tuple[str, sa.Select[Any], list[str], list[str]]]:
        if not hasattr(self, "_fp_queries"):
            queries = []
            for name, (owner_sql, skip) in WATCHED.items():
                base = self.metadata.tables[name]
                table = base.alias("t")
                cols = [c for c in table.columns if c.name not in skip]
                query = sa.select(sa.literal_column(owner_sql).label("authz_owner"), *cols)
                queries.append(
                    (name, query, [c.name for c in cols], [c.name for c in base.primary_key.columns])
                )
            self._fp_queries = queries
        return self._fp_queries

    def _install_change_log(self) -> None:
        with self.engine.begin() as conn:
            if self.engine.dialect.name == "postgresql":
                conn.execute(
                    sa.text(f"CREATE TABLE IF NOT EXISTS {CHANGE_LOG} (id bigserial PRIMARY KEY, name text)")
                )
                conn.execute(
                    sa.text(
                        f"CREATE OR REPLACE FUNCTION {CHANGE_LOG}_note() RETURNS trigger LANGUAGE plpgsql "
                        f"AS $$ BEGIN INSERT INTO {CHANGE_LOG} (name) VALUES (TG_TABLE_NAME); "
                        "RETURN NULL; END $$"
                    )
                )
                for name in WATCHED:
                    conn.execute(sa.text(f"DROP TRIGGER IF EXISTS {CHANGE_LOG}_note ON {name}"))
                    conn.execute(
                        sa.text(
                            f"CREATE TRIGGER {CHANGE_LOG}_note AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                            f"ON {name} FOR EACH STATEMENT EXECUTE FUNCTION {CHANGE_LOG}_note()"
                        )
                    )
                return
            conn.execute(
                sa.text(f"CREATE TABLE IF NOT EXISTS {CHANGE_LOG} (id INTEGER PRIMARY KEY, name TEXT)")
            )
            for name in WATCHED:
                for op in ("INSERT", "UPDATE", "DELETE"):
                    conn.execute(
                        sa.text(
                            f"CREATE TRIGGER IF NOT EXISTS {CHANGE_LOG}_{name}_{op.lower()} AFTER {op} "
                            f"ON {name} BEGIN INSERT INTO {CHANGE_LOG} (name) VALUES ('{name}'); END"
                        )
                    )

    def fingerprint(self) -> Fingerprint:
        """Every watched row (owner, digest, values), and the open sessions."""
        fp = Fingerprint()
        with self.engine.connect() as conn:
            # Counts before rows: a write committed in between is read again next time, never missed.
            rows = conn.execute(sa.text(f"SELECT name, count(*) FROM {CHANGE_LOG} GROUP BY name")).all()
            counts: dict[str, int] = {name: n for name, n in rows}
            for name, query, cols, pk in self._queries():
                count = (counts.get(name, 0), counts.get(OWNER_VIA.get(name, ""), 0))
                if name in self._read and self._read[name][0] == count:
                    _, fp.rows[name], fp.full[name] = self._read[name]
                    continue
                rows: dict[Any, tuple[str | None, str]] = {}
                full_rows: dict[Any, dict[str, Any]] = {}
                for row in conn.execute(query):
                    owner, values = row[0], dict(zip(cols, row[1:], strict=True))
                    key = tuple(values[c] for c in pk)
                    rows[key] = (_owner(owner), repr(row[1:]))
                    full_rows[key] = values
                fp.rows[name] = rows
                fp.full[name] = full_rows
                self._read[name] = (count, rows, full_rows)
            open_rows = conn.execute(
                sa.text(f"SELECT id, user_id FROM {SESSIONS_TABLE} WHERE ended_at IS NULL")
            ).all()
            fp.rows[SESSIONS_TABLE] = {(sid,): (_owner(uid), "open") for sid, uid in open_rows}
        return fp

    def restore(self, before: Fingerprint, changes: list[Change]) -> None:
        """Put back the watched rows an allowed case changed (sessions excepted, but for the
        victims' standing sessions: an admin's deactivation or role change ends them)."""
        if not changes:
            return
        ended = [c.key[0] for c in changes if c.table == SESSIONS_TABLE and c.kind == "removed"]
        # Added rows go children first (an affiliation before its doctor row), the rest parents first.
        order = list(WATCHED)

        def rank(c: Change) -> tuple[int, int]:
            at = order.index(c.table) if c.table in order else len(order)
            return (0, -at) if c.kind == "added" else (1, at)

        ordered = sorted(changes, key=rank)
        with self.engine.begin() as conn:
            for change in ordered:
                if change.table == SESSIONS_TABLE:
                    continue
                table = self.metadata.tables[change.table]
                pk = list(table.primary_key.columns)
                where = sa.and_(*(c == v for c, v in zip(pk, change.key, strict=True)))
                if change.kind == "added":
                    conn.execute(table.delete().where(where))
                    continue
                old = before.full[change.table][change.key]
                if change.kind == "removed":
                    conn.execute(table.insert().values(**old))
                else:
                    conn.execute(table.update().where(where).values(**old))
            if ended and self.victim_tokens:
                conn.execute(
                    sa.text(
                        f"UPDATE {SESSIONS_TABLE} SET ended_at = NULL WHERE id = :id AND client_token = :t"
                    ),
                    [{"id": sid, "t": t} for sid in ended for t in self.victim_tokens.values()],
                )
