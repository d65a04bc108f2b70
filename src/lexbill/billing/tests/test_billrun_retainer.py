"""Retainer matters bill every month from the opening month to the cut-off, by the matter's opening- and
closing-month rules, including months with no recorded time, and never a month twice (issue #9 defect 7)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lexbill.billing.models import Invoice, PreBill, PreBillLine
from lexbill.billing.services.approval import prebill_approve
from lexbill.billing.services.billrun import billrun_run
from lexbill.billing.services.issue import invoice_issue
from lexbill.clients.services import matter_update
from lexbill.testing import factories
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.services import time_entry_create

JUNE_30 = date(2026, 6, 30)


def retainer(firm, client, partner, **fields):  # type: ignore[no-untyped-def]
    fields.setdefault("opened_on", date(2026, 5, 29))
    return factories.make_matter(firm, client=client, billing_attorney=partner, number="ACME-RET",
                                 fee_arrangement="retainer", fee_amount_minor=100_000, **fields)


def log_june(firm, matter, partner):  # type: ignore[no-untyped-def]
    time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=partner, worked_on=date(2026, 6, 10),
                      duration=Duration(hours=Decimal("2.0")), narrative="Board advice", today=date(2026, 6, 10))


def lines_of(prebill: PreBill) -> list[tuple[str, date, int, str]]:
    return [(ln.kind, ln.on_date, ln.total_minor, ln.narrative) for ln in prebill.lines.order_by("position")]


def test_a_retainer_opened_late_in_may_with_no_may_time_bills_may_in_full_and_june(
        firm, client_acme, partner):
    matter = retainer(firm, client_acme, partner)
    log_june(firm, matter, partner)

    run = billrun_run(firm=firm, through_on=JUNE_30, actor=None)

    prebill = PreBill.objects.get(bill_run=run)
    assert lines_of(prebill) == [
        ("fixed_fee", date(2026, 5, 1), 100_000, "Monthly retainer, May 2026"),
        ("fixed_fee", date(2026, 6, 1), 100_000, "Monthly retainer, June 2026"),
        ("fee", date(2026, 6, 10), 0, "Board advice (included in monthly retainer)"),
    ]
    assert prebill.period_start == date(2026, 5, 1)


def test_a_retainer_with_no_time_at_all_is_billed_from_its_opening_month(firm, client_acme, partner):
    matter = retainer(firm, client_acme, partner, opened_on=date(2026, 4, 15))

    run = billrun_run(firm=firm, through_on=JUNE_30, actor=None)

    assert [(ln.on_date, ln.total_minor) for ln in PreBillLine.objects.filter(prebill__bill_run=run, matter=matter)
            .order_by("position")] == [(date(2026, 4, 1), 100_000), (date(2026, 5, 1), 100_000),
                                       (date(2026, 6, 1), 100_000)]


def test_a_prorated_opening_month_bills_the_days_open_rounded_half_up_once(firm, client_acme, partner):
    retainer(firm, client_acme, partner, retainer_first_month="prorated")

    run = billrun_run(firm=firm, through_on=JUNE_30, actor=None)

    # 1,000.00 x 3 / 31 = 96.774... -> 96.77
    assert lines_of(PreBill.objects.get(bill_run=run)) == [
        ("fixed_fee", date(2026, 5, 1), 9_677, "Monthly retainer, May 2026 (3 of 31 days)"),
        ("fixed_fee", date(2026, 6, 1), 100_000, "Monthly retainer, June 2026"),
    ]


def test_an_opening_month_not_billed_starts_the_retainer_with_the_next_month(firm, client_acme, partner):
    retainer(firm, client_acme, partner, retainer_first_month="none")

    run = billrun_run(firm=firm, through_on=JUNE_30, actor=None)

    assert lines_of(PreBill.objects.get(bill_run=run)) == [
        ("fixed_fee", date(2026, 6, 1), 100_000, "Monthly retainer, June 2026")]


def test_a_prorated_closing_month_bills_up_to_the_closing_date(firm, client_acme, partner):
    matter = retainer(firm, client_acme, partner, opened_on=date(2026, 5, 1), retainer_last_month="prorated")
    log_june(firm, matter, partner)
    matter_update(matter=matter, actor=None, status="closed", closed_on=date(2026, 6, 10))

    run = billrun_run(firm=firm, through_on=JUNE_30, actor=None)

    # 1,000.00 x 10 / 30 = 333.333... -> 333.33
    assert [(k, d, t) for k, d, t, _ in lines_of(PreBill.objects.get(bill_run=run))] == [
        ("fixed_fee", date(2026, 5, 1), 100_000), ("fixed_fee", date(2026, 6, 1), 33_333),
        ("fee", date(2026, 6, 10), 0)]


def test_a_rerun_never_bills_a_retainer_month_twice(firm, client_acme, partner):
    matter = retainer(firm, client_acme, partner)
    first = PreBill.objects.get(bill_run=billrun_run(firm=firm, through_on=JUNE_30, actor=None))
    prebill_approve(prebill=first, actor=None, operator=True)
    invoice_issue(prebill=first, actor=None, issued_on=date(2026, 7, 1))

    again = billrun_run(firm=firm, through_on=JUNE_30, actor=None)
    july = billrun_run(firm=firm, through_on=date(2026, 7, 31), actor=None)

    assert not PreBill.objects.filter(bill_run=again).exists()
    assert again.skipped == [{"matter": "ACME-RET", "reason": "nothing_to_bill",
                              "detail": "no unbilled work up to the cut-off"}]
    assert lines_of(PreBill.objects.get(bill_run=july)) == [
        ("fixed_fee", date(2026, 7, 1), 100_000, "Monthly retainer, July 2026")]
    assert Invoice.objects.filter(matter=matter).count() == 1


def test_a_closed_retainer_with_no_time_still_bills_the_months_up_to_its_closing(firm, client_acme, partner):
    matter = retainer(firm, client_acme, partner, opened_on=date(2026, 4, 1))
    matter_update(matter=matter, actor=None, status="closed", closed_on=date(2026, 5, 15))

    run = billrun_run(firm=firm, through_on=JUNE_30, actor=None)
    again = billrun_run(firm=firm, through_on=JUNE_30, actor=None)

    assert [(k, d, t) for k, d, t, _ in lines_of(PreBill.objects.get(bill_run=run))] == [
        ("fixed_fee", date(2026, 4, 1), 100_000), ("fixed_fee", date(2026, 5, 1), 100_000)]
    assert again.skipped == [{"matter": "ACME-RET", "reason": "open_prebill", "detail": f"pre-bill "
                              f"{PreBill.objects.get(bill_run=run).pk} is still open"}]
