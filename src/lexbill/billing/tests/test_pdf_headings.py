"""No orphaned headings: a section heading (timekeeper summary, expenses, ...) is never the last thing on a
page, nor followed there by its table's column headings alone (issue #9, "Client documents read cleanly").

The invoices are built straight from the PDF context (no database): 14 and 17 lines of fees are the lengths
at which the expenses and the timekeeper summary headings used to fall at the foot of page 1; grouped by
phase, 19 and 33 lines left a phase heading there.
"""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from decimal import Decimal

import pytest

from lexbill.billing.pdf.context import PdfLine, build_context
from lexbill.billing.pdf.render import render_pdf
from lexbill.billing.snapshot import FrozenMatter, FrozenParty

from .pdf_builders import pdf_pages

HEADINGS = ("Professional services", "Timekeeper summary", "Expenses", "Adjustments", "Summary",
            "Payment instructions")
COLUMNS = ("Timekeeper Class Hours Rate Amount", "Date Code Description Qty Unit cost Amount",
           "Date TK Description Hours Rate Amount", "Date Description Amount")
NARRATIVE = ("Review and analyze opposing counsel's responses to the first set of interrogatories "
             "and draft deficiency letter")


PHASE_CODES = ("L110", "L210", "L310", "L410")


def _fee(i: int, task_code: str = "") -> PdfLine:
    partner = i % 2 == 0
    amount = 75000 if partner else 45000
    return PdfLine("fee", "ACME-001", date(2026, 3, 1) + timedelta(days=i % 28),
                   "Robert Arnsley" if partner else "Jane Doe", "RA" if partner else "JD", "PT" if partner else "AS",
                   Decimal("1.5"), 50000 if partner else 30000, None, None, amount, 0, amount, NARRATIVE, task_code,
                   "", "", False)


def _expense() -> PdfLine:
    return PdfLine("expense", "ACME-001", date(2026, 3, 5), "", "", "", None, None, Decimal(1), 2510, 2510, 0, 2510,
                   "Courier to court", "", "", "E107", False)


def long_invoice(fees: int, expenses: int, *, group_by: str = "date") -> bytes:
    """By phase, the fees fall in four phases of (nearly) equal size."""
    codes = [PHASE_CODES[i * 4 // fees] if group_by == "phase" else "" for i in range(fees)]
    lines = [_fee(i, code) for i, code in enumerate(codes)] + [_expense() for _ in range(expenses)]
    header = {"title": "Invoice", "number_label": "Invoice no.", "number": "2026-00100", "issued_on": "April 2, 2026",
              "due_on": "May 2, 2026", "total_label": "Total due", "period": "", "credits": "", "reason": "",
              "split": ""}
    firm = FrozenParty("Arnsley & Partners LLP", "100 Federal Street", "", "Boston", "MA", "02110", "US")
    client = FrozenParty("Acme Corp", "1 Acme Way", "", "Springfield", "IL", "62701", "US")
    context = build_context(
        firm=firm, client=client, matter=None, currency="USD", lines=lines,
        matters={"ACME-001": FrozenMatter("ACME-001", "Acme v. Widget Co.", "")}, group_by=group_by, header=header,
        taxes=[], tax_minor=0, total_minor=sum(line.total_minor for line in lines), is_draft=False,
        payment_instructions="Pay by wire to Harbor Trust Bank.\nPlease quote the invoice number.")
    return render_pdf(context, on=date(2026, 4, 2))


def page_rows(pdf: bytes, page: int) -> list[str]:
    """The page's text rows (pdftotext -f N -l N), whitespace collapsed, without the running footer."""
    text = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()
    rows = [" ".join(row.split()) for row in text.splitlines() if row.strip()]
    return [row for row in rows if not row.startswith("Arnsley & Partners LLP Invoice 2026-00100 Page")]


@pytest.mark.parametrize(("fees", "expenses", "heading"), [(14, 3, "Expenses"), (17, 3, "Timekeeper summary")])
def test_a_section_heading_is_never_the_last_thing_on_a_page(fees, expenses, heading):
    # Given an invoice long enough that the heading reaches the foot of page 1
    pdf = long_invoice(fees, expenses)
    pages = pdf_pages(pdf)
    assert pages == 2
    # Then on every page, the last rows are not a heading (alone, or with its table's column headings only)
    for page in range(1, pages + 1):
        rows = page_rows(pdf, page)
        tail = rows[-2:] if rows[-1] in COLUMNS else rows[-1:]
        assert tail[0] not in HEADINGS, (page, rows[-3:])
    # And the heading opens page 2 with its table under it
    second = page_rows(pdf, 2)
    at = second.index(heading)
    assert second[at + 1] in COLUMNS and len(second) > at + 2


@pytest.mark.parametrize("fees", [19, 33])
def test_a_phase_heading_is_never_the_last_row_on_a_page(fees):
    pdf = long_invoice(fees, 0, group_by="phase")
    headings = ("L100 ", "L200 ", "L300 ", "L400 ")
    for page in range(1, pdf_pages(pdf) + 1):
        rows = page_rows(pdf, page)
        assert not rows[-1].startswith(headings), (page, rows[-3:])
    # Every phase heading is still there, once, each followed by a line of its phase
    text = [row for page in range(1, pdf_pages(pdf) + 1) for row in page_rows(pdf, page)]
    found = [row for row in text if row.startswith(headings)]
    assert found == ["L100 Case Assessment, Development and Administration", "L200 Pre-Trial Pleadings and Motions",
                     "L300 Discovery", "L400 Trial Preparation and Trial"]
