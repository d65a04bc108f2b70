"""/bill-runs and /prebills: turn WIP into pre-bills, review them, submit, approve or reject.

Every write goes through the billing services (`billing.services.billrun`, `review`, `review_moves`,
`review_queries`, `approval`). Who may do what:

- bill runs, review edits, queries and submit: admin and billing roles (403 for the others);
- approve / reject: any staff token; the service lets through only a billing admin or the billing attorney
  of every matter on the pre-bill (403 otherwise);
- answer a query: a billing admin, or the attorney who could approve the pre-bill.

Every review action answers the pre-bill as it is now (lines, totals, open queries), so a client sees the
totals move as it edits.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from lexbill.access import require
from lexbill.billing.domain.history import describe
from lexbill.billing.domain.lines import BillTotals
from lexbill.billing.models import BillRun, PreBill, PreBillLine, PreBillQuery, PreBillStatus, client_billing_settings
from lexbill.billing.selectors_codes import prebill_code_findings
from lexbill.billing.selectors_prebill import (
    invoice_numbers,
    prebill_history,
    prebill_lines,
    prebill_list,
    prebill_open_queries,
    visible_prebills,
    with_line_totals,
)
from lexbill.billing.services.approval import prebill_approve, prebill_reject
from lexbill.billing.services.billrun import billrun_start
from lexbill.billing.services.review import (
    prebill_line_edit_narrative,
    prebill_line_set_no_charge,
    prebill_line_write_amount,
    prebill_line_write_hours,
    prebill_line_write_percent,
    prebill_submit,
    prebill_write_amount,
    prebill_write_percent,
)
from lexbill.billing.services.review_codes import prebill_line_set_codes
from lexbill.billing.services.review_moves import prebill_line_hold, prebill_line_move
from lexbill.billing.services.review_queries import prebill_query_add, prebill_query_answer
from lexbill.clients.models import Matter
from lexbill.clients.selectors import client_by_code, matter_by_number
from lexbill.core.errors import ValidationFailed
from lexbill.core.money import parse_amount
from lexbill.staff.selectors import timekeeper_by_initials

from .access import allow, bound_actor, request_actor
from .auth import actor
from .common import ObjectId, get_or_404, related
from .idempotency import idempotent
from .schemas import ErrorOut
from .schemas_billing import (
    AnswerIn,
    ApproveIn,
    BillRunIn,
    BillRunOut,
    BillRunPage,
    BillWriteIn,
    HistoryEventOut,
    LineCodesIn,
    LineWriteIn,
    MoveIn,
    NarrativeIn,
    NoChargeIn,
    PreBillDetailOut,
    PreBillOut,
    PreBillPage,
    QueryIn,
    QueryOut,
    RejectIn,
    billrun_out,
    prebill_line_out,
    prebill_out,
    query_out,
    totals_out,
)

router = Router(tags=["billing"])

ERRORS: dict[int, type[Schema]] = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def signed_minor(amount: str, currency: str, field: str) -> int:
    return parse_amount(amount, currency, signed=True, field=field)


def page(rows: QuerySet[Any], limit: int, offset: int, out: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    """limit/offset pagination answering `{"items", "count"}` like ninja's, items built by `out`."""
    return {"items": [out(row) for row in rows[offset:offset + limit]], "count": rows.count()}


def _user(request: HttpRequest) -> User:
    return actor(request)  # type: ignore[no-any-return]


# --- bill runs ----------------------------------------------------------------------------------------------


class BillRunDetailOut(BillRunOut):
    prebills: list[PreBillOut]


def _run_detail(run: BillRun) -> dict[str, Any]:
    prebills = prebill_list(actor=bound_actor()).filter(bill_run=run).select_related("approved_by").order_by("pk")
    return {**billrun_out(run), "prebills": [_listed(pb) for pb in prebills]}


def _matters(numbers: list[str]) -> list[Matter]:
    wanted = list(dict.fromkeys(n.strip() for n in numbers))
    found = {m.number: m for m in Matter.objects.filter(number__in=wanted)}
    missing = [n for n in wanted if n not in found]
    if missing:
        raise ValidationFailed(f"no matter numbered {', '.join(missing)}"[:300], field="matters")
    return [found[n] for n in wanted]


