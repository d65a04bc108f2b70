"""The web's adapter to `lexbill.access`: the actor of a request, and decorators that ask the policy.

Nothing here decides a rule. Staff pages answer 404 (not 403) to client-role users and to users
without a firm, so that nothing hints that a page or a row exists; a staff member whose role may only
look gets 403 on write pages (the policy's NotFound / PermissionDenied, mapped to Django's).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as Forbidden
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme

from lexbill.access import Actor, Scope, acting_as, actor_of_membership, can, require, scope_of
from lexbill.billing.models import PreBill
from lexbill.billing.selectors_prebill import visible_prebills
from lexbill.core.errors import NotFound, PermissionDenied
from lexbill.staff.models import Timekeeper
from lexbill.staff.selectors import timekeepers_for_entry
from lexbill.timekeeping.models import Expense, TimeEntry
from lexbill.timekeeping.selectors import visible_expenses, visible_time_entries

View = Callable[..., HttpResponse]


def actor_of_request(request: HttpRequest) -> Actor | None:
    """The request's actor, built once (None: no membership in any firm)."""
    if not hasattr(request, "_access_actor"):
        membership = getattr(request, "membership", None)
        request._access_actor = actor_of_membership(membership) if membership else None  # type: ignore[attr-defined]
    return request._access_actor  # type: ignore[attr-defined,no-any-return]


@contextmanager
def policy_errors() -> Iterator[None]:
    """The policy's typed errors as Django's 404 / 403."""
    try:
        yield
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PermissionDenied as exc:
        raise Forbidden(exc.message) from exc


def web_require(request: HttpRequest, action: str, obj: Any = None) -> None:
    actor = actor_of_request(request)
    if actor is None:
        raise Http404
    with policy_errors():
        require(actor, action, obj)


def can_do(request: HttpRequest, action: str, obj: Any = None) -> bool:
    actor = actor_of_request(request)
    return actor is not None and can(actor, action, obj)


def firm_member_required(action: str) -> Callable[[View], View]:
    """Let the view run only when the policy allows `action` to the request's actor (log in first)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            web_require(request, action)
            actor = actor_of_request(request)
            assert actor is not None
            with acting_as(actor):
                return view(request, *args, **kwargs)

        return wrapped

    return decorator


@dataclass(frozen=True)
class KindAccess:
    """What a page needs to know about one kind of record, for the request's actor (time, expenses,
    timers; pre-bills). Templates read `can_edit` and `chooses_timekeeper`."""

    actor: Actor
    kind: str

    @property
    def role(self) -> str | None:
        return self.actor.role

    @property
    def user(self) -> Any:
        return self.actor.user

    @property
    def firm(self) -> Any:
        return self.actor.firm

    @property
    def can_edit(self) -> bool:
        return can(self.actor, f"{self.kind}.change")

    @property
    def sees_all(self) -> bool:
        return scope_of(self.actor, f"{self.kind}.view") is Scope.ALL

    @property
    def chooses_timekeeper(self) -> bool:
        return scope_of(self.actor, f"{self.kind}.change") is Scope.ALL

    def require_edit(self, obj: Any = None) -> None:
        with policy_errors():
            require(self.actor, f"{self.kind}.change", obj)

    def entries(self) -> QuerySet[TimeEntry]:
        return visible_time_entries(self.actor)

    def expenses(self) -> QuerySet[Expense]:
        return visible_expenses(self.actor)

    def timekeepers(self) -> QuerySet[Timekeeper]:
        """Timekeepers whose time this user may record or filter by."""
        return timekeepers_for_entry(self.actor)

    def prebills(self) -> QuerySet[PreBill]:
        return visible_prebills(self.actor)


def kind_view(kind: str) -> Callable[[View], View]:
    """Log in, resolve the caller's actor (404 for clients and non-members), pass a KindAccess."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            web_require(request, f"{kind}.view")
            actor = actor_of_request(request)
            assert actor is not None
            with acting_as(actor):
                return view(request, KindAccess(actor=actor, kind=kind), *args, **kwargs)

        return wrapped

    return decorator


time_view = kind_view("time")
expense_view = kind_view("expenses")
timer_view = kind_view("timers")
review_view = kind_view("prebills")


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` the page asked to return to, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback
