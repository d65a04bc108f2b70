"""The billing settings page (admins) and the tax rate pages (admins and billing users)."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django_scopes import scopes_disabled

from lexbill.billing.models import FirmBillingSettings, TaxRate, firm_billing_settings
from lexbill.billing.services.settings import tax_rate_create
from lexbill.core.models import AuditEvent, Firm
from lexbill.core.tenancy import firm_scope
from lexbill.ebilling.models import FirmEbillingSettings, firm_ebilling_settings
from lexbill.testing import factories

from .records_support import audit_count, count_queries, login_as

FORM = {"invoice_number_format": "{year}-{seq:05d}", "credit_note_number_format": "CN{year}-{seq:05d}",
        "tax_method": "none", "payment_instructions": "", "invoice_email_subject": "Invoice {number} from {firm}",
        "invoice_email_body": "Dear {client}, {total}.", "billing_increment": "0.1", "currency": "USD",
        "timezone": "America/New_York", "ledes_law_firm_id": "", "address_line1": "", "address_line2": "", "city": "",
        "region": "", "postcode": "", "country": ""}
BILLING = ["invoice_number_format", "credit_note_number_format", "tax_method", "payment_instructions",
           "invoice_email_subject", "invoice_email_body"]
FIRM = ["billing_increment_milli", "currency", "timezone", "address_line1", "address_line2", "city", "region",
        "postcode", "country"]


@pytest.fixture
def admin(client, admin_user):  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    return client


def stored(firm):
    """What the page saves, wherever it lives: the firm's own fields, billing's and e-billing's settings."""
    settings = firm_billing_settings(firm)
    return {**Firm.objects.filter(pk=firm.pk).values(*FIRM).get(), **{k: getattr(settings, k) for k in BILLING},
            "ledes_law_firm_id": firm_ebilling_settings(firm).ledes_law_firm_id}


def test_the_page_shows_the_current_settings(admin, firm):
    response = admin.get(reverse("billing_settings"))

    assert response.status_code == 200
    form = response.context["form"]
    assert form["invoice_number_format"].value() == "{year}-{seq:05d}"
    assert form["billing_increment"].value() == "0.1"
    assert b'value="0.1"' in response.content
    assert b"{number}, {firm}, {client}, {contact}, {total}, {issued_on}, {due_on}" in response.content


def test_the_address_fields_are_grouped_in_an_address_fieldset(admin, firm):
    firm.address_line1, firm.city, firm.region, firm.postcode = "100 Federal Street", "Boston", "MA", "02110"
    firm.save()

    page = admin.get(reverse("billing_settings")).content.decode()

    fieldset = page[page.index("<fieldset"):page.index("</fieldset>")]
    assert "<legend>Address</legend>" in fieldset
    assert [name for name in ("address_line1", "address_line2", "city", "region", "postcode", "country")
            if f'name="{name}"' in fieldset] == ["address_line1", "address_line2", "city", "region", "postcode",
                                                 "country"]
    assert 'value="100 Federal Street"' in fieldset and 'value="02110"' in fieldset
    assert 'name="currency"' not in fieldset and page.count('name="address_line1"') == 1


