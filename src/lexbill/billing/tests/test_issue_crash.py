"""Invariant 4 under kill -9: `invoice issue` killed after taking a number and writing the invoice but before
committing leaves no number used, no half invoice, and a rerun continues the series without a gap
(PostgreSQL: row locks pause the command at a chosen point)."""

from __future__ import annotations

import os
import subprocess
from datetime import date

import pytest
from django.db import connection
from django.db.models import Sum
from django_scopes import scopes_disabled

from lexbill.billing.models import Invoice, InvoiceLine, NumberSeries, PreBill, PreBillStatus
from lexbill.billing.services.approval import prebill_approve
from lexbill.billing.services.billrun import billrun_run
from lexbill.clients.models import MatterPayor
from lexbill.core.tenancy import firm_scope
from lexbill.demo.generator import demo_create
from lexbill.timekeeping.models import EntryStatus, TimeEntry

from .crash_support import database_url, kill_mid_write, lexbill_command

THROUGH = date(2026, 6, 30)


@pytest.mark.postgres_only
def test_kill_9_mid_issue_uses_no_number_and_a_rerun_leaves_no_gap(transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("kill -9 crash test needs PostgreSQL (row locks pause the command at a chosen point)")
    demo = demo_create(size="small", seed=4, as_of=THROUGH)
    with firm_scope(demo.firm):
        billrun_run(firm=demo.firm, through_on=THROUGH, actor=None)
        prebills = list(PreBill.objects.order_by("pk"))
        for prebill in prebills:
            prebill_approve(prebill=prebill, actor=None, operator=True)
    fourth = prebills[3]
    env = {**os.environ, "DATABASE_URL": database_url(), "LEXBILL_HOME": str(tmp_path)}
    issue = lexbill_command("invoice", "issue", "--all-approved", "--on", "2026-07-01", "--firm", "demo")

    # Given three invoices committed and the fourth written but not committed, when it is killed there
    kill_mid_write(issue, env, stop_before=("billing_prebill", fourth.pk),
                   writing_table="billing_invoiceline")

    with scopes_disabled():
        # Then three whole invoices, numbers 1-3, the series at 4, the fourth pre-bill untouched
        assert list(Invoice.objects.order_by("number").values_list("number", flat=True)) == [
            "2026-00001", "2026-00002", "2026-00003"]
        assert NumberSeries.objects.get(firm=demo.firm, name="invoice").next_seq == 4
        assert PreBill.objects.get(pk=fourth.pk).status == PreBillStatus.APPROVED
        fourth_entries = fourth.lines.filter(time_entry__isnull=False).values("time_entry")
        assert set(TimeEntry.objects.filter(pk__in=fourth_entries).values_list("status", flat=True)) == {
            EntryStatus.ON_PREBILL}

    # When the command is run again
    rerun = subprocess.run(issue, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr

    # Then every pre-bill is issued, numbered without a gap, each invoice equal to the sum of its lines
    with scopes_disabled():
        numbers = list(Invoice.objects.order_by("number").values_list("number", flat=True))
        # one invoice per pre-bill, or one per payor for the demo's split matters
        expected = sum(MatterPayor.objects.filter(matter_id=p.matter_id).count() or 1 for p in prebills)
        assert numbers == [f"2026-{n:05d}" for n in range(1, expected + 1)]
        for invoice in Invoice.objects.all():
            lines = InvoiceLine.objects.filter(invoice=invoice).aggregate(total=Sum("total_minor"))["total"]
            assert invoice.subtotal_minor == lines
