"""What every import shares: the result, the all-or-nothing transaction, the audit event, progress."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db import DatabaseError, transaction

from lexbill.core.audit import audit_record
from lexbill.core.errors import LexbillError
from lexbill.core.models import Firm
from lexbill.core.transactions import service_transaction

from ..columns import match_headers
from ..readers import Table
from ..rows import MISSING, Problem, Row

X = TypeVar("X")
Progress = Callable[[Iterable[X], int, str], Iterable[X]]


def no_progress(items: Iterable[X], total: int, label: str) -> Iterable[X]:
    return items


@dataclass
class ImportResult:
    kind: str
    rows: int
    sha256: str
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.problems})

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def summary(self) -> str:
        if not self.ok:
            bad = self.bad_rows
            return f"{bad} bad row{'' if bad == 1 else 's'} of {self.rows}; nothing imported"
        verb = "would be" if self.dry_run else "were"
        return (f"{self.kind}: {self.rows} rows read; {self.created} {verb} created, {self.updated} updated, "
                f"{self.unchanged} unchanged" + (" (dry run, nothing written)" if self.dry_run else ""))

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "ok": self.ok, "dry_run": self.dry_run, "rows": self.rows,
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "file_sha256": self.sha256,
            "errors": [{"row": p.row, "column": p.column, "message": p.message} for p in self.problems],
        }


@dataclass
class ImportContext:
    firm: Firm
    actor: User | None
    today: date
    dry_run: bool
    progress: Progress[Any]


def put(values: dict[str, Any], key: str, value: Any, *, nullable: bool = False) -> None:
    """Copy a cell value into the changes: absent columns are left out, and so are blanks unless
    the field may be emptied (a blank then clears it)."""
    if value is MISSING or (value is None and not nullable):
        return
    values[key] = value


def changed_fields(instance: Any, values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if getattr(instance, k) != v}


class DuplicateKeys:
    """Refuses a second row with the same natural key: the file would contradict itself."""

    def __init__(self, column: str):
        self.column = column
        self.seen: dict[Any, int] = {}

    def check(self, row: Row, key: Any) -> None:
        first = self.seen.setdefault(key, row.number)
        if first != row.number:
            row.problem(self.column, f"same record as row {first}")


def record_import(ctx: ImportContext, result: ImportResult) -> None:
    audit_record(
        firm=ctx.firm, actor=ctx.actor, action=f"import.{result.kind}", entity="import",
        entity_id=result.sha256[:40],
        after={"rows": result.rows, "created": result.created, "updated": result.updated,
               "unchanged": result.unchanged, "file_sha256": result.sha256},
    )


RowHandler = Callable[[Row], str | None]


def run_per_row(
    *, kind: str, table: Table, ctx: ImportContext, make_handler: Callable[[], RowHandler],
    field_columns: dict[str, str],
) -> ImportResult:
    """Apply each row through the services, each in a savepoint, inside one transaction that is
    rolled back when any row is bad or on a dry run: the counts are those a real run produces."""
    positions = match_headers(kind, table.headers)
    result = ImportResult(kind=kind, rows=len(table.rows), sha256=table.sha256, dry_run=ctx.dry_run)
    with service_transaction():
        handle = make_handler()
        for number, cells in ctx.progress(table.rows, len(table.rows), f"import {kind}"):
            row = Row(number, cells, positions)
            outcome = None
            try:
                with transaction.atomic():
                    outcome = handle(row)
            except LexbillError as exc:
                column = field_columns.get(exc.field or "", exc.field or "")
                row.problem(column, _strip_field(exc.message, exc.field))
            except DatabaseError as exc:
                row.problem("", f"refused by the database: {str(exc).strip().splitlines()[0]}")
            result.problems.extend(row.problems)
            if outcome and row.ok:
                result.count(outcome)
        finish(ctx, result)
    return result


def finish(ctx: ImportContext, result: ImportResult) -> None:
    """Inside the import's transaction: roll back on problems or a dry run, else record the import."""
    if result.problems or ctx.dry_run:
        transaction.set_rollback(True)
        if result.problems:
            result.created = result.updated = result.unchanged = 0
    else:
        record_import(ctx, result)


def _strip_field(message: str, field: str | None) -> str:
    prefix = f"{field}: "
    return message[len(prefix):] if field and message.startswith(prefix) else message


def chunks(items: list[X], size: int = 900) -> Iterator[list[X]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
