from datetime import UTC, datetime
from decimal import Decimal

import pytest

from lexbill.billing.models import PreBillLine
from lexbill.billing.selectors_prebill import prebill_totals
from lexbill.billing.services.review import (
    prebill_line_edit_narrative,
    prebill_line_set_no_charge,
    prebill_line_write_amount,
    prebill_line_write_hours,
    prebill_line_write_percent,
)
from lexbill.core.errors import ValidationFailed

from .review_helpers import events, figures, lines_of, march_prebill, state

NOW = datetime(2026, 4, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def prebill(firm, matter, partner, associate):
    return march_prebill(firm, matter, partner, associate)


@pytest.fixture
def fee(prebill):
    return lines_of(prebill)[0]


@pytest.fixture
def expense_line(prebill):
    return lines_of(prebill)[2]


def test_edit_a_narrative_records_before_and_after(prebill, fee, admin_user):
    line = prebill_line_edit_narrative(line=fee, narrative="  Draft and revise complaint ", actor=admin_user, now=NOW)
    assert PreBillLine.objects.get(pk=fee.pk).narrative == line.narrative == "Draft and revise complaint"
    [event] = events(prebill, "prebill.line_narrative")
    assert (event.actor_label, event.at, event.before, event.after) == (
        "admin@arnsley.example", NOW, {"line": fee.pk, "narrative": "Draft complaint"},
        {"line": fee.pk, "narrative": "Draft and revise complaint"})


def test_an_unchanged_narrative_records_nothing(prebill, fee, admin_user):
    prebill_line_edit_narrative(line=fee, narrative="Draft complaint", actor=admin_user)
    assert events(prebill) == []


def test_an_empty_narrative_is_refused(prebill, fee, admin_user):
    before = state(prebill)
    with pytest.raises(ValidationFailed, match="narrative is required"):
        prebill_line_edit_narrative(line=fee, narrative="   ", actor=admin_user)
    assert state(prebill) == before


def test_write_down_by_hours_recomputes_the_base_and_keeps_hours_worked(prebill, fee, admin_user):
    prebill_line_write_hours(line=fee, hours_billed="1.2", actor=admin_user, now=NOW)
    line = PreBillLine.objects.get(pk=fee.pk)
    assert (line.hours_worked, line.hours_billed, line.base_minor, line.total_minor) == (
        Decimal("1.5"), Decimal("1.2"), 60000, 60000)
    assert prebill_totals(prebill).subtotal_minor == 69045  # 60,000 + 9,000 + 45
    [event] = events(prebill, "prebill.line_write_hours")
    assert event.before == {"line": fee.pk, "hours_billed": "1.5", "base_minor": 75000, "adjustment_minor": 0,
                            "total_minor": 75000, "is_no_charge": False}
    assert event.after == {"line": fee.pk, "hours_billed": "1.2", "base_minor": 60000, "adjustment_minor": 0,
                           "total_minor": 60000, "is_no_charge": False}


def test_write_up_by_hours_keeps_an_earlier_adjustment(prebill, fee, admin_user):
    prebill_line_write_amount(line=fee, adjustment_minor=-5000, actor=admin_user)
    prebill_line_write_hours(line=fee, hours_billed=Decimal("1.75"), actor=admin_user)
    assert figures(prebill)[0] == (Decimal("1.75"), 87500, -5000, 82500)


@pytest.mark.parametrize(("hours", "message"), [("-0.1", "between 0 and 24"), ("24.5", "between 0 and 24"),
                                                ("1.2345", "more than 3 decimals"), ("abc", "not a number")])
def test_bad_hours_are_refused(prebill, fee, admin_user, hours, message):
    before = state(prebill)
    with pytest.raises(ValidationFailed, match=message):
        prebill_line_write_hours(line=fee, hours_billed=hours, actor=admin_user)
    assert state(prebill) == before


def test_hours_on_an_expense_line_are_refused(prebill, expense_line, admin_user):
    before = state(prebill)
    with pytest.raises(ValidationFailed, match="not a time line"):
        prebill_line_write_hours(line=expense_line, hours_billed="1", actor=admin_user)
    assert state(prebill) == before


def test_hours_that_take_a_written_down_line_below_zero_are_refused(prebill, fee, admin_user):
    prebill_line_write_amount(line=fee, adjustment_minor=-50000, actor=admin_user)
    before = state(prebill)
    with pytest.raises(ValidationFailed, match="below zero"):
        prebill_line_write_hours(line=fee, hours_billed="0.5", actor=admin_user)  # 25,000 - 50,000
    assert state(prebill) == before


def test_write_down_by_amount(prebill, fee, admin_user):
    prebill_line_write_amount(line=fee, adjustment_minor=-12345, actor=admin_user, now=NOW)
    assert figures(prebill)[0] == (Decimal("1.5"), 75000, -12345, 62655)
    assert prebill_totals(prebill).subtotal_minor == 71700  # 84,045 - 12,345
    assert prebill_totals(prebill).adjustments_minor == -12345
    [event] = events(prebill, "prebill.line_write_amount")
    assert (event.before["adjustment_minor"], event.after["adjustment_minor"], event.after["total_minor"],
            event.after["line"]) == (0, -12345, 62655, fee.pk)


def test_write_up_by_amount_and_a_second_write_replaces_the_first(prebill, expense_line, admin_user):
    prebill_line_write_amount(line=expense_line, adjustment_minor=5, actor=admin_user)
    assert figures(prebill)[2] == (None, 45, 5, 50)
    prebill_line_write_amount(line=expense_line, adjustment_minor=-20, actor=admin_user)
    assert figures(prebill)[2] == (None, 45, -20, 25)


def test_a_write_down_below_zero_is_refused(prebill, expense_line, admin_user):
    before = state(prebill)
    with pytest.raises(ValidationFailed, match="below zero"):
        prebill_line_write_amount(line=expense_line, adjustment_minor=-46, actor=admin_user)
    assert state(prebill) == before


def test_an_amount_must_be_whole_minor_units(prebill, fee, admin_user):
    before = state(prebill)
    with pytest.raises(ValidationFailed, match="whole number"):
        prebill_line_write_amount(line=fee, adjustment_minor=Decimal("-10.5"), actor=admin_user)  # type: ignore[arg-type]
    assert state(prebill) == before


@pytest.mark.parametrize(("percent", "adjustment", "total"), [("10", -7500, 67500), ("12.5", -9375, 65625),
                                                              ("33.333", -25000, 50000), ("-20", 15000, 90000),
                                                              ("100", -75000, 0)])
def test_write_down_or_up_by_percent(prebill, fee, admin_user, percent, adjustment, total):
    # 75,000 x 33.333 % = 24,999.75 -> 25,000 (half-up, once)
    prebill_line_write_percent(line=fee, percent=percent, actor=admin_user)
    assert figures(prebill)[0] == (Decimal("1.5"), 75000, adjustment, total)
    [event] = events(prebill, "prebill.line_write_percent")
    assert (event.after["percent"], event.after["adjustment_minor"]) == (str(Decimal(percent)), adjustment)


def test_percent_rounds_half_up_on_an_odd_amount(prebill, expense_line, admin_user):
    prebill_line_write_percent(line=expense_line, percent="10", actor=admin_user)  # 4.5 -> 5
    assert figures(prebill)[2] == (None, 45, -5, 40)


@pytest.mark.parametrize(("percent", "message"), [("100.5", "more than 100"), ("x", "not a percent")])
def test_bad_percents_are_refused(prebill, fee, admin_user, percent, message):
    before = state(prebill)
    with pytest.raises(ValidationFailed, match=message):
        prebill_line_write_percent(line=fee, percent=percent, actor=admin_user)
    assert state(prebill) == before


def test_no_charge_zeroes_the_line_keeps_hours_and_clears_the_adjustment(prebill, fee, admin_user):
    prebill_line_write_amount(line=fee, adjustment_minor=-1000, actor=admin_user)
    prebill_line_set_no_charge(line=fee, is_no_charge=True, actor=admin_user, now=NOW)
    line = PreBillLine.objects.get(pk=fee.pk)
    assert (line.is_no_charge, line.hours_worked, line.hours_billed, line.base_minor, line.adjustment_minor,
            line.total_minor) == (True, Decimal("1.5"), Decimal("1.5"), 0, 0, 0)
    assert prebill_totals(prebill).subtotal_minor == 9045
    [event] = events(prebill, "prebill.line_no_charge")
    assert (event.before["total_minor"], event.after["total_minor"], event.after["is_no_charge"]) == (74000, 0, True)


def test_charging_again_restores_hours_times_rate(prebill, fee, expense_line, admin_user):
    prebill_line_set_no_charge(line=fee, is_no_charge=True, actor=admin_user)
    prebill_line_set_no_charge(line=expense_line, is_no_charge=True, actor=admin_user)
    assert prebill_totals(prebill).subtotal_minor == 9000
    prebill_line_set_no_charge(line=fee, is_no_charge=False, actor=admin_user)
    prebill_line_set_no_charge(line=expense_line, is_no_charge=False, actor=admin_user)
    assert figures(prebill) == [(Decimal("1.5"), 75000, 0, 75000), (Decimal("0.3"), 9000, 0, 9000),
                                (None, 45, 0, 45)]
    assert [e.action for e in events(prebill)] == ["prebill.line_no_charge", "prebill.line_no_charge",
                                                   "prebill.line_charge", "prebill.line_charge"]


def test_a_no_charge_line_cannot_be_written_down(prebill, fee, admin_user):
    prebill_line_set_no_charge(line=fee, is_no_charge=True, actor=admin_user)
    before = state(prebill)
    with pytest.raises(ValidationFailed, match="is no-charge"):
        prebill_line_write_amount(line=fee, adjustment_minor=100, actor=admin_user)
    assert state(prebill) == before


def test_hours_on_a_no_charge_line_stay_at_zero(prebill, fee, admin_user):
    prebill_line_set_no_charge(line=fee, is_no_charge=True, actor=admin_user)
    prebill_line_write_hours(line=fee, hours_billed="2", actor=admin_user)
    assert figures(prebill)[0] == (Decimal("2"), 0, 0, 0)
    prebill_line_set_no_charge(line=fee, is_no_charge=False, actor=admin_user)
    assert figures(prebill)[0] == (Decimal("2"), 100000, 0, 100000)
