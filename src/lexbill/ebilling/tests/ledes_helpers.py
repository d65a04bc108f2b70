"""Givens for the LEDES writer tests: a real issued invoice, and a small independent reader of the written
file that checks the portals' arithmetic (the real reader/validator lives elsewhere)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from lark import Lark

from lexbill.billing.models import Invoice, PreBillStatus
from lexbill.billing.services.issue import invoice_issue
from lexbill.ebilling.ledes.spec import FIELDS_98BI, FIELDS_1998B
from lexbill.testing.billing import make_prebill

MARCH_2, MARCH_3 = date(2026, 3, 2), date(2026, 3, 3)
ISSUED_ON = date(2026, 4, 2)
NOW = datetime(2026, 4, 2, 14, 0, tzinfo=UTC)


def issued_invoice(firm, matter, partner, associate, *, adjust=None) -> Invoice:
    """RA 1.5 h x 500.00; JD 2.0 h x 300.00; courier 25.10 — issued on 2 April 2026."""
    firm.ledes_law_firm_id = "24-6437381"
    firm.save()
    matter.client_matter_id = "423-987"
    matter.save()
    prebill = make_prebill(firm, matter, status=PreBillStatus.APPROVED,
                           work=[(partner, MARCH_2, "1.5", "Draft motion to compel | reply [] \u2019urgent\u2019"),
                                 (associate, MARCH_3, "2.0", "Research on\nprivilege log")],
                           expenses=[(MARCH_3, "Courier to court", 2510, "1")])
    if adjust:
        adjust(prebill)
    return invoice_issue(prebill=prebill, actor=None, issued_on=ISSUED_ON, now=NOW)


@dataclass
class Parsed:
    first: str
    header: list[str]
    rows: list[dict[str, str]]


def parse(data: bytes) -> Parsed:
    """Split on the `[]` terminator, whatever the line breaks; every record must have the layout's width."""
    text = data.decode("ascii")
    records = [r.strip("\r\n") for r in text.split("[]")]
    assert records[-1] == "", "the file must end with a terminator"
    first, header, *lines = records[:-1]
    names = header.split("|")
    assert tuple(names) in (FIELDS_1998B, FIELDS_98BI)
    rows = []
    for line in lines:
        values = line.split("|")
        assert len(values) == len(names), f"{len(values)} fields in {line!r}"
        rows.append(dict(zip(names, values, strict=True)))
    return Parsed(first, names, rows)


def _num(text: str) -> Decimal:
    return Decimal(text) if text else Decimal(0)


def check_arithmetic(data: bytes) -> Decimal:
    """Assert every rule a portal checks on the numbers; return the invoice total as written."""
    parsed = parse(data)
    totals = {r["INVOICE_TOTAL"] for r in parsed.rows}
    assert len(totals) == 1, "INVOICE_TOTAL differs between lines"
    line_sum = Decimal(0)
    tax_sum = Decimal(0)
    for r in parsed.rows:
        tax = _num(r.get("LINE_ITEM_TAX_TOTAL", ""))
        expected = _num(r["LINE_ITEM_UNIT_COST"]) * _num(r["LINE_ITEM_NUMBER_OF_UNITS"]) \
            + _num(r["LINE_ITEM_ADJUSTMENT_AMOUNT"]) + tax
        assert expected == Decimal(r["LINE_ITEM_TOTAL"]), f"line {r['LINE_ITEM_NUMBER']}: {expected} != total"
        assert Decimal(r["LINE_ITEM_NUMBER_OF_UNITS"]) >= 0
        assert r["EXP/FEE/INV_ADJ_TYPE"] in ("F", "E", "IF", "IE")
        for value in r.values():
            assert value.isascii() and "\n" not in value and "\r" not in value
        line_sum += Decimal(r["LINE_ITEM_TOTAL"])
        tax_sum += tax
    total = Decimal(totals.pop())
    assert line_sum == total, f"sum of lines {line_sum} != INVOICE_TOTAL {total}"
    if "INVOICE_TAX_TOTAL" in parsed.header:
        row = parsed.rows[0]
        assert Decimal(row["INVOICE_TAX_TOTAL"]) == tax_sum
        assert Decimal(row["INVOICE_NET_TOTAL"]) == total - tax_sum
    assert len({r["LINE_ITEM_NUMBER"] for r in parsed.rows}) == len(parsed.rows)
    return total


_PARSER: Lark | None = None


def ledes_parser_accepts(data: bytes) -> None:
    """The PyPI package ledes-parser (1998B grammar only) parses the file without error."""
    global _PARSER
    if _PARSER is None:
        from ledes_parser import get_parser

        _PARSER = get_parser("LEDES98B")
    _PARSER.parse(data.decode("ascii"))
