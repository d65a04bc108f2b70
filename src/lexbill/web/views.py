from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from lexbill.core.middleware import SESSION_KEY
from lexbill.core.models import Membership


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


@login_required
@require_POST
def firm_switch(request: HttpRequest) -> HttpResponse:
    """Make another of the user's firms the active one; a firm the user is not in is refused."""
    with scopes_disabled():
        membership = Membership.objects.filter(user=request.user.pk, firm__slug=request.POST.get("firm", "")).first()
    if membership is None:
        messages.error(request, "You are not a member of that firm.")
    else:
        request.session[SESSION_KEY] = membership.firm_id
    return redirect("home")
