"""Split billing arithmetic: every line's parts add up exactly, each part is within a cent of its share."""

from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lexbill.billing.domain.split import check_shares, format_share, split_line


def test_a_60_40_split_of_a_line_with_a_write_down():
    parts = split_line(75001, -1001, [6000, 4000])
    assert [(p.base_minor, p.adjustment_minor, p.total_minor) for p in parts] == [
        (45001, -601, 44400), (30000, -400, 29600)]


def test_thirds_give_the_left_over_cent_to_the_first_payor():
    assert [p.total_minor for p in split_line(100, 0, [3334, 3333, 3333])] == [34, 33, 33]


@pytest.mark.parametrize(("shares", "message"), [
    ([6000, 3000], "add up to 90 %"), ([6000, 5000], "add up to 110 %"), ([10000, 0], "more than 0 %"),
    ([], "at least one payor")])
def test_shares_that_do_not_make_100_percent_are_refused(shares, message):
    with pytest.raises(ValueError, match=message):
        check_shares(shares)


@pytest.mark.parametrize(("bp", "text"), [(6000, "60 %"), (3350, "33.5 %"), (3333, "33.33 %"), (5, "0.05 %")])
def test_shares_are_shown_exactly(bp, text):
    assert format_share(bp) == text


@st.composite
def shares(draw):
    cuts = sorted(draw(st.lists(st.integers(1, 9999), min_size=0, max_size=4, unique=True)))
    bounds = [0, *cuts, 10000]
    return [b - a for a, b in pairwise(bounds)]


@given(base=st.integers(-10**9, 10**9), adjustment=st.integers(-10**7, 10**7), split=shares())
def test_parts_always_add_up_and_stay_within_a_cent_of_the_share(base, adjustment, split):
    parts = split_line(base, adjustment, split)
    assert sum(p.base_minor for p in parts) == base
    assert sum(p.adjustment_minor for p in parts) == adjustment
    assert sum(p.total_minor for p in parts) == base + adjustment
    for part, share in zip(parts, split, strict=True):
        assert abs(part.base_minor - Fraction(base * share, 10000)) < 1
        assert abs(part.adjustment_minor - Fraction(adjustment * share, 10000)) < 1
