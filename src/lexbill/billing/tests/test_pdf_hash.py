"""invoice_pdf_render: the same invoice gives the same bytes; the hash is recorded once, then checked."""

import hashlib
from datetime import date

import pytest

from lexbill.billing.models import Invoice, InvoiceLine
from lexbill.billing.pdf.render import render_invoice
from lexbill.billing.services.invoice_pdf import invoice_pdf_render
from lexbill.core.audit import audit_verify
from lexbill.core.errors import Conflict
from lexbill.core.models import AuditEvent

from .pdf_builders import behind_the_services_back, make_invoice, standard_prebill


@pytest.fixture
def invoice(firm, matter, partner, associate):
    return make_invoice(standard_prebill(firm, matter, partner, associate), number="2026-00042",
                        issued_on=date(2026, 4, 2), tax=("Sales tax", 62500))


def test_rendering_twice_gives_the_same_bytes(invoice):
    first = render_invoice(invoice)
    second = render_invoice(Invoice.objects.get(pk=invoice.pk))
    assert first == second
    assert first.startswith(b"%PDF-")


def test_the_document_date_is_the_issue_date_not_today(invoice):
    assert b"D:20260402000000" in render_invoice(invoice)


def test_first_render_records_the_sha256_with_an_audit_event(firm, invoice):
    # Given an invoice without a recorded PDF hash
    assert Invoice.objects.get(pk=invoice.pk).pdf_sha256 == ""
    # When its PDF is rendered through the service
    pdf = invoice_pdf_render(invoice=invoice)
    # Then the hash of exactly those bytes is stored, and the change is audited
    digest = hashlib.sha256(pdf).hexdigest()
    assert Invoice.objects.get(pk=invoice.pk).pdf_sha256 == digest
    event = AuditEvent.objects.get(action="invoice.pdf_recorded")
    assert (event.entity_id, event.before, event.after) == (str(invoice.pk), {"pdf_sha256": ""},
                                                            {"pdf_sha256": digest})
    assert audit_verify(firm=firm) == []


def test_a_later_render_matches_and_records_nothing_new(invoice):
    first = invoice_pdf_render(invoice=invoice)
    second = invoice_pdf_render(invoice=Invoice.objects.get(pk=invoice.pk))
    assert first == second
    assert AuditEvent.objects.filter(action="invoice.pdf_recorded").count() == 1


def test_a_pdf_that_no_longer_matches_is_refused_and_nothing_changes(invoice):
    # Given a recorded hash, and then a line whose narrative was altered behind the services' back
    recorded = hashlib.sha256(invoice_pdf_render(invoice=invoice)).hexdigest()
    with behind_the_services_back():
        InvoiceLine.objects.filter(invoice=invoice, position=1).update(narrative="Something else")
    events = AuditEvent.objects.count()
    # When the PDF is rendered again, then it is refused
    with pytest.raises(Conflict, match="no longer matches the one issued"):
        invoice_pdf_render(invoice=Invoice.objects.get(pk=invoice.pk))
    assert Invoice.objects.get(pk=invoice.pk).pdf_sha256 == recorded
    assert AuditEvent.objects.count() == events


def test_an_invoice_whose_lines_do_not_add_up_is_not_printed(invoice):
    # Given a line amount altered behind the services' back (the check constraint only covers the line)
    with behind_the_services_back():
        InvoiceLine.objects.filter(invoice=invoice, position=1).update(base_minor=125001, total_minor=125001)
    with pytest.raises(Conflict, match="do not add up"):
        invoice_pdf_render(invoice=Invoice.objects.get(pk=invoice.pk))
    assert Invoice.objects.get(pk=invoice.pk).pdf_sha256 == ""
