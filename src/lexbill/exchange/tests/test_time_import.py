"""Importing time: all rows or none, every bad row named, re-imports idempotent."""

from datetime import date
from decimal import Decimal

from lexbill.core.models import AuditEvent
from lexbill.exchange.rows import Problem
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.models import EntryStatus, TimeEntry
from lexbill.timekeeping.services import time_entry_create

from .helpers import TODAY, run_import, write_csv

HEADER = ["ref", "date", "timekeeper", "matter", "hours", "narrative", "task_code", "activity_code"]


def hundred_rows(bad_at: int | None = None) -> list[list[str]]:
    rows = [[f"PMS-{n}", f"2026-03-{1 + n % 28:02d}", "JD" if n % 2 else "RA", "ACME-001", "0.5",
             f"Work item {n}", "L120", "A104"] for n in range(100)]
    if bad_at is not None:
        rows[bad_at - 2][4] = "1,5x"
    return rows


def test_one_bad_row_of_a_hundred_imports_nothing_and_names_the_row(firm, matter, partner, associate, tmp_path):
    path = write_csv(tmp_path / "time.csv", HEADER, hundred_rows(bad_at=57))
    result = run_import(firm, "time", path)
    assert result.problems == [Problem(57, "hours", "not a number ('1,5x')")]
    assert str(result.problems[0]) == "row 57: hours: not a number ('1,5x')"
    assert result.summary() == "1 bad row of 100; nothing imported"
    assert TimeEntry.objects.count() == 0
    assert not AuditEvent.objects.filter(action="import.time").exists()


def test_the_fixed_file_imports_a_hundred_and_again_creates_none(firm, matter, partner, associate, tmp_path):
    path = write_csv(tmp_path / "time.csv", HEADER, hundred_rows())
    first = run_import(firm, "time", path)
    assert (first.created, first.updated, first.unchanged, first.problems) == (100, 0, 0, [])
    assert TimeEntry.objects.count() == 100
    entry = TimeEntry.objects.get(source_ref="PMS-57")
    assert (entry.worked_on, entry.timekeeper.initials, entry.hours_worked, entry.hours_billable, entry.narrative,
            entry.task_code, entry.activity_code) == (date(2026, 3, 2), "JD", Decimal("0.5"), Decimal("0.5"),
                                                      "Work item 57", "L120", "A104")
    again = run_import(firm, "time", path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 100)
    assert TimeEntry.objects.count() == 100
    event = AuditEvent.objects.filter(action="import.time").order_by("pk").first()
    assert event.after == {"rows": 100, "created": 100, "updated": 0, "unchanged": 0, "file_sha256": first.sha256}


def test_dry_run_counts_what_would_happen_and_writes_nothing(firm, matter, partner, associate, tmp_path):
    path = write_csv(tmp_path / "time.csv", HEADER, hundred_rows())
    result = run_import(firm, "time", path, dry_run=True)
    assert (result.created, result.updated, result.unchanged, result.dry_run) == (100, 0, 0, True)
    assert TimeEntry.objects.count() == 0
    assert not AuditEvent.objects.filter(action="import.time").exists()


def test_a_changed_row_updates_the_entry_with_that_ref(firm, matter, partner, associate, tmp_path):
    run_import(firm, "time", write_csv(tmp_path / "a.csv", HEADER, hundred_rows()))
    rows = hundred_rows()
    rows[10][5] = "Work item 10, revised"
    result = run_import(firm, "time", write_csv(tmp_path / "b.csv", HEADER, rows))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 99)
    assert TimeEntry.objects.get(source_ref="PMS-10").narrative == "Work item 10, revised"


def test_without_a_ref_column_a_fingerprint_keeps_reimports_idempotent(firm, matter, associate, tmp_path):
    header = ["date", "timekeeper", "matter", "hours", "narrative"]
    path = write_csv(tmp_path / "t.csv", header, [["2026-03-02", "jd", "ACME-001", "0.33", "Call"]])
    first = run_import(firm, "time", path)
    entry = TimeEntry.objects.get()
    assert first.created == 1
    assert entry.source_ref.startswith("fp:") and len(entry.source_ref) == 67
    assert entry.hours_worked == Decimal("0.4")  # rounded up to the 0.1 h increment, like the service
    assert run_import(firm, "time", path).unchanged == 1
    assert TimeEntry.objects.count() == 1


def test_hours_round_up_to_the_matters_increment(firm, matter, associate, tmp_path):
    matter.billing_increment_milli = 250
    matter.save()
    path = write_csv(tmp_path / "t.csv", ["date", "timekeeper", "matter", "hours", "hours_billable", "narrative"],
                     [["2026-03-02", "JD", "ACME-001", "1.01", "0.6", "Call"]])
    run_import(firm, "time", path)
    entry = TimeEntry.objects.get()
    assert (entry.hours_worked, entry.hours_billable) == (Decimal("1.25"), Decimal("0.75"))


def test_a_billed_entry_is_left_alone_when_unchanged_and_refused_when_changed(firm, matter, associate, tmp_path):
    entry = time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=associate,
                              worked_on=date(2026, 3, 2), duration=Duration(hours=Decimal("1")),
                              narrative="Hearing", source_ref="X-1", today=TODAY)
    TimeEntry.objects.filter(pk=entry.pk).update(status=EntryStatus.BILLED)
    header = ["ref", "date", "timekeeper", "matter", "hours", "narrative"]
    same = run_import(firm, "time", write_csv(tmp_path / "a.csv", header,
                                              [["X-1", "2026-03-02", "JD", "ACME-001", "1", "Hearing"]]))
    assert (same.unchanged, same.problems) == (1, [])
    changed = run_import(firm, "time", write_csv(tmp_path / "b.csv", header,
                                                 [["X-1", "2026-03-02", "JD", "ACME-001", "2", "Hearing"]]))
    assert [str(p) for p in changed.problems] == [
        "row 2: ref: billed: this entry can no longer be changed (it would change hours_worked)"]
    entry.refresh_from_db()
    assert entry.hours_worked == Decimal("1")
