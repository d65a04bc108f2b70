"""A matter's fee schedule and recoveries: the page, and the forms to add, edit, mark reached and delete.

Every staff member sees the page; only admin and billing change anything (others get 403 on writes, a
client or a stranger 404). Every row is looked up inside the active firm's scope, so another firm's id is
a 404. A refusal by a service (e.g. the item is already on a bill) is shown as a message or a form error,
and nothing changes.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from lexbill.billing.models import FeeItem, Recovery
from lexbill.billing.selectors_fees import fee_items_of, recoveries_of
from lexbill.billing.services import fees as services
from lexbill.clients.models import FeeArrangement, Matter
from lexbill.core.errors import LexbillError

from .access import can_do, firm_member_required
from .forms_fees import FeeItemForm, RecoveryForm
from .service_forms import save_form
from .views_records.common import actor_of, firm_of


def _matter(pk: int) -> Matter:
    return get_object_or_404(Matter.objects.select_related("client"), pk=pk)


def _page(request: HttpRequest, matter: Matter, *, item_form: FeeItemForm | None = None,
          recovery_form: RecoveryForm | None = None, status: int = 200) -> HttpResponse:
    can_edit = can_do(request, "fees.change")
    is_contingency = matter.fee_arrangement == FeeArrangement.CONTINGENCY
    context: dict[str, Any] = {
        "matter": matter,
        "items": fee_items_of(matter),
        "recoveries": recoveries_of(matter),
        "is_contingency": is_contingency,
        "can_edit": can_edit,
        "item_form": item_form or (FeeItemForm(currency=matter.currency) if can_edit else None),
        "recovery_form": recovery_form or (RecoveryForm(currency=matter.currency, today=timezone.localdate())
                                           if can_edit and is_contingency else None),
    }
    return render(request, "web/fees/matter_fees.html", context, status=status)


@firm_member_required("fees.view")
def matter_fees(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _matter(pk))


@firm_member_required("fees.change")
@require_POST
def fee_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _matter(pk)
    form = FeeItemForm(request.POST, currency=matter.currency)
    item = save_form(request, form, lambda data: services.fee_item_create(
        firm=firm_of(request), matter=matter, actor=actor_of(request), **data))
    if item is not None:
        messages.success(request, f"Fee item “{item.description}” added.")
        return redirect("matter_fees", pk=matter.pk)
    return _page(request, matter, item_form=form, status=400)


@firm_member_required("fees.change")
def fee_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(FeeItem.objects.select_related("matter", "matter__client"), pk=pk)
    matter = item.matter
    form = FeeItemForm(request.POST if request.method == "POST" else None, currency=matter.currency,
                       instance=item)
    saved = save_form(request, form, lambda data: services.fee_item_update(fee_item=item, actor=actor_of(request),
                                                                           **data))
    if saved is not None:
        messages.success(request, f"Fee item “{form.cleaned_data['description']}” saved.")
        return redirect("matter_fees", pk=matter.pk)
    return render(request, "web/fees/fee_item_form.html", {"form": form, "item": item, "matter": matter},
                  status=400 if form.is_bound else 200)


def _act(request: HttpRequest, item_or_recovery: FeeItem | Recovery, action: Any, done: str) -> HttpResponse:
    try:
        action()
    except LexbillError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("matter_fees", pk=item_or_recovery.matter_id)


@firm_member_required("fees.change")
@require_POST
def fee_item_reached(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(FeeItem, pk=pk)
    return _act(request, item, lambda: services.milestone_reach(fee_item=item, actor=actor_of(request)),
                f"Milestone “{item.description}” reached: the next bill run bills it.")


@firm_member_required("fees.change")
@require_POST
def fee_item_unreached(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(FeeItem, pk=pk)
    return _act(request, item, lambda: services.milestone_unreach(fee_item=item, actor=actor_of(request)),
                f"Milestone “{item.description}” is no longer reached.")


@firm_member_required("fees.change")
@require_POST
def fee_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(FeeItem, pk=pk)
    return _act(request, item, lambda: services.fee_item_delete(fee_item=item, actor=actor_of(request)),
                f"Fee item “{item.description}” deleted.")


@firm_member_required("fees.change")
@require_POST
def recovery_add(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _matter(pk)
    form = RecoveryForm(request.POST, currency=matter.currency, today=timezone.localdate())
    recovery = save_form(request, form, lambda data: services.recovery_create(
        firm=firm_of(request), matter=matter, actor=actor_of(request), today=timezone.localdate(), **data))
    if recovery is not None:
        messages.success(request, "Recovery recorded: the next bill run bills the firm's share.")
        return redirect("matter_fees", pk=matter.pk)
    return _page(request, matter, recovery_form=form, status=400)


@firm_member_required("fees.change")
@require_POST
def recovery_delete(request: HttpRequest, pk: int) -> HttpResponse:
    recovery = get_object_or_404(Recovery, pk=pk)
    return _act(request, recovery, lambda: services.recovery_delete(recovery=recovery, actor=actor_of(request)),
                "Recovery deleted.")
