"""Small builders shared by the time-page tests (plain functions over the real services)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.models import EntryStatus, Expense, TimeEntry
from lexbill.timekeeping.services import expense_create, time_entry_create

HX = {"HTTP_HX_REQUEST": "true"}


def entry(firm: Any, matter: Any, timekeeper: Any, *, on: date = date(2026, 3, 2), hours: str = "1.0",
          narrative: str = "Drafted motion", **extra: Any) -> TimeEntry:
    return time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=timekeeper, worked_on=on,
                             duration=Duration(hours=Decimal(hours)), narrative=narrative, **extra)


def expense(firm: Any, matter: Any, *, on: date = date(2026, 3, 2), quantity: str = "1", unit_cost_minor: int = 1000,
            description: str = "Courier", **extra: Any) -> Expense:
    return expense_create(firm=firm, actor=None, matter=matter, incurred_on=on, quantity=Decimal(quantity),
                          unit_cost_minor=unit_cost_minor, description=description, **extra)


def mark_billed(row: TimeEntry | Expense) -> None:
    """Stand-in for the billing app (not built yet): the row is on an issued invoice."""
    type(row).objects.filter(pk=row.pk).update(status=EntryStatus.BILLED)
    row.refresh_from_db()


def snapshot_entry(row: TimeEntry) -> tuple[Any, ...]:
    row.refresh_from_db()
    return (row.worked_on, row.hours_worked, row.hours_billable, row.narrative, row.task_code, row.activity_code,
            row.charge_type, row.status)
