"""firm_settings_update: every billing setting is checked before it is stored, and audited."""

from datetime import date

import pytest

from lexbill.billing.models import FirmBillingSettings
from lexbill.billing.services.settings import firm_settings_update
from lexbill.core.errors import ValidationFailed
from lexbill.core.models import AuditEvent, Firm

TODAY = date(2026, 4, 1)
BILLING = ["invoice_number_format", "credit_note_number_format", "tax_method", "payment_instructions",
           "invoice_email_subject", "invoice_email_body"]
FIRM = ["billing_increment_milli", "currency", "timezone", "address_line1", "address_line2", "city", "region",
        "postcode", "country"]
NO_ADDRESS = {"address_line1": "", "address_line2": "", "city": "", "region": "", "postcode": "", "country": ""}


def stored(firm):
    """The firm's own fields and its billing settings row (None while it has none)."""
    billing = FirmBillingSettings.objects.filter(firm=firm).values(*BILLING).first()
    return {**Firm.objects.filter(pk=firm.pk).values(*FIRM).get(), "billing": billing}


def test_every_setting_is_stored_and_audited(firm, admin_user):
    settings = firm_settings_update(
        firm=firm, actor=admin_user, today=TODAY, invoice_number_format=" INV-{year}/{seq:04d} ",
        credit_note_number_format="CR-{seq}", tax_method="on_total", payment_instructions="IBAN GB00 1234",
        invoice_email_subject="Your invoice {number}", invoice_email_body="Hello {client}, {total} by {due_on:%d %B %Y}.",
        billing_increment_milli=250, timezone="Europe/London", address_line1=" 1 Fleet Street ",
        address_line2="Temple", city="London", region="", postcode="EC4Y 1AA", country=" gb ")

    assert stored(firm) == {"billing": {
        "invoice_number_format": "INV-{year}/{seq:04d}", "credit_note_number_format": "CR-{seq}",
        "tax_method": "on_total", "payment_instructions": "IBAN GB00 1234",
        "invoice_email_subject": "Your invoice {number}",
        "invoice_email_body": "Hello {client}, {total} by {due_on:%d %B %Y}."}, "billing_increment_milli": 250,
        "currency": "USD", "timezone": "Europe/London",
        "address_line1": "1 Fleet Street", "address_line2": "Temple", "city": "London", "region": "",
        "postcode": "EC4Y 1AA", "country": "GB"}
    assert (settings.tax_method, firm.timezone) == ("on_total", "Europe/London")  # the caller's object follows
    event = AuditEvent.objects.get(action="firm.settings")
    assert (event.actor_label, event.entity, event.entity_id) == ("admin@arnsley.example", "firm", str(firm.pk))
    assert event.before["tax_method"] == "none" and event.after["tax_method"] == "on_total"
    assert event.before["invoice_number_format"] == "{year}-{seq:05d}"
    assert event.after["billing_increment_milli"] == 250
    assert (event.before["country"], event.after["country"]) == ("", "GB")
    assert "region" not in event.after  # unchanged: not in the event


def test_the_address_can_be_cleared_field_by_field(firm, admin_user):
    firm_settings_update(firm=firm, actor=admin_user, today=TODAY, address_line1="1 Main St", city="Boston",
                         region="MA", postcode="02110", country="US")

    firm_settings_update(firm=firm, actor=admin_user, today=TODAY, city="", country="")

    assert {k: v for k, v in stored(firm).items() if k in NO_ADDRESS} == {
        **NO_ADDRESS, "address_line1": "1 Main St", "region": "MA", "postcode": "02110"}


def test_nothing_changed_writes_no_event(firm, admin_user):
    firm_settings_update(firm=firm, actor=admin_user, today=TODAY, tax_method="none", currency="usd")

    assert not AuditEvent.objects.filter(action="firm.settings").exists()
    assert stored(firm)["billing"] is None


def test_a_firm_without_settings_reads_the_defaults_and_a_change_stores_them_all(firm, admin_user):
    firm_settings_update(firm=firm, actor=admin_user, today=TODAY, tax_method="per_line")

    assert stored(firm)["billing"] == {
        "invoice_number_format": "{year}-{seq:05d}", "credit_note_number_format": "CN{year}-{seq:05d}",
        "tax_method": "per_line", "payment_instructions": "", "invoice_email_subject": "Invoice {number} from {firm}",
        "invoice_email_body": "Dear {contact},\n\nPlease find attached invoice {number} of {issued_on} for {total}, "
                              "due on {due_on}.\n\nKind regards,\n{firm}"}


