"""core.hours: exact hours in thousandths, rounding up to the billing increment."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lexbill.core.hours import (
    display_hours,
    hours_to_milli,
    hours_to_milli_any,
    milli_to_hours,
    minutes_to_hours,
    round_hours_up,
    round_milli_up,
    span_minutes,
)


@pytest.mark.parametrize(("given_hours", "milli"), [
    ("1.25", 1250), (" 0.5 ", 500), ("24", 24000), ("0.001", 1), ("-1", -1000),
    (Decimal("1.500"), 1500), (3, 3000),
])
def test_hours_are_read_exactly(given_hours: str | Decimal | int, milli: int) -> None:
    assert hours_to_milli(given_hours) == milli


@pytest.mark.parametrize("text", ["1e1", "1,5", "NaN", "inf", "1.0001", "", ".5", "١", "1.5h", "+1"])
def test_malformed_hours_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"hours|decimals"):
        hours_to_milli(text)


def test_float_hours_are_refused() -> None:
    with pytest.raises(ValueError):
        hours_to_milli(1.5)  # type: ignore[arg-type]


def test_milli_to_hours_keeps_no_exponent() -> None:
    assert str(milli_to_hours(30000)) == "30"
    assert str(milli_to_hours(500)) == "0.5"
    assert display_hours(Decimal("0.5")) == "0.5"
    assert display_hours(Decimal("1")) == "1.0"
    assert display_hours(Decimal("0.25")) == "0.25"


def test_rounding_is_up_to_the_increment() -> None:
    assert round_milli_up(1, 100) == 100
    assert round_milli_up(100, 100) == 100
    assert round_milli_up(101, 250) == 250
    assert round_hours_up(Decimal("0.01"), 100) == Decimal("0.1")
    assert hours_to_milli_any(Decimal("0.0001")) == 1
    with pytest.raises(ValueError, match="positive"):
        round_milli_up(5, 0)


def test_minutes_and_spans() -> None:
    assert minutes_to_hours(7, 100) == Decimal("0.2")  # 7 minutes: a started six-minute increment counts
    assert minutes_to_hours(30, 100) == Decimal("0.5")
    assert span_minutes(time(14, 0), time(14, 30)) == 30
    with pytest.raises(ValueError, match="not after"):
        span_minutes(time(14, 30), time(14, 0))
    with pytest.raises(ValueError, match="negative"):
        minutes_to_hours(-1, 100)


@given(milli=st.integers(min_value=0, max_value=24_000), increment=st.sampled_from([1, 10, 50, 100, 250, 1000]))
def test_rounding_never_loses_work_and_lands_on_the_increment(milli: int, increment: int) -> None:
    rounded = round_milli_up(milli, increment)
    assert rounded >= milli
    assert rounded - milli < increment
    assert rounded % increment == 0


@given(milli=st.integers(min_value=-10**9, max_value=10**9))
def test_hours_text_round_trips(milli: int) -> None:
    assert hours_to_milli(str(milli_to_hours(milli))) == milli
