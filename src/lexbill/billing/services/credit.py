"""Credit notes (full or partial) and the re-bill of a fully credited invoice's work.

A credit note is an Invoice of kind CREDIT_NOTE with its own series and negative lines. A full credit note
negates every line and tax of the invoice and puts its time entries and expenses back into WIP; a partial
one is a single adjustment line of -X plus its share of the invoice's tax.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Q, Sum
from django.utils import timezone

from lexbill.access import enforce
from lexbill.billing.domain.lines import BillTotals, fee_base_minor
from lexbill.billing.models import (
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceTax,
    LineKind,
    PreBill,
    PreBillLine,
    PreBillStatus,
    firm_billing_settings,
)
from lexbill.billing.selectors_invoice import credited_minor
from lexbill.billing.services.numbers import CREDIT_NOTE_SERIES, next_number
from lexbill.billing.snapshot import snapshot_for_credit_note
from lexbill.core.audit import audit_record
from lexbill.core.errors import Conflict, NotFound, ValidationFailed
from lexbill.core.money import format_money, round_half_up
from lexbill.core.transactions import service_transaction
from lexbill.rates.services import rate_resolve
from lexbill.timekeeping.models import ChargeType, EntryStatus, Expense, TimeEntry


def _cumulative_share(part_before: int, part: int, whole: int, amount: int) -> int:
    """amount x part / whole, rounded so that successive parts' shares always sum to amount x total / whole:
    the share of each credit is the rounded cumulative share minus the one already taken."""
    return (round_half_up(Decimal(amount) * (part_before + part) / whole)
            - round_half_up(Decimal(amount) * part_before / whole))


def credit_note_issue(
    *, invoice: Invoice, actor: User | None, reason: str, issued_on: date, full: bool = False,
    amount_minor: int | None = None, now: datetime | None = None,
) -> Invoice:
    enforce(actor, invoice.firm_id, "invoices.change", invoice)
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("a credit note needs a reason", field="reason")
    if full == (amount_minor is not None):
        raise ValidationFailed("credit either the full invoice or an amount, not both or neither")
    if amount_minor is not None and amount_minor <= 0:
        raise ValidationFailed("the amount to credit must be more than zero", field="amount")
    with service_transaction():
        locked = _lock_with_payor_siblings(invoice)
        if locked.kind != InvoiceKind.INVOICE:
            raise ValidationFailed(f"{locked.number} is a credit note: only an invoice can be credited")
        if issued_on < locked.issued_on:
            raise ValidationFailed(f"a credit note cannot be dated before its invoice ({locked.issued_on})")
        already = credited_minor(locked)
        left = locked.subtotal_minor - already
        if full and already:
            raise Conflict(f"{locked.number} is already partly credited ({format_money(already, locked.currency)}): "
                           f"credit the {format_money(left, locked.currency)} left with an amount")
        if amount_minor is not None and amount_minor > left:
            raise Conflict(f"cannot credit {format_money(amount_minor, locked.currency)} on {locked.number}: only "
                           f"{format_money(left, locked.currency)} is left uncredited")
        if left <= 0:
            raise Conflict(f"{locked.number} is already fully credited")
        firm = locked.firm
        number = next_number(firm=firm, name=CREDIT_NOTE_SERIES,
                             number_format=firm_billing_settings(firm).credit_note_number_format, issued_on=issued_on)
        src_lines = list(locked.lines.order_by("position"))
        src_taxes = list(locked.taxes.order_by("pk"))
        if full:
            lines = [_negated(line) for line in src_lines]
            taxes = [(t.name, t.rate_ppm, -t.taxable_minor, -t.tax_minor) for t in src_taxes]
        else:
            assert amount_minor is not None
            taxes = [(t.name, t.rate_ppm,
                      -_cumulative_share(already, amount_minor, locked.subtotal_minor, t.taxable_minor),
                      -_cumulative_share(already, amount_minor, locked.subtotal_minor, t.tax_minor))
                     for t in src_taxes]
            lines = [InvoiceLine(
                kind=LineKind.ADJUSTMENT, matter_id=locked.matter_id or src_lines[0].matter_id, on_date=issued_on,
                base_minor=-amount_minor, adjustment_minor=0, total_minor=-amount_minor,
                tax_minor=sum(t[3] for t in taxes), narrative=reason)]
        totals = BillTotals.of(lines)
        tax_minor = sum(line.tax_minor for line in lines)
        note = Invoice.objects.create(
            firm=firm, kind=InvoiceKind.CREDIT_NOTE, number=number, credits=locked, reason=reason,
            client=locked.client, matter=locked.matter, currency=locked.currency, issued_on=issued_on,
            due_on=issued_on, period_start=locked.period_start, period_end=locked.period_end,
            fees_minor=totals.fees_minor, expenses_minor=totals.expenses_minor,
            adjustments_minor=totals.adjustments_minor, subtotal_minor=totals.subtotal_minor, tax_minor=tax_minor,
            total_minor=totals.subtotal_minor + tax_minor, tax_method=locked.tax_method, issued_by=actor,
            issued_at=now, snapshot=snapshot_for_credit_note(
                firm=firm, client=locked.client, credited_number=locked.number, credited=locked.snapshot))
        for position, line in enumerate(lines, start=1):
            line.firm, line.invoice, line.position = firm, note, position
        InvoiceLine.objects.bulk_create(lines)
        InvoiceTax.objects.bulk_create([
            InvoiceTax(firm=firm, invoice=note, name=name, rate_ppm=ppm, taxable_minor=taxable, tax_minor=tax)
            for name, ppm, taxable, tax in taxes])
        released = _release_to_wip(src_lines) if full and _other_payors_credited(locked) else 0
        audit_record(firm=firm, actor=actor, action="credit_note.issue", instance=note, at=now,
                     before={"invoice": locked.number, "credited_minor": already},
                     after={"number": number, "full": full, "reason": reason, "subtotal_minor": note.subtotal_minor,
                            "tax_minor": note.tax_minor, "total_minor": note.total_minor,
                            "released_to_wip": released})
    return note


def _lock_with_payor_siblings(invoice: Invoice) -> Invoice:
    """Lock the invoice and, when it is one payor's share of a split bill, every payor's invoice of that bill,
    in primary-key order (so two credits of the same bill take the locks in the same order and never deadlock).

    Whether the work goes back to WIP depends on whether the *other* payors are wholly credited: with only
    its own row locked, two simultaneous full credits each saw the other not yet credited and neither
    released the work, which then stayed billed for ever. Holding the siblings' locks makes the second
    credit wait for the first to commit, and then see it."""
    row = Invoice.objects.filter(pk=invoice.pk).values("prebill_id", "payor_share_bp").first()
    if row is None:
        raise NotFound(f"no invoice {invoice.pk}")
    rows = Q(pk=invoice.pk)
    if row["payor_share_bp"] is not None and row["prebill_id"] is not None:
        rows |= Q(prebill_id=row["prebill_id"], kind=InvoiceKind.INVOICE)
    locked = list(Invoice.objects.select_for_update(of=("self",)).filter(rows).select_related("firm", "client")
                  .order_by("pk"))
    own = next((candidate for candidate in locked if candidate.pk == invoice.pk), None)
    if own is None:
        raise NotFound(f"no invoice {invoice.pk}")
    return own


def _negated(line: InvoiceLine) -> InvoiceLine:
    return InvoiceLine(
        kind=line.kind, matter_id=line.matter_id, time_entry_id=line.time_entry_id, expense_id=line.expense_id,
        fee_item_id=line.fee_item_id, recovery_id=line.recovery_id, on_date=line.on_date,
        timekeeper_id=line.timekeeper_id, timekeeper_name=line.timekeeper_name,
        timekeeper_classification=line.timekeeper_classification, hours_worked=line.hours_worked,
        hours_billed=line.hours_billed, rate_minor=line.rate_minor, quantity=line.quantity,
        unit_cost_minor=line.unit_cost_minor, base_minor=-line.base_minor, adjustment_minor=-line.adjustment_minor,
        total_minor=-line.total_minor, tax_minor=-line.tax_minor, narrative=line.narrative, task_code=line.task_code,
        activity_code=line.activity_code, expense_code=line.expense_code, is_no_charge=line.is_no_charge)


def _release_to_wip(lines: list[InvoiceLine]) -> int:
    """Billed entries and expenses of a fully credited invoice go back to WIP, their snapshots cleared."""
    entry_ids = sorted(line.time_entry_id for line in lines if line.time_entry_id)
    expense_ids = sorted(line.expense_id for line in lines if line.expense_id)
    entries = list(TimeEntry.objects.select_for_update().filter(pk__in=entry_ids).order_by("pk"))
    expenses = list(Expense.objects.select_for_update().filter(pk__in=expense_ids).order_by("pk"))
    now = timezone.now()
    for entry in entries:
        entry.status, entry.rate_minor, entry.amount_minor, entry.updated_at = EntryStatus.OPEN, None, None, now
    TimeEntry.objects.bulk_update(entries, ["status", "rate_minor", "amount_minor", "updated_at"], batch_size=500)
    for expense in expenses:
        expense.status, expense.updated_at = EntryStatus.OPEN, now
    Expense.objects.bulk_update(expenses, ["status", "updated_at"], batch_size=500)
    return len(entries) + len(expenses)


def _other_payors_credited(invoice: Invoice) -> bool:
    """Split billing: the payors' invoices bill the same work, so it goes back to WIP only once every payor's
    invoice is wholly credited (this one last); until then the other payors are still billed for it."""
    if invoice.payor_share_bp is None or invoice.prebill_id is None:
        return True
    siblings = Invoice.objects.filter(prebill_id=invoice.prebill_id, kind=InvoiceKind.INVOICE).exclude(pk=invoice.pk)
    return all(credited_minor(other) == other.subtotal_minor for other in siblings)


def _whole_bases(invoice: Invoice) -> dict[int, int]:
    """Split billing: each line's base over all the payors' invoices (the bill before it was shared)."""
    if invoice.payor_share_bp is None or invoice.prebill_id is None:
        return {}
    rows = (InvoiceLine.objects.filter(invoice__prebill_id=invoice.prebill_id, invoice__kind=InvoiceKind.INVOICE)
            .values("position").annotate(base=Sum("base_minor")).values_list("position", "base"))
    return dict(rows)


def _is_full(note: Invoice, invoice: Invoice) -> bool:
    return (note.subtotal_minor == -invoice.subtotal_minor
            and note.lines.count() == invoice.lines.count()
            and note.lines.exclude(time_entry=None, expense=None, fee_item=None, recovery=None).exists())


def prebill_rebill(*, credit_note: Invoice, actor: User | None, now: datetime | None = None) -> PreBill:
    """A draft pre-bill from the work of a fully credited invoice, priced afresh like a bill run would.

    Time is priced at today's rate resolution for the date worked; expenses at their amount; flat fees and
    contingency shares at the base they were billed at. Write-downs and bill-level adjustments are not
    carried over: the reviewer applies them again on the new pre-bill.
    """
    enforce(actor, credit_note.firm_id, "invoices.change", credit_note)
    now = now or timezone.now()
    with service_transaction():
        note = (Invoice.objects.select_for_update(of=("self",)).filter(pk=credit_note.pk)
                .select_related("credits").first())
        if note is None or note.kind != InvoiceKind.CREDIT_NOTE or note.credits is None:
            raise ValidationFailed("only a credit note can be re-billed")
        invoice = note.credits
        if not _is_full(note, invoice):
            raise ValidationFailed(f"{note.number} is a partial credit note: only a full credit releases work "
                                   "to re-bill")
        src_lines = list(invoice.lines.select_related("matter", "timekeeper").order_by("position"))
        entries = {e.pk: e for e in TimeEntry.objects.select_for_update(of=("self",))
                   .select_related("matter", "timekeeper")
                   .filter(pk__in=sorted(x.time_entry_id for x in src_lines if x.time_entry_id)).order_by("pk")}
        expenses = {e.pk: e for e in Expense.objects.select_for_update()
                    .filter(pk__in=sorted(x.expense_id for x in src_lines if x.expense_id)).order_by("pk")}
        sources: list[TimeEntry | Expense] = [*entries.values(), *expenses.values()]
        for row in sources:
            if row.status != EntryStatus.OPEN:
                if row.status == EntryStatus.BILLED and invoice.payor_share_bp is not None:
                    raise Conflict(f"the work of {invoice.number} is still billed to the matter's other payors: "
                                   "credit their invoices in full too, then re-bill")
                raise Conflict(f"the work of {note.number} is already {row.get_status_display().lower()}: "
                               "it was re-billed before")
        # A split invoice's work is re-billed to the matter's client, and split again when issued.
        client = invoice.matter.client if invoice.payor_share_bp is not None and invoice.matter else invoice.client
        whole = _whole_bases(invoice)
        prebill = PreBill.objects.create(
            firm=invoice.firm, client=client, matter=invoice.matter, currency=invoice.currency,
            period_start=invoice.period_start, period_end=invoice.period_end or invoice.issued_on,
            status=PreBillStatus.DRAFT)
        new_lines: list[PreBillLine] = []
        for src in src_lines:
            line = _rebill_line(src, entries, expenses, whole.get(src.position, src.base_minor))
            if line is not None:
                line.firm, line.prebill, line.position = invoice.firm, prebill, len(new_lines) + 1
                new_lines.append(line)
        if not new_lines:
            raise ValidationFailed(f"{invoice.number} has no work to re-bill")
        PreBillLine.objects.bulk_create(new_lines)
        for row in sources:
            row.status = EntryStatus.ON_PREBILL
        TimeEntry.objects.bulk_update(list(entries.values()), ["status"])
        Expense.objects.bulk_update(list(expenses.values()), ["status"])
        audit_record(firm=invoice.firm, actor=actor, action="prebill.rebill", entity="prebill", entity_id=prebill.pk,
                     at=now, before={"credit_note": note.number, "invoice": invoice.number},
                     after={"prebill": prebill.pk, "lines": len(new_lines),
                            "subtotal_minor": BillTotals.of(new_lines).subtotal_minor})
    return prebill


def _rebill_line(src: InvoiceLine, entries: dict[int, TimeEntry], expenses: dict[int, Expense],
                 whole_base_minor: int) -> PreBillLine | None:
    common = {"kind": src.kind, "matter_id": src.matter_id, "on_date": src.on_date, "narrative": src.narrative,
              "task_code": src.task_code, "activity_code": src.activity_code, "expense_code": src.expense_code,
              "adjustment_minor": 0}
    if src.time_entry_id:
        entry = entries[src.time_entry_id]
        rate = rate_resolve(matter=entry.matter, timekeeper=entry.timekeeper, worked_on=entry.worked_on).rate_minor
        no_charge = entry.charge_type == ChargeType.NO_CHARGE
        base = fee_base_minor(entry.hours_billable, rate, is_no_charge=no_charge)
        return PreBillLine(**common, time_entry=entry, timekeeper=entry.timekeeper, hours_worked=entry.hours_worked,
                           hours_billed=entry.hours_billable, rate_minor=rate, base_minor=base, total_minor=base,
                           is_no_charge=no_charge)
    if src.expense_id:
        expense = expenses[src.expense_id]
        return PreBillLine(**common, expense=expense, quantity=expense.quantity,
                           unit_cost_minor=expense.unit_cost_minor, base_minor=expense.amount_minor,
                           total_minor=expense.amount_minor)
    if src.fee_item_id or src.recovery_id:
        return PreBillLine(**common, fee_item_id=src.fee_item_id, recovery_id=src.recovery_id,
                           base_minor=whole_base_minor, total_minor=whole_base_minor)
    return None
