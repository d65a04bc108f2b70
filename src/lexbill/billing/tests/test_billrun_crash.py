"""Invariant 5 under kill -9: a bill run killed in the middle of writing a pre-bill leaves whole pre-bills
or none, and a rerun finishes the rest without putting any entry on two current lines (PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from datetime import date

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from lexbill.billing.models import PreBill, PreBillLine
from lexbill.billing.selectors_billrun import billrun_matters
from lexbill.billing.services.billrun import billrun_plan
from lexbill.clients.models import FeeArrangement
from lexbill.core.tenancy import firm_scope
from lexbill.demo.generator import demo_create
from lexbill.timekeeping.models import ChargeType, EntryStatus, TimeEntry

from .crash_support import database_url, kill_mid_write, lexbill_command

THROUGH = date(2026, 6, 30)


@pytest.mark.postgres_only
def test_kill_9_mid_prebill_leaves_whole_prebills_and_a_rerun_finishes(transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("kill -9 crash test needs PostgreSQL (row locks pause the run at a chosen point)")
    demo = demo_create(size="small", seed=3, as_of=THROUGH, admin_password="demo-pass-123")
    with firm_scope(demo.firm):
        units, _ = billrun_plan(firm=demo.firm, through_on=THROUGH, matters=billrun_matters())
        fifth_matter = units[4].matters[0].wip.matter.pk
    env = {**os.environ, "DATABASE_URL": database_url(), "LEXBILL_HOME": str(tmp_path)}
    # Given a bill run that committed four pre-bills and is writing the fifth, when it is killed there
    kill_mid_write(lexbill_command("billrun", "--through", THROUGH.isoformat(), "--firm", "demo"), env,
                   stop_before=("clients_matter", fifth_matter),
                   writing_table="billing_prebillline")

    with scopes_disabled():
        # Then exactly the four committed pre-bills exist, each whole
        assert PreBill.objects.count() == 4
        assert all(pb.lines.exists() for pb in PreBill.objects.all())
        on_lines = set(PreBillLine.objects.filter(is_current=True, time_entry__isnull=False)
                       .values_list("time_entry_id", flat=True))
        assert set(TimeEntry.objects.filter(status=EntryStatus.ON_PREBILL).values_list("pk", flat=True)) == on_lines

    # When the run is started again
    rerun = subprocess.run(lexbill_command("billrun", "--through", THROUGH.isoformat(), "--firm", "demo", "--json"), env=env,
                           capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr

    # Then all WIP is covered, no entry twice
    with scopes_disabled():
        wip = set(TimeEntry.objects.filter(firm=demo.firm, worked_on__lte=THROUGH,
                                           charge_type__in=[ChargeType.BILLABLE, ChargeType.NO_CHARGE])
                  .exclude(matter__fee_arrangement=FeeArrangement.CONTINGENCY).values_list("pk", flat=True))
        counts = Counter(PreBillLine.objects.filter(is_current=True, time_entry__isnull=False)
                         .values_list("time_entry_id", flat=True))
        assert set(counts) == wip and set(counts.values()) == {1}
        assert PreBill.objects.count() == len(units)
