"""Invariant 5 under kill -9: a bill run killed in the middle of writing a pre-bill leaves whole pre-bills
or none, and a rerun finishes the rest without putting any entry on two current lines (PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date

import psycopg
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

THROUGH = date(2026, 6, 30)


def _url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _conninfo() -> str:
    return _url().replace("postgres://", "postgresql://", 1)


def _wait_until_blocked(watcher: psycopg.Connection, proc: subprocess.Popen[bytes]) -> None:
    """Until the bill run's backend waits on a row lock we hold (or fail if the run ended first)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the bill run ended before it reached the locked row"
        row = watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                              "AND wait_event_type = 'Lock'").fetchone()
        if row and row[0]:
            return
        time.sleep(0.05)
    raise AssertionError("the bill run never blocked")


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from lexbill.cli.main import main; main()", *args]


@pytest.mark.postgres_only
def test_kill_9_mid_prebill_leaves_whole_prebills_and_a_rerun_finishes(transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("kill -9 crash test needs PostgreSQL (row locks pause the run at a chosen point)")
    demo = demo_create(size="small", seed=3, as_of=THROUGH, admin_password="demo-pass-123")
    with firm_scope(demo.firm):
        units, _ = billrun_plan(firm=demo.firm, through_on=THROUGH, matters=billrun_matters())
        fifth_matter = units[4].matters[0].wip.matter.pk
    env = {**os.environ, "DATABASE_URL": _url(), "LEXBILL_HOME": str(tmp_path)}

    with psycopg.connect(_conninfo()) as matter_lock, psycopg.connect(_conninfo()) as firm_lock, \
            psycopg.connect(_conninfo(), autocommit=True) as watcher:
        # Given the fifth pre-bill's matter row locked: the run commits four pre-bills, then waits
        matter_lock.execute("SELECT id FROM clients_matter WHERE id = %s FOR UPDATE", (fifth_matter,))
        proc = subprocess.Popen(_cli("billrun", "--through", THROUGH.isoformat(), "--firm", "demo"), env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_until_blocked(watcher, proc)
            # and the firm row locked (audit_record takes it last), then the matter released: the run writes
            # the fifth pre-bill, its lines and its entries' status, and waits again before committing
            firm_lock.execute("SELECT id FROM core_firm WHERE id = %s FOR UPDATE", (demo.firm.pk,))
            matter_lock.rollback()
            time.sleep(0.3)
            _wait_until_blocked(watcher, proc)
            lines_in_flight = watcher.execute(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE c.relname = 'billing_prebillline' AND l.mode = 'RowExclusiveLock'").fetchone()
            assert lines_in_flight and lines_in_flight[0] >= 1  # it really is mid-write
            # When it is killed there
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
            firm_lock.rollback()

    with scopes_disabled():
        # Then exactly the four committed pre-bills exist, each whole
        assert PreBill.objects.count() == 4
        assert all(pb.lines.exists() for pb in PreBill.objects.all())
        on_lines = set(PreBillLine.objects.filter(is_current=True, time_entry__isnull=False)
                       .values_list("time_entry_id", flat=True))
        assert set(TimeEntry.objects.filter(status=EntryStatus.ON_PREBILL).values_list("pk", flat=True)) == on_lines

    # When the run is started again
    rerun = subprocess.run(_cli("billrun", "--through", THROUGH.isoformat(), "--firm", "demo", "--json"), env=env,
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
