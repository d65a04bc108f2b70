from decimal import Decimal

import pytest

from lexbill.timekeeping.models import TimeEntry


@pytest.fixture
def base(matter, associate):
    return ["time", "add", "--timekeeper", "JD", "--matter", "ACME-001", "--on", "2026-03-02",
            "--narrative", "Telephone conference with client regarding discovery"]


def test_a_half_hour_call_from_two_to_half_past(run_json, base):
    out = run_json(*base, "--from", "14:00", "--to", "14:30", "--task", "L120", "--activity", "A106")
    assert out["hours_worked"] == "0.5"
    assert (out["timekeeper"], out["matter"], out["task_code"], out["activity_code"]) == ("JD", "ACME-001", "L120",
                                                                                       "A106")
    entry = TimeEntry.objects.get(pk=out["id"])
    assert (entry.hours_worked, entry.hours_billable, entry.status) == (Decimal("0.5"), Decimal("0.5"), "open")


def test_seven_minutes_bill_as_two_tenths(run_json, base):
    assert run_json(*base, "--minutes", "7")["hours_worked"] == "0.2"


def test_hours_round_up_to_the_increment(run_json, base):
    assert run_json(*base, "--hours", "1.33")["hours_worked"] == "1.4"


def test_no_charge_flag(run_json, base):
    assert run_json(*base, "--hours", "1", "--no-charge")["charge_type"] == "no_charge"


def test_human_output(run, base):
    result = run(*base, "--hours", "1.5")
    assert result.exit_code == 0
    assert result.stdout.startswith("recorded 1.5 h for JD on ACME-001 (2026-03-02), entry ")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--hours", "abc"], "not a number of hours: 'abc' (write hours like 1.25)"),
        (["--hours", "1e1"], "not a number of hours: '1e1' (write hours like 1.25)"),
        (["--hours", "0"], "hours must be more than zero"),
        (["--hours", "25"], "more than a day"),
        (["--from", "14:30", "--to", "14:00"], "is not after start"),
        (["--from", "14:00"], "needs both --from and --to"),
        (["--hours", "1", "--minutes", "30"], "exactly one"),
        (["--hours", "1", "--task", "X1"], "not a UTBMS task code"),
        (["--hours", "1", "--activity", "L120"], "not a UTBMS activity code"),
    ],
)
def test_bad_input_prints_one_line_exits_1_and_writes_nothing(run, base, extra, message):
    result = run(*base, *extra)
    assert result.exit_code == 1
    assert message in result.stderr and len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.output + result.stderr
    assert TimeEntry.objects.count() == 0


def test_domain_errors_exit_1_with_one_line(run, base):
    result = run(*base, "--hours", "1", "--matter", "NOPE")
    assert (result.exit_code, result.stderr) == (1, "lexbill: error: no matter NOPE in firm arnsley\n")
    result = run("time", "add", "--timekeeper", "ZZ", "--matter", "ACME-001", "--on", "2026-03-02",
                 "--hours", "1", "--narrative", "x")
    assert (result.exit_code, result.stderr) == (1, "lexbill: error: no timekeeper ZZ in firm arnsley\n")
    result = run(*base, "--hours", "1", "--on", "2999-01-01")
    assert result.exit_code == 1 and "is in the future" in result.stderr


def test_bad_usage_is_one_line_and_exit_1(run):
    result = run("time", "add", "--hours", "1")
    assert (result.exit_code, result.stderr) == (
        1, "lexbill: error: Missing option '--timekeeper'. (see `lexbill time add --help`)\n")
    result = run("no-such-command")
    assert (result.exit_code, result.stderr) == (
        1, "lexbill: error: No such command 'no-such-command'. (see `lexbill --help`)\n")


@pytest.mark.parametrize(("on", "line"), [
    ("03/12/2026", 'lexbill: error: --on: "03/12/2026" is not a date (YYYY-MM-DD)\n'),
    ("2026-13-01", 'lexbill: error: --on: "2026-13-01" is not a date (YYYY-MM-DD)\n'),
    ("2026-02-30", 'lexbill: error: --on: "2026-02-30" is not a date (YYYY-MM-DD)\n'),
    ("20260312", 'lexbill: error: --on: "20260312" is not a date (YYYY-MM-DD)\n'),
])
def test_a_bad_date_is_one_line_naming_the_option_and_exit_1(run, base, on, line):
    result = run(*[*base[:7], on, *base[8:]], "--hours", "1")
    assert (result.exit_code, result.stderr, result.stdout) == (1, line, "")
    assert TimeEntry.objects.count() == 0


def test_firm_must_be_named_when_there_are_several(run, base, other_firm):
    result = run(*base, "--hours", "1")
    assert (result.exit_code, result.stderr) == (1, "lexbill: error: several firms: choose one with --firm SLUG\n")
    assert run(*base, "--hours", "1", "--firm", "arnsley").exit_code == 0
    # the other firm has no such matter: firms never see each other's records
    result = run(*base, "--hours", "1", "--firm", "other")
    assert (result.exit_code, result.stderr) == (1, "lexbill: error: no matter ACME-001 in firm other\n")


def test_time_list(run_json, base, run):
    run(*base, "--hours", "1")
    rows = run_json("time", "list", "--matter", "ACME-001")
    assert [(r["timekeeper"], r["hours_worked"]) for r in rows] == [("JD", "1")]


def test_work_before_the_matter_opened_exits_1_in_one_line(run, base):
    dated = [*base[:7], "2025-12-31", *base[8:]]

    result = run(*dated, "--hours", "1")

    assert (result.exit_code, result.stderr) == (
        1, "lexbill: error: 2025-12-31 is before matter ACME-001 opened (2026-01-01)\n")
    assert not TimeEntry.objects.exists()
