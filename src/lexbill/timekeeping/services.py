"""Writes for time entries, expenses and timers. Each is one transaction with its audit event."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Sum
from django.utils import timezone

from lexbill.access import enforce, require
from lexbill.clients.code_sets import required_code_sets
from lexbill.clients.models import Matter
from lexbill.codes.rules import REFUSED_KINDS, code_problems
from lexbill.core.audit import audit_record
from lexbill.core.errors import Conflict, ValidationFailed
from lexbill.core.hours import round_hours_up
from lexbill.core.models import Firm
from lexbill.core.records import record_create, record_delete
from lexbill.core.transactions import service_transaction
from lexbill.core.validation import apply_changes, validate_instance
from lexbill.staff.models import Timekeeper

from .domain import (
    ACTIVITY_CODE,
    EXPENSE_CODE,
    TASK_CODE,
    Duration,
    billable_problem,
    check_code,
    day_total_problem,
    expense_amount_minor,
    expense_amount_problem,
    opened_problem,
)
from .models import ChargeType, EntryStatus, Expense, TimeEntry, Timer

TIME_FIELDS = ["matter", "timekeeper", "worked_on", "hours_worked", "hours_billable", "narrative", "task_code",
               "activity_code", "charge_type", "status", "source_ref"]
TIME_EDITABLE = ["matter", "timekeeper", "worked_on", "hours_worked", "hours_billable", "narrative", "task_code",
                 "activity_code", "charge_type"]
EXPENSE_FIELDS = ["matter", "timekeeper", "incurred_on", "expense_code", "description", "quantity",
                  "unit_cost_minor", "amount_minor", "cost_type", "charge_type", "status", "source_ref"]
EXPENSE_EDITABLE = ["matter", "timekeeper", "incurred_on", "expense_code", "description", "quantity",
                    "unit_cost_minor", "cost_type", "charge_type"]


def _invalid(exc: ValueError, field: str) -> ValidationFailed:
    return ValidationFailed(str(exc), field=field)


def check_work(
    *, firm: Firm, matter: Matter, timekeeper: Timekeeper | None, on: date, today: date, date_field: str = "worked_on"
) -> None:
    """The rules every piece of work obeys, whoever records it (services, imports)."""
    if matter.firm_id != firm.pk or (timekeeper is not None and timekeeper.firm_id != firm.pk):
        raise ValidationFailed("matter or timekeeper belongs to another firm")
    if not matter.is_open:
        raise ValidationFailed(f"matter {matter.number} is closed", field="matter")
    if timekeeper is not None and not timekeeper.is_active:
        raise ValidationFailed(f"timekeeper {timekeeper.initials} is inactive", field="timekeeper")
    if on > today:
        raise ValidationFailed(f"{on.isoformat()} is in the future", field=date_field)
    if (problem := opened_problem(on, matter.number, matter.opened_on)) is not None:
        raise ValidationFailed(problem, field=date_field)


def check_billable(hours_worked: Decimal, hours_billable: Decimal) -> None:
    if (problem := billable_problem(hours_worked, hours_billable)) is not None:
        raise ValidationFailed(problem, field="hours_billable")


def lock_timekeepers(timekeeper_ids: list[int]) -> None:
    """Lock the timekeepers' rows (in primary-key order) until the transaction ends, so that two writers
    recording time for one timekeeper take turns at summing the day. On PostgreSQL this is the row lock; on
    SQLite every write transaction begins IMMEDIATE (settings), so writers already take turns."""
    list(Timekeeper.objects.select_for_update().filter(pk__in=timekeeper_ids).order_by("pk").values_list("pk"))


def hours_on_day(*, timekeeper_id: int, on: date, exclude_pk: int | None = None) -> Decimal:
    """Hours worked already recorded by the timekeeper on the day, every status and charge type."""
    rows = TimeEntry.objects.filter(timekeeper_id=timekeeper_id, worked_on=on)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return rows.aggregate(total=Sum("hours_worked"))["total"] or Decimal(0)


def _check_day_total(entry: TimeEntry) -> None:
    """Called inside the write's transaction: lock, then sum the day with the entry's hours."""
    lock_timekeepers([entry.timekeeper_id])
    elsewhere = hours_on_day(timekeeper_id=entry.timekeeper_id, on=entry.worked_on, exclude_pk=entry.pk)
    problem = day_total_problem(entry.timekeeper.initials, entry.worked_on, elsewhere, entry.hours_worked)
    if problem is not None:
        raise ValidationFailed(problem, field="hours_worked")


def _clean_codes(fields: dict[str, Any]) -> None:
    try:
        for key, pattern, what in (("task_code", TASK_CODE, "task"), ("activity_code", ACTIVITY_CODE, "activity"),
                                   ("expense_code", EXPENSE_CODE, "expense")):
            if key in fields:
                fields[key] = check_code(fields[key], pattern, what)
    except ValueError as exc:
        raise ValidationFailed(str(exc), field=key) from exc


def _check_codes_against_sets(matter: Matter, codes: dict[str, Any]) -> None:
    """Refuse a code that is unknown or outside the matter's required sets; a missing code only flags the
    pre-bill (the client may still accept the entry once it is coded there)."""
    for problem in code_problems(required_sets=required_code_sets(matter), codes=codes):
        if problem.kind in REFUSED_KINDS:
            raise ValidationFailed(problem.message, field=problem.field)


def _check_changed_codes(row: TimeEntry | Expense, changes: dict[str, Any], fields: tuple[str, ...]) -> None:
    # A code already on the row is checked again only when the row moves to another matter.
    matter: Matter = changes.get("matter", row.matter)
    moved = "matter" in changes and matter.pk != row.matter_id
    codes = {f: changes.get(f, getattr(row, f)) for f in fields if moved or f in changes}
    if codes:
        _check_codes_against_sets(matter, codes)


def time_entry_create(
    *,
    firm: Firm,
    actor: User | None,
    matter: Matter,
    timekeeper: Timekeeper,
    worked_on: date,
    duration: Duration,
    narrative: str,
    task_code: str = "",
    activity_code: str = "",
    charge_type: str = ChargeType.BILLABLE,
    hours_billable: Decimal | None = None,
    source_ref: str | None = None,
    today: date | None = None,
) -> TimeEntry:
    """Record work; hours are rounded up to the matter's billing increment."""
    enforce(actor, firm, "time.change", TimeEntry(timekeeper=timekeeper))
    check_work(firm=firm, matter=matter, timekeeper=timekeeper, on=worked_on, today=today or timezone.localdate())
    if not narrative or not narrative.strip():
        raise ValidationFailed("a narrative is required", field="narrative")
    try:
        hours = duration.billed_hours(matter.billing_increment())
    except ValueError as exc:
        raise _invalid(exc, "hours_worked") from exc
    billable = hours if hours_billable is None else hours_billable
    check_billable(hours, billable)
    codes = {"task_code": task_code, "activity_code": activity_code}
    _clean_codes(codes)
    _check_codes_against_sets(matter, codes)
    entry = TimeEntry(
        firm=firm, matter=matter, timekeeper=timekeeper, worked_on=worked_on, hours_worked=hours,
        hours_billable=billable, narrative=narrative.strip(),
        charge_type=charge_type, source_ref=source_ref or None, created_by=actor if _is_user(actor) else None,
        **codes,
    )
    return record_create(entry, actor=actor, name="time", fields=TIME_FIELDS, exclude=["created_by"],
                         check=_check_day_total)


