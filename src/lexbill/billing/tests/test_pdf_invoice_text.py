"""The invoice PDF's extracted text shows the database's figures to the cent (invariant 3)."""

import os
from datetime import date
from pathlib import Path

import pytest

from lexbill.billing.models import Invoice, InvoiceKind, InvoiceLine, InvoiceTax, LineKind
from lexbill.billing.pdf.context import invoice_context
from lexbill.billing.pdf.render import render_invoice
from lexbill.billing.services.review import prebill_line_set_no_charge
from lexbill.billing.snapshot import snapshot_for_credit_note
from lexbill.core.money import format_money

from .pdf_builders import behind_the_services_back, make_invoice, normalised, pdf_text, standard_prebill

GOLDEN = Path(__file__).parent / "golden" / "invoice_2026-00042.txt"


@pytest.fixture
def invoice(firm, matter, partner, associate):
    prebill = standard_prebill(firm, matter, partner, associate)
    return make_invoice(prebill, number="2026-00042", issued_on=date(2026, 4, 2), tax=("Sales tax", 62500))


def test_totals_are_those_of_the_fixture(invoice):
    # Given the standard invoice, its frozen totals are exactly these (the PDF tests below rely on them).
    assert (invoice.fees_minor, invoice.expenses_minor, invoice.adjustments_minor, invoice.subtotal_minor,
            invoice.tax_minor, invoice.total_minor) == (271000, 40680, -9600, 302080, 18880, 320960)


def test_text_shows_number_dates_every_line_amount_tax_and_total(invoice):
    text = pdf_text(render_invoice(invoice))
    assert "Invoice no. 2026-00042" in text
    assert "April 2, 2026" in text and "May 2, 2026" in text  # issued, due (30 days)
    assert "March 1, 2026 to March 31, 2026" in text
    lines = list(InvoiceLine.objects.filter(invoice=invoice))
    for line in lines:
        assert format_money(line.base_minor, "USD") in text, line.narrative
        if line.adjustment_minor:
            assert format_money(line.adjustment_minor, "USD") in text, line.narrative
    # The same figures written out, so a formatting regression cannot hide behind format_money.
    for figure in ("1,250.00 USD", "960.00 USD", "200.00 USD", "300.00 USD", "405.00 USD", "1.80 USD",
                   "-96.00 USD", "2,710.00 USD", "406.80 USD", "3,020.80 USD"):
        assert figure in text
    assert "Sales tax 6.25% on 3,020.80 USD 188.80 USD" in normalised(text)
    assert "Total due 3,209.60 USD" in normalised(text)
    assert "DRAFT" not in text


def test_letterhead_client_matter_and_payment_instructions(invoice):
    text = normalised(pdf_text(render_invoice(invoice)))
    for expected in ("Arnsley & Partners LLP", "100 Federal Street, Suite 1200", "Boston, MA 02110", "Acme Corp",
                     "1 Acme Way", "Springfield, IL 62701", "ACME-001 Acme v. Widget Co.",
                     "Your reference: LIT-2026-17", "Pay by wire to Harbor Trust Bank, ABA 011000138"):
        assert expected in text


def test_timekeeper_summary_has_hours_rate_and_amount_per_timekeeper(invoice):
    text = normalised(pdf_text(render_invoice(invoice)))
    summary = text[text.index("Timekeeper summary"):text.index("Expenses")]
    assert "Jane Doe AS 4.2 300.00 USD 1,260.00 USD" in summary
    assert "Robert Arnsley PT 2.9 500.00 USD 1,450.00 USD" in summary


def test_a_timekeeper_billed_at_two_rates_gets_a_row_per_rate(invoice):
    # Given the associate's second line billed at another rate (as when a rate changes mid-month)
    line = InvoiceLine.objects.get(invoice=invoice, position=4)
    with behind_the_services_back():
        InvoiceLine.objects.filter(pk=line.pk).update(rate_minor=32500)
    text = normalised(pdf_text(render_invoice(invoice)))
    summary = text[text.index("Timekeeper summary"):text.index("Expenses")]
    assert "Jane Doe AS 3.2 300.00 USD 960.00 USD" in summary
    assert "Jane Doe AS 1.0 325.00 USD 300.00 USD" in summary


def test_grouped_by_date_lists_fees_chronologically_without_phase_headings(invoice):
    text = normalised(pdf_text(render_invoice(invoice)))
    fees = text[text.index("Professional services"):text.index("Total fees")]
    dates = [row.split()[0] for row in fees.splitlines() if row[:4] == "2026"]
    assert dates == ["2026-03-02", "2026-03-03", "2026-03-10", "2026-03-12"]
    assert "L100 Case Assessment" not in fees


def test_grouped_by_phase_shows_phase_headings_and_subtotals(firm, matter, partner, associate):
    prebill = standard_prebill(firm, matter, partner, associate, group_by="phase")
    invoice = make_invoice(prebill, number="2026-00043", tax=None)
    text = normalised(pdf_text(render_invoice(invoice)))
    fees = text[text.index("Professional services"):text.index("Total fees")]
    headings = [row for row in fees.splitlines() if row[:2] == "L1" or row[:2] == "L3"]
    assert headings == ["L100 Case Assessment, Development and Administration", "L300 Discovery"]
    assert "Subtotal L100 2,410.00 USD" in fees  # 1,250.00 + 960.00 + 200.00 (L120, L120, L160)
    assert "Subtotal L300 300.00 USD" in fees
    assert "Total before tax" not in text and "Total due 3,020.80 USD" in text


