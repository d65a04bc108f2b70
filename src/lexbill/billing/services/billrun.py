"""Bill runs: WIP up to a cut-off becomes one pre-bill per matter (or per client, when consolidated).

The selection is read in a fixed number of queries (selectors_billrun); the fee arrangement of each matter
turns its WIP into draft lines (domain.fees). Then each pre-bill is written in its own transaction with
its lines, its entries moved to ON_PREBILL, its audit event and the run's progress: a run killed at any
point leaves whole pre-bills or none (invariant 5), and a rerun skips matters that already have an open
pre-bill, so it finishes the rest without billing anything twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError
from django.db.models import QuerySet
from django.utils import timezone

from lexbill.access import enforce
from lexbill.billing.domain.fees import (
    CONTINGENCY,
    RETAINER,
    Disbursement,
    Draft,
    FeeItemDue,
    History,
    RecoveryDue,
    Terms,
    TermsError,
    Work,
    draft_lines,
)
from lexbill.billing.domain.lines import BillTotals
from lexbill.billing.domain.period import Period, month_start, next_month
from lexbill.billing.models import (
    OPEN_PREBILL_STATUSES,
    BillRun,
    BillRunStatus,
    PreBill,
    PreBillLine,
)
from lexbill.billing.selectors_billrun import MatterWip, billrun_gather, billrun_matters, timekeepers_by_id
from lexbill.clients.models import Client, Matter, MatterPayor
from lexbill.core.audit import audit_record
from lexbill.core.errors import Conflict, NotFound, RateNotFound, ValidationFailed
from lexbill.core.models import Firm
from lexbill.core.transactions import after_commit, service_transaction
from lexbill.rates.services import RateBook, rate_resolve_many
from lexbill.staff.models import Timekeeper
from lexbill.timekeeping.models import ChargeType, EntryStatus, Expense, TimeEntry

Progress = Callable[[int, int], None]

# Skip reasons (stable codes; the detail is for people).
OPEN_PREBILL = "open_prebill"
CLOSED_NO_WIP = "closed_no_wip"
NOTHING_TO_BILL = "nothing_to_bill"
NO_RATE = "no_rate"
BAD_TERMS = "bad_terms"
CHANGED = "changed"


@dataclass
class MatterDraft:
    wip: MatterWip
    draft: Draft


@dataclass
class Unit:
    """What becomes one pre-bill: one matter, or several matters of a consolidated client."""

    client: Client
    currency: str
    matters: list[MatterDraft] = field(default_factory=list)
    is_split: bool = False  # a split-billed matter: always alone on its pre-bill (one invoice per payor)


def _skip(matter: Matter, reason: str, detail: str) -> dict[str, str]:
    return {"matter": matter.number, "reason": reason, "detail": detail}


def billrun_create(
    *,
    firm: Firm,
    through_on: date,
    actor: User | None,
    client: Client | None = None,
    matters: list[Matter] | None = None,
    billing_attorney: Timekeeper | None = None,
) -> BillRun:
    """A pending bill run; `billrun_execute` (inline or as a task) does the work."""
    enforce(actor, firm, "bill_runs.change")
    if matters is not None and not matters:
        raise ValidationFailed("name at least one matter, or none to bill every matter", field="matters")
    for owned in [client, billing_attorney, *(matters or [])]:
        if owned is not None and owned.firm_id != firm.pk:  # type: ignore[union-attr]
            raise NotFound("not found")
    selection: dict[str, Any] = {}
    if client is not None:
        selection["client"] = {"id": client.pk, "code": client.code}
    if matters is not None:
        selection["matters"] = [{"id": m.pk, "number": m.number} for m in matters]
    if billing_attorney is not None:
        selection["billing_attorney"] = {"id": billing_attorney.pk, "initials": billing_attorney.initials}
    with service_transaction():
        run = BillRun.objects.create(firm=firm, through_on=through_on, selection=selection,
                                     created_by=actor if actor is not None and actor.is_authenticated else None)
        audit_record(firm=firm, actor=actor, action="billrun.create", instance=run,
                     after={"through_on": through_on.isoformat(), "selection": selection})
    return run


def billrun_start(
    *,
    firm: Firm,
    through_on: date,
    actor: User | None,
    client: Client | None = None,
    matters: list[Matter] | None = None,
    billing_attorney: Timekeeper | None = None,
) -> BillRun:
    """A pending bill run, queued as a background task once it has committed (the web and the API).

    The task is enqueued on commit: a worker never looks for a run that is not there yet, and a run whose
    transaction rolls back (an idempotency key refused with it, say) is never queued.
    """
    from lexbill.billing.tasks import run_bill_run  # tasks import this module to execute the run

    with service_transaction():
        run = billrun_create(firm=firm, through_on=through_on, actor=actor, client=client, matters=matters,
                             billing_attorney=billing_attorney)
        after_commit(lambda: run_bill_run.enqueue(run.pk))
    return run


def _selected_matters(run: BillRun) -> QuerySet[Matter]:
    sel = run.selection or {}
    client = Client.objects.get(pk=sel["client"]["id"]) if "client" in sel else None
    attorney = Timekeeper.objects.get(pk=sel["billing_attorney"]["id"]) if "billing_attorney" in sel else None
    matter_ids = [m["id"] for m in sel["matters"]] if "matters" in sel else None
    return billrun_matters(client=client, matter_ids=matter_ids, billing_attorney=attorney)


def _period(wip: MatterWip, through_on: date) -> Period:
    """From the first date on the bill (or the first retainer month not yet billed) to the cut-off."""
    dates = [r["worked_on"] for r in wip.entries] + [r["incurred_on"] for r in wip.expenses]
    dates += [r["due_on"] for r in wip.fee_items_due if r["due_on"]] + [r["received_on"] for r in wip.recoveries]
    start = min(dates) if dates else month_start(through_on)
    if wip.matter.fee_arrangement == RETAINER:
        # The month after the last one billed; on a first bill the month the matter opened, even when that
        # month (or any after it) has no recorded time: the domain applies the opening-month rule.
        retainer_from = (next_month(max(wip.fixed_fee_dates).replace(day=1)) if wip.fixed_fee_dates
                         else month_start(wip.matter.opened_on))
        start = min(start, retainer_from)
    return Period(min(start, through_on), through_on)


def _work(wip: MatterWip, book: RateBook, timekeepers: dict[int, Timekeeper]) -> list[Work]:
    matter = wip.matter
    # Contingency, retainer and blended time is not priced at the timekeeper's rate: a missing rate
    # there must not stop the bill; flat-fee time may be outside the flat phases, so it needs its rate.
    needs_rate = matter.fee_arrangement not in (CONTINGENCY, RETAINER, "blended")
    work = []
    for row in wip.entries:
        try:
            rate: int | None = book.resolve(matter=matter, timekeeper=timekeepers[row["timekeeper_id"]],
                                            worked_on=row["worked_on"]).rate_minor
        except RateNotFound:
            if needs_rate:
                raise
            rate = None
        work.append(Work(entry_id=row["id"], worked_on=row["worked_on"], timekeeper_id=row["timekeeper_id"],
                         hours_worked=row["hours_worked"], hours_billed=row["hours_billable"], rate_minor=rate,
                         narrative=row["narrative"], task_code=row["task_code"], activity_code=row["activity_code"],
                         is_no_charge=row["charge_type"] == ChargeType.NO_CHARGE))
    return work


def _draft(wip: MatterWip, through_on: date, book: RateBook, timekeepers: dict[int, Timekeeper]) -> Draft:
    matter = wip.matter
    terms = Terms(matter.fee_arrangement, matter.fee_amount_minor, matter.fee_percent_bp, matter.currency,
                  opened_on=matter.opened_on, closed_on=matter.closed_on,
                  first_month=matter.retainer_first_month, last_month=matter.retainer_last_month)
    return draft_lines(
        terms=terms, period=_period(wip, through_on), work=_work(wip, book, timekeepers),
        expenses=[Disbursement(expense_id=r["id"], incurred_on=r["incurred_on"],
                               amount_minor=0 if r["charge_type"] == ChargeType.NO_CHARGE else r["amount_minor"],
                               description=r["description"], quantity=r["quantity"],
                               unit_cost_minor=r["unit_cost_minor"], expense_code=r["expense_code"],
                               timekeeper_id=r["timekeeper_id"]) for r in wip.expenses],
        fee_items=[FeeItemDue(fee_item_id=r["id"], on_date=r["due_on"] or through_on, amount_minor=r["amount_minor"],
                              description=r["description"], task_code=r["task_code"]) for r in wip.fee_items_due],
        recoveries=[RecoveryDue(recovery_id=r["id"], received_on=r["received_on"], amount_minor=r["amount_minor"],
                                description=r["description"]) for r in wip.recoveries],
        history=History(fees_billed_minor=wip.fees_billed_minor, fixed_fee_dates=frozenset(wip.fixed_fee_dates),
                        phase_codes=frozenset(wip.phase_codes), has_fee_items=wip.has_fee_items),
    )


def billrun_plan(*, firm: Firm, through_on: date, matters: QuerySet[Matter]) -> tuple[list[Unit], list[dict[str, str]]]:
    """The pre-bills a run would create and the matters it skips, with reasons. Reads only."""
    gathered = billrun_gather(firm=firm, matters=matters, through_on=through_on)
    book = rate_resolve_many(firm=firm, matters=matters, through_on=through_on)
    timekeepers = timekeepers_by_id()
    units: dict[tuple[Any, ...], Unit] = {}
    skipped: list[dict[str, str]] = []
    split_ids = set(MatterPayor.objects.filter(matter__in=matters).values_list("matter_id", flat=True))
    for wip in gathered:
        matter = wip.matter
        if wip.open_prebill_ids:
            ids = ", ".join(str(i) for i in sorted(wip.open_prebill_ids))
            skipped.append(_skip(matter, OPEN_PREBILL, f"pre-bill {ids} is still open"))
            continue
        closed_idle = not matter.is_open and not wip.has_wip
        # A closed retainer may still owe the months up to its closing month: its draft decides.
        if closed_idle and matter.fee_arrangement != RETAINER:
            skipped.append(_skip(matter, CLOSED_NO_WIP, "closed, with no unbilled work"))
            continue
        try:
            draft = _draft(wip, through_on, book, timekeepers)
        except RateNotFound as exc:
            skipped.append(_skip(matter, NO_RATE, str(exc)))
            continue
        except TermsError as exc:
            skipped.append(_skip(matter, BAD_TERMS, str(exc)))
            continue
        if not draft.lines and closed_idle:
            skipped.append(_skip(matter, CLOSED_NO_WIP, "closed, with no unbilled work"))
            continue
        if not draft.lines:
            detail = "no unbilled work up to the cut-off"
            if draft.unbilled_entry_ids:
                detail = (f"contingency: {len(draft.unbilled_entry_ids)} time entries stay unbilled until "
                          "a recovery is entered")
            skipped.append(_skip(matter, NOTHING_TO_BILL, detail))
            continue
        client = matter.client
        is_split = matter.pk in split_ids
        key: tuple[Any, ...] = ((client.pk, matter.currency) if client.is_consolidated_billing and not is_split
                                else ("m", matter.pk))
        units.setdefault(key, Unit(client=client, currency=matter.currency, is_split=is_split)).matters.append(
            MatterDraft(wip, draft))
    return list(units.values()), skipped


def _line_rows(firm: Firm, prebill: PreBill, unit: Unit) -> list[PreBillLine]:
    rows: list[PreBillLine] = []
    for md in sorted(unit.matters, key=lambda m: m.wip.matter.number):
        for line in md.draft.lines:
            rows.append(PreBillLine(
                firm=firm, prebill=prebill, position=len(rows) + 1, kind=line.kind, matter=md.wip.matter,
                time_entry_id=line.time_entry_id, expense_id=line.expense_id, fee_item_id=line.fee_item_id,
                recovery_id=line.recovery_id, on_date=line.on_date, timekeeper_id=line.timekeeper_id,
                hours_worked=line.hours_worked, hours_billed=line.hours_billed, rate_minor=line.rate_minor,
                quantity=line.quantity, unit_cost_minor=line.unit_cost_minor, base_minor=line.base_minor,
                adjustment_minor=line.adjustment_minor, total_minor=line.total_minor, narrative=line.narrative,
                task_code=line.task_code, activity_code=line.activity_code, expense_code=line.expense_code,
                is_no_charge=line.is_no_charge))
    return rows


def _still_open(model: type[TimeEntry] | type[Expense], ids: set[int]) -> bool:
    """Lock the unit's entries (pk order) and check nobody billed or edited them away since the selection."""
    if not ids:
        return True
    locked = model.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", "status")
    return {pk for pk, status in locked if status == EntryStatus.OPEN} == ids


