"""Invoices as the client and matter pages list them: each with its status, and the invoiced totals.

Status is derived, never stored (an issued invoice is frozen): a credit note is a credit note; an invoice
is credited (in full or in part) when credit notes point at it, else sent once a delivery was accepted by
the mail server, else issued. Payments do not exist yet, so there is no balance here, only what was invoiced.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from lexbill.clients.models import Client, Matter

from .models import Delivery, DeliveryStatus, Invoice, InvoiceKind, InvoiceLine


@dataclass(frozen=True)
class InvoicedTotal:
    currency: str
    invoiced_minor: int  # invoices' totals
    credited_minor: int  # credit notes' totals (negative)

    @property
    def net_minor(self) -> int:
        return self.invoiced_minor + self.credited_minor


def invoices_of(invoices: QuerySet[Invoice], *, client: Client | None = None,
                matter: Matter | None = None) -> QuerySet[Invoice]:
    """The client's invoices and credit notes, or the matter's (its own and consolidated ones with a line of it)."""
    if matter is not None:
        with_line = InvoiceLine.objects.filter(matter=matter).values("invoice_id")
        return invoices.filter(Q(matter=matter) | Q(matter__isnull=True, pk__in=with_line))
    return invoices.filter(client=client)


def with_status(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """Annotate `credited_total_minor` and `is_sent`, read by `invoice_status`; no query per row."""
    credits = (Invoice.objects.filter(credits=OuterRef("pk"), kind=InvoiceKind.CREDIT_NOTE).order_by()
               .values("credits").annotate(s=Sum("total_minor")).values("s"))
    sent = Delivery.objects.filter(invoice=OuterRef("pk"), status=DeliveryStatus.SENT)
    return invoices.annotate(credited_total_minor=Coalesce(Subquery(credits), Value(0)), is_sent=Exists(sent))


def invoice_status(invoice: Invoice) -> str:
    if invoice.kind == InvoiceKind.CREDIT_NOTE:
        return "credit note"
    credited = -invoice.credited_total_minor  # type: ignore[attr-defined]
    if credited and credited >= invoice.total_minor:
        return "credited"
    if credited:
        return "part credited"
    return "sent" if invoice.is_sent else "issued"  # type: ignore[attr-defined]


def invoiced_totals(invoices: QuerySet[Invoice]) -> list[InvoicedTotal]:
    """Invoiced and credited totals per currency, in one query."""
    rows = (invoices.order_by().values("currency")
            .annotate(invoiced=Coalesce(Sum("total_minor", filter=Q(kind=InvoiceKind.INVOICE)), Value(0)),
                      credited=Coalesce(Sum("total_minor", filter=Q(kind=InvoiceKind.CREDIT_NOTE)), Value(0)))
            .order_by("currency"))
    return [InvoicedTotal(r["currency"], r["invoiced"], r["credited"]) for r in rows]
