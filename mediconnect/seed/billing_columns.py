"""Column stores for the billing simulation."""

from __future__ import annotations

from mediconnect.seed.columns import Columns


class Invoices(Columns):
    FIELDS = (
        ("appt", "i"),
        ("patient", "i"),
        ("clinic", "h"),
        ("doctor", "i"),
        ("status", "b"),
        ("total", "q"),
        ("ma", "q"),
        ("paid", "q"),
        ("issued", "q"),
        ("due", "i"),
        ("sent", "q"),
        ("paid_at", "q"),
        ("cancelled", "q"),
        ("auto_gen", "b"),
        ("auto_sent", "b"),
        ("reminders", "b"),
        ("last_reminder", "q"),
        ("extra_kind", "b"),
        ("extra_amt", "q"),
        ("extra_ma", "q"),
    )


class Claims(Columns):
    FIELDS = (
        ("invoice", "i"),
        ("membership", "i"),
        ("scheme", "h"),
        ("status", "b"),
        ("claimed", "q"),
        ("approved", "q"),
        ("paid_amount", "q"),
        ("submitted", "q"),
        ("decided", "q"),
        ("paid", "q"),
        ("denial", "b"),
    )


class Payments(Columns):
    FIELDS = (
        ("invoice", "i"),
        ("patient", "i"),
        ("claim", "i"),
        ("amount", "q"),
        ("method", "b"),
        ("status", "b"),
        ("created", "q"),
        ("completed", "q"),
        ("failure", "b"),
        ("fee", "q"),
        ("chargeback", "q"),
        ("recorded_by", "i"),
        ("provider", "h"),
    )


class Refunds(Columns):
    FIELDS = (("payment", "i"), ("amount", "q"), ("reason", "b"), ("at", "q"), ("by", "i"))


class Plans(Columns):
    FIELDS = (
        ("patient", "i"),
        ("invoice", "i"),
        ("total", "q"),
        ("count", "b"),
        ("installment", "q"),
        ("start", "i"),
        ("status", "b"),
        ("created", "q"),
    )


class Installments(Columns):
    FIELDS = (
        ("plan", "i"),
        ("seq", "b"),
        ("due", "i"),
        ("amount", "q"),
        ("status", "b"),
        ("paid", "q"),
        ("payment", "i"),
    )


class Billing:
    def __init__(self) -> None:
        self.invoices = Invoices()
        self.claims = Claims()
        self.payments = Payments()
        self.refunds = Refunds()
        self.plans = Plans()
        self.installments = Installments()
