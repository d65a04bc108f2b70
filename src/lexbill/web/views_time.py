"""The time-entry review grid, its inline edit and bulk actions, and the new-entry form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from lexbill.core.errors import Conflict, LexbillError
from lexbill.core.hours import display_hours
from lexbill.core.money import format_money
from lexbill.timekeeping.models import ChargeType, EntryStatus, TimeEntry
from lexbill.timekeeping.services import time_entries_set_charge_type, time_entry_create, time_entry_update
from lexbill.timekeeping.valuation import value_entries, wip_value

from .access import KindAccess as Access
from .access import safe_next, time_view
from .forms_time import TimeEntryForm, TimeEntryRowForm, TimeFilterForm, add_service_error
from .views_timers import timers_context

PAGE_SIZE = 100


def _filtered(access: Access, form: TimeFilterForm) -> QuerySet[TimeEntry]:
    entries = access.entries()
    if not form.is_valid():
        return entries.none()
    data = form.cleaned_data
    if data["matter"]:
        entries = entries.filter(matter__number__iexact=data["matter"].strip())
    if data["timekeeper"]:
        entries = entries.filter(timekeeper=data["timekeeper"])
    if data["date_from"]:
        entries = entries.filter(worked_on__gte=data["date_from"])
    if data["date_to"]:
        entries = entries.filter(worked_on__lte=data["date_to"])
    if data["status"]:
        entries = entries.filter(status=data["status"])
    if data["charge_type"]:
        entries = entries.filter(charge_type=data["charge_type"])
    if data["q"]:
        entries = entries.filter(narrative__icontains=data["q"].strip())
    return entries


def _with_display(entry: TimeEntry) -> TimeEntry:
    """Hours as the grid shows them (1.0, 0.25), computed once here rather than in templates."""
    entry.hours_worked_display = display_hours(entry.hours_worked)  # type: ignore[attr-defined]
    entry.hours_billable_display = display_hours(entry.hours_billable)  # type: ignore[attr-defined]
    return entry


def _page_number(request: HttpRequest, count: int) -> tuple[int, int]:
    pages = max(1, -(-count // PAGE_SIZE))
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    return min(max(page, 1), pages), pages


def _summary(access: Access, form: TimeFilterForm) -> dict[str, Any]:
    """The grid's totals for the filtered rows: hours (billable apart from no-charge) and WIP money.

    One aggregate gives the hours and the row count pagination needs; the WIP money a fixed few more.
    """
    entries = _filtered(access, form)
    billable, no_charge = Q(charge_type=ChargeType.BILLABLE), Q(charge_type=ChargeType.NO_CHARGE)
    totals = entries.order_by().aggregate(count=Count("id"), worked=Sum("hours_worked"),
                                          billable=Sum("hours_billable", filter=billable),
                                          no_charge=Sum("hours_billable", filter=no_charge))
    wip = wip_value(access.firm, entries)
    return {
        "count": totals["count"],
        "total_worked": display_hours(totals["worked"] or Decimal(0)),
        "total_billable": display_hours(totals["billable"] or Decimal(0)),
        "total_no_charge": display_hours(totals["no_charge"] or Decimal(0)),
        "wip_hours": display_hours(wip.hours),
        "wip_money": [format_money(minor, currency) for currency, minor in sorted(wip.by_currency.items())],
        "wip_unpriced": wip.unpriced,
    }


@time_view
def time_grid(request: HttpRequest, access: Access) -> HttpResponse:
    form = TimeFilterForm(request.GET, timekeepers=access.timekeepers())
    entries = _filtered(access, form)
    summary = _summary(access, form)
    page, pages = _page_number(request, summary["count"])
    start = (page - 1) * PAGE_SIZE
    rows = [_with_display(e) for e in
            entries.select_related("matter", "timekeeper").order_by("-worked_on", "-id")[start:start + PAGE_SIZE]]
    value_entries(access.firm, rows)
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "form": form, "rows": rows, "access": access, **summary,
        "page": page, "pages": pages, "query": query.urlencode(),
        "first_row": start + 1 if rows else 0, "last_row": start + len(rows),
        "here": request.get_full_path(),
    }
    context.update(timers_context(request, access))
    return render(request, "web/time/grid.html", context)


def _grid_query(request: HttpRequest) -> QueryDict:
    """The filter of the grid an htmx request came from (its address is in the HX-Current-URL header)."""
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    return QueryDict(current.query if current.path == reverse("time_grid") else "")


def _entry(access: Access, entry_id: int) -> TimeEntry:
    entry = access.entries().select_related("matter", "matter__client", "matter__firm", "timekeeper", "firm") \
        .filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    return entry


def _row_initial(entry: TimeEntry) -> dict[str, Any]:
    return {"worked_on": entry.worked_on, "hours_worked": entry.hours_worked,
            "hours_billable": entry.hours_billable, "narrative": entry.narrative, "task_code": entry.task_code,
            "activity_code": entry.activity_code, "charge_type": entry.charge_type}


def _render_row(request: HttpRequest, access: Access, entry: TimeEntry, *, error: str = "",
                totals: bool = False) -> HttpResponse:
    """The read-only row; after a save (`totals`) also the grid's new totals, swapped in out of band."""
    value_entries(access.firm, [entry])
    context: dict[str, Any] = {"e": _with_display(entry), "access": access, "row_error": error}
    if totals:
        form = TimeFilterForm(_grid_query(request), timekeepers=access.timekeepers())
        context.update(_summary(access, form), with_totals=True)
    return render(request, "web/time/_row.html", context)


