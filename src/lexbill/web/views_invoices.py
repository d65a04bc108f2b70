"""Invoice pages: the list with filters, the detail (frozen lines, taxes, credit notes), the PDF download,
the credit-note form and the re-bill of a fully credited invoice's work.

Who sees what: admin, billing and accounting see every invoice; an attorney sees the invoices of the
matters they are billing attorney of (a consolidated invoice when one of its lines is theirs); a client
user or a stranger gets 404. Only admin and billing credit or re-bill. Every figure shown is a stored
integer formatted with core.money: the page adds nothing up itself except the timekeeper summary, whose
rows are sums of stored line amounts (charged hours only, so hours x rate = amount; no-charge hours apart).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from lexbill.billing.domain.timekeepers import charged_and_free_hours, timekeeper_summary
from lexbill.billing.models import Delivery, Invoice, InvoiceKind, InvoiceTax
from lexbill.billing.selectors_invoice import credited_minor, split_siblings
from lexbill.billing.selectors_invoice import visible_invoices as invoices_visible_to
from lexbill.billing.services.credit import credit_note_issue, prebill_rebill
from lexbill.billing.services.invoice_pdf import invoice_pdf_render
from lexbill.billing.services.send import delivery_retry, invoice_send
from lexbill.core.errors import LexbillError
from lexbill.ebilling.models import client_ebilling_settings

from .access import actor_of_request, can_do, firm_member_required
from .forms_invoices import CreditNoteForm, InvoiceFilterForm
from .service_forms import save_form
from .views_bulk import bulk_actions
from .views_records.common import actor_of, paginate

_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def visible_invoices(request: HttpRequest) -> QuerySet[Invoice]:
    """The invoices and credit notes the caller may see (lexbill.access: an attorney, those of her matters)."""
    return invoices_visible_to(actor_of_request(request))


@firm_member_required("invoices.view")
def invoice_list(request: HttpRequest) -> HttpResponse:
    form = InvoiceFilterForm(request.GET)
    filters = form.filters()
    invoices = visible_invoices(request).select_related("client", "matter", "credits")
    if "q" in filters:
        invoices = invoices.filter(number__icontains=filters["q"].strip())
    if "client" in filters:
        invoices = invoices.filter(client__code__iexact=filters["client"].strip())
    if "kind" in filters:
        invoices = invoices.filter(kind=filters["kind"])
    if "date_from" in filters:
        invoices = invoices.filter(issued_on__gte=filters["date_from"])
    if "date_to" in filters:
        invoices = invoices.filter(issued_on__lte=filters["date_to"])
    invoices = invoices.order_by("-issued_on", "-pk")
    return render(request, "web/invoices/invoice_list.html", {"page": paginate(request, invoices), "form": form,
                                                              "bulk": bulk_actions(request, invoices=True)})


def _credit_notes(invoice: Invoice, line_count: int) -> list[Any]:
    notes = list(Invoice.objects.filter(credits=invoice, kind=InvoiceKind.CREDIT_NOTE)
                 .annotate(line_count=Count("lines")).order_by("issued_on", "pk"))
    for note in notes:
        # A full credit note negates every line (prebill_rebill checks the same and refuses otherwise).
        note.is_full = (note.subtotal_minor == -invoice.subtotal_minor  # type: ignore[attr-defined]
                        and note.line_count == line_count)  # type: ignore[attr-defined]
    return notes


def _with_percent(tax: InvoiceTax) -> InvoiceTax:
    # Exact, from parts per million: 200000 -> "20%", 88750 -> "8.875%".
    text = f"{Decimal(tax.rate_ppm) / Decimal(10000):f}"
    tax.percent = (text.rstrip("0").rstrip(".") if "." in text else text) + "%"  # type: ignore[attr-defined]
    return tax


def _detail(request: HttpRequest, invoice: Invoice, credit_form: CreditNoteForm | None = None) -> HttpResponse:
    lines = list(invoice.lines.select_related("matter", "timekeeper").order_by("position"))
    is_invoice = invoice.kind == InvoiceKind.INVOICE
    can_edit = can_do(request, "invoices.change")
    left_minor = invoice.subtotal_minor - credited_minor(invoice) if is_invoice else 0
    context = {
        "invoice": invoice,
        "is_invoice": is_invoice,
        "lines": lines,
        # Charged hours per timekeeper and rate (hours x rate = amount), no-charge hours on rows of their own.
        "timekeepers": timekeeper_summary(lines),
        "no_charge_hours": charged_and_free_hours(lines)[1],
        "taxes": [_with_percent(tax) for tax in invoice.taxes.order_by("pk")],
        "credit_notes": _credit_notes(invoice, len(lines)) if is_invoice else [],
        "split_siblings": split_siblings(invoice),
        "client_ebilling": client_ebilling_settings(invoice.client),
        "credited_minor": invoice.subtotal_minor - left_minor if is_invoice else 0,
        "left_minor": left_minor,
        "can_edit": can_edit,
        "deliveries": list(invoice.deliveries.order_by("-attempted_at", "-pk")),
        # A posted form is shown back with its errors, even where a fresh one would not be offered.
        "credit_form": credit_form or (CreditNoteForm(currency=invoice.currency, today=timezone.localdate())
                                       if can_edit and is_invoice and left_minor > 0 else None),
    }
    return render(request, "web/invoices/invoice_detail.html", context)


def _get(request: HttpRequest, pk: int) -> Invoice:
    return get_object_or_404(visible_invoices(request).select_related(
        "client", "matter", "credits", "prebill", "issued_by", "firm"), pk=pk)


@firm_member_required("invoices.view")
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get(request, pk))


@firm_member_required("invoices.view")
def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _get(request, pk)
    try:
        pdf = invoice_pdf_render(invoice=invoice, actor=actor_of(request))
    except LexbillError as exc:
        messages.error(request, exc.message)
        return redirect("invoice_detail", pk=invoice.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = _UNSAFE_FILENAME.sub("_", invoice.number) or f"invoice-{invoice.pk}"
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response


@firm_member_required("invoices.change")
@require_POST
def invoice_send_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Send (or resend) the invoice to its billing contacts; the page shows how it went."""
    invoice = _get(request, pk)
    try:
        delivery = invoice_send(invoice=invoice, actor=actor_of(request), now=timezone.now())
    except LexbillError as exc:  # the Delivery, FAILED with the server's answer, is on the page
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{invoice.number} sent to {', '.join(delivery.recipients)}.")
    return redirect("invoice_detail", pk=invoice.pk)


