"""20,000 time rows import, re-import and export with a bounded number of queries (timings: `make bench`)."""

from datetime import date, timedelta

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
    # Valid work: about 111 six-minute entries (11.1 h) a day for each of two timekeepers, from the day the
    # matter opened (2026-01-01) over 90 days, so no day passes 24 h.
    rows = [[f"PMS-{n}", (date(2026, 1, 1) + timedelta(days=(n // 2) % 90)).isoformat(), "JD" if n % 2 else "RA",
             "ACME-001", "0.1", f"Work item {n}", "L120", "A104"] for n in range(ROWS)]
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
