"""Open the active firm's scope for every request.

The active firm is kept in the session (the firm switcher sets it). A session without one (the first
request after a login) lands in the firm the user last worked in, and remembers it. Requests of an
anonymous user, or of a user without an active membership, run with no firm: scoped queries then raise
instead of leaking.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django_scopes import scope, scopes_disabled

from .models import Firm, Membership
from .tenancy import NO_FIRM, firm_scope
from .users import membership_mark_used

SESSION_KEY = "active_firm_id"


def _active_membership(request: HttpRequest) -> Membership | None:
    user = request.user
    if not user.is_authenticated:
        return None
    with scopes_disabled():
        memberships = Membership.objects.filter(user=user, is_active=True).select_related("firm")
        wanted = request.session.get(SESSION_KEY)
        chosen = next((m for m in memberships if m.firm_id == wanted), None)
        if chosen is None:
            chosen = last_used(list(memberships))
            if chosen is not None:
                request.session[SESSION_KEY] = chosen.firm_id
                membership_mark_used(chosen)
        return chosen


def last_used(memberships: list[Membership]) -> Membership | None:
    """The membership used most recently; never-used ones after, by firm name."""
    if not memberships:
        return None
    used = [m for m in memberships if m.last_used_at is not None]
    if used:
        return max(used, key=lambda m: m.last_used_at)  # type: ignore[arg-type,return-value]
    return min(memberships, key=lambda m: m.firm.name)


class ActiveFirmMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            # The API binds its firm from the token, not the session.
            return self.get_response(request)
        membership = _active_membership(request)
        request.membership = membership  # type: ignore[attr-defined]
        request.firm = membership.firm if membership else None  # type: ignore[attr-defined]
        firm: Firm | None = request.firm  # type: ignore[attr-defined]
        if firm is None:
            # django-scopes reads None as "every firm"; an empty list means "no firm at all".
            with scope(firm=NO_FIRM):
                return self.get_response(request)
        with firm_scope(firm):
            return self.get_response(request)
