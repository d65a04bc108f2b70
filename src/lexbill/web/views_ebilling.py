"""E-billing pages: the dashboard of submissions, one submission with the portal's answers, LEDES downloads.

Who: admin and billing submit and record answers; attorney (their own matters' invoices, as on the invoice
pages) and accounting only look; a client user or another firm's user gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from lexbill.billing.models import InvoiceKind
from lexbill.core.errors import LexbillError
from lexbill.ebilling.ledes.document import invoice_document
from lexbill.ebilling.ledes.formats import media_type
from lexbill.ebilling.ledes.profiles import profile_get
from lexbill.ebilling.ledes.writer import WRITERS, file_name
from lexbill.ebilling.models import LedesProfileName, Submission, SubmissionStatus, client_ebilling_settings
from lexbill.ebilling.resubmission import change_summary
from lexbill.ebilling.selectors import (
    deadline_of,
    ebilling_dashboard,
    is_ageing,
    replacement_invoices,
    submission_list,
)
from lexbill.ebilling.services import (
    file_lines,
    format_name,
    reduction_minor,
    submission_create,
    submission_resubmit,
    submission_status_set,
    submission_write_down,
    written_down,
)

from .access import can_do, firm_member_required
from .forms_ebilling import AnswerForm, SubmitForm
from .service_forms import save_form
from .views_invoices import visible_invoices
from .views_records.common import actor_of

S = SubmissionStatus


def _visible(request: HttpRequest) -> QuerySet[Submission]:
    return submission_list().filter(invoice__in=visible_invoices(request))


def _get(request: HttpRequest, pk: int) -> Submission:
    return get_object_or_404(_visible(request).select_related("corrects"), pk=pk)


@firm_member_required("ebilling.view")
def ebilling_dashboard_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    board = ebilling_dashboard(today=today)
    visible = set(_visible(request).values_list("pk", flat=True))
    sections = [(title, [s for s in subs if s.pk in visible]) for title, subs in (
        ("Waiting for the portal", board.waiting), ("Rejected", board.rejected),
        ("Reduced", board.reduced), ("Past the client's deadline", board.ageing))]
    counts = [(S(value).label, n) for value, n in board.counts.items()]
    return render(request, "web/ebilling/dashboard.html",
                  {"sections": sections, "counts": counts, "today": today,
                   "recent": list(_visible(request)[:20])})


def _detail(request: HttpRequest, sub: Submission, answer_form: AnswerForm | None = None) -> HttpResponse:
    can_edit = can_do(request, "ebilling.change")
    today = timezone.localdate()
    context = {
        "sub": sub, "invoice": sub.invoice, "cur": sub.invoice.currency, "can_edit": can_edit,
        "lines": list(sub.lines.order_by("line_number")), "file_lines": sorted(file_lines(sub).items()),
        "corrections": list(sub.corrections.all()), "deadline": deadline_of(sub), "ageing": is_ageing(sub, today),
        "reduction_minor": reduction_minor(sub), "written_down": written_down(sub),
        "change_summary": change_summary(sub.changes),
        "formats": list(WRITERS), "profiles": LedesProfileName.choices,
        "replacements": (replacement_invoices(sub, visible_invoices(request))
                         if can_edit and sub.status == S.REJECTED else []),
        "answer_form": answer_form or (AnswerForm(currency=sub.invoice.currency, today=today)
                                       if can_edit and sub.status not in (S.PAID, S.SUPERSEDED) else None),
    }
    return render(request, "web/ebilling/detail.html", context)


@firm_member_required("ebilling.view")
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get(request, pk))


@firm_member_required("ebilling.view")
def submission_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The file as it was sent, byte for byte."""
    sub = _get(request, pk)
    response = HttpResponse(bytes(sub.file_bytes), content_type=media_type(format_name(sub.ledes_format)))
    response["Content-Disposition"] = f'attachment; filename="{sub.file_name}"'
    return response


@firm_member_required("ebilling.change")
@require_POST
def submission_answer(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _get(request, pk)
    form = AnswerForm(request.POST, currency=sub.invoice.currency, today=timezone.localdate())
    answered = save_form(request, form,
                         lambda data: submission_status_set(submission=sub, actor=actor_of(request), **data))
    if answered is not None:
        messages.success(request, f"Recorded: {sub.get_status_display().lower()}.")
        return redirect("submission_detail", pk=sub.pk)
    return _detail(request, sub, answer_form=form)


@firm_member_required("ebilling.change")
@require_POST
def submission_resubmit_view(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _get(request, pk)
    replacing = request.POST.get("invoice", "").strip()
    # The re-bill after a credit note, or (empty) a corrected export of the same invoice.
    invoice = (get_object_or_404(visible_invoices(request).filter(kind=InvoiceKind.INVOICE), pk=replacing)
               if replacing.isdigit() else None)
    try:
        new = submission_resubmit(submission=sub, actor=actor_of(request), invoice=invoice,
                                  ledes_format=request.POST.get("format") or None,
                                  profile=request.POST.get("profile") or None)
    except LexbillError as exc:
        messages.error(request, exc.message)
        return redirect("submission_detail", pk=sub.pk)
    messages.success(request, f"Resubmitted {new.invoice.number} to {new.portal}.")
    return redirect("submission_detail", pk=new.pk)


@firm_member_required("ebilling.change")
@require_POST
def submission_writedown(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _get(request, pk)
    try:
        note = submission_write_down(submission=sub, actor=actor_of(request))
    except LexbillError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Credit note {note.number} issued for the portal's reductions.")
    return redirect("submission_detail", pk=sub.pk)


@firm_member_required("ebilling.view")
def invoice_ledes(request: HttpRequest, pk: int) -> HttpResponse:
    """A freshly written LEDES file of the invoice (?format=1998B|1998BI|XML2.1&profile=NAME), as an attachment."""
    invoice = get_object_or_404(visible_invoices(request).select_related("client", "matter", "firm"), pk=pk)
    try:
        settings = client_ebilling_settings(invoice.client)
        fmt = format_name(request.GET.get("format") or settings.ledes_format or "1998B")
        data = WRITERS[fmt](invoice_document(invoice),
                            profile_get(request.GET.get("profile") or settings.ledes_profile))
    except LexbillError as exc:
        messages.error(request, exc.message)
        return redirect("invoice_detail", pk=invoice.pk)
    response = HttpResponse(data, content_type=media_type(fmt))
    response["Content-Disposition"] = f'attachment; filename="{file_name(invoice.number, fmt)}"'
    return response


@firm_member_required("ebilling.change")
@require_POST
def invoice_submit(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(visible_invoices(request).filter(kind=InvoiceKind.INVOICE)
                                .select_related("client", "matter", "firm"), pk=pk)
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            sub = submission_create(invoice=invoice, actor=actor_of(request), **form.to_service())
        except LexbillError as exc:
            messages.error(request, f"Not submitted: {exc.message}")
        else:
            messages.success(request, f"{invoice.number} submitted to {sub.portal}.")
            return redirect("submission_detail", pk=sub.pk)
    else:
        messages.error(request, "Not submitted: " + "; ".join(f"{name}: {e}" for name, errs in form.errors.items()
                                                          for e in errs))
    return redirect("invoice_detail", pk=invoice.pk)
