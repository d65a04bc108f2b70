"""Every rule the services apply refuses the row on import too; nothing is written."""

from datetime import date
from decimal import Decimal

import pytest

from lexbill.clients.models import Client, Matter
from lexbill.core.errors import ValidationFailed
from lexbill.core.models import AuditEvent
from lexbill.rates.models import Rate
from lexbill.staff.models import Timekeeper
from lexbill.testing import factories
from lexbill.timekeeping.models import Expense, TimeEntry

from .helpers import run_import, write_csv

TIME_HEADER = ["ref", "date", "timekeeper", "matter", "hours", "narrative", "task_code", "activity_code",
               "charge_type"]
GOOD_TIME = ["R-1", "2026-03-02", "JD", "ACME-001", "1.0", "Call", "L120", "A106", "billable"]


def _time_row(**changes: str) -> list[str]:
    row = dict(zip(TIME_HEADER, GOOD_TIME, strict=True))
    row.update(changes)
    return list(row.values())


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"date": "2026-04-01"}, "row 3: date: 2026-04-01 is in the future"),
        ({"date": "2025-12-31"}, "row 3: date: 2025-12-31 is before matter ACME-001 opened (2026-01-01)"),
        ({"date": "2026-3-2"}, "row 3: date: not a date YYYY-MM-DD ('2026-3-2')"),
        ({"hours": "0"}, "row 3: hours: hours must be more than zero"),
        ({"hours": "25"}, "row 3: hours: 25 h is more than a day"),
        ({"hours": "1,5x"}, "row 3: hours: not a number ('1,5x')"),
        ({"task_code": "X12"}, "row 3: task_code: 'X12' is not a UTBMS task code"),
        ({"activity_code": "B101"}, "row 3: activity_code: 'B101' is not a UTBMS activity code"),
        ({"timekeeper": "ZZ"}, "row 3: timekeeper: no timekeeper with initials 'ZZ'"),
        ({"matter": "NOPE-1"}, "row 3: matter: no matter with number 'NOPE-1'"),
        ({"narrative": " "}, "row 3: narrative: is required"),
        ({"charge_type": "free"}, "row 3: charge_type: 'free' is not one of billable, no_charge, non_billable"),
        ({"ref": "R-1"}, "row 3: ref: same record as row 2"),
        ({"ref": "x" * 81}, "row 3: ref: longer than 80 characters"),
    ],
)
def test_a_bad_time_row_is_refused_and_nothing_is_written(firm, matter, associate, tmp_path, changes, expected):
    changes.setdefault("ref", "R-2")
    path = write_csv(tmp_path / "t.csv", TIME_HEADER, [GOOD_TIME, _time_row(**changes)])
    result = run_import(firm, "time", path)
    assert [str(p) for p in result.problems] == [expected]
    assert TimeEntry.objects.count() == 0


def test_closed_matters_and_inactive_timekeepers_are_refused(firm, matter, partner, associate, tmp_path):
    closed = factories.make_matter(firm, client=matter.client, billing_attorney=partner, number="ACME-002",
                                   status="closed", closed_on=date(2026, 2, 1))
    associate.is_active = False
    associate.save()
    rows = [_time_row(ref="R-1", timekeeper="RA", matter=closed.number), _time_row(ref="R-2")]
    result = run_import(firm, "time", write_csv(tmp_path / "t.csv", TIME_HEADER, rows))
    assert [str(p) for p in result.problems] == ["row 2: matter: matter ACME-002 is closed",
                                                 "row 3: timekeeper: timekeeper JD is inactive"]
    assert result.summary() == "2 bad rows of 2; nothing imported"
    assert TimeEntry.objects.count() == 0


def test_billable_hours_above_hours_worked_are_refused(firm, matter, associate, tmp_path):
    header = [*TIME_HEADER, "hours_billable"]
    result = run_import(firm, "time", write_csv(tmp_path / "t.csv", header, [[*GOOD_TIME, "1.5"]]))
    assert [str(p) for p in result.problems] == [
        "row 2: hours_billable: hours billable (1.5) cannot be more than hours worked (1): write the line up in the "
        "pre-bill review instead"]
    assert TimeEntry.objects.count() == 0