def _write_unit(
    *, firm: Firm, run: BillRun, unit: Unit, actor: User | None
) -> tuple[PreBill | None, list[dict[str, str]]]:
    """One pre-bill, its lines and its entries' new status, in one transaction (or nothing, with reasons)."""
    matter_ids = sorted(md.wip.matter.pk for md in unit.matters)
    list(Matter.objects.select_for_update().filter(pk__in=matter_ids).order_by("pk").values_list("pk"))
    # Another run (or a clerk) may have made a pre-bill since the selection was read.
    busy = set(PreBill.objects.filter(matter__in=matter_ids, status__in=OPEN_PREBILL_STATUSES)
               .values_list("matter_id", flat=True))
    busy |= set(PreBillLine.objects.filter(matter__in=matter_ids, is_current=True,
                                           prebill__status__in=OPEN_PREBILL_STATUSES)
                .values_list("matter_id", flat=True))
    skipped = [_skip(md.wip.matter, OPEN_PREBILL, "a pre-bill was opened during the run")
               for md in unit.matters if md.wip.matter.pk in busy]
    unit = Unit(unit.client, unit.currency, [md for md in unit.matters if md.wip.matter.pk not in busy],
                unit.is_split)
    if not unit.matters:
        return None, skipped
    lines = [line for md in unit.matters for line in md.draft.lines]
    entry_ids = {line.time_entry_id for line in lines if line.time_entry_id is not None}
    expense_ids = {line.expense_id for line in lines if line.expense_id is not None}
    if not (_still_open(TimeEntry, entry_ids) and _still_open(Expense, expense_ids)):
        return None, skipped + [_skip(md.wip.matter, CHANGED, "its work changed during the run; run again")
                                for md in unit.matters]
    alone = unit.is_split or not unit.client.is_consolidated_billing
    single = unit.matters[0].wip.matter if len(unit.matters) == 1 and alone else None
    prebill = PreBill.objects.create(
        firm=firm, bill_run=run, client=unit.client, matter=single, currency=unit.currency,
        period_start=min(line.on_date for line in lines), period_end=run.through_on)
    rows = PreBillLine.objects.bulk_create(_line_rows(firm, prebill, unit))
    TimeEntry.objects.filter(pk__in=entry_ids).update(status=EntryStatus.ON_PREBILL)
    Expense.objects.filter(pk__in=expense_ids).update(status=EntryStatus.ON_PREBILL)
    totals = BillTotals.of(rows)
    audit_record(firm=firm, actor=actor, action="prebill.create", instance=prebill, after={
        "bill_run": run.pk, "matters": [md.wip.matter.number for md in unit.matters], "lines": len(rows),
        "time_entries": sorted(entry_ids), "expenses": sorted(expense_ids), "fees_minor": totals.fees_minor,
        "expenses_minor": totals.expenses_minor, "adjustments_minor": totals.adjustments_minor,
        "subtotal_minor": totals.subtotal_minor})
    return prebill, skipped


