from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from lexbill.clients.models import Client, Matter, MatterStatus
from lexbill.core.middleware import SESSION_KEY
from lexbill.core.models import Membership
from lexbill.core.users import membership_mark_used
from lexbill.staff.models import Timekeeper
from lexbill.timekeeping.models import ChargeType, EntryStatus, TimeEntry

from .access import actor_of_request


def _dashboard(today: date) -> dict[str, object]:
    """Counts for the active firm; unbilled hours are one SQL sum over this month's WIP."""
    unbilled = TimeEntry.objects.filter(
        status=EntryStatus.OPEN, charge_type=ChargeType.BILLABLE,
        worked_on__gte=today.replace(day=1), worked_on__lte=today,
    ).aggregate(total=Sum("hours_billable"))["total"]
    return {
        "open_matters": Matter.objects.filter(status=MatterStatus.OPEN).count(),
        "clients": Client.objects.filter(is_active=True).count(),
        "timekeepers": Timekeeper.objects.filter(is_active=True).count(),
        "unbilled_hours": unbilled or 0,
        "month": today.replace(day=1),
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # Client-role users see no firm figures: the dashboard is for staff only.
    actor = actor_of_request(request)
    stats = _dashboard(timezone.localdate()) if actor is not None and actor.is_staff else None
    return render(request, "web/home.html", {"stats": stats})


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links: send them to the SVG icon the pages link."""
    return redirect(static("lexbill/favicon.svg"))


@login_required
@require_POST
def firm_switch(request: HttpRequest) -> HttpResponse:
    """Make another of the user's firms the active one; a firm the user is not in is refused."""
    with scopes_disabled():
        membership = Membership.objects.filter(
            user=request.user.pk, is_active=True, firm__slug=request.POST.get("firm", "")).first()
    if membership is None:
        messages.error(request, "You are not a member of that firm.")
    else:
        request.session[SESSION_KEY] = membership.firm_id
        membership_mark_used(membership)  # the next login lands here
    return redirect("home")
