"""`--idempotency-key` on the CLI: a rerun prints the first output and changes nothing; the same key with
other arguments exits 1 and writes nothing; `lexbill idempotency purge` deletes expired keys."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from lexbill.billing.models import BillRun, Invoice, NumberSeries, PreBill
from lexbill.core.models import AuditEvent, IdempotencyKey
from lexbill.testing.billing import make_prebill
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.services import time_entry_create

MARCH_2 = date(2026, 3, 2)


def _state():  # type: ignore[no-untyped-def]
    return (sorted(Invoice.objects.values_list("number", "kind", "total_minor")),
            sorted(NumberSeries.objects.values_list("name", "next_seq")), BillRun.objects.count(),
            PreBill.objects.count(), AuditEvent.objects.count(),
            sorted(IdempotencyKey.objects.values_list("key", "route", "status_code")))


@pytest.fixture
def issued(firm, matter, partner):  # type: ignore[no-untyped-def]
    """Invoice 2026-00001: Robert 2.0 h x 500.00 = 1,000.00."""
    from lexbill.billing.services.issue import invoice_issue

    prebill = make_prebill(firm, matter, work=[(partner, MARCH_2, "2", "Hearing")], status="approved")
    return invoice_issue(prebill=prebill, actor=None, issued_on=date(2026, 4, 2))


def test_a_rerun_of_a_credit_prints_the_first_output_and_credits_once(run, issued):
    args = ("invoice", "credit", "2026-00001", "--amount", "100.00", "--reason", "Goodwill", "--on", "2026-04-03",
            "--idempotency-key", "cn-goodwill")

    first = run(*args)
    after_first = _state()
    rerun = run(*args)

    assert (first.exit_code, rerun.exit_code) == (0, 0)
    assert first.stdout == rerun.stdout == "credit note CN2026-00001 for 2026-00001: -100.00 USD\n"
    assert _state() == after_first
    assert after_first[0] == [("2026-00001", "invoice", 100000), ("CN2026-00001", "credit_note", -10000)]
    assert after_first[5] == [("cn-goodwill", "lexbill invoice credit", 0)]


def test_the_same_key_with_other_arguments_exits_1_and_writes_nothing(run, issued):
    run("invoice", "credit", "2026-00001", "--amount", "100.00", "--reason", "Goodwill", "--idempotency-key", "k")
    before = _state()

    result = run("invoice", "credit", "2026-00001", "--amount", "200.00", "--reason", "Goodwill",
                 "--idempotency-key", "k")

    assert result.exit_code == 1
    assert result.stderr == ("lexbill: error: idempotency key 'k' was already used for a different request "
                             "(lexbill invoice credit); use a new key for a new request\n")
    assert _state() == before


def test_a_refused_command_stores_no_key(run, firm, matter, partner):
    prebill = make_prebill(firm, matter, work=[(partner, MARCH_2, "1", "Call")], status="draft")
    before = _state()

    result = run("invoice", "issue", str(prebill.pk), "--on", "2026-04-02", "--idempotency-key", "issue-1")

    assert result.exit_code == 1
    assert _state() == before


def test_a_rerun_of_a_keyed_bill_run_reports_the_same_run(run, firm, matter, partner):
    time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=partner, worked_on=MARCH_2,
                      duration=Duration(hours=Decimal("1.0")), narrative="Call", today=MARCH_2)
    args = ("billrun", "--through", "2026-03-31", "--json", "--idempotency-key", "march")

    first = json.loads(run(*args).stdout)
    after_first = _state()
    rerun = json.loads(run(*args).stdout)

    assert rerun == first
    assert [p["matter"] for p in first["prebills"]] == ["ACME-001"]
    assert _state() == after_first
    assert BillRun.objects.count() == 1


def test_purge_deletes_only_expired_keys(run, issued):
    run("invoice", "credit", "2026-00001", "--amount", "1.00", "--reason", "A", "--idempotency-key", "old")
    run("invoice", "credit", "2026-00001", "--amount", "1.00", "--reason", "B", "--idempotency-key", "new")
    IdempotencyKey.objects.filter(key="old").update(expires_at=timezone.now() - timedelta(seconds=1))

    result = run("idempotency", "purge")

    assert result.stdout == "1 expired idempotency key(s) deleted\n"
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
