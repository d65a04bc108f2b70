"""Rate pages: list (who, where, from when, how much), detail with history, create, edit."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from lexbill.rates import services
from lexbill.rates.models import Rate

from ..access import can_do, firm_member_required
from ..forms_records import RateForm
from ..service_forms import save_form
from .common import actor_of, choice, firm_of, history, paginate

# Where a rate applies, as the list filters it.
WHERE_FILTERS = {
    "matter": Q(matter__isnull=False),
    "client": Q(client__isnull=False),
    "standard": Q(matter__isnull=True, client__isnull=True),
}


@firm_member_required("rates.view")
def rate_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    where = choice(request, "where", set(WHERE_FILTERS))
    rates = Rate.objects.select_related("timekeeper", "client", "matter").order_by("-effective_on", "-pk")
    if q:
        rates = rates.filter(Q(timekeeper__initials__iexact=q) | Q(timekeeper__last_name__icontains=q)
                             | Q(classification__iexact=q) | Q(client__code__icontains=q)
                             | Q(client__name__icontains=q) | Q(matter__number__icontains=q))
    if where:
        rates = rates.filter(WHERE_FILTERS[where])
    return render(request, "web/records/rate_list.html", {
        "page": paginate(request, rates), "q": q, "where": where, "can_edit": can_do(request, "rates.change"),
    })


@firm_member_required("rates.view")
def rate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rate = get_object_or_404(Rate.objects.select_related("timekeeper", "client", "matter"), pk=pk)
    return render(request, "web/records/rate_detail.html", {
        "rate": rate, "history": history("rate", rate.pk), "can_edit": can_do(request, "rates.change"),
    })


def _initial(request: HttpRequest) -> dict[str, str] | None:
    """Prefill from the page the user came from (?timekeeper=1&matter=2)."""
    initial = {k: v for k in ("timekeeper", "client", "matter") if (v := request.GET.get(k, "")).isdigit()}
    return initial or None


@firm_member_required("rates.change")
def rate_create(request: HttpRequest) -> HttpResponse:
    firm = firm_of(request)
    form = RateForm(request.POST if request.method == "POST" else None, firm=firm, initial=_initial(request))
    rate = save_form(request, form, lambda data: services.rate_create(firm=firm, actor=actor_of(request), **data))
    if rate is not None:
        messages.success(request, "Rate created.")
        return redirect("rate_detail", pk=rate.pk)
    return render(request, "web/records/form.html", {"form": form, "title": "New rate",
                                                      "cancel": reverse("rate_list")})


@firm_member_required("rates.change")
def rate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rate = get_object_or_404(Rate.objects.select_related("firm", "timekeeper", "client", "matter"), pk=pk)
    form = RateForm(request.POST if request.method == "POST" else None, firm=firm_of(request), instance=rate)
    saved = save_form(request, form, lambda data: services.rate_update(rate=rate, actor=actor_of(request), **data))
    if saved is not None:
        messages.success(request, "Rate saved.")
        return redirect("rate_detail", pk=saved.pk)
    return render(request, "web/records/form.html", {"form": form, "title": "Edit rate",
                                                      "cancel": reverse("rate_detail", args=[rate.pk])})
