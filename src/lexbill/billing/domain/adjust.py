"""Write-down/up arithmetic for pre-bill review: pure functions on integers and Decimals.

Sign convention (the same as a line's `adjustment_minor`): a write-down is negative, a write-up positive.
A percent is given the way a clerk says it ("10" = write down 10 %); a negative percent writes up.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from lexbill.core.money import round_half_up

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


def allocate_largest_remainder(total_minor: int, weights: Sequence[int]) -> list[int]:
    """Split `total_minor` over `weights` in proportion, in whole minor units, summing exactly to the total.

    Each part is its exact share rounded toward zero; the units left over go one each to the parts with the
    largest remainders, ties to the earlier part, so the result is deterministic. A negative total is split
    like its magnitude and negated, which keeps the split symmetric (a write-down mirrors a write-up).
    Every part is within one minor unit of its exact share; a zero weight gets nothing.
    """
    if any(weight < 0 for weight in weights):
        raise ValueError("weights cannot be negative")
    weight_sum = sum(weights)
    if weight_sum == 0:
        if total_minor == 0:
            return [0] * len(weights)
        raise ValueError("nothing to spread the amount over")
    sign = -1 if total_minor < 0 else 1
    magnitude = abs(total_minor)
    parts = [magnitude * weight // weight_sum for weight in weights]
    remainders = [magnitude * weight % weight_sum for weight in weights]
    left_over = magnitude - sum(parts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in by_remainder[:left_over]:
        parts[i] += 1
    return [sign * part for part in parts]
