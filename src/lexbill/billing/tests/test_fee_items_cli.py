"""`lexbill matter fee-item ...` and `lexbill matter recovery ...`."""

from __future__ import annotations

from datetime import date

import pytest

from lexbill.billing.models import FeeItem, Recovery
from lexbill.testing import factories


@pytest.fixture
def flat(firm, client_acme, partner):  # type: ignore[no-untyped-def]
    return factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-FLAT",
                                 fee_arrangement="flat", fee_amount_minor=2_000_000)


@pytest.fixture
def contingency(firm, client_acme, partner):  # type: ignore[no-untyped-def]
    return factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-CONT",
                                 fee_arrangement="contingency", fee_percent_bp=3333)


def test_add_a_milestone_mark_it_reached_and_list(run, run_json, flat):
    added = run_json("matter", "fee-item", "add", "ACME-FLAT", "--amount", "12500.50", "--description",
                     "Summary judgment", "--milestone", "--phase", "l200")
    assert (added["amount_minor"], added["task_code"], added["is_milestone"], added["due_on"]) == (
        1_250_050, "L200", True, None)

    result = run("matter", "fee-item", "reached", str(added["id"]))
    assert (result.exit_code, result.stdout) == (0, f"milestone {added['id']} reached: Summary judgment\n")
    listed = run_json("matter", "fee-item", "list", "ACME-FLAT")

    assert [(r["id"], r["state"], r["is_milestone_reached"]) for r in listed] == [
        (added["id"], "milestone reached", True)]


@pytest.mark.parametrize(("amount", "message"), [
    # main read "1,50" as 150.00: to_minor dropped the comma.
    ("1,50", "--amount: not an amount: '1,50' (write amounts like 1234.50: digits and a point, no separators)"),
    ("12,500.50", "--amount: not an amount: '12,500.50' (write amounts like 1234.50: digits and a point, "
                  "no separators)"),
    ("1e3", "--amount: not an amount: '1e3' (write amounts like 1234.50: digits and a point, no separators)"),
    ("100.005", "--amount: USD amounts have at most 2 decimals."),
    ("100.000", "--amount: USD amounts have at most 2 decimals."),
    ("NaN", "--amount: not an amount: 'NaN' (write amounts like 1234.50: digits and a point, no separators)"),
])
def test_an_amount_that_is_not_plain_is_refused_in_one_line(run, flat, amount, message):
    result = run("matter", "fee-item", "add", "ACME-FLAT", "--amount", amount, "--description", "Stage 1",
                 "--due", "2026-03-01")

    assert (result.exit_code, result.stderr) == (1, f"lexbill: error: {message}\n")
    assert not FeeItem.objects.exists()


def test_add_a_scheduled_item_in_human_form(run, flat):
    result = run("matter", "fee-item", "add", "ACME-FLAT", "--amount", "3000", "--description", "Stage 1",
                 "--due", "2026-05-01")
    item = FeeItem.objects.get()
    assert result.stdout == f"fee item {item.pk} on ACME-FLAT: Stage 1, 3,000.00 USD (due 2026-05-01)\n"
    assert (item.amount_minor, item.due_on) == (300_000, date(2026, 5, 1))


@pytest.mark.parametrize(("extra", "code", "message"), [
    ([], 1, "exactly one of --due DATE and --milestone"),
    (["--milestone", "--due", "2026-05-01"], 1, "exactly one of --due DATE and --milestone"),
    (["--milestone", "--amount", "1.005"], 1, "--amount: USD amounts have at most 2 decimals."),
    (["--milestone", "--amount", "-5"], 1, "--amount: -5 is negative: the amount must be zero or more"),
    (["--due", "May 1"], 1, '--due: "May 1" is not a date (YYYY-MM-DD)'),
])
def test_bad_fee_item_input_exits_with_one_line_and_writes_nothing(run, flat, extra, code, message):
    args = ["matter", "fee-item", "add", "ACME-FLAT", "--description", "Stage 1"]
    if "--amount" not in extra:
        args += ["--amount", "100"]
    result = run(*args, *extra)
    assert result.exit_code == code
    assert message in result.stderr and len(result.stderr.splitlines()) == 1
    assert FeeItem.objects.count() == 0


def test_unknown_matter_and_item_exit_1(run, flat):
    assert run("matter", "fee-item", "list", "NOPE").stderr == "lexbill: error: no matter NOPE in firm arnsley\n"
    result = run("matter", "fee-item", "reached", "999999")
    assert (result.exit_code, result.stderr) == (1, "lexbill: error: no fee item 999999 in firm arnsley\n")


def test_recovery_add_and_list_with_the_share(run, run_json, contingency):
    added = run_json("matter", "recovery", "add", "ACME-CONT", "--amount", "100000.00", "--on", "2026-03-20",
                     "--description", "Settlement")
    listed = run_json("matter", "recovery", "list", "ACME-CONT")

    assert [(r["id"], r["amount_minor"], r["share_minor"], r["state"]) for r in listed] == [
        (added["id"], 10_000_000, 3_333_000, "unbilled")]


def test_recovery_in_the_future_or_on_an_hourly_matter_is_refused(run, contingency, matter):
    future = run("matter", "recovery", "add", "ACME-CONT", "--amount", "10", "--on", "2999-01-01")
    hourly = run("matter", "recovery", "add", "ACME-001", "--amount", "10", "--on", "2026-01-01")
    assert (future.exit_code, future.stderr) == (1, "lexbill: error: 2999-01-01 is in the future\n")
    assert hourly.stderr == "lexbill: error: matter ACME-001 is not a contingency matter\n"
    assert Recovery.objects.count() == 0
