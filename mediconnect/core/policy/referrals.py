"""Referral documents (uploaded by a referring doctor): who may open one.

The patient's readers (``require_patient(READ)``), and of referring doctors only the one who
sent that referral. A missing or deleted document is DASH_006 like one the caller may not
see, so ids reveal nothing.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from mediconnect.core.errors import AccessDenied, DashErrorCode
from mediconnect.core.policy.actions import Action
from mediconnect.core.policy.patients import PATIENT_ACTIONS, require_patient
from mediconnect.core.policy.principal import Principal
from mediconnect.models.referrals import Referral, ReferralDocument
from mediconnect.models.users import Role


def require_referral_document(
    session: Session, *, principal: Principal, document_id: int
) -> tuple[ReferralDocument, Referral]:
    """The document and its referral, when ``principal`` may read it; else AccessDenied.

    ``services/referral_files.open_referral_document`` calls it, then checks the file and
    audits the download."""
    if Action.READ not in PATIENT_ACTIONS.get(principal.role, frozenset()):
        raise AccessDenied(DashErrorCode.DASH_002, f"role {principal.role.value} may not read referrals")
    row = session.exec(
        select(ReferralDocument, Referral)
        .join(Referral, col(Referral.id) == col(ReferralDocument.referral_id))
        .where(col(ReferralDocument.id) == document_id)
    ).first()
    if row is None or row[0].deleted_at is not None or row[1].patient_id is None:
        raise AccessDenied(DashErrorCode.DASH_006, "not associated with this document")
    doc, referral = row
    assert referral.patient_id is not None
    require_patient(session, principal=principal, patient_id=referral.patient_id, action=Action.READ)
    if (
        principal.role is Role.REFERRING_DOCTOR
        and referral.referring_doctor_id != principal.referring_doctor_id
    ):
        raise AccessDenied(DashErrorCode.DASH_006, "not this doctor's referral")
    return doc, referral
