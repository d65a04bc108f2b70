"""Issued invoices for PDF tests, written directly (the issue service is built in parallel).

`make_invoice` freezes a pre-bill made by `make_prebill` into Invoice + InvoiceLine (+ InvoiceTax) rows the
way issuing does: lines copied with timekeeper snapshots, totals from the shared line arithmetic, tax on
the subtotal rounded half-up and spread over the lines by largest remainder, so every check constraint
holds and the line taxes add up to the invoice tax.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection

from lexbill.billing.domain.lines import BillTotals
from lexbill.billing.models import Invoice, InvoiceLine, InvoiceTax, PreBill, PreBillStatus, TaxMethod
from lexbill.clients.models import Client, Matter
from lexbill.core.models import Firm
from lexbill.core.money import round_half_up
from lexbill.staff.models import Timekeeper
from lexbill.testing.billing import make_prebill
from lexbill.testing.settings_rows import set_firm_settings


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


def pdf_text(pdf: bytes) -> str:
    """The text a client's software extracts: `pdftotext -layout` (Debian poppler-utils)."""
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def pdf_pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def normalised(text: str) -> str:
    """Whitespace-insensitive text: each non-empty line with its runs of spaces collapsed to one."""
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip()) + "\n"


def letterhead(firm: Firm, client: Client, matter: Matter) -> None:
    firm.address_line1, firm.city, firm.region, firm.postcode, firm.country = (
        "100 Federal Street, Suite 1200", "Boston", "MA", "02110", "US")
    firm.save(update_fields=["address_line1", "city", "region", "postcode", "country"])
    set_firm_settings(firm, payment_instructions=(
        "Pay by wire to Harbor Trust Bank, ABA 011000138, account 00123456789.\n"
        "Please quote the invoice number with your payment."))
    client.address_line1, client.city, client.region, client.postcode = "1 Acme Way", "Springfield", "IL", "62701"
    client.save(update_fields=["address_line1", "city", "region", "postcode"])
    matter.client_matter_id = "LIT-2026-17"
    matter.save(update_fields=["client_matter_id"])


def standard_prebill(firm: Firm, matter: Matter, partner: Timekeeper, associate: Timekeeper, *,
                     group_by: str = "date") -> PreBill:
    """Four fee lines in three UTBMS phases, two expenses, a 10 % write-down on one line.

    fees 1,250.00 + 960.00 + 200.00 + 300.00 = 2,710.00; expenses 405.00 + 1.80 = 406.80;
    adjustments -96.00; subtotal 3,020.80.
    """
    letterhead(firm, matter.client, matter)
    prebill = make_prebill(
        firm, matter, period_start=date(2026, 3, 1), period_end=date(2026, 3, 31), group_by=group_by,
        work=[(partner, date(2026, 3, 2), "2.5", "Draft complaint and review exhibits"),
              (associate, date(2026, 3, 3), "3.2", "Research statute of limitations issues"),
              (partner, date(2026, 3, 10), "0.4", "Call with client re settlement posture"),
              (associate, date(2026, 3, 12), "1.0", "Prepare first document requests")],
        expenses=[(date(2026, 3, 5), "Court filing fee", 40500, "1"),
                  (date(2026, 3, 6), "Photocopies", 15, "12")])
    prebill.lines.filter(position=2).update(adjustment_minor=-9600, total_minor=86400)
    prebill.lines.filter(position=3).update(task_code="L160")
    prebill.lines.filter(position=4).update(task_code="L310")
    return prebill


@contextmanager
def behind_the_services_back(table: str = "billing_invoiceline") -> Iterator[None]:
    """Lift the frozen-invoice trigger of one table for the block: tests that simulate tampering with an
    issued invoice (or take a shortcut to odd data) need to get past the database's own guard."""
    trigger = f"{table}_frozen"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE waits for no deferred foreign-key checks: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
            try:
                yield
            finally:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [trigger])
            (create_sql,) = cursor.fetchone()
            cursor.execute(f"DROP TRIGGER {trigger}")
            try:
                yield
            finally:
                cursor.execute(create_sql)
