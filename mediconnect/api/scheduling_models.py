"""The scheduling API's request bodies and the queue's response (``api/appointments.py``); the
other responses are the scheduling services' own public shapes (``AppointmentPublic``,
``AppointmentPage``, ``AppointmentDetail``, ``WaitlistPublic``). Field types: ``api/fields.py``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from mediconnect.api.fields import Clock, Day, Flag, Id, Moment, Text
from mediconnect.services.appointments_query import QueueRow
from mediconnect.services.referral_files import MAX_BYTES

MAX_BODY = (MAX_BYTES * 4) // 3 + 64 * 1024  # a base64 referral plus the other fields


class ReferralIn(BaseModel):
    filename: Annotated[Text, Field(max_length=255)] | None = None
    content_base64: Annotated[Text, Field(max_length=MAX_BODY)]


class BookIn(BaseModel):
    clinic_id: Id
    service_id: Id
    start: Moment = Field(description="ISO 8601 with its UTC offset")
    preparation_acknowledged: Flag = False
    patient_id: Id | None = Field(None, description="a patient books for themself; staff name the patient")
    referral: ReferralIn | None = Field(None, description="PDF/JPEG/PNG, <= 10 MB")
    referral_id: Id | None = None
    channel: Annotated[Text, Field(max_length=20)] | None = None
    notes: Annotated[Text, Field(max_length=1000)] | None = None


class CancelIn(BaseModel):
    reason: Annotated[Text, Field(max_length=300)] | None = None


class RescheduleIn(BaseModel):
    start: Moment


class WaitlistIn(BaseModel):
    clinic_id: Id
    service_id: Id
    date: Day
    earliest_time: Clock | None = None
    latest_time: Clock | None = None
    patient_id: Id | None = None


class AcceptIn(BaseModel):
    preparation_acknowledged: Flag = False
    referral: ReferralIn | None = None
    referral_id: Id | None = None


class ClinicQueue(BaseModel):
    clinic_id: int
    date: str
    rows: list[QueueRow]
