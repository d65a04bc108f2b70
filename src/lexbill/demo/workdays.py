"""Working days: Monday to Friday except US federal holidays (observed on the nearest weekday)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    last = (date(year, month + 1, 1) if month < 12 else date(year + 1, 1, 1)) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


@cache
def us_holidays(year: int) -> frozenset[date]:
    fixed = [date(year, 1, 1), date(year, 6, 19), date(year, 7, 4), date(year, 11, 11), date(year, 12, 25)]
    floating = [
        _nth_weekday(year, 1, 0, 3),  # Martin Luther King Jr. Day
        _nth_weekday(year, 2, 0, 3),  # Presidents' Day
        _last_weekday(year, 5, 0),  # Memorial Day
        _nth_weekday(year, 9, 0, 1),  # Labor Day
        _nth_weekday(year, 10, 0, 2),  # Columbus Day
        _nth_weekday(year, 11, 3, 4),  # Thanksgiving
    ]
    return frozenset([_observed(d) for d in fixed] + floating)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in us_holidays(day.year)


def working_days(start: date, end: date) -> Iterator[date]:
    """Working days from start to end, both included."""
    day = start
    while day <= end:
        if is_working_day(day):
            yield day
        day += timedelta(days=1)


def months_back(as_of: date, months: int) -> date:
    """The first day of the month `months - 1` months before as_of's: 3 months to 2026-06-30 start on 04-01."""
    index = as_of.year * 12 + (as_of.month - 1) - (months - 1)
    return date(index // 12, index % 12 + 1, 1)
