"""`lexbill prebill approve` refuses open queries unless --override-queries REASON, and uncoded lines for a
client that refuses them; `prebill show` marks both on the lines (issue #9 items 4 and 6)."""

import pytest

from lexbill.billing.models import PreBill, PreBillLine
from lexbill.billing.services.review_queries import prebill_query_add
from lexbill.core.models import AuditEvent

from .review_helpers import lines_of, march_prebill


@pytest.fixture
def queried(firm, matter, partner, associate, admin_user):
    prebill = march_prebill(firm, matter, partner, associate)
    fee = lines_of(prebill)[0]
    prebill_query_add(prebill=prebill, line=fee, question="All on the complaint?", actor=admin_user)
    return prebill, fee


def test_open_queries_refuse_approval_in_one_line(run, queried):
    prebill, fee = queried
    audit = AuditEvent.objects.count()
    result = run("prebill", "approve", str(prebill.pk))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (f"lexbill: error: pre-bill {prebill.pk} has 1 open query (line {fee.pk}: “All on the "
                             "complaint?”): have them answered, or approve despite them with a reason\n")
    assert (PreBill.objects.get(pk=prebill.pk).status, AuditEvent.objects.count()) == ("draft", audit)


def test_override_queries_records_the_reason(run, queried):
    prebill, _fee = queried
    result = run("prebill", "approve", str(prebill.pk), "--override-queries", "Partner confirmed")
    assert (result.exit_code, result.stdout) == (0, f"pre-bill {prebill.pk} approved\n")
    fresh = PreBill.objects.get(pk=prebill.pk)
    assert (fresh.status, fresh.open_queries_override_reason) == ("approved", "Partner confirmed")
    assert "approved despite open queries: Partner confirmed" in run("prebill", "show", str(prebill.pk)).stdout


def test_all_approves_the_others_and_names_the_refused(run, queried, firm, matter, partner, associate):
    prebill, _fee = queried
    clean = march_prebill(firm, matter, partner, associate, period_end=prebill.period_end.replace(day=30))
    result = run("prebill", "approve", "--all")
    assert result.exit_code == 1
    assert result.stdout == f"pre-bill {clean.pk} approved\n1 pre-bill(s) approved, 1 refused\n"
    assert result.stderr.startswith(f"lexbill: error: pre-bill {prebill.pk} has 1 open query")
    assert PreBill.objects.get(pk=prebill.pk).status == "draft"


def test_override_is_for_named_pre_bills_and_needs_a_reason(run, queried):
    prebill, _fee = queried
    assert run("prebill", "approve", "--all", "--override-queries", "x").exit_code == 2
    assert run("prebill", "approve", str(prebill.pk), "--override-queries", " ").exit_code == 2
    assert PreBill.objects.get(pk=prebill.pk).status == "draft"


def test_show_marks_uncoded_lines_and_approve_refuses_them(run, firm, client_acme, matter, partner, associate):
    prebill = march_prebill(firm, matter, partner, associate)
    client_acme.utbms_code_sets = ["litigation"]
    client_acme.save()
    fee = lines_of(prebill)[0]
    PreBillLine.objects.filter(pk=fee.pk).update(task_code="")
    shown = run("prebill", "show", str(prebill.pk)).stdout.splitlines()
    assert shown[3].endswith("Draft complaint [! codes: missing task code (required: litigation)]")
    result = run("prebill", "approve", str(prebill.pk))
    assert result.exit_code == 1
    assert f"(line {fee.pk}: missing task code (required: litigation))" in result.stderr
    assert PreBill.objects.get(pk=prebill.pk).status == "draft"
