"""A bill run over the small demo firm: all WIP lands on exactly one pre-bill line; a rerun adds nothing."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from django.db.models import Q

from lexbill.billing.domain.lines import BillTotals
from lexbill.billing.models import BillRunStatus, PreBill, PreBillLine
from lexbill.billing.services.billrun import billrun_run
from lexbill.clients.models import FeeArrangement
from lexbill.core.audit import audit_verify
from lexbill.core.tenancy import firm_scope
from lexbill.demo.generator import demo_create
from lexbill.timekeeping.models import ChargeType, EntryStatus, Expense, TimeEntry

THROUGH = date(2026, 5, 31)
BILLABLE = [ChargeType.BILLABLE, ChargeType.NO_CHARGE]


@pytest.fixture
def demo_firm(db):  # type: ignore[no-untyped-def]
    result = demo_create(size="small", seed=3, as_of=date(2026, 6, 30), admin_password="demo-pass-123")
    with firm_scope(result.firm):
        yield result.firm


def test_every_wip_entry_up_to_the_cutoff_is_on_exactly_one_prebill_line(demo_firm):
    # Given the small demo firm, all WIP; contingency time is never billed and stays WIP by design
    wip_time = set(TimeEntry.objects.filter(worked_on__lte=THROUGH, charge_type__in=BILLABLE)
                   .exclude(matter__fee_arrangement=FeeArrangement.CONTINGENCY).values_list("pk", flat=True))
    wip_expenses = set(Expense.objects.filter(incurred_on__lte=THROUGH, charge_type__in=BILLABLE)
                       .values_list("pk", flat=True))
    later = TimeEntry.objects.filter(worked_on__gt=THROUGH).count()

    # When the bill run goes through 31 May
    seen = []
    run = billrun_run(firm=demo_firm, through_on=THROUGH, actor=None, progress=lambda d, t: seen.append((d, t)))

    # Then every entry sits on exactly one current line, and is on a pre-bill
    lines = PreBillLine.objects.filter(is_current=True)
    on_lines = Counter(lines.filter(time_entry__isnull=False).values_list("time_entry_id", flat=True))
    assert set(on_lines) == wip_time and set(on_lines.values()) == {1}
    on_expense_lines = Counter(lines.filter(expense__isnull=False).values_list("expense_id", flat=True))
    assert set(on_expense_lines) == wip_expenses and set(on_expense_lines.values()) == {1}
    assert TimeEntry.objects.filter(pk__in=wip_time).exclude(status=EntryStatus.ON_PREBILL).count() == 0
    assert TimeEntry.objects.filter(worked_on__gt=THROUGH, status=EntryStatus.OPEN).count() == later
    # and each pre-bill's totals are the sums of its lines, fees at round(hours x rate)
    prebills = list(PreBill.objects.prefetch_related("lines"))
    assert run.status == BillRunStatus.DONE and run.prebills_created == len(prebills) > 10
    for prebill in prebills:
        figures = BillTotals.of(prebill.lines.all())
        assert figures.subtotal_minor == sum(line.total_minor for line in prebill.lines.all())
        assert figures.fees_minor + figures.expenses_minor + figures.adjustments_minor == figures.subtotal_minor
    hourly = lines.filter(kind="fee", matter__fee_arrangement=FeeArrangement.HOURLY, is_no_charge=False)
    assert all(line.base_minor == round_line(line) for line in hourly)
    # and progress reached the end and was saved on the run
    assert seen[-1] == (run.total_matters, run.total_matters) == (run.done_matters, run.total_matters)
    assert run.total_matters == 40
    assert run.prebills_created + len(run.skipped) == 40 - consolidated_extra(prebills)
    assert audit_verify(firm=demo_firm) == []


def round_line(line: PreBillLine) -> int:
    from lexbill.core.money import line_amount_minor

    assert line.hours_billed is not None and line.rate_minor is not None
    return line_amount_minor(line.hours_billed, line.rate_minor)


def consolidated_extra(prebills: list[PreBill]) -> int:
    """Matters that share a consolidated pre-bill with another matter."""
    return sum(len({line.matter_id for line in p.lines.all()}) - 1 for p in prebills if p.matter_id is None)


def test_a_second_run_creates_nothing_and_says_why(demo_firm):
    first = billrun_run(firm=demo_firm, through_on=THROUGH, actor=None)
    lines_before = PreBillLine.objects.count()

    second = billrun_run(firm=demo_firm, through_on=THROUGH, actor=None)

    assert second.prebills_created == 0
    assert PreBill.objects.count() == first.prebills_created
    assert PreBillLine.objects.count() == lines_before
    reasons = Counter(s["reason"] for s in second.skipped)
    assert reasons["open_prebill"] == first.prebills_created + consolidated_extra(list(PreBill.objects.all()))
    assert set(reasons) <= {"open_prebill", "closed_no_wip", "nothing_to_bill"}


def test_a_later_cutoff_bills_only_the_new_work_of_matters_without_an_open_prebill(demo_firm):
    # Given May billed and the pre-bills of every matter but the first dropped from review (cancelled)
    billrun_run(firm=demo_firm, through_on=THROUGH, actor=None)
    june = TimeEntry.objects.filter(worked_on__gt=THROUGH, charge_type__in=BILLABLE).exclude(
        Q(matter__fee_arrangement=FeeArrangement.CONTINGENCY))
    assert june.filter(status=EntryStatus.OPEN).count() == june.count() > 0
    PreBill.objects.update(status="cancelled")
    PreBillLine.objects.update(is_current=False)
    TimeEntry.objects.filter(status=EntryStatus.ON_PREBILL, worked_on__lte=THROUGH).update(status=EntryStatus.BILLED)
    Expense.objects.filter(status=EntryStatus.ON_PREBILL).update(status=EntryStatus.BILLED)

    # When a run goes through June
    run = billrun_run(firm=demo_firm, through_on=date(2026, 6, 30), actor=None)

    # Then exactly June's work is on the new lines
    on_lines = set(PreBillLine.objects.filter(is_current=True, time_entry__isnull=False)
                   .values_list("time_entry_id", flat=True))
    assert on_lines == set(june.values_list("pk", flat=True))
    assert run.prebills_created > 0


def test_every_retainer_matter_is_billed_each_month_from_its_opening_month(demo_firm):
    # Given the demo's retainer matters (issue #9 defect 7: five lost their opening month when it had no time)
    from lexbill.billing.domain.period import Period, months_of
    from lexbill.clients.models import Matter

    retainers = list(Matter.objects.filter(fee_arrangement=FeeArrangement.RETAINER, opened_on__lte=THROUGH))
    assert retainers

    # When the bill run goes through 31 May
    run = billrun_run(firm=demo_firm, through_on=THROUGH, actor=None)

    # Then each has one retainer line per month from the month it opened to May or its closing (rule: full)
    for matter in retainers:
        last = min(THROUGH, matter.closed_on or THROUGH)
        billed = list(PreBillLine.objects.filter(prebill__bill_run=run, matter=matter, kind="fixed_fee",
                                                 fee_item__isnull=True).order_by("on_date")
                      .values_list("on_date", flat=True))
        assert billed == months_of(Period(matter.opened_on, last)), matter.number