def billrun_execute(*, bill_run: BillRun, actor: User | None, progress: Progress | None = None) -> BillRun:
    """Run a pending (or interrupted) bill run; progress (done, total) is saved on the row as it goes."""
    firm = bill_run.firm
    claimed = BillRun.objects.filter(pk=bill_run.pk, status__in=[BillRunStatus.PENDING, BillRunStatus.RUNNING]) \
        .update(status=BillRunStatus.RUNNING, started_at=timezone.now(), error="")
    if not claimed:
        raise Conflict(f"bill run {bill_run.pk} has already {bill_run.get_status_display().lower()}")
    try:
        matters = _selected_matters(bill_run)
        units, skipped = billrun_plan(firm=firm, through_on=bill_run.through_on, matters=matters)
        total = len(skipped) + sum(len(u.matters) for u in units)
        done, created = len(skipped), 0
        BillRun.objects.filter(pk=bill_run.pk).update(total_matters=total, done_matters=done, skipped=skipped)
        if progress:
            progress(done, total)
        for unit in units:
            try:
                with service_transaction():
                    prebill, unit_skipped = _write_unit(firm=firm, run=bill_run, unit=unit, actor=actor)
                    created += prebill is not None
                    skipped += unit_skipped
                    done += len(unit.matters)
                    # Saved in the pre-bill's transaction, so the counts never disagree with the rows.
                    BillRun.objects.filter(pk=bill_run.pk).update(done_matters=done, prebills_created=created,
                                                                  skipped=skipped)
            except IntegrityError:
                # A concurrent run put one of these entries on a current line first (the partial unique
                # constraints hold invariant 5); this unit rolled back whole.
                skipped += [_skip(md.wip.matter, CHANGED, "billed by another run meanwhile") for md in unit.matters]
                done += len(unit.matters)
                BillRun.objects.filter(pk=bill_run.pk).update(done_matters=done, skipped=skipped)
            if progress:
                progress(done, total)
    except Exception as exc:
        BillRun.objects.filter(pk=bill_run.pk).update(status=BillRunStatus.FAILED, error=str(exc)[:2000],
                                                      finished_at=timezone.now())
        raise
    BillRun.objects.filter(pk=bill_run.pk).update(status=BillRunStatus.DONE, finished_at=timezone.now())
    bill_run.refresh_from_db()
    return bill_run


def billrun_run(*, firm: Firm, through_on: date, actor: User | None, client: Client | None = None,
                matters: list[Matter] | None = None, billing_attorney: Timekeeper | None = None,
                progress: Progress | None = None) -> BillRun:
    """Create and execute a bill run inline (the CLI; the web queues `tasks.run_bill_run` instead)."""
    enforce(actor, firm, "bill_runs.change")
    run = billrun_create(firm=firm, through_on=through_on, actor=actor, client=client, matters=matters,
                         billing_attorney=billing_attorney)
    return billrun_execute(bill_run=run, actor=actor, progress=progress)
