"""Matter pages: list with filters, detail (attorneys, fee arrangement, budget, rates, recent time), create, edit."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from lexbill.clients import services
from lexbill.clients.models import FeeArrangement, Matter, MatterStatus
from lexbill.clients.services_payors import matter_payors
from lexbill.rates.models import Rate
from lexbill.staff.models import Timekeeper
from lexbill.timekeeping.models import TimeEntry

from ..access import can_do, firm_member_required
from ..forms_records import MatterForm
from ..service_forms import save_form
from .common import actor_of, choice, firm_of, history, paginate
from .money import money_context

RECENT_TIME = 20


@firm_member_required("matters.view")
def matter_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    status = choice(request, "status", {*MatterStatus.values, "all"}, MatterStatus.OPEN)
    arrangement = choice(request, "arrangement", set(FeeArrangement.values))
    attorneys = Timekeeper.objects.order_by("last_name", "first_name")
    attorney = choice(request, "attorney", {str(pk) for pk in attorneys.values_list("pk", flat=True)})
    matters = Matter.objects.select_related("client", "billing_attorney").order_by("number", "pk")
    if q:
        matters = matters.filter(Q(number__icontains=q) | Q(name__icontains=q) | Q(client__name__icontains=q)
                                 | Q(client__code__icontains=q))
    if status != "all":
        matters = matters.filter(status=status)
    if arrangement:
        matters = matters.filter(fee_arrangement=arrangement)
    if attorney:
        matters = matters.filter(billing_attorney_id=int(attorney))
    return render(request, "web/records/matter_list.html", {
        "page": paginate(request, matters), "q": q, "status": status, "arrangement": arrangement,
        "attorney": attorney, "attorneys": attorneys, "statuses": MatterStatus.choices,
        "arrangements": FeeArrangement.choices, "can_edit": can_do(request, "matters.change"),
    })


@firm_member_required("matters.view")
def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    matter = get_object_or_404(
        Matter.objects.select_related("client", "firm", "billing_attorney", "responsible_attorney",
                                      "originating_attorney"),
        pk=pk,
    )
    entries = TimeEntry.objects.filter(matter=matter)
    return render(request, "web/records/matter_detail.html", {
        "matter": matter,
        "increment_milli": matter.billing_increment(),
        "rates": Rate.objects.filter(matter=matter).select_related("timekeeper").order_by("-effective_on", "-pk"),
        "recent_time": entries.select_related("timekeeper").order_by("-worked_on", "-pk")[:RECENT_TIME],
        "hours_total": entries.aggregate(total=Sum("hours_worked"))["total"],
        "history": history("matter", matter.pk),
        "can_edit": can_do(request, "matters.change"),
        "payors": matter_payors(matter),
        **money_context(request, matter=matter),
    })


@firm_member_required("matters.change")
def matter_create(request: HttpRequest) -> HttpResponse:
    firm = firm_of(request)
    initial = {"client": request.GET["client"]} if request.GET.get("client", "").isdigit() else None
    form = MatterForm(request.POST if request.method == "POST" else None, firm=firm, initial=initial)
    matter = save_form(request, form, lambda data: services.matter_create(firm=firm, actor=actor_of(request), **data))
    if matter is not None:
        messages.success(request, f"Matter {matter.number} created.")
        return redirect("matter_detail", pk=matter.pk)
    return render(request, "web/records/form.html", {"form": form, "title": "New matter",
                                                      "cancel": reverse("matter_list")})


@firm_member_required("matters.change")
def matter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    matter = get_object_or_404(Matter.objects.select_related("client", "firm"), pk=pk)
    form = MatterForm(request.POST if request.method == "POST" else None, firm=firm_of(request), instance=matter)
    saved = save_form(request, form,
                      lambda data: services.matter_update(matter=matter, actor=actor_of(request), **data))
    if saved is not None:
        messages.success(request, f"Matter {saved.number} saved.")
        return redirect("matter_detail", pk=saved.pk)
    return render(request, "web/records/form.html", {"form": form, "title": f"Edit matter {matter.number}",
                                                      "cancel": reverse("matter_detail", args=[matter.pk])})
