"""Writes for clients, contacts and matters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User

from lexbill.access import enforce
from lexbill.codes.loader import SET_NAMES
from lexbill.core.countries import check_country
from lexbill.core.errors import ValidationFailed
from lexbill.core.models import Firm
from lexbill.core.records import record_create, record_delete, record_update

from .models import Client, ClientContact, Matter, MatterStatus

CLIENT_FIELDS = ["code", "name", "address_line1", "address_line2", "city", "region", "postcode", "country",
                 "currency", "payment_terms_days", "billing_increment_milli", "is_consolidated_billing", "is_active",
                 "notes", "utbms_code_sets"]
MATTER_FIELDS = ["client", "number", "name", "client_matter_id", "description", "billing_attorney",
                 "responsible_attorney", "originating_attorney", "status", "opened_on", "closed_on", "currency",
                 "fee_arrangement", "fee_amount_minor", "fee_percent_bp", "retainer_first_month", "retainer_last_month",
                 "billing_increment_milli", "budget_minor",
                 "utbms_code_sets"]
CONTACT_FIELDS = ["name", "email", "phone", "role", "is_billing_contact"]

# Checks that apps above clients add for a client or matter being saved (e-billing: LEDES field lengths of a
# client billed in LEDES); clients cannot import them, so they register here from their AppConfig.ready().
CLIENT_CHECKS: list[Callable[[Client], None]] = []
MATTER_CHECKS: list[Callable[[Matter], None]] = []


def _normalise_client(fields: dict[str, Any]) -> None:
    for key in ("code", "name"):
        if key in fields and isinstance(fields[key], str):
            fields[key] = fields[key].strip()
    for key in ("currency", "country"):
        if key in fields and isinstance(fields[key], str):
            fields[key] = fields[key].strip().upper()


def _check_code_sets(value: object) -> None:
    if not isinstance(value, list) or any(name not in SET_NAMES for name in value) or len(set(value)) != len(value):
        raise ValidationFailed(f"UTBMS code sets must be a list of distinct names from {', '.join(SET_NAMES)}",
                               field="utbms_code_sets")


def _check_client(client: Client) -> None:
    _check_code_sets(client.utbms_code_sets)
    check_country(client.country)
    for check in CLIENT_CHECKS:
        check(client)


def client_create(*, firm: Firm, actor: User | None, **fields: Any) -> Client:
    enforce(actor, firm, "clients.change")
    _normalise_client(fields)
    fields.setdefault("currency", firm.currency)
    return record_create(Client(firm=firm, **fields), actor=actor, name="client", fields=CLIENT_FIELDS,
                         check=_check_client)


def client_update(*, client: Client, actor: User | None, **changes: Any) -> Client:
    enforce(actor, client.firm_id, "clients.change", client)
    _normalise_client(changes)
    if "currency" in changes and changes["currency"] != client.currency and client.matters.exists():
        raise ValidationFailed("the currency of a client with matters cannot change", field="currency")
    return record_update(client, actor=actor, name="client", changes=changes, allowed=CLIENT_FIELDS,
                         check=_check_client)


def contact_add(*, client: Client, actor: User | None, **fields: Any) -> ClientContact:
    enforce(actor, client.firm_id, "clients.change", client)
    contact = ClientContact(firm=client.firm, client=client, **fields)
    return record_create(contact, actor=actor, name="contact", fields=CONTACT_FIELDS)


def _check_matter(matter: Matter) -> None:
    _check_code_sets(matter.utbms_code_sets)
    firm_id = matter.firm_id
    for field in ("client", "billing_attorney", "responsible_attorney", "originating_attorney"):
        related = getattr(matter, field)
        if related is not None and related.firm_id != firm_id:
            raise ValidationFailed(f"{field} belongs to another firm", field=field)
    if matter.status == MatterStatus.CLOSED and matter.closed_on is None:
        raise ValidationFailed("a closed matter needs a closing date", field="closed_on")
    if matter.closed_on and matter.opened_on and matter.closed_on < matter.opened_on:
        raise ValidationFailed("closed before it was opened", field="closed_on")
    if matter.fee_percent_bp is not None and matter.fee_percent_bp > 10_000:
        raise ValidationFailed("a percentage cannot exceed 100 %", field="fee_percent_bp")
    if matter.fee_amount_minor is not None and matter.fee_amount_minor < 0:
        raise ValidationFailed("a fee cannot be negative", field="fee_amount_minor")
    if matter.client_id and matter.currency != matter.client.currency:
        raise ValidationFailed(
            f"matter currency {matter.currency} differs from the client's {matter.client.currency}", field="currency"
        )
    for check in MATTER_CHECKS:
        check(matter)


def matter_create(*, firm: Firm, actor: User | None, **fields: Any) -> Matter:
    enforce(actor, firm, "matters.change")
    if isinstance(fields.get("number"), str):
        fields["number"] = fields["number"].strip()
    client = fields.get("client")
    if client is not None and not fields.get("currency"):
        fields["currency"] = client.currency
    return record_create(Matter(firm=firm, **fields), actor=actor, name="matter", fields=MATTER_FIELDS,
                         check=_check_matter)


def matter_update(*, matter: Matter, actor: User | None, **changes: Any) -> Matter:
    enforce(actor, matter.firm_id, "matters.change", matter)
    if changes.get("status") == MatterStatus.OPEN:
        changes.setdefault("closed_on", None)
    return record_update(matter, actor=actor, name="matter", changes=changes, allowed=MATTER_FIELDS,
                         check=_check_matter)


def client_delete(*, client: Client, actor: User | None) -> None:
    """Delete a client with no matters; contacts and client rates go with it."""
    enforce(actor, client.firm_id, "clients.change", client)
    record_delete(client, actor=actor, name="client", fields=CLIENT_FIELDS,
                  protected=f"client {client.code} still has matters; close them instead of deleting")


def matter_delete(*, matter: Matter, actor: User | None) -> None:
    """Delete a matter with no time or expenses; its matter rates go with it."""
    enforce(actor, matter.firm_id, "matters.change", matter)
    record_delete(matter, actor=actor, name="matter", fields=MATTER_FIELDS,
                  protected=f"matter {matter.number} has time or expenses; close it instead of deleting")
