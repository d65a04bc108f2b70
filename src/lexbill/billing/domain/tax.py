"""Tax on a bill: per line or on the total, one or more rates, rounded half-up, allocated to lines exactly.

Pure functions on values. Rates are parts per million (20 % = 200000). A line is taxable under a rate when
the rate applies to its kind: fees (fee, fixed fee and adjustment lines) or expenses.

- per line: each line's tax under a rate = round_half_up(line total x rate); the rate's tax is their sum.
- on total: the rate's tax = round_half_up(taxable total x rate), spread over the taxable lines in
  proportion to their totals by largest remainder, so the lines' shares sum exactly to it.
Several rates add up; a line's tax is the sum of its shares under every rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from lexbill.core.money import round_half_up

from .allocation import allocate_largest_remainder
from .lines import EXPENSE

NONE = "none"
PER_LINE = "per_line"
ON_TOTAL = "on_total"
METHODS = (NONE, PER_LINE, ON_TOTAL)
PPM = 1_000_000


@dataclass(frozen=True)
class Rate:
    name: str
    rate_ppm: int
    applies_to_fees: bool = True
    applies_to_expenses: bool = True

    def applies_to(self, kind: str) -> bool:
        return self.applies_to_expenses if kind == EXPENSE else self.applies_to_fees


@dataclass(frozen=True)
class TaxableLine:
    kind: str
    total_minor: int


@dataclass(frozen=True)
class RateTax:
    name: str
    rate_ppm: int
    taxable_minor: int
    tax_minor: int


@dataclass(frozen=True)
class TaxResult:
    method: str
    rates: tuple[RateTax, ...]
    line_tax_minor: tuple[int, ...]  # one per input line, in order

    @property
    def tax_minor(self) -> int:
        return sum(r.tax_minor for r in self.rates)


def tax_of(amount_minor: int, rate_ppm: int) -> int:
    return round_half_up(Decimal(amount_minor) * rate_ppm / PPM)


def compute_tax(lines: Sequence[TaxableLine], rates: Sequence[Rate], method: str) -> TaxResult:
    if method not in METHODS:
        raise ValueError(f"unknown tax method {method!r}")
    line_tax = [0] * len(lines)
    results: list[RateTax] = []
    if method == NONE:
        return TaxResult(method, (), tuple(line_tax))
    for rate in rates:
        taxable_idx = [i for i, line in enumerate(lines) if rate.applies_to(line.kind)]
        taxable = sum(lines[i].total_minor for i in taxable_idx)
        if method == PER_LINE:
            shares = [tax_of(lines[i].total_minor, rate.rate_ppm) for i in taxable_idx]
            rate_tax = sum(shares)
        else:
            rate_tax = tax_of(taxable, rate.rate_ppm)
            weights = [lines[i].total_minor for i in taxable_idx]
            # Lines that cancel out (+100, -100) have a zero taxable total, so a zero tax and zero shares.
            shares = allocate_largest_remainder(rate_tax, weights)
        for i, share in zip(taxable_idx, shares, strict=True):
            line_tax[i] += share
        results.append(RateTax(rate.name, rate.rate_ppm, taxable, rate_tax))
    return TaxResult(method, tuple(results), tuple(line_tax))
