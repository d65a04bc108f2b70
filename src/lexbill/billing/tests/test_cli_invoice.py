"""`lexbill prebill approve|reject` and `lexbill invoice issue|list|show|credit`."""

import json

import pytest

from lexbill.billing.models import Invoice, PreBill, TaxRate
from lexbill.testing import factories
from lexbill.testing.billing import make_prebill
from lexbill.testing.settings_rows import set_firm_settings

from .billing_helpers import MARCH_2, approved_prebill


@pytest.fixture
def prebill(firm, matter, partner, associate):
    TaxRate.objects.create(firm=firm, name="VAT", rate_ppm=200_000)
    set_firm_settings(firm, tax_method="on_total")
    return approved_prebill(firm, matter, partner, associate, status="in_review")


def test_approve_issue_show_and_credit(run, prebill):
    assert run("prebill", "approve", str(prebill.pk)).stdout == f"pre-bill {prebill.pk} approved\n"
    result = run("invoice", "issue", str(prebill.pk), "--on", "2026-04-02", "--json")
    assert result.exit_code == 0, result.stderr
    [issued] = json.loads(result.stdout)
    assert (issued["number"], issued["due_on"], issued["subtotal_minor"], issued["tax_minor"],
            issued["total_minor"]) == ("2026-00001", "2026-05-02", 137510, 27502, 165012)
    shown = json.loads(run("invoice", "show", "2026-00001", "--json").stdout)
    assert [(x["total_minor"], x["tax_minor"]) for x in shown["lines"]] == [(75000, 15000), (60000, 12000),
                                                                          (2510, 502)]
    assert shown["taxes"] == [{"name": "VAT", "rate_ppm": 200000, "taxable_minor": 137510, "taxable": "1375.10",
                               "tax_minor": 27502, "tax": "275.02"}]
    text = run("invoice", "show", "2026-00001").stdout
    assert "total 1,650.12 USD" in text and "tax VAT on 1,375.10 USD: 275.02 USD" in text
    note = json.loads(run("invoice", "credit", "2026-00001", "--amount", "100.00", "--reason", "Goodwill",
                          "--on", "2026-04-20", "--json").stdout)
    assert (note["number"], note["credits"], note["subtotal_minor"], note["tax_minor"], note["total_minor"]) == (
        "CN2026-00001", "2026-00001", -10000, -2000, -12000)
    listed = json.loads(run("invoice", "list", "--json").stdout)
    assert [(x["number"], x["kind"], x["total_minor"]) for x in listed] == [
        ("2026-00001", "invoice", 165012), ("CN2026-00001", "credit_note", -12000)]


def test_issue_all_approved(run, firm, matter, partner, prebill):
    make_prebill(firm, matter, work=[(partner, MARCH_2, "1", "Call")], status="approved")
    run("prebill", "approve", str(prebill.pk))
    result = run("invoice", "issue", "--all-approved", "--on", "2026-04-02")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "2 invoice(s) issued"
    assert sorted(Invoice.objects.values_list("number", flat=True)) == ["2026-00001", "2026-00002"]


def test_approve_as_a_user_who_may_not_is_refused(run, firm, prebill):
    factories.make_user(firm, email="acct@arnsley.example", role="accounting")
    result = run("prebill", "approve", str(prebill.pk), "--as", "acct@arnsley.example")
    assert result.exit_code == 1
    # --as is checked by lexbill.access before the command runs (the same answer as the web and the API).
    assert result.stderr == ("lexbill: error: your role (accounting) may not approve or reject this pre-bill "
                             "(only the matter's billing attorney or a billing admin)\n")
    assert PreBill.objects.get(pk=prebill.pk).status == "in_review"


def test_reject_with_a_reason(run, prebill, admin_user):
    result = run("prebill", "reject", str(prebill.pk), "--reason", "Block billing", "--as", admin_user.email)
    assert result.stdout == f"pre-bill {prebill.pk} rejected: back to draft\n"
    assert PreBill.objects.get(pk=prebill.pk).rejected_reason == "Block billing"


def test_refusals_exit_1_with_one_line_and_change_nothing(run, prebill):
    result = run("invoice", "issue", str(prebill.pk))
    assert (result.exit_code, result.stderr) == (
        1, f"lexbill: error: pre-bill {prebill.pk} is in review: only an approved pre-bill can be issued\n")
    assert run("invoice", "show", "NOPE").stderr == "lexbill: error: no invoice NOPE in firm arnsley\n"
    assert run("prebill", "approve", "999999").stderr == "lexbill: error: no pre-bill 999999 in firm arnsley\n"
    assert run("prebill", "approve", str(prebill.pk), "--as", "nobody@x.example").exit_code == 1
    assert Invoice.objects.count() == 0


def test_bad_usage_exits_1_with_one_line(run, prebill):
    for args in (["invoice", "issue"], ["invoice", "issue", "1", "--all-approved"],
                 ["invoice", "credit", "X", "--reason", "r"], ["prebill", "reject", str(prebill.pk)],
                 ["invoice", "issue", str(prebill.pk), "--on", "02/04/2026"]):
        result = run(*args)
        assert (result.exit_code, len(result.stderr.splitlines())) == (1, 1), args
    assert run("invoice", "issue", str(prebill.pk), "--on", "02/04/2026").stderr == (
        'lexbill: error: --on: "02/04/2026" is not a date (YYYY-MM-DD)\n')
    assert Invoice.objects.count() == 0
