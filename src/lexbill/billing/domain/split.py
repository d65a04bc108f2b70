"""Split billing: a matter's bill shared between payors by fixed shares (basis points, summing to 100 %).

The whole invoice is shared first: each payor's total is its share of the invoice total by largest remainder,
so every payor's invoice is within one minor unit of its exact share however many lines it has. (Splitting
each line on its own, ties to the first payor, billed 101 one-cent lines shared 50/50 as 1.01 and 0.00.)
Each payor's total is then spread over the lines (`split_lines`), so that for every line the payors' parts
add up to the line exactly (base, adjustment and total) and every payor line still satisfies
total = base + adjustment. Hours, rates and quantities are facts of the work and are not split: a payor's
line shows the whole work and its share of the amount.
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
    """One line's parts, one per share, in the order of the shares (a one-line invoice)."""
    return [parts[0] for parts in split_lines([LineShare(base_minor, adjustment_minor)], shares_bp)]


def split_lines(lines: Sequence[LineShare], shares_bp: Sequence[int]) -> list[list[LineShare]]:
    """Each payor's parts of the lines: one list per share (in the order of the shares), one part per line.

    Exact: each payor's parts add up to its largest-remainder share of the invoice total; each line's parts
    add up to the line (base, adjustment and total). Each part's total is its exact share of the line rounded
    down or up, wherever those two constraints allow it (they nearly always do; see `_spread`)."""
    check_shares(shares_bp)
    totals = [line.total_minor for line in lines]
    payor_totals = allocate_largest_remainder(sum(totals), shares_bp)
    parts = _spread(totals, shares_bp, payor_totals)
    # The adjustment is shared by the shares; the base is what is left of the payor's part, so a line without
    # an adjustment has none in any payor's part.
    none = [0] * len(shares_bp)
    adjustments = [allocate_largest_remainder(line.adjustment_minor, shares_bp) if line.adjustment_minor else none
                   for line in lines]
    return [[LineShare(part - adjustments[i][p], adjustments[i][p]) for i, part in enumerate(row)]
            for p, row in enumerate(parts)]


def _spread(totals: Sequence[int], shares_bp: Sequence[int], payor_totals: Sequence[int]) -> list[list[int]]:
    """Integer parts[payor][line]: rows add up to payor_totals, columns to the line totals.

    Every part starts at its exact share rounded down (floor, also for negative lines); each line then has a
    few units left to hand out (the sum of its parts' fractions) and each payor is owed a few units to reach
    its total. Units go first to the parts with the largest fractions (ties to the earlier line, then the
    earlier payor), at most one per part, so a part is its exact share rounded down or up."""
    floors = [[(total * share) // WHOLE_BP for total in totals] for share in shares_bp]
    fractions = [[(total * share) % WHOLE_BP for total in totals] for share in shares_bp]
    line_left = [total - sum(row[i] for row in floors) for i, total in enumerate(totals)]
    payor_owed = [want - sum(row) for want, row in zip(payor_totals, floors, strict=True)]
    given = [[False] * len(totals) for _ in shares_bp]
    cells = sorted((-fractions[p][i], i, p) for p in range(len(shares_bp)) for i in range(len(totals))
                    if fractions[p][i])
    for _, i, p in cells:
        if line_left[i] and payor_owed[p]:
            given[p][i] = True
            line_left[i] -= 1
            payor_owed[p] -= 1
    for i in range(len(totals)):
        while line_left[i]:
            if not _augment(i, fractions, given, payor_owed):
                # No way left within rounding down or up: the unit goes to the first payor still owed one.
                p = next(p for p, owed in enumerate(payor_owed) if owed)
                floors[p][i] += 1
                payor_owed[p] -= 1
            line_left[i] -= 1
    return [[floor + given[p][i] for i, floor in enumerate(row)] for p, row in enumerate(floors)]


def _augment(line: int, fractions: list[list[int]], given: list[list[bool]], payor_owed: list[int]) -> bool:
    """Give one unit of `line` to a payor still owed one, moving units between lines if need be: line -> payor
    A (a part of the line that may still round up), A takes back a unit it had on another line, which goes to
    payor B, ... until a payor that is owed a unit. A breadth-first search over the payors (there are few)."""
    payors = range(len(payor_owed))
    # came_from[payor] = (line that gives the payor a unit, payor that gave that line's unit up or None)
    came_from: dict[int, tuple[int, int | None]] = {}
    frontier: list[tuple[int, int | None]] = [(line, None)]
    while frontier:
        next_frontier: list[tuple[int, int | None]] = []
        for i, from_payor in frontier:
            for p in payors:
                if p in came_from or not fractions[p][i] or given[p][i]:
                    continue
                came_from[p] = (i, from_payor)
                if payor_owed[p]:
                    _apply_path(p, came_from, given)
                    payor_owed[p] -= 1
                    return True
                next_frontier.extend((j, p) for j, has in enumerate(given[p]) if has)
        frontier = next_frontier
    return False


def _apply_path(payor: int | None, came_from: dict[int, tuple[int, int | None]], given: list[list[bool]]) -> None:
    while payor is not None:
        i, previous = came_from[payor]
        given[payor][i] = True
        if previous is not None:
            given[previous][i] = False
        payor = previous


def format_share(share_bp: int) -> str:
    """6000 -> '60 %', 3350 -> '33.5 %', 3333 -> '33.33 %' (integer arithmetic, no float)."""
    whole, rest = divmod(share_bp, 100)
    return f"{whole}.{rest:02d}".rstrip("0") + " %" if rest else f"{whole} %"
