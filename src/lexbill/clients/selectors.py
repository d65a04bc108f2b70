from django.db.models import Case, Q, QuerySet, Value, When

from lexbill.access import Actor, restrict
from lexbill.core.errors import NotFound

from .models import Client, Matter, MatterStatus


def client_list() -> QuerySet[Client]:
    return Client.objects.all().order_by("name")


def client_by_code(code: str) -> Client:
    found = Client.objects.filter(code=code.strip()).first()
    if found is None:
        raise NotFound(f"no client with number {code!r}")
    return found


def matter_list() -> QuerySet[Matter]:
    return Matter.objects.select_related("client", "billing_attorney").order_by("number")


def matter_by_number(number: str) -> Matter:
    found = Matter.objects.select_related("client", "firm").filter(number=number.strip()).first()
    if found is None:
        raise NotFound(f"no matter with number {number!r}")
    return found


def visible_matters(actor: Actor | None) -> QuerySet[Matter]:
    return restrict(actor, "matters", Matter.objects.all())


def matter_search(*, actor: Actor | None, text: str, open_only: bool = True, limit: int = 20) -> list[Matter]:
    """Matters the actor may see whose number, name or client matches `text`: numbers that start with it
    first (what a clerk types), then the rest by number. One query, at most `limit` rows."""
    text = text.strip()
    matters = visible_matters(actor).select_related("client")
    if open_only:
        matters = matters.filter(status=MatterStatus.OPEN)
    if text:
        matters = matters.filter(Q(number__icontains=text) | Q(name__icontains=text) | Q(client__name__icontains=text)
                                 | Q(client__code__iexact=text))
        starts = Case(When(number__istartswith=text, then=Value(0)), default=Value(1))
        matters = matters.annotate(rank=starts).order_by("rank", "number")
    else:
        matters = matters.order_by("number")
    return list(matters[:limit])
