"""The Users page (admins: list members, invite, change role, deactivate and reactivate, reset a password)
and every user's change-password page (required first after logging in with a one-time password).

A one-time password is shown once, in the answer to the POST that made it: it is never stored in clear,
put in a message, or shown again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lexbill.core.errors import Conflict, LexbillError, NotFound
from lexbill.core.models import Membership
from lexbill.core.users import (
    member_active_set,
    member_get,
    member_invite,
    member_list,
    member_password_reset,
    member_role_set,
    password_change,
)

from .access import firm_member_required
from .forms_users import InviteForm, OwnPasswordForm, RoleForm
from .middleware import ONE_TIME_KEY
from .service_forms import save_form
from .views_records.common import actor_of, firm_of


def _list(request: HttpRequest, form: InviteForm | None = None, status: int = 200) -> HttpResponse:
    members = list(member_list(firm_of(request)))
    return render(request, "web/users/user_list.html", {
        "members": members, "form": form or InviteForm(), "role_form": RoleForm(),
        "me": request.user.pk,
    }, status=status)


@firm_member_required("users.view")
def user_list(request: HttpRequest) -> HttpResponse:
    return _list(request)


@firm_member_required("users.change")
@require_POST
def user_invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    made = save_form(request, form, lambda data: member_invite(firm=firm_of(request), actor=actor_of(request), **data))
    if made is None:
        return _list(request, form, status=422)
    membership, password = made
    if password is None:
        messages.success(request, f"{membership.user.email} (already a lexbill user) is now {membership.role} here.")
        return redirect("user_list")
    return _password_shown(request, membership, password, invited=True)


def _password_shown(request: HttpRequest, membership: Membership, password: str, *, invited: bool) -> HttpResponse:
    response = render(request, "web/users/password_shown.html",
                      {"member": membership, "password": password, "invited": invited})
    response["Cache-Control"] = "no-store"  # the password must not outlive this page
    return response


def _member_action(request: HttpRequest, user_id: int, action: str) -> HttpResponse:
    membership = member_get(firm_of(request), user_id)
    try:
        if action == "role":
            form = RoleForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Choose a role.")
                return _list(request, status=422)
            changed = member_role_set(membership=membership, actor=actor_of(request), **form.to_service())
            messages.success(request, f"{changed.user.email} is now {changed.get_role_display()}.")
        elif action in ("deactivate", "reactivate"):
            changed = member_active_set(membership=membership, actor=actor_of(request),
                                        is_active=action == "reactivate")
            messages.success(request, f"{changed.user.email} {action}d.")
        else:
            password = member_password_reset(membership=membership, actor=actor_of(request))
            return _password_shown(request, membership, password, invited=False)
    except LexbillError as exc:
        # the refusal on the list page itself (nothing changed): 409 for a rule such as the last admin
        messages.error(request, exc.message)
        return _list(request, status=409 if isinstance(exc, Conflict) else 422)
    return redirect("user_list")


def _member_view(action: str) -> Callable[..., HttpResponse]:
    """One POST view per member action; a user not in this firm is 404, like any row of another firm."""

    @firm_member_required("users.change")
    @require_POST
    def view(request: HttpRequest, user_id: int) -> HttpResponse:
        try:
            return _member_action(request, user_id, action)
        except NotFound as exc:
            raise Http404(exc.message) from exc

    view.__name__ = f"user_{action.replace('-', '_')}"
    return view


user_role = _member_view("role")
user_deactivate = _member_view("deactivate")
user_reactivate = _member_view("reactivate")
user_reset_password = _member_view("reset-password")


@login_required
def own_password_change(request: HttpRequest) -> HttpResponse:
    """Choose a new password; the only page a user with a one-time password may open."""
    user = actor_of(request)
    form = OwnPasswordForm(user, request.POST or None)

    def change(data: dict[str, Any]) -> bool:
        password_change(user=user, **data)
        return True

    if save_form(request, form, change):
        update_session_auth_hash(request, user)  # stay logged in with the new password
        request.session.pop(ONE_TIME_KEY, None)
        messages.success(request, "Your password is changed.")
        return redirect("home")
    one_time = bool(request.session.get(ONE_TIME_KEY))
    return render(request, "web/users/password_change.html", {"form": form, "one_time": one_time},
                  status=422 if request.method == "POST" else 200)
