"""The firm's billing settings and its tax rates: the only writers of what invoice issue and sending read.

Every change is checked before anything is written (a bad number format or email template would otherwise
surface only when a clerk issues or sends), written under a lock and audited with before/after.
Who may call these: the web pages let admins change the firm's settings and admins or billing users manage
tax rates; the CLI is the local operator.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from zoneinfo import available_timezones

from django.contrib.auth.models import User
from django.db import transaction

from lexbill.access import enforce
from lexbill.billing.domain.number_reuse import numbers_reused
from lexbill.billing.domain.numbering import series_year, validate_number_format
from lexbill.billing.domain.tax_rates import MAX_PPM
from lexbill.billing.email import PLACEHOLDERS, SUBJECT_MAX, fill_template
from lexbill.billing.models import Invoice, InvoiceKind, NumberSeries, TaxMethod, TaxRate
from lexbill.billing.services.numbers import CREDIT_NOTE_SERIES, INVOICE_SERIES
from lexbill.clients.models import Client
from lexbill.core.audit import audit_record
from lexbill.core.countries import check_country
from lexbill.core.errors import Conflict, ValidationFailed
from lexbill.core.hours import MILLI
from lexbill.core.models import Firm
from lexbill.core.records import record_create, record_update
from lexbill.core.validation import apply_changes, validate_instance
from lexbill.staff.models import Timekeeper

# The letterhead address, as on a client (the PDF and LEDES 98BI read them apart).
ADDRESS_FIELDS = ["address_line1", "address_line2", "city", "region", "postcode", "country"]
FIRM_SETTINGS = ["invoice_number_format", "credit_note_number_format", "tax_method", "payment_instructions",
                 "invoice_email_subject", "invoice_email_body", "billing_increment_milli", "currency", "timezone",
                 "ledes_law_firm_id", *ADDRESS_FIELDS]
TAX_RATE_FIELDS = ["name", "client", "rate_ppm", "applies_to_fees", "applies_to_expenses", "is_active"]
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_STRIPPED = ("invoice_number_format", "credit_note_number_format", "tax_method", "invoice_email_subject",
             "currency", "timezone", "ledes_law_firm_id", *ADDRESS_FIELDS)
# The template check fills these in; real values differ, so the subject length is checked again at sending.
_SAMPLE = {"number": "2026-00001", "client": "Sample Client Ltd", "total": "1,234.50 USD",
           "issued_on": date(2026, 4, 2), "due_on": date(2026, 5, 2)}
PLACEHOLDER_HELP = ", ".join("{" + name + "}" for name in PLACEHOLDERS)


def firm_settings_update(*, firm: Firm, actor: User | None, today: date, **changes: Any) -> Firm:
    """Change the firm's billing settings; refuse the lot (nothing written) when one value is bad."""
    enforce(actor, firm, "firm_settings.change")
    for key in _STRIPPED:
        if isinstance(changes.get(key), str):
            changes[key] = changes[key].strip()
    for key in ("currency", "country"):
        if isinstance(changes.get(key), str):
            changes[key] = changes[key].upper()
    with transaction.atomic():
        locked = Firm.objects.select_for_update().get(pk=firm.pk)
        before = apply_changes(locked, changes, FIRM_SETTINGS)
        if not before:
            return locked
        _check_firm(locked, before, today)
        validate_instance(locked)
        locked.save(update_fields=list(before))
        audit_record(firm=locked, actor=actor, action="firm.settings", instance=locked, before=before,
                     after={k: getattr(locked, k) for k in before})
    # The caller's object shows the new values too (the request's firm, the CLI's firm).
    for key in before:
        setattr(firm, key, getattr(locked, key))
    return locked


def _check_firm(firm: Firm, changed: dict[str, object], today: date) -> None:
    series = {"invoice_number_format": (INVOICE_SERIES, InvoiceKind.INVOICE, "invoice"),
              "credit_note_number_format": (CREDIT_NOTE_SERIES, InvoiceKind.CREDIT_NOTE, "credit note")}
    for field, (name, kind, what) in series.items():
        if field in changed:
            _check_number_format(firm, field, name, kind, what, today)
    if firm.tax_method not in TaxMethod.values:
        raise ValidationFailed(f"unknown tax method {firm.tax_method!r} (choose from {', '.join(TaxMethod.values)})",
                               field="tax_method")
    _check_templates(firm)
    if not 1 <= firm.billing_increment_milli <= 24 * MILLI:
        raise ValidationFailed("the billing increment is between 0.001 and 24 hours", field="billing_increment_milli")
    if not _CURRENCY.match(firm.currency):
        raise ValidationFailed("a currency is a three-letter code such as USD", field="currency")
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


def _check_number_format(firm: Firm, field: str, name: str, kind: str, what: str, today: date) -> None:
    number_format = str(getattr(firm, field))
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


def _check_templates(firm: Firm) -> None:
    values = {**_SAMPLE, "firm": firm.name}
    subject = _filled(firm.invoice_email_subject, values, "invoice_email_subject", "email subject")
    _filled(firm.invoice_email_body, values, "invoice_email_body", "email body")
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
    with transaction.atomic():
        locked = TaxRate.objects.select_for_update().get(pk=tax_rate.pk)
        return record_update(locked, actor=actor, name="tax_rate", changes=changes, allowed=TAX_RATE_FIELDS,
                             check=_check_rate)


def tax_rate_deactivate(*, tax_rate: TaxRate, actor: User | None) -> TaxRate:
    """Stop using a rate on new invoices (it is kept: issued invoices and the audit trail name it)."""
    enforce(actor, tax_rate.firm_id, "tax_rates.change")
    with transaction.atomic():
        locked = TaxRate.objects.select_for_update().get(pk=tax_rate.pk)
        if not locked.is_active:
            raise Conflict(f"tax rate {locked.name} is already inactive")
        return record_update(locked, actor=actor, name="tax_rate", changes={"is_active": False},
                             allowed=["is_active"])
