"""The pre-bill list, the review page (the paper pro forma's replacement) and the DRAFT pro forma PDF.

Who sees what: admin, billing and accounting see every pre-bill of the firm; an attorney only those of the
matters they are billing attorney of (a consolidated pre-bill when one of its matters is theirs); a client
user or a non-member gets 404. Only admin/billing change a pre-bill; the approver approves, rejects and
answers queries (`views_approvals`). The per-line actions are in `views_review`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lexbill.access import can
from lexbill.billing.domain.history import describe
from lexbill.billing.models import Invoice, PreBill, PreBillLine, PreBillQuery, PreBillStatus, client_billing_settings
from lexbill.billing.pdf.render import render_prebill
from lexbill.billing.selectors_prebill import prebill_history, prebill_list, prebill_totals, pro_forma_allowed
from lexbill.billing.services.review import REVIEWABLE
from lexbill.clients.models import MatterPayor
from lexbill.core.errors import Conflict
from lexbill.core.models import AuditEvent
from lexbill.staff.models import Timekeeper

from .access import KindAccess as ReviewAccess
from .access import review_view
from .forms_review import (
    AnswerForm,
    ApproveForm,
    MoveForm,
    NarrativeForm,
    PreBillFilterForm,
    QueryForm,
    RejectForm,
    WriteForm,
)
from .views_bulk import bulk_actions

PAGE_SIZE = 100


def visible_prebill(access: ReviewAccess, prebill_id: int) -> PreBill:
    prebill = (access.prebills().select_related("client", "matter", "firm", "approved_by")
               .filter(pk=prebill_id).first())
    if prebill is None:
        raise Http404
    return prebill


def attorneys() -> QuerySet[Timekeeper]:
    return Timekeeper.objects.filter(billing_matters__isnull=False).distinct().order_by("initials")


# --- the list -------------------------------------------------------------------------------------------------

@review_view
@require_GET
def prebill_list_view(request: HttpRequest, access: ReviewAccess) -> HttpResponse:
    form = PreBillFilterForm(request.GET, attorneys=attorneys() if access.sees_all else None)
    rows = prebill_list(actor=access.actor).select_related("matter__billing_attorney")
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["client"]:
            rows = rows.filter(client=data["client"])
        if data.get("attorney"):
            rows = rows.filter(matter__billing_attorney=data["attorney"])
    else:
        rows = rows.none()
    shown = list(rows[:PAGE_SIZE + 1])
    return render(request, "web/review/prebill_list.html", {
        "form": form, "rows": shown[:PAGE_SIZE], "more": len(shown) > PAGE_SIZE, "access": access,
        "bulk": bulk_actions(request, prebills=True)})


# --- the review page ------------------------------------------------------------------------------------------

@dataclass
class ReviewState:
    """Everything the review page and its htmx fragments show, read in a fixed number of queries."""

    prebill: PreBill
    lines: list[PreBillLine]
    held: list[PreBillLine]
    moved: list[PreBillLine]
    totals: Any
    queries: list[PreBillQuery]
    history: list[Any]
    invoices: list[Invoice]  # one, or one per payor of a split matter
    payors: list[MatterPayor]  # the matter's payors when it is split (issuing makes one invoice each)


def review_state(prebill: PreBill) -> ReviewState:
    lines = list(PreBillLine.objects.filter(prebill=prebill)
                 .select_related("timekeeper", "matter", "time_entry__matter", "expense__matter")
                 .order_by("position", "id"))
    current = [line for line in lines if line.is_current]
    held = [line for line in lines if not line.is_current and line.is_held]
    # A moved line left the bill with its work, which now sits on another matter.
    moved = [line for line in lines if not line.is_current and not line.is_held and _moved_to(line)]
    queries = list(PreBillQuery.objects.filter(prebill=prebill).select_related("asked_by", "answered_by", "line")
                   .order_by("asked_at", "id"))
    _mark_open_queries(current, queries)
    history = [_history_item(event, prebill.currency) for event in prebill_history(prebill).select_related("actor")]
    invoices = (list(Invoice.objects.filter(prebill=prebill).select_related("client").order_by("number"))
                if prebill.status == PreBillStatus.ISSUED else [])
    return ReviewState(prebill=prebill, lines=current, held=held, moved=moved,
                       totals=prebill_totals(prebill) if current else _zero_totals(), queries=queries,
                       history=history, invoices=invoices,
                       payors=list(MatterPayor.objects.filter(matter_id=prebill.matter_id).select_related("client"))
                       if prebill.matter_id else [])


def _mark_open_queries(lines: list[PreBillLine], queries: list[PreBillQuery]) -> None:
    """Give each line `open_query`: the question of its oldest unanswered query, or "" (the row's badge)."""
    asked: dict[int, str] = {}
    for query in queries:
        if query.answered_at is None and query.line_id is not None:
            asked.setdefault(query.line_id, query.question)
    for line in lines:
        line.open_query = asked.get(line.pk, "")  # type: ignore[attr-defined]


def _moved_to(line: PreBillLine) -> str:
    work = line.time_entry or line.expense
    if work is None or work.matter_id == line.matter_id:
        return ""
    line.moved_to = work.matter.number  # type: ignore[attr-defined]
    return work.matter.number


@dataclass(frozen=True)
class HistoryItem:
    at: Any
    who: str
    action: str
    text: str  # the event in people's words (billing/domain/history.py)


def _history_item(event: AuditEvent, currency: str) -> HistoryItem:
    who = event.actor.email if event.actor else (event.actor_label or "system")
    return HistoryItem(at=event.at, who=who, action=event.action.removeprefix("prebill."),
                       text=describe(event.action, event.before, event.after, currency))


def _zero_totals() -> Any:
    from lexbill.billing.domain.lines import BillTotals

    return BillTotals.of([])


def review_context(request: HttpRequest, access: ReviewAccess, prebill: PreBill, **extra: Any) -> dict[str, Any]:
    state = review_state(prebill)
    editable = access.can_edit and prebill.status in REVIEWABLE
    approver = can(access.actor, "prebills.approve", prebill)
    open_queries = sum(1 for q in state.queries if q.answered_at is None)
    return {
        "prebill": prebill, "state": state, "access": access, "editable": editable,
        "can_approve": approver and prebill.status in REVIEWABLE,
        "can_reject": approver and prebill.status in (*REVIEWABLE, PreBillStatus.APPROVED),
        "can_answer": (access.can_edit or approver) and prebill.status in REVIEWABLE,
        "can_issue": access.can_edit and prebill.status == PreBillStatus.APPROVED,
        "can_submit": editable and prebill.status == PreBillStatus.DRAFT,
        "bill_form": WriteForm(bill=True), "query_form": QueryForm(), "reject_form": RejectForm(),
        "answer_form": AnswerForm(), "narrative_form": NarrativeForm(), "move_form": MoveForm(),
        "approve_form": ApproveForm(), "open_query_count": open_queries,
        "missing_codes": client_billing_settings(prebill.client).missing_codes,
        **extra,
    }


@review_view
@require_GET
def prebill_review(request: HttpRequest, access: ReviewAccess, prebill_id: int) -> HttpResponse:
    prebill = visible_prebill(access, prebill_id)
    return render(request, "web/review/prebill_review.html", review_context(request, access, prebill))


@review_view
@require_GET
def prebill_pdf(request: HttpRequest, access: ReviewAccess, prebill_id: int) -> HttpResponse:
    """The pro forma as the client would see it, watermarked DRAFT, shown in the browser."""
    prebill = visible_prebill(access, prebill_id)
    try:
        pro_forma_allowed(prebill)
    except Conflict as exc:  # issued: the invoice PDF is the document now
        return HttpResponse(exc.message, status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(render_prebill(prebill), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="prebill-{prebill.pk}.pdf"'
    return response
