"""Issuing an approved pre-bill: a numbered, frozen invoice with its tax; its entries become billed.

When the pre-bill's matter is split between payors (clients.MatterPayor), it becomes one invoice per payor:
the invoice total is shared between the payors first, then each payor's share is spread over the lines
(billing/domain/split.py), each invoice with the payor's own tax and terms.

One transaction: lock the pre-bill, then its entries and expenses (pk order), then the number series, so
a crash or a refusal leaves no number used and no half invoice, and two clerks issuing the same pre-bill
get one invoice and one Conflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from lexbill.access import enforce
from lexbill.billing.bill_adjustment import whole_bill_adjustment_label
from lexbill.billing.domain.lines import BillTotals
from lexbill.billing.domain.split import LineShare, check_shares, split_lines
from lexbill.billing.domain.tax import Rate, TaxableLine, compute_tax
from lexbill.billing.models import (
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceTax,
    PreBill,
    PreBillLine,
    PreBillStatus,
    TaxMethod,
    TaxRate,
    client_billing_settings,
    firm_billing_settings,
)
from lexbill.billing.services.approval import refuse_open_queries_at_issue
from lexbill.billing.services.numbers import INVOICE_SERIES, next_number
from lexbill.billing.snapshot import snapshots_for_issue
from lexbill.clients.models import Client, Matter, MatterPayor
from lexbill.core.audit import audit_record
from lexbill.core.errors import Conflict, NotFound, ValidationFailed
from lexbill.core.models import Firm
from lexbill.core.transactions import service_transaction
from lexbill.timekeeping.models import EntryStatus, Expense, TimeEntry


def tax_method_for(client: Client, firm: Firm) -> str:
    method = client_billing_settings(client).tax_method or firm_billing_settings(firm).tax_method or TaxMethod.NONE
    if method not in TaxMethod.values:
        raise ValidationFailed(f"unknown tax method {method!r} for client {client.code}")
    return method


def tax_rates_for(client: Client) -> list[Rate]:
    """The client's own active rates replace the firm-wide ones; otherwise the firm-wide active rates."""
    active = TaxRate.objects.filter(firm_id=client.firm_id, is_active=True).order_by("name", "pk")
    rows = list(active.filter(client=client)) or list(active.filter(client__isnull=True))
    return [Rate(r.name, r.rate_ppm, r.applies_to_fees, r.applies_to_expenses) for r in rows]


def _lock_prebill(prebill: PreBill) -> PreBill:
    locked = (PreBill.objects.select_for_update(of=("self",)).filter(pk=prebill.pk)
              .select_related("client", "firm").first())
    if locked is None:
        raise NotFound(f"no pre-bill {prebill.pk}")
    if locked.status == PreBillStatus.ISSUED:
        raise Conflict(f"pre-bill {locked.pk} is already issued")
    if locked.status != PreBillStatus.APPROVED:
        raise Conflict(f"pre-bill {locked.pk} is {locked.get_status_display().lower()}: only an approved "
                       "pre-bill can be issued")
    return locked


def _lock_sources(lines: list[PreBillLine]) -> tuple[list[TimeEntry], list[Expense]]:
    """Lock the lines' entries and expenses in pk order; each must still be on a pre-bill (not billed)."""
    entry_ids = sorted(line.time_entry_id for line in lines if line.time_entry_id)
    expense_ids = sorted(line.expense_id for line in lines if line.expense_id)
    entries = list(TimeEntry.objects.select_for_update().filter(pk__in=entry_ids).order_by("pk"))
    expenses = list(Expense.objects.select_for_update().filter(pk__in=expense_ids).order_by("pk"))
    rows: list[TimeEntry | Expense] = [*entries, *expenses]
    for row in rows:
        if row.status != EntryStatus.ON_PREBILL:
            kind = "time entry" if isinstance(row, TimeEntry) else "expense"
            raise Conflict(f"{kind} {row.pk} is {row.get_status_display().lower()}, not on this pre-bill")
    return entries, expenses


@dataclass(frozen=True)
class Payor:
    """Who an invoice from this pre-bill is addressed to; several when the matter is split."""

    client: Client
    share_bp: int | None  # None: the one and only payor (no split)
    matter_id: str = ""  # the payor's own matter id, when it has one


