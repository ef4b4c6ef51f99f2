"""Small-integer codes the column stores use for enum values, and their database strings."""

from __future__ import annotations

APPT_STATUS = ("booked", "confirmed", "checked_in", "in_progress", "completed", "cancelled", "no_show")
BOOKED, CONFIRMED, CHECKED_IN, IN_PROGRESS, COMPLETED, CANCELLED, NO_SHOW = range(7)

APPT_TYPE = ("new_patient", "consultation", "follow_up", "routine_checkup", "scan", "procedure")
T_NEW, T_CONSULT, T_FOLLOW_UP, T_CHECKUP, T_SCAN, T_PROCEDURE = range(6)

CHANNEL = ("online", "phone", "desk", "referral")
CH_ONLINE, CH_PHONE, CH_DESK, CH_REFERRAL = range(4)

# Cancellation reasons: (text, who) where who is "patient", "patient_late" or "staff".
CANCEL_REASONS = (
    ("Rescheduled by patient", "patient"),
    ("Feeling better", "patient"),
    ("Work commitment", "patient"),
    ("Transport problems", "patient_late"),
    ("Family emergency", "patient_late"),
    ("Cost of the co-payment", "patient"),
    ("Illness on the day", "patient_late"),
    ("Doctor unavailable", "staff"),
    ("Equipment fault", "staff"),
    ("Clinic schedule change", "staff"),
    ("Medical aid pre-authorisation declined", "staff"),
)
RESCHEDULE_REASON = 0
PREAUTH_DECLINED_REASON = 10

INVOICE_STATUS = ("draft", "sent", "partially_paid", "paid", "overdue", "cancelled")
INV_DRAFT, INV_SENT, INV_PARTIAL, INV_PAID, INV_OVERDUE, INV_CANCELLED = range(6)

PAY_METHOD = ("card", "mobile_money", "bank_transfer", "cash", "insurance")
PM_CARD, PM_MOBILE, PM_TRANSFER, PM_CASH, PM_INSURANCE = range(5)

PAY_STATUS = ("pending", "processing", "completed", "failed", "refunded")
PS_PENDING, PS_PROCESSING, PS_COMPLETED, PS_FAILED, PS_REFUNDED = range(5)

FAILURE_REASONS = (
    "Insufficient funds",
    "Expired card",
    "Invalid billing address",
    "Card declined by issuer",
    "Mobile money timeout",
    "Suspected fraud: blocked by issuer",
)

CLAIM_STATUS = ("submitted", "approved", "partially_approved", "denied", "paid")
CL_SUBMITTED, CL_APPROVED, CL_PARTIAL, CL_DENIED, CL_PAID = range(5)

DENIAL_REASONS = (
    "Membership suspended",
    "Annual benefit limit reached",
    "No pre-authorisation on file",
    "Service not covered by plan option",
    "Duplicate claim",
    "Incorrect ICD-10 coding",
)

REPORT_STATUS = ("draft", "final", "amended")
RP_DRAFT, RP_FINAL, RP_AMENDED = range(3)

MEMBERSHIP_STATUS = ("active", "suspended", "expired", "pending")
MS_ACTIVE, MS_SUSPENDED, MS_EXPIRED, MS_PENDING = range(4)

# Patient payment behaviour
PAYER_PROMPT, PAYER_LATER, PAYER_SLOW, PAYER_PARTIAL, PAYER_NEVER = range(5)

IMAGING_MODALITIES = ("xray", "ct", "mri", "ultrasound", "mammography", "fluoroscopy", "dexa")
REPORTED_MODALITIES = (*IMAGING_MODALITIES, "ecg")
