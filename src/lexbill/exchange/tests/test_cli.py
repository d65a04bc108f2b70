"""`lexbill import` / `lexbill export` through click: exit codes 0/1/2 and their messages."""

import json

import pytest

from lexbill.timekeeping.models import TimeEntry

from .helpers import write_csv

HEADER = ["ref", "date", "timekeeper", "matter", "hours", "narrative"]


@pytest.fixture
def lexbill(run):  # type: ignore[no-untyped-def]
    return run


def _rows(bad: bool = False) -> list[list[str]]:
    rows = [[f"R-{n}", "2026-03-02", "JD", "ACME-001", "0.5", f"Item {n}"] for n in range(3)]
    if bad:
        rows[1][4] = "1,5x"
        rows[2][1] = "2026-02-30"
    return rows


def test_import_reports_every_bad_row_and_exits_1(lexbill, firm, matter, associate, tmp_path):
    path = write_csv(tmp_path / "t.csv", HEADER, _rows(bad=True))
    result = lexbill("import", "time", str(path), "--firm", "arnsley")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "lexbill: error: 2 bad rows of 3; nothing imported",
        "  row 3: hours: not a number ('1,5x')",
        "  row 4: date: not a date YYYY-MM-DD ('2026-02-30')",
    ]
    assert TimeEntry.objects.count() == 0


def test_import_json_lists_the_errors(lexbill, firm, matter, associate, tmp_path):
    path = write_csv(tmp_path / "t.csv", HEADER, _rows(bad=True))
    result = lexbill("import", "time", str(path), "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["ok"], data["rows"], data["created"]) == (False, 3, 0)
    assert data["errors"][0] == {"row": 3, "column": "hours", "message": "not a number ('1,5x')"}


def test_import_dry_run_then_import_then_again(lexbill, firm, matter, associate, tmp_path):
    path = write_csv(tmp_path / "t.csv", HEADER, _rows())
    dry = lexbill("import", "time", str(path), "--dry-run")
    assert (dry.exit_code, dry.stdout.strip()) == (
        0, "time: 3 rows read; 3 would be created, 0 updated, 0 unchanged (dry run, nothing written)")
    assert TimeEntry.objects.count() == 0
    done = lexbill("import", "time", str(path))
    assert (done.exit_code, done.stdout.strip()) == (0, "time: 3 rows read; 3 were created, 0 updated, 0 unchanged")
    again = lexbill("import", "time", str(path), "--json")
    assert again.exit_code == 0
    assert {k: json.loads(again.stdout)[k] for k in ("created", "updated", "unchanged")} == {
        "created": 0, "updated": 0, "unchanged": 3}
    assert TimeEntry.objects.count() == 3


def test_a_header_problem_is_one_line_and_exit_1(lexbill, firm, tmp_path):
    path = write_csv(tmp_path / "t.csv", ["date", "hours"], [])
    result = lexbill("import", "time", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith("lexbill: error: time file: missing required columns: timekeeper, matter, "
                                    "narrative (expected columns:")
    assert len(result.stderr.splitlines()) == 1


def test_bad_usage_exits_1_with_one_line(lexbill, firm, tmp_path):
    for args in (["import", "invoices", str(tmp_path / "x.csv")], ["import", "time", str(tmp_path / "missing.csv")],
                 ["export", "time"],  # -o is required
                 ["export", "time", "-o", "-", "--format", "xlsx"]):
        result = lexbill(*args)
        assert (result.exit_code, len(result.stderr.splitlines())) == (1, 1), args
        assert result.stderr.startswith("lexbill: error: "), args


def test_export_writes_csv_and_xlsx(lexbill, firm, matter, associate, tmp_path):
    lexbill("import", "time", str(write_csv(tmp_path / "t.csv", HEADER, _rows())))
    out = tmp_path / "out.csv"
    result = lexbill("export", "time", "-o", str(out))
    assert (result.exit_code, result.stdout.strip()) == (0, f"exported 3 time rows to {out} (csv)")
    assert out.read_text(encoding="utf-8").splitlines()[:2] == [
        "ref,date,timekeeper,matter,hours,hours_billable,narrative,task_code,activity_code,charge_type",
        "R-0,2026-03-02,JD,ACME-001,0.5,0.5,Item 0,,,billable",
    ]
    xlsx = tmp_path / "out.xlsx"
    assert lexbill("export", "time", "-o", str(xlsx), "--json").exit_code == 0
    assert lexbill("import", "time", str(xlsx)).stdout.strip() == (
        "time: 3 rows read; 0 were created, 0 updated, 3 unchanged")
    stdout = lexbill("export", "timekeepers", "-o", "-")
    assert stdout.stdout.splitlines() == [
        "initials,first_name,last_name,title,classification,standard_rate,active",
        "JD,Jane,Doe,,AS,300.00,yes",
        "RA,Robert,Arnsley,,PT,500.00,yes",
    ]
