"""The approval queue and the pre-bill's status steps: submit, approve, reject, answer a query, issue.

The queue shows an attorney the open pre-bills of the matters they are billing attorney of; admin, billing
and accounting see every open pre-bill and may filter by attorney. The steps are plain POST forms that
redirect back to the review page with a message (every row may change, so the page is drawn again).
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from lexbill.access import require
from lexbill.billing.models import PreBillQuery
from lexbill.billing.selectors_prebill import prebill_list
from lexbill.billing.services.approval import prebill_approve, prebill_reject
from lexbill.billing.services.issue import invoices_issue
from lexbill.billing.services.review import prebill_submit
from lexbill.billing.services.review_queries import prebill_query_answer
from lexbill.core.errors import LexbillError
from lexbill.core.tenancy import firm_zone

from .access import policy_errors
from .forms_review import OPEN_FOR_REVIEW, AnswerForm, ApprovalFilterForm, ApproveForm, RejectForm, first_error
from .views_prebills import PAGE_SIZE, ReviewAccess, attorneys, review_context, review_view, visible_prebill


def _open_query_count() -> Coalesce:
    """Unanswered queries per pre-bill, in the queue's one query (they hold approval)."""
    open_ones = (PreBillQuery.objects.filter(prebill=OuterRef("pk"), answered_at__isnull=True).order_by()
                 .values("prebill").annotate(n=Count("pk")).values("n")[:1])
    return Coalesce(Subquery(open_ones), 0)


@review_view
@require_GET
def approval_queue(request: HttpRequest, access: ReviewAccess) -> HttpResponse:
    form: ApprovalFilterForm | None = ApprovalFilterForm(request.GET, attorneys=attorneys())
    rows = (prebill_list(actor=access.actor).filter(status__in=OPEN_FOR_REVIEW)
            .select_related("matter__billing_attorney").order_by("created_at", "id")
            .annotate(open_query_count=_open_query_count()))
    if not access.sees_all:
        form = None  # an attorney's queue is their own; nothing to filter
    elif form is not None and form.is_valid():
        if form.cleaned_data["attorney"]:
            rows = rows.filter(matter__billing_attorney=form.cleaned_data["attorney"])
    else:
        rows = rows.none()
    shown = list(rows[:PAGE_SIZE + 1])
    return render(request, "web/review/approval_queue.html", {
        "form": form, "rows": shown[:PAGE_SIZE], "more": len(shown) > PAGE_SIZE, "access": access})


def _done(request: HttpRequest, prebill_id: int, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("prebill_review", prebill_id=prebill_id)


def _refused(request: HttpRequest, access: ReviewAccess, prebill_id: int, message: str,
             **forms: object) -> HttpResponse:
    context = review_context(request, access, visible_prebill(access, prebill_id), bill_error=message, **forms)
    return render(request, "web/review/prebill_review.html", context, status=422)


@review_view
@require_POST
def prebill_submit_view(request: HttpRequest, access: ReviewAccess, prebill_id: int) -> HttpResponse:
    prebill = visible_prebill(access, prebill_id)
    access.require_edit()
    try:
        prebill_submit(prebill=prebill, actor=request.user)  # type: ignore[arg-type]
    except LexbillError as exc:
        return _refused(request, access, prebill_id, exc.message)
    return _done(request, prebill_id, f"Pre-bill {prebill_id} submitted for review.")


def _require_approver(request: HttpRequest, access: ReviewAccess, prebill_id: int) -> None:
    prebill = visible_prebill(access, prebill_id)
    with policy_errors():
        require(access.actor, "prebills.approve", prebill)


@review_view
@require_POST
def prebill_approve_view(request: HttpRequest, access: ReviewAccess, prebill_id: int) -> HttpResponse:
    _require_approver(request, access, prebill_id)
    form = ApproveForm(request.POST)
    try:
        if not form.is_valid():
            raise LexbillError(first_error(form))
        prebill_approve(prebill=visible_prebill(access, prebill_id), actor=request.user,  # type: ignore[arg-type]
                        override_open_queries_reason=form.reason())
    except LexbillError as exc:
        return _refused(request, access, prebill_id, exc.message, approve_form=form)
    return _done(request, prebill_id, f"Pre-bill {prebill_id} approved.")


@review_view
@require_POST
def prebill_reject_view(request: HttpRequest, access: ReviewAccess, prebill_id: int) -> HttpResponse:
    _require_approver(request, access, prebill_id)
    form = RejectForm(request.POST)
    try:
        if not form.is_valid():
            raise LexbillError(first_error(form))
        prebill_reject(prebill=visible_prebill(access, prebill_id), actor=request.user,  # type: ignore[arg-type]
                       reason=form.cleaned_data["reason"])
    except LexbillError as exc:
        return _refused(request, access, prebill_id, exc.message, reject_form=form)
    return _done(request, prebill_id, f"Pre-bill {prebill_id} rejected back to draft.")


@review_view
@require_POST
def prebill_query_answer_view(request: HttpRequest, access: ReviewAccess, prebill_id: int,
                              query_id: int) -> HttpResponse:
    prebill = visible_prebill(access, prebill_id)
    query = PreBillQuery.objects.filter(prebill=prebill, pk=query_id).first()
    if query is None:
        raise Http404
    with policy_errors():
        require(access.actor, "prebills.answer", prebill)
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise LexbillError(first_error(form))
        prebill_query_answer(query=query, answer=form.cleaned_data["answer"], actor=request.user)  # type: ignore[arg-type]
    except LexbillError as exc:
        return _refused(request, access, prebill_id, exc.message, answer_form=form, answer_query=query_id)
    return _done(request, prebill_id, f"Query {query_id} answered.")


def invoice_url(invoice_id: int) -> str:
    # The invoice pages are another part of the site; until they exist, the address is still the right one.
    try:
        return reverse("invoice_detail", args=[invoice_id])
    except NoReverseMatch:
        return f"/invoices/{invoice_id}/"


@review_view
@require_POST
def prebill_issue_view(request: HttpRequest, access: ReviewAccess, prebill_id: int) -> HttpResponse:
    prebill = visible_prebill(access, prebill_id)
    access.require_edit()
    try:
        invoices = invoices_issue(prebill=prebill, actor=request.user,  # type: ignore[arg-type]
                                  issued_on=timezone.localdate(timezone=firm_zone(prebill.firm)))
    except LexbillError as exc:
        return _refused(request, access, prebill_id, exc.message)
    if len(invoices) == 1:
        messages.success(request, f"Invoice {invoices[0].number} issued.")
    else:
        messages.success(request, f"Split billing: invoices {', '.join(i.number for i in invoices)} issued, one "
                                  "per payor.")
    return redirect(invoice_url(invoices[0].pk))
