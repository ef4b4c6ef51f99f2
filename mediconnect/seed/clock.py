"""Time in the seed: instants are int epoch seconds (UTC) until they are written, days are date
ordinals, and clinic-local times are converted through zoneinfo once per clinic and day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
DAY = 86_400
HOUR = 3_600
MINUTE = 60


def dt(ts: int) -> datetime | None:
    """Epoch seconds to an aware UTC datetime; 0 stands for NULL."""
    return datetime.fromtimestamp(ts, UTC) if ts else None


def day_of(ordinal: int) -> date:
    return date.fromordinal(ordinal)


def utc_day(ts: int) -> int:
    """The UTC date ordinal of an instant."""
    return ts // DAY + EPOCH_ORDINAL


class LocalDays:
    """Epoch of local midnight per date ordinal for one zone (cached; DST-correct at midday)."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self._cache: dict[int, int] = {}

    def midnight(self, ordinal: int) -> int:
        ts = self._cache.get(ordinal)
        if ts is None:
            noon = datetime.combine(date.fromordinal(ordinal), time(12), tzinfo=self.tz)
            offset = noon.utcoffset() or timedelta(0)
            ts = (ordinal - EPOCH_ORDINAL) * DAY - int(offset.total_seconds())
            self._cache[ordinal] = ts
        return ts

    def at(self, ordinal: int, minutes: float) -> int:
        """Epoch of `minutes` after local midnight on that day."""
        return self.midnight(ordinal) + int(minutes * MINUTE)

    def local_day(self, ts: int) -> int:
        return datetime.fromtimestamp(ts, self.tz).date().toordinal()


def easter(year: int) -> date:
    """Gregorian Easter Sunday (anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = ((h + l_ - 7 * m + 114) % 31) + 1
    return date(year, month, day)


def public_holidays(year: int) -> dict[date, str]:
    """South African public holidays; one falling on a Sunday is observed on the Monday."""
    fixed = {
        (1, 1): "New Year's Day",
        (3, 21): "Human Rights Day",
        (4, 27): "Freedom Day",
        (5, 1): "Workers' Day",
        (6, 16): "Youth Day",
        (8, 9): "National Women's Day",
        (9, 24): "Heritage Day",
        (12, 16): "Day of Reconciliation",
        (12, 25): "Christmas Day",
        (12, 26): "Day of Goodwill",
    }
    out: dict[date, str] = {}
    for (month, day), name in fixed.items():
        d = date(year, month, day)
        out[d] = name
        if d.weekday() == 6:
            out.setdefault(d + timedelta(days=1), f"{name} (observed)")
    sunday = easter(year)
    out[sunday - timedelta(days=2)] = "Good Friday"
    out[sunday + timedelta(days=1)] = "Family Day"
    return out
