"""Hours as exact Decimals, stored as integer thousandths of an hour.

A billing increment is also kept in thousandths (0.1 h = 100). Entries round *up* to the increment:
a 14:00-14:30 call is 0.5 h; 7 minutes with a 0.1 h increment is 0.2 h.
"""

from __future__ import annotations

import re
from datetime import time
from decimal import Decimal

MILLI = 1000
DEFAULT_INCREMENT_MILLI = 100  # 0.1 h, six minutes
MAX_HOURS_A_DAY = Decimal(24)


# Hours typed as text: the same plain shape as amounts (core.money): ASCII digits, a point, no exponent,
# no separators. A minus is read so that callers can say "hours cannot be negative" in their own words.
_HOURS = re.compile(r"-?[0-9]+(\.[0-9]+)?", re.ASCII)


def hours_to_milli(hours: Decimal | str | int) -> int:
    """Thousandths of an hour of exact hours ("1.25" -> 1250); refuse a fourth decimal, floats, "1e1"."""
    if isinstance(hours, str):
        if not _HOURS.fullmatch(hours.strip()):
            raise ValueError(f"not a number of hours: {hours!r} (write hours like 1.25)")
        value = Decimal(hours.strip())
    elif isinstance(hours, Decimal | int) and not isinstance(hours, bool):
        value = Decimal(hours)
    else:
        raise ValueError(f"not a number of hours: {hours!r}")
    if not value.is_finite():
        raise ValueError(f"not a number of hours: {hours!r}")
    scaled = value * MILLI
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{hours} has more than 3 decimals")
    return int(scaled)


def milli_to_hours(milli: int) -> Decimal:
    # An exact decimal division keeps no trailing zeros and no exponent: 30000 -> 30, 500 -> 0.5.
    # (normalize() would turn 30 into 3E+1.)
    return Decimal(milli) / MILLI


def display_hours(hours: Decimal) -> str:
    """At least one decimal (0.5, 1.0, 0.25) so a column of hours reads evenly."""
    tenths = hours.quantize(Decimal("0.1"))
    return str(tenths) if tenths == hours else str(hours.normalize())


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def round_milli_up(milli: int, increment_milli: int) -> int:
    """Round thousandths of an hour up to the next whole increment."""
    if increment_milli <= 0:
        raise ValueError("billing increment must be positive")
    return _ceil_div(milli, increment_milli) * increment_milli


def round_hours_up(hours: Decimal, increment_milli: int) -> Decimal:
    return milli_to_hours(round_milli_up(hours_to_milli_any(hours), increment_milli))


def hours_to_milli_any(hours: Decimal) -> int:
    """Thousandths, rounding any finer fraction *up* (used before rounding to the increment)."""
    scaled = Decimal(hours) * MILLI
    return int(scaled.to_integral_value(rounding="ROUND_CEILING"))


def minutes_to_hours(minutes: int, increment_milli: int) -> Decimal:
    """Minutes of work -> billed hours, rounded up to the increment, exactly (no float)."""
    if minutes < 0:
        raise ValueError("minutes cannot be negative")
    # minutes/60 h = minutes*1000/60 thousandths; ceil so that no started increment is lost.
    milli = _ceil_div(minutes * MILLI, 60)
    return milli_to_hours(round_milli_up(milli, increment_milli))


def span_minutes(start: time, end: time) -> int:
    """Minutes from start to end on one day; refuse an end before the start."""
    start_min = start.hour * 60 + start.minute
    end_min = end.hour * 60 + end.minute
    if end_min <= start_min:
        raise ValueError(f"end {end:%H:%M} is not after start {start:%H:%M}")
    return end_min - start_min
