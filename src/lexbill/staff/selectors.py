from django.db.models import QuerySet

from lexbill.access import Actor, Scope, scope_of
from lexbill.core.errors import NotFound

from .models import Timekeeper


def timekeeper_list() -> QuerySet[Timekeeper]:
    return Timekeeper.objects.all().order_by("last_name", "first_name")


def timekeeper_by_initials(initials: str) -> Timekeeper:
    found = Timekeeper.objects.filter(initials=initials.strip().upper()).first()
    if found is None:
        raise NotFound(f"no timekeeper with initials {initials!r}")
    return found


def timekeepers_for_entry(actor: Actor | None) -> QuerySet[Timekeeper]:
    """Active timekeepers whose time, expenses and timers the actor may record or filter by."""
    people = Timekeeper.objects.filter(is_active=True).order_by("initials")
    scope = scope_of(actor, "time.view")
    if scope is Scope.ALL:
        return people
    if scope is Scope.OWN and actor is not None:
        return people.filter(pk__in=actor.timekeeper_ids)
    return people.none()
