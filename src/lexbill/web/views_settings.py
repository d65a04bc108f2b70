"""The firm's billing settings (admins) and its tax rates (admins and billing users).

Settings decide every future invoice's number, tax and email, so only admins change them; tax rates are
day-to-day billing work (a new state rate, a client's exemption), so the billing role manages them too.
Attorneys and accounting get 403, client users 404 (lexbill.access decides; web.access maps).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from lexbill.billing.domain.tax_rates import ppm_to_percent
from lexbill.billing.models import TaxRate
from lexbill.billing.services.settings import firm_settings_update, tax_rate_create, tax_rate_update
from lexbill.ebilling.settings import firm_ebilling_settings_update

from .access import firm_member_required
from .forms_settings import FirmSettingsForm, TaxRateForm
from .service_forms import save_form
from .views_records.common import actor_of, firm_of, history


@firm_member_required("firm_settings.change")
def billing_settings(request: HttpRequest) -> HttpResponse:
    firm = firm_of(request)
    form = FirmSettingsForm(request.POST if request.method == "POST" else None, firm=firm, instance=firm)
    def write(data: dict[str, Any]) -> object:
        # Two owners, two services: the LEDES law firm id is e-billing's (the form already checked its length).
        ledes = {"ledes_law_firm_id": data.pop("ledes_law_firm_id")}
        firm_settings_update(firm=firm, actor=actor_of(request), today=timezone.localdate(), **data)
        return firm_ebilling_settings_update(firm=firm, actor=actor_of(request), **ledes)

    saved = save_form(request, form, write)
    if saved is not None:
        messages.success(request, "Billing settings saved.")
        return redirect("billing_settings")
    return render(request, "web/settings/billing.html", {"form": form, "history": history("firm", firm.pk)})


@firm_member_required("tax_rates.change")
def tax_list(request: HttpRequest) -> HttpResponse:
    rates = TaxRate.objects.select_related("client").order_by("-is_active", "client__name", "name", "pk")
    rows = [(rate, ppm_to_percent(rate.rate_ppm)) for rate in rates]
    return render(request, "web/settings/tax_list.html", {"rows": rows})


@firm_member_required("tax_rates.change")
def tax_create(request: HttpRequest) -> HttpResponse:
    firm = firm_of(request)
    form = TaxRateForm(request.POST if request.method == "POST" else None, firm=firm)
    rate = save_form(request, form, lambda data: tax_rate_create(firm=firm, actor=actor_of(request), **data))
    if rate is not None:
        messages.success(request, f"Tax rate {rate.name} created.")
        return redirect("tax_list")
    return render(request, "web/records/form.html", {"form": form, "title": "New tax rate",
                                                      "cancel": reverse("tax_list")})


@firm_member_required("tax_rates.change")
def tax_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rate = get_object_or_404(TaxRate.objects.select_related("firm", "client"), pk=pk)
    form = TaxRateForm(request.POST if request.method == "POST" else None, firm=firm_of(request), instance=rate)
    saved = save_form(request, form, lambda data: tax_rate_update(tax_rate=rate, actor=actor_of(request), **data))
    if saved is not None:
        messages.success(request, f"Tax rate {saved.name} saved.")
        return redirect("tax_list")
    return render(request, "web/records/form.html", {"form": form, "title": f"Edit tax rate {rate.name}",
                                                      "cancel": reverse("tax_list")})
