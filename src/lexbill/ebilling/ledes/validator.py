"""Validate a LEDES 1998B / 98BI V2 file the way e-billing portals do: every problem, with line and field.

`validate(data)` never raises on bad input; it returns `Finding`s sorted by line. A file is valid when no
finding has severity "error". The rules and their codes are listed in docs/ledes.md.

A file that is not LEDES at all (a CSV, a PDF, a bank statement, an empty file) gets ONE finding,
`not_ledes`, saying why, instead of one finding per field of every line it does not have. A LEDES file
with a damaged first line (`LEDES1998BB[]`, a blank line 1 before the header) is still LEDES: its lines
are checked as usual.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from lexbill.codes.ledes_fields import LENGTHS as LEDES_LENGTHS
from lexbill.codes.loader import lookup

from .reader import DATE_FIELDS, NUMBER_FIELDS, RATE_FIELDS, Record, decode, parse_value, split_records
from .spec import (
    CLASSIFICATIONS_2014,
    CLASSIFICATIONS_OLD,
    DELIMITER,
    FIELDS_98BI,
    FORMAT_98BI,
    FORMAT_1998B,
    LAYOUTS,
    LINE_TYPES,
    TERMINATOR,
)

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    line: int
    field: str | None
    code: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = f"line {self.line}: {self.field}: " if self.field else f"line {self.line}: "
        kind = "warning: " if self.severity == WARNING else ""
        return f"{where}{kind}{self.message} [{self.code}]"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)


# Maximum lengths of the text fields (ledes-utbms.md §1.2 and §2.1), shared with the saves that check them.
# Numbers carry (integer digits, decimals).
LENGTHS = LEDES_LENGTHS
# 98BI lets LAW_FIRM_ID hold up to three identifiers separated by `~`.
LENGTHS_98BI_LAW_FIRM_ID = 62
INTEGER_DIGITS = {"INVOICE_TOTAL": 12, "INVOICE_TAX_TOTAL": 12, "INVOICE_NET_TOTAL": 12,
                  "INVOICE_REPORTED_TAX_TOTAL": 12}  # the others are 10.4
CURRENCY_FIELDS = ("INVOICE_CURRENCY", "INVOICE_TAX_CURRENCY")
# The LOC sample writes alpha-3 countries (GBR) but Brightflag asks for alpha-2: both are accepted.
COUNTRY_FIELDS = ("LAW_FIRM_COUNTRY", "CLIENT_COUNTRY")

REQUIRED_ALL = ("INVOICE_DATE", "INVOICE_NUMBER", "CLIENT_ID", "LAW_FIRM_MATTER_ID", "INVOICE_TOTAL",
                "BILLING_START_DATE", "BILLING_END_DATE", "LINE_ITEM_NUMBER", "EXP/FEE/INV_ADJ_TYPE",
                "LINE_ITEM_TOTAL", "LINE_ITEM_DATE", "LAW_FIRM_ID")
REQUIRED_98BI = ("INVOICE_TAX_TOTAL", "INVOICE_NET_TOTAL", "INVOICE_CURRENCY")
REQUIRED_BY_TYPE: dict[str, tuple[str, ...]] = {
    "F": ("LINE_ITEM_NUMBER_OF_UNITS", "LINE_ITEM_UNIT_COST", "TIMEKEEPER_ID", "TIMEKEEPER_NAME",
          "TIMEKEEPER_CLASSIFICATION", "LINE_ITEM_DESCRIPTION"),
    "E": ("LINE_ITEM_NUMBER_OF_UNITS", "LINE_ITEM_UNIT_COST"),
    "IF": (),
    "IE": (),
}
REQUIRED_BY_TYPE_98BI: dict[str, tuple[str, ...]] = {"F": ("TIMEKEEPER_LAST_NAME", "TIMEKEEPER_FIRST_NAME")}
# UTBMS codes are required only by clients that use UTBMS, so a missing one is a warning.
EXPECTED_CODES: dict[str, tuple[str, ...]] = {"F": ("LINE_ITEM_TASK_CODE", "LINE_ITEM_ACTIVITY_CODE"),
                                              "E": ("LINE_ITEM_EXPENSE_CODE",)}
CODE_FORMATS = {
    "LINE_ITEM_TASK_CODE": (re.compile(r"[A-Z]\d{3}"), "a UTBMS task code such as L110"),
    "LINE_ITEM_ACTIVITY_CODE": (re.compile(r"A\d{3}"), "a UTBMS activity code such as A101"),
    "LINE_ITEM_EXPENSE_CODE": (re.compile(r"[EX]\d{3}"), "a UTBMS expense code such as E101 or X100"),
}
CODE_FIELDS = {"LINE_ITEM_TASK_CODE": "task_code", "LINE_ITEM_ACTIVITY_CODE": "activity_code",
               "LINE_ITEM_EXPENSE_CODE": "expense_code"}
CLASSIFICATIONS = frozenset(CLASSIFICATIONS_OLD) | frozenset(CLASSIFICATIONS_2014)
# Invoice-level values repeated on every line: these must agree (a portal sums against them) ...
SAME_ON_EVERY_LINE = ("INVOICE_TOTAL", "INVOICE_TAX_TOTAL", "INVOICE_NET_TOTAL", "INVOICE_CURRENCY")
# ... these should (Brightflag requires it; the spec says the first one counts).
SHOULD_BE_SAME = ("BILLING_START_DATE", "BILLING_END_DATE", "INVOICE_DESCRIPTION")


class _Collector:
    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def add(self, line: int, field: str | None, code: str, message: str, severity: str = ERROR) -> None:
        self.findings.append(Finding(line, field, code, message, severity))


def validate(data: bytes | str) -> list[Finding]:
    """Every problem of a LEDES file, sorted by line; an empty list for a clean file. An XML file (its first
    character after a BOM and white space is `<`) is checked as LEDES XML 2.1."""
    from .xml21_reader import looks_like_xml

    if looks_like_xml(data):
        from .xml21_validator import validate_xml21

        return validate_xml21(data)
    reason = not_ledes_reason(data)
    if reason is not None:
        return [Finding(1, None, NOT_LEDES, f"not a LEDES file ({reason})")]
    out = _Collector()
    source = split_records(data)
    for number in source.blank_lines:
        out.add(number, None, "blank_line", "blank line between records", WARNING)
    if not source.records or (len(source.records) == 1 and not source.records[0].text.strip()):
        out.add(1, None, "empty_file", "the file is empty")
        return _sorted(out.findings)
    first, *rest = source.records
    header = rest[0] if rest else None
    fmt = _check_first_and_header(first, header, out)
    names = LAYOUTS[fmt]
    data_records = rest[1:]
    if not data_records:
        out.add(header.line if header else first.line, None, "no_line_items", "the file has no line items")
    rows: list[tuple[int, dict[str, str]]] = []
    for record in data_records:
        if not record.terminated:
            out.add(record.line, None, "terminator", "the line does not end with []")
        values = record.values
        if len(values) != len(names):
            out.add(record.line, None, "field_count",
                    f"{len(values)} fields, a {fmt} line has {len(names)}")
            continue
        raw = dict(zip(names, values, strict=True))
        _check_fields(record.line, raw, fmt, out)
        rows.append((record.line, raw))
    _check_invoices(rows, fmt, out)
    return _sorted(out.findings)


NOT_LEDES = "not_ledes"
# Magic numbers of the binary files people pick by mistake.
_BINARY_KINDS = ((b"%PDF-", "a PDF file"), (b"PK\x03\x04", "a ZIP archive (an XLSX or DOCX file?)"),
                 (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"))


def not_ledes_reason(data: bytes | str) -> str | None:
    """Why a (non-XML) file is not LEDES at all, or None when it is LEDES, even a broken one.

    LEDES: the first line starts with "LEDES" (LEDES1998B[], LEDES98BI V2[], or a misspelt one), or it is
    blank or missing and the file goes on with `|`-separated records ending in `[]` (a lost format line)."""
    if isinstance(data, bytes):
        for magic, kind in _BINARY_KINDS:
            if data.startswith(magic):
                return f"it is {kind}"
        if b"\x00" in data:
            return "it is binary, not text"
    text, _ = decode(data)
    lines = [line.strip() for line in text.lstrip("\ufeff").splitlines()]
    if not any(lines):
        return "the file is empty"
    first = lines[0]
    if first.upper().startswith("LEDES"):
        return None
    following = next((line for line in lines if line), "")
    if "|" in following and following.endswith(TERMINATOR):
        return None
    shown = following if len(following) <= 40 else following[:40] + "…"
    return f"its first line is {shown!r}, not LEDES1998B[], LEDES98BI V2[] or an XML 2.1 document"


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: f.line)


def _check_first_and_header(first: Record, header: Record | None, out: _Collector) -> str:
    """The file's format; when the first line is wrong, a guess from the header so the lines still get checked."""
    fmt = first.text if first.text in LAYOUTS else None
    if fmt is None or not first.terminated:
        out.add(first.line, None, "format_line",
                f"the first line must be exactly LEDES1998B[] or LEDES98BI V2[], not {first.text!r}"
                + ("" if first.terminated else " (no [])"))
    if header is None:
        out.add(first.line, None, "header", "the header line is missing")
        return fmt or FORMAT_1998B
    guess = fmt or (FORMAT_98BI if len(header.values) == len(FIELDS_98BI) else FORMAT_1998B)
    expected = LAYOUTS[guess]
    if not header.terminated:
        out.add(header.line, None, "terminator", "the header line does not end with []")
    if header.text != DELIMITER.join(expected):
        got = header.values
        if len(got) != len(expected):
            detail = f"{len(got)} names, {guess} has {len(expected)}"
        else:
            place = next(i for i, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b)
            detail = f"column {place + 1} is {got[place]!r}, expected {expected[place]!r}"
        out.add(header.line, None, "header", f"the header line is not the exact {guess} header: {detail}")
    return guess


