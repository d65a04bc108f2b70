from datetime import date

import pytest

from lexbill.demo.plan import earlier_rate
from lexbill.demo.workdays import is_working_day, months_back, working_days


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 7, 3), False),  # 4 July 2026 is a Saturday: observed on Friday
        (date(2026, 7, 6), True),
        (date(2026, 11, 26), False),  # Thanksgiving
        (date(2026, 1, 19), False),  # Martin Luther King Jr. Day
        (date(2027, 12, 24), False),  # Christmas 2027 is a Saturday
        (date(2026, 6, 27), False),  # a Saturday
        (date(2026, 6, 30), True),
    ],
)
def test_working_days_skip_weekends_and_us_holidays(day, working):
    assert is_working_day(day) is working


def test_working_days_include_both_ends():
    assert list(working_days(date(2026, 6, 26), date(2026, 6, 30))) == [
        date(2026, 6, 26), date(2026, 6, 29), date(2026, 6, 30)]


@pytest.mark.parametrize(
    ("as_of", "months", "start"),
    [(date(2026, 6, 30), 3, date(2026, 4, 1)), (date(2026, 1, 15), 12, date(2025, 2, 1)),
     (date(2026, 11, 24), 24, date(2024, 12, 1)), (date(2026, 3, 1), 1, date(2026, 3, 1))],
)
def test_months_of_work_start_on_the_first_of_a_month(as_of, months, start):
    assert months_back(as_of, months) == start


@pytest.mark.parametrize(("rate", "pct", "expected"), [(100_000, 5, 95_000), (72_500, 4, 69_500), (19_500, 7, 18_000)])
def test_last_years_rate_is_this_years_less_the_increase_to_five_dollars(rate, pct, expected):
    assert earlier_rate(rate, pct) == expected
