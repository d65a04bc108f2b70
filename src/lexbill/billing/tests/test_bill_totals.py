from dataclasses import dataclass
from decimal import Decimal

import pytest

from lexbill.billing.domain.lines import BillTotals, fee_base_minor


@dataclass
class L:
    kind: str
    base_minor: int
    adjustment_minor: int = 0

    @property
    def total_minor(self) -> int:
        return self.base_minor + self.adjustment_minor


def test_fee_base_rounds_half_up_once_per_line():
    assert fee_base_minor(Decimal("0.1"), 33335) == 3334  # 3333.5 -> 3334
    assert fee_base_minor(Decimal("1.25"), 27500) == 34375
    assert fee_base_minor(Decimal("0.3"), 12345) == 3704  # 3703.5 -> 3704
    assert fee_base_minor(Decimal("2"), 50000, is_no_charge=True) == 0


def test_totals_are_sums_of_rounded_lines():
    lines = [L("fee", 3334, -334), L("fee", 3334), L("expense", 4500), L("fixed_fee", 100000), L("adjustment", -5000)]
    totals = BillTotals.of(lines)
    assert totals == BillTotals(fees_minor=106668, expenses_minor=4500, adjustments_minor=-5334,
                                subtotal_minor=105834)
    assert totals.subtotal_minor == sum(line.total_minor for line in lines)
    assert totals.fees_minor + totals.expenses_minor + totals.adjustments_minor == totals.subtotal_minor


def test_a_line_whose_total_does_not_add_up_is_refused():
    @dataclass
    class Bad:
        kind: str = "fee"
        base_minor: int = 100
        adjustment_minor: int = 0
        total_minor: int = 101

    with pytest.raises(ValueError):
        BillTotals.of([Bad()])
