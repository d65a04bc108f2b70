"""`lexbill tax ...` and `lexbill firm settings`: tax rates and the firm's billing settings."""

from __future__ import annotations

from typing import Any

import click

from .access import cli_user
from .commands_admin import firm as firm_group
from .common import echo_json, firm_option, json_option
from .main import cli

# option name -> Firm field; every option is a plain string, checked by the service.
_TEXT_OPTIONS = {
    "invoice_number_format": "invoice_number_format", "credit_note_number_format": "credit_note_number_format",
    "payment_instructions": "payment_instructions", "email_subject": "invoice_email_subject",
    "email_body": "invoice_email_body", "currency": "currency", "timezone": "timezone",
    "ledes_firm_id": "ledes_law_firm_id", "address_line1": "address_line1", "address_line2": "address_line2",
    "city": "city", "region": "region", "postcode": "postcode", "country": "country",
}


def settings_json(firm: Any) -> dict[str, Any]:
    from lexbill.billing.models import firm_billing_settings
    from lexbill.core.hours import milli_to_hours
    from lexbill.ebilling.models import firm_ebilling_settings

    billing = firm_billing_settings(firm)
    return {
        "firm": firm.slug, "invoice_number_format": billing.invoice_number_format,
        "credit_note_number_format": billing.credit_note_number_format, "tax_method": billing.tax_method,
        "payment_instructions": billing.payment_instructions, "invoice_email_subject": billing.invoice_email_subject,
        "invoice_email_body": billing.invoice_email_body,
        "billing_increment": str(milli_to_hours(firm.billing_increment_milli)),
        "currency": firm.currency, "timezone": firm.timezone,
        "ledes_law_firm_id": firm_ebilling_settings(firm).ledes_law_firm_id,
        "address_line1": firm.address_line1, "address_line2": firm.address_line2, "city": firm.city,
        "region": firm.region, "postcode": firm.postcode, "country": firm.country,
    }


@firm_group.command("settings")
@click.option("--invoice-number-format", metavar="F", help='e.g. "{year}-{seq:05d}"')
@click.option("--credit-note-number-format", metavar="F", help='e.g. "CN{year}-{seq:05d}"')
@click.option("--tax-method", type=click.Choice(["none", "per_line", "on_total"]))
@click.option("--payment-instructions", metavar="TEXT")
@click.option("--email-subject", metavar="TEMPLATE", help="Invoice email subject ({number}, {firm}, ...).")
@click.option("--email-body", metavar="TEMPLATE", help="Invoice email body ({client}, {total}, {due_on}, ...).")
@click.option("--billing-increment", metavar="HOURS", help="e.g. 0.1")
@click.option("--currency", metavar="CODE")
@click.option("--timezone", metavar="ZONE", help="e.g. America/New_York")
@click.option("--ledes-firm-id", metavar="ID", help="LEDES law firm id (tax id).")
@click.option("--address-line1", metavar="TEXT", help="Letterhead address: street.")
@click.option("--address-line2", metavar="TEXT", help="Suite, floor (\"\" clears).")
@click.option("--city", metavar="TEXT")
@click.option("--region", metavar="TEXT", help="State or region, e.g. MA.")
@click.option("--postcode", metavar="TEXT", help="ZIP or postcode.")
@click.option("--country", metavar="CODE", help="ISO 3166 alpha-2, e.g. US, GB.")
@firm_option
@json_option
def firm_settings(firm: Any, as_json: bool, tax_method: str | None, billing_increment: str | None,
                  **options: str | None) -> None:
    """Show the firm's billing settings, or change those given."""
    from django.utils import timezone

    from lexbill.billing.services.settings import firm_settings_update
    from lexbill.core.errors import ValidationFailed
    from lexbill.core.hours import hours_to_milli
    from lexbill.ebilling.settings import firm_ebilling_settings_update

    changes: dict[str, Any] = {_TEXT_OPTIONS[k]: v for k, v in options.items() if v is not None}
    if tax_method is not None:
        changes["tax_method"] = tax_method
    if billing_increment is not None:
        try:
            changes["billing_increment_milli"] = hours_to_milli(billing_increment)
        except ValueError as exc:
            raise ValidationFailed(f"--billing-increment: {exc}") from exc
    ledes_law_firm_id = changes.pop("ledes_law_firm_id", None)
    if changes:
        firm_settings_update(firm=firm, actor=cli_user(), today=timezone.localdate(), **changes)
    if ledes_law_firm_id is not None:
        firm_ebilling_settings_update(firm=firm, actor=cli_user(), ledes_law_firm_id=ledes_law_firm_id)
        changes["ledes_law_firm_id"] = ledes_law_firm_id
    data = settings_json(firm)
    if as_json:
        echo_json(data)
        return
    if changes:
        click.echo(f"settings of {firm.slug} saved")
    for key, value in data.items():
        shown = str(value).replace("\n", "\\n")
        click.echo(f"{key + ':':<28} {shown}")


@cli.group()
def tax() -> None:
    """Tax rates (VAT, GST, sales tax): firm-wide or per client."""


