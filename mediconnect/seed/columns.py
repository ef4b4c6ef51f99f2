"""Column stores: the big simulated entities kept as typed arrays (8 bytes an instant, 4 an id),
so two million appointments fit in a few hundred megabytes and stream out row by row."""

from __future__ import annotations

from array import array
from typing import Any


class Columns:
    """Typed array columns; subclasses list (name, typecode) in FIELDS."""

    FIELDS: tuple[tuple[str, str], ...] = ()

    def __init__(self) -> None:
        for name, code in self.FIELDS:
            setattr(self, name, array(code))

    def __len__(self) -> int:
        return len(getattr(self, self.FIELDS[0][0]))

    def append(self, *values: Any) -> int:
        """Append one row (values in FIELDS order); returns its 1-based id."""
        for (name, _), value in zip(self.FIELDS, values, strict=True):
            getattr(self, name).append(value)
        return len(self)


class Appointments(Columns):
    FIELDS = (
        ("patient", "i"),
        ("clinic", "h"),
        ("service", "h"),
        ("doctor", "i"),
        ("department", "i"),
        ("room", "i"),
        ("equipment", "i"),
        ("referral", "i"),
        ("atype", "b"),
        ("status", "b"),
        ("channel", "b"),
        ("start", "q"),
        ("end", "q"),
        ("price", "q"),  # cents
        ("booked", "q"),
        ("booked_by", "i"),
        ("prep_ack", "q"),
        ("confirmed", "q"),
        ("rem_sent", "q"),
        ("rem_conf", "q"),
        ("checkin", "q"),
        ("started", "q"),
        ("ended", "q"),
        ("cancelled", "q"),
        ("cancel_reason", "b"),  # index into CANCEL_REASONS, -1 none
        ("cancelled_by", "i"),
        ("noshow", "q"),
        ("resched_from", "i"),
        ("follow_up", "i"),  # date ordinal, 0 none
        ("note", "b"),  # index into vocab.APPOINTMENT_NOTES, -1 none
        ("lead_days", "h"),
        ("risk", "f"),  # the simulated no-show probability (stored for future risk scores)
    )


class Referrals(Columns):
    FIELDS = (
        ("patient", "i"),
        ("referrer", "i"),  # referring_doctors.id, 0 for a paper referral
        ("service", "h"),
        ("urgency", "b"),  # 0 routine, 1 urgent, 2 emergency
        ("referred", "q"),
        ("first_appt", "i"),  # 0: not booked yet
        ("last_appt", "i"),
        ("extra", "b"),  # 0 linked, 1 received (awaiting booking), 2 rejected
    )


class ReportsSim(Columns):
    FIELDS = (
        ("appt", "i"),
        ("status", "b"),
        ("author", "i"),
        ("signer", "i"),  # 0: unsigned
        ("created", "q"),
        ("signed", "q"),
        ("delivered", "q"),
        ("finding", "h"),  # index into the modality's findings vocabulary
    )


class Patients:
    """Patients as parallel lists (strings need lists; 200k rows is small)."""

    def __init__(self) -> None:
        self.first: list[str] = []
        self.last: list[str] = []
        self.dob: list[int] = []  # ordinal
        self.sex: list[str] = []
        self.phone: list[str | None] = []
        self.email: list[str | None] = []
        self.street: list[str] = []
        self.city: list[str] = []
        self.region: list[str] = []
        self.area: list[str] = []
        self.primary_doctor: list[int] = []
        self.home_clinic: list[int] = []
        self.user_id: list[int] = []
        self.registered: list[int] = []  # epoch
        self.auto_pay: list[bool] = []
        self.propensity: list[float] = []  # relative visit frequency
        self.payer: list[int] = []  # PAYER_* behaviour
        self.scheme: list[int] = []  # 0: no medical aid
        self.ms_status: list[int] = []
        self.ms_from: list[int] = []  # ordinal
        self.ms_to: list[int] = []  # ordinal, 0 open-ended
        self.ms_id: list[int] = []  # membership row id, 0 none

    def __len__(self) -> int:
        return len(self.first)

    def age_on(self, index: int, ordinal: int) -> int:
        return int((ordinal - self.dob[index]) / 365.2425)
