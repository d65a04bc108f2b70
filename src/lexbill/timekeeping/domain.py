"""Pure rules for time and expenses: durations, rounding, code formats. No ORM, no clock."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from lexbill.core.hours import MAX_HOURS_A_DAY, minutes_to_hours, round_hours_up, span_minutes
from lexbill.core.money import amount_text, round_half_up

TASK_CODE = re.compile(r"^[A-Z]{1,2}\d{3}$")  # L120, B110, C100, P300 ...
ACTIVITY_CODE = re.compile(r"^A\d{3}$")  # A101-A111
EXPENSE_CODE = re.compile(r"^E\d{3}$")  # E101-E124


@dataclass(frozen=True)
class Duration:
    """How long work took, as the user gave it: exactly one of hours, minutes or a from/to span."""

    hours: Decimal | None = None
    minutes: int | None = None
    start: time | None = None
    end: time | None = None

    def billed_hours(self, increment_milli: int) -> Decimal:
        given = [self.hours is not None, self.minutes is not None, self.start is not None or self.end is not None]
        if sum(given) != 1:
            raise ValueError("give the time as hours, as minutes, or as a from/to span (exactly one)")
        if self.hours is not None:
            if self.hours <= 0:
                raise ValueError("hours must be more than zero")
            hours = round_hours_up(self.hours, increment_milli)
        elif self.minutes is not None:
            if self.minutes <= 0:
                raise ValueError("minutes must be more than zero")
            hours = minutes_to_hours(self.minutes, increment_milli)
        else:
            if self.start is None or self.end is None:
                raise ValueError("a span needs both --from and --to")
            hours = minutes_to_hours(span_minutes(self.start, self.end), increment_milli)
        if hours > MAX_HOURS_A_DAY:
            raise ValueError(f"{hours} h is more than a day")
        return hours


def check_code(value: str, pattern: re.Pattern[str], what: str) -> str:
    value = (value or "").strip().upper()
    if value and not pattern.match(value):
        raise ValueError(f"{value!r} is not a UTBMS {what} code")
    return value


def expense_amount_minor(quantity: Decimal, unit_cost_minor: int) -> int:
    """One expense line: quantity x unit cost, rounded once, half-up."""
    return round_half_up(quantity * unit_cost_minor)


def billable_problem(hours_worked: Decimal, hours_billable: Decimal) -> str | None:
    """Billable hours above hours worked would bill work nobody did; a write-up is a pre-bill decision,
    made in review where it is recorded with who made it (billing.services.review)."""
    if hours_billable > hours_worked:
        return (f"hours billable ({hours_billable}) cannot be more than hours worked ({hours_worked}): "
                "write the line up in the pre-bill review instead")
    return None


def day_total_problem(initials: str, on: date, hours_elsewhere: Decimal, hours: Decimal) -> str | None:
    """One timekeeper cannot work more than 24 hours on one day, counting every entry of that day."""
    total = hours_elsewhere + hours
    if total > MAX_HOURS_A_DAY:
        return (f"{initials} would have {total} h on {on.isoformat()} ({hours_elsewhere} h already recorded): "
                f"more than {MAX_HOURS_A_DAY} h in one day")
    return None


def opened_problem(on: date, matter_number: str, opened_on: date) -> str | None:
    if on < opened_on:
        return f"{on.isoformat()} is before matter {matter_number} opened ({opened_on.isoformat()})"
    return None


def expense_amount_problem(amount_minor: int, currency: str) -> str | None:
    """An expense of 0.00 (or less) is not a disbursement: nothing to bill, and a refund is a credit note."""
    if amount_minor <= 0:
        return f"an expense must be more than 0 (quantity x unit cost is {amount_text(amount_minor, currency)} " \
               f"{currency})"
    return None