def test_a_day_over_24_hours_counts_the_file_and_the_database(firm, matter, associate, tmp_path):
    from lexbill.timekeeping.domain import Duration
    from lexbill.timekeeping.services import time_entry_create

    time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=associate, worked_on=date(2026, 3, 2),
                      duration=Duration(hours=Decimal(20)), narrative="Trial", today=date(2026, 3, 31))
    rows = [_time_row(ref="R-1", hours="3"), _time_row(ref="R-2", hours="1.5"),
            _time_row(ref="R-3", hours="8", date="2026-03-03")]
    result = run_import(firm, "time", write_csv(tmp_path / "t.csv", TIME_HEADER, rows))
    message = "JD would have 24.5 h on 2026-03-02 (20 h already recorded): more than 24 h in one day"
    assert [str(p) for p in result.problems] == [f"row 2: hours: {message}", f"row 3: hours: {message}"]
    assert TimeEntry.objects.count() == 1


def test_a_re_import_counts_an_updated_entry_once(firm, matter, associate, tmp_path):
    first = run_import(firm, "time", write_csv(tmp_path / "a.csv", TIME_HEADER, [
        _time_row(ref="R-1", hours="12"), _time_row(ref="R-2", hours="12")]))
    assert (first.created, first.problems) == (2, [])
    same_day = run_import(firm, "time", write_csv(tmp_path / "b.csv", TIME_HEADER, [
        _time_row(ref="R-1", hours="12"), _time_row(ref="R-2", hours="11")]))
    assert (same_day.updated, same_day.unchanged, same_day.problems) == (1, 1, [])
    over = run_import(firm, "time", write_csv(tmp_path / "c.csv", TIME_HEADER, [
        _time_row(ref="R-1", hours="12"), _time_row(ref="R-2", hours="12.5")]))
    assert [str(p) for p in over.problems] == [
        "row 3: hours: JD would have 24.5 h on 2026-03-02 (12 h already recorded): more than 24 h in one day"]
    assert sorted(TimeEntry.objects.values_list("hours_worked", flat=True)) == [Decimal(11), Decimal(12)]


EXPENSE_HEADER = ["ref", "date", "matter", "timekeeper", "expense_code", "description", "quantity", "unit_cost",
                  "amount", "currency", "cost_type"]
GOOD_EXPENSE = ["E-1", "2026-03-02", "ACME-001", "JD", "E101", "Copies", "3", "0.15", "0.45", "USD", "soft"]


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("amount", "0.46", "row 2: amount: 0.46 is not quantity x unit cost (3 x 0.15)"),
        ("currency", "EUR", "row 2: currency: matter ACME-001 is billed in USD, not EUR"),
        ("unit_cost", "-1", "row 2: unit_cost: -1 is negative: the amount must be zero or more"),
        ("unit_cost", "0.155", "row 2: unit_cost: USD amounts have at most 2 decimals."),
        ("unit_cost", "0.00", "row 2: unit_cost: an expense must be more than 0 (quantity x unit cost is 0.00 USD)"),
        ("unit_cost", "1,50", "row 2: unit_cost: not an amount: '1,50' (write USD amounts like 1234.50: digits and a "
                              "point, no separators)"),
        ("quantity", "0", "row 2: quantity: quantity must be more than zero"),
        ("expense_code", "E1", "row 2: expense_code: 'E1' is not a UTBMS expense code"),
        ("cost_type", "medium", "row 2: cost_type: 'medium' is not one of hard, soft"),
        ("date", "2026-04-01", "row 2: date: 2026-04-01 is in the future"),
    ],
)
def test_a_bad_expense_row_is_refused(firm, matter, associate, tmp_path, column, value, expected):
    row = list(GOOD_EXPENSE)
    row[EXPENSE_HEADER.index(column)] = value
    result = run_import(firm, "expenses", write_csv(tmp_path / "e.csv", EXPENSE_HEADER, [row]))
    assert [str(p) for p in result.problems] == [expected]
    assert Expense.objects.count() == 0


def test_a_good_expense_is_priced_like_the_service(firm, matter, associate, tmp_path):
    row = list(GOOD_EXPENSE)
    row[6:9] = ["2.5", "19.99", ""]
    result = run_import(firm, "expenses", write_csv(tmp_path / "e.csv", EXPENSE_HEADER, [row]))
    assert result.created == 1
    assert Expense.objects.get().amount_minor == 4998  # 2.5 x 1999 = 4997.5, half-up


