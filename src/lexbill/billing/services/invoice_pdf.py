"""The invoice PDF as a record (invariant 2): rendered once from the issued snapshot, its bytes kept.

The first download renders the PDF from the invoice's frozen rows and snapshot only (billing/snapshot.py)
and stores the bytes with their SHA-256 in an append-only InvoiceDocument row; `Invoice.pdf_sha256` records
the same hash. Every later download returns the stored bytes, checked against their hash: what the client
received is what anyone downloads later, whatever changes to the firm, the client, a matter, a timekeeper,
the template or the fonts. Rendering is lazy (not at issue) because issuing must stay fast in bulk; since
it reads frozen data only, when it happens does not change what it shows.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError
from django.utils import timezone

from lexbill.access import enforce
from lexbill.billing.models import DocumentKind, Invoice, InvoiceDocument
from lexbill.billing.pdf.render import render_invoice
from lexbill.core.audit import audit_record
from lexbill.core.errors import Conflict
from lexbill.core.transactions import service_transaction


def _stored(invoice: Invoice) -> bytes | None:
    """The stored PDF's bytes, refused if they no longer match their recorded hash."""
    doc = InvoiceDocument.objects.filter(invoice_id=invoice.pk, kind=DocumentKind.PDF).first()
    if doc is None:
        return None
    content = bytes(doc.content)
    if hashlib.sha256(content).hexdigest() != doc.sha256 or (invoice.pdf_sha256 and invoice.pdf_sha256 != doc.sha256):
        raise Conflict(f"the stored PDF of invoice {invoice.number} does not match its recorded sha256")
    return content


def invoice_pdf_render(*, invoice: Invoice, actor: User | None = None, now: datetime | None = None) -> bytes:
    """The invoice's PDF bytes: the stored ones, or (first time) rendered from the snapshot and stored."""
    enforce(actor, invoice.firm_id, "invoices.view", invoice)
    stored = _stored(invoice)
    if stored is not None:
        return stored
    # Rendering reads only frozen rows, so it runs before the lock and keeps the lock short.
    pdf = render_invoice(invoice)
    digest = hashlib.sha256(pdf).hexdigest()
    try:
        with service_transaction():
            locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
            stored = _stored(locked)  # another download stored it while this one rendered
            if stored is not None:
                return stored
            if locked.pdf_sha256 and locked.pdf_sha256 != digest:
                # An invoice whose hash was recorded before its bytes were kept (before snapshots existed):
                # if today's rendering differs, the issued PDF is lost, and a different one is never passed off.
                raise Conflict(f"the PDF of invoice {locked.number} no longer matches the one issued "
                               f"(sha256 {locked.pdf_sha256[:12]}..., now {digest[:12]}...)")
            InvoiceDocument.objects.create(firm_id=locked.firm_id, invoice=locked, kind=DocumentKind.PDF,
                                           content=pdf, sha256=digest, created_at=now or timezone.now())
            if not locked.pdf_sha256:
                locked.pdf_sha256 = digest
                locked.save(update_fields=["pdf_sha256"])
                audit_record(firm=locked.firm, actor=actor, action="invoice.pdf_recorded", instance=locked,
                             before={"pdf_sha256": ""}, after={"pdf_sha256": digest})
    except IntegrityError:
        # Two first downloads raced on SQLite (no row lock there): the other one's bytes are the record.
        stored = _stored(Invoice.objects.get(pk=invoice.pk))
        if stored is None:
            raise
        return stored
    invoice.pdf_sha256 = digest
    return pdf
