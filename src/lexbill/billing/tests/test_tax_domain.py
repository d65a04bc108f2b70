"""Tax per line and on the total, several rates, and the largest-remainder allocation (pure)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lexbill.billing.domain.allocation import allocate_largest_remainder
from lexbill.billing.domain.tax import (
    ON_TOTAL,
    PER_LINE,
    Rate,
    RateTax,
    TaxableLine,
    compute_tax,
    tax_of,
)

VAT = Rate("VAT", 200_000)
STATE = Rate("State sales tax", 62_500)
CITY = Rate("City sales tax", 22_500)


def fees(*totals):
    return [TaxableLine("fee", t) for t in totals]


def test_tax_rounds_half_up_away_from_zero():
    assert tax_of(25, 100_000) == 3  # 2.5
    assert tax_of(24, 100_000) == 2  # 2.4
    assert tax_of(-25, 100_000) == -3


def test_vat_per_line_rounds_each_line():
    result = compute_tax(fees(1002, 1002, 1002), [VAT], PER_LINE)
    assert result.line_tax_minor == (200, 200, 200)  # 200.4 each
    assert result.rates == (RateTax("VAT", 200_000, 3006, 600),)
    assert result.tax_minor == 600


def test_vat_on_total_rounds_once_and_allocates_exactly():
    result = compute_tax(fees(1002, 1002, 1002), [VAT], ON_TOTAL)
    assert result.rates == (RateTax("VAT", 200_000, 3006, 601),)  # 601.2
    assert result.line_tax_minor == (201, 200, 200)  # the spare unit goes to the first of equal remainders
    assert sum(result.line_tax_minor) == result.tax_minor == 601


def test_two_sales_tax_rates_per_line_add_up():
    result = compute_tax(fees(1003, 1003, 1003), [STATE, CITY], PER_LINE)
    # 6.25 % of 10.03 = 0.626875 -> 0.63; 2.25 % = 0.225675 -> 0.23
    assert result.rates == (RateTax("State sales tax", 62_500, 3009, 189), RateTax("City sales tax", 22_500, 3009, 69))
    assert result.line_tax_minor == (86, 86, 86)
    assert result.tax_minor == 258


def test_two_sales_tax_rates_on_total_add_up():
    result = compute_tax(fees(1003, 1003, 1003), [STATE, CITY], ON_TOTAL)
    # 6.25 % of 30.09 = 1.880625 -> 1.88 = 63+63+62; 2.25 % = 0.677025 -> 0.68 = 23+23+22
    assert result.rates == (RateTax("State sales tax", 62_500, 3009, 188), RateTax("City sales tax", 22_500, 3009, 68))
    assert result.line_tax_minor == (86, 86, 84)
    assert sum(result.line_tax_minor) == result.tax_minor == 256


def test_a_rate_for_fees_only_leaves_expenses_untaxed():
    lines = [TaxableLine("fee", 10000), TaxableLine("expense", 5000), TaxableLine("adjustment", -1000)]
    result = compute_tax(lines, [Rate("Service tax", 100_000, applies_to_expenses=False)], ON_TOTAL)
    assert result.rates == (RateTax("Service tax", 100_000, 9000, 900),)
    assert result.line_tax_minor == (1000, 0, -100)


def test_no_method_means_no_tax():
    result = compute_tax(fees(1000), [VAT], "none")
    assert (result.rates, result.line_tax_minor, result.tax_minor) == ((), (0,), 0)


def test_lines_that_cancel_out_carry_no_tax():
    result = compute_tax(fees(500, -500), [VAT], ON_TOTAL)
    assert (result.tax_minor, result.line_tax_minor) == (0, (0, 0))


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="unknown tax method"):
        compute_tax(fees(1), [VAT], "sometimes")


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (100, [1, 1, 1], [34, 33, 33]),
        (-100, [1, 1, 1], [-34, -33, -33]),
        (10, [3, 7], [3, 7]),
        (5, [1, 1, 1, 1], [2, 1, 1, 1]),
        (7, [100, -50, 50], [7, -3, 3]),
        (0, [0, 0], [0, 0]),
    ],
)
def test_allocation_examples(total, weights, expected):
    assert allocate_largest_remainder(total, weights) == expected


def test_allocation_over_zero_weights_is_refused():
    with pytest.raises(ValueError, match="nothing to spread"):
        allocate_largest_remainder(1, [1, -1])


@given(st.integers(-10**9, 10**9), st.lists(st.integers(1, 10**7), min_size=1, max_size=30))
def test_allocation_sums_exactly_and_stays_within_one_unit(total, weights):
    shares = allocate_largest_remainder(total, weights)
    assert sum(shares) == total
    weight_sum = sum(weights)
    for share, weight in zip(shares, weights, strict=True):
        assert abs(share * weight_sum - total * weight) < weight_sum
