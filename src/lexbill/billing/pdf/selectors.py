"""Reads for the PDF commands: one invoice by number, one pre-bill by id, in the active firm's scope."""

from __future__ import annotations

from lexbill.billing.models import Invoice, InvoiceKind, PreBill
from lexbill.core.errors import NotFound


def invoice_by_number(number: str) -> Invoice:
    """An invoice, or a credit note when no invoice has that number (the two series have their own formats)."""
    found = sorted(Invoice.objects.select_related("firm", "client", "matter", "prebill", "credits")
                   .filter(number=number.strip()), key=lambda inv: inv.kind != InvoiceKind.INVOICE)
    if not found:
        raise NotFound(f"no invoice numbered {number!r}")
    return found[0]


def prebill_by_id(prebill_id: int) -> PreBill:
    prebill = PreBill.objects.select_related("firm", "client", "matter").filter(pk=prebill_id).first()
    if prebill is None:
        raise NotFound(f"no pre-bill {prebill_id}")
    return prebill
