from datetime import date, time
from decimal import Decimal

import pytest

from lexbill.core.errors import ValidationFailed
from lexbill.core.hours import minutes_to_hours, round_hours_up
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.services import time_entry_create


@pytest.mark.parametrize(
    ("minutes", "increment", "expected"),
    [
        (30, 100, "0.5"), (7, 100, "0.2"), (6, 100, "0.1"), (1, 100, "0.1"), (60, 100, "1"), (61, 100, "1.1"),
        (7, 250, "0.25"), (16, 250, "0.5"), (1, 10, "0.02"), (45, 250, "0.75"), (90, 1000, "2"),
    ],
)
def test_minutes_round_up_to_the_increment(minutes, increment, expected):
    assert minutes_to_hours(minutes, increment) == Decimal(expected)


@pytest.mark.parametrize(
    ("hours", "increment", "expected"),
    [("0.33", 100, "0.4"), ("0.3", 100, "0.3"), ("1.01", 250, "1.25"), ("0.001", 100, "0.1"), ("2", 100, "2")],
)
def test_hours_round_up_to_the_increment(hours, increment, expected):
    assert round_hours_up(Decimal(hours), increment) == Decimal(expected)


def test_a_call_from_two_to_half_past_is_half_an_hour():
    assert Duration(start=time(14, 0), end=time(14, 30)).billed_hours(100) == Decimal("0.5")


def test_duration_needs_exactly_one_form():
    with pytest.raises(ValueError, match="exactly one"):
        Duration(hours=Decimal(1), minutes=60).billed_hours(100)
    with pytest.raises(ValueError, match="not after"):
        Duration(start=time(15, 0), end=time(14, 0)).billed_hours(100)


def test_entry_uses_the_matter_increment_over_client_and_firm(firm, matter, associate):
    matter.client.billing_increment_milli = 250
    matter.client.save()
    entry = time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=associate,
                              worked_on=date(2026, 3, 2), duration=Duration(minutes=7), narrative="Call",
                              today=date(2026, 3, 3))
    assert entry.hours_worked == Decimal("0.25")
    matter.billing_increment_milli = 1000
    matter.save()
    entry = time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=associate,
                              worked_on=date(2026, 3, 2), duration=Duration(minutes=7), narrative="Call",
                              today=date(2026, 3, 3))
    assert entry.hours_worked == Decimal("1")


def test_hours_are_exact_after_a_round_trip_through_the_database(firm, matter, associate):
    entry = time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=associate,
                              worked_on=date(2026, 3, 2), duration=Duration(hours=Decimal("0.3")),
                              narrative="Draft letter", today=date(2026, 3, 3))
    entry.refresh_from_db()
    assert entry.hours_worked == Decimal("0.3")
    assert isinstance(entry.hours_worked, Decimal)


def test_sum_of_hours_in_sql_is_exact(firm, matter, associate):
    from django.db.models import Sum

    from lexbill.timekeeping.models import TimeEntry

    for _ in range(10):
        time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=associate, worked_on=date(2026, 3, 2),
                          duration=Duration(hours=Decimal("0.1")), narrative="Review", today=date(2026, 3, 3))
    total = TimeEntry.objects.aggregate(total=Sum("hours_worked"))["total"]
    assert total == Decimal("1")
    assert isinstance(total, Decimal)


def test_future_dates_and_closed_matters_are_refused_and_nothing_is_written(firm, matter, associate):
    from lexbill.timekeeping.models import TimeEntry

    with pytest.raises(ValidationFailed, match="future"):
        time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=associate, worked_on=date(2026, 3, 4),
                          duration=Duration(hours=Decimal(1)), narrative="x", today=date(2026, 3, 3))
    matter.status, matter.closed_on = "closed", date(2026, 3, 1)
    matter.save()
    with pytest.raises(ValidationFailed, match="closed"):
        time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=associate, worked_on=date(2026, 3, 2),
                          duration=Duration(hours=Decimal(1)), narrative="x", today=date(2026, 3, 3))
    assert TimeEntry.objects.count() == 0


@pytest.mark.parametrize(("milli", "text"), [(0, "0"), (1, "0.001"), (500, "0.5"), (30000, "30"), (24000, "24"),
                                             (12345, "12.345")])
def test_hours_print_plainly(milli, text):
    from lexbill.core.hours import milli_to_hours

    assert str(milli_to_hours(milli)) == text


def test_more_than_a_day_reads_plainly():
    with pytest.raises(ValueError, match=r"^30 h is more than a day$"):
        Duration(hours=Decimal(30)).billed_hours(100)
