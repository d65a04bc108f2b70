"""Givens for the LEDES writer tests: a real issued invoice, and checks of the written file through lexbill's
own reader and validator (and, independently, the PyPI ledes-parser grammar)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from lark import Lark

from lexbill.billing.models import Invoice, LineKind, PreBill, PreBillLine, PreBillStatus
from lexbill.billing.services.issue import invoice_issue
from lexbill.core.money import from_minor
from lexbill.ebilling.ledes.reader import read
from lexbill.ebilling.ledes.validator import validate
from lexbill.testing.billing import make_prebill
from lexbill.testing.settings_rows import set_firm_settings

MARCH_2, MARCH_3 = date(2026, 3, 2), date(2026, 3, 3)
ISSUED_ON = date(2026, 4, 2)
NOW = datetime(2026, 4, 2, 14, 0, tzinfo=UTC)


def issued_invoice(firm, matter, partner, associate, *, adjust=None) -> Invoice:
    """RA 1.5 h x 500.00; JD 2.0 h x 300.00; courier 25.10 — issued on 2 April 2026."""
    set_firm_settings(firm, ledes_law_firm_id="24-6437381")
    matter.client_matter_id = "423-987"
    matter.save()
    prebill = make_prebill(firm, matter, status=PreBillStatus.APPROVED,
                           work=[(partner, MARCH_2, "1.5", "Draft motion to compel | reply [] \u2019urgent\u2019"),
                                 (associate, MARCH_3, "2.0", "Research on\nprivilege log")],
                           expenses=[(MARCH_3, "Courier to court", 2510, "1")])
    if adjust:
        adjust(prebill)
    return invoice_issue(prebill=prebill, actor=None, issued_on=ISSUED_ON, now=NOW)


def written_down_and_issued(firm, matter, prebill: PreBill, *, downs: list[int], bill_adjustment: int) -> Invoice:
    """Write each fee line down by its amount (never below zero) and add a bill-level adjustment line, as a
    reviewer would, then issue: the shapes of invoice the property tests draw."""
    fees = list(prebill.lines.filter(kind=LineKind.FEE).order_by("position"))
    for line, down in zip(fees, downs, strict=True):
        down = max(down, -line.base_minor)
        PreBillLine.objects.filter(pk=line.pk).update(adjustment_minor=down, total_minor=line.base_minor + down)
    if bill_adjustment:
        PreBillLine.objects.create(firm=firm, prebill=prebill, position=99, kind=LineKind.ADJUSTMENT, matter=matter,
                                   on_date=date(2026, 3, 31), base_minor=0, adjustment_minor=bill_adjustment,
                                   total_minor=bill_adjustment, narrative="Courtesy discount")
    return invoice_issue(prebill=prebill, actor=None, issued_on=ISSUED_ON, now=NOW)


def ledes_rows(data: bytes) -> list[dict[str, str]]:
    """Every line item's fields by name, as lexbill's reader reads them."""
    return [line.raw for invoice in read(data).invoices for line in invoice.lines]


def check_arithmetic(data: bytes) -> Decimal:
    """lexbill's own validator (what a portal checks) finds no error in the file; return its invoice total."""
    errors = [f for f in validate(data) if f.severity == "error"]
    assert not errors, "\n".join(map(str, errors))
    assert data.isascii()
    (invoice,) = read(data).invoices
    assert invoice.total is not None
    return invoice.total


def assert_round_trip(invoice: Invoice, data: bytes, *, with_tax: bool) -> None:
    """Write -> read gives back the database's numbers to the cent: the total and every line's total."""
    (read_back,) = read(data).invoices
    assert read_back.number == invoice.number.replace(" ", "")
    assert read_back.total == from_minor(invoice.total_minor, invoice.currency)
    written = sorted(line.total for line in read_back.lines if line.total is not None)
    stored = sorted(from_minor(line.total_minor + (line.tax_minor if with_tax else 0), invoice.currency)
                    for line in invoice.lines.all())
    assert written == stored


_PARSER: Lark | None = None


def ledes_parser_accepts(data: bytes) -> None:
    """The PyPI package ledes-parser (1998B grammar only) parses the file without error."""
    global _PARSER
    if _PARSER is None:
        from ledes_parser import get_parser

        _PARSER = get_parser("LEDES98B")
    _PARSER.parse(data.decode("ascii"))
