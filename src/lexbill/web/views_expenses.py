"""Expenses (disbursements): the list with filters and totals, new, edit and delete of unbilled ones."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from lexbill.core.errors import LexbillError
from lexbill.core.money import format_money, from_minor
from lexbill.timekeeping.models import EntryStatus, Expense
from lexbill.timekeeping.services import expense_create, expense_delete, expense_update

from .access import KindAccess as Access
from .access import expense_view, safe_next
from .forms_time import ExpenseFilterForm, ExpenseForm, add_service_error

PAGE_SIZE = 100


def _filtered(access: Access, form: ExpenseFilterForm) -> QuerySet[Expense]:
    expenses = access.expenses()
    if not form.is_valid():
        return expenses.none()
    data = form.cleaned_data
    if data["matter"]:
        expenses = expenses.filter(matter__number__iexact=data["matter"].strip())
    if data["date_from"]:
        expenses = expenses.filter(incurred_on__gte=data["date_from"])
    if data["date_to"]:
        expenses = expenses.filter(incurred_on__lte=data["date_to"])
    for key in ("status", "cost_type", "charge_type"):
        if data[key]:
            expenses = expenses.filter(**{key: data[key]})
    if data["q"]:
        expenses = expenses.filter(description__icontains=data["q"].strip())
    return expenses


@expense_view
def expense_list_view(request: HttpRequest, access: Access) -> HttpResponse:
    form = ExpenseFilterForm(request.GET)
    expenses = _filtered(access, form)
    # Matters may bill in different currencies: one grouped aggregate, one total per currency.
    by_currency = list(expenses.order_by().values("matter__currency")
                       .annotate(total=Sum("amount_minor"), n=Count("id")).order_by("matter__currency"))
    count = sum(row["n"] for row in by_currency)
    pages = max(1, -(-count // PAGE_SIZE))
    try:
        page = min(max(int(request.GET.get("page", "1")), 1), pages)
    except ValueError:
        page = 1
    start = (page - 1) * PAGE_SIZE
    rows = list(expenses.select_related("matter", "timekeeper").order_by("-incurred_on", "-id")
                [start:start + PAGE_SIZE])
    for row in rows:
        row.unit_cost_display = format_money(row.unit_cost_minor, row.matter.currency)  # type: ignore[attr-defined]
        row.amount_display = format_money(row.amount_minor, row.matter.currency)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "web/time/expenses.html", {
        "form": form, "rows": rows, "access": access, "count": count, "page": page, "pages": pages,
        "totals": [format_money(r["total"] or 0, r["matter__currency"]) for r in by_currency],
        "query": query.urlencode(), "here": request.get_full_path(),
    })


def _expense(access: Access, expense_id: int) -> Expense:
    expense = access.expenses().select_related("matter", "timekeeper", "firm").filter(pk=expense_id).first()
    if expense is None:
        raise Http404
    return expense


def _form_for(access: Access, *args: Any, **kwargs: Any) -> ExpenseForm:
    return ExpenseForm(*args, timekeepers=access.timekeepers(), timekeeper_required=not access.chooses_timekeeper,
                       **kwargs)


@expense_view
@require_http_methods(["GET", "POST"])
def expense_new(request: HttpRequest, access: Access) -> HttpResponse:
    access.require_edit()
    if request.method == "POST":
        form = _form_for(access, request.POST)
        if form.is_valid():
            try:
                expense = expense_create(firm=access.firm, actor=request.user,  # type: ignore[arg-type]
                                         **form.service_fields())
            except LexbillError as exc:
                add_service_error(form, exc, ExpenseForm.FIELD_MAP)
            else:
                messages.success(request, f"Expense recorded: {expense.description[:60]} — "
                                          f"{format_money(expense.amount_minor, expense.matter.currency)}.")
                return redirect("expense_list")
    else:
        only = None if access.chooses_timekeeper else access.timekeepers().first()
        form = _form_for(access, initial={"incurred_on": timezone.localdate(), "timekeeper": only})
    return render(request, "web/time/expense_form.html", {"form": form, "expense": None, "next": ""})


def _refuse_billed(request: HttpRequest, expense: Expense) -> HttpResponse | None:
    if expense.status == EntryStatus.OPEN:
        return None
    return HttpResponse(f"This expense is {expense.get_status_display().lower()} and can no longer be changed.",
                        status=409)


@expense_view
@require_http_methods(["GET", "POST"])
def expense_edit(request: HttpRequest, access: Access, expense_id: int) -> HttpResponse:
    access.require_edit()
    expense = _expense(access, expense_id)
    refused = _refuse_billed(request, expense)
    if refused:
        return refused
    if request.method == "POST":
        form = _form_for(access, request.POST)
        if form.is_valid():
            try:
                expense_update(expense=expense, actor=request.user, **form.service_fields())  # type: ignore[arg-type]
            except LexbillError as exc:
                add_service_error(form, exc, ExpenseForm.FIELD_MAP)
                expense = _expense(access, expense_id)
            else:
                messages.success(request, f"Expense {expense.pk} saved.")
                return redirect(safe_next(request, reverse("expense_list")))
    else:
        form = _form_for(access, initial={
            "matter": expense.matter, "timekeeper": expense.timekeeper, "incurred_on": expense.incurred_on,
            "expense_code": expense.expense_code, "description": expense.description, "quantity": expense.quantity,
            "unit_cost": from_minor(expense.unit_cost_minor, expense.matter.currency),
            "cost_type": expense.cost_type, "no_charge": expense.charge_type == "no_charge",
        })
    return render(request, "web/time/expense_form.html",
                  {"form": form, "expense": expense, "next": safe_next(request, "")})


@expense_view
@require_http_methods(["GET", "POST"])
def expense_delete_view(request: HttpRequest, access: Access, expense_id: int) -> HttpResponse:
    access.require_edit()
    expense = _expense(access, expense_id)
    refused = _refuse_billed(request, expense)
    if refused:
        return refused
    if request.method == "POST":
        try:
            expense_delete(expense=expense, actor=request.user)  # type: ignore[arg-type]
        except LexbillError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Expense {expense_id} deleted.")
        return redirect("expense_list")
    amount = format_money(expense.amount_minor, expense.matter.currency)
    return render(request, "web/time/expense_delete.html", {"expense": expense, "amount": amount})
