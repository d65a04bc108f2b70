"""The arithmetic of one bill line and of a bill's totals, shared by every billing step.

A line has a base (fees: round_half_up(hours billed x rate), zero when no-charge; expenses: the expense
amount; fixed fees: the fee) and an adjustment (write-down negative, write-up positive).
total = base + adjustment, rounded once, on the line. A bill's figures are sums of its lines' figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from lexbill.core.money import line_amount_minor

FEE = "fee"
EXPENSE = "expense"
FIXED_FEE = "fixed_fee"
ADJUSTMENT = "adjustment"


def fee_base_minor(hours_billed: Decimal, rate_minor: int, *, is_no_charge: bool = False) -> int:
    return 0 if is_no_charge else line_amount_minor(hours_billed, rate_minor)


class LineFigures(Protocol):
    kind: str
    base_minor: int
    adjustment_minor: int
    total_minor: int


@dataclass(frozen=True)
class BillTotals:
    fees_minor: int  # fee and fixed-fee bases
    expenses_minor: int  # expense bases
    adjustments_minor: int  # every line's adjustment plus adjustment lines
    subtotal_minor: int  # = sum of line totals (before tax)

    @classmethod
    def of(cls, lines: Iterable[LineFigures]) -> BillTotals:
        fees = expenses = adjustments = subtotal = 0
        for line in lines:
            if line.total_minor != line.base_minor + line.adjustment_minor:
                raise ValueError("a line's total must be its base plus its adjustment")
            if line.kind in (FEE, FIXED_FEE):
                fees += line.base_minor
            elif line.kind == EXPENSE:
                expenses += line.base_minor
            else:
                adjustments += line.base_minor
            adjustments += line.adjustment_minor
            subtotal += line.total_minor
        return cls(fees, expenses, adjustments, subtotal)