RATE_HEADER = ["timekeeper", "classification", "client", "matter", "effective_on", "rate", "currency"]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (["JD", "AS", "ACME", "", "2026-01-01", "300"],
         "row 2: timekeeper: give a timekeeper or a classification (exactly one)"),
        (["", "", "ACME", "", "2026-01-01", "300"],
         "row 2: timekeeper: give a timekeeper or a classification (exactly one)"),
        (["", "AS", "", "", "2026-01-01", "300"],
         "row 2: classification: a classification rate needs a client or a matter"),
        (["JD", "", "ACME", "ACME-001", "2026-01-01", "300"],
         "row 2: matter: a rate is for a client or for a matter, not both"),
        (["JD", "", "ACME", "", "2026-01-01", "-300"], "row 2: rate: -300 is negative: the amount must be zero or more"),
        (["JD", "", "ACME", "", "2026-01-01", "300.001"], "row 2: rate: USD amounts have at most 2 decimals."),
        (["JD", "", "ACME", "", "2026-01-01", "300", "JPYY"], "row 2: currency: unknown currency 'JPYY': use an ISO 4217 currency code, e.g. USD, EUR, GBP, JPY"),
    ],
)
def test_a_bad_rate_is_refused(firm, matter, associate, tmp_path, row, expected):
    row = row + [""] * (len(RATE_HEADER) - len(row))
    result = run_import(firm, "rates", write_csv(tmp_path / "r.csv", RATE_HEADER, [row]))
    assert [str(p) for p in result.problems] == [expected]
    assert Rate.objects.count() == 0


def test_a_client_with_matters_cannot_change_currency(firm, matter, tmp_path):
    header = ["code", "name", "currency"]
    result = run_import(firm, "clients", write_csv(tmp_path / "c.csv", header,
                                                   [["NEW", "New Co", "EUR"], ["ACME", "Acme Corp", "EUR"]]))
    assert [str(p) for p in result.problems] == [
        "row 3: currency: the currency of a client with matters cannot change"]
    assert list(Client.objects.values_list("code", "currency")) == [("ACME", "USD")]


def test_a_matter_in_another_currency_than_its_client_is_refused(firm, client_acme, partner, tmp_path):
    header = ["number", "client", "name", "billing_attorney", "opened_on", "currency", "budget"]
    result = run_import(firm, "matters", write_csv(tmp_path / "m.csv", header, [
        ["ACME-009", "ACME", "Deal", "RA", "2026-01-05", "EUR", "1000.00"],
        ["ACME-010", "ACME", "Deal", "XX", "2026-01-05", "", "10.005"],
    ]))
    assert [str(p) for p in result.problems] == [
        "row 2: currency: matter currency EUR differs from the client's USD",
        "row 3: billing_attorney: no timekeeper with initials 'XX'",
        "row 3: budget: USD amounts have at most 2 decimals.",
    ]
    assert Matter.objects.count() == 0


def test_a_bad_timekeeper_is_refused_and_a_good_one_updated(firm, partner, tmp_path):
    header = ["initials", "first_name", "last_name", "classification", "standard_rate", "active"]
    bad = run_import(firm, "timekeepers", write_csv(tmp_path / "a.csv", header, [
        ["ra", "Robert", "Arnsley", "PT", "550.00", "yes"], ["NEW", "Nina", "", "XX", "abc", "maybe"]]))
    assert [str(p) for p in bad.problems] == [
        "row 3: last_name: is required",
        "row 3: classification: 'XX' is not one of PT, AS, OC, LA, OT",
        "row 3: standard_rate: not an amount: 'abc' (write USD amounts like 1234.50: digits and a point, no separators)",
        "row 3: active: not yes or no ('maybe')",
    ]
    assert list(Timekeeper.objects.values_list("initials", "standard_rate_minor")) == [("RA", 50000)]
    good = run_import(firm, "timekeepers", write_csv(tmp_path / "b.csv", header, [
        ["ra", "Robert", "Arnsley", "partner", "550.00", "no"]]))
    assert (good.created, good.updated, good.unchanged) == (0, 1, 0)
    assert list(Timekeeper.objects.values_list("initials", "standard_rate_minor", "is_active")) == [
        ("RA", 55000, False)]


def test_header_problems_are_one_clear_error(firm, tmp_path):
    path = write_csv(tmp_path / "t.csv", ["Date", "TIMEKEEPER", "hours", "Narrative", "billing_rate"], [])
    with pytest.raises(ValidationFailed) as caught:
        run_import(firm, "time", path)
    assert str(caught.value) == (
        "time file: unknown column: billing_rate; missing required column: matter (expected columns: ref, date, "
        "timekeeper, matter, hours, hours_billable, narrative, task_code, activity_code, charge_type)")
    assert not AuditEvent.objects.filter(action="import.time").exists()


def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused_in_one_line(firm, tmp_path):
    from click.testing import CliRunner

    from lexbill.cli.main import _register, cli

    path = tmp_path / "clients.xlsx"
    path.write_bytes(b"code,name\nACME,Acme\n")  # a CSV renamed: not a zip archive
    _register()

    result = CliRunner().invoke(cli, ["import", "clients", str(path)])

    assert (result.exit_code, result.output) == (1, "lexbill: error: clients.xlsx is not a readable XLSX workbook\n")
