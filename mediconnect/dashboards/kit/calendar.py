"""The local calendar both dashboard contexts read their periods from (clinic and doctor).

A context has a zone and a local ``today``; every period is local dates, turned into UTC
``[start, end)`` ranges by ``span`` for the indexed timestamp columns.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from mediconnect.dashboards.kit.conventions import day_range, month_of, previous_month, previous_week, week_of

Span = tuple[datetime, datetime]


class LocalCalendar:
    tz: ZoneInfo
    today: date

    def span(self, first: date, last: date) -> Span:
        return day_range(first, last, self.tz)

    @property
    def today_span(self) -> Span:
        return self.span(self.today, self.today)

    @property
    def week(self) -> tuple[date, date]:
        return week_of(self.today)

    @property
    def last_week(self) -> tuple[date, date]:
        return previous_week(self.today)

    @property
    def week_before(self) -> tuple[date, date]:
        return previous_week(self.last_week[0])

    @property
    def month(self) -> tuple[date, date]:
        return month_of(self.today)

    @property
    def last_month(self) -> tuple[date, date]:
        return previous_month(self.today)