@router.post("/bill-runs/", response={202: BillRunDetailOut, **ERRORS})
@allow("bill_runs.change")
@idempotent
def create_bill_run(request: HttpRequest, payload: BillRunIn) -> Status:
    """Start a bill run in the background (as the web does): 202 with the run's id and progress so far;
    `GET /bill-runs/{id}` follows it until its status is done or failed."""
    run = billrun_start(
        firm=request.firm,  # type: ignore[attr-defined]
        through_on=payload.through, actor=_user(request),
        client=related(client_by_code, payload.client, "client") if payload.client else None,
        matters=_matters(payload.matters) if payload.matters is not None else None,
        billing_attorney=(related(timekeeper_by_initials, payload.billing_attorney, "billing_attorney")
                          if payload.billing_attorney else None),
    )
    return Status(202, _run_detail(run))


@router.get("/bill-runs/", response=BillRunPage)
@allow("bill_runs.view")
def list_bill_runs(request: HttpRequest, limit: int = Query(50, ge=1, le=500),
                   offset: int = Query(0, ge=0, le=1_000_000_000)) -> dict[str, Any]:
    return page(BillRun.objects.order_by("-created_at", "-id"), limit, offset, billrun_out)


@router.get("/bill-runs/{run_id}", response={200: BillRunDetailOut, 404: ErrorOut})
@allow("bill_runs.view")
def get_bill_run(request: HttpRequest, run_id: ObjectId) -> dict[str, Any]:
    return _run_detail(get_or_404(BillRun.objects.all(), run_id, "bill run"))


# --- pre-bills: reads ---------------------------------------------------------------------------------------


def _listed(pb: PreBill) -> dict[str, Any]:
    """A row of `prebill_list` (annotated by `with_line_totals`) as a list item."""
    return prebill_out(pb, line_count=pb.line_count, total_minor=pb.lines_total_minor or 0,  # type: ignore[attr-defined]
                       invoices=invoice_numbers(pb))


@router.get("/prebills/", response=PreBillPage)
@allow("prebills.view")
def list_prebills(
    request: HttpRequest,
    status: PreBillStatus | None = None,
    client: str | None = Query(None, max_length=30, description="client code"),
    matter: str | None = Query(None, max_length=40, description="matter number (also on a consolidated bill)"),
    bill_run: int | None = Query(None, ge=1, le=2**63 - 1),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=1_000_000_000),
) -> dict[str, Any]:
    prebills = prebill_list(status=status, actor=request_actor(request)).select_related("approved_by")
    if client:
        prebills = prebills.filter(client__code=client.strip())
    if matter:
        on_lines = PreBillLine.objects.filter(prebill=OuterRef("pk"), matter__number=matter.strip())
        prebills = prebills.filter(Q(matter__number=matter.strip()) | Exists(on_lines))
    if bill_run:
        prebills = prebills.filter(bill_run_id=bill_run)
    return page(prebills, limit, offset, _listed)


def _prebill(prebill_id: int) -> PreBill:
    return get_or_404(visible_prebills(bound_actor()).select_related("client", "matter", "approved_by", "firm"),
                      prebill_id,
                      "pre-bill")


def _detail(prebill_id: int) -> dict[str, Any]:
    """The pre-bill, its current lines, totals and open queries in a fixed number of queries."""
    pb = get_or_404(with_line_totals(visible_prebills(bound_actor()).select_related(
        "client", "matter", "approved_by", "firm")), prebill_id, "pre-bill")
    lines = list(prebill_lines(pb).select_related("matter"))
    totals = BillTotals.of(lines)
    queries = list(prebill_open_queries(pb).select_related("answered_by"))
    asked: dict[int, str] = {}
    for query in queries:  # oldest first: a line shows its first open question
        if query.line_id is not None:
            asked.setdefault(query.line_id, query.question)
    findings = prebill_code_findings(pb) if lines else {}
    # issuing takes the lines off the pre-bill: an issued one reports what it was issued with
    issued = pb.status == PreBillStatus.ISSUED
    return {**prebill_out(pb, line_count=pb.line_count if issued else len(lines),  # type: ignore[attr-defined]
                          total_minor=pb.lines_total_minor if issued else totals.subtotal_minor,  # type: ignore[attr-defined]
                          invoices=invoice_numbers(pb)),
            "lines": [prebill_line_out(line, pb.currency, open_query=asked.get(line.pk),
                                       code_problems=findings.get(line.pk)) for line in lines],
            "totals": totals_out(totals, pb.currency), "open_queries": [query_out(q) for q in queries],
            "lines_missing_codes": sorted(findings), "missing_codes": client_billing_settings(pb.client).missing_codes}


@router.get("/prebills/{prebill_id}", response={200: PreBillDetailOut, 404: ErrorOut})
@allow("prebills.view")
def get_prebill(request: HttpRequest, prebill_id: ObjectId) -> dict[str, Any]:
    return _detail(prebill_id)