def rate_json(rate: Any) -> dict[str, Any]:
    from lexbill.billing.domain.tax_rates import ppm_to_percent

    return {"id": rate.pk, "name": rate.name, "client": rate.client.code if rate.client else None,
            "rate_percent": str(ppm_to_percent(rate.rate_ppm)), "rate_ppm": rate.rate_ppm,
            "applies_to_fees": rate.applies_to_fees, "applies_to_expenses": rate.applies_to_expenses,
            "is_active": rate.is_active}


def _rate_line(data: dict[str, Any]) -> str:
    applies = "fees+expenses" if data["applies_to_fees"] and data["applies_to_expenses"] else (
        "fees" if data["applies_to_fees"] else "expenses")
    where = f"client {data['client']}" if data["client"] else "firm-wide"
    state = "" if data["is_active"] else " (inactive)"
    return f"{data['id']:>5}  {data['name']:<24} {data['rate_percent'] + ' %':>10}  {applies:<14} {where}{state}"


@tax.command("add")
@click.argument("name")
@click.option("--rate", "percent", required=True, metavar="PCT", help='Percent, e.g. "20" or "8.875".')
@click.option("--client", "client_code", metavar="CODE", help="Only for this client (replaces firm-wide rates).")
@click.option("--fees-only", is_flag=True)
@click.option("--expenses-only", is_flag=True)
@firm_option
@json_option
def tax_add(name: str, percent: str, client_code: str | None, fees_only: bool, expenses_only: bool, firm: Any,
            as_json: bool) -> None:
    """Add a tax rate."""
    from lexbill.billing.domain.tax_rates import percent_to_ppm
    from lexbill.billing.services.settings import tax_rate_create
    from lexbill.clients.models import Client
    from lexbill.core.errors import NotFound, ValidationFailed

    if fees_only and expenses_only:
        raise click.UsageError("--fees-only and --expenses-only exclude each other")
    try:
        rate_ppm = percent_to_ppm(percent)
    except ValueError as exc:
        raise ValidationFailed(f"--rate: {exc}") from exc
    client = None
    if client_code is not None:
        client = Client.objects.filter(code=client_code.strip()).first()
        if client is None:
            raise NotFound(f"no client {client_code}")
    rate = tax_rate_create(firm=firm, actor=cli_user(), name=name, rate_ppm=rate_ppm, client=client,
                           applies_to_fees=not expenses_only, applies_to_expenses=not fees_only)
    if as_json:
        echo_json(rate_json(rate))
    else:
        click.echo(f"tax rate {rate.pk} added: {_rate_line(rate_json(rate)).strip()}")


@tax.command("list")
@firm_option
@json_option
def tax_list(firm: Any, as_json: bool) -> None:
    """List the tax rates (active first)."""
    from lexbill.billing.models import TaxRate

    rates = [rate_json(r) for r in TaxRate.objects.select_related("client")
             .order_by("-is_active", "client__code", "name", "pk")]
    if as_json:
        echo_json(rates)
        return
    if not rates:
        click.echo("no tax rates")
    for data in rates:
        click.echo(_rate_line(data))


@tax.command("deactivate")
@click.argument("rate_id", type=int)
@firm_option
def tax_deactivate(rate_id: int, firm: Any) -> None:
    """Stop applying a tax rate to new invoices (issued invoices keep theirs)."""
    from lexbill.billing.models import TaxRate
    from lexbill.billing.services.settings import tax_rate_deactivate
    from lexbill.core.errors import NotFound

    rate = TaxRate.objects.filter(pk=rate_id).first()
    if rate is None:
        raise NotFound(f"no tax rate {rate_id}")
    tax_rate_deactivate(tax_rate=rate, actor=cli_user())
    click.echo(f"tax rate {rate_id} ({rate.name}) deactivated")


@cli.group("client")
def client_group() -> None:
    """A client's billing settings."""


def client_settings_json(client: Any) -> dict[str, Any]:
    from lexbill.billing.models import client_billing_settings

    billing = client_billing_settings(client)
    return {"client": client.code, "tax_method": billing.tax_method, "missing_codes": billing.missing_codes,
            "utbms_code_sets": list(client.utbms_code_sets or [])}


@client_group.command("settings")
@click.argument("code")
@click.option("--tax-method", type=click.Choice(["", "none", "per_line", "on_total"]),
              help='The client\'s own tax method ("" for the firm\'s).')
@click.option("--missing-codes", type=click.Choice(["refuse", "warn"]),
              help="Lines missing required UTBMS codes: refuse approval, or only warn.")
@firm_option
@json_option
def client_settings(code: str, tax_method: str | None, missing_codes: str | None, firm: Any,
                    as_json: bool) -> None:
    """Show a client's billing settings, or change those given."""
    from lexbill.billing.services.settings import client_billing_settings_update
    from lexbill.clients.selectors import client_by_code

    client = client_by_code(code)
    changes = {k: v for k, v in (("tax_method", tax_method), ("missing_codes", missing_codes)) if v is not None}
    if changes:
        client_billing_settings_update(client=client, actor=cli_user(), **changes)
    data = client_settings_json(client)
    if as_json:
        echo_json(data)
        return
    if changes:
        click.echo(f"settings of client {client.code} saved")
    for key, value in data.items():
        click.echo(f"{key + ':':<18} {', '.join(value) if isinstance(value, list) else value}")
