"""Small builders for exchange tests: files on disk and the records they refer to."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from lexbill.exchange.importers import ImportResult, import_file
from lexbill.rates.services import rate_create
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.services import expense_create, time_entry_create

TODAY = date(2026, 3, 31)


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run_import(firm, kind: str, path: Path, **kwargs) -> ImportResult:  # type: ignore[no-untyped-def]
    kwargs.setdefault("today", TODAY)
    return import_file(firm=firm, kind=kind, path=path, **kwargs)


def seed_records(firm, matter, partner, associate, client_acme):  # type: ignore[no-untyped-def]
    """One of everything, through the services, so every kind has rows to export."""
    rate_create(firm=firm, actor=None, timekeeper=associate, matter=matter, effective_on=date(2026, 1, 1),
                rate_minor=32500, note="2026 matter rate")
    rate_create(firm=firm, actor=None, classification="PT", client=client_acme, effective_on=date(2026, 1, 1),
                rate_minor=55000)
    time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=associate, worked_on=date(2026, 3, 2),
                      duration=Duration(hours=Decimal("1.25")), narrative="Draft motion, \"urgent\"; call client",
                      task_code="L210", activity_code="A103", today=TODAY)
    time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=partner, worked_on=date(2026, 3, 3),
                      duration=Duration(hours=Decimal("0.3")), narrative="Review draft", today=TODAY,
                      source_ref="PMS-1001")
    expense_create(firm=firm, actor=None, matter=matter, incurred_on=date(2026, 3, 4), description="Courier",
                   unit_cost_minor=1999, quantity=Decimal("2.5"), expense_code="E107", today=TODAY)
