"""Accounts: the account itself (look-up, deactivation) and the one import for all account services.

Self-registration, sign-in, profile, password change and reset each live in their own module
(``registration``, ``authentication``, ``profiles``, ``password_reset``; input rules in
``account_rules``, errors in ``account_errors``). Their public names are re-exported here, so
``from mediconnect.services import accounts; accounts.authenticate(...)`` keeps working.

Keyword-only functions taking a session (ARCHITECTURE convention 1). Each one that writes
commits its own transaction and rolls it back on failure, so nothing is ever half-created.
Bad input raises an ``AccountError`` (a ``ValueError``) whose ``field`` names the form field
the message belongs to, so every surface can show it next to that field.
"""

from __future__ import annotations

from sqlmodel import Session

from mediconnect.core.tokens import revoke_user_tokens
from mediconnect.models.base import utcnow
from mediconnect.models.users import User, UserPublic
from mediconnect.services import sessions
from mediconnect.services.account_errors import AccountError as AccountError
from mediconnect.services.account_errors import DuplicateEmail as DuplicateEmail
from mediconnect.services.account_errors import InvalidEmail as InvalidEmail
from mediconnect.services.account_errors import InvalidInput as InvalidInput
from mediconnect.services.account_errors import NotFound as NotFound
from mediconnect.services.account_errors import ResetLinkError as ResetLinkError
from mediconnect.services.account_errors import WeakPassword as WeakPassword
from mediconnect.services.account_errors import WrongPassword as WrongPassword
from mediconnect.services.account_public import public_user as public_user
from mediconnect.services.account_rules import OLDEST_DOB_YEARS as OLDEST_DOB_YEARS
from mediconnect.services.account_rules import PASSWORD_MAX_LENGTH as PASSWORD_MAX_LENGTH
from mediconnect.services.account_rules import PASSWORD_MIN_LENGTH as PASSWORD_MIN_LENGTH
from mediconnect.services.account_rules import normalise_email as normalise_email
from mediconnect.services.account_rules import parse_date as parse_date
from mediconnect.services.account_rules import validate_date_of_birth as validate_date_of_birth
from mediconnect.services.account_rules import validate_email as validate_email
from mediconnect.services.account_rules import validate_password as validate_password
from mediconnect.services.account_rules import validate_phone as validate_phone
from mediconnect.services.authentication import LoginResult as LoginResult
from mediconnect.services.authentication import authenticate as authenticate
from mediconnect.services.password_reset import RESET_TOKEN_TTL as RESET_TOKEN_TTL
from mediconnect.services.password_reset import check_reset_token as check_reset_token
from mediconnect.services.password_reset import finish_password_reset as finish_password_reset
from mediconnect.services.password_reset import reset_link as reset_link
from mediconnect.services.password_reset import send_reset_email as send_reset_email
from mediconnect.services.password_reset import start_password_reset as start_password_reset
from mediconnect.services.profiles import ProfilePublic as ProfilePublic
from mediconnect.services.profiles import change_password as change_password
from mediconnect.services.profiles import get_profile as get_profile
from mediconnect.services.profiles import list_medical_aid_schemes as list_medical_aid_schemes
from mediconnect.services.profiles import update_medical_aid as update_medical_aid
from mediconnect.services.profiles import update_notifications as update_notifications
from mediconnect.services.profiles import update_profile as update_profile
from mediconnect.services.registration import SELF_SERVICE_ROLES as SELF_SERVICE_ROLES
from mediconnect.services.registration import register_patient as register_patient
from mediconnect.services.registration import register_referring_doctor as register_referring_doctor
from mediconnect.services.registration import registration_errors as registration_errors


def get_user(*, session: Session, user_id: int) -> UserPublic | None:
    user = session.get(User, user_id)
    return public_user(user) if user else None


def deactivate_user(*, session: Session, user_id: int) -> list[str]:
    """Deactivate an account and end its sessions at once; returns the ended client tokens."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    try:
        user.is_active = False
        user.deactivated_at = utcnow()
        session.add(user)
        tokens = sessions.end_user_sessions(session=session, user_id=user_id, commit=False)
        revoke_user_tokens(session, user_id=user_id)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return tokens
