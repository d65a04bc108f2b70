"""The LEDES file of an invoice for billing's bulk ZIP (billing/services/bulk_zip.py): written as the invoice
page's LEDES download writes it, in the client's format and profile, for clients that take LEDES."""

from __future__ import annotations

from lexbill.billing.models import Invoice, InvoiceKind
from lexbill.ebilling.ledes.document import invoice_document
from lexbill.ebilling.ledes.profiles import profile_get
from lexbill.ebilling.ledes.writer import WRITERS, file_name
from lexbill.ebilling.models import client_ebilling_settings
from lexbill.ebilling.services import format_name


def takes_ledes(invoice: Invoice) -> bool:
    """A client that asked for LEDES files or bills through an e-billing portal."""
    settings = client_ebilling_settings(invoice.client)
    return invoice.kind == InvoiceKind.INVOICE and (settings.wants_ledes or bool(settings.ebilling_portal))


def ledes_files(invoice: Invoice) -> list[tuple[str, bytes]]:
    if not takes_ledes(invoice):
        return []
    settings = client_ebilling_settings(invoice.client)
    fmt = format_name(settings.ledes_format or "1998B")
    data = WRITERS[fmt](invoice_document(invoice), profile_get(settings.ledes_profile))
    content = data if isinstance(data, bytes) else data.encode()
    return [(file_name(invoice.number, fmt), content)]


def register() -> None:
    from lexbill.billing.services.bulk_zip import LEDES_FILES

    if ledes_files not in LEDES_FILES:
        LEDES_FILES.append(ledes_files)
