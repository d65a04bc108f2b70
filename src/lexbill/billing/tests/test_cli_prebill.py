from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lexbill.billing.models import PreBillStatus
from lexbill.billing.services.issue import invoice_issue
from lexbill.billing.services.review import prebill_line_set_no_charge, prebill_line_write_amount
from lexbill.billing.services.review_moves import prebill_line_hold
from lexbill.billing.services.review_queries import prebill_query_add
from lexbill.cli.commands_prebill import STATUSES
from lexbill.testing import factories
from lexbill.testing.billing import make_prebill

from .billing_helpers import ISSUED_ON, approved_prebill
from .review_helpers import lines_of, march_prebill


@pytest.fixture
def prebill(firm, matter, partner, associate, admin_user):
    prebill = march_prebill(firm, matter, partner, associate, period_start=date(2026, 3, 1))
    fee, research, _ = lines_of(prebill)
    prebill_line_write_amount(line=fee, adjustment_minor=-7500, actor=admin_user)
    prebill_line_set_no_charge(line=research, is_no_charge=True, actor=admin_user)
    prebill_query_add(prebill=prebill, line=fee, question="All on the complaint?", actor=admin_user)
    return prebill


def test_the_status_choices_are_the_models(firm):
    assert PreBillStatus.values == STATUSES


def test_list_json(run_json, prebill, firm, client_acme, partner):
    second = make_prebill(firm, factories.make_matter(firm, client=client_acme, billing_attorney=partner,
                                                      number="ACME-002"),
                          work=[(partner, date(2026, 3, 9), "2", "Lease review")], status=PreBillStatus.IN_REVIEW)
    rows = run_json("prebill", "list")
    assert rows == [
        {"id": second.pk, "client": "ACME", "matter": "ACME-002", "period_start": None, "period_end": "2026-03-31",
         "status": "in_review", "lines": 1, "currency": "USD", "total_minor": 100000, "total": "1000.00",
         "invoices": []},
        {"id": prebill.pk, "client": "ACME", "matter": "ACME-001", "period_start": "2026-03-01",
         "period_end": "2026-03-31", "status": "draft", "lines": 3, "currency": "USD", "total_minor": 67545,
         "total": "675.45", "invoices": []},
    ]
    assert [row["id"] for row in run_json("prebill", "list", "--status", "draft")] == [prebill.pk]
    assert run_json("prebill", "list", "--status", "approved") == []


def test_a_held_line_is_not_counted(run_json, prebill, admin_user):
    prebill_line_hold(line=lines_of(prebill)[2], actor=admin_user)
    [row] = run_json("prebill", "list")
    assert (row["lines"], row["total_minor"]) == (2, 67500)


def test_list_human(run, prebill):
    result = run("prebill", "list")
    assert result.exit_code == 0
    header, row = result.stdout.splitlines()
    assert header.split() == ["ID", "CLIENT", "MATTER", "PERIOD", "STATUS", "LINES", "TOTAL"]
    assert row.split() == [str(prebill.pk), "ACME", "ACME-001", "2026-03-01..2026-03-31", "draft", "3", "675.45",
                           "USD"]


def test_list_empty_and_bad_status(run, firm):
    assert run("prebill", "list").stdout == "no pre-bills\n"
    result = run("prebill", "list", "--status", "paid")
    assert (result.exit_code, result.stderr) == (1, "lexbill: error: --status: 'paid' is not one of 'draft', "
                                                    "'in_review', 'approved', 'issued', 'cancelled'.\n")


def test_show_json(run_json, prebill, associate):
    fee, research, copies = lines_of(prebill)
    out = run_json("prebill", "show", str(prebill.pk))
    assert {k: out[k] for k in ("id", "client", "matter", "status", "currency", "period_start", "period_end")} == {
        "id": prebill.pk, "client": "ACME", "matter": "ACME-001", "status": "draft", "currency": "USD",
        "period_start": "2026-03-01", "period_end": "2026-03-31"}
    assert out["lines"][0] == {
        "id": fee.pk, "position": 1, "kind": "fee", "date": "2026-03-02", "timekeeper": "RA", "hours_worked": "1.5",
        "hours_billed": "1.5", "rate_minor": 50000, "quantity": None, "unit_cost_minor": None, "base_minor": 75000,
        "adjustment_minor": -7500, "total_minor": 67500, "narrative": "Draft complaint", "task_code": "L120",
        "activity_code": "A104", "expense_code": "", "is_no_charge": False, "open_query": "All on the complaint?",
        "code_problems": [],
        "rate": "500.00", "unit_cost": None, "base": "750.00", "adjustment": "-75.00", "total": "675.00"}
    assert [x["open_query"] for x in out["lines"]] == ["All on the complaint?", None, None]
    assert (out["lines_missing_codes"], out["missing_codes"], out["open_queries_override_reason"]) == (
        [], "refuse", "")
    assert [(x["id"], x["base_minor"], x["total_minor"], x["is_no_charge"]) for x in out["lines"][1:]] == [
        (research.pk, 0, 0, True), (copies.pk, 45, 45, False)]
    assert (out["lines"][2]["quantity"], out["lines"][2]["unit_cost_minor"], out["lines"][2]["expense_code"]) == (
        "3", 15, "E101")
    assert out["totals"] == {"fees_minor": 75000, "expenses_minor": 45, "adjustments_minor": -7500,
                             "subtotal_minor": 67545, "fees": "750.00", "expenses": "0.45", "adjustments": "-75.00",
                             "subtotal": "675.45"}
    [query] = out["open_queries"]
    assert (query["line"], query["question"], query["asked_by"]) == (fee.pk, "All on the complaint?",
                                                                    "admin@arnsley.example")


