"""XLSX files typed by people (numbers and dates as cells), and upserts of records and rates."""

from datetime import date, datetime

from openpyxl import Workbook

from lexbill.clients.models import Matter
from lexbill.core.models import AuditEvent
from lexbill.rates.models import Rate
from lexbill.timekeeping.models import Expense, TimeEntry

from .helpers import run_import, write_csv


def test_an_xlsx_with_number_and_date_cells_imports_exactly(firm, matter, associate, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Date", "Matter", "Description", "Quantity", "Unit_Cost", "Amount"])
    sheet.append([datetime(2026, 3, 2), "ACME-001", "Copies", 3, 0.1, 0.3])
    sheet.append([date(2026, 3, 3), "ACME-001", "Courier", 2.5, 19.99, 49.98])
    path = tmp_path / "expenses.xlsx"
    book.save(path)
    result = run_import(firm, "expenses", path)
    assert (result.created, result.problems) == (2, [])
    assert list(Expense.objects.order_by("incurred_on").values_list("incurred_on", "unit_cost_minor",
                                                                    "amount_minor")) == [
        (date(2026, 3, 2), 10, 30), (date(2026, 3, 3), 1999, 4998)]


def test_a_bad_xlsx_row_is_named_by_its_sheet_row(firm, matter, associate, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["date", "timekeeper", "matter", "hours", "narrative"])
    sheet.append([date(2026, 3, 2), "JD", "ACME-001", 1.5, "Call"])
    sheet.append([None, None, None, None, None])
    sheet.append([date(2026, 3, 2), "JD", "ACME-001", "lots", "Call"])
    path = tmp_path / "time.xlsx"
    book.save(path)
    result = run_import(firm, "time", path)
    assert [str(p) for p in result.problems] == ["row 4: hours: not a number ('lots')"]
    assert TimeEntry.objects.count() == 0


def test_a_changed_rate_and_matter_are_updated_with_an_audit_event(firm, matter, associate, tmp_path):
    header = ["timekeeper", "classification", "client", "matter", "effective_on", "rate"]
    run_import(firm, "rates", write_csv(tmp_path / "a.csv", header, [["JD", "", "", "ACME-001", "2026-01-01", "300"]]))
    result = run_import(firm, "rates", write_csv(tmp_path / "b.csv", header,
                                                 [["jd", "", "", "ACME-001", "2026-01-01", "310.50"]]))
    assert (result.created, result.updated) == (0, 1)
    assert list(Rate.objects.values_list("rate_minor", "currency")) == [(31050, "USD")]
    assert AuditEvent.objects.filter(action="rate.update").get().after == {"rate_minor": 31050}
    matters = write_csv(tmp_path / "m.csv", ["number", "client", "name", "billing_attorney", "opened_on", "status",
                                             "closed_on", "fee_percent"],
                        [["ACME-001", "ACME", "Acme v. Widget Co.", "RA", "2026-01-01", "closed", "2026-03-01",
                          "33.33"]])
    updated = run_import(firm, "matters", matters)
    assert (updated.created, updated.updated, updated.problems) == (0, 1, [])
    matter = Matter.objects.get()
    assert (matter.status, matter.closed_on, matter.fee_percent_bp) == ("closed", date(2026, 3, 1), 3333)


def test_a_matters_retainer_month_rules_are_imported_and_a_bad_one_is_named(firm, matter, tmp_path):
    header = ["number", "client", "name", "billing_attorney", "opened_on", "retainer_first_month",
              "retainer_last_month"]
    good = run_import(firm, "matters", write_csv(tmp_path / "m.csv", header, [
        ["ACME-001", "ACME", "Acme v. Widget Co.", "RA", "2026-01-01", "prorated", "none"]]))
    bad = run_import(firm, "matters", write_csv(tmp_path / "bad.csv", header, [
        ["ACME-001", "ACME", "Acme v. Widget Co.", "RA", "2026-01-01", "half", ""]]))

    assert (good.updated, good.problems) == (1, [])
    assert [(p.row, p.column, p.message) for p in bad.problems] == [
        (2, "retainer_first_month", "'half' is not one of full, prorated, none")]
    matter.refresh_from_db()
    assert (matter.retainer_first_month, matter.retainer_last_month) == ("prorated", "none")
