"""Write-down/up arithmetic for pre-bill review: pure functions on integers and Decimals.

Sign convention (the same as a line's `adjustment_minor`): a write-down is negative, a write-up positive.
A percent is given the way a clerk says it ("10" = write down 10 %); a negative percent writes up.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from lexbill.core.money import round_half_up

from .allocation import allocate_largest_remainder

# A write-down of more than the whole base would make a line negative; a write-up has no natural limit,
# but a 10x write-up is surely a typo.
MAX_WRITE_DOWN_PERCENT = Decimal(100)
MAX_WRITE_UP_PERCENT = Decimal(1000)


def parse_percent(value: Decimal | str | int) -> Decimal:
    """A write-down percent from user input ("10", "12.5", "-5" for a write-up); ValueError if not one."""
    try:
        percent = Decimal(str(value).strip().rstrip("%").strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not a percent: {value!r}") from exc
    if not percent.is_finite():
        raise ValueError(f"not a percent: {value!r}")
    if percent > MAX_WRITE_DOWN_PERCENT:
        raise ValueError(f"cannot write down more than {MAX_WRITE_DOWN_PERCENT} %")
    if -percent > MAX_WRITE_UP_PERCENT:
        raise ValueError(f"cannot write up more than {MAX_WRITE_UP_PERCENT} %")
    return percent


def percent_adjustment_minor(base_minor: int, percent: Decimal) -> int:
    """The adjustment for writing `base_minor` down by `percent`: -round_half_up(base x percent / 100)."""
    return -round_half_up(Decimal(base_minor) * percent / 100)


def allocate_over_lines(total_minor: int, weights: Sequence[int]) -> list[int]:
    """Spread a bill-level adjustment over line bases (which are never negative) by largest remainder."""
    if any(weight < 0 for weight in weights):
        raise ValueError("weights cannot be negative")
    return allocate_largest_remainder(total_minor, weights)
