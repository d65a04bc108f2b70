"""The ZIP of a bulk download: each invoice's stored PDF, byte for byte, named by its number; the LEDES file of
each invoice whose client takes LEDES; and a manifest (CSV) naming every file with its invoice, client, total
and SHA-256, so whoever unpacks it can check that nothing was changed on the way.

LEDES writers live in `ebilling`, which sits above billing; it registers a provider in LEDES_FILES when the
app is ready (as it registers its snapshot extras), so billing imports nothing of ebilling.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

from lexbill.billing.models import DocumentKind, Invoice, InvoiceDocument
from lexbill.billing.models_bulk import BulkItemStatus, BulkJob, BulkJobItem
from lexbill.core.money import amount_text

# invoice -> [(file name, bytes)] of its LEDES files (none when the client takes no LEDES).
LEDES_FILES: list[Callable[[Invoice], list[tuple[str, bytes]]]] = []

MANIFEST = "manifest.csv"


def safe_name(number: str) -> str:
    # A number format may contain "/" or spaces ("INV/2026/7"): keep file names portable.
    return re.sub(r"[^A-Za-z0-9._-]+", "-", number).strip("-")


def pdf_name(invoice: Invoice) -> str:
    return f"{safe_name(invoice.number) or invoice.pk}.pdf"


def ledes_files(invoice: Invoice) -> list[tuple[str, bytes]]:
    return [file for provider in LEDES_FILES for file in provider(invoice)]


def bulk_zip_build(*, job: BulkJob, actor: Any = None) -> tuple[bytes, str]:
    """The ZIP's bytes and SHA-256, from the job's items that are done, in the job's order."""
    ids = list(BulkJobItem.objects.filter(job=job, status=BulkItemStatus.DONE).order_by("position")
               .values_list("target_id", flat=True))
    invoices = {i.pk: i for i in Invoice.objects.select_related("client", "firm").filter(pk__in=ids)}
    pdfs = {d.invoice_id: bytes(d.content) for d in InvoiceDocument.objects.filter(invoice_id__in=ids,
                                                                                   kind=DocumentKind.PDF)}
    manifest = io.StringIO()
    rows = csv.writer(manifest, lineterminator="\n")
    rows.writerow(["file", "number", "client", "total", "currency", "sha256"])
    buffer = io.BytesIO()
    stamp = job.created_at.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for pk in ids:
            invoice = invoices[pk]
            total = amount_text(invoice.total_minor, invoice.currency)
            files = [(pdf_name(invoice), pdfs[pk]), *ledes_files(invoice)]
            for name, content in files:
                archive.writestr(zipfile.ZipInfo(name, date_time=stamp), content)
                rows.writerow([name, invoice.number, invoice.client.code, total, invoice.currency,
                               hashlib.sha256(content).hexdigest()])
        archive.writestr(zipfile.ZipInfo(MANIFEST, date_time=stamp), manifest.getvalue().encode())
    content = buffer.getvalue()
    return content, hashlib.sha256(content).hexdigest()
