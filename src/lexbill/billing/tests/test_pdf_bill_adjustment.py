"""A whole-bill write-down reads as ONE adjustment line on the PDF, below the lines at their full amounts,
while the lines keep their shares in the database and in LEDES (issue #9, "Client documents read cleanly")."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from lexbill.billing.models import InvoiceLine, PreBillStatus
from lexbill.billing.pdf.render import render_invoice, render_prebill
from lexbill.billing.services.credit import credit_note_issue
from lexbill.billing.services.issue import invoice_issue
from lexbill.billing.services.review import prebill_line_write_amount, prebill_write_amount, prebill_write_percent
from lexbill.ebilling.ledes.document import invoice_document
from lexbill.ebilling.ledes.writer import write_1998b
from lexbill.ebilling.tests.ledes_helpers import check_arithmetic
from lexbill.testing.settings_rows import set_firm_settings

from .pdf_builders import normalised, pdf_text, standard_prebill

NOW = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)
FULL_AMOUNTS = ("1,250.00 USD", "960.00 USD", "200.00 USD", "300.00 USD", "405.00 USD", "1.80 USD")


def issue(prebill):
    prebill.status = PreBillStatus.APPROVED
    prebill.save(update_fields=["status"])
    return invoice_issue(prebill=prebill, actor=None, issued_on=date(2026, 4, 2), now=NOW)


@pytest.fixture
def discounted(firm, matter, partner, associate):
    """The standard pre-bill (bases 3,116.80) written down 10 % as a whole: -311.68 spread over six lines."""
    set_firm_settings(firm, ledes_law_firm_id="24-6437381")  # for the LEDES file
    prebill = standard_prebill(firm, matter, partner, associate)
    prebill_write_percent(prebill=prebill, percent="10", actor=None, now=NOW)
    return prebill


def test_the_pdf_shows_full_line_amounts_and_one_discount_line(discounted):
    # When the pre-bill written down 10 % as a whole is issued
    invoice = issue(discounted)
    # Then the database keeps the write-down spread over the lines (what LEDES needs)
    shares = list(InvoiceLine.objects.filter(invoice=invoice).order_by("position").values_list("adjustment_minor",
                                                                                                 flat=True))
    assert (sum(shares), len([s for s in shares if s])) == (-31168, 6)
    assert (invoice.fees_minor, invoice.expenses_minor, invoice.adjustments_minor, invoice.subtotal_minor) == (
        271000, 40680, -31168, 280512)
    assert invoice.snapshot["bill_adjustment"] == {"label": "Discount 10 %"}
    # And the PDF shows each line at its full amount and the write-down once, below them
    text = normalised(pdf_text(render_invoice(invoice)))
    for amount in FULL_AMOUNTS:
        assert amount in text
    adjustments = text[text.index("\nAdjustments\n"):text.index("Total adjustments")]
    assert adjustments.splitlines()[2:] == ["Date Description Amount", "Discount 10 % -311.68 USD"]
    assert "Write-down" not in text
    # And its figures still add up to the database's to the cent: lines + adjustment = subtotal
    assert "Total fees 7.1 2,710.00 USD" in text and "Total expenses 406.80 USD" in text
    assert "Total adjustments -311.68 USD" in text and "Subtotal 2,805.12 USD" in text
    # And the LEDES file still has per-line amounts that add up to the same total
    data = write_1998b(invoice_document(invoice))
    assert str(check_arithmetic(data)) == "2805.12"


def test_a_write_down_by_amount_is_one_adjustment_line(firm, matter, partner, associate):
    prebill = standard_prebill(firm, matter, partner, associate)
    prebill_write_amount(prebill=prebill, adjustment_minor=-10000, actor=None, now=NOW)
    text = normalised(pdf_text(render_invoice(issue(prebill))))
    assert "Adjustment -100.00 USD" in text and "Write-down" not in text and "Subtotal 3,016.80 USD" in text


def test_the_pro_forma_shows_the_discount_line_too(discounted):
    text = normalised(pdf_text(render_prebill(discounted)))
    assert "Discount 10 % -311.68 USD" in text and "Write-down" not in text


def test_a_line_written_after_the_whole_bill_lists_each_write_down(discounted):
    # Given the 10 % whole-bill write-down, then line 1 written down on its own by 50.00
    line = discounted.lines.get(position=1)
    prebill_line_write_amount(line=line, adjustment_minor=-5000, actor=None, now=NOW)
    # When issued, the write-downs are no longer one discount: each line's is listed, as before
    invoice = issue(discounted)
    assert "bill_adjustment" not in invoice.snapshot
    text = normalised(pdf_text(render_invoice(invoice)))
    assert "Discount" not in text
    assert "Write-down (RA): Draft complaint and review exhibits -50.00 USD" in text
    assert text.count("Write-down (") + text.count("Write-down:") == 6


def test_a_full_credit_note_names_the_discount_the_same_way(discounted):
    invoice = issue(discounted)
    note = credit_note_issue(invoice=invoice, actor=None, reason="Wrong matter", issued_on=date(2026, 4, 9),
                             full=True)
    text = normalised(pdf_text(render_invoice(note)))
    assert "Discount 10 % 311.68 USD" in text and "Write-up" not in text


WRITE = {"adjustment_minor": -300, "percent": "10",
         "lines": [{"line": 1, "adjustment_minor": -200}, {"line": 2, "adjustment_minor": -100},
                   {"line": 3, "adjustment_minor": 0}]}


@pytest.mark.parametrize(("write", "lines", "label"), [
    (WRITE, [(1, -200), (2, -100), (3, 0)], "Discount 10 %"),
    ({**WRITE, "percent": "12.50"}, [(1, -200), (2, -100), (3, 0)], "Discount 12.5 %"),
    ({**WRITE, "percent": "-5"}, [(1, -200), (2, -100), (3, 0)], "Adjustment"),  # a write-up
    ({k: v for k, v in WRITE.items() if k != "percent"}, [(1, -200), (2, -100)], "Adjustment"),
    (WRITE, [(1, -200), (2, -100), (3, 0), (4, 0)], "Discount 10 %"),  # a line moved in, unadjusted
    (WRITE, [(1, -250), (2, -100), (3, 0)], ""),  # line 1 written on its own since
    (WRITE, [(1, -200), (3, 0)], ""),  # line 2 (with its share) held or moved out
    (WRITE, [(1, -200), (2, -100), (4, -7)], ""),  # a line moved in with its own write-down
    ({**WRITE, "adjustment_minor": 0}, [(1, 0)], ""),  # written by 0: nothing to show
    (None, [(1, -200)], ""),
])
def test_whole_bill_label(write, lines, label):
    from lexbill.billing.domain.adjust import whole_bill_label

    assert whole_bill_label(write, lines) == label
