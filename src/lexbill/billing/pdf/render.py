"""Render invoice and pro forma PDFs with Typst, in-process (ADR 0003).

Deterministic: the same data gives the same bytes. Only the fonts built into the typst package are used
(system fonts are ignored, so another machine's fonts cannot change the document), and the document date
is fixed by the caller (an invoice's issue date), never the clock. That is what lets an invoice's
`pdf_sha256` be re-checked later (invariant 2).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from functools import cache
from importlib import resources
from typing import Any

import typst

from lexbill.billing.models import Invoice, PreBill

from .context import invoice_context, prebill_context

# Currencies of firms that print on US Letter; everyone else gets A4.
_LETTER_CURRENCIES = {"USD", "CAD"}


@cache
def template_bytes() -> bytes:
    return resources.files(__package__).joinpath("invoice.typ").read_bytes()


def render_pdf(data: dict[str, Any], *, on: date) -> bytes:
    """Compile the invoice template over `data`, dated `on` (midnight UTC)."""
    paper = "us-letter" if data.get("currency") in _LETTER_CURRENCIES else "a4"
    stamp = datetime.combine(on, time(0), tzinfo=UTC)
    # A fresh compile with the template bytes every time: in typst 0.15.2 a Compiler built from bytes
    # fails on its second compile().
    pdf = typst.compile(
        template_bytes(),
        sys_inputs={"data": json.dumps(data, sort_keys=True), "paper": paper},
        ignore_system_fonts=True,
        timestamp=stamp,
    )
    assert isinstance(pdf, bytes)
    return pdf


def render_invoice(invoice: Invoice) -> bytes:
    return render_pdf(invoice_context(invoice), on=invoice.issued_on)


def render_prebill(prebill: PreBill) -> bytes:
    """The DRAFT-watermarked pro forma, dated at the end of its billing period."""
    return render_pdf(prebill_context(prebill), on=prebill.period_end)
