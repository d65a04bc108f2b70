"""The active firm: resolving it for a user and opening a django-scopes scope around work.

Every firm-owned manager is a `ScopedManager(firm="firm")`: a query made outside `firm_scope(...)`
raises `ScopeError` instead of silently reading every firm's rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone
from django_scopes import scope

from .errors import NotFound, ValidationFailed
from .models import Firm, Role

# The scope value for "no firm": django-scopes reads None as "every firm", an empty list as none.
NO_FIRM: list[int] = []


@contextmanager
def firm_scope(firm: Firm) -> Iterator[Firm]:
    """Scope queries to the firm and read business dates in the firm's time zone."""
    with scope(firm=firm), timezone.override(firm_zone(firm)):
        yield firm


def firm_zone(firm: Firm) -> ZoneInfo:
    try:
        return ZoneInfo(firm.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def firms_for_user(user: User | AnonymousUser) -> list[Firm]:
    if not user.is_authenticated:
        return []
    return list(Firm.objects.filter(memberships__user=user, memberships__is_active=True).order_by("name"))


def firm_by_slug(slug: str | None) -> Firm:
    """The firm named by slug, or the only firm when none is named (CLI convention)."""
    if slug:
        firm = Firm.objects.filter(slug=slug).first()
        if firm is None:
            raise NotFound(f"no firm with slug '{slug}'")
        return firm
    firms = list(Firm.objects.all()[:2])
    if not firms:
        raise NotFound("no firm yet: run `lexbill demo` or create one with `lexbill firm add`")
    if len(firms) > 1:
        raise ValidationFailed("several firms: choose one with --firm SLUG")
    return firms[0]


STAFF_ROLES = {Role.ADMIN, Role.BILLING, Role.ATTORNEY, Role.ACCOUNTING}
