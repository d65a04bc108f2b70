"""A split invoice's PDF: the payor's share stated, the payor's own reference, every figure the database's."""

from datetime import UTC, date, datetime

from lexbill.billing.models import InvoiceLine
from lexbill.billing.pdf.render import render_invoice
from lexbill.billing.services.issue import invoices_issue
from lexbill.clients.services_payors import PayorShare, matter_payors_set
from lexbill.core.money import format_money
from lexbill.testing import factories

from .billing_helpers import approved_prebill
from .pdf_builders import pdf_text


def test_each_payor_pdf_states_its_share_and_its_figures(firm, matter, partner, associate, client_acme):
    insurer = factories.make_client(firm, code="INSCO", name="Insurance Co.")
    matter_payors_set(matter=matter, actor=None, payors=[PayorShare(insurer, 6667, "CLM-2291"),
                                                         PayorShare(client_acme, 3333)])
    big, small = invoices_issue(prebill=approved_prebill(firm, matter, partner, associate), actor=None,
                                issued_on=date(2026, 4, 2), now=datetime(2026, 4, 2, 14, tzinfo=UTC))
    text = pdf_text(render_invoice(big))
    assert "Insurance Co." in text
    assert "Split billing: this invoice is for 66.67 % of the matter's fees and expenses" in " ".join(text.split())
    assert "Your reference: CLM-2291" in text
    for line in InvoiceLine.objects.filter(invoice=big):
        assert format_money(line.total_minor, "USD") in text
    assert format_money(big.total_minor, "USD") in text
    other = pdf_text(render_invoice(small))
    assert "33.33 %" in other and "CLM-2291" not in other
    assert format_money(small.total_minor, "USD") in other
