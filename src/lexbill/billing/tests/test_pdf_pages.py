"""A long invoice flows over pages with repeated table headers and page numbers."""

from datetime import date, timedelta

from lexbill.billing.pdf.render import render_invoice
from lexbill.testing.billing import make_prebill

from .pdf_builders import letterhead, make_invoice, normalised, pdf_pages, pdf_text

NARRATIVE = ("Review and analyze opposing counsel's responses to the first set of interrogatories "
             "and draft deficiency letter")


def test_a_52_line_invoice_has_three_pages_and_says_so(firm, matter, partner, associate):
    # Given 52 fee lines of 1.5 h, alternating partner (750.00) and associate (450.00)
    letterhead(firm, matter.client, matter)
    work = [((partner, associate)[i % 2], date(2026, 3, 1) + timedelta(days=i % 28), "1.5", NARRATIVE)
            for i in range(52)]
    invoice = make_invoice(make_prebill(firm, matter, work=work), number="2026-00100")
    # When it is rendered
    pdf = render_invoice(invoice)
    # Then it has three pages, numbered, with the column headings repeated and the total on the last one
    assert pdf_pages(pdf) == 3
    text = normalised(pdf_text(pdf))
    assert [f"Page {n} of 3" in text for n in (1, 2, 3)] == [True, True, True]
    assert text.count("Date TK Description Hours Rate Amount") == 3
    assert invoice.total_minor == 26 * 75000 + 26 * 45000
    assert "Total due 31,200.00 USD" in text
    assert text.count("750.00 USD") >= 26 and text.count("450.00 USD") >= 26
