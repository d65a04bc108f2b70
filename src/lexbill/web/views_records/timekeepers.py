"""Timekeeper pages: list, detail (rates, recent time), create, edit."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from lexbill.rates.models import Rate
from lexbill.staff import services
from lexbill.staff.models import Classification, Timekeeper
from lexbill.timekeeping.models import TimeEntry

from ..access import can_do, firm_member_required
from ..forms_records import TimekeeperForm
from ..service_forms import save_form
from .common import actor_of, choice, firm_of, history, paginate

RECENT_TIME = 20


@firm_member_required("timekeepers.view")
def timekeeper_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    classification = choice(request, "classification", set(Classification.values))
    active = choice(request, "active", {"yes", "no", "all"}, "yes")
    timekeepers = Timekeeper.objects.order_by("last_name", "first_name", "pk")
    if q:
        timekeepers = timekeepers.filter(Q(initials__icontains=q) | Q(first_name__icontains=q)
                                         | Q(last_name__icontains=q))
    if classification:
        timekeepers = timekeepers.filter(classification=classification)
    if active != "all":
        timekeepers = timekeepers.filter(is_active=active == "yes")
    return render(request, "web/records/timekeeper_list.html", {
        "page": paginate(request, timekeepers), "q": q, "classification": classification, "active": active,
        "classifications": Classification.choices, "currency": firm_of(request).currency,
        "can_edit": can_do(request, "timekeepers.change"),
    })


@firm_member_required("timekeepers.view")
def timekeeper_detail(request: HttpRequest, pk: int) -> HttpResponse:
    timekeeper = get_object_or_404(Timekeeper, pk=pk)
    return render(request, "web/records/timekeeper_detail.html", {
        "timekeeper": timekeeper,
        "currency": firm_of(request).currency,
        "rates": Rate.objects.filter(timekeeper=timekeeper).select_related("client", "matter")
        .order_by("-effective_on", "-pk"),
        "recent_time": TimeEntry.objects.filter(timekeeper=timekeeper).select_related("matter")
        .order_by("-worked_on", "-pk")[:RECENT_TIME],
        "history": history("timekeeper", timekeeper.pk),
        "can_edit": can_do(request, "timekeepers.change"),
    })


@firm_member_required("timekeepers.change")
def timekeeper_create(request: HttpRequest) -> HttpResponse:
    firm = firm_of(request)
    form = TimekeeperForm(request.POST if request.method == "POST" else None, firm=firm)
    timekeeper = save_form(request, form,
                           lambda data: services.timekeeper_create(firm=firm, actor=actor_of(request), **data))
    if timekeeper is not None:
        messages.success(request, f"Timekeeper {timekeeper.initials} created.")
        return redirect("timekeeper_detail", pk=timekeeper.pk)
    return render(request, "web/records/form.html", {"form": form, "title": "New timekeeper",
                                                      "cancel": reverse("timekeeper_list")})


@firm_member_required("timekeepers.change")
def timekeeper_edit(request: HttpRequest, pk: int) -> HttpResponse:
    timekeeper = get_object_or_404(Timekeeper.objects.select_related("firm"), pk=pk)
    form = TimekeeperForm(request.POST if request.method == "POST" else None, firm=firm_of(request),
                          instance=timekeeper)
    saved = save_form(request, form, lambda data: services.timekeeper_update(
        timekeeper=timekeeper, actor=actor_of(request), **data))
    if saved is not None:
        messages.success(request, f"Timekeeper {saved.initials} saved.")
        return redirect("timekeeper_detail", pk=saved.pk)
    return render(request, "web/records/form.html", {"form": form, "title": f"Edit timekeeper {timekeeper.initials}",
                                                      "cancel": reverse("timekeeper_detail", args=[timekeeper.pk])})
