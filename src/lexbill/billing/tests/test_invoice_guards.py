"""Issued invoices, lines and taxes at the database (core/guards.py, migration billing 0008): no UPDATE, no DELETE,
on SQLite as on PostgreSQL, whoever writes the SQL; `flush` still empties them."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django_scopes import scopes_disabled

from lexbill.billing.models import Invoice, InvoiceLine, InvoiceTax, TaxRate
from lexbill.billing.services.issue import invoice_issue
from lexbill.core.models import AuditEvent
from lexbill.core.tenancy import firm_scope
from lexbill.testing import factories
from lexbill.testing.settings_rows import set_firm_settings

from .billing_helpers import ISSUED_ON, approved_prebill

NOW = datetime(2026, 4, 2, 14, 0, tzinfo=UTC)


def taxed_invoice(firm, matter, partner, associate):  # type: ignore[no-untyped-def]
    set_firm_settings(firm, tax_method="on_total")
    TaxRate.objects.create(firm=firm, name="State sales tax", rate_ppm=62_500)
    return invoice_issue(prebill=approved_prebill(firm, matter, partner, associate), actor=None, issued_on=ISSUED_ON,
                         now=NOW)


def stored(invoice):  # type: ignore[no-untyped-def]
    return (list(Invoice.objects.filter(pk=invoice.pk).values_list("number", "total_minor", "tax_minor")),
            list(InvoiceLine.objects.filter(invoice=invoice).order_by("position").values_list("total_minor", flat=True)),
            list(InvoiceTax.objects.filter(invoice=invoice).values_list("name", "tax_minor")))


def test_raw_sql_cannot_delete_an_issued_invoice_its_lines_or_its_taxes(firm, matter, partner, associate):
    invoice = taxed_invoice(firm, matter, partner, associate)
    given = stored(invoice)
    assert given == ([(invoice.number, 146104, 8594)], [75000, 60000, 2510], [("State sales tax", 8594)])

    for table, column in (("billing_invoicetax", "invoice_id"), ("billing_invoiceline", "invoice_id"),
                          ("billing_invoice", "id")):
        with pytest.raises(DatabaseError, match=f"{table} rows cannot be deleted"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE {column} = %s", [invoice.pk])

    assert stored(invoice) == given


def test_raw_sql_cannot_change_a_tax_row(firm, matter, partner, associate):
    invoice = taxed_invoice(firm, matter, partner, associate)
    given = stored(invoice)

    with pytest.raises(DatabaseError, match="billing_invoicetax rows cannot change"), transaction.atomic():
        InvoiceTax.objects.filter(invoice=invoice).update(tax_minor=0)

    assert stored(invoice) == given


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_guarded_tables():
    """Test teardown and `lexbill flush` delete everything (SQLite with DELETE, PostgreSQL with TRUNCATE)."""
    firm = factories.make_firm("Arnsley & Partners LLP", slug="arnsley")
    with firm_scope(firm):
        partner = factories.make_timekeeper(firm, initials="RA", standard_rate_minor=50000)
        associate = factories.make_timekeeper(firm, initials="JD", standard_rate_minor=30000)
        client = factories.make_client(firm, code="ACME", name="Acme Corp")
        matter = factories.make_matter(firm, client=client, billing_attorney=partner, number="ACME-001")
        taxed_invoice(firm, matter, partner, associate)
    with scopes_disabled():
        assert (Invoice.objects.count(), InvoiceTax.objects.count(), AuditEvent.objects.filter(seq=1).count()) == (
            1, 1, 1)

    call_command("flush", interactive=False, verbosity=0)

    with scopes_disabled():
        assert (Invoice.objects.count(), InvoiceLine.objects.count(), InvoiceTax.objects.count(),
                AuditEvent.objects.count()) == (0, 0, 0, 0)