def test_an_admin_changes_the_settings(admin, firm):
    response = admin.post(reverse("billing_settings"), {
        **FORM, "invoice_number_format": "INV-{year}/{seq:04d}", "tax_method": "on_total",
        "payment_instructions": "Wire to IBAN GB00 1234", "billing_increment": "0.25", "timezone": "Europe/London",
        "ledes_law_firm_id": "12-3456789", "address_line1": "1 Fleet Street", "city": "London",
        "postcode": "EC4Y 1AA", "country": "gb"})

    assert response.status_code == 302 and response["Location"] == reverse("billing_settings")
    assert stored(firm) == {
        "invoice_number_format": "INV-{year}/{seq:04d}", "credit_note_number_format": "CN{year}-{seq:05d}",
        "tax_method": "on_total", "payment_instructions": "Wire to IBAN GB00 1234",
        "invoice_email_subject": "Invoice {number} from {firm}", "invoice_email_body": "Dear {client}, {total}.",
        "billing_increment_milli": 250, "currency": "USD", "timezone": "Europe/London",
        "ledes_law_firm_id": "12-3456789", "address_line1": "1 Fleet Street", "address_line2": "", "city": "London",
        "region": "", "postcode": "EC4Y 1AA", "country": "GB"}
    page = admin.get(reverse("billing_settings"))
    assert [row.action for row in page.context["history"]] == ["firm.ebilling_settings", "firm.settings"]
    assert FirmBillingSettings.objects.filter(firm=firm).count() == FirmEbillingSettings.objects.count() == 1
    assert b"Billing settings saved." in page.content


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"invoice_number_format": "{year}"}, "invoice_number_format", "number format '{year}' needs {seq}"),
    ({"credit_note_number_format": "CN-{client}-{seq}"}, "credit_note_number_format",
     "number format 'CN-{client}-{seq}': unknown field {client} (use {year} and {seq})"),
    ({"invoice_email_subject": "Invoice {amount}"}, "invoice_email_subject",
     "the email subject template uses unknown placeholder(s) {amount}; use only {number}, {firm}, {client}, "
     "{contact}, {total}, {issued_on}, {due_on}"),
    ({"invoice_email_body": "Hello {client"}, "invoice_email_body",
     "the email body template is not valid: expected '}' before end of string"),
    ({"tax_method": "vat"}, "tax_method", "Select a valid choice. vat is not one of the available choices."),
    ({"billing_increment": "0"}, "billing_increment", "Ensure this value is greater than or equal to 0.001."),
    ({"timezone": "Mars/Olympus"}, "timezone",
     "unknown time zone 'Mars/Olympus' (e.g. America/New_York, Europe/Paris)"),
    ({"currency": "EURO"}, "currency", "Ensure this value has at most 3 characters (it has 4)."),
    ({"currency": "XYZ"}, "currency", "unknown currency 'XYZ': use an ISO 4217 currency code, e.g. USD, EUR, GBP, JPY"),
    ({"country": "ZZ"}, "country", "unknown country code 'ZZ': use ISO 3166 alpha-2, e.g. US, GB, DE"),
    ({"country": "USA"}, "country", "Ensure this value has at most 2 characters (it has 3)."),
    ({"postcode": "1" * 21}, "postcode", "Ensure this value has at most 20 characters (it has 21)."),
])
def test_bad_settings_show_field_errors_keep_the_input_and_change_nothing(admin, firm, data, field, message):
    before, events = stored(firm), audit_count()

    response = admin.post(reverse("billing_settings"), {**FORM, "payment_instructions": "kept", **data})

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert response.context["form"]["payment_instructions"].value() == "kept"
    assert stored(firm) == before
    assert audit_count() == events


def test_a_firm_with_clients_keeps_its_currency(admin, firm, client_acme):
    response = admin.post(reverse("billing_settings"), {**FORM, "currency": "EUR"})

    assert response.context["form"].errors == {
        "currency": ["the currency of a firm with clients or timekeepers cannot change"]}
    assert stored(firm)["currency"] == "USD"


def test_a_tax_rate_is_created_from_a_percentage(admin, firm, client_acme):
    response = admin.post(reverse("tax_create"), {"name": "NY sales tax", "rate": "8.875",
                                                  "client": str(client_acme.pk), "applies_to_fees": "on"})

    assert response.status_code == 302 and response["Location"] == reverse("tax_list")
    assert TaxRate.objects.values_list("name", "client", "rate_ppm", "applies_to_fees", "applies_to_expenses",
                                       "is_active").get() == ("NY sales tax", client_acme.pk, 88_750, True, False,
                                                              True)
    page = admin.get(reverse("tax_list"))
    assert b"8.875 %" in page.content and b"Client ACME" in page.content


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"rate": "8.87501"}, "rate", "8.87501 % has more than 4 decimals."),
    ({"rate": "101"}, "rate", "a tax rate is between 0 and 100 %, not 101 %."),
    ({"rate": "twenty"}, "rate", "not a percentage: 'twenty'."),
    ({"rate": ""}, "rate", "This field is required."),
    ({"name": ""}, "name", "This field is required."),
    ({"applies_to_fees": "", "applies_to_expenses": ""}, "applies_to_fees",
     "A tax rate applies to fees, expenses or both."),
    ({"name": "vat"}, "name", "the firm already has an active tax rate named 'vat'"),
])
def test_bad_tax_rates_show_field_errors_and_write_nothing(admin, firm, data, field, message):
    tax_rate_create(firm=firm, actor=None, name="VAT", rate_ppm=200_000)
    events = audit_count()

    response = admin.post(reverse("tax_create"), {"name": "GST", "rate": "10", "applies_to_fees": "on",
                                                  "applies_to_expenses": "on", **data})

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert list(TaxRate.objects.values_list("name", flat=True)) == ["VAT"]
    assert audit_count() == events


