"""Split billing arithmetic: each payor's invoice is within a cent of its exact share of the invoice total, and
every line's parts add up to the line exactly."""

from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lexbill.billing.domain.split import LineShare, check_shares, format_share, split_line, split_lines
from lexbill.testing.hypothesis_profiles import CI


def test_a_60_40_split_of_a_line_with_a_write_down():
    parts = split_line(75001, -1001, [6000, 4000])
    assert [(p.base_minor, p.adjustment_minor, p.total_minor) for p in parts] == [
        (45001, -601, 44400), (30000, -400, 29600)]


def test_thirds_give_the_left_over_cent_to_the_first_payor():
    assert [p.total_minor for p in split_line(100, 0, [3334, 3333, 3333])] == [34, 33, 33]


def test_101_one_cent_lines_shared_50_50_bill_each_payor_half_the_total():
    # Line by line, ties to the first payor, billed the first 1.01 and the second 0.00.
    first, second = split_lines([LineShare(1, 0)] * 101, [5000, 5000])
    assert (sum(p.total_minor for p in first), sum(p.total_minor for p in second)) == (51, 50)
    assert [p.total_minor for p in first] == [1] * 51 + [0] * 50
    assert [p.total_minor for p in second] == [0] * 51 + [1] * 50
    assert {(p.base_minor, p.adjustment_minor) for p in first + second} == {(1, 0), (0, 0)}


def test_written_down_lines_keep_base_and_adjustment_apart():
    # Three lines of 1.00 written down by 0.01 each, thirds: 2.97 shared 99/99/99.
    parts = split_lines([LineShare(100, -1)] * 3, [3334, 3333, 3333])
    assert [[(p.base_minor, p.adjustment_minor) for p in row] for row in parts] == [
        [(34, -1), (34, -1), (34, -1)], [(33, 0), (33, 0), (33, 0)], [(33, 0), (33, 0), (33, 0)]]
    assert [sum(p.total_minor for p in row) for row in parts] == [99, 99, 99]


def test_a_credit_line_is_shared_like_any_other():
    # A fee of 10.01 and a cap excess of -3.33, 50/50: 6.68 is 3.34 each.
    first, second = split_lines([LineShare(1001, 0), LineShare(-333, 0)], [5000, 5000])
    assert [p.total_minor for p in first] == [501, -167]
    assert [p.total_minor for p in second] == [500, -166]


@pytest.mark.parametrize(("shares", "message"), [
    ([6000, 3000], "add up to 90 %"), ([6000, 5000], "add up to 110 %"), ([10000, 0], "more than 0 %"),
    ([], "at least one payor")])
def test_shares_that_do_not_make_100_percent_are_refused(shares, message):
    with pytest.raises(ValueError, match=message):
        check_shares(shares)
    with pytest.raises(ValueError, match=message):
        split_lines([LineShare(100, 0)], shares)


@pytest.mark.parametrize(("bp", "text"), [(6000, "60 %"), (3350, "33.5 %"), (3333, "33.33 %"), (5, "0.05 %")])
def test_shares_are_shown_exactly(bp, text):
    assert format_share(bp) == text


@st.composite
def shares(draw):
    cuts = sorted(draw(st.lists(st.integers(1, 9999), min_size=0, max_size=4, unique=True)))
    bounds = [0, *cuts, 10000]
    return [b - a for a, b in pairwise(bounds)]


amounts = st.one_of(st.integers(-3, 3), st.integers(-10**4, 10**5), st.integers(-10**9, 10**9))
lines = st.lists(st.builds(LineShare, amounts, st.one_of(st.just(0), st.integers(-10**5, 10**4))),
                 min_size=1, max_size=60)


@settings(CI)
@given(lines=lines, split=shares())
def test_every_payor_is_within_a_cent_of_its_share_and_every_line_adds_up(lines, split):
    parts = split_lines(lines, split)
    total = sum(line.total_minor for line in lines)
    assert len(parts) == len(split)
    for row, share in zip(parts, split, strict=True):
        assert len(row) == len(lines)
        assert abs(sum(p.total_minor for p in row) - Fraction(total * share, 10000)) < 1
    assert sum(sum(p.total_minor for p in row) for row in parts) == total
    for i, line in enumerate(lines):
        assert sum(row[i].base_minor for row in parts) == line.base_minor
        assert sum(row[i].adjustment_minor for row in parts) == line.adjustment_minor
        for row, share in zip(parts, split, strict=True):
            assert row[i].total_minor == row[i].base_minor + row[i].adjustment_minor
            # each part is its exact share of the line rounded down or up
            assert abs(row[i].total_minor - Fraction(line.total_minor * share, 10000)) < 1
            assert abs(row[i].adjustment_minor - Fraction(line.adjustment_minor * share, 10000)) < 1
