from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lexbill.billing.domain.adjust import allocate_over_lines as allocate_largest_remainder
from lexbill.billing.domain.adjust import parse_percent, percent_adjustment_minor


def test_an_amount_is_split_in_proportion_with_the_left_over_unit_to_the_largest_remainder():
    # exact shares 333.33.., 666.66..: floors 333 + 666 = 999, one unit left for the larger remainder (0.66)
    assert allocate_largest_remainder(1000, [1, 2]) == [333, 667]


def test_a_negative_total_mirrors_the_positive_one():
    assert allocate_largest_remainder(-1000, [1, 2]) == [-333, -667]
    assert allocate_largest_remainder(-7, [50000, 30000, 45]) == [-4, -3, 0]


def test_ties_go_to_the_earlier_part():
    assert allocate_largest_remainder(2, [1, 1, 1]) == [1, 1, 0]
    assert allocate_largest_remainder(-2, [1, 1, 1]) == [-1, -1, 0]
    assert allocate_largest_remainder(1, [5, 5]) == [1, 0]


def test_a_zero_weight_gets_nothing():
    assert allocate_largest_remainder(10, [0, 3, 0, 1]) == [0, 8, 0, 2]


def test_zero_total_and_zero_weights():
    assert allocate_largest_remainder(0, [0, 0]) == [0, 0]
    assert allocate_largest_remainder(0, [3, 4]) == [0, 0]
    with pytest.raises(ValueError, match="nothing to spread"):
        allocate_largest_remainder(5, [0, 0])
    with pytest.raises(ValueError, match="nothing to spread"):
        allocate_largest_remainder(5, [])


def test_negative_weights_are_refused():
    with pytest.raises(ValueError, match="cannot be negative"):
        allocate_largest_remainder(5, [3, -1])


@given(total=st.integers(min_value=-10**12, max_value=10**12),
       weights=st.lists(st.integers(min_value=0, max_value=10**10), min_size=1, max_size=30))
def test_parts_sum_exactly_and_each_is_within_one_unit_of_its_share(total, weights):
    if sum(weights) == 0:
        weights = [*weights[:-1], 1]
    parts = allocate_largest_remainder(total, weights)
    assert sum(parts) == total
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Fraction(total * weight, weight_sum)
        assert abs(part - exact) < 1
        assert part * total >= 0  # never the opposite sign of the total


@given(total=st.integers(min_value=-10**9, max_value=10**9),
       weights=st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=10))
def test_the_split_is_deterministic(total, weights):
    assert allocate_largest_remainder(total, weights) == allocate_largest_remainder(total, list(weights))


def test_percent_adjustment_rounds_half_up_once():
    assert percent_adjustment_minor(75000, Decimal("10")) == -7500
    assert percent_adjustment_minor(9000, Decimal("12.5")) == -1125
    assert percent_adjustment_minor(45, Decimal("10")) == -5  # 4.5 rounds away from zero
    assert percent_adjustment_minor(45, Decimal("-10")) == 5  # a negative percent writes up
    assert percent_adjustment_minor(0, Decimal("50")) == 0


@pytest.mark.parametrize(("text", "value"), [("10", Decimal("10")), ("12.5", Decimal("12.5")), (" 5 % ", Decimal(5)),
                                             ("-20", Decimal(-20)), (Decimal("100"), Decimal(100))])
def test_parse_percent(text, value):
    assert parse_percent(text) == value


@pytest.mark.parametrize(("text", "message"), [("ten", "not a percent"), ("NaN", "not a percent"),
                                               ("100.01", "more than 100"), ("-1000.5", "more than 1000")])
def test_parse_percent_refuses(text, message):
    with pytest.raises(ValueError, match=message):
        parse_percent(text)
