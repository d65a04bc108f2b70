"""`import_file`: read a CSV or XLSX file and import it as one kind, all rows or none."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from lexbill.core.errors import ValidationFailed
from lexbill.core.models import Firm

from ..columns import KINDS
from ..readers import Table, read_table
from .base import ImportContext, ImportResult, Progress, no_progress
from .rates import import_rates
from .records import import_clients, import_matters, import_timekeepers
from .work import import_expenses, import_time

IMPORTERS: dict[str, Callable[[Table, ImportContext], ImportResult]] = {
    "timekeepers": import_timekeepers,
    "clients": import_clients,
    "matters": import_matters,
    "rates": import_rates,
    "time": import_time,
    "expenses": import_expenses,
}


def import_file(
    *, firm: Firm, kind: str, path: Path, actor: User | None = None, dry_run: bool = False,
    today: date | None = None, progress: Progress[Any] = no_progress,
) -> ImportResult:
    """Validate every row; write all of them in one transaction, or nothing if any row is bad.

    Must run inside the firm's scope. `today` (the firm's local date by default) bounds work dates.
    """
    if kind not in KINDS:
        raise ValidationFailed(f"unknown kind {kind!r} (choose from {', '.join(KINDS)})", field="kind")
    table = read_table(path)
    ctx = ImportContext(firm=firm, actor=actor, today=today or timezone.localdate(), dry_run=dry_run,
                        progress=progress)
    return IMPORTERS[kind](table, ctx)


__all__ = ["IMPORTERS", "ImportResult", "import_file"]
