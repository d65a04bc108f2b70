"""Tax on issue: the firm's or the client's method and rates, per line or on the total, InvoiceTax rows."""

from datetime import UTC, datetime

import pytest

from lexbill.billing.models import InvoiceTax, TaxRate
from lexbill.billing.services.issue import invoice_issue
from lexbill.testing.settings_rows import set_client_settings, set_firm_settings

from .billing_helpers import ISSUED_ON, approved_prebill

NOW = datetime(2026, 4, 2, 14, 0, tzinfo=UTC)


@pytest.fixture
def sales_taxes(firm):
    TaxRate.objects.create(firm=firm, name="State sales tax", rate_ppm=62_500)
    TaxRate.objects.create(firm=firm, name="City sales tax", rate_ppm=22_500)


def issue(firm, matter, partner, associate):
    prebill = approved_prebill(firm, matter, partner, associate)
    return invoice_issue(prebill=prebill, actor=None, issued_on=ISSUED_ON, now=NOW)


def taxes(invoice):
    return list(InvoiceTax.objects.filter(invoice=invoice).order_by("name")
                .values_list("name", "rate_ppm", "taxable_minor", "tax_minor"))


def line_taxes(invoice):
    return list(invoice.lines.order_by("position").values_list("tax_minor", flat=True))


def test_two_rates_per_line(firm, matter, partner, associate, sales_taxes):
    set_firm_settings(firm, tax_method="per_line")
    invoice = issue(firm, matter, partner, associate)
    # 6.25 %: 4,687.5 -> 4688; 3750; 156.875 -> 157. 2.25 %: 1,687.5 -> 1688; 1350; 56.475 -> 56.
    assert taxes(invoice) == [("City sales tax", 22_500, 137510, 3094), ("State sales tax", 62_500, 137510, 8595)]
    assert line_taxes(invoice) == [6376, 5100, 213]
    assert (invoice.subtotal_minor, invoice.tax_minor, invoice.total_minor, invoice.tax_method) == (
        137510, 11689, 149199, "per_line")


def test_two_rates_on_the_total_allocated_by_largest_remainder(firm, matter, partner, associate, sales_taxes):
    set_firm_settings(firm, tax_method="on_total")
    invoice = issue(firm, matter, partner, associate)
    # 6.25 % of 1,375.10 = 85.94375 -> 8594 = 4687 + 3750 + 157; 2.25 % = 30.93975 -> 3094 = 1688 + 1350 + 56
    assert taxes(invoice) == [("City sales tax", 22_500, 137510, 3094), ("State sales tax", 62_500, 137510, 8594)]
    assert line_taxes(invoice) == [6375, 5100, 213]
    assert sum(line_taxes(invoice)) == invoice.tax_minor == 11688
    assert invoice.total_minor == sum(x.total_minor for x in invoice.lines.all()) + invoice.tax_minor == 149198


def test_the_clients_method_and_rates_replace_the_firms(firm, matter, partner, associate, client_acme, sales_taxes):
    set_firm_settings(firm, tax_method="per_line")
    set_client_settings(client_acme, tax_method="on_total")
    TaxRate.objects.create(firm=firm, client=client_acme, name="VAT", rate_ppm=200_000, applies_to_expenses=False)
    TaxRate.objects.create(firm=firm, client=client_acme, name="Old VAT", rate_ppm=175_000, is_active=False)
    invoice = issue(firm, matter, partner, associate)
    assert taxes(invoice) == [("VAT", 200_000, 135000, 27000)]
    assert line_taxes(invoice) == [15000, 12000, 0]
    assert (invoice.tax_method, invoice.total_minor) == ("on_total", 164510)


def test_no_tax_when_the_method_is_none(firm, matter, partner, associate, sales_taxes):
    invoice = issue(firm, matter, partner, associate)
    assert (taxes(invoice), invoice.tax_minor, invoice.total_minor) == ([], 0, 137510)
