"""E-billing settings of the firm (the LEDES law firm id) and of each client (LEDES client id, portal, format,
profile, submission deadline, LEDES file with each invoice): the only writers, checked, locked and audited.

The firm's settings page and `lexbill firm settings` call `firm_ebilling_settings_update` beside billing's
`firm_settings_update` (billing cannot write e-billing's rows: ebilling sits above billing). The client page
and the API save a client through `client_create_with_settings` / `client_update_with_settings`: the client's
own fields (clients' service) and its billing and e-billing settings (`client_settings_update`) in one
transaction, so a refused setting leaves no client half-saved. The import applies each row inside its own
service transaction, calling the same services.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from lexbill.access import enforce
from lexbill.billing.services.settings import CLIENT_BILLING_SETTINGS, client_billing_settings_update
from lexbill.clients.models import Client
from lexbill.clients.services import client_create, client_update
from lexbill.core.errors import ValidationFailed
from lexbill.core.models import Firm
from lexbill.core.records import settings_update
from lexbill.core.transactions import service_transaction
from lexbill.ebilling.ledes_limits import check_ebilling_client
from lexbill.ebilling.models import (
    ClientEbillingSettings,
    FirmEbillingSettings,
    LedesFormat,
    LedesProfileName,
    client_ebilling_settings,
    firm_ebilling_settings,
)

FIRM_EBILLING_SETTINGS = ["ledes_law_firm_id"]
CLIENT_EBILLING_SETTINGS = ["ledes_client_id", "wants_ledes", "ebilling_portal", "ledes_format", "ledes_profile",
                            "submission_deadline_days"]
# Everything about a client that is not the clients app's own: what the faces split off a client's fields.
CLIENT_SETTINGS = [*CLIENT_BILLING_SETTINGS, *CLIENT_EBILLING_SETTINGS]
_LEDES_RESERVED = "\r\n|[]"  # LEDES 1998B separates fields with | and ends lines with [] (ledes/writer.py)


def firm_ebilling_settings_update(*, firm: Firm, actor: User | None, **changes: Any) -> FirmEbillingSettings:
    """Change the firm's e-billing settings; nothing is written when a value is bad."""
    enforce(actor, firm, "firm_settings.change")
    if isinstance(changes.get("ledes_law_firm_id"), str):
        changes["ledes_law_firm_id"] = changes["ledes_law_firm_id"].strip()
    with service_transaction():
        locked = Firm.objects.select_for_update().get(pk=firm.pk)
        return settings_update(firm_ebilling_settings(locked), owner=locked, actor=actor,
                               action="firm.ebilling_settings", changes=changes, allowed=FIRM_EBILLING_SETTINGS,
                               check=_check_firm_settings)


def _check_firm_settings(settings: FirmEbillingSettings) -> None:
    if any(ch in settings.ledes_law_firm_id for ch in _LEDES_RESERVED):
        raise ValidationFailed("the LEDES law firm id cannot contain a line break, | or [ ]", field="ledes_law_firm_id")


def split_client_settings(data: dict[str, Any]) -> dict[str, Any]:
    """Take the billing and e-billing settings out of a client's fields (as a face received them)."""
    return {key: data.pop(key) for key in CLIENT_SETTINGS if key in data}


def client_create_with_settings(*, firm: Firm, actor: User | None, **fields: Any) -> Client:
    """A new client with its billing and e-billing settings, in one transaction: a refused setting (say, a name
    too long for LEDES once the client bills in LEDES) leaves no client behind."""
    settings = split_client_settings(fields)
    with service_transaction():
        client = client_create(firm=firm, actor=actor, **fields)
        if settings:
            client_settings_update(client=client, actor=actor, **settings)
    return client


def client_update_with_settings(*, client: Client, actor: User | None, **changes: Any) -> Client:
    """A client's own fields and its settings, all or nothing."""
    settings = split_client_settings(changes)
    with service_transaction():
        if changes:
            client = client_update(client=client, actor=actor, **changes)
        if settings:
            client_settings_update(client=client, actor=actor, **settings)
    return client


def client_settings_update(*, client: Client, actor: User | None, **changes: Any) -> None:
    """A client's billing and e-billing settings together, in one transaction (all or nothing)."""
    billing = {key: changes.pop(key) for key in CLIENT_BILLING_SETTINGS if key in changes}
    with service_transaction():
        if billing:
            client_billing_settings_update(client=client, actor=actor, **billing)
        if changes:
            client_ebilling_settings_update(client=client, actor=actor, **changes)


def client_ebilling_settings_update(*, client: Client, actor: User | None,
                                    **changes: Any) -> ClientEbillingSettings:
    """Change how a client is e-billed; nothing is written when a value is bad or nothing changes."""
    enforce(actor, client.firm_id, "clients.change", client)
    for key in ("ledes_client_id", "ebilling_portal", "ledes_format", "ledes_profile"):
        if isinstance(changes.get(key), str):
            changes[key] = changes[key].strip()
    if isinstance(changes.get("ledes_format"), str):
        changes["ledes_format"] = changes["ledes_format"].upper()
    if isinstance(changes.get("ledes_profile"), str):
        changes["ledes_profile"] = changes["ledes_profile"].lower()
    with service_transaction():
        locked = Client.objects.select_for_update().select_related("firm").get(pk=client.pk)

        def check(settings: ClientEbillingSettings) -> None:
            _check_client_settings(settings)
            check_ebilling_client(locked, settings)  # a client that starts billing in LEDES must fit its fields

        return settings_update(client_ebilling_settings(locked), owner=locked, actor=actor,
                               action="client.ebilling_settings", changes=changes,
                               allowed=CLIENT_EBILLING_SETTINGS, check=check)


def _check_client_settings(settings: ClientEbillingSettings) -> None:
    if settings.ledes_format not in ("", *LedesFormat.values):
        raise ValidationFailed(f"unknown LEDES format {settings.ledes_format!r} (choose from "
                               f"{', '.join(LedesFormat.values)}, or empty for 1998B)", field="ledes_format")
    if settings.ledes_profile not in ("", *LedesProfileName.values):
        raise ValidationFailed(f"unknown LEDES profile {settings.ledes_profile!r} (choose from "
                               f"{', '.join(LedesProfileName.values)})", field="ledes_profile")
    if any(ch in settings.ledes_client_id for ch in _LEDES_RESERVED):
        raise ValidationFailed("the LEDES client id cannot contain a line break, | or [ ]", field="ledes_client_id")