def _payors(prebill: PreBill, lines: list[PreBillLine]) -> list[Payor]:
    """The pre-bill's client alone, or the payors of its split matter (largest share first)."""
    rows = list(MatterPayor.objects.filter(matter_id__in={line.matter_id for line in lines}).select_related("client")
                .order_by("-share_bp", "pk"))
    split_matters = {row.matter_id for row in rows}
    if not split_matters:
        return [Payor(prebill.client, None)]
    if prebill.matter_id is None or split_matters != {prebill.matter_id}:
        numbers = ", ".join(sorted(Matter.objects.filter(pk__in=split_matters).values_list("number", flat=True)))
        raise ValidationFailed(f"matter {numbers} is split between payors, so its work must be billed on a pre-bill "
                               f"of its own: reject pre-bill {prebill.pk} and bill the matters again")
    try:
        check_shares([row.share_bp for row in rows])
    except ValueError as exc:
        raise ValidationFailed(f"matter {prebill.matter.number if prebill.matter else ''}: {exc}",
                               field="payors") from None
    return [Payor(row.client, row.share_bp, row.client_matter_id) for row in rows]


def invoices_issue(*, prebill: PreBill, actor: User | None, issued_on: date,
                   now: datetime | None = None) -> list[Invoice]:
    """Issue an approved pre-bill: one invoice, or one per payor when its matter is split (in one transaction:
    all of them or none)."""
    enforce(actor, prebill.firm_id, "invoices.change")
    now = now or timezone.now()
    with service_transaction():
        locked = _lock_prebill(prebill)
        refuse_open_queries_at_issue(locked)  # approved with open queries: only with the approver's reason
        lines = list(locked.lines.filter(is_current=True, is_held=False).select_related("timekeeper")
                     .order_by("position", "pk"))
        if not lines:
            raise ValidationFailed(f"pre-bill {locked.pk} has no lines to bill")
        payors = _payors(locked, lines)
        entries, expenses = _lock_sources(lines)
        whole = [LineShare(line.base_minor, line.adjustment_minor) for line in lines]
        # A split invoice is shared as a whole first, then each payor's share spread over the lines.
        parts = (split_lines(whole, [p.share_bp or 0 for p in payors]) if payors[0].share_bp is not None
                 else [whole])
        snapshots = snapshots_for_issue(  # invariant 2: what the documents will show, frozen now
            firm=locked.firm, clients=[p.client for p in payors],
            matter_ids=[locked.matter_id, *(line.matter_id for line in lines)],
            timekeepers=[line.timekeeper for line in lines], currency=locked.currency, group_by=locked.group_by,
            bill_adjustment=whole_bill_adjustment_label(locked.pk, lines))
        invoices = [_issue_one(locked, lines, payor_parts, payor, snapshots[payor.client.pk], actor=actor,
                               issued_on=issued_on, now=now)
                    for payor, payor_parts in zip(payors, parts, strict=True)]
        _mark_billed(lines, entries, expenses, now)
        PreBillLine.objects.filter(pk__in=[line.pk for line in lines]).update(is_current=False)
        locked.status = PreBillStatus.ISSUED
        locked.save(update_fields=["status", "updated_at"])
    return invoices


def invoice_issue(*, prebill: PreBill, actor: User | None, issued_on: date, now: datetime | None = None) -> Invoice:
    """Issue an approved pre-bill; the invoice (or, for a split matter, the largest payor's invoice)."""
    enforce(actor, prebill.firm_id, "invoices.change")
    return invoices_issue(prebill=prebill, actor=actor, issued_on=issued_on, now=now)[0]


