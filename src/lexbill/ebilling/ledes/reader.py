"""Read LEDES 1998B and 98BI V2 files into typed records (see docs/ledes.md, "Reading and validating").

Files come from other people's software, so the reader is liberal about what only transport changes
(CRLF, LF or no line break at all, UTF-8 or Latin-1/cp1252, 0-4 decimals, a trailing dot in `1250.`) and
strict about what changes meaning (the first line, the header, the field count, unparsable values).
`read()` raises `LedesReadError` on the latter; `validator.validate()` reports every problem instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from lexbill.core.errors import ValidationFailed

from .spec import DELIMITER, FORMAT_98BI, LAYOUTS, TERMINATOR

NUMBER_RE = re.compile(r"-?\d+(\.\d{0,4})?")
RATE_RE = re.compile(r"\d+(\.\d{0,10})?")
DATE_RE = re.compile(r"\d{8}")
# The records have a field called `date`, which would shadow the type inside their class bodies.
Day = date


class LedesReadError(ValidationFailed):
    code = "ledes_unreadable"


@dataclass(frozen=True)
class Record:
    """One `[]`-terminated record; `line` is the 1-based physical line of the file it starts on."""

    line: int
    text: str
    terminated: bool

    @property
    def values(self) -> list[str]:
        return self.text.split(DELIMITER)


@dataclass(frozen=True)
class Source:
    text: str
    encoding: str
    records: list[Record]
    blank_lines: list[int]


def decode(data: bytes | str) -> tuple[str, str]:
    """Text and the encoding it was read with. UTF-8 first (it fails loudly on anything else), then cp1252
    (what Windows "ANSI" means), then Latin-1, which accepts every byte."""
    if isinstance(data, str):
        return data, "text"
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def split_records(data: bytes | str) -> Source:
    """Cut the file into records at `[]`, remembering the physical line each starts on.

    Line 1 is kept even when blank (a missing format line must be reported, not skipped); other lines
    holding only whitespace are skipped and listed, like the `" \\r\\n"` that ends the pre-2014 sample.
    """
    text, encoding = decode(data)
    records: list[Record] = []
    blank: list[int] = []
    for number, physical in enumerate(text.splitlines(), start=1):
        if not physical.strip() and number > 1:
            blank.append(number)
            continue
        parts = physical.split(TERMINATOR)
        for part in parts[:-1]:
            records.append(Record(number, part, True))
        rest = parts[-1]
        if rest.strip() or (number == 1 and len(parts) == 1):
            records.append(Record(number, rest, False))
    # Blank lines at the very end are harmless padding; only the ones between records are worth a word.
    last = records[-1].line if records else 0
    return Source(text, encoding, records, [n for n in blank if n < last])


def parse_number(value: str) -> Decimal | None:
    """`-?digits(.digits{0,4})?`, trailing dot allowed; empty means absent. ValueError otherwise."""
    if value == "":
        return None
    if not NUMBER_RE.fullmatch(value):
        raise ValueError(f"{value!r} is not a number (digits, optional leading -, at most 4 decimals)")
    return Decimal(value.rstrip(".") or "0")


def parse_rate(value: str) -> Decimal | None:
    if value == "":
        return None
    if not RATE_RE.fullmatch(value):
        raise ValueError(f"{value!r} is not a tax rate (a decimal fraction such as 0.2)")
    return Decimal(value.rstrip("."))


def parse_date(value: str) -> date | None:
    if value == "":
        return None
    if not DATE_RE.fullmatch(value):
        raise ValueError(f"{value!r} is not a date in YYYYMMDD")
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise ValueError(f"{value!r} is not a real calendar date") from None


@dataclass
class LineItem:
    line: int
    raw: dict[str, str]
    number: str
    type: str
    units: Decimal | None
    adjustment: Decimal | None
    total: Decimal | None
    unit_cost: Decimal | None
    date: Day | None
    task_code: str
    expense_code: str
    activity_code: str
    timekeeper_id: str
    timekeeper_name: str
    timekeeper_classification: str
    description: str
    tax_rate: Decimal | None = None
    tax_total: Decimal | None = None


@dataclass
class Invoice:
    """Invoice-level values come from the invoice's first line: the spec says only the first counts."""

    number: str
    date: Day | None
    client_id: str
    matter_id: str
    total: Decimal | None
    billing_start: Day | None
    billing_end: Day | None
    description: str
    law_firm_id: str
    client_matter_id: str
    tax_total: Decimal | None = None
    net_total: Decimal | None = None
    currency: str = ""
    lines: list[LineItem] = field(default_factory=list)


@dataclass
class LedesFile:
    format: str
    encoding: str
    invoices: list[Invoice]