@router.get("/prebills/{prebill_id}/history", response={200: list[HistoryEventOut], 404: ErrorOut})
@allow("prebills.view")
def get_prebill_history(request: HttpRequest, prebill_id: ObjectId) -> list[dict[str, Any]]:
    """Every recorded change of the pre-bill, oldest first, each with a sentence saying what happened."""
    pb = get_or_404(visible_prebills(bound_actor()), prebill_id, "pre-bill")
    return [{"at": event.at, "who": event.actor.email if event.actor else (event.actor_label or "system"),
             "action": event.action, "description": describe(event.action, event.before, event.after, pb.currency)}
            for event in prebill_history(pb).select_related("actor")]


# --- pre-bills: review --------------------------------------------------------------------------------------


def _line(prebill_id: int, line_id: int) -> tuple[PreBill, PreBillLine]:
    prebill = _prebill(prebill_id)
    return prebill, get_or_404(PreBillLine.objects.filter(prebill=prebill), line_id, "line on this pre-bill")


def _exactly_one(payload: Schema, names: tuple[str, ...]) -> str:
    given = [name for name in names if getattr(payload, name) is not None]
    if len(given) != 1:
        raise ValidationFailed(f"give exactly one of {', '.join(names)}", field=given[-1] if given else names[0])
    return given[0]


@router.post("/prebills/{prebill_id}/lines/{line_id}/write", response={200: PreBillDetailOut, **ERRORS})
@allow("prebills.change")
@idempotent
def write_line(request: HttpRequest, prebill_id: ObjectId, line_id: ObjectId, payload: LineWriteIn) -> dict[str, Any]:
    """Write a line down or up: by hours billed, by an adjustment amount, or by a percent of its amount."""
    prebill, line = _line(prebill_id, line_id)
    how = _exactly_one(payload, ("hours", "amount", "percent"))
    if how == "hours":
        prebill_line_write_hours(line=line, hours_billed=Decimal(str(payload.hours)), actor=_user(request))
    elif how == "amount":
        prebill_line_write_amount(line=line, adjustment_minor=signed_minor(str(payload.amount), prebill.currency,
                                                                           "amount"), actor=_user(request))
    else:
        prebill_line_write_percent(line=line, percent=str(payload.percent), actor=_user(request))
    return _detail(prebill.pk)


@router.post("/prebills/{prebill_id}/write", response={200: PreBillDetailOut, **ERRORS})
@allow("prebills.change")
@idempotent
def write_bill(request: HttpRequest, prebill_id: ObjectId, payload: BillWriteIn) -> dict[str, Any]:
    """Write the whole bill down or up, spread over its lines by largest remainder."""
    prebill = _prebill(prebill_id)
    if _exactly_one(payload, ("amount", "percent")) == "amount":
        prebill_write_amount(prebill=prebill, adjustment_minor=signed_minor(str(payload.amount), prebill.currency,
                                                                            "amount"), actor=_user(request))
    else:
        prebill_write_percent(prebill=prebill, percent=str(payload.percent), actor=_user(request))
    return _detail(prebill.pk)


@router.post("/prebills/{prebill_id}/lines/{line_id}/narrative", response={200: PreBillDetailOut, **ERRORS})
@allow("prebills.change")
@idempotent
def edit_narrative(request: HttpRequest, prebill_id: ObjectId, line_id: ObjectId,
                   payload: NarrativeIn) -> dict[str, Any]:
    prebill, line = _line(prebill_id, line_id)
    prebill_line_edit_narrative(line=line, narrative=payload.narrative, actor=_user(request))
    return _detail(prebill.pk)


@router.post("/prebills/{prebill_id}/lines/{line_id}/codes", response={200: PreBillDetailOut, **ERRORS})
@allow("prebills.change")
@idempotent
def set_codes(request: HttpRequest, prebill_id: ObjectId, line_id: ObjectId, payload: LineCodesIn) -> dict[str, Any]:
    """Code a line: UTBMS task and activity codes (a fee) or an expense code, checked as a time entry's are."""
    prebill, line = _line(prebill_id, line_id)
    prebill_line_set_codes(line=line, actor=_user(request), task_code=payload.task_code,
                           activity_code=payload.activity_code, expense_code=payload.expense_code)
    return _detail(prebill.pk)


@router.post("/prebills/{prebill_id}/lines/{line_id}/no-charge", response={200: PreBillDetailOut, **ERRORS})
@allow("prebills.change")
@idempotent
def no_charge(request: HttpRequest, prebill_id: ObjectId, line_id: ObjectId, payload: NoChargeIn) -> dict[str, Any]:
    prebill, line = _line(prebill_id, line_id)
    prebill_line_set_no_charge(line=line, is_no_charge=payload.no_charge, actor=_user(request))
    return _detail(prebill.pk)


