"""`lexbill firm settings` and `lexbill tax add|list|deactivate`."""

import json

import pytest

from lexbill.billing.models import FirmBillingSettings, TaxRate
from lexbill.core.models import AuditEvent, Firm
from lexbill.ebilling.models import FirmEbillingSettings


def test_settings_are_shown_when_no_option_is_given(run, firm):
    result = run("firm", "settings", "--json")

    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "firm": "arnsley", "invoice_number_format": "{year}-{seq:05d}",
        "credit_note_number_format": "CN{year}-{seq:05d}", "tax_method": "none", "payment_instructions": "",
        "invoice_email_subject": "Invoice {number} from {firm}",
        "invoice_email_body": "Dear {contact},\n\nPlease find attached invoice {number} of {issued_on} for {total}, "
                              "due on {due_on}.\n\nKind regards,\n{firm}",
        "billing_increment": "0.1", "currency": "USD", "timezone": "America/New_York", "ledes_law_firm_id": "",
        "address_line1": "", "address_line2": "", "city": "", "region": "", "postcode": "", "country": ""}
    assert "tax_method:                  none" in run("firm", "settings").stdout


def test_settings_are_changed(run, firm):
    result = run("firm", "settings", "--tax-method", "per_line", "--invoice-number-format", "A{seq:06d}",
                 "--payment-instructions", "Wire to IBAN X", "--billing-increment", "0.25", "--timezone",
                 "Europe/Paris")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == "settings of arnsley saved"
    assert FirmBillingSettings.objects.values_list("tax_method", "invoice_number_format",
                                                   "payment_instructions").get(firm=firm) == (
        "per_line", "A{seq:06d}", "Wire to IBAN X")
    assert Firm.objects.values_list("billing_increment_milli", "timezone").get(pk=firm.pk) == (250, "Europe/Paris")
    assert AuditEvent.objects.get(action="firm.settings").actor_label == "system"


def test_the_address_is_set_field_by_field(run, firm):
    result = run("firm", "settings", "--address-line1", "100 Federal Street", "--address-line2", "Suite 1200",
                 "--city", "Boston", "--region", "MA", "--postcode", "02110", "--country", "us", "--json")

    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)
    assert [shown[k] for k in ("address_line1", "address_line2", "city", "region", "postcode", "country")] == [
        "100 Federal Street", "Suite 1200", "Boston", "MA", "02110", "US"]
    assert Firm.objects.values_list("address_line2", "country").get(pk=firm.pk) == ("Suite 1200", "US")

    cleared = run("firm", "settings", "--address-line2", "")

    assert cleared.exit_code == 0, cleared.stderr
    shown_text = dict(line.split(":", 1) for line in cleared.stdout.splitlines()[1:])
    assert (shown_text["address_line2"].strip(), shown_text["city"].strip()) == ("", "Boston")
    assert Firm.objects.values_list("address_line1", "address_line2").get(pk=firm.pk) == ("100 Federal Street", "")


@pytest.mark.parametrize(("args", "message"), [
    (["--country", "ZZ"], "lexbill: error: unknown country code 'ZZ': use ISO 3166 alpha-2, e.g. US, GB, DE\n"),
    (["--currency", "XYZ"],
     "lexbill: error: unknown currency 'XYZ': use an ISO 4217 currency code, e.g. USD, EUR, GBP, JPY\n"),
    (["--invoice-number-format", "{year}"], "lexbill: error: number format '{year}' needs {seq}\n"),
    (["--email-subject", "Invoice {amount}"],
     "lexbill: error: the email subject template uses unknown placeholder(s) {amount}; use only {number}, {firm}, "
     "{client}, {contact}, {total}, {issued_on}, {due_on}\n"),
    (["--billing-increment", "0.0001"], "lexbill: error: --billing-increment: 0.0001 has more than 3 decimals\n"),
])
def test_bad_settings_exit_1_and_change_nothing(run, firm, args, message):
    result = run("firm", "settings", "--tax-method", "on_total", *args)

    assert (result.exit_code, result.stderr) == (1, message)
    assert not FirmBillingSettings.objects.exists()  # still the defaults


def test_the_ledes_law_firm_id_is_stored_as_an_ebilling_setting(run, firm):
    result = run("firm", "settings", "--ledes-firm-id", " 12-3456789 ", "--json")

    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["ledes_law_firm_id"] == "12-3456789"
    assert FirmEbillingSettings.objects.values_list("ledes_law_firm_id", flat=True).get(firm=firm) == "12-3456789"
    assert not FirmBillingSettings.objects.exists()
    event = AuditEvent.objects.get(action="firm.ebilling_settings")
    assert (event.before, event.after) == ({"ledes_law_firm_id": ""}, {"ledes_law_firm_id": "12-3456789"})


def test_a_bad_tax_method_is_a_usage_error_in_one_line(run, firm):
    result = run("firm", "settings", "--tax-method", "vat")
    assert (result.exit_code, result.stderr) == (
        1, "lexbill: error: --tax-method: 'vat' is not one of 'none', 'per_line', 'on_total'.\n")


def test_tax_add_list_and_deactivate(run, firm, client_acme):
    added = run("tax", "add", "NY sales tax", "--rate", "8.875", "--fees-only", "--json")
    assert added.exit_code == 0, added.stderr
    first = json.loads(added.stdout)
    assert (first["rate_ppm"], first["rate_percent"], first["applies_to_fees"], first["applies_to_expenses"]) == (
        88750, "8.875", True, False)
    second = run("tax", "add", "Reduced", "--rate", "5", "--client", "ACME")
    assert second.stdout.startswith("tax rate ")

    assert run("tax", "deactivate", str(first["id"])).stdout == f"tax rate {first['id']} (NY sales tax) deactivated\n"

    listed = json.loads(run("tax", "list", "--json").stdout)
    assert [(r["name"], r["client"], r["rate_ppm"], r["is_active"]) for r in listed] == [
        ("Reduced", "ACME", 50000, True), ("NY sales tax", None, 88750, False)]
    text = run("tax", "list").stdout.splitlines()
    assert text[1].endswith("8.875 %  fees           firm-wide (inactive)")


@pytest.mark.parametrize(("args", "code", "message"), [
    (["VAT", "--rate", "8.87501"], 1, "lexbill: error: --rate: 8.87501 % has more than 4 decimals\n"),
    (["VAT", "--rate", "120"], 1, "lexbill: error: --rate: a tax rate is between 0 and 100 %, not 120 %\n"),
    (["VAT", "--rate", "20", "--client", "NOPE"], 1, "lexbill: error: no client NOPE in firm arnsley\n"),
    (["VAT", "--rate", "20", "--fees-only", "--expenses-only"], 1,
     "lexbill: error: --fees-only and --expenses-only exclude each other (see `lexbill tax add --help`)\n"),
])
def test_bad_tax_rates_are_refused(run, firm, args, code, message):
    result = run("tax", "add", *args)

    assert result.exit_code == code
    if message is not None:
        assert result.stderr == message
    assert not TaxRate.objects.exists()


def test_deactivate_errors(run, firm):
    assert (run("tax", "deactivate", "999").stderr) == "lexbill: error: no tax rate 999 in firm arnsley\n"
    run("tax", "add", "VAT", "--rate", "20")
    rate = TaxRate.objects.get()
    run("tax", "deactivate", str(rate.pk))
    again = run("tax", "deactivate", str(rate.pk))
    assert (again.exit_code, again.stderr) == (1, "lexbill: error: tax rate VAT is already inactive\n")
