from django.db.models import QuerySet

from lexbill.core.errors import NotFound

from .models import Client, Matter


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
