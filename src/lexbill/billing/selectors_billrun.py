"""Reads for a bill run: the selected matters and all their WIP, in a fixed number of queries.

Nothing here loops over matters with a query: each kind of row is fetched once for the whole selection
(DESIGN: per-matter queries cost seconds at 10,000 matters), then grouped by matter in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from lexbill.clients.models import Client, FeeArrangement, Matter
from lexbill.core.models import Firm
from lexbill.staff.models import Timekeeper
from lexbill.timekeeping.models import ChargeType, EntryStatus, Expense, TimeEntry

from .domain.lines import ADJUSTMENT, FEE, FIXED_FEE
from .models import OPEN_PREBILL_STATUSES, FeeItem, InvoiceKind, InvoiceLine, PreBill, PreBillLine, Recovery
from .selectors_prebill import held_entry_ids, held_expense_ids

BILLED_KINDS = (FEE, FIXED_FEE, ADJUSTMENT)


@dataclass
class MatterWip:
    matter: Matter
    entries: list[dict[str, Any]] = field(default_factory=list)
    expenses: list[dict[str, Any]] = field(default_factory=list)
    fee_items_due: list[dict[str, Any]] = field(default_factory=list)
    phase_codes: set[str] = field(default_factory=set)
    recoveries: list[dict[str, Any]] = field(default_factory=list)
    open_prebill_ids: set[int] = field(default_factory=set)
    fees_billed_minor: int = 0
    fixed_fee_dates: set[date] = field(default_factory=set)
    has_fee_items: bool = False

    @property
    def has_wip(self) -> bool:
        return bool(self.entries or self.expenses or self.fee_items_due or self.recoveries)


def _rows(values: Any) -> list[dict[str, Any]]:
    """values() rows as plain dicts (django-stubs types each values() call as its own TypedDict)."""
    return [dict(row) for row in values]


def billrun_matters(*, client: Client | None = None, matter_ids: list[int] | None = None,
                    billing_attorney: Timekeeper | None = None) -> QuerySet[Matter]:
    """The matters a bill run covers: every matter of the firm, narrowed by each criterion given."""
    matters = Matter.objects.all()
    if client is not None:
        matters = matters.filter(client=client)
    if matter_ids is not None:
        matters = matters.filter(pk__in=matter_ids)
    if billing_attorney is not None:
        matters = matters.filter(billing_attorney=billing_attorney)
    return matters


def _on_current_line(field_name: str) -> Exists:
    return Exists(PreBillLine.objects.filter(is_current=True, **{field_name: OuterRef("pk")}))


def _on_invoice(field_name: str) -> Exists:
    return Exists(InvoiceLine.objects.filter(invoice__kind=InvoiceKind.INVOICE, **{field_name: OuterRef("pk")}))


def time_wip(firm: Firm, matters: QuerySet[Matter], through_on: date) -> QuerySet[TimeEntry]:
    """Unbilled billable/no-charge time up to the cut-off, less what a reviewer held for a later bill."""
    return TimeEntry.objects.filter(matter__in=matters.values("pk"), status=EntryStatus.OPEN,
                                    charge_type__in=[ChargeType.BILLABLE, ChargeType.NO_CHARGE],
                                    worked_on__lte=through_on).exclude(pk__in=held_entry_ids(firm, through_on))


def expense_wip(firm: Firm, matters: QuerySet[Matter], through_on: date) -> QuerySet[Expense]:
    return Expense.objects.filter(matter__in=matters.values("pk"), status=EntryStatus.OPEN,
                                  charge_type__in=[ChargeType.BILLABLE, ChargeType.NO_CHARGE],
                                  incurred_on__lte=through_on).exclude(pk__in=held_expense_ids(firm, through_on))


def billrun_gather(*, firm: Firm, matters: QuerySet[Matter], through_on: date) -> list[MatterWip]:
    """Every selected matter with its WIP up to the cut-off and what earlier bills hold (10 queries)."""
    wip = {m.pk: MatterWip(m) for m in matters.select_related("client").order_by("client__code", "number")}
    ids = matters.values("pk")
    for row in _rows(time_wip(firm, matters, through_on).order_by("worked_on", "id").values(
            "id", "matter_id", "timekeeper_id", "worked_on", "hours_worked", "hours_billable", "narrative",
            "task_code", "activity_code", "charge_type")):
        wip[row["matter_id"]].entries.append(row)
    for row in _rows(expense_wip(firm, matters, through_on).order_by("incurred_on", "id").values(
            "id", "matter_id", "timekeeper_id", "incurred_on", "amount_minor", "quantity", "unit_cost_minor",
            "description", "expense_code", "charge_type")):
        wip[row["matter_id"]].expenses.append(row)
    fee_items = FeeItem.objects.filter(matter__in=ids).annotate(
        on_line=_on_current_line("fee_item"), on_invoice=_on_invoice("fee_item"))
    for row in _rows(fee_items.values("id", "matter_id", "description", "amount_minor", "task_code", "due_on",
                                      "is_milestone_reached", "on_line", "on_invoice")):
        item = wip[row["matter_id"]]
        item.has_fee_items = True
        if row["task_code"]:
            item.phase_codes.add(row["task_code"])
        is_due = row["is_milestone_reached"] or (row["due_on"] is not None and row["due_on"] <= through_on)
        if is_due and not (row["on_line"] or row["on_invoice"]):
            item.fee_items_due.append(row)
    recoveries = Recovery.objects.filter(matter__in=ids, received_on__lte=through_on).exclude(
        _on_current_line("recovery")).exclude(_on_invoice("recovery"))
    for row in _rows(recoveries.values("id", "matter_id", "received_on", "amount_minor", "description")):
        wip[row["matter_id"]].recoveries.append(row)
    for matter_id, prebill_id in PreBill.objects.filter(matter__in=ids, status__in=OPEN_PREBILL_STATUSES) \
            .values_list("matter_id", "id"):
        wip[matter_id].open_prebill_ids.add(prebill_id)
    # A consolidated pre-bill has no matter of its own: its lines tell which matters it holds.
    for matter_id, prebill_id in PreBillLine.objects.filter(
            matter__in=ids, is_current=True, prebill__status__in=OPEN_PREBILL_STATUSES) \
            .values_list("matter_id", "prebill_id").distinct():
        wip[matter_id].open_prebill_ids.add(prebill_id)
    _gather_history(wip, matters)
    return list(wip.values())


def _gather_history(wip: dict[int, MatterWip], matters: QuerySet[Matter]) -> None:
    capped = matters.filter(fee_arrangement=FeeArrangement.CAPPED).values("pk")
    fixed = matters.filter(fee_arrangement__in=[FeeArrangement.FLAT, FeeArrangement.RETAINER]).values("pk")
    # Credit notes carry negative lines, so summing every invoice kind nets them out of the cap.
    billed = InvoiceLine.objects.filter(matter__in=capped, kind__in=BILLED_KINDS)
    pending = PreBillLine.objects.filter(matter__in=capped, kind__in=BILLED_KINDS, is_current=True)
    for source in (billed, pending):
        for row in source.values("matter_id").annotate(total=Sum("total_minor")).order_by():
            wip[row["matter_id"]].fees_billed_minor += row["total"] or 0
    no_source = Q(kind=FIXED_FEE, fee_item__isnull=True, recovery__isnull=True, matter__in=fixed)
    for source in (InvoiceLine.objects.filter(no_source, invoice__kind=InvoiceKind.INVOICE),
                   PreBillLine.objects.filter(no_source, is_current=True)):
        for matter_id, on_date in source.values_list("matter_id", "on_date").distinct():
            wip[matter_id].fixed_fee_dates.add(on_date)


def timekeepers_by_id() -> dict[int, Timekeeper]:
    return {tk.pk: tk for tk in Timekeeper.objects.all()}
