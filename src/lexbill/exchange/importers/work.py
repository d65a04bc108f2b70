"""Time entries and expenses: many rows, so they are checked against in-memory lookups (one query per
table, no query per row) and written with bulk_create / bulk_update, under one audit event.

The rules are the services' own: `Duration.billed_hours` rounds, `check_code` checks UTBMS codes,
`expense_amount_minor` prices, and `check_work` (timekeeping.services) refuses closed matters,
inactive timekeepers, future dates and dates before the matter opened; billable hours above hours worked,
more than 24 h for a timekeeper on a day (file and database together) and expenses of 0.00 are refused
with the services' words, so an import never decides differently from a form.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from lexbill.clients.models import Matter
from lexbill.core.errors import ValidationFailed
from lexbill.core.hours import round_hours_up
from lexbill.staff.models import Timekeeper
from lexbill.timekeeping.domain import (
    ACTIVITY_CODE,
    EXPENSE_CODE,
    TASK_CODE,
    Duration,
    billable_problem,
    check_code,
    day_total_problem,
    expense_amount_minor,
    expense_amount_problem,
)
from lexbill.timekeeping.models import ChargeType, CostType, EntryStatus, Expense, TimeEntry
from lexbill.timekeeping.services import check_work, lock_timekeepers

from ..columns import match_headers
from ..readers import Table
from ..rows import MISSING, Row
from .base import DuplicateKeys, ImportContext, ImportResult, chunks, finish

LEXBILL_REF = re.compile(r"^lexbill:(\d{1,18})$")  # what an export writes for rows entered in lexbill
_CHECK_COLUMNS = {"matter": "matter", "timekeeper": "timekeeper", "worked_on": "date"}


def fingerprint(*parts: object) -> str:
    """`fp:` + sha256 of the identifying columns, for files without a ref column."""
    text = "\x1f".join(str(p) for p in parts)
    return "fp:" + hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Parsed:
    row: Row
    ref: str
    matter: Matter
    timekeeper: Timekeeper | None
    on: Any
    values: dict[str, Any]  # the fields the row gives (absent columns left out)
    defaults: dict[str, Any] = field(default_factory=dict)  # only for a new row


class Lookups:
    def __init__(self, firm_currency: str) -> None:
        # Used only to check the form of amounts on rows whose matter is unknown (already bad rows).
        self.firm_currency = firm_currency
        self.timekeepers = {t.initials: t for t in Timekeeper.objects.all()}
        self.matters = {m.number: m for m in Matter.objects.select_related("client", "firm")}

    def matter(self, row: Row) -> Matter | None:
        number = row.text("matter", required=True)
        found = self.matters.get(number) if number else None
        if number and found is None:
            row.problem("matter", f"no matter with number {number!r}")
        return found

    def timekeeper(self, row: Row, *, required: bool) -> Timekeeper | None:
        initials = (row.text("timekeeper", required=required) or "").upper()
        found = self.timekeepers.get(initials) if initials else None
        if initials and found is None:
            row.problem("timekeeper", f"no timekeeper with initials {initials!r}")
        return found


def _code(row: Row, column: str, pattern: re.Pattern[str], what: str) -> Any:
    value = row.text(column)
    if value is MISSING:
        return MISSING
    try:
        return check_code(value, pattern, what)
    except ValueError as exc:
        row.problem(column, str(exc))
        return None


def _ref(row: Row) -> str:
    ref = row.text("ref", max_length=80)
    return ref if ref else ""


def _put(values: dict[str, Any], key: str, value: Any) -> None:
    if value is not MISSING and value is not None:
        values[key] = value


# --- time --------------------------------------------------------------------------------------------


def _parse_time(row: Row, look: Lookups) -> Parsed | None:
    ref = _ref(row)
    on = row.date("date", required=True)
    timekeeper = look.timekeeper(row, required=True)
    matter = look.matter(row)
    hours_given = row.decimal("hours", required=True)
    billable_given = row.decimal("hours_billable")
    narrative = (row.text("narrative", required=True) or "").strip()
    values: dict[str, Any] = {}
    _put(values, "task_code", _code(row, "task_code", TASK_CODE, "task"))
    _put(values, "activity_code", _code(row, "activity_code", ACTIVITY_CODE, "activity"))
    _put(values, "charge_type", row.choice("charge_type", ChargeType.choices))
    if matter is None or timekeeper is None or on is None or hours_given is None:
        return None
    increment = matter.billing_increment()
    try:
        hours = Duration(hours=hours_given).billed_hours(increment)
    except ValueError as exc:
        row.problem("hours", str(exc))
        return None
    if billable_given is not None and billable_given is not MISSING:
        if billable_given < 0:
            row.problem("hours_billable", "hours cannot be negative")
        else:
            values["hours_billable"] = round_hours_up(billable_given, increment)
    if not row.ok:
        return None
    values.update(matter=matter, timekeeper=timekeeper, worked_on=on, hours_worked=hours, narrative=narrative)
    ref = ref or fingerprint("time", on.isoformat(), timekeeper.initials, matter.number, hours, narrative)
    return Parsed(row, ref, matter, timekeeper, on, values, defaults={"hours_billable": hours})


def import_time(table: Table, ctx: ImportContext) -> ImportResult:
    return _import_work("time", TimeEntry, _parse_time, table, ctx)


# --- expenses ------------------------------------------------------------------------------------------


def _parse_expense(row: Row, look: Lookups) -> Parsed | None:
    ref = _ref(row)
    on = row.date("date", required=True)
    matter = look.matter(row)
    timekeeper = look.timekeeper(row, required=False)
    description = (row.text("description", required=True) or "").strip()
    currency = row.currency()
    if matter is not None and currency and currency != matter.currency:
        row.problem("currency", f"matter {matter.number} is billed in {matter.currency}, not {currency}")
    money_currency = matter.currency if matter is not None else look.firm_currency
    quantity = row.hours("quantity")  # thousandths, like the stored field
    if quantity is MISSING or (quantity is None and row.raw("quantity") == ""):
        quantity = Decimal(1)
    elif quantity is not None and quantity <= 0:
        row.problem("quantity", "quantity must be more than zero")
    unit_cost = row.money("unit_cost", money_currency, required=True)
    if unit_cost is not None and unit_cost < 0:
        row.problem("unit_cost", "unit cost cannot be negative")
    amount = row.money("amount", money_currency)
    values: dict[str, Any] = {}
    _put(values, "expense_code", _code(row, "expense_code", EXPENSE_CODE, "expense"))
    _put(values, "cost_type", row.choice("cost_type", CostType.choices))
    _put(values, "charge_type", row.choice("charge_type", ChargeType.choices))
    if not row.ok or matter is None or on is None or quantity is None or unit_cost is None:
        return None
    computed = expense_amount_minor(quantity, unit_cost)
    if (problem := expense_amount_problem(computed, matter.currency)) is not None:
        row.problem("unit_cost", problem)
        return None
    if amount not in (MISSING, None) and amount != computed:
        row.problem("amount", f"{row.raw('amount')} is not quantity x unit cost "
                              f"({quantity} x {row.raw('unit_cost')})")
        return None
    if row.has("timekeeper"):
        values["timekeeper"] = timekeeper
    values.update(matter=matter, incurred_on=on, description=description, quantity=quantity,
                  unit_cost_minor=unit_cost, amount_minor=computed)
    ref = ref or fingerprint("expense", on.isoformat(), matter.number, timekeeper.initials if timekeeper else "",
                             values.get("expense_code", ""), description, quantity, unit_cost)
    return Parsed(row, ref, matter, timekeeper, on, values)


def import_expenses(table: Table, ctx: ImportContext) -> ImportResult:
    return _import_work("expenses", Expense, _parse_expense, table, ctx)


# --- shared --------------------------------------------------------------------------------------------


def _existing(model: Any, refs: list[str]) -> tuple[dict[str, Any], dict[int, Any]]:
    """Rows already imported (by source_ref) and rows entered here (by id), locked until commit."""
    base = model.objects.select_for_update(of=("self",)).select_related("matter", "timekeeper")
    by_ref: dict[str, Any] = {}
    for part in chunks(refs):
        by_ref.update((r.source_ref, r) for r in base.filter(source_ref__in=part))
    ids = [int(m.group(1)) for ref in refs if ref not in by_ref and (m := LEXBILL_REF.match(ref))]
    by_id: dict[int, Any] = {}
    for id_part in chunks(ids):
        by_id.update((r.pk, r) for r in base.filter(pk__in=id_part))
    return by_ref, by_id


def _import_work(kind: str, model: Any, parse: Any, table: Table, ctx: ImportContext) -> ImportResult:
    positions = match_headers(kind, table.headers)
    result = ImportResult(kind=kind, rows=len(table.rows), sha256=table.sha256, dry_run=ctx.dry_run)
    date_field = "worked_on" if model is TimeEntry else "incurred_on"
    with transaction.atomic():
        look = Lookups(ctx.firm.currency)
        parsed: list[Parsed] = []
        dupes = DuplicateKeys("ref")
        for number, cells in ctx.progress(table.rows, len(table.rows), f"check {kind}"):
            row = Row(number, cells, positions)
            item = parse(row, look)
            if item is not None:
                dupes.check(row, item.ref)
                if row.ok:
                    parsed.append(item)
            result.problems.extend(row.problems)
        if model is TimeEntry:
            # Before the entries: the services' lock order is the timekeeper, then the entry.
            lock_timekeepers(sorted({p.timekeeper.pk for p in parsed if p.timekeeper is not None}))
        by_ref, by_id = _existing(model, [p.ref for p in parsed])
        written: list[tuple[Parsed, Any]] = []
        creates: list[Any] = []
        updates: list[Any] = []
        changed_fields: set[str] = set()
        now = timezone.now()
        for item in parsed:
            match = by_ref.get(item.ref)
            if match is None and (m := LEXBILL_REF.match(item.ref)):
                match = by_id.get(int(m.group(1)))
            changes = item.values if match is None else {
                k: v for k, v in item.values.items() if getattr(match, k) != v}
            if match is not None and not changes:
                result.unchanged += 1
                continue
            if match is not None and match.status != EntryStatus.OPEN:
                item.row.problem("ref" if item.row.has("ref") else "",
                                 f"{match.get_status_display().lower()}: this entry can no longer be changed "
                                 f"(it would change {', '.join(sorted(changes))})")
                result.problems.extend(item.row.problems)
                continue
            matter = changes.get("matter", match.matter if match else item.matter)
            timekeeper = changes.get("timekeeper", match.timekeeper if match else item.timekeeper)
            try:
                check_work(firm=ctx.firm, matter=matter, timekeeper=timekeeper,
                            on=changes.get(date_field, getattr(match, date_field, item.on)), today=ctx.today)
            except ValidationFailed as exc:
                item.row.problem(_CHECK_COLUMNS.get(exc.field or "", exc.field or ""), exc.message)
                result.problems.extend(item.row.problems)
                continue
            if model is TimeEntry and match is not None and "hours_worked" in changes \
                    and "hours_billable" not in item.values and match.hours_billable == match.hours_worked:
                # The file gives the hours only: billable hours follow them, as on a new row, unless the
                # entry carries a write-down of its own.
                changes["hours_billable"] = changes["hours_worked"]
            if model is TimeEntry and not _billable_ok(item, match, changes):
                result.problems.extend(item.row.problems)
                continue
            if match is None:
                creates.append(model(firm=ctx.firm, source_ref=item.ref, created_by=_user(ctx),
                                     **{**item.defaults, **item.values}))
                written.append((item, creates[-1]))
                result.created += 1
            else:
                for key, value in changes.items():
                    setattr(match, key, value)
                match.updated_at = now
                changed_fields.update(changes)
                updates.append(match)
                written.append((item, match))
                result.updated += 1
        if model is TimeEntry:
            result.problems.extend(_day_total_problems(written))
        result.problems.sort(key=lambda p: p.row)
        if result.ok and not ctx.dry_run:
            model.objects.bulk_create(creates, batch_size=500)
            if updates:
                model.objects.bulk_update(updates, [*sorted(changed_fields), "updated_at"], batch_size=500)
        finish(ctx, result)
    return result


def _billable_ok(item: Parsed, match: Any, changes: dict[str, Any]) -> bool:
    final = {**item.defaults, **item.values} if match is None else {
        key: changes.get(key, getattr(match, key)) for key in ("hours_worked", "hours_billable")}
    problem = billable_problem(final["hours_worked"], final["hours_billable"])
    if problem is not None:
        item.row.problem("hours_billable" if item.row.has("hours_billable") else "hours", problem)
    return problem is None


def _day_total_problems(written: list[tuple[Parsed, TimeEntry]]) -> list[Any]:
    """More than 24 h for a timekeeper on a day, counting the file's rows and the entries already recorded
    (the timekeepers are locked): one query for the span of days, summed in memory."""
    if not written:
        return []
    file_hours: dict[tuple[int, Any], Decimal] = {}
    for _, entry in written:
        key = (entry.timekeeper_id, entry.worked_on)
        file_hours[key] = file_hours.get(key, Decimal(0)) + entry.hours_worked
    replaced = {entry.pk for _, entry in written if entry.pk is not None}
    days = [on for _, on in file_hours]
    recorded: dict[tuple[int, Any], Decimal] = {}
    for tk_id in sorted({tk for tk, _ in file_hours}):
        rows = TimeEntry.objects.filter(timekeeper_id=tk_id, worked_on__range=(min(days), max(days)))
        for pk, on, hours in rows.values_list("pk", "worked_on", "hours_worked").iterator(chunk_size=2000):
            if pk not in replaced and (tk_id, on) in file_hours:
                recorded[(tk_id, on)] = recorded.get((tk_id, on), Decimal(0)) + hours
    problems: list[Any] = []
    for item, entry in written:
        key = (entry.timekeeper_id, entry.worked_on)
        problem = day_total_problem(entry.timekeeper.initials, entry.worked_on, recorded.get(key, Decimal(0)),
                                    file_hours[key])
        if problem is not None:
            item.row.problem("hours", problem)
            problems.append(item.row.problems[-1])
    return problems


def _user(ctx: ImportContext) -> Any:
    return ctx.actor if ctx.actor is not None and ctx.actor.is_authenticated else None
