"""The LEDES ids an issued invoice freezes (invariant 2): the firm's law firm id and each client's LEDES
client id are e-billing's settings, so e-billing hands them to billing's snapshot (`PARTY_EXTRAS`)."""

from __future__ import annotations

from lexbill.clients.models import Client
from lexbill.core.models import Firm

from .models import ClientEbillingSettings, firm_ebilling_settings


def ledes_ids(firm: Firm, clients: list[Client]) -> tuple[dict[str, str], dict[int, dict[str, str]]]:
    """Two queries at most (the firm's settings unless cached, the clients' settings in one)."""
    stored = dict(ClientEbillingSettings.objects.filter(client_id__in=[c.pk for c in clients])
                  .values_list("client_id", "ledes_client_id"))
    return ({"ledes_law_firm_id": firm_ebilling_settings(firm).ledes_law_firm_id or ""},
            {client.pk: {"ledes_client_id": stored.get(client.pk) or ""} for client in clients})


def register() -> None:
    from lexbill.billing.snapshot import PARTY_EXTRAS

    if ledes_ids not in PARTY_EXTRAS:
        PARTY_EXTRAS.append(ledes_ids)