def _check_fields(line: int, raw: dict[str, str], fmt: str, out: _Collector) -> None:
    kind = raw["EXP/FEE/INV_ADJ_TYPE"]
    required = set(REQUIRED_ALL)
    if fmt == FORMAT_98BI:
        required |= set(REQUIRED_98BI) | set(REQUIRED_BY_TYPE_98BI.get(kind, ()))
    required |= set(REQUIRED_BY_TYPE.get(kind, ()))
    for name, value in raw.items():
        if value == "":
            if name in required:
                why = f" on an {kind} line" if name in REQUIRED_BY_TYPE.get(kind, ()) else ""
                out.add(line, name, "required", f"{name} is required{why}")
            continue
        if not value.isascii():
            bad = next(c for c in value if not c.isascii())
            out.add(line, name, "non_ascii", f"non-ASCII character {bad!r} (U+{ord(bad):04X}); LEDES is ASCII",
                    WARNING)
        _check_format(line, name, value, fmt, out)
    if kind and kind not in LINE_TYPES:
        out.add(line, "EXP/FEE/INV_ADJ_TYPE", "line_type", f"{kind!r} is not F, E, IF or IE")
    for name in EXPECTED_CODES.get(kind, ()):
        if raw[name] == "":
            out.add(line, name, "code_missing", f"no UTBMS code on an {kind} line", WARNING)
    _check_dates(line, raw, out)


