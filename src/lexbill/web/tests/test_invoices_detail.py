"""The invoice page: every figure equals the database; the PDF download is the invoice's PDF."""

from __future__ import annotations

import re
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from lexbill.billing.models import Invoice
from lexbill.billing.services.approval import prebill_approve
from lexbill.billing.services.credit import credit_note_issue
from lexbill.billing.services.issue import invoice_issue
from lexbill.billing.services.review import prebill_line_set_no_charge
from lexbill.core.models import AuditEvent
from lexbill.testing.billing import make_prebill

from .invoices_support import NOW, taxed_invoice
from .records_support import login_as


@pytest.fixture
def clerk(client, firm):
    login_as(client, firm, "billing")
    return client


@pytest.fixture
def invoice(firm, matter, partner, associate):
    return taxed_invoice(firm, matter, partner, associate)


def cell(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}">([^<]*)<', html)
    assert found, element_id
    return found.group(1)


def rows(html: str, table_class: str) -> list[list[str]]:
    table = re.search(rf'<table class="data {table_class}">(.*?)</table>', html, re.S)
    assert table, table_class
    body = table.group(1).split("<tbody>")[1]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def test_header_totals_and_taxes_equal_the_database(clerk, invoice):
    html = clerk.get(reverse("invoice_detail", args=[invoice.pk])).content.decode()

    assert "Invoice 2026-00001" in html and "ACME Acme Corp" in html and "ACME-001 Acme v. Widget Co." in html
    assert "2026-04-02" in html and f"{invoice.due_on:%Y-%m-%d}" in html and "Per line" in html
    assert [cell(html, f"total-{name}") for name in ("fees", "expenses", "adjustments", "subtotal", "tax",
                                                     "total")] == [
        "1,350.00", "25.10", "0.00", "1,375.10", "116.89", "1,491.99"]
    assert rows(html, "invoice-taxes") == [["City sales tax", "2.25%", "1,375.10", "30.94"],
                                           ["State sales tax", "6.25%", "1,375.10", "85.95"]]


def test_lines_are_the_frozen_lines(clerk, invoice):
    html = clerk.get(reverse("invoice_detail", args=[invoice.pk])).content.decode()

    assert rows(html, "invoice-lines") == [
        ["1", "2026-03-02", "Fee (time)", "ACME-001", "RA", "1.5", "500.00", "750.00", "", "750.00", "63.76",
         "Draft motion to compel", "L120 A104"],
        ["2", "2026-03-03", "Fee (time)", "ACME-001", "JD", "2.0", "300.00", "600.00", "", "600.00", "51.00",
         "Research on privilege log", "L120 A104"],
        ["3", "2026-03-03", "Expense", "ACME-001", "", "", "", "25.10", "", "25.10", "2.13", "Courier to court",
         "E101"],
    ]
    # each line's tax, as stored
    assert list(invoice.lines.order_by("position").values_list("tax_minor", flat=True)) == [6376, 5100, 213]


def test_timekeeper_summary(clerk, invoice):
    html = clerk.get(reverse("invoice_detail", args=[invoice.pk])).content.decode()

    assert rows(html, "timekeeper-summary") == [["Jane Doe", "AS", "2.0", "300.00", "600.00"],
                                                ["Robert Arnsley", "PT", "1.5", "500.00", "750.00"]]


def test_credit_notes_and_what_is_left_to_credit(clerk, invoice):
    credit_note_issue(invoice=invoice, actor=None, reason="Courtesy discount", issued_on=date(2026, 4, 20),
                      amount_minor=10000, now=NOW)
    credit_note_issue(invoice=invoice, actor=None, reason="Duplicate courier", issued_on=date(2026, 4, 21),
                      amount_minor=2510, now=NOW)

    html = clerk.get(reverse("invoice_detail", args=[invoice.pk])).content.decode()

    assert cell(html, "credited") == "125.10" and cell(html, "left-to-credit") == "1,250.00"
    assert "CN2026-00001" in html and "CN2026-00002" in html and "Courtesy discount" in html
    assert ">-100.00<" in html and ">-108.50<" in html  # -100.00 and its tax -8.50, as stored
    assert Invoice.objects.get(number="CN2026-00001").total_minor == -10850


def test_a_credit_note_page_links_to_its_invoice(clerk, invoice):
    note = credit_note_issue(invoice=invoice, actor=None, reason="Courtesy discount", issued_on=date(2026, 4, 20),
                             amount_minor=10000, now=NOW)

    html = clerk.get(reverse("invoice_detail", args=[note.pk])).content.decode()

    assert "Credit note CN2026-00001" in html and reverse("invoice_detail", args=[invoice.pk]) in html
    assert cell(html, "total-subtotal") == "-100.00" and cell(html, "total-total") == "-108.50"
    assert "Issue a credit note" not in html


def test_the_pdf_download_is_the_invoice_with_its_total(clerk, invoice):
    response = clerk.get(reverse("invoice_pdf", args=[invoice.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="2026-00001.pdf"'
    assert response.content.startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True,
                          check=True).stdout.decode()
    assert "Invoice 2026-00001" in text
    assert re.search(r"Total due\s+1,491\.99 USD", text)
    assert re.search(r"State sales tax 6\.25% on 1,375\.10 USD\s+85\.95 USD", text)
    invoice.refresh_from_db()
    assert len(invoice.pdf_sha256) == 64
    assert AuditEvent.objects.filter(action="invoice.pdf_recorded", entity_id=str(invoice.pk)).count() == 1


def test_a_pdf_that_no_longer_matches_is_refused_with_a_message(clerk, invoice):
    Invoice.objects.filter(pk=invoice.pk).update(pdf_sha256="0" * 64)

    response = clerk.get(reverse("invoice_pdf", args=[invoice.pk]), follow=True)

    assert response.redirect_chain == [(reverse("invoice_detail", args=[invoice.pk]), 302)]
    assert "no longer matches the one issued" in response.content.decode()
    assert Invoice.objects.get(pk=invoice.pk).pdf_sha256 == "0" * 64


def test_timekeeper_summary_counts_charged_hours_and_shows_no_charge_hours_apart(clerk, firm, matter, partner,
                                                                                  associate):
    # Given an invoice whose partner's second line (0.7 h) was marked no-charge before approval
    prebill = make_prebill(firm, matter, work=[(partner, date(2026, 3, 2), "1.5", "Draft motion to compel"),
                                               (partner, date(2026, 3, 3), "0.7", "Call with opposing counsel"),
                                               (associate, date(2026, 3, 3), "2.0", "Research on privilege log")],
                           period_end=date(2026, 3, 31))
    prebill_line_set_no_charge(line=prebill.lines.get(position=2), is_no_charge=True, actor=None)
    prebill_approve(prebill=prebill, actor=None, now=NOW, operator=True)
    invoice = invoice_issue(prebill=prebill, actor=None, issued_on=date(2026, 4, 2), now=NOW)

    # When the clerk opens its page
    html = clerk.get(reverse("invoice_detail", args=[invoice.pk])).content.decode()

    # Then every summary row reads hours x rate = amount, and the 0.7 h no-charge are a row of their own
    assert cell(html, "total-fees") == "1,350.00"
    assert rows(html, "timekeeper-summary") == [["Jane Doe", "AS", "2.0", "300.00", "600.00"],
                                                ["Robert Arnsley", "PT", "1.5", "500.00", "750.00"],
                                                ["Robert Arnsley", "PT", "0.7", "", "No charge"]]
    assert "No charge: 0.7 h" in html
