from django.db.models import QuerySet

from lexbill.core.errors import NotFound

from .models import Timekeeper


def timekeeper_list() -> QuerySet[Timekeeper]:
    return Timekeeper.objects.all().order_by("last_name", "first_name")


def timekeeper_by_initials(initials: str) -> Timekeeper:
    found = Timekeeper.objects.filter(initials=initials.strip().upper()).first()
    if found is None:
        raise NotFound(f"no timekeeper with initials {initials!r}")
    return found