def _check_format(line: int, name: str, value: str, fmt: str, out: _Collector) -> None:
    if name in NUMBER_FIELDS or name in DATE_FIELDS or name in RATE_FIELDS:
        try:
            parsed = parse_value(name, value)
        except ValueError as exc:
            code = "date_format" if name in DATE_FIELDS else "number_format"
            out.add(line, name, code, str(exc))
            return
        if isinstance(parsed, Decimal):
            _check_number(line, name, value, parsed, out)
        return
    limit = LENGTHS.get(name)
    if name == "LAW_FIRM_ID" and fmt == FORMAT_98BI:
        limit = LENGTHS_98BI_LAW_FIRM_ID
    if limit is not None and len(value) > limit:
        out.add(line, name, "too_long", f"{len(value)} characters, at most {limit}")
    if name in CODE_FORMATS:
        for code, message, severity in code_problems(name, value):
            out.add(line, name, code, message, severity)
    elif name == "TIMEKEEPER_CLASSIFICATION" and value not in CLASSIFICATIONS:
        out.add(line, name, "classification",
                f"{value!r} is neither a LOC 2014 classification (PARTNR, ASSOC, ...) nor PT/AS/OC/LA/OT")
    elif name in CURRENCY_FIELDS and not re.fullmatch(r"[A-Z]{3}", value):
        out.add(line, name, "code_format", f"{value!r} is not a three-letter currency code")
    elif name in COUNTRY_FIELDS and not re.fullmatch(r"[A-Z]{2,3}", value):
        out.add(line, name, "code_format", f"{value!r} is not a two- or three-letter country code")
    elif name == "ACCOUNT_TYPE" and value not in ("O", "T"):
        out.add(line, name, "code_format", f"{value!r} is not O or T")


