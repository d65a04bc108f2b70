"""Largest-remainder allocation: split an amount over weights in whole minor units, summing exactly.

Used to spread a bill-level write-down over its lines and an on-total tax over the taxed lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction


def allocate_largest_remainder(total_minor: int, weights: Sequence[int]) -> list[int]:
    """Each part is its exact share rounded down; the units left go one each to the largest remainders,
    ties to the earlier part (deterministic). A negative total is split like its magnitude and negated, so
    a write-down mirrors a write-up. Every part is within one minor unit of its exact share. Weights may be
    negative (credit lines) as long as they do not sum to zero; all-zero weights take only a zero total."""
    weight_sum = sum(weights)
    if weight_sum == 0:
        if total_minor != 0:
            raise ValueError("nothing to spread the amount over")
        return [0] * len(weights)
    if total_minor < 0:
        return [-part for part in allocate_largest_remainder(-total_minor, weights)]
    exact = [Fraction(total_minor * weight, weight_sum) for weight in weights]
    parts = [share.numerator // share.denominator for share in exact]
    left_over = total_minor - sum(parts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in by_remainder[:left_over]:
        parts[i] += 1
    return parts
