"""Calendar months of a billing period (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"period starts {self.start} after it ends {self.end}")


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(first: date) -> date:
    return date(first.year + 1, 1, 1) if first.month == 12 else date(first.year, first.month + 1, 1)


def months_of(period: Period) -> list[date]:
    """First days of every calendar month the period touches, in order."""
    months = []
    current = month_start(period.start)
    while current <= period.end:
        months.append(current)
        current = next_month(current)
    return months