def code_problems(name: str, value: str) -> list[tuple[str, str, str]]:
    """(code, message, severity) of a UTBMS code in the field `name` (LINE_ITEM_TASK_CODE, ..._ACTIVITY_CODE or
    ..._EXPENSE_CODE); shared with the XML 2.1 validator."""
    pattern, what = CODE_FORMATS[name]
    if not pattern.fullmatch(value):
        return [("utbms_code", f"{value!r} is not {what}", ERROR)]
    # The right shape but in no set lexbill ships: a client's custom set may still take it, so only a warning.
    # The LOC 2013 revised expense codes (X...) are real but their list is not public, so they pass silently.
    if value.startswith("X"):
        return []
    found = lookup(value)
    if found is None:
        return [("unknown_code", f"{value} is in no known UTBMS code set", WARNING)]
    if found.field != CODE_FIELDS[name]:
        article = "an" if found.set_name[0] in "aeiou" else "a"
        return [("unknown_code", f"{value} is {article} {found.set_name} code, not one for this field", WARNING)]
    return []


def _check_number(line: int, name: str, value: str, number: Decimal, out: _Collector) -> None:
    if name == "LINE_ITEM_TAX_RATE":
        if number >= 1:
            out.add(line, name, "tax_rate", f"{value} is not a fraction below 1 (20% is 0.2)")
        return
    digits = len(value.lstrip("-").split(".")[0])
    limit = INTEGER_DIGITS.get(name, 10)
    if digits > limit:
        out.add(line, name, "too_long", f"{digits} integer digits, at most {limit}")
    if name == "LINE_ITEM_NUMBER_OF_UNITS" and number < 0:
        out.add(line, name, "negative_units", f"units must not be negative, got {value}")


def _check_dates(line: int, raw: dict[str, str], out: _Collector) -> None:
    start, end, day = (_date_or_none(raw[n]) for n in ("BILLING_START_DATE", "BILLING_END_DATE", "LINE_ITEM_DATE"))
    if start and end and start > end:
        out.add(line, "BILLING_END_DATE", "period_reversed", f"the billing period ends before it starts ({start} "
                                                             f"to {end})")
    elif start and end and day and not start <= day <= end:
        out.add(line, "LINE_ITEM_DATE", "date_outside_period",
                f"{day} is outside the billing period {start} to {end}", WARNING)


def _date_or_none(value: str) -> date | None:
    try:
        parsed = parse_value("LINE_ITEM_DATE", value)
    except ValueError:
        return None
    return parsed if isinstance(parsed, date) else None


def _num(raw: dict[str, str], name: str) -> Decimal | None:
    """The number, or None when absent or unreadable (its format finding is already reported)."""
    if name not in raw:
        return None
    try:
        parsed = parse_value(name, raw[name])
    except ValueError:
        return None
    return parsed if isinstance(parsed, Decimal) else None


def _line_total_check(line: int, raw: dict[str, str], fmt: str, out: _Collector) -> None:
    total = _num(raw, "LINE_ITEM_TOTAL")
    readable = all(raw[n] == "" or _num(raw, n) is not None for n in
                   ("LINE_ITEM_UNIT_COST", "LINE_ITEM_NUMBER_OF_UNITS", "LINE_ITEM_ADJUSTMENT_AMOUNT"))
    if total is None or not readable:
        return
    zero = Decimal(0)
    cost = _num(raw, "LINE_ITEM_UNIT_COST") or zero
    units = _num(raw, "LINE_ITEM_NUMBER_OF_UNITS") or zero
    adjustment = _num(raw, "LINE_ITEM_ADJUSTMENT_AMOUNT") or zero
    expected = cost * units + adjustment
    formula = f"{_show(cost)} x {_show(units)} + {_show(adjustment)}"
    if fmt == FORMAT_98BI:
        if raw["LINE_ITEM_TAX_TOTAL"] != "" and _num(raw, "LINE_ITEM_TAX_TOTAL") is None:
            return
        tax = _num(raw, "LINE_ITEM_TAX_TOTAL") or zero
        expected += tax
        formula += f" + tax {_show(tax)}"
    if expected != total:
        out.add(line, "LINE_ITEM_TOTAL", "line_total", f"{_show(total)} but {formula} = {_show(expected)}")