@router.post("/prebills/{prebill_id}/lines/{line_id}/move", response={200: PreBillDetailOut, **ERRORS})
@allow("prebills.change")
@idempotent
def move_line(request: HttpRequest, prebill_id: ObjectId, line_id: ObjectId, payload: MoveIn) -> dict[str, Any]:
    """Move the line's work to another matter: it leaves this bill and goes back to WIP there."""
    prebill, line = _line(prebill_id, line_id)
    if not payload.matter.strip():
        raise ValidationFailed("name the matter to move the line to", field="matter")
    to_matter = related(matter_by_number, payload.matter, "matter")
    prebill_line_move(line=line, to_matter=to_matter, actor=_user(request))
    return _detail(prebill.pk)


@router.post("/prebills/{prebill_id}/lines/{line_id}/hold", response={200: PreBillDetailOut, **ERRORS})
@allow("prebills.change")
@idempotent
def hold_line(request: HttpRequest, prebill_id: ObjectId, line_id: ObjectId) -> dict[str, Any]:
    """Hold the line for next month: it leaves this bill; this month's bill runs skip its work."""
    prebill, line = _line(prebill_id, line_id)
    prebill_line_hold(line=line, actor=_user(request))
    return _detail(prebill.pk)


@router.post("/prebills/{prebill_id}/queries", response={201: QueryOut, **ERRORS})
@allow("prebills.change")
@idempotent
def ask_query(request: HttpRequest, prebill_id: ObjectId, payload: QueryIn) -> Status:
    """Ask the lawyer a question about the bill or one of its lines."""
    prebill = _prebill(prebill_id)
    line = None
    if payload.line is not None:
        line = PreBillLine.objects.filter(pk=payload.line, prebill=prebill).first()
        if line is None:
            raise ValidationFailed(f"line {payload.line} is not on pre-bill {prebill.pk}", field="line")
    query = prebill_query_add(prebill=prebill, question=payload.question, line=line, actor=_user(request))
    return Status(201, query_out(PreBillQuery.objects.select_related("asked_by", "answered_by").get(pk=query.pk)))


@router.post("/prebills/{prebill_id}/queries/{query_id}/answer", response={200: QueryOut, **ERRORS})
@allow("prebills.answer")
@idempotent
def answer_query(request: HttpRequest, prebill_id: ObjectId, query_id: ObjectId, payload: AnswerIn) -> dict[str, Any]:
    prebill = _prebill(prebill_id)
    query = get_or_404(PreBillQuery.objects.filter(prebill=prebill), query_id, "query on this pre-bill")
    user = _user(request)
    require(request_actor(request), "prebills.answer", prebill)
    prebill_query_answer(query=query, answer=payload.answer, actor=user)
    return query_out(PreBillQuery.objects.select_related("asked_by", "answered_by").get(pk=query.pk))


# --- pre-bills: status --------------------------------------------------------------------------------------


@router.post("/prebills/{prebill_id}/submit", response={200: PreBillDetailOut, **ERRORS})
@allow("prebills.change")
@idempotent
def submit(request: HttpRequest, prebill_id: ObjectId) -> dict[str, Any]:
    """Draft -> in review."""
    prebill_submit(prebill=_prebill(prebill_id), actor=_user(request))
    return _detail(prebill_id)


@router.post("/prebills/{prebill_id}/approve", response={200: PreBillDetailOut, **ERRORS})
@allow("prebills.approve")
@idempotent
def approve(request: HttpRequest, prebill_id: ObjectId, payload: ApproveIn | None = None) -> dict[str, Any]:
    """Approve as the token's user: a billing admin, or the billing attorney of every matter on the bill.

    Refused (409, code `open_queries`) while queries are open, unless `override_open_queries_reason` says why
    (recorded); refused (409, code `missing_codes`) when lines lack UTBMS codes a refusing client requires."""
    reason = payload.override_open_queries_reason if payload is not None else ""
    prebill_approve(prebill=_prebill(prebill_id), actor=_user(request), override_open_queries_reason=reason)
    return _detail(prebill_id)


@router.post("/prebills/{prebill_id}/reject", response={200: PreBillDetailOut, **ERRORS})
@allow("prebills.approve")
@idempotent
def reject(request: HttpRequest, prebill_id: ObjectId, payload: RejectIn) -> dict[str, Any]:
    """Back to draft with a reason (who may: as for approve)."""
    prebill_reject(prebill=_prebill(prebill_id), reason=payload.reason, actor=_user(request))
    return _detail(prebill_id)

