"""invoice_pdf_render: the same invoice gives the same bytes; the hash is recorded once, then checked."""

import hashlib
from datetime import date

import pytest
from django.db import DatabaseError, transaction

from lexbill.billing.immutability import InvoiceImmutable
from lexbill.billing.models import Invoice, InvoiceDocument, InvoiceLine
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
    assert InvoiceDocument.objects.count() == 0
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


def test_the_first_render_stores_the_bytes_once(invoice):
    # When the PDF is downloaded twice
    first = invoice_pdf_render(invoice=invoice)
    second = invoice_pdf_render(invoice=Invoice.objects.get(pk=invoice.pk))
    # Then one document row holds exactly those bytes and their hash
    (doc,) = InvoiceDocument.objects.filter(invoice=invoice)
    assert (doc.kind, bytes(doc.content), doc.sha256) == ("pdf", first, hashlib.sha256(first).hexdigest())
    assert second == first


def test_later_downloads_return_the_stored_bytes_even_if_the_lines_were_tampered_with(invoice):
    # Given a stored PDF, then a line whose narrative was altered behind the services' back
    first = invoice_pdf_render(invoice=invoice)
    with behind_the_services_back():
        InvoiceLine.objects.filter(invoice=invoice, position=1).update(narrative="Something else")
    # When it is downloaded again, then it is the PDF as issued
    assert invoice_pdf_render(invoice=Invoice.objects.get(pk=invoice.pk)) == first


def test_stored_bytes_that_no_longer_match_their_hash_are_refused_and_nothing_changes(invoice):
    # Given a stored PDF whose bytes were altered behind the services' back
    recorded = hashlib.sha256(invoice_pdf_render(invoice=invoice)).hexdigest()
    with behind_the_services_back("billing_invoicedocument"):
        InvoiceDocument.objects.filter(invoice=invoice).update(content=b"%PDF-forged")
    events = AuditEvent.objects.count()
    # When it is downloaded, then it is refused
    with pytest.raises(Conflict, match="the stored PDF of invoice 2026-00042 does not match its recorded sha256"):
        invoice_pdf_render(invoice=Invoice.objects.get(pk=invoice.pk))
    assert Invoice.objects.get(pk=invoice.pk).pdf_sha256 == recorded
    assert (InvoiceDocument.objects.count(), AuditEvent.objects.count()) == (1, events)


def test_a_hash_recorded_before_bytes_were_kept_is_checked_and_a_mismatch_refused(invoice):
    # Given an invoice whose hash was recorded (before the bytes were kept) from a different rendering
    with behind_the_services_back("billing_invoice"):
        Invoice.objects.filter(pk=invoice.pk).update(pdf_sha256="0" * 64)
    # When its PDF is downloaded, then it is refused and nothing is stored
    with pytest.raises(Conflict, match="the PDF of invoice 2026-00042 no longer matches the one issued"):
        invoice_pdf_render(invoice=Invoice.objects.get(pk=invoice.pk))
    assert InvoiceDocument.objects.count() == 0


def test_stored_documents_cannot_be_changed_or_deleted(invoice):
    invoice_pdf_render(invoice=invoice)
    doc = InvoiceDocument.objects.get(invoice=invoice)
    doc.sha256 = "f" * 64
    with pytest.raises(InvoiceImmutable), transaction.atomic():
        doc.save()
    with pytest.raises(InvoiceImmutable), transaction.atomic():
        doc.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        InvoiceDocument.objects.filter(pk=doc.pk).update(content=b"%PDF-forged")
    assert bytes(InvoiceDocument.objects.get(pk=doc.pk).content).startswith(b"%PDF-1")


def test_an_invoice_whose_lines_do_not_add_up_is_not_printed(invoice):
    # Given a line amount altered behind the services' back (the check constraint only covers the line)
    with behind_the_services_back():
        InvoiceLine.objects.filter(invoice=invoice, position=1).update(base_minor=125001, total_minor=125001)
    with pytest.raises(Conflict, match="do not add up"):
        invoice_pdf_render(invoice=Invoice.objects.get(pk=invoice.pk))
    assert Invoice.objects.get(pk=invoice.pk).pdf_sha256 == ""
    assert InvoiceDocument.objects.count() == 0