def test_show_human(run, prebill):
    result = run("prebill", "show", str(prebill.pk))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"pre-bill {prebill.pk}  ACME Acme Corp  matter ACME-001 Acme v. Widget Co."
    assert lines[1] == "period 2026-03-01..2026-03-31  status draft  currency USD"
    assert lines[3].split() == ["2026-03-02", "RA", "1.5", "1.5", "500.00", "750.00", "-75.00", "675.00",
                                "L120/A104", "Draft", "complaint", "[?", "query", "open:", "All", "on", "the",
                                "complaint?]"]
    assert lines[4].split() == ["2026-03-03", "JD", "0.3", "0.3", "300.00", "0.00", "0.00", "0.00", "L120/A104",
                                "Research", "[no", "charge]"]
    assert lines[5].split() == ["2026-03-04", "0.45", "0.00", "0.45", "E101", "Copies"]
    assert [line.split() for line in lines[6:10]] == [["fees:", "750.00", "USD"], ["expenses:", "0.45", "USD"],
                                                      ["adjustments:", "-75.00", "USD"], ["total:", "675.45", "USD"]]
    assert lines[10] == "open queries:"
    assert lines[11].startswith("  #") and lines[11].endswith(": All on the complaint?")


def test_show_an_unknown_or_other_firms_prebill_exits_1(run, prebill, other_firm):
    from django_scopes import scopes_disabled

    with scopes_disabled():
        foreign = make_prebill(other_firm, factories.make_matter(other_firm, number="O-1"))
    for missing in (prebill.pk + 1000, foreign.pk):
        result = run("prebill", "show", str(missing), "--firm", "arnsley")
        assert result.exit_code == 1
        assert result.stderr == f"lexbill: error: no pre-bill {missing} in firm arnsley\n"
    result = run("prebill", "show", "abc", "--firm", "arnsley")
    assert (result.exit_code, result.stderr) == (1, "lexbill: error: ID: 'abc' is not a valid integer.\n")


def _queries_for_show(run, prebill_id: int) -> int:
    with CaptureQueriesContext(connection) as ctx:
        result = run("prebill", "show", str(prebill_id), "--json")
    assert result.exit_code == 0
    return len(ctx.captured_queries)


def test_show_takes_the_same_number_of_queries_for_1_and_100_lines(run, firm, matter, partner, admin_user):
    small = make_prebill(firm, matter, work=[(partner, date(2026, 3, 2), "1", "One")])
    big = make_prebill(firm, matter, work=[(partner, date(2026, 3, 1 + i % 28), "0.1", f"Task {i}")
                                           for i in range(100)])
    for prebill in (small, big):
        prebill_query_add(prebill=prebill, line=lines_of(prebill)[0], question="Why?", actor=admin_user)
    # 4 + the lines with matters and clients for the UTBMS findings + the client's missing-codes setting
    assert _queries_for_show(run, small.pk) == _queries_for_show(run, big.pk) == 6


def test_an_issued_prebill_lists_the_lines_and_total_it_was_issued_with(run, run_json, firm, matter, partner,
                                                                         associate):
    issued = invoice_issue(prebill=approved_prebill(firm, matter, partner, associate), actor=None,
                           issued_on=ISSUED_ON)
    assert issued.prebill is not None
    [row] = run_json("prebill", "list")
    assert row == {"id": issued.prebill.pk, "client": "ACME", "matter": "ACME-001", "period_start": None,
                   "period_end": "2026-03-31", "status": "issued", "lines": 3, "currency": "USD",
                   "total_minor": 137510, "total": "1375.10", "invoices": [issued.number]}
    [line] = run("prebill", "list").stdout.splitlines()[1:]
    assert line.split()[-5:] == ["issued", "3", "1,375.10", "USD", issued.number]


def test_prebill_pdf_of_an_issued_prebill_exits_1_pointing_to_the_invoice(run, firm, matter, partner, associate,
                                                                          tmp_path):
    issued = invoice_issue(prebill=approved_prebill(firm, matter, partner, associate), actor=None,
                           issued_on=ISSUED_ON)
    assert issued.prebill is not None
    out = tmp_path / "pro-forma.pdf"
    result = run("prebill", "pdf", str(issued.prebill.pk), "-o", str(out))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"lexbill: error: pre-bill {issued.prebill.pk} is issued, so it has no pro forma: print invoice {issued.number} "
        "instead (lexbill invoice pdf NUMBER)"]
    assert not out.exists()


def test_code_a_line_and_refuse_a_bad_code_in_one_line(run, prebill):
    fee, _research, copies = lines_of(prebill)
    done = run("prebill", "code", str(prebill.pk), str(fee.pk), "--task", "l190", "--activity", "A103")
    assert (done.exit_code, done.stdout) == (0, f"line {fee.pk} of pre-bill {prebill.pk}: task L190 activity A103\n")
    bad = run("prebill", "code", str(prebill.pk), str(copies.pk), "--task", "L120")
    assert (bad.exit_code, bad.stderr) == (1, f"lexbill: error: line {copies.pk} is an expense line: it takes no task "
                                              "code\n")
    unknown = run("prebill", "code", str(prebill.pk), "999999", "--task", "L120")
    assert (unknown.exit_code, len(unknown.stderr.splitlines())) == (1, 1)
    fee.refresh_from_db()
    assert (fee.task_code, fee.activity_code) == ("L190", "A103")
