"""Issued invoices for PDF tests, written directly (the issue service is built in parallel).

`make_invoice` freezes a pre-bill made by `make_prebill` into Invoice + InvoiceLine (+ InvoiceTax) rows the
way issuing does: lines copied with timekeeper snapshots, totals from the shared line arithmetic, tax on
the subtotal rounded half-up and spread over the lines by largest remainder, so every check constraint
holds and the line taxes add up to the invoice tax.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from lexbill.billing.domain.lines import BillTotals
from lexbill.billing.models import Invoice, InvoiceLine, InvoiceTax, PreBill, PreBillStatus, TaxMethod
from lexbill.core.money import round_half_up


def _spread(total: int, weights: list[int]) -> list[int]:
    whole = sum(weights)
    if not whole:
        return [0] * len(weights)
    exact = [Decimal(total) * w / whole for w in weights]
    shares = [int(e) for e in exact]  # truncates toward zero; every weight here is >= 0
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def make_invoice(prebill: PreBill, *, number: str, issued_on: date = date(2026, 4, 2),
                 tax: tuple[str, int] | None = None) -> Invoice:
    """tax: (name, rate in ppm) applied to the whole subtotal, or None for no tax."""
    lines = list(prebill.lines.filter(is_current=True).select_related("timekeeper").order_by("position", "id"))
    totals = BillTotals.of(lines)
    tax_minor = round_half_up(Decimal(totals.subtotal_minor) * tax[1] / 1_000_000) if tax else 0
    line_taxes = _spread(tax_minor, [line.total_minor for line in lines])
    invoice = Invoice.objects.create(
        firm=prebill.firm, number=number, prebill=prebill, client=prebill.client, matter=prebill.matter,
        currency=prebill.currency, issued_on=issued_on,
        due_on=issued_on + timedelta(days=prebill.client.payment_terms_days),
        period_start=prebill.period_start, period_end=prebill.period_end,
        fees_minor=totals.fees_minor, expenses_minor=totals.expenses_minor,
        adjustments_minor=totals.adjustments_minor, subtotal_minor=totals.subtotal_minor, tax_minor=tax_minor,
        total_minor=totals.subtotal_minor + tax_minor, tax_method=TaxMethod.ON_TOTAL if tax else TaxMethod.NONE,
        issued_at=datetime.combine(issued_on, time(9), tzinfo=UTC))
    for position, (line, line_tax) in enumerate(zip(lines, line_taxes, strict=True), start=1):
        tk = line.timekeeper
        InvoiceLine.objects.create(
            firm=prebill.firm, invoice=invoice, position=position, kind=line.kind, matter=line.matter,
            time_entry=line.time_entry, expense=line.expense, on_date=line.on_date, timekeeper=tk,
            timekeeper_name=f"{tk.first_name} {tk.last_name}" if tk else "",
            timekeeper_classification=tk.classification if tk else "", hours_worked=line.hours_worked,
            hours_billed=line.hours_billed, rate_minor=line.rate_minor, quantity=line.quantity,
            unit_cost_minor=line.unit_cost_minor, base_minor=line.base_minor,
            adjustment_minor=line.adjustment_minor, total_minor=line.total_minor, tax_minor=line_tax,
            narrative=line.narrative, task_code=line.task_code, activity_code=line.activity_code,
            expense_code=line.expense_code, is_no_charge=line.is_no_charge)
    if tax:
        InvoiceTax.objects.create(firm=prebill.firm, invoice=invoice, name=tax[0], rate_ppm=tax[1],
                                  taxable_minor=totals.subtotal_minor, tax_minor=tax_minor)
    prebill.status = PreBillStatus.ISSUED
    prebill.save(update_fields=["status"])
    return invoice
