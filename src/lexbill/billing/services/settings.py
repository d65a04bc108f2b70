"""The firm's billing settings and its tax rates: the only writers of what invoice issue and sending read.

Every change is checked before anything is written (a bad number format or email template would otherwise
surface only when a clerk issues or sends), written under a lock and audited with before/after.
Who may call these: the web pages let admins change the firm's settings and admins or billing users manage
tax rates; the CLI is the local operator.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import available_timezones

from django.contrib.auth.models import User

from lexbill.access import enforce
from lexbill.billing.domain.number_reuse import numbers_reused
from lexbill.billing.domain.numbering import series_year, validate_number_format
from lexbill.billing.domain.tax_rates import MAX_PPM
from lexbill.billing.email import PLACEHOLDERS, SUBJECT_MAX, fill_template
from lexbill.billing.models import (
    ClientBillingSettings,
    FirmBillingSettings,
    Invoice,
    InvoiceKind,
    MissingCodes,
    NumberSeries,
    TaxMethod,
    TaxRate,
    client_billing_settings,
    firm_billing_settings,
)
from lexbill.billing.services.numbers import CREDIT_NOTE_SERIES, INVOICE_SERIES
from lexbill.clients.models import Client
from lexbill.core.audit import audit_record
from lexbill.core.countries import check_country
from lexbill.core.currencies import check_currency
from lexbill.core.errors import Conflict, ValidationFailed
from lexbill.core.hours import MILLI
from lexbill.core.models import Firm
from lexbill.core.records import record_create, record_update, settings_update
from lexbill.core.transactions import service_transaction
from lexbill.core.validation import apply_changes, validate_instance
from lexbill.staff.models import Timekeeper

# The letterhead address, as on a client (the PDF and LEDES 98BI read them apart).
ADDRESS_FIELDS = ["address_line1", "address_line2", "city", "region", "postcode", "country"]
# What billing owns (billing.FirmBillingSettings) and what stays on the firm itself; the LEDES law firm id is
# e-billing's (ebilling/settings.py).
BILLING_SETTINGS = ["invoice_number_format", "credit_note_number_format", "tax_method", "payment_instructions",
                    "invoice_email_subject", "invoice_email_body"]
FIRM_FIELDS = ["billing_increment_milli", "currency", "timezone", *ADDRESS_FIELDS]
FIRM_SETTINGS = [*BILLING_SETTINGS, *FIRM_FIELDS]
TAX_RATE_FIELDS = ["name", "client", "rate_ppm", "applies_to_fees", "applies_to_expenses", "is_active"]
_STRIPPED = ("invoice_number_format", "credit_note_number_format", "tax_method", "invoice_email_subject",
             "currency", "timezone", *ADDRESS_FIELDS)
# The template check fills these in; real values differ, so the subject length is checked again at sending.
_SAMPLE = {"number": "2026-00001", "client": "Sample Client Ltd", "contact": "Sam Sample", "total": "1,234.50 USD",
           "issued_on": date(2026, 4, 2), "due_on": date(2026, 5, 2)}
PLACEHOLDER_HELP = ", ".join("{" + name + "}" for name in PLACEHOLDERS)


def firm_settings_update(*, firm: Firm, actor: User | None, today: date, **changes: Any) -> FirmBillingSettings:
    """Change the firm's billing settings (and the firm's own increment, currency, time zone and address, set
    on the same page); refuse the lot (nothing written) when one value is bad."""
    enforce(actor, firm, "firm_settings.change")
    for key in _STRIPPED:
        if isinstance(changes.get(key), str):
            changes[key] = changes[key].strip()
    for key in ("currency", "country"):
        if isinstance(changes.get(key), str):
            changes[key] = changes[key].upper()
    with service_transaction():
        locked = Firm.objects.select_for_update().get(pk=firm.pk)
        settings = firm_billing_settings(locked)
        apply_changes(locked, {k: v for k, v in changes.items() if k not in FIRM_SETTINGS}, [])  # refuses unknowns
        before_firm = apply_changes(locked, {k: v for k, v in changes.items() if k in FIRM_FIELDS}, FIRM_FIELDS)
        before_billing = apply_changes(settings, {k: v for k, v in changes.items() if k in BILLING_SETTINGS},
                                       BILLING_SETTINGS)
        before = {**before_billing, **before_firm}
        if not before:
            return settings
        _check_firm(locked, settings, before, today)
        validate_instance(locked)
        validate_instance(settings, exclude=["firm"])
        if before_firm:
            locked.save(update_fields=list(before_firm))
        if before_billing:
            settings.save()
        after = {k: getattr(settings, k) for k in before_billing} | {k: getattr(locked, k) for k in before_firm}
        audit_record(firm=locked, actor=actor, action="firm.settings", instance=locked, before=before, after=after)
    # The caller's object shows the new values too (the request's firm, the CLI's firm).
    for key in before_firm:
        setattr(firm, key, getattr(locked, key))
    return settings


def _check_firm(firm: Firm, settings: FirmBillingSettings, changed: dict[str, object], today: date) -> None:
    series = {"invoice_number_format": (INVOICE_SERIES, InvoiceKind.INVOICE, "invoice"),
              "credit_note_number_format": (CREDIT_NOTE_SERIES, InvoiceKind.CREDIT_NOTE, "credit note")}
    for field, (name, kind, what) in series.items():
        if field in changed:
            _check_number_format(firm, str(getattr(settings, field)), field, name, kind, what, today)
    if settings.tax_method not in TaxMethod.values:
        raise ValidationFailed(f"unknown tax method {settings.tax_method!r} (choose from "
                               f"{', '.join(TaxMethod.values)})", field="tax_method")
    _check_templates(firm, settings)
    if not 1 <= firm.billing_increment_milli <= 24 * MILLI:
        raise ValidationFailed("the billing increment is between 0.001 and 24 hours", field="billing_increment_milli")
    check_currency(firm.currency)
    if "currency" in changed and (Client.objects.filter(firm=firm).exists()
                                  or Timekeeper.objects.filter(firm=firm).exists()):
        # Standard rates and client defaults are amounts in the old currency: changing it would re-read them.
        raise ValidationFailed("the currency of a firm with clients or timekeepers cannot change", field="currency")
    if "timezone" in changed and firm.timezone not in available_timezones():
        raise ValidationFailed(f"unknown time zone {firm.timezone!r} (e.g. America/New_York, Europe/Paris)",
                               field="timezone")
    for field in ADDRESS_FIELDS:
        value = getattr(firm, field)
        if field in changed and isinstance(value, str) and ("\n" in value or "\r" in value):
            label = field.replace("address_line", "address line ")
            raise ValidationFailed(f"the {label} must be one line", field=field)
    if "country" in changed:
        check_country(firm.country)


def _check_number_format(firm: Firm, number_format: str, field: str, name: str, kind: str, what: str,
                         today: date) -> None:
    try:
        validate_number_format(number_format)
    except ValueError as exc:
        raise ValidationFailed(str(exc), field=field) from exc
    year = series_year(number_format, today)
    next_seq = (NumberSeries.objects.filter(firm=firm, name=name, year=year)
                .values_list("next_seq", flat=True).first()) or 1
    issued = Invoice.objects.filter(firm=firm, kind=kind).values_list("number", flat=True)
    reused = numbers_reused(number_format, year=year, from_seq=next_seq, issued=issued.iterator())
    if reused:
        raise ValidationFailed(f"with {number_format!r} the next {what} numbers would repeat {reused[0]}, "
                               "which is already issued", field=field)


def _check_templates(firm: Firm, settings: FirmBillingSettings) -> None:
    values = {**_SAMPLE, "firm": firm.name}
    subject = _filled(settings.invoice_email_subject, values, "invoice_email_subject", "email subject")
    _filled(settings.invoice_email_body, values, "invoice_email_body", "email body")
    if not subject.strip():
        raise ValidationFailed("the email subject cannot be empty", field="invoice_email_subject")
    if "\n" in subject or "\r" in subject:
        raise ValidationFailed("the email subject must be one line", field="invoice_email_subject")
    if len(subject) > SUBJECT_MAX:
        raise ValidationFailed(f"the email subject would be {len(subject)} characters long; at most {SUBJECT_MAX}",
                               field="invoice_email_subject")


def _filled(template: str, values: dict[str, Any], field: str, what: str) -> str:
    try:
        return fill_template(template, values, what=what)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, field=field) from exc


CLIENT_BILLING_SETTINGS = ["tax_method", "missing_codes"]


def client_billing_settings_update(*, client: Client, actor: User | None, **changes: Any) -> ClientBillingSettings:
    """Change a client's billing settings (its own tax method, or "" for the firm's; whether approval refuses
    or only warns about lines missing required UTBMS codes); nothing is written when a value is bad or nothing
    changes."""
    enforce(actor, client.firm_id, "clients.change", client)
    for key in CLIENT_BILLING_SETTINGS:
        if isinstance(changes.get(key), str):
            changes[key] = changes[key].strip().lower()
    with service_transaction():
        locked = Client.objects.select_for_update().select_related("firm").get(pk=client.pk)
        return settings_update(client_billing_settings(locked), owner=locked, actor=actor,
                               action="client.billing_settings", changes=changes, allowed=CLIENT_BILLING_SETTINGS,
                               check=_check_client_settings)


def _check_client_settings(settings: ClientBillingSettings) -> None:
    if settings.tax_method not in ("", *TaxMethod.values):
        raise ValidationFailed(f"unknown tax method {settings.tax_method!r} (choose from "
                               f"{', '.join(TaxMethod.values)}, or empty for the firm's)", field="tax_method")
    if settings.missing_codes not in MissingCodes.values:
        raise ValidationFailed(f"unknown missing-codes setting {settings.missing_codes!r} (choose from "
                               f"{', '.join(MissingCodes.values)})", field="missing_codes")


# Tax rates ---------------------------------------------------------------------------------------------


def _normalise_rate(fields: dict[str, Any]) -> None:
    if isinstance(fields.get("name"), str):
        fields["name"] = fields["name"].strip()


def _check_rate(rate: TaxRate) -> None:
    if not rate.name:
        raise ValidationFailed("a tax rate needs a name", field="name")
    if not isinstance(rate.rate_ppm, int) or not 0 <= rate.rate_ppm <= MAX_PPM:
        raise ValidationFailed("a tax rate is between 0 and 100 %", field="rate_ppm")
    if not (rate.applies_to_fees or rate.applies_to_expenses):
        raise ValidationFailed("a tax rate applies to fees, expenses or both", field="applies_to_fees")
    if rate.client is not None and rate.client.firm_id != rate.firm_id:
        raise ValidationFailed("client belongs to another firm", field="client")
    if rate.is_active:
        same = TaxRate.objects.filter(firm_id=rate.firm_id, client=rate.client, name__iexact=rate.name,
                                      is_active=True)
        if rate.pk is not None:
            same = same.exclude(pk=rate.pk)
        if same.exists():
            where = f"client {rate.client.code}" if rate.client is not None else "the firm"
            raise ValidationFailed(f"{where} already has an active tax rate named {rate.name!r}", field="name")


def tax_rate_create(*, firm: Firm, actor: User | None, name: str, rate_ppm: int, client: Client | None = None,
                    applies_to_fees: bool = True, applies_to_expenses: bool = True) -> TaxRate:
    enforce(actor, firm, "tax_rates.change")
    fields: dict[str, Any] = {"name": name}
    _normalise_rate(fields)
    rate = TaxRate(firm=firm, client=client, rate_ppm=rate_ppm, applies_to_fees=applies_to_fees,
                   applies_to_expenses=applies_to_expenses, is_active=True, **fields)
    return record_create(rate, actor=actor, name="tax_rate", fields=TAX_RATE_FIELDS, check=_check_rate)


def tax_rate_update(*, tax_rate: TaxRate, actor: User | None, **changes: Any) -> TaxRate:
    """Change a rate. Issued invoices keep their own copy of the rates they used, so they do not change."""
    enforce(actor, tax_rate.firm_id, "tax_rates.change")
    _normalise_rate(changes)
    with service_transaction():
        locked = TaxRate.objects.select_for_update().get(pk=tax_rate.pk)
        return record_update(locked, actor=actor, name="tax_rate", changes=changes, allowed=TAX_RATE_FIELDS,
                             check=_check_rate)


def tax_rate_deactivate(*, tax_rate: TaxRate, actor: User | None) -> TaxRate:
    """Stop using a rate on new invoices (it is kept: issued invoices and the audit trail name it)."""
    enforce(actor, tax_rate.firm_id, "tax_rates.change")
    with service_transaction():
        locked = TaxRate.objects.select_for_update().get(pk=tax_rate.pk)
        if not locked.is_active:
            raise Conflict(f"tax rate {locked.name} is already inactive")
        return record_update(locked, actor=actor, name="tax_rate", changes={"is_active": False},
                             allowed=["is_active"])