def test_a_credit_note_says_what_it_credits_and_why(firm, matter, partner, associate, invoice):
    credit = Invoice.objects.create(
        firm=firm, kind=InvoiceKind.CREDIT_NOTE, number="CN2026-00001", credits=invoice, reason="Duplicate call",
        client=invoice.client, matter=matter, currency="USD", issued_on=date(2026, 4, 9), due_on=date(2026, 4, 9),
        fees_minor=-20000, expenses_minor=0, adjustments_minor=0, subtotal_minor=-20000, tax_minor=-1250,
        total_minor=-21250, issued_at=invoice.issued_at,
        snapshot=snapshot_for_credit_note(firm=firm, client=invoice.client, credited_number=invoice.number,
                                          credited=invoice.snapshot))
    InvoiceLine.objects.create(
        firm=firm, invoice=credit, position=1, kind=LineKind.FEE, matter=matter, on_date=date(2026, 3, 10),
        timekeeper=partner, timekeeper_name="Robert Arnsley", timekeeper_classification="PT",
        hours_billed="-0.4", rate_minor=50000, base_minor=-20000, adjustment_minor=0, total_minor=-20000,
        tax_minor=-1250, narrative="Call with client re settlement posture")
    InvoiceTax.objects.create(firm=firm, invoice=credit, name="Sales tax", rate_ppm=62500, taxable_minor=-20000,
                              tax_minor=-1250)
    text = normalised(pdf_text(render_invoice(credit)))
    assert "CREDIT NOTE" in text and "Credit note no. CN2026-00001" in text
    assert "Credits invoice 2026-00042" in text and "Reason: Duplicate call" in text
    assert "-200.00 USD" in text and "-212.50 USD" in text


def test_a_credit_note_has_no_due_date_and_no_total_due(invoice):
    # Given a partial credit note of 500.00 (plus its 6.25 % tax share) on the standard invoice
    from lexbill.billing.services.credit import credit_note_issue

    note = credit_note_issue(invoice=invoice, actor=None, reason="Goodwill", issued_on=date(2026, 4, 20),
                             amount_minor=50000)
    assert note.total_minor == -53125
    # When its PDF is rendered
    text = normalised(pdf_text(render_invoice(note)))
    # Then it names the invoice it credits and its own total, and nothing is "due" (issue #9, item 10)
    assert f"Credits invoice {invoice.number}" in text
    assert "Credit note total -531.25 USD" in text
    assert "Due" not in text and "Total due" not in text and "May 20, 2026" not in text
    assert "Payment instructions" not in text


def test_text_matches_the_golden_file(invoice):
    text = normalised(pdf_text(render_invoice(invoice)))
    if os.environ.get("LEXBILL_UPDATE_GOLDEN"):
        GOLDEN.write_text(text)
    assert text == GOLDEN.read_text()


def test_no_charge_hours_are_shown_apart_and_every_summary_row_adds_up(firm, matter, partner, associate):
    # Given the standard pre-bill with the partner's 0.4 h call (200.00) marked no-charge, then issued
    prebill = standard_prebill(firm, matter, partner, associate)
    prebill_line_set_no_charge(line=prebill.lines.get(position=3), is_no_charge=True, actor=None)
    invoice = make_invoice(prebill, number="2026-00044", tax=None)
    assert invoice.fees_minor == 251000  # 1,250.00 + 960.00 + 300.00

    # When its context is built and its PDF rendered
    context = invoice_context(invoice)
    text = normalised(pdf_text(render_invoice(invoice)))

    # Then each summary row counts the charged hours only (hours x rate = amount), and the no-charge hours
    # have a row of their own; "Total fees" shows the charged hours, with the no-charge hours under it
    assert context["timekeepers"] == [
        {"name": "Jane Doe", "classification": "AS", "hours": "4.2", "rate": "300.00 USD", "amount": "1,260.00 USD"},
        {"name": "Robert Arnsley", "classification": "PT", "hours": "2.5", "rate": "500.00 USD",
         "amount": "1,250.00 USD"},
        {"name": "Robert Arnsley", "classification": "PT", "hours": "0.4", "rate": "", "amount": "No charge"},
    ]
    assert (context["hours_total"], context["no_charge_hours"]) == ("6.7", "0.4")
    summary = text[text.index("Timekeeper summary"):text.index("Expenses")]
    assert "Jane Doe AS 4.2 300.00 USD 1,260.00 USD" in summary
    assert "Robert Arnsley PT 2.5 500.00 USD 1,250.00 USD" in summary
    assert "Robert Arnsley PT 0.4 No charge" in summary
    assert "2.9" not in summary
    assert "Total fees 6.7 2,510.00 USD" in text
    assert "No charge 0.4" in text[text.index("Total fees"):text.index("Timekeeper summary")]