def _is_user(actor: User | None) -> bool:
    return actor is not None and actor.is_authenticated


def _refuse_if_billed(row: TimeEntry | Expense) -> None:
    if row.status != EntryStatus.OPEN:
        raise Conflict(f"this entry is {row.get_status_display().lower()} and can no longer be edited here")


def time_entry_update(
    *, entry: TimeEntry, actor: User | None, today: date | None = None, **changes: Any
) -> TimeEntry:
    who = enforce(actor, entry.firm_id, "time.change", entry)
    if "timekeeper" in changes:
        require(who, "time.change", TimeEntry(timekeeper=changes["timekeeper"]))
    _refuse_if_billed(entry)
    _clean_codes(changes)
    _check_changed_codes(entry, changes, ("task_code", "activity_code"))
    if "narrative" in changes:
        changes["narrative"] = str(changes["narrative"]).strip()
        if not changes["narrative"]:
            raise ValidationFailed("a narrative is required", field="narrative")
    matter: Matter = changes.get("matter", entry.matter)
    increment = matter.billing_increment()
    for key in ("hours_worked", "hours_billable"):
        if key in changes and changes[key] is not None:
            if Decimal(changes[key]) < 0:
                raise ValidationFailed("hours cannot be negative", field=key)
            changes[key] = round_hours_up(Decimal(changes[key]), increment)
    before = apply_changes(entry, changes, TIME_EDITABLE)
    if not before:
        return entry
    check_work(firm=entry.firm, matter=entry.matter, timekeeper=entry.timekeeper, on=entry.worked_on,
                today=today or timezone.localdate())
    check_billable(entry.hours_worked, entry.hours_billable)
    validate_instance(entry, exclude=["created_by"])
    with service_transaction():
        # Lock order as everywhere time is written: the timekeeper, then the entry.
        _check_day_total(entry)
        locked = TimeEntry.objects.select_for_update().get(pk=entry.pk)
        _refuse_if_billed(locked)
        entry.save()
        audit_record(firm=entry.firm, actor=actor, action="time.update", instance=entry,
                     before=before, after={k: getattr(entry, k) for k in before})
    return entry


