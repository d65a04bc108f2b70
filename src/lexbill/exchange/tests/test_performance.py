"""20,000 time rows import, re-import and export with a bounded number of queries (timings: `make bench`)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lexbill.exchange.exporters import export_file
from lexbill.timekeeping.models import TimeEntry

from .helpers import run_import, write_csv

ROWS = 20_000


@pytest.mark.slow
def test_twenty_thousand_time_rows(firm, matter, partner, associate, tmp_path):
    header = ["ref", "date", "timekeeper", "matter", "hours", "narrative", "task_code", "activity_code"]
    rows = [[f"PMS-{n}", f"2026-03-{1 + n % 28:02d}", "JD" if n % 2 else "RA", "ACME-001", "0.25",
             f"Work item {n}", "L120", "A104"] for n in range(ROWS)]
    path = write_csv(tmp_path / "time.csv", header, rows)
    with CaptureQueriesContext(connection) as queries:
        result = run_import(firm, "time", path)
    assert (result.created, result.problems) == (ROWS, [])
    assert TimeEntry.objects.count() == ROWS
    # Lookups, chunked ref checks, batched inserts (SQLite caps a batch at 999 parameters), the audit event.
    assert len(queries) < ROWS // 40
    again = run_import(firm, "time", path)
    assert again.unchanged == ROWS
    out = tmp_path / "out.xlsx"
    assert export_file(firm=firm, kind="time", path=out, fmt="xlsx") == ROWS
