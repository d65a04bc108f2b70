"""The split-billing page of a matter: who pays which share of its bills (one invoice per payor at issue)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from lexbill.clients.models import Matter
from lexbill.clients.services_payors import matter_payors, matter_payors_set
from lexbill.core.errors import LexbillError

from ..access import firm_member_required
from ..forms_payors import PayorFormSet, payor_initial
from .common import actor_of


@firm_member_required("payors.change")
def matter_payors_edit(request: HttpRequest, pk: int) -> HttpResponse:
    matter = get_object_or_404(Matter.objects.select_related("client", "firm"), pk=pk)
    refusal = ""
    if request.method == "POST":
        formset = PayorFormSet(request.POST, prefix="payor")
        if formset.is_valid():
            wanted = [p for p in (form.payor() for form in formset) if p is not None]
            try:
                matter_payors_set(matter=matter, actor=actor_of(request), payors=wanted)
            except LexbillError as exc:
                refusal = exc.message  # e.g. shares that do not make 100 %: shown above the rows
            else:
                messages.success(request, f"Matter {matter.number}: split between {len(wanted)} payors."
                                 if wanted else f"Matter {matter.number}: no longer split; "
                                                f"{matter.client.code} pays everything.")
                return redirect("matter_detail", pk=matter.pk)
    else:
        formset = PayorFormSet(initial=payor_initial(matter_payors(matter)), prefix="payor")
    return render(request, "web/records/matter_payors.html", {"matter": matter, "formset": formset,
                                                                 "refusal": refusal})