def time_entries_set_charge_type(
    *, firm: Firm, actor: User | None, entry_ids: list[int], charge_type: str
) -> int:
    """Bulk mark entries billable / no-charge / non-billable. Billed entries are refused, all or nothing."""
    if charge_type not in ChargeType.values:
        raise ValidationFailed(f"unknown charge type {charge_type!r}", field="charge_type")
    who = enforce(actor, firm, "time.change")
    with service_transaction():
        entries = list(TimeEntry.objects.select_for_update().filter(pk__in=entry_ids).order_by("pk"))
        if len(entries) != len(set(entry_ids)):
            raise ValidationFailed("some entries were not found")
        for entry in entries:
            require(who, "time.change", entry)  # by the entry's timekeeper: no query per row
        for entry in entries:
            _refuse_if_billed(entry)
        changed = [e for e in entries if e.charge_type != charge_type]
        TimeEntry.objects.filter(pk__in=[e.pk for e in changed]).update(charge_type=charge_type,
                                                                         updated_at=timezone.now())
        if changed:
            audit_record(firm=firm, actor=actor, action="time.bulk_charge_type", entity="timeentry",
                         entity_id=",".join(str(e.pk) for e in changed)[:40],
                         before={str(e.pk): e.charge_type for e in changed},
                         after={"charge_type": charge_type, "ids": [e.pk for e in changed]})
    return len(changed)


def time_entry_delete(*, entry: TimeEntry, actor: User | None) -> None:
    enforce(actor, entry.firm_id, "time.change", entry)
    _refuse_if_billed(entry)
    record_delete(entry, actor=actor, name="time", fields=TIME_FIELDS)


def expense_create(
    *,
    firm: Firm,
    actor: User | None,
    matter: Matter,
    incurred_on: date,
    description: str,
    unit_cost_minor: int,
    quantity: Decimal = Decimal(1),
    timekeeper: Timekeeper | None = None,
    expense_code: str = "",
    cost_type: str = "hard",
    charge_type: str = ChargeType.BILLABLE,
    source_ref: str | None = None,
    today: date | None = None,
) -> Expense:
    enforce(actor, firm, "expenses.change", Expense(timekeeper=timekeeper))
    check_work(firm=firm, matter=matter, timekeeper=timekeeper, on=incurred_on, today=today or timezone.localdate(),
               date_field="incurred_on")
    if not description or not description.strip():
        raise ValidationFailed("a description is required", field="description")
    if quantity <= 0:
        raise ValidationFailed("quantity must be more than zero", field="quantity")
    if unit_cost_minor < 0:
        raise ValidationFailed("unit cost cannot be negative", field="unit_cost_minor")
    _check_expense_amount(expense_amount_minor(quantity, unit_cost_minor), matter)
    codes = {"expense_code": expense_code}
    _clean_codes(codes)
    _check_codes_against_sets(matter, codes)
    expense = Expense(
        firm=firm, matter=matter, timekeeper=timekeeper, incurred_on=incurred_on, description=description.strip(),
        quantity=quantity, unit_cost_minor=unit_cost_minor,
        amount_minor=expense_amount_minor(quantity, unit_cost_minor), cost_type=cost_type,
        charge_type=charge_type, source_ref=source_ref or None, created_by=actor if _is_user(actor) else None,
        **codes,
    )
    return record_create(expense, actor=actor, name="expense", fields=EXPENSE_FIELDS, exclude=["created_by"])


def _check_expense_amount(amount_minor: int, matter: Matter) -> None:
    if (problem := expense_amount_problem(amount_minor, matter.currency)) is not None:
        raise ValidationFailed(problem, field="unit_cost_minor")


