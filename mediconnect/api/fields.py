"""The field types of the API's request models and parameters: what the hand-written parsers
accepted before, bounded so that no value can reach the database or date arithmetic and fail
there (a 500): ids fit the database's 32-bit integer columns, dates have a year a clinic can
mean, text has no NUL and no lone surrogate (PostgreSQL and UTF-8 refuse both).

A value that does not fit is a validation error with a message written to follow the field's
name (``clinic_id must be a positive integer``), which the route family turns into its code
(``routing.ApiRoute.bad_input``, ``errors.describe``).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER
MAX_PAGE = 10**12  # page x size stays far inside a 64-bit OFFSET
MIN_YEAR, MAX_YEAR = 1900, 2200
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def _fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("mc", message)


def _id(value: Any) -> int:
    """A positive id: a JSON integer, or its digits as a string."""
    if isinstance(value, str) and value.isdigit() and len(value) <= 12:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise _fail("must be a positive integer")
    return value


def _ref_id(value: Any) -> int:
    """An id in a path or query: its digits (0 included: it names nothing, and the service says
    so as for any missing object, as before)."""
    if isinstance(value, str) and value.isdigit() and len(value) <= 12:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ID:
        raise _fail("must be a positive integer")
    return value


def _lenient_id(value: Any) -> int:
    """An id in a billing path: a malformed one names nothing (0), so the caller hears what it
    would for any object out of its reach (DASH_002 / DASH_006), never a hint."""
    try:
        return _id(value)
    except PydanticCustomError:
        return 0


def _page(value: Any) -> int:
    """A page number or size: digits (0 means the default; the services clamp the size)."""
    if isinstance(value, str) and value.isdigit() and len(value) <= 12:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < MAX_PAGE:
        raise _fail("must be a positive integer")
    return value


def _year_ok(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _fail(f"must be between the years {MIN_YEAR} and {MAX_YEAR}")


def _day(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        parsed = value
    else:
        try:
            if not isinstance(value, str) or len(value) != 10:
                raise ValueError
            parsed = date.fromisoformat(value)
        except ValueError:
            raise _fail("must be a date, YYYY-MM-DD") from None
    _year_ok(parsed.year)
    return parsed


def _moment(value: Any) -> datetime:
    try:
        if not isinstance(value, str) or len(value) > 40:
            raise ValueError
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _fail("must be an ISO 8601 time with its offset") from None
    if parsed.tzinfo is None:
        raise _fail("must include its UTC offset")
    _year_ok(parsed.year)
    return parsed


def _clock(value: Any) -> time:
    try:
        if not isinstance(value, str) or len(value) > 8:
            raise ValueError
        return time.fromisoformat(value)
    except ValueError:
        raise _fail("must be a time, HH:MM") from None


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _fail("must be a string")
    if "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value):
        raise _fail("must be text without NUL or unpaired surrogates")
    return value


def _flag(value: Any) -> Any:
    """Only a JSON ``true`` counts (as before); anything else is false."""
    return value is True


def _strict_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _fail("must be true or false")
    return value


def _amount(value: Any) -> str:
    """Money arrives as a string ("250.00") or a JSON number; a float is read through its
    shortest repr (0.1 -> "0.1"), never its binary expansion. The service checks the value."""
    if isinstance(value, bool) or not isinstance(value, str | int | float) or len(str(value)) > 20:
        raise _fail('must be an amount such as "250.00"')
    return _text(repr(value) if isinstance(value, float) else str(value))


Id = Annotated[int, BeforeValidator(_id), WithJsonSchema(ID_SCHEMA)]
"""A positive id in a body; malformed: the family's bad input."""
RefId = Annotated[int, BeforeValidator(_ref_id), WithJsonSchema({**ID_SCHEMA, "minimum": 0})]
"""An id in a path or query (0 passes, and names nothing); malformed: the family's bad input."""
LenientId = Annotated[int, BeforeValidator(_lenient_id), WithJsonSchema(ID_SCHEMA)]
"""A path id where malformed means "names nothing" (0), see ``_lenient_id``."""
PAGE_SCHEMA = {"type": "integer", "minimum": 0, "maximum": MAX_PAGE - 1}
Day = Annotated[date, BeforeValidator(_day), WithJsonSchema({"type": "string", "format": "date"})]
Moment = Annotated[
    datetime, BeforeValidator(_moment), WithJsonSchema({"type": "string", "format": "date-time"})
]
Clock = Annotated[time, BeforeValidator(_clock), WithJsonSchema({"type": "string", "format": "time"})]
Flag = Annotated[bool, BeforeValidator(_flag), WithJsonSchema({"type": "boolean"})]
StrictBool = Annotated[bool, BeforeValidator(_strict_bool), WithJsonSchema({"type": "boolean"})]
Amount = Annotated[str, BeforeValidator(_amount), WithJsonSchema({"type": ["string", "number"]})]

Text = Annotated[str, BeforeValidator(_text)]
"""A string (no NUL, no lone surrogate); bound it where used: ``Annotated[Text, Field(max_length=300)]``."""


def _blank_is_none(parse: Any) -> Any:
    """A query parameter sent empty (``?clinic_id=``, as HTML forms do) is absent, as before."""

    def parse_or_none(value: Any) -> Any:
        return None if value is None or value == "" else parse(value)

    return parse_or_none


OptionalId = Annotated[
    int | None, BeforeValidator(_blank_is_none(_ref_id)), WithJsonSchema({**ID_SCHEMA, "minimum": 0})
]
OptionalDay = Annotated[
    date | None, BeforeValidator(_blank_is_none(_day)), WithJsonSchema({"type": "string", "format": "date"})
]
OptionalPage = Annotated[int | None, BeforeValidator(_blank_is_none(_page)), WithJsonSchema(PAGE_SCHEMA)]
