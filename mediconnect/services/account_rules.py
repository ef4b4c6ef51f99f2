"""Account input rules: normalise and validate email, password, phone, date of birth and text fields."""

from __future__ import annotations

import re
from datetime import date

from mediconnect.models.base import utcnow
from mediconnect.services.account_errors import InvalidEmail, InvalidInput, WeakPassword

PASSWORD_MIN_LENGTH = 10
# argon2 hashes any length, but a megabyte "password" is a denial of service, not a secret.
PASSWORD_MAX_LENGTH = 256
OLDEST_DOB_YEARS = 130

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_EMAIL_RE = re.compile(rf"^[A-Za-z0-9.!#$%&'*+/=?^_`{{|}}~-]+@{_LABEL}(?:\.{_LABEL})+$")
_PHONE_RE = re.compile(r"^\+?[0-9 ()-]{7,24}$")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def validate_email(email: str) -> str:
    value = normalise_email(email)
    if not value:
        raise InvalidEmail("Enter your email address.", field="email")
    if len(value) > 254 or not _EMAIL_RE.match(value) or ".." in value:
        raise InvalidEmail("Enter a valid email address, like name@example.com.", field="email")
    return value


def validate_password(password: str, *, email: str, field: str = "password") -> None:
    """The password policy: long enough, not one kind of character, not the email's name."""
    if not password:
        raise WeakPassword("Choose a password.", field=field)
    if len(password) < PASSWORD_MIN_LENGTH:
        raise WeakPassword(f"Use at least {PASSWORD_MIN_LENGTH} characters.", field=field)
    if len(password) > PASSWORD_MAX_LENGTH:
        raise WeakPassword(f"Use at most {PASSWORD_MAX_LENGTH} characters.", field=field)
    if password.isalpha() or password.isdigit():
        raise WeakPassword(
            "Mix letters with digits or symbols: only letters or only digits is too easy to guess.",
            field=field,
        )
    name = normalise_email(email).split("@", 1)[0]
    if len(name) >= 3 and name in password.lower():
        raise WeakPassword("The password must not contain your email name.", field=field)


def required_field(value: str | None, *, field: str, label: str, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"Enter your {label}.", field=field)
    if len(text) > max_length:
        raise InvalidInput(f"The {label} is too long (at most {max_length} characters).", field=field)
    return text


def optional_field(value: str | None, *, field: str, label: str, max_length: int) -> str | None:
    text = (value or "").strip()
    if len(text) > max_length:
        raise InvalidInput(f"The {label} is too long (at most {max_length} characters).", field=field)
    return text or None


def validate_phone(phone: str | None) -> str | None:
    text = (phone or "").strip()
    if not text:
        return None
    digits = sum(ch.isdigit() for ch in text)
    if not _PHONE_RE.match(text) or not 7 <= digits <= 15:
        raise InvalidInput("Enter a phone number of 7 to 15 digits, like +27 82 555 0123.", field="phone")
    return text


def validate_date_of_birth(value: date | None, *, today: date | None = None) -> date:
    if value is None:
        raise InvalidInput("Enter your date of birth.", field="date_of_birth")
    today = today or utcnow().date()
    if value > today:
        raise InvalidInput("The date of birth cannot be in the future.", field="date_of_birth")
    if value.year < today.year - OLDEST_DOB_YEARS:
        raise InvalidInput("Check the year of your date of birth.", field="date_of_birth")
    return value


def parse_date(text: str, *, field: str = "date_of_birth") -> date | None:
    """An ISO date (what <input type=date> sends) or None when empty."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("Enter the date as YYYY-MM-DD.", field=field) from None
