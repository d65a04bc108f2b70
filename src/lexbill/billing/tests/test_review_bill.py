from datetime import UTC, date, datetime

import pytest

from lexbill.billing.models import LineKind, PreBill, PreBillLine, PreBillStatus
from lexbill.billing.selectors_prebill import prebill_history, prebill_totals
from lexbill.billing.services.review import (
    prebill_line_set_no_charge,
    prebill_line_write_amount,
    prebill_submit,
    prebill_write_amount,
    prebill_write_percent,
)
from lexbill.billing.services.review_moves import prebill_line_hold
from lexbill.core.errors import Conflict, ValidationFailed
from lexbill.testing.billing import make_prebill

from .review_helpers import events, figures, lines_of, march_prebill, state

NOW = datetime(2026, 4, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def prebill(firm, matter, partner, associate):
    return march_prebill(firm, matter, partner, associate)


def test_a_bill_write_down_is_spread_by_largest_remainder_and_sums_exactly(prebill, admin_user):
    # shares of 1,000 over 75,000 / 9,000 / 45: 892.38, 107.09, 0.54 -> 892, 107, 0 and the unit left over to
    # the largest remainder (0.54)
    prebill_write_amount(prebill=prebill, adjustment_minor=-1000, actor=admin_user, now=NOW)
    assert [f[2:] for f in figures(prebill)] == [(-892, 74108), (-107, 8893), (-1, 44)]
    totals = prebill_totals(prebill)
    assert (totals.fees_minor, totals.expenses_minor, totals.adjustments_minor, totals.subtotal_minor) == (
        84000, 45, -1000, 83045)
    [event] = events(prebill, "prebill.write_amount")
    ids = [line.pk for line in lines_of(prebill)]
    assert event.before == {"lines": [{"line": ids[0], "adjustment_minor": 0, "total_minor": 75000},
                                      {"line": ids[1], "adjustment_minor": 0, "total_minor": 9000},
                                      {"line": ids[2], "adjustment_minor": 0, "total_minor": 45}]}
    assert event.after == {"adjustment_minor": -1000,
                           "lines": [{"line": ids[0], "adjustment_minor": -892, "total_minor": 74108},
                                     {"line": ids[1], "adjustment_minor": -107, "total_minor": 8893},
                                     {"line": ids[2], "adjustment_minor": -1, "total_minor": 44}]}


def test_a_bill_write_down_by_percent(prebill, admin_user):
    # 10 % of 84,045 = 8,404.5 -> 8,405 (half-up), spread 7,500 / 900 / 5
    prebill_write_percent(prebill=prebill, percent="10", actor=admin_user)
    assert [f[2] for f in figures(prebill)] == [-7500, -900, -5]
    assert prebill_totals(prebill).subtotal_minor == 75640
    [event] = events(prebill, "prebill.write_percent")
    assert (event.after["adjustment_minor"], event.after["percent"]) == (-8405, "10")


def test_a_bill_write_up_and_a_full_write_down(prebill, admin_user):
    prebill_write_percent(prebill=prebill, percent="-12.5", actor=admin_user)  # +10,505.625 -> +10,506
    assert prebill_totals(prebill).subtotal_minor == 94551
    assert sum(f[2] for f in figures(prebill)) == 10506
    prebill_write_percent(prebill=prebill, percent="100", actor=admin_user)
    assert [f[2:] for f in figures(prebill)] == [(-75000, 0), (-9000, 0), (-45, 0)]


def test_a_bill_write_replaces_earlier_line_adjustments(prebill, admin_user):
    prebill_line_write_amount(line=lines_of(prebill)[0], adjustment_minor=-30000, actor=admin_user)
    prebill_write_amount(prebill=prebill, adjustment_minor=0, actor=admin_user)
    assert [f[2] for f in figures(prebill)] == [0, 0, 0]
    assert prebill_totals(prebill).subtotal_minor == 84045


def test_no_charge_held_and_adjustment_lines_take_no_share(firm, prebill, admin_user):
    fee, research, copies = lines_of(prebill)
    prebill_line_set_no_charge(line=research, is_no_charge=True, actor=admin_user)
    prebill_line_hold(line=copies, actor=admin_user)
    cap = PreBillLine.objects.create(firm=firm, prebill=prebill, position=9, kind=LineKind.ADJUSTMENT,
                                     matter=prebill.matter, on_date=prebill.period_end, base_minor=-5000,
                                     adjustment_minor=0, total_minor=-5000, narrative="Cap excess")
    prebill_write_amount(prebill=prebill, adjustment_minor=-100, actor=admin_user)
    assert [(line.pk, line.adjustment_minor, line.total_minor) for line in lines_of(prebill)] == [
        (fee.pk, -100, 74900), (research.pk, 0, 0), (copies.pk, 0, 45), (cap.pk, 0, -5000)]
    assert prebill_totals(prebill).subtotal_minor == 69900


def test_a_write_down_of_more_than_the_bill_is_refused(prebill, admin_user):
    before = state(prebill)
    with pytest.raises(ValidationFailed, match="more than the bill's 84045"):
        prebill_write_amount(prebill=prebill, adjustment_minor=-84046, actor=admin_user)
    assert state(prebill) == before


def test_a_bill_with_nothing_to_charge_cannot_be_written_up(prebill, admin_user):
    for line in lines_of(prebill):
        prebill_line_set_no_charge(line=line, is_no_charge=True, actor=admin_user)
    before = state(prebill)
    with pytest.raises(ValidationFailed, match="nothing on this bill"):
        prebill_write_amount(prebill=prebill, adjustment_minor=500, actor=admin_user)
    assert state(prebill) == before


def test_bill_write_refusals_change_nothing(prebill, admin_user):
    before = state(prebill)
    with pytest.raises(ValidationFailed, match="not a percent"):
        prebill_write_percent(prebill=prebill, percent="ten", actor=admin_user)
    with pytest.raises(ValidationFailed, match="whole number"):
        prebill_write_amount(prebill=prebill, adjustment_minor="-5", actor=admin_user)  # type: ignore[arg-type]
    assert state(prebill) == before


def test_a_hundred_lines_are_written_down_exactly(firm, matter, partner):
    work = [(partner, date(2026, 3, 1 + i % 28), "0.1", f"Task {i}") for i in range(100)]  # 100 x 5,000
    prebill = make_prebill(firm, matter, work=work)
    prebill_write_amount(prebill=prebill, adjustment_minor=-333, actor=None)
    adjustments = [f[2] for f in figures(prebill)]
    assert sum(adjustments) == -333
    assert adjustments == [-4] * 33 + [-3] * 67  # equal shares of 3.33: the first 33 get the left-over units
    assert prebill_totals(prebill).subtotal_minor == 500000 - 333


def test_submit_moves_a_draft_into_review(prebill, admin_user):
    prebill_submit(prebill=prebill, actor=admin_user, now=NOW)
    assert PreBill.objects.get(pk=prebill.pk).status == PreBillStatus.IN_REVIEW
    [event] = events(prebill, "prebill.submit")
    assert (event.before, event.after, event.at) == ({"status": "draft"}, {"status": "in_review"}, NOW)


def test_review_goes_on_while_in_review(prebill, admin_user):
    prebill_submit(prebill=prebill, actor=admin_user)
    prebill_write_amount(prebill=prebill, adjustment_minor=-45, actor=admin_user)
    assert prebill_totals(prebill).subtotal_minor == 84000
    assert [e.action for e in prebill_history(prebill)] == ["prebill.submit", "prebill.write_amount"]


def test_submitting_twice_is_a_conflict(prebill, admin_user):
    prebill_submit(prebill=prebill, actor=admin_user)
    before = state(prebill)
    with pytest.raises(Conflict, match="already in review"):
        prebill_submit(prebill=prebill, actor=admin_user)
    assert state(prebill) == before


def test_an_empty_prebill_cannot_be_submitted(firm, matter, admin_user):
    prebill = make_prebill(firm, matter)
    before = state(prebill)
    with pytest.raises(ValidationFailed, match="no lines"):
        prebill_submit(prebill=prebill, actor=admin_user)
    assert state(prebill) == before
    assert PreBill.objects.get(pk=prebill.pk).status == PreBillStatus.DRAFT