@firm_member_required("invoices.change")
@require_POST
def delivery_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a failed (or cut-off) delivery again to the addresses it was first sent to."""
    delivery = get_object_or_404(Delivery.objects.filter(invoice__in=visible_invoices(request)), pk=pk)
    try:
        done = delivery_retry(delivery=delivery, actor=actor_of(request), now=timezone.now())
    except LexbillError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{delivery.invoice.number} sent to {', '.join(done.recipients)}.")
    return redirect("invoice_detail", pk=delivery.invoice_id)


@firm_member_required("invoices.change")
@require_POST
def invoice_credit(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _get(request, pk)
    form = CreditNoteForm(request.POST, currency=invoice.currency, today=timezone.localdate())
    note = save_form(request, form, lambda data: credit_note_issue(invoice=invoice, actor=actor_of(request), **data))
    if note is not None:
        messages.success(request, f"Credit note {note.number} issued for {invoice.number}.")
        return redirect("invoice_detail", pk=invoice.pk)
    return _detail(request, invoice, credit_form=form)


@firm_member_required("invoices.change")
@require_POST
def invoice_rebill(request: HttpRequest, pk: int) -> HttpResponse:
    """Re-bill the work of a full credit note (pk is the credit note's)."""
    note = _get(request, pk)
    back = note.credits_id or note.pk
    try:
        prebill = prebill_rebill(credit_note=note, actor=actor_of(request))
    except LexbillError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Pre-bill {prebill.pk} created from the work of {note.number}.")
    return redirect("invoice_detail", pk=back)
