"""/invoices: issue an approved pre-bill, read invoices and credit notes, their PDF, credit an invoice.

An invoice never changes once issued (invariant 2): there is no PATCH or DELETE, corrections are credit
notes. Issuing and crediting are for the admin and billing roles; every staff role can read.
"""

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status

from lexbill.billing.models import Invoice, InvoiceKind, PreBill
from lexbill.billing.selectors_invoice import credited_minor, invoice_list, split_siblings
from lexbill.billing.services.credit import credit_note_issue
from lexbill.billing.services.invoice_pdf import invoice_pdf_render
from lexbill.billing.services.issue import invoice_issue
from lexbill.core.errors import ValidationFailed

from .access import allow, bound_actor
from .auth import actor
from .billing_prebills import ERRORS, page, signed_minor
from .common import ObjectId, get_or_404
from .idempotency import idempotent
from .schemas import ErrorOut, money_str
from .schemas_billing import (
    CreditNoteIn,
    InvoiceDetailOut,
    InvoiceIn,
    InvoicePage,
    invoice_line_out,
    invoice_out,
    invoice_tax_out,
)

router = Router(tags=["billing"])

PDF_RESPONSE = {"200": {"description": "The invoice as a PDF",
                        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}


def _invoices() -> QuerySet[Invoice]:
    return invoice_list(actor=bound_actor()).select_related("prebill")


def _detail(invoice_id: int) -> dict[str, Any]:
    inv = get_or_404(_invoices().select_related("firm"), invoice_id, "invoice")
    lines = inv.lines.select_related("matter").order_by("position")
    return {
        **invoice_out(inv),
        "lines": [invoice_line_out(line, inv.currency) for line in lines],
        "taxes": [invoice_tax_out(tax, inv.currency) for tax in inv.taxes.order_by("name", "pk")],
        "credited": money_str(credited_minor(inv) if inv.kind == InvoiceKind.INVOICE else 0, inv.currency),
        "credit_notes": list(inv.credit_notes.order_by("issued_on", "number").values_list("number", flat=True)),
        "split_invoices": [other.number for other in split_siblings(inv)],
    }


@router.post("/invoices/", response={201: InvoiceDetailOut, **ERRORS})
@allow("invoices.change")
@idempotent
def issue_invoice(request: HttpRequest, payload: InvoiceIn) -> Status:
    """Issue an approved pre-bill: a gapless number, frozen lines and totals, tax. Issuing it again is 409."""
    prebill = get_or_404(PreBill.objects.all(), payload.prebill, "pre-bill")
    issued_on = payload.issued_on or timezone.localdate()
    invoice = invoice_issue(prebill=prebill, actor=actor(request), issued_on=issued_on)
    return Status(201, _detail(invoice.pk))


@router.get("/invoices/", response=InvoicePage)
@allow("invoices.view")
def list_invoices(
    request: HttpRequest,
    kind: InvoiceKind | None = None,
    client: str | None = Query(None, max_length=30, description="client code"),
    matter: str | None = Query(None, max_length=40, description="matter number"),
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=1_000_000_000),
) -> dict[str, Any]:
    invoices = _invoices()
    if kind:
        invoices = invoices.filter(kind=kind)
    if client:
        invoices = invoices.filter(client__code=client.strip())
    if matter:
        invoices = invoices.filter(matter__number=matter.strip())
    if date_from:
        invoices = invoices.filter(issued_on__gte=date_from)
    if date_to:
        invoices = invoices.filter(issued_on__lte=date_to)
    return page(invoices, limit, offset, invoice_out)


@router.get("/invoices/{invoice_id}", response={200: InvoiceDetailOut, 404: ErrorOut})
@allow("invoices.view")
def get_invoice(request: HttpRequest, invoice_id: ObjectId) -> dict[str, Any]:
    return _detail(invoice_id)


@router.get("/invoices/{invoice_id}/pdf", response={404: ErrorOut, 409: ErrorOut},
            openapi_extra={"responses": PDF_RESPONSE})
@allow("invoices.view")
def invoice_pdf(request: HttpRequest, invoice_id: ObjectId) -> HttpResponse:
    """The invoice PDF; the first rendering records its SHA-256, later ones must match it (else 409)."""
    inv = get_or_404(_invoices().select_related("firm"), invoice_id, "invoice")
    pdf = invoice_pdf_render(invoice=inv, actor=actor(request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{inv.number}.pdf"'
    return response


@router.post("/invoices/{invoice_id}/credit-notes", response={201: InvoiceDetailOut, **ERRORS})
@allow("invoices.change")
@idempotent
def credit_invoice(request: HttpRequest, invoice_id: ObjectId, payload: CreditNoteIn) -> Status:
    """A credit note for the whole invoice (`full`) or an amount before tax, with a reason."""
    inv = get_or_404(_invoices().select_related("firm"), invoice_id, "invoice")
    if payload.full == (payload.amount is not None):
        raise ValidationFailed("credit either the full invoice or an amount, not both or neither", field="amount")
    amount_minor = signed_minor(payload.amount, inv.currency, "amount") if payload.amount is not None else None
    note = credit_note_issue(invoice=inv, actor=actor(request), reason=payload.reason, full=payload.full,
                             amount_minor=amount_minor, issued_on=payload.issued_on or timezone.localdate())
    return Status(201, _detail(note.pk))