def _show(number: Decimal) -> str:
    return format(number.normalize(), "f") if number == number.to_integral_value() else format(number, "f")


def _check_invoices(rows: list[tuple[int, dict[str, str]]], fmt: str, out: _Collector) -> None:
    invoices: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, raw in rows:
        _line_total_check(line, raw, fmt, out)
        if raw["INVOICE_NUMBER"]:
            invoices.setdefault(raw["INVOICE_NUMBER"], []).append((line, raw))
    for number, lines in invoices.items():
        first_line, first = lines[0]
        seen: dict[str, int] = {}
        for line, raw in lines:
            if raw["INVOICE_DATE"] != first["INVOICE_DATE"]:
                out.add(line, "INVOICE_DATE", "invoice_date_differs",
                        f"invoice {number} is dated {first['INVOICE_DATE']} on line {first_line}, here "
                        f"{raw['INVOICE_DATE']}")
            for name in SAME_ON_EVERY_LINE:
                if name in raw and raw[name] != first[name] and (
                        name not in NUMBER_FIELDS or _num(raw, name) != _num(first, name)):
                    out.add(line, name, "invoice_value_differs",
                            f"{raw[name]!r} here, {first[name]!r} on line {first_line} of invoice {number}")
            for name in SHOULD_BE_SAME:
                if raw[name] != first[name]:
                    out.add(line, name, "invoice_value_varies",
                            f"{raw[name]!r} here, {first[name]!r} on line {first_line} of invoice {number}", WARNING)
            item = raw["LINE_ITEM_NUMBER"]
            if item in seen:
                out.add(line, "LINE_ITEM_NUMBER", "duplicate_line_number",
                        f"line item {item} of invoice {number} already appears on line {seen[item]}")
            else:
                seen[item] = line
        _invoice_sums(number, lines, fmt, out)


def _invoice_sums(number: str, lines: list[tuple[int, dict[str, str]]], fmt: str, out: _Collector) -> None:
    first_line, first = lines[0]
    totals = [_num(raw, "LINE_ITEM_TOTAL") for _, raw in lines]
    declared = _num(first, "INVOICE_TOTAL")
    if declared is not None and None not in totals:
        summed = sum((t for t in totals if t is not None), Decimal(0))
        if summed != declared:
            out.add(first_line, "INVOICE_TOTAL", "invoice_total",
                    f"invoice {number}: INVOICE_TOTAL {_show(declared)} but its {len(lines)} line totals sum to "
                    f"{_show(summed)}")
    if fmt != FORMAT_98BI:
        return
    taxes = [_num(raw, "LINE_ITEM_TAX_TOTAL") if raw["LINE_ITEM_TAX_TOTAL"] else Decimal(0) for _, raw in lines]
    tax_total = _num(first, "INVOICE_TAX_TOTAL")
    if tax_total is not None and None not in taxes:
        summed_tax = sum((t for t in taxes if t is not None), Decimal(0))
        if summed_tax != tax_total:
            out.add(first_line, "INVOICE_TAX_TOTAL", "invoice_tax_total",
                    f"invoice {number}: INVOICE_TAX_TOTAL {_show(tax_total)} but the line taxes sum to "
                    f"{_show(summed_tax)}")
    net = _num(first, "INVOICE_NET_TOTAL")
    if net is not None and declared is not None and tax_total is not None and net != declared - tax_total:
        out.add(first_line, "INVOICE_NET_TOTAL", "invoice_net_total",
                f"invoice {number}: INVOICE_NET_TOTAL {_show(net)} but INVOICE_TOTAL - INVOICE_TAX_TOTAL = "
                f"{_show(declared - tax_total)}")
