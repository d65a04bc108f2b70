"""Bill run selection (client, matters, attorney), skip reasons, consolidation, query counts, task, CLI."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lexbill.billing.models import BillRun, BillRunStatus, FeeItem, PreBill, PreBillLine, Recovery
from lexbill.billing.selectors_billrun import billrun_matters
from lexbill.billing.services.billrun import billrun_create, billrun_plan, billrun_run
from lexbill.billing.tasks import run_bill_run
from lexbill.cli.main import _register, cli
from lexbill.clients.models import Matter
from lexbill.testing import factories
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.models import EntryStatus, TimeEntry
from lexbill.timekeeping.services import expense_create, time_entry_create

THROUGH = date(2026, 3, 31)
TODAY = date(2026, 4, 2)


def log(firm, matter, tk, hours: str, on: date = date(2026, 3, 10), **extra):  # type: ignore[no-untyped-def]
    return time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=tk, worked_on=on,
                             duration=Duration(hours=Decimal(hours)), narrative="Draft motion", task_code="L210",
                             activity_code="A103", today=TODAY, **extra)


def spend(firm, matter, cost: int, on: date = date(2026, 3, 12)):  # type: ignore[no-untyped-def]
    return expense_create(firm=firm, actor=None, matter=matter, incurred_on=on, description="Filing fee",
                          unit_cost_minor=cost, quantity=Decimal(1), expense_code="E112", today=TODAY)


def test_matter_prebill_has_hourly_lines_expenses_and_the_cutoff_period(firm, matter, partner, associate):
    log(firm, matter, partner, "1.5", date(2026, 3, 2))
    log(firm, matter, associate, "2.0")
    log(firm, matter, associate, "1.0", date(2026, 4, 1))  # after the cut-off: stays WIP
    spend(firm, matter, 40_000)

    run = billrun_run(firm=firm, through_on=THROUGH, actor=None)

    prebill = PreBill.objects.get(bill_run=run)
    assert (prebill.matter, prebill.period_start, prebill.period_end) == (matter, date(2026, 3, 2), THROUGH)
    # 1.5 h x 500.00 = 750.00; 2.0 h x 300.00 = 600.00; filing fee 400.00
    assert [(ln.kind, ln.total_minor) for ln in prebill.lines.all()] == [
        ("fee", 75_000), ("fee", 60_000), ("expense", 40_000)]
    assert TimeEntry.objects.filter(status=EntryStatus.OPEN).count() == 1
    assert (run.total_matters, run.done_matters, run.prebills_created, run.skipped) == (1, 1, 1, [])


def test_selection_by_client_matters_and_attorney(firm, matter, partner, associate, client_acme):
    other_client = factories.make_client(firm, code="BETA")
    beta = factories.make_matter(firm, client=other_client, billing_attorney=associate, number="BETA-001")
    acme2 = factories.make_matter(firm, client=client_acme, billing_attorney=associate, number="ACME-002")
    for m in (matter, beta, acme2):
        log(firm, m, partner, "1.0")

    def billed(**selection) -> set[str]:  # type: ignore[no-untyped-def]
        run = billrun_run(firm=firm, through_on=THROUGH, actor=None, **selection)
        numbers = {pb.matter.number for pb in PreBill.objects.filter(bill_run=run)}
        PreBill.objects.filter(bill_run=run).update(status="cancelled")  # free the matters for the next case
        PreBillLine.objects.update(is_current=False)
        TimeEntry.objects.update(status=EntryStatus.OPEN)
        return numbers

    assert billed(client=client_acme) == {"ACME-001", "ACME-002"}
    assert billed(matters=[beta]) == {"BETA-001"}
    assert billed(billing_attorney=associate) == {"BETA-001", "ACME-002"}
    assert billed(client=client_acme, billing_attorney=associate) == {"ACME-002"}
    assert billed() == {"ACME-001", "ACME-002", "BETA-001"}


def test_each_skip_is_reported_with_its_reason(firm, matter, partner, client_acme):
    closed = factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-009")
    Matter.objects.filter(pk=closed.pk).update(status="closed", closed_on=date(2026, 2, 1))
    factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-010")
    contingency = factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-011",
                                        fee_arrangement="contingency", fee_percent_bp=3000)
    log(firm, contingency, partner, "3.0")
    log(firm, matter, partner, "1.0")
    billrun_run(firm=firm, through_on=THROUGH, actor=None)
    log(firm, matter, partner, "2.0", date(2026, 3, 20))

    run = billrun_run(firm=firm, through_on=THROUGH, actor=None)

    first = PreBill.objects.exclude(bill_run=run).get()
    assert run.prebills_created == 0
    assert sorted(run.skipped, key=lambda s: s["matter"]) == [
        {"matter": "ACME-001", "reason": "open_prebill", "detail": f"pre-bill {first.pk} is still open"},
        {"matter": "ACME-009", "reason": "closed_no_wip", "detail": "closed, with no unbilled work"},
        {"matter": "ACME-010", "reason": "nothing_to_bill", "detail": "no unbilled work up to the cut-off"},
        {"matter": "ACME-011", "reason": "nothing_to_bill",
         "detail": "contingency: 1 time entries stay unbilled until a recovery is entered"},
    ]


def test_contingency_recovery_and_flat_fee_items_are_billed_once(firm, partner, client_acme):
    contingency = factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-020",
                                        fee_arrangement="contingency", fee_percent_bp=2500)
    flat = factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-021",
                                 fee_arrangement="flat", fee_amount_minor=900_000)
    log(firm, contingency, partner, "4.0")
    log(firm, flat, partner, "2.0")
    Recovery.objects.create(firm=firm, matter=contingency, received_on=date(2026, 3, 25), amount_minor=10_000_002)
    FeeItem.objects.create(firm=firm, matter=flat, description="Stage 1", amount_minor=300_000,
                           due_on=date(2026, 3, 1))
    FeeItem.objects.create(firm=firm, matter=flat, description="Stage 2", amount_minor=600_000,
                           due_on=date(2026, 5, 1))

    run = billrun_run(firm=firm, through_on=THROUGH, actor=None)

    lines = PreBillLine.objects.filter(prebill__bill_run=run).order_by("matter__number", "position")
    # 25 % of 100,000.02 = 25,000.005 -> 25,000.01; Stage 1 due, Stage 2 not yet; flat time at zero
    assert [(ln.matter.number, ln.kind, ln.total_minor) for ln in lines] == [
        ("ACME-020", "fixed_fee", 2_500_001), ("ACME-021", "fixed_fee", 300_000), ("ACME-021", "fee", 0)]
    assert TimeEntry.objects.get(matter=contingency).status == EntryStatus.OPEN


def test_consolidated_client_gets_one_prebill_for_all_its_matters(firm, matter, partner, client_acme):
    client_acme.is_consolidated_billing = True
    client_acme.save()
    second = factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-002")
    log(firm, matter, partner, "1.0")
    log(firm, second, partner, "0.5")

    run = billrun_run(firm=firm, through_on=THROUGH, actor=None)

    prebill = PreBill.objects.get(bill_run=run)
    assert (prebill.matter, prebill.client) == (None, client_acme)
    assert [(ln.matter.number, ln.total_minor) for ln in prebill.lines.all()] == [
        ("ACME-001", 50_000), ("ACME-002", 25_000)]
    assert (run.total_matters, run.done_matters, run.prebills_created) == (2, 2, 1)
    rerun = billrun_run(firm=firm, through_on=THROUGH, actor=None)
    assert {s["reason"] for s in rerun.skipped} == {"open_prebill"} and len(rerun.skipped) == 2


def _selection_queries(firm, n: int) -> int:  # type: ignore[no-untyped-def]
    client = factories.make_client(firm)
    partner = factories.make_timekeeper(firm, classification="PT", standard_rate_minor=40_000)
    for i in range(n):
        m = factories.make_matter(firm, client=client, billing_attorney=partner)
        log(firm, m, partner, "1.0", on=date(2026, 3, 1 + i % 20))  # at most 2 h a day: valid work
        spend(firm, m, 1_000)
    with CaptureQueriesContext(connection) as ctx:
        units, _ = billrun_plan(firm=firm, through_on=THROUGH, matters=billrun_matters(client=client))
    assert len(units) == n
    return len(ctx.captured_queries)


def test_selection_query_count_does_not_grow_with_the_number_of_matters(firm):
    assert _selection_queries(firm, 5) == _selection_queries(firm, 40)


def test_a_refused_run_changes_nothing(firm, matter, partner):
    log(firm, matter, partner, "1.0")
    with pytest.raises(Exception, match="at least one matter"):
        billrun_create(firm=firm, through_on=THROUGH, actor=None, matters=[])
    assert BillRun.objects.count() == 0 and PreBill.objects.count() == 0


def test_task_runs_a_pending_bill_run(firm, matter, partner, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    log(firm, matter, partner, "1.0")
    run = billrun_create(firm=firm, through_on=THROUGH, actor=None)

    result = run_bill_run.enqueue(run.pk)

    assert result.return_value == {"bill_run": run.pk, "status": "done", "prebills_created": 1, "skipped": 0}
    run.refresh_from_db()
    assert (run.status, run.done_matters, run.total_matters) == (BillRunStatus.DONE, 1, 1)


def test_cli_billrun_prints_prebills_skips_and_totals(firm, matter, partner, client_acme):
    factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-002")
    log(firm, matter, partner, "1.5")
    _register()
    runner = CliRunner()

    result = runner.invoke(cli, ["billrun", "--through", "2026-03-31", "--client", "ACME", "--json"],
                           catch_exceptions=False)

    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [(p["matter"], p["lines"], p["total_minor"]) for p in out["prebills"]] == [("ACME-001", 1, 75_000)]
    assert out["skipped"] == [{"matter": "ACME-002", "reason": "nothing_to_bill",
                               "detail": "no unbilled work up to the cut-off"}]
    assert out["totals_minor"] == {"USD": 75_000}
    text = runner.invoke(cli, ["billrun", "--through", "2026-03-31", "--matter", "ACME-001"])
    assert text.exit_code == 0 and "0 pre-bills, 1 skipped" in text.stdout and "open_prebill" in text.stdout
    bad = runner.invoke(cli, ["billrun", "--through", "2026-03-31", "--matter", "NOPE"])
    assert (bad.exit_code, bad.stderr) == (1, "lexbill: error: no matter NOPE in firm arnsley\n")


def test_a_split_matter_of_a_consolidated_client_gets_a_pre_bill_of_its_own(firm, matter, partner, client_acme):
    from lexbill.clients.services_payors import PayorShare, matter_payors_set

    client_acme.is_consolidated_billing = True
    client_acme.save()
    second = factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-002")
    third = factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-003")
    insurer = factories.make_client(firm, code="INSCO")
    matter_payors_set(matter=second, actor=None, payors=[PayorShare(insurer, 6000), PayorShare(client_acme, 4000)])
    for m in (matter, second, third):
        log(firm, m, partner, "1.0")

    run = billrun_run(firm=firm, through_on=THROUGH, actor=None)

    prebills = {pb.matter.number if pb.matter else None: pb for pb in PreBill.objects.filter(bill_run=run)}
    assert set(prebills) == {None, "ACME-002"}
    assert [ln.matter.number for ln in prebills[None].lines.all()] == ["ACME-001", "ACME-003"]
    assert run.prebills_created == 2