NUMBER_FIELDS = frozenset({
    "INVOICE_TOTAL", "LINE_ITEM_NUMBER_OF_UNITS", "LINE_ITEM_ADJUSTMENT_AMOUNT", "LINE_ITEM_TOTAL",
    "LINE_ITEM_UNIT_COST", "INVOICE_TAX_TOTAL", "INVOICE_NET_TOTAL", "LINE_ITEM_TAX_TOTAL",
    "INVOICE_REPORTED_TAX_TOTAL",
})
DATE_FIELDS = frozenset({"INVOICE_DATE", "BILLING_START_DATE", "BILLING_END_DATE", "LINE_ITEM_DATE"})
RATE_FIELDS = frozenset({"LINE_ITEM_TAX_RATE"})


def parse_value(name: str, value: str) -> Decimal | date | None:
    if name in NUMBER_FIELDS:
        return parse_number(value)
    if name in DATE_FIELDS:
        return parse_date(value)
    if name in RATE_FIELDS:
        return parse_rate(value)
    raise KeyError(name)


def format_of(first: str) -> str | None:
    return first if first in LAYOUTS else None


def read(data: bytes | str) -> LedesFile:
    """Typed invoices of a LEDES file. Arithmetic is not checked here (see `validator.validate`)."""
    source = split_records(data)
    if not source.records:
        raise LedesReadError("line 1: the file is empty")
    first, *rest = source.records
    fmt = format_of(first.text)
    if fmt is None or not first.terminated:
        raise LedesReadError(f"line {first.line}: the first line must be LEDES1998B[] or LEDES98BI V2[], "
                             f"not {first.text!r}")
    names = LAYOUTS[fmt]
    if not rest or rest[0].text != DELIMITER.join(names):
        raise LedesReadError(f"line {rest[0].line if rest else 2}: the header line is not the {fmt} header")
    invoices: dict[str, Invoice] = {}
    for record in rest[1:]:
        values = record.values
        if len(values) != len(names):
            raise LedesReadError(f"line {record.line}: {len(values)} fields, expected {len(names)}")
        raw = dict(zip(names, values, strict=True))
        try:
            item, invoice = _typed(record.line, raw, fmt)
        except ValueError as exc:
            raise LedesReadError(f"line {record.line}: {exc}") from None
        invoices.setdefault(invoice.number, invoice).lines.append(item)
    return LedesFile(fmt, source.encoding, list(invoices.values()))


def _typed(line: int, raw: dict[str, str], fmt: str) -> tuple[LineItem, Invoice]:
    def num(name: str) -> Decimal | None:
        try:
            return parse_number(raw[name])
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None

    def day(name: str) -> date | None:
        try:
            return parse_date(raw[name])
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None

    item = LineItem(
        line=line, raw=raw, number=raw["LINE_ITEM_NUMBER"], type=raw["EXP/FEE/INV_ADJ_TYPE"],
        units=num("LINE_ITEM_NUMBER_OF_UNITS"), adjustment=num("LINE_ITEM_ADJUSTMENT_AMOUNT"),
        total=num("LINE_ITEM_TOTAL"), unit_cost=num("LINE_ITEM_UNIT_COST"), date=day("LINE_ITEM_DATE"),
        task_code=raw["LINE_ITEM_TASK_CODE"], expense_code=raw["LINE_ITEM_EXPENSE_CODE"],
        activity_code=raw["LINE_ITEM_ACTIVITY_CODE"], timekeeper_id=raw["TIMEKEEPER_ID"],
        timekeeper_name=raw["TIMEKEEPER_NAME"], timekeeper_classification=raw["TIMEKEEPER_CLASSIFICATION"],
        description=raw["LINE_ITEM_DESCRIPTION"],
    )
    invoice = Invoice(
        number=raw["INVOICE_NUMBER"], date=day("INVOICE_DATE"), client_id=raw["CLIENT_ID"],
        matter_id=raw["LAW_FIRM_MATTER_ID"], total=num("INVOICE_TOTAL"), billing_start=day("BILLING_START_DATE"),
        billing_end=day("BILLING_END_DATE"), description=raw["INVOICE_DESCRIPTION"],
        law_firm_id=raw["LAW_FIRM_ID"], client_matter_id=raw["CLIENT_MATTER_ID"],
    )
    if fmt == FORMAT_98BI:
        try:
            item.tax_rate = parse_rate(raw["LINE_ITEM_TAX_RATE"])
        except ValueError as exc:
            raise ValueError(f"LINE_ITEM_TAX_RATE: {exc}") from None
        item.tax_total = num("LINE_ITEM_TAX_TOTAL")
        invoice.tax_total = num("INVOICE_TAX_TOTAL")
        invoice.net_total = num("INVOICE_NET_TOTAL")
        invoice.currency = raw["INVOICE_CURRENCY"]
    return item, invoice
