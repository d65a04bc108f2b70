"""Split billing: a matter's bill shared between payors by fixed shares (basis points, summing to 100 %).

Each line's base and adjustment are split separately by largest remainder, so that for every line the payors'
parts add up to the line exactly (base, adjustment and total), every payor line still satisfies
total = base + adjustment, and each part is within one minor unit of its exact share. Hours, rates and
quantities are facts of the work and are not split: a payor's line shows the whole work and its share of the
amount.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .allocation import allocate_largest_remainder

WHOLE_BP = 10_000


@dataclass(frozen=True)
class LineShare:
    base_minor: int
    adjustment_minor: int

    @property
    def total_minor(self) -> int:
        return self.base_minor + self.adjustment_minor


def check_shares(shares_bp: Sequence[int]) -> None:
    """Shares must each be positive and add up to exactly 100 %."""
    if not shares_bp:
        raise ValueError("a split needs at least one payor")
    if any(share <= 0 or share > WHOLE_BP for share in shares_bp):
        raise ValueError("each payor's share must be more than 0 % and at most 100 %")
    if sum(shares_bp) != WHOLE_BP:
        raise ValueError(f"the payors' shares add up to {format_share(sum(shares_bp))}, not 100 %")


def split_line(base_minor: int, adjustment_minor: int, shares_bp: Sequence[int]) -> list[LineShare]:
    """One line's parts, one per share, in the order of the shares."""
    check_shares(shares_bp)
    bases = allocate_largest_remainder(base_minor, shares_bp)
    adjustments = allocate_largest_remainder(adjustment_minor, shares_bp)
    return [LineShare(b, a) for b, a in zip(bases, adjustments, strict=True)]


def format_share(share_bp: int) -> str:
    """6000 -> '60 %', 3350 -> '33.5 %', 3333 -> '33.33 %' (integer arithmetic, no float)."""
    whole, rest = divmod(share_bp, 100)
    return f"{whole}.{rest:02d}".rstrip("0") + " %" if rest else f"{whole} %"
