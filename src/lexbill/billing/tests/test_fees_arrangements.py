"""A worked example per fee arrangement, with exact amounts (pure functions, no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lexbill.billing.domain.fees import (
    Disbursement,
    FeeItemDue,
    History,
    RecoveryDue,
    Terms,
    TermsError,
    Work,
    draft_lines,
    percent_of,
    retainer_month_minor,
)
from lexbill.billing.domain.lines import BillTotals
from lexbill.billing.domain.period import Period, months_of

JUNE = Period(date(2026, 6, 1), date(2026, 6, 30))
Q2 = Period(date(2026, 4, 1), date(2026, 6, 30))


def work(entry_id: int, hours: str, rate: int | None, *, tk: int = 1, task: str = "L120", day: int = 10,
         no_charge: bool = False) -> Work:
    return Work(entry_id=entry_id, worked_on=date(2026, 6, day), timekeeper_id=tk, hours_worked=Decimal(hours),
                hours_billed=Decimal(hours), rate_minor=rate, narrative=f"work {entry_id}", task_code=task,
                activity_code="A104", is_no_charge=no_charge)


COURIER = Disbursement(expense_id=7, incurred_on=date(2026, 6, 12), amount_minor=4_250, description="Courier",
                       quantity=Decimal(1), unit_cost_minor=4_250, expense_code="E107")
# A partner 2.5 h at 500.00, an associate 1.3 h at 333.33, a no-charge 0.4 h call.
WORK = [work(1, "2.5", 50_000, tk=1), work(2, "1.3", 33_333, tk=2, task="L210", day=11),
        work(3, "0.4", 50_000, tk=1, day=12, no_charge=True)]


def figures(draft):  # type: ignore[no-untyped-def]
    return [(line.kind, line.base_minor, line.adjustment_minor) for line in draft.lines]


def test_hourly_bills_each_entry_at_its_rate_rounded_half_up_and_expenses_as_entered():
    draft = draft_lines(terms=Terms("hourly"), period=JUNE, work=WORK, expenses=[COURIER])

    # 2.5 x 500.00 = 1,250.00; 1.3 x 333.33 = 433.329 -> 433.33; no-charge at zero; courier 42.50
    assert figures(draft) == [("fee", 125_000, 0), ("fee", 43_333, 0), ("fee", 0, 0), ("expense", 4_250, 0)]
    assert draft.lines[2].is_no_charge is True
    assert draft.lines[0].time_entry_id == 1 and draft.lines[3].expense_id == 7
    assert BillTotals.of(draft.lines).subtotal_minor == 172_583


def test_blended_bills_every_timekeeper_at_the_matter_rate():
    draft = draft_lines(terms=Terms("blended", fee_amount_minor=42_500), period=JUNE, work=WORK)

    # 2.5 x 425.00 = 1,062.50; 1.3 x 425.00 = 552.50
    assert figures(draft) == [("fee", 106_250, 0), ("fee", 55_250, 0), ("fee", 0, 0)]
    assert {line.rate_minor for line in draft.lines} == {42_500}


def test_flat_whole_matter_bills_the_fee_items_due_and_shows_time_at_zero():
    stage = FeeItemDue(fee_item_id=31, on_date=date(2026, 6, 1), amount_minor=1_500_000, description="Stage 1")

    draft = draft_lines(terms=Terms("flat", fee_amount_minor=4_500_000), period=JUNE, work=WORK,
                        fee_items=[stage], expenses=[COURIER])

    assert figures(draft) == [("fixed_fee", 1_500_000, 0), ("fee", 0, 0), ("fee", 0, 0), ("fee", 0, 0),
                              ("expense", 4_250, 0)]
    assert draft.lines[0].fee_item_id == 31
    assert draft.lines[1].narrative == "work 1 (included in flat fee)"
    assert draft.lines[1].hours_billed == Decimal("2.5")
    assert BillTotals.of(draft.lines).subtotal_minor == 1_504_250


def test_flat_without_fee_items_bills_the_flat_amount_once():
    first = draft_lines(terms=Terms("flat", fee_amount_minor=2_000_000), period=JUNE, work=WORK[:1])
    later = draft_lines(terms=Terms("flat", fee_amount_minor=2_000_000), period=JUNE, work=WORK[:1],
                        history=History(fixed_fee_dates=frozenset({date(2026, 5, 31)})))

    assert figures(first) == [("fixed_fee", 2_000_000, 0), ("fee", 0, 0)]
    assert figures(later) == [("fee", 0, 0)]


def test_flat_per_phase_zeroes_only_the_phase_time_and_bills_other_time_hourly():
    discovery = FeeItemDue(fee_item_id=32, on_date=date(2026, 6, 15), amount_minor=750_000,
                           description="Written discovery (L310)", task_code="L310")

    draft = draft_lines(terms=Terms("flat"), period=JUNE,
                        work=[work(1, "2.0", 50_000, task="L310"), work(2, "1.0", 50_000, task="L120", day=11)],
                        fee_items=[discovery], history=History(phase_codes=frozenset({"L310"})))

    assert figures(draft) == [("fixed_fee", 750_000, 0), ("fee", 0, 0), ("fee", 50_000, 0)]
    assert draft.lines[1].narrative == "work 1 (included in flat fee)"


def test_capped_bills_hourly_until_the_cap_then_writes_the_excess_down_to_it():
    # Cap 10,000.00; 9,000.00 already billed; this month 1,250.00 + 433.33 = 1,683.33 of time.
    terms = Terms("capped", fee_amount_minor=1_000_000)

    draft = draft_lines(terms=terms, period=JUNE, work=WORK, expenses=[COURIER],
                        history=History(fees_billed_minor=900_000))

    assert figures(draft) == [("fee", 125_000, 0), ("fee", 43_333, 0), ("fee", 0, 0),
                              ("adjustment", -68_333, 0), ("expense", 4_250, 0)]
    assert draft.lines[3].narrative == "Fee cap of 10,000.00 USD reached"
    totals = BillTotals.of(draft.lines)
    assert (totals.fees_minor, totals.adjustments_minor, totals.subtotal_minor) == (168_333, -68_333, 104_250)


def test_capped_below_the_cap_has_no_adjustment_and_past_the_cap_bills_zero_fees_not_less():
    terms = Terms("capped", fee_amount_minor=1_000_000)

    under = draft_lines(terms=terms, period=JUNE, work=WORK, history=History(fees_billed_minor=100_000))
    over = draft_lines(terms=terms, period=JUNE, work=WORK, history=History(fees_billed_minor=1_200_000))

    assert [line.kind for line in under.lines] == ["fee", "fee", "fee"]
    assert figures(over)[-1] == ("adjustment", -168_333, 0)
    assert BillTotals.of(over.lines).subtotal_minor == 0


def test_contingency_leaves_time_unbilled_and_bills_the_percentage_of_a_recovery():
    recovery = RecoveryDue(recovery_id=5, received_on=date(2026, 6, 20), amount_minor=1_234_567)
    terms = Terms("contingency", fee_percent_bp=3333)

    draft = draft_lines(terms=terms, period=JUNE, work=WORK, recoveries=[recovery], expenses=[COURIER])

    # 33.33 % of 12,345.67 = 4,114.811811 -> 4,114.81
    assert figures(draft) == [("fixed_fee", 411_481, 0), ("expense", 4_250, 0)]
    assert draft.lines[0].recovery_id == 5
    assert draft.lines[0].narrative == "Contingency fee: 33.33 % of 12,345.67 USD recovered 2026-06-20"
    assert draft.unbilled_entry_ids == [1, 2, 3]


def test_contingency_without_a_recovery_has_no_fee_line():
    draft = draft_lines(terms=Terms("contingency", fee_percent_bp=2500), period=JUNE, work=WORK)

    assert draft.lines == []
    assert draft.unbilled_entry_ids == [1, 2, 3]


def test_percentage_rounds_half_up():
    assert percent_of(10_002, 2500) == 2_501  # 2,500.5 -> 2,501
    assert percent_of(10_001, 2500) == 2_500  # 2,500.25 -> 2,500


def test_retainer_bills_each_month_of_the_period_not_yet_billed_and_time_at_zero():
    terms = Terms("retainer", fee_amount_minor=1_200_000)

    draft = draft_lines(terms=terms, period=Q2, work=WORK,
                        history=History(fixed_fee_dates=frozenset({date(2026, 4, 1)})))

    assert figures(draft) == [("fixed_fee", 1_200_000, 0), ("fixed_fee", 1_200_000, 0),
                              ("fee", 0, 0), ("fee", 0, 0), ("fee", 0, 0)]
    assert [line.on_date for line in draft.lines[:2]] == [date(2026, 5, 1), date(2026, 6, 1)]
    assert [line.narrative for line in draft.lines[:2]] == ["Monthly retainer, May 2026", "Monthly retainer, June 2026"]
    assert draft.lines[2].narrative == "work 1 (included in monthly retainer)"
    assert BillTotals.of(draft.lines).subtotal_minor == 2_400_000


def test_retainer_months_stop_before_the_matter_opened_and_after_it_closed():
    terms = Terms("retainer", fee_amount_minor=500_000, opened_on=date(2026, 5, 18), closed_on=date(2026, 5, 29))

    draft = draft_lines(terms=terms, period=Q2)

    assert [(line.on_date, line.base_minor) for line in draft.lines] == [(date(2026, 5, 1), 500_000)]


def test_terms_missing_their_amount_are_refused():
    with pytest.raises(TermsError, match="needs a fee amount"):
        draft_lines(terms=Terms("blended"), period=JUNE, work=WORK)
    with pytest.raises(TermsError, match="needs a percentage"):
        draft_lines(terms=Terms("contingency"), period=JUNE)
    with pytest.raises(TermsError, match="has no rate"):
        draft_lines(terms=Terms("hourly"), period=JUNE, work=[work(9, "1.0", None)])


def test_months_of_a_period_span_year_ends():
    assert months_of(Period(date(2025, 11, 15), date(2026, 1, 2))) == [
        date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)]


def test_retainer_opening_and_closing_month_rules_in_the_same_month():
    # Opened 2026-06-11, closed 2026-06-20: 10 of 30 days when prorated at both ends.
    both = Terms("retainer", fee_amount_minor=300_000, opened_on=date(2026, 6, 11), closed_on=date(2026, 6, 20),
                 first_month="prorated", last_month="prorated")
    opening_only = Terms("retainer", fee_amount_minor=300_000, opened_on=date(2026, 6, 11),
                         closed_on=date(2026, 6, 20), first_month="prorated")
    none = Terms("retainer", fee_amount_minor=300_000, opened_on=date(2026, 6, 11), closed_on=date(2026, 6, 20),
                 first_month="prorated", last_month="none")

    assert retainer_month_minor(both, date(2026, 6, 1)) == (100_000, 10, 30)
    assert retainer_month_minor(opening_only, date(2026, 6, 1)) == (200_000, 20, 30)  # 11th to 30th
    assert retainer_month_minor(none, date(2026, 6, 1)) is None
    assert retainer_month_minor(both, date(2026, 5, 1)) is None and retainer_month_minor(both, date(2026, 7, 1)) is None


def test_retainer_months_between_opening_and_closing_are_full_and_unknown_rules_refused():
    terms = Terms("retainer", fee_amount_minor=100_000, opened_on=date(2026, 1, 31), first_month="prorated")

    assert retainer_month_minor(terms, date(2026, 1, 1)) == (3_226, 1, 31)  # 1,000.00 / 31 = 32.258 -> 32.26
    assert retainer_month_minor(terms, date(2026, 2, 1)) == (100_000, 28, 28)
    with pytest.raises(TermsError, match="in full, prorated or not at all"):
        retainer_month_minor(Terms("retainer", fee_amount_minor=1, first_month="half"), date(2026, 1, 1))
