"""Role checks for the server-rendered pages.

The middleware has already resolved the active firm and the user's membership in it. Staff pages
answer 404 (not 403) to client-role users and to users without a firm, so that nothing hints that a
page or a row exists; a staff member whose role may only look gets 403 on write pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from lexbill.core.models import Role
from lexbill.core.tenancy import STAFF_ROLES

VIEW_ROLES: frozenset[str] = frozenset(STAFF_ROLES)
EDIT_ROLES: frozenset[str] = frozenset({Role.ADMIN, Role.BILLING})

View = Callable[..., HttpResponse]


def active_role(request: HttpRequest) -> str | None:
    membership = getattr(request, "membership", None)
    return membership.role if membership is not None else None


def can_edit_records(request: HttpRequest) -> bool:
    return active_role(request) in EDIT_ROLES


def firm_member_required(*, roles: Iterable[str] = VIEW_ROLES) -> Callable[[View], View]:
    """Let the view run only for a member of the active firm whose role is in `roles`."""
    allowed = frozenset(roles)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            role = active_role(request)
            if role is None:
                raise Http404
            if role not in allowed:
                if role not in STAFF_ROLES:
                    raise Http404
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