def expense_update(*, expense: Expense, actor: User | None, **changes: Any) -> Expense:
    who = enforce(actor, expense.firm_id, "expenses.change", expense)
    if "timekeeper" in changes:
        require(who, "expenses.change", Expense(timekeeper=changes["timekeeper"]))
    _refuse_if_billed(expense)
    _clean_codes(changes)
    _check_changed_codes(expense, changes, ("expense_code",))
    before = apply_changes(expense, changes, EXPENSE_EDITABLE)
    if not before:
        return expense
    if Decimal(expense.quantity) <= 0:
        raise ValidationFailed("quantity must be more than zero", field="quantity")
    expense.amount_minor = expense_amount_minor(Decimal(expense.quantity), expense.unit_cost_minor)
    _check_expense_amount(expense.amount_minor, expense.matter)
    validate_instance(expense, exclude=["created_by"])
    with service_transaction():
        expense.save()
        audit_record(firm=expense.firm, actor=actor, action="expense.update", instance=expense,
                     before=before, after={k: getattr(expense, k) for k in [*before, "amount_minor"]})
    return expense


def expense_delete(*, expense: Expense, actor: User | None) -> None:
    enforce(actor, expense.firm_id, "expenses.change", expense)
    _refuse_if_billed(expense)
    record_delete(expense, actor=actor, name="expense", fields=EXPENSE_FIELDS)


# --- timers -------------------------------------------------------------------------------------------


def timer_elapsed_seconds(timer: Timer, now: datetime) -> int:
    running = int((now - timer.started_at).total_seconds()) if timer.started_at else 0
    return timer.accumulated_seconds + max(running, 0)


def _timer_codes(matter: Matter, task_code: str, activity_code: str) -> dict[str, str]:
    """A timer's codes, checked as a time entry's are: refused now rather than when the timer stops."""
    codes = {"task_code": task_code or "", "activity_code": activity_code or ""}
    _clean_codes(codes)
    _check_codes_against_sets(matter, codes)
    return codes


def timer_start(
    *, firm: Firm, user: User, timekeeper: Timekeeper, matter: Matter, narrative: str = "",
    task_code: str = "", activity_code: str = "", now: datetime | None = None,
) -> Timer:
    """Start a timer; any other running timer of the user is paused (one clock runs at a time)."""
    enforce(user, firm, "timers.change", Timer(timekeeper=timekeeper))
    now = now or timezone.now()
    today = timezone.localdate(now)
    check_work(firm=firm, matter=matter, timekeeper=timekeeper, on=today, today=today)
    codes = _timer_codes(matter, task_code, activity_code)
    with service_transaction():
        for other in Timer.objects.select_for_update().filter(user=user, started_at__isnull=False):
            _pause(other, now)
        return Timer.objects.create(firm=firm, user=user, timekeeper=timekeeper, matter=matter,
                                    narrative=narrative, started_at=now, **codes)


def _pause(timer: Timer, now: datetime) -> None:
    timer.accumulated_seconds = timer_elapsed_seconds(timer, now)
    timer.started_at = None
    timer.save(update_fields=["accumulated_seconds", "started_at"])


def timer_pause(*, timer: Timer, now: datetime | None = None) -> Timer:
    if timer.is_running:
        _pause(timer, now or timezone.now())
    return timer


def timer_resume(*, timer: Timer, now: datetime | None = None) -> Timer:
    now = now or timezone.now()
    with service_transaction():
        for other in Timer.objects.select_for_update().filter(user=timer.user, started_at__isnull=False):
            _pause(other, now)
        timer.started_at = now
        timer.save(update_fields=["started_at"])
    return timer


def timer_stop(
    *, timer: Timer, actor: User | None, narrative: str | None = None, now: datetime | None = None,
    task_code: str | None = None, activity_code: str | None = None,
) -> TimeEntry:
    """Stop the clock and record the entry; a started minute counts, then the increment rounds up.

    The entry carries the timer's codes, or the ones given here (None: keep the timer's)."""
    now = now or timezone.now()
    task = timer.task_code if task_code is None else task_code
    activity = timer.activity_code if activity_code is None else activity_code
    seconds = timer_elapsed_seconds(timer, now)
    minutes = max(1, math.ceil(seconds / 60))
    with service_transaction():
        entry = time_entry_create(
            firm=timer.firm, actor=actor, matter=timer.matter, timekeeper=timer.timekeeper,
            worked_on=timezone.localdate(now), duration=Duration(minutes=minutes),
            narrative=narrative if narrative is not None else timer.narrative,
            task_code=task, activity_code=activity, today=timezone.localdate(now),
        )
        timer.delete()
    return entry