def _issue_one(locked: PreBill, lines: list[PreBillLine], parts: list[LineShare], payor: Payor,
               snapshot: dict[str, Any], *, actor: User | None, issued_on: date, now: datetime) -> Invoice:
    firm, client = locked.firm, payor.client
    number_format = firm_billing_settings(firm).invoice_number_format
    number = next_number(firm=firm, name=INVOICE_SERIES, number_format=number_format, issued_on=issued_on)
    method = tax_method_for(client, firm)
    tax = compute_tax([TaxableLine(line.kind, part.total_minor) for line, part in zip(lines, parts, strict=True)],
                      tax_rates_for(client), method)
    frozen = [_frozen_line(position, line, part, line_tax) for position, (line, part, line_tax)
              in enumerate(zip(lines, parts, tax.line_tax_minor, strict=True), start=1)]
    totals = BillTotals.of(frozen)
    invoice = Invoice.objects.create(
        firm=firm, kind=InvoiceKind.INVOICE, number=number, prebill=locked, client=client, matter=locked.matter,
        payor_share_bp=payor.share_bp, payor_matter_id=payor.matter_id,
        currency=locked.currency, issued_on=issued_on, due_on=issued_on + timedelta(days=client.payment_terms_days),
        period_start=locked.period_start, period_end=locked.period_end, fees_minor=totals.fees_minor,
        expenses_minor=totals.expenses_minor, adjustments_minor=totals.adjustments_minor,
        subtotal_minor=totals.subtotal_minor, tax_minor=tax.tax_minor,
        total_minor=totals.subtotal_minor + tax.tax_minor, tax_method=method, issued_by=actor, issued_at=now,
        snapshot=snapshot)
    for line in frozen:
        line.firm_id, line.invoice = invoice.firm_id, invoice
    InvoiceLine.objects.bulk_create(frozen)
    InvoiceTax.objects.bulk_create([
        InvoiceTax(firm=firm, invoice=invoice, name=r.name, rate_ppm=r.rate_ppm, taxable_minor=r.taxable_minor,
                   tax_minor=r.tax_minor) for r in tax.rates
    ])
    after = {"number": number, "issued_on": issued_on, "lines": len(lines), "subtotal_minor": invoice.subtotal_minor,
             "tax_minor": invoice.tax_minor, "total_minor": invoice.total_minor, "currency": invoice.currency}
    if payor.share_bp is not None:
        after |= {"payor": client.code, "share_bp": payor.share_bp}
    audit_record(firm=firm, actor=actor, action="invoice.issue", instance=invoice, at=now,
                 before={"prebill": locked.pk, "status": PreBillStatus.APPROVED}, after=after)
    return invoice


def _frozen_line(position: int, line: PreBillLine, part: LineShare, tax_minor: int) -> InvoiceLine:
    tk = line.timekeeper
    return InvoiceLine(
        position=position, kind=line.kind, matter_id=line.matter_id,
        time_entry_id=line.time_entry_id, expense_id=line.expense_id, fee_item_id=line.fee_item_id,
        recovery_id=line.recovery_id, on_date=line.on_date, timekeeper=tk,
        timekeeper_name=tk.full_name if tk else "", timekeeper_classification=tk.classification if tk else "",
        hours_worked=line.hours_worked, hours_billed=line.hours_billed, rate_minor=line.rate_minor,
        quantity=line.quantity, unit_cost_minor=line.unit_cost_minor, base_minor=part.base_minor,
        adjustment_minor=part.adjustment_minor, total_minor=part.total_minor, tax_minor=tax_minor,
        narrative=line.narrative, task_code=line.task_code, activity_code=line.activity_code,
        expense_code=line.expense_code, is_no_charge=line.is_no_charge)


def _mark_billed(lines: list[PreBillLine], entries: list[TimeEntry], expenses: list[Expense], now: datetime) -> None:
    # Each entry keeps the rate and the amount it was billed at (the line total, after write-downs).
    by_entry = {line.time_entry_id: line for line in lines if line.time_entry_id}
    for entry in entries:
        line = by_entry[entry.pk]
        entry.status, entry.rate_minor, entry.amount_minor, entry.updated_at = (
            EntryStatus.BILLED, line.rate_minor, line.total_minor, now)
    TimeEntry.objects.bulk_update(entries, ["status", "rate_minor", "amount_minor", "updated_at"], batch_size=500)
    for expense in expenses:
        expense.status, expense.updated_at = EntryStatus.BILLED, now
    Expense.objects.bulk_update(expenses, ["status", "updated_at"], batch_size=500)
