"""The invoice PDF as a record: rendered deterministically, its SHA-256 kept on the invoice (invariant 2).

The first rendering records the hash; every later rendering must give the same bytes, or it is refused:
an issued invoice's document never silently changes (a new template, font or formatting rule that would
alter an issued invoice's PDF shows up here instead of reaching a client).
"""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import User
from django.db import transaction

from lexbill.access import enforce
from lexbill.billing.models import Invoice
from lexbill.billing.pdf.render import render_invoice
from lexbill.core.audit import audit_record
from lexbill.core.errors import Conflict


def invoice_pdf_render(*, invoice: Invoice, actor: User | None = None) -> bytes:
    """The invoice's PDF bytes; records `pdf_sha256` the first time, checks it every time after."""
    enforce(actor, invoice.firm_id, "invoices.view", invoice)
    # Rendering reads only frozen rows, so it runs before the lock and keeps the lock short.
    pdf = render_invoice(invoice)
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if locked.pdf_sha256 and locked.pdf_sha256 != digest:
            raise Conflict(f"the PDF of invoice {locked.number} no longer matches the one issued "
                           f"(sha256 {locked.pdf_sha256[:12]}..., now {digest[:12]}...)")
        if not locked.pdf_sha256:
            locked.pdf_sha256 = digest
            locked.save(update_fields=["pdf_sha256"])
            audit_record(firm=locked.firm, actor=actor, action="invoice.pdf_recorded", instance=locked,
                         before={"pdf_sha256": ""}, after={"pdf_sha256": digest})
    invoice.pdf_sha256 = digest
    return pdf