def test_a_billing_user_edits_and_deactivates_a_rate(client, firm):
    rate = tax_rate_create(firm=firm, actor=None, name="VAT", rate_ppm=200_000)
    login_as(client, firm, "billing")

    page = client.get(reverse("tax_edit", args=[rate.pk]))
    assert page.context["form"]["rate"].value() == "20" and b'value="20"' in page.content
    response = client.post(reverse("tax_edit", args=[rate.pk]), {"name": "VAT", "rate": "17.5",
                                                                 "applies_to_fees": "on"})

    assert response.status_code == 302
    assert TaxRate.objects.values_list("rate_ppm", "applies_to_expenses", "is_active").get() == (175_000, False,
                                                                                              False)
    event = AuditEvent.objects.get(action="tax_rate.update")
    assert event.before == {"rate_ppm": 200000, "applies_to_expenses": True, "is_active": True}


def test_the_tax_list_costs_the_same_queries_for_many_rates(admin, firm):
    for n in range(2):
        tax_rate_create(firm=firm, actor=None, name=f"Rate {n}", rate_ppm=10_000,
                        client=factories.make_client(firm, code=f"C{n}"))
    few, _ = count_queries(admin, reverse("tax_list"))
    for n in range(2, 8):
        tax_rate_create(firm=firm, actor=None, name=f"Rate {n}", rate_ppm=10_000,
                        client=factories.make_client(firm, code=f"C{n}"))

    many, response = count_queries(admin, reverse("tax_list"))

    assert many == few
    assert len(response.context["rows"]) == 8


@pytest.mark.parametrize(("role", "settings_status", "tax_status"), [
    ("billing", 403, 200), ("attorney", 403, 403), ("accounting", 403, 403), ("client", 404, 404)])
def test_who_may_see_and_change_what(client, firm, role, settings_status, tax_status):
    rate = tax_rate_create(firm=firm, actor=None, name="VAT", rate_ppm=200_000)
    login_as(client, firm, role)
    before = stored(firm)

    assert client.get(reverse("billing_settings")).status_code == settings_status
    assert client.post(reverse("billing_settings"), {**FORM, "tax_method": "on_total"}).status_code == \
        settings_status
    assert client.get(reverse("tax_list")).status_code == tax_status
    assert client.get(reverse("tax_create")).status_code == tax_status
    if tax_status != 200:
        assert client.post(reverse("tax_edit", args=[rate.pk]), {"name": "X", "rate": "1",
                                                                 "applies_to_fees": "on"}).status_code == tax_status
        assert TaxRate.objects.values_list("name", "rate_ppm").get() == ("VAT", 200_000)
    assert stored(firm) == before


def test_the_nav_links_to_settings_for_admins_and_to_tax_rates_for_billing(client, firm):
    login_as(client, firm, "admin")
    assert f'href="{reverse("billing_settings")}"'.encode() in client.get(reverse("home")).content
    billing = HttpClient()
    login_as(billing, firm, "billing")
    page = billing.get(reverse("home")).content
    assert f'href="{reverse("tax_list")}"'.encode() in page
    assert f'href="{reverse("billing_settings")}"'.encode() not in page
    attorney = HttpClient()
    login_as(attorney, firm, "attorney")
    assert b"/settings/" not in attorney.get(reverse("home")).content


def test_another_firms_tax_rate_is_not_found(admin, firm, other_firm):
    with scopes_disabled():
        foreign_client = factories.make_client(other_firm, code="OTHER")
    with firm_scope(other_firm):
        foreign = tax_rate_create(firm=other_firm, actor=None, name="Foreign VAT", rate_ppm=200_000,
                                  client=foreign_client)

    assert admin.get(reverse("tax_edit", args=[foreign.pk])).status_code == 404
    assert admin.post(reverse("tax_edit", args=[foreign.pk]), {"name": "Mine", "rate": "1",
                                                               "applies_to_fees": "on"}).status_code == 404
    assert b"Foreign VAT" not in admin.get(reverse("tax_list")).content
    response = admin.post(reverse("tax_create"), {"name": "X", "rate": "1", "client": str(foreign_client.pk),
                                                  "applies_to_fees": "on"})
    assert response.context["form"].errors == {
        "client": ["Select a valid choice. That choice is not one of the available choices."]}
    with scopes_disabled():
        assert TaxRate.objects.values_list("name", flat=True).get() == "Foreign VAT"