def test_an_empty_firm_may_change_its_currency(firm, admin_user):
    firm_settings_update(firm=firm, actor=admin_user, today=TODAY, currency="eur")

    assert stored(firm)["currency"] == "EUR"


def test_a_firm_with_clients_keeps_its_currency(firm, admin_user, client_acme):
    before = stored(firm)
    with pytest.raises(ValidationFailed) as exc:
        firm_settings_update(firm=firm, actor=admin_user, today=TODAY, currency="EUR")

    assert (exc.value.field, exc.value.message) == (
        "currency", "the currency of a firm with clients or timekeepers cannot change")
    assert stored(firm) == before


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"invoice_number_format": "{year}"}, "invoice_number_format", "number format '{year}' needs {seq}"),
    ({"invoice_number_format": "{client}-{seq}"}, "invoice_number_format",
     "number format '{client}-{seq}': unknown field {client} (use {year} and {seq})"),
    ({"credit_note_number_format": "CN{seq"}, "credit_note_number_format",
     "number format 'CN{seq': expected '}' before end of string"),
    ({"invoice_number_format": "  "}, "invoice_number_format", "a number format cannot be empty"),
    ({"invoice_number_format": "{seq:x}" + "N" * 40}, "invoice_number_format", None),
    ({"tax_method": "vat"}, "tax_method", "unknown tax method 'vat' (choose from none, per_line, on_total)"),
    ({"invoice_email_subject": "Invoice {amount}"}, "invoice_email_subject",
     "the email subject template uses unknown placeholder(s) {amount}; use only {number}, {firm}, {client}, "
     "{contact}, {total}, {issued_on}, {due_on}"),
    ({"invoice_email_subject": "Invoice {firm.pk}"}, "invoice_email_subject", None),
    ({"invoice_email_subject": "Invoice\n{number}"}, "invoice_email_subject", "the email subject must be one line"),
    ({"invoice_email_subject": "x" * 195 + "{number}"}, "invoice_email_subject",
     "the email subject would be 205 characters long; at most 200"),
    ({"invoice_email_body": "Total {total:%Y}"}, "invoice_email_body", None),
    ({"invoice_email_body": "Dear {0}"}, "invoice_email_body", None),
    ({"billing_increment_milli": 0}, "billing_increment_milli", "the billing increment is between 0.001 and 24 hours"),
    ({"currency": "DOLLARS"}, "currency", "unknown currency 'DOLLARS': use an ISO 4217 currency code, e.g. USD, EUR, GBP, JPY"),
    ({"timezone": "Mars/Olympus"}, "timezone", "unknown time zone 'Mars/Olympus' (e.g. America/New_York, Europe/Paris)"),
    ({"ledes_law_firm_id": "12-3456789"}, "ledes_law_firm_id", "cannot change: ledes_law_firm_id"),  # e-billing's
    ({"slug": "stolen"}, "slug", "cannot change: slug"),
    ({"country": "ZZ"}, "country", "unknown country code 'ZZ': use ISO 3166 alpha-2, e.g. US, GB, DE"),
    ({"country": "uk"}, "country", "unknown country code 'UK': use ISO 3166 alpha-2, e.g. US, GB, DE"),
    ({"country": "USA"}, "country", "unknown country code 'USA': use ISO 3166 alpha-2, e.g. US, GB, DE"),
    ({"address_line1": "1 Main St\nBoston"}, "address_line1", "the address line 1 must be one line"),
    ({"city": "x" * 101}, "city", None),
])
def test_bad_settings_are_refused_and_nothing_changes(firm, admin_user, changes, field, message):
    before = stored(firm)
    with pytest.raises(ValidationFailed) as exc:
        firm_settings_update(firm=firm, actor=admin_user, today=TODAY, **{"tax_method": "per_line", **changes})

    assert exc.value.field == field
    if message is not None:
        assert exc.value.message == message
    assert stored(firm) == before
    assert before["billing"] is None  # still the defaults: no row was written
    assert not AuditEvent.objects.filter(action="firm.settings").exists()
