"""/expenses: disbursements on matters. Amounts are in the matter's currency."""


from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from lexbill.clients.models import Matter
from lexbill.clients.selectors import matter_by_number
from lexbill.staff.selectors import timekeeper_by_initials
from lexbill.timekeeping.models import EntryStatus, Expense
from lexbill.timekeeping.selectors import expense_list
from lexbill.timekeeping.services import expense_create, expense_delete, expense_update

from .access import allow, request_actor
from .auth import actor
from .common import ObjectId, Pagination, get_or_404, minor, patch_changes, related
from .schemas import ErrorOut, ExpenseIn, ExpenseOut, ExpensePatch

router = Router(tags=["expenses"])


def _resolve(data: dict[str, Any], matter: Matter | None) -> dict[str, Any]:
    if "matter" in data:
        data["matter"] = matter = related(matter_by_number, data["matter"], "matter")
    if data.get("timekeeper") is not None:
        data["timekeeper"] = related(timekeeper_by_initials, data["timekeeper"], "timekeeper")
    if data.get("quantity") is not None:
        data["quantity"] = Decimal(data["quantity"])
    if "unit_cost" in data and matter is not None:
        data["unit_cost_minor"] = minor(data.pop("unit_cost"), matter.currency, "unit_cost")
    return data


@router.get("/", response=list[ExpenseOut])
@paginate(Pagination)
@allow("expenses.view")
def list_expenses(
    request: HttpRequest,
    matter: str | None = Query(None, max_length=40, description="matter number"),
    status: EntryStatus | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Expense]:
    expenses = expense_list(matter_number=matter.strip() if matter else None, status=status,
                            actor=request_actor(request))
    if date_from:
        expenses = expenses.filter(incurred_on__gte=date_from)
    if date_to:
        expenses = expenses.filter(incurred_on__lte=date_to)
    return expenses


@router.post("/", response={201: ExpenseOut, 409: ErrorOut, 422: ErrorOut})
@allow("expenses.change")
def create_expense(request: HttpRequest, payload: ExpenseIn) -> Status:
    data = _resolve(payload.dict(), None)
    expense = expense_create(firm=request.firm, actor=actor(request), **data)  # type: ignore[attr-defined]
    return Status(201, expense)


@router.get("/{expense_id}", response={200: ExpenseOut, 404: ErrorOut})
@allow("expenses.view")
def get_expense(request: HttpRequest, expense_id: ObjectId) -> Expense:
    return get_or_404(expense_list(actor=request_actor(request)), expense_id, "expense")


@router.patch("/{expense_id}", response={200: ExpenseOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut})
@allow("expenses.change")
def update_expense(request: HttpRequest, expense_id: ObjectId, payload: ExpensePatch) -> Expense:
    expense = get_or_404(expense_list(actor=request_actor(request)), expense_id, "expense")
    changes = patch_changes(payload, nullable={"timekeeper"}, blankable={"expense_code"})
    return expense_update(expense=expense, actor=actor(request), **_resolve(changes, expense.matter))


@router.delete("/{expense_id}", response={204: None, 404: ErrorOut, 409: ErrorOut})
@allow("expenses.change")
def delete_expense(request: HttpRequest, expense_id: ObjectId) -> Status:
    found = get_or_404(expense_list(actor=request_actor(request)), expense_id, "expense")
    expense_delete(expense=found, actor=actor(request))
    return Status(204, None)
