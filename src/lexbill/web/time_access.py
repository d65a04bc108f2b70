"""Who may see and change which time, timers and expenses (private to the time pages).

admin/billing: everyone's rows; attorney: the rows of the timekeeper(s) linked to their user;
accounting: everyone's rows, read-only; client role or no membership: 404, never a hint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme

from lexbill.core.models import Firm, Role
from lexbill.core.tenancy import STAFF_ROLES
from lexbill.staff.models import Timekeeper
from lexbill.timekeeping.models import Expense, TimeEntry

from .permissions import EDIT_ROLES

EDIT_ALL = EDIT_ROLES
READ_ALL = EDIT_ROLES | {Role.ACCOUNTING}


@dataclass(frozen=True)
class Access:
    firm: Firm
    role: str
    user: Any

    @property
    def can_edit(self) -> bool:
        return self.role in EDIT_ALL or self.role == Role.ATTORNEY

    @property
    def sees_all(self) -> bool:
        return self.role in READ_ALL

    @property
    def chooses_timekeeper(self) -> bool:
        return self.role in EDIT_ALL

    def entries(self) -> QuerySet[TimeEntry]:
        rows = TimeEntry.objects.all()
        return rows if self.sees_all else rows.filter(timekeeper__user=self.user)

    def expenses(self) -> QuerySet[Expense]:
        rows = Expense.objects.all()
        return rows if self.sees_all else rows.filter(timekeeper__user=self.user)

    def timekeepers(self) -> QuerySet[Timekeeper]:
        """Timekeepers whose time this user may record or filter by."""
        people = Timekeeper.objects.filter(is_active=True).order_by("initials")
        return people if self.sees_all else people.filter(user=self.user)

    def require_edit(self) -> None:
        if not self.can_edit:
            raise PermissionDenied("read-only access")


def access_of(request: HttpRequest) -> Access:
    membership = getattr(request, "membership", None)
    if membership is None or membership.role not in STAFF_ROLES:
        raise Http404
    return Access(firm=membership.firm, role=membership.role, user=request.user)


def time_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log in, then resolve the caller's access (404 for clients and non-members)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, access_of(request), *args, **kwargs)

    return wrapper


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` the page asked to return to, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback
