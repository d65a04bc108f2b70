"""End to end: what people enter on the fee schedule is what the next bill run bills, once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lexbill.billing.models import FeeItem, Invoice, PreBill, PreBillLine, Recovery
from lexbill.billing.services.approval import prebill_approve
from lexbill.billing.services.billrun import billrun_run
from lexbill.billing.services.fees import (
    fee_item_create,
    fee_item_delete,
    fee_item_update,
    milestone_reach,
    milestone_unreach,
    recovery_create,
    recovery_delete,
)
from lexbill.billing.services.issue import invoice_issue
from lexbill.core.errors import Conflict
from lexbill.core.models import AuditEvent
from lexbill.testing import factories
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.services import time_entry_create

MARCH = date(2026, 3, 31)
APRIL = date(2026, 4, 30)


def log(firm, matter, tk, hours: str, on: date):  # type: ignore[no-untyped-def]
    return time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=tk, worked_on=on,
                             duration=Duration(hours=Decimal(hours)), narrative="Draft motion", task_code="L210",
                             activity_code="A103", today=on)


def lines_of(run):  # type: ignore[no-untyped-def]
    return [(ln.kind, ln.total_minor, ln.narrative, ln.fee_item_id, ln.recovery_id)
            for ln in PreBillLine.objects.filter(prebill__bill_run=run).order_by("position")]


def issue(run, admin_user, on: date):  # type: ignore[no-untyped-def]
    prebill = PreBill.objects.get(bill_run=run)
    prebill_approve(prebill=prebill, actor=admin_user)
    return invoice_issue(prebill=prebill, actor=admin_user, issued_on=on)


@pytest.fixture
def flat(firm, client_acme, partner):  # type: ignore[no-untyped-def]
    return factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-FLAT",
                                 fee_arrangement="flat", fee_amount_minor=2_000_000)


@pytest.fixture
def contingency(firm, client_acme, partner):  # type: ignore[no-untyped-def]
    return factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-CONT",
                                 fee_arrangement="contingency", fee_percent_bp=3333)


def test_a_milestone_is_billed_by_the_first_run_after_it_is_reached_and_not_before(firm, flat, partner,
                                                                                  admin_user):
    item = fee_item_create(firm=firm, matter=flat, description="Summary judgment filed", amount_minor=1_250_000,
                           actor=admin_user)
    log(firm, flat, partner, "2.0", date(2026, 3, 10))

    march = billrun_run(firm=firm, through_on=MARCH, actor=None, matters=[flat])

    # The time is covered by the flat fee; the schedule decides what is billed, not the lump sum.
    assert [(kind, total, fee_item) for kind, total, _, fee_item, _ in lines_of(march)] == [("fee", 0, None)]
    issue(march, admin_user, date(2026, 4, 1))
    milestone_reach(fee_item=item, actor=admin_user)

    april = billrun_run(firm=firm, through_on=APRIL, actor=None, matters=[flat])

    assert lines_of(april) == [("fixed_fee", 1_250_000, "Summary judgment filed", item.pk, None)]
    invoice = issue(april, admin_user, date(2026, 5, 1))
    assert invoice.total_minor == 1_250_000
    may = billrun_run(firm=firm, through_on=date(2026, 5, 31), actor=None, matters=[flat])
    assert (may.prebills_created, may.skipped[0]["reason"]) == (0, "nothing_to_bill")


def test_a_scheduled_item_is_billed_from_its_date(firm, flat, admin_user):
    fee_item_create(firm=firm, matter=flat, description="Stage 2", amount_minor=600_000, due_on=date(2026, 4, 15),
                    actor=admin_user)

    march = billrun_run(firm=firm, through_on=MARCH, actor=None, matters=[flat])
    april = billrun_run(firm=firm, through_on=APRIL, actor=None, matters=[flat])

    assert march.skipped[0]["reason"] == "nothing_to_bill"
    assert [(k, t, n) for k, t, n, _, _ in lines_of(april)] == [("fixed_fee", 600_000, "Stage 2")]


def test_a_recovery_of_100000_at_33_33_percent_bills_33330(firm, contingency, partner, admin_user):
    log(firm, contingency, partner, "4.0", date(2026, 3, 2))
    recovery = recovery_create(firm=firm, matter=contingency, amount_minor=10_000_000, received_on=date(2026, 3, 20),
                               description="Settlement", actor=admin_user, today=date(2026, 3, 31))

    run = billrun_run(firm=firm, through_on=MARCH, actor=None, matters=[contingency])

    assert lines_of(run) == [("fixed_fee", 3_333_000,
                              "Contingency fee: 33.33 % of 100,000.00 USD recovered 2026-03-20", None, recovery.pk)]


def test_a_billed_item_can_no_longer_be_edited_deleted_or_unreached(firm, flat, admin_user):
    item = fee_item_create(firm=firm, matter=flat, description="Closing", amount_minor=500_000, actor=admin_user)
    milestone_reach(fee_item=item, actor=admin_user)
    run = billrun_run(firm=firm, through_on=MARCH, actor=None, matters=[flat])
    prebill = PreBill.objects.get(bill_run=run)

    for attempt in (lambda: fee_item_update(fee_item=item, amount_minor=1, actor=admin_user),
                    lambda: fee_item_delete(fee_item=item, actor=admin_user),
                    lambda: milestone_unreach(fee_item=item, actor=admin_user)):
        with pytest.raises(Conflict, match=f"fee item {item.pk} is on pre-bill {prebill.pk}|"
                                           f"milestone {item.pk} is on pre-bill {prebill.pk}"):
            attempt()

    invoice = issue(run, admin_user, date(2026, 4, 1))
    with pytest.raises(Conflict, match=f"is on invoice {invoice.number}: it can no longer be changed"):
        fee_item_update(fee_item=item, description="Closing (revised)", actor=admin_user)
    with pytest.raises(Conflict, match=f"is on invoice {invoice.number}"):
        fee_item_delete(fee_item=item, actor=admin_user)
    item.refresh_from_db()
    assert (item.description, item.amount_minor, item.is_milestone_reached) == ("Closing", 500_000, True)
    # create and reach only: the refusals recorded nothing
    assert list(AuditEvent.objects.filter(action__startswith="fee_item").order_by("pk")
                .values_list("action", flat=True)) == ["fee_item.create", "fee_item.reach"]


def test_a_billed_recovery_cannot_be_deleted(firm, contingency, admin_user):
    recovery = recovery_create(firm=firm, matter=contingency, amount_minor=10_000_000, received_on=date(2026, 3, 20),
                               actor=admin_user, today=date(2026, 3, 31))
    run = billrun_run(firm=firm, through_on=MARCH, actor=None, matters=[contingency])
    prebill = PreBill.objects.get(bill_run=run)

    with pytest.raises(Conflict, match=f"recovery {recovery.pk} is on pre-bill {prebill.pk}"):
        recovery_delete(recovery=recovery, actor=admin_user)
    invoice = issue(run, admin_user, date(2026, 4, 1))
    with pytest.raises(Conflict, match=f"is on invoice {invoice.number}"):
        recovery_delete(recovery=recovery, actor=admin_user)

    assert Recovery.objects.filter(pk=recovery.pk).exists()
    assert Invoice.objects.get().total_minor == 3_333_000
    assert not AuditEvent.objects.filter(action="recovery.delete").exists()


def test_a_deleted_item_is_not_billed(firm, flat, admin_user):
    item = fee_item_create(firm=firm, matter=flat, description="Stage 1", amount_minor=300_000,
                           due_on=date(2026, 3, 1), actor=admin_user)
    keep = fee_item_create(firm=firm, matter=flat, description="Stage 2", amount_minor=400_000,
                           due_on=date(2026, 3, 2), actor=admin_user)

    fee_item_delete(fee_item=item, actor=admin_user)
    run = billrun_run(firm=firm, through_on=MARCH, actor=None, matters=[flat])

    assert [(k, t, fid) for k, t, _, fid, _ in lines_of(run)] == [("fixed_fee", 400_000, keep.pk)]
    assert list(FeeItem.objects.values_list("pk", flat=True)) == [keep.pk]
