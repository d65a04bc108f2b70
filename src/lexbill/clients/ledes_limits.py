"""Issue #8 item 8: what an e-billing client, its matters and the firm's timekeepers put into a LEDES file
fits the format's fields, checked when they are saved (web, API, CLI all save through the services).

An e-billing client is one with a LEDES format or portal set, or that asked for a LEDES file with each invoice.
Its invoices freeze these values when issued (invariant 2), so a value too long for its field would make every
later file of the invoice one that a portal (and lexbill's own validator) refuses: it is refused at the save,
with the field and the limit, instead.
"""

from __future__ import annotations

from django.db.models import Q

from lexbill.codes.ledes_fields import (
    CLIENT_FIELDS,
    MATTER_FIELDS,
    TIMEKEEPER_FIELDS,
    check_lengths,
    client_id_value,
    timekeeper_name_value,
)
from lexbill.staff.models import Timekeeper

from .models import Client, Matter

BILLS_IN_LEDES = Q(wants_ledes=True) | ~Q(ledes_format="") | ~Q(ebilling_portal="")


def bills_in_ledes(client: Client) -> bool:
    return bool(client.wants_ledes or client.ledes_format or client.ebilling_portal)


def check_ebilling_client(client: Client) -> None:
    """The client's own LEDES values, then those of its matters (one query), when it bills in LEDES."""
    if not bills_in_ledes(client):
        return
    why = f"client {client.code} is billed in LEDES"
    check_lengths([(field, label, ledes, getattr(client, field) or "") for field, label, ledes in CLIENT_FIELDS]
                  + [client_id_value(client.ledes_client_id, client.code)], why=why)
    if client.pk is None:
        return
    for matter in Matter.objects.filter(client_id=client.pk).only("number", "name", "client_matter_id"):
        check_lengths([("wants_ledes", f"matter {matter.number}: its {label}", ledes, getattr(matter, field) or "")
                       for field, label, ledes in MATTER_FIELDS], why=f"{why}: shorten it first")


def check_ebilling_matter(matter: Matter) -> None:
    client = matter.client if matter.client_id else None
    if client is None or not bills_in_ledes(client):
        return
    check_lengths([(field, label, ledes, getattr(matter, field) or "") for field, label, ledes in MATTER_FIELDS],
                  why=f"client {client.code} is billed in LEDES")


def check_ebilling_timekeeper(timekeeper: Timekeeper) -> None:
    """Timekeepers are the firm's, not a client's: checked once any client of the firm bills in LEDES."""
    if not Client.objects.filter(BILLS_IN_LEDES, firm_id=timekeeper.firm_id).exists():
        return
    check_lengths([*((field, label, ledes, getattr(timekeeper, field) or "")
                     for field, label, ledes in TIMEKEEPER_FIELDS),
                   timekeeper_name_value(timekeeper.first_name, timekeeper.last_name)],
                  why="the firm bills clients in LEDES")