def _render_edit(request: HttpRequest, access: Access, entry: TimeEntry, form: TimeEntryRowForm) -> HttpResponse:
    template = "web/time/_row_edit.html" if request.htmx else "web/time/entry_edit.html"  # type: ignore[attr-defined]
    return render(request, template, {"e": entry, "form": form, "access": access,
                                      "next": safe_next(request, reverse("time_grid"))})


@time_view
def time_row(request: HttpRequest, access: Access, entry_id: int) -> HttpResponse:
    """The read-only row; the inline editor's Cancel (and Esc) swap it back in."""
    return _render_row(request, access, _entry(access, entry_id))


@time_view
@require_http_methods(["GET", "POST"])
def time_row_edit(request: HttpRequest, access: Access, entry_id: int) -> HttpResponse:
    access.require_edit()
    entry = _entry(access, entry_id)
    if entry.status != EntryStatus.OPEN:
        message = f"This entry is {entry.get_status_display().lower()} and can no longer be edited here."
        if request.htmx:  # type: ignore[attr-defined]
            return _render_row(request, access, entry, error=message)
        return HttpResponse(message, status=409)
    if request.method == "GET":
        return _render_edit(request, access, entry, TimeEntryRowForm(initial=_row_initial(entry)))
    form = TimeEntryRowForm(request.POST)
    if form.is_valid():
        try:
            time_entry_update(entry=entry, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except Conflict as exc:
            if request.htmx:  # type: ignore[attr-defined]
                return _render_row(request, access, _entry(access, entry_id), error=exc.message)
            return HttpResponse(exc.message, status=409)
        except LexbillError as exc:
            add_service_error(form, exc)
            entry = _entry(access, entry_id)  # the service may have touched the instance before refusing
        else:
            if request.htmx:  # type: ignore[attr-defined]
                return _render_row(request, access, _entry(access, entry_id), totals=True)
            messages.success(request, f"Entry {entry.pk} saved.")
            return redirect(safe_next(request, reverse("time_grid")))
    return _render_edit(request, access, entry, form)


@time_view
@require_POST
def time_bulk_charge(request: HttpRequest, access: Access) -> HttpResponse:
    access.require_edit()
    back = safe_next(request, reverse("time_grid"))
    charge_type = request.POST.get("charge_type", "")
    try:
        ids = sorted({int(i) for i in request.POST.getlist("ids")})
    except ValueError:
        ids = []
    if not ids:
        messages.error(request, "Tick at least one entry first.")
        return redirect(back)
    if charge_type not in (ChargeType.BILLABLE, ChargeType.NO_CHARGE):
        messages.error(request, "Unknown bulk action.")
        return redirect(back)
    visible = set(access.entries().filter(pk__in=ids).values_list("pk", flat=True))
    try:
        if len(visible) != len(ids):
            # Same words as the service uses for ids of another firm: no hint which ids exist.
            raise LexbillError("some entries were not found")
        changed = time_entries_set_charge_type(firm=access.firm, actor=request.user,  # type: ignore[arg-type]
                                               entry_ids=ids, charge_type=charge_type)
    except LexbillError as exc:
        messages.error(request, f"Nothing changed: {exc.message}")
    else:
        label = ChargeType(charge_type).label.lower()
        messages.success(request, f"{changed} of {len(ids)} entries marked {label}.")
    return redirect(back)


@time_view
@require_http_methods(["GET", "POST"])
def time_entry_new(request: HttpRequest, access: Access) -> HttpResponse:
    access.require_edit()
    timekeepers = access.timekeepers()
    if request.method == "POST":
        form = TimeEntryForm(request.POST, timekeepers=timekeepers)
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = time_entry_create(
                    firm=access.firm, actor=request.user, matter=data["matter"],  # type: ignore[arg-type]
                    timekeeper=data["timekeeper"], worked_on=data["worked_on"], duration=form.duration(),
                    narrative=data["narrative"], task_code=data["task_code"], activity_code=data["activity_code"],
                    charge_type=ChargeType.NO_CHARGE if data["no_charge"] else ChargeType.BILLABLE,
                )
            except LexbillError as exc:
                add_service_error(form, exc, TimeEntryForm.FIELD_MAP)
            else:
                messages.success(request, f"Recorded {display_hours(entry.hours_worked)} h for "
                                          f"{entry.timekeeper.initials} on {entry.matter.number} "
                                          f"({entry.worked_on.isoformat()}).")
                if "add_another" in request.POST:
                    return redirect("time_entry_new")
                return redirect(f"{reverse('time_grid')}#entry-{entry.pk}")
    else:
        only = timekeepers.first() if not access.chooses_timekeeper else None
        form = TimeEntryForm(initial={"worked_on": timezone.localdate(), "timekeeper": only},
                             timekeepers=timekeepers)
    return render(request, "web/time/entry_form.html", {"form": form, "access": access})


__all__ = ["time_bulk_charge", "time_entry_new", "time_grid", "time_row", "time_row_edit"]
