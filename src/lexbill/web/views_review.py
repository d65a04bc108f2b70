"""The review page's actions on one line (htmx) and on the whole bill.

A line action answers an htmx request with the line's row re-rendered, plus the totals, the queries, the
lines that left the bill and the edit history swapped out of band, so the page stays true after every
action without a reload. A refusal (bad input or a service error) comes back in the row, next to the line,
and changes nothing. Without htmx the same URLs redirect to the review page with a message.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lexbill.billing.models import PreBill, PreBillLine
from lexbill.billing.services.review import (
    prebill_line_edit_narrative,
    prebill_line_set_no_charge,
    prebill_line_write_amount,
    prebill_line_write_hours,
    prebill_line_write_percent,
    prebill_write_amount,
    prebill_write_percent,
)
from lexbill.billing.services.review_codes import prebill_line_set_codes
from lexbill.billing.services.review_moves import prebill_line_hold, prebill_line_move
from lexbill.billing.services.review_queries import prebill_query_add
from lexbill.clients.models import Matter
from lexbill.core.errors import LexbillError, NotFound, ValidationFailed
from lexbill.core.money import parse_amount

from .forms_review import CodesForm, MoveForm, NarrativeForm, QueryForm, WriteForm, first_error
from .views_prebills import ReviewAccess, review_context, review_view, visible_prebill

LineAction = Callable[[HttpRequest, PreBill, PreBillLine], str]


def _signed_minor(form: WriteForm, currency: str) -> int:
    # The text as typed, read by the one strict parser (the Decimal field would take "1e3").
    minor = parse_amount(form.value_text(), currency, field="value")
    return -minor if form.is_down() else minor


def _signed_percent(form: WriteForm) -> Decimal:
    value: Decimal = form.cleaned_data["value"]
    return value if form.is_down() else -value


def _valid(form: NarrativeForm | WriteForm | MoveForm | QueryForm | CodesForm) -> None:
    if not form.is_valid():
        raise ValidationFailed(first_error(form))


def _narrative(request: HttpRequest, prebill: PreBill, line: PreBillLine) -> str:
    form = NarrativeForm(request.POST)
    _valid(form)
    prebill_line_edit_narrative(line=line, narrative=form.cleaned_data["narrative"], actor=request.user)  # type: ignore[arg-type]
    return f"Line {line.pk}: narrative saved."


def _codes(request: HttpRequest, prebill: PreBill, line: PreBillLine) -> str:
    form = CodesForm(request.POST)
    _valid(form)
    # Only the fields the form sent: a fee's form has no expense code, an expense's no task or activity code.
    given = {field: form.cleaned_data[field] for field in CodesForm.base_fields if field in request.POST}
    prebill_line_set_codes(line=line, actor=request.user, **given)  # type: ignore[arg-type]
    return f"Line {line.pk}: codes saved."


def _write(request: HttpRequest, prebill: PreBill, line: PreBillLine) -> str:
    form = WriteForm(request.POST)
    _valid(form)
    actor = request.user
    mode = form.cleaned_data["mode"]
    if mode == "hours":
        prebill_line_write_hours(line=line, hours_billed=form.cleaned_data["value"], actor=actor)  # type: ignore[arg-type]
    elif mode == "amount":
        prebill_line_write_amount(line=line, adjustment_minor=_signed_minor(form, prebill.currency),
                                  actor=actor)  # type: ignore[arg-type]
    else:
        prebill_line_write_percent(line=line, percent=_signed_percent(form), actor=actor)  # type: ignore[arg-type]
    return f"Line {line.pk}: written {'to' if mode == 'hours' else form.cleaned_data['direction'] or 'down'}."


def _no_charge(request: HttpRequest, prebill: PreBill, line: PreBillLine) -> str:
    wanted = request.POST.get("is_no_charge") == "1"
    prebill_line_set_no_charge(line=line, is_no_charge=wanted, actor=request.user)  # type: ignore[arg-type]
    return f"Line {line.pk}: {'no charge' if wanted else 'charged again'}."


def _move(request: HttpRequest, prebill: PreBill, line: PreBillLine) -> str:
    form = MoveForm(request.POST)
    _valid(form)
    number = form.cleaned_data["matter"].strip()
    # Scoped to the active firm: another firm's matter number reads exactly like one that does not exist.
    to_matter = Matter.objects.filter(number__iexact=number).select_related("client").first()
    if to_matter is None:
        raise NotFound(f"no matter numbered {number}")
    prebill_line_move(line=line, to_matter=to_matter, actor=request.user)  # type: ignore[arg-type]
    return f"Line {line.pk} moved to {to_matter.number}."


def _hold(request: HttpRequest, prebill: PreBill, line: PreBillLine) -> str:
    prebill_line_hold(line=line, actor=request.user)  # type: ignore[arg-type]
    return f"Line {line.pk} held for next month."


def _query(request: HttpRequest, prebill: PreBill, line: PreBillLine) -> str:
    form = QueryForm(request.POST)
    _valid(form)
    prebill_query_add(prebill=prebill, line=line, question=form.cleaned_data["question"],
                      actor=request.user)  # type: ignore[arg-type]
    return f"Line {line.pk}: query sent."


ACTIONS: dict[str, LineAction] = {
    "narrative": _narrative, "codes": _codes, "write": _write, "no-charge": _no_charge, "move": _move, "hold": _hold,
    "query": _query,
}


def _line(prebill: PreBill, line_id: int) -> PreBillLine:
    line = PreBillLine.objects.filter(prebill=prebill, pk=line_id).first()
    if line is None:
        raise Http404
    return line


def _answer(request: HttpRequest, access: ReviewAccess, prebill: PreBill, line_id: int, *, error: str = "",
            done: str = "") -> HttpResponse:
    if not request.htmx:  # type: ignore[attr-defined]
        if error:
            messages.error(request, f"Nothing changed: {error}")
        elif done:
            messages.success(request, done)
        return redirect("prebill_review", prebill_id=prebill.pk)
    prebill = visible_prebill(access, prebill.pk)  # status and updated_at as they are now
    context = review_context(request, access, prebill, row_error=error, row_done=done, line_id=line_id)
    state = context["state"]
    context["l"] = next((line for line in state.lines if line.pk == line_id), None)
    return render(request, "web/review/_line_response.html", context)


def _line_action(action: str) -> Callable[..., HttpResponse]:
    perform = ACTIONS[action]

    @review_view
    @require_POST
    def view(request: HttpRequest, access: ReviewAccess, prebill_id: int, line_id: int) -> HttpResponse:
        prebill = visible_prebill(access, prebill_id)
        line = _line(prebill, line_id)
        access.require_edit()
        try:
            done = perform(request, prebill, line)
        except LexbillError as exc:
            return _answer(request, access, prebill, line_id, error=exc.message)
        return _answer(request, access, prebill, line_id, done=done)

    view.__name__ = f"prebill_line_{action.replace('-', '_')}"
    return view


line_narrative = _line_action("narrative")
line_codes = _line_action("codes")
line_write = _line_action("write")
line_no_charge = _line_action("no-charge")
line_move = _line_action("move")
line_hold = _line_action("hold")
line_query = _line_action("query")


# --- the whole bill (full page: every row changes) ------------------------------------------------------------

def _refused(request: HttpRequest, access: ReviewAccess, prebill: PreBill, message: str,
             **forms: object) -> HttpResponse:
    """The review page again with the refusal shown by the form it came from and the input kept."""
    context = review_context(request, access, visible_prebill(access, prebill.pk), bill_error=message, **forms)
    return render(request, "web/review/prebill_review.html", context, status=422)


@review_view
@require_POST
def bill_write(request: HttpRequest, access: ReviewAccess, prebill_id: int) -> HttpResponse:
    prebill = visible_prebill(access, prebill_id)
    access.require_edit()
    form = WriteForm(request.POST, bill=True)
    try:
        _valid(form)
        if form.cleaned_data["mode"] == "amount":
            prebill_write_amount(prebill=prebill, adjustment_minor=_signed_minor(form, prebill.currency),
                                 actor=request.user)  # type: ignore[arg-type]
        else:
            prebill_write_percent(prebill=prebill, percent=_signed_percent(form), actor=request.user)  # type: ignore[arg-type]
    except LexbillError as exc:
        return _refused(request, access, prebill, exc.message, bill_form=form)
    messages.success(request, "The whole bill was written "
                              f"{form.cleaned_data['direction'] or 'down'}.")
    return redirect("prebill_review", prebill_id=prebill.pk)


@review_view
@require_POST
def bill_query(request: HttpRequest, access: ReviewAccess, prebill_id: int) -> HttpResponse:
    prebill = visible_prebill(access, prebill_id)
    access.require_edit()
    form = QueryForm(request.POST)
    try:
        _valid(form)
        prebill_query_add(prebill=prebill, question=form.cleaned_data["question"], actor=request.user)  # type: ignore[arg-type]
    except LexbillError as exc:
        return _refused(request, access, prebill, exc.message, query_form=form)
    messages.success(request, "Query sent.")
    return redirect("prebill_review", prebill_id=prebill.pk)
