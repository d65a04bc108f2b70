"""Reads of invoices and credit notes."""

from __future__ import annotations

from django.db.models import QuerySet, Sum

from lexbill.access import Actor, restrict
from lexbill.core.errors import NotFound

from .models import Invoice, InvoiceKind, PreBill, PreBillStatus


def visible_invoices(actor: Actor | None) -> QuerySet[Invoice]:
    """Invoices and credit notes the actor may see (an attorney: those of her matters; None: all)."""
    return restrict(actor, "invoices", Invoice.objects.all())


def invoice_list(*, kind: str | None = None, client_code: str | None = None,
                 actor: Actor | None = None) -> QuerySet[Invoice]:
    qs = visible_invoices(actor).select_related("client", "matter", "credits").order_by("issued_on", "kind", "number")
    if kind:
        qs = qs.filter(kind=kind)
    if client_code:
        qs = qs.filter(client__code=client_code)
    return qs


def invoice_by_number(number: str, actor: Actor | None = None) -> Invoice:
    """The invoice or credit note with this number (invoices first when a credit note shares it)."""
    found = (visible_invoices(actor).select_related("client", "matter", "credits", "firm", "prebill")
             .prefetch_related("lines", "taxes").filter(number=number.strip()).order_by("-kind").first())
    if found is None:
        raise NotFound(f"no invoice with number '{number}'")
    return found


def credited_minor(invoice: Invoice) -> int:
    """How much of the invoice's subtotal (before tax) credit notes have credited so far, as a positive amount."""
    total = Invoice.objects.filter(credits=invoice, kind=InvoiceKind.CREDIT_NOTE).aggregate(s=Sum("subtotal_minor"))
    return -(total["s"] or 0)


def approved_prebills() -> QuerySet[PreBill]:
    return PreBill.objects.filter(status=PreBillStatus.APPROVED).order_by("pk")


def split_siblings(invoice: Invoice) -> list[Invoice]:
    """Split billing: the other payors' invoices issued from the same pre-bill (with their clients)."""
    if invoice.payor_share_bp is None or invoice.prebill_id is None:
        return []
    return list(Invoice.objects.filter(prebill_id=invoice.prebill_id, kind=InvoiceKind.INVOICE)
                .exclude(pk=invoice.pk).select_related("client").order_by("number"))
