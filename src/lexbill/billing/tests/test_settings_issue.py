"""The next invoice uses what the settings say: the changed number format, the new tax rate and method."""

from datetime import UTC, date, datetime

import pytest

from lexbill.billing.domain.tax_rates import percent_to_ppm
from lexbill.billing.models import Invoice, InvoiceTax, firm_billing_settings
from lexbill.billing.services.approval import prebill_approve
from lexbill.billing.services.issue import invoice_issue
from lexbill.billing.services.settings import firm_settings_update, tax_rate_create, tax_rate_deactivate
from lexbill.core.errors import ValidationFailed
from lexbill.core.models import Firm

from .billing_helpers import ISSUED_ON, approved_prebill

NOW = datetime(2026, 4, 2, 14, 0, tzinfo=UTC)
TODAY = date(2026, 4, 2)


def issue_next(firm, matter, partner, associate, approver):
    """Subtotal 1,375.10: fees 750.00 + 600.00, expense 25.10; approved by the admin, then issued."""
    prebill = approved_prebill(firm, matter, partner, associate, status="in_review")
    prebill_approve(prebill=prebill, actor=approver, now=NOW)
    return invoice_issue(prebill=prebill, actor=approver, issued_on=ISSUED_ON, now=NOW)


@pytest.fixture
def first_invoice(firm, matter, partner, associate, admin_user):
    invoice = issue_next(firm, matter, partner, associate, admin_user)
    assert (invoice.number, invoice.tax_minor, invoice.total_minor) == ("2026-00001", 0, 137510)
    return invoice


def test_a_new_format_and_tax_rate_are_used_by_the_next_invoice(firm, matter, partner, associate, admin_user,
                                                                 first_invoice):
    firm_settings_update(firm=firm, actor=admin_user, today=TODAY, invoice_number_format="INV-{year}/{seq:04d}",
                         tax_method="on_total")
    tax_rate_create(firm=firm, actor=admin_user, name="NY sales tax", rate_ppm=percent_to_ppm("8.875"),
                    applies_to_expenses=False)

    invoice = issue_next(Firm.objects.get(pk=firm.pk), matter, partner, associate, admin_user)

    # The series goes on (no gap): number 2 in the new format. 8.875 % of the fees 1,350.00 = 119.8125 -> 119.81,
    # allocated 66.5611 -> 66.56 and 53.2488 -> 53.25 by largest remainder; the expense is not taxed.
    assert invoice.number == "INV-2026/0002"
    assert (invoice.tax_method, invoice.subtotal_minor, invoice.tax_minor, invoice.total_minor) == (
        "on_total", 137510, 11981, 149491)
    assert list(invoice.lines.order_by("position").values_list("tax_minor", flat=True)) == [6656, 5325, 0]
    assert list(InvoiceTax.objects.filter(invoice=invoice).values_list("name", "rate_ppm", "taxable_minor",
                                                                       "tax_minor")) == [
        ("NY sales tax", 88_750, 135000, 11981)]


def test_a_deactivated_rate_is_not_used(firm, matter, partner, associate, admin_user, first_invoice):
    firm_settings_update(firm=firm, actor=admin_user, today=TODAY, tax_method="per_line")
    rate = tax_rate_create(firm=firm, actor=admin_user, name="VAT", rate_ppm=200_000)
    tax_rate_deactivate(tax_rate=rate, actor=admin_user)

    invoice = issue_next(Firm.objects.get(pk=firm.pk), matter, partner, associate, admin_user)

    assert (invoice.number, invoice.tax_minor, invoice.total_minor) == ("2026-00002", 0, 137510)


def test_a_client_rate_replaces_the_firm_rate(firm, matter, partner, associate, admin_user, client_acme):
    firm_settings_update(firm=firm, actor=admin_user, today=TODAY, tax_method="per_line")
    tax_rate_create(firm=firm, actor=admin_user, name="VAT", rate_ppm=200_000)
    tax_rate_create(firm=firm, actor=admin_user, name="Reduced VAT", rate_ppm=percent_to_ppm("5"),
                    client=client_acme)

    invoice = issue_next(Firm.objects.get(pk=firm.pk), matter, partner, associate, admin_user)

    # 5 % per line: 37.50 + 30.00 + 1.255 -> 1.26
    assert (invoice.tax_minor, invoice.total_minor) == (6876, 144386)


def test_a_format_that_would_repeat_an_issued_number_is_refused(firm, admin_user, first_invoice):
    # Without {year} the numbers come from another series, which would start again at 1: 2026-00001.
    with pytest.raises(ValidationFailed) as exc:
        firm_settings_update(firm=firm, actor=admin_user, today=TODAY, invoice_number_format="2026-{seq:05d}")

    assert (exc.value.field, exc.value.message) == (
        "invoice_number_format",
        "with '2026-{seq:05d}' the next invoice numbers would repeat 2026-00001, which is already issued")
    assert firm_billing_settings(firm).invoice_number_format == "{year}-{seq:05d}"
    assert list(Invoice.objects.values_list("number", flat=True)) == ["2026-00001"]


def test_the_same_format_written_differently_continues_the_series(firm, matter, partner, associate, admin_user,
                                                                   first_invoice):
    firm_settings_update(firm=firm, actor=admin_user, today=TODAY, invoice_number_format="{year}-{seq:0>5}")

    assert issue_next(Firm.objects.get(pk=firm.pk), matter, partner, associate, admin_user).number == "2026-00002"
