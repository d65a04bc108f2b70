"""Issue #8 item 8: what an e-billing client, its matters and the firm's timekeepers put into a LEDES file
fits the format's fields, checked when they are saved (web, API, CLI all save through the services).

An e-billing client is one with a LEDES format or portal set, or that asked for a LEDES file with each invoice
(its `ClientEbillingSettings`). Its invoices freeze these values when issued (invariant 2), so a value too long
for its field would make every later file of the invoice one that a portal (and lexbill's own validator)
refuses: it is refused at the save, with the field and the limit, instead.

The clients and staff apps sit below e-billing and cannot import it: `EbillingConfig.ready()` registers these
checks in their services' check lists (`CLIENT_CHECKS`, `MATTER_CHECKS`, `TIMEKEEPER_CHECKS`).
"""

from __future__ import annotations

from django.db.models import Q

from lexbill.clients.models import Client, Matter
from lexbill.codes.ledes_fields import (
    CLIENT_FIELDS,
    MATTER_FIELDS,
    TIMEKEEPER_FIELDS,
    check_lengths,
    client_id_value,
    timekeeper_name_value,
)
from lexbill.staff.models import Timekeeper

from .models import ClientEbillingSettings, client_ebilling_settings

BILLS_IN_LEDES = Q(wants_ledes=True) | ~Q(ledes_format="") | ~Q(ebilling_portal="")


def bills_in_ledes(settings: ClientEbillingSettings) -> bool:
    return bool(settings.wants_ledes or settings.ledes_format or settings.ebilling_portal)


def check_ebilling_client(client: Client, settings: ClientEbillingSettings | None = None) -> None:
    """The client's own LEDES values, then those of its matters (one query), when it bills in LEDES.
    `settings` are the e-billing settings being saved (default: the stored ones)."""
    if settings is None:
        settings = client_ebilling_settings(client) if client.pk is not None else None
    if settings is None or not bills_in_ledes(settings):
        return
    why = f"client {client.code} is billed in LEDES"
    check_lengths([(field, label, ledes, getattr(client, field) or "") for field, label, ledes in CLIENT_FIELDS]
                  + [client_id_value(settings.ledes_client_id, client.code)], why=why)
    for matter in Matter.objects.filter(client_id=client.pk).only("number", "name", "client_matter_id"):
        check_lengths([("wants_ledes", f"matter {matter.number}: its {label}", ledes, getattr(matter, field) or "")
                       for field, label, ledes in MATTER_FIELDS], why=f"{why}: shorten it first")


def check_ebilling_matter(matter: Matter) -> None:
    client = matter.client if matter.client_id else None
    if client is None or not bills_in_ledes(client_ebilling_settings(client)):
        return
    check_lengths([(field, label, ledes, getattr(matter, field) or "") for field, label, ledes in MATTER_FIELDS],
                  why=f"client {client.code} is billed in LEDES")


def check_ebilling_timekeeper(timekeeper: Timekeeper) -> None:
    """Timekeepers are the firm's, not a client's: checked once any client of the firm bills in LEDES."""
    if not ClientEbillingSettings.objects.filter(BILLS_IN_LEDES, firm_id=timekeeper.firm_id).exists():
        return
    check_lengths([*((field, label, ledes, getattr(timekeeper, field) or "")
                     for field, label, ledes in TIMEKEEPER_FIELDS),
                   timekeeper_name_value(timekeeper.first_name, timekeeper.last_name)],
                  why="the firm bills clients in LEDES")


def register_checks() -> None:
    """Hook the checks into the services of the apps below (idempotent: ready() may run more than once)."""
    from lexbill.clients.services import CLIENT_CHECKS, MATTER_CHECKS
    from lexbill.staff.services import TIMEKEEPER_CHECKS

    for hooks, check in ((CLIENT_CHECKS, check_ebilling_client), (MATTER_CHECKS, check_ebilling_matter),
                         (TIMEKEEPER_CHECKS, check_ebilling_timekeeper)):
        if check not in hooks:
            hooks.append(check)  # type: ignore[arg-type]
