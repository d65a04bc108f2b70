"""LEDES 1998B and 98BI V2 writers: pure functions from an InvoiceDoc to the file's bytes.

Every number written satisfies the portals' arithmetic exactly (UNIT_COST x UNITS + ADJUSTMENT [+ TAX] =
LINE_ITEM_TOTAL; INVOICE_TOTAL = sum of LINE_ITEM_TOTAL, repeated on every line). Our line total is
round_half_up(hours x rate) + write-down; the sub-cent rounding remainder goes into the line's ADJUSTMENT,
as the reference recommends, so ADJUSTMENT may carry up to 4 decimals.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from lexbill.billing.models import LineKind
from lexbill.codes.ledes_fields import LENGTHS
from lexbill.core.countries import alpha3
from lexbill.core.errors import ValidationFailed
from lexbill.core.money import currency_exponent

from .document import InvoiceDoc, LineDoc, Party
from .formats import MEDIA
from .profiles import DEFAULT_PROFILE, LedesProfile
from .spec import DELIMITER, FIELDS_98BI, FIELDS_1998B, FORMAT_98BI, FORMAT_1998B, OLD_TO_2014, TERMINATOR

_PUNCTUATION = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                              "\u2014": "-", "\u00a0": " ", "\u00df": "ss", "\u00e6": "ae", "\u00c6": "AE",
                              "\u00f8": "o", "\u00d8": "O", "\u0142": "l", "\u0141": "L"})
_MAX_DECIMALS = 4



def clean(value: str) -> str:
    """A value safe inside a LEDES field: ASCII only, no delimiter, no terminator, no line breaks."""
    text = unicodedata.normalize("NFKD", value.translate(_PUNCTUATION))
    text = text.encode("ascii", "ignore").decode("ascii")
    text = text.replace(DELIMITER, "/").replace(TERMINATOR, "()")
    return re.sub(r"\s+", " ", text).strip()


def ident(value: str) -> str:
    """An identifier (invoice, client, matter ids): cleaned and without spaces, which strict LEDES readers
    (ledes-parser's grammar) refuse inside ids; e.g. a client matter id "PO 4500320312" -> "PO4500320312"."""
    return re.sub(r"\s+", "", clean(value))


def _date(value: date) -> str:
    return value.strftime("%Y%m%d")


def _major(minor: int | Decimal, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-currency_exponent(currency))


def money(value: Decimal, currency: str) -> str:
    """At least 2 decimals (more only when the currency has them or a remainder needs them), at most 4."""
    places = max(2, currency_exponent(currency))
    exponent = value.normalize().as_tuple().exponent
    decimals = max(places, -exponent) if isinstance(exponent, int) else places
    if decimals > _MAX_DECIMALS:
        raise ValidationFailed(f"{value} needs more than {_MAX_DECIMALS} decimals in a LEDES file")
    return f"{value.quantize(Decimal(1).scaleb(-decimals)):f}"


def units(value: Decimal) -> str:
    """Hours or quantity as stored (thousandths), trailing zeros dropped but at least one decimal."""
    text = f"{value.normalize():f}"
    return text if "." in text else f"{text}.0"


def _classification(code: str, profile: LedesProfile) -> str:
    if not code or profile.classification_set == "old":
        return code
    return OLD_TO_2014.get(code, code)


def _tk_name(line: LineDoc, profile: LedesProfile) -> str:
    first, last = clean(line.timekeeper_first_name), clean(line.timekeeper_last_name)
    if not (first or last):
        return ""
    name = f"{last}, {first}".strip(", ") if profile.name_last_first else f"{first} {last}".strip()
    return name[:LENGTHS["TIMEKEEPER_NAME"]]


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def stated_units(units: Decimal, cost: Decimal) -> Decimal:
    """The units written for a line, so that UNITS x UNIT_COST needs no more than LEDES's 4 decimals.

    Exact whenever the product fits, as hours in tenths or hundredths at a rate to the cent always do.
    Otherwise (a quantity of 12.345 at 0.67 is 8.27115) the unit cost stays exact, because portals check it
    against their caps (mileage, copies), and the units are rounded half-up to as many decimals as keep the
    product within 4 (12.35: 8.2745); the line's total is unchanged and the remainder (-0.0045) goes into
    the adjustment with the rest, as for any rounding.
    """
    if _decimals(units * cost) <= _MAX_DECIMALS:
        return units
    places = max(0, _MAX_DECIMALS - _decimals(cost))
    return units.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


class _Row:
    """One line's numbers, ready to write: type, units, unit cost, adjustment, pre-tax total, tax."""

    def __init__(self, line: LineDoc, currency: str):
        self.line = line
        total = _major(line.total_minor, currency)
        if line.kind == LineKind.FEE and line.hours is not None and line.rate_minor is not None:
            self.type, self.units, cost = "F", line.hours, _major(line.rate_minor, currency)
        elif line.kind == LineKind.EXPENSE and line.quantity is not None and line.unit_cost_minor is not None:
            self.type, self.units, cost = "E", line.quantity, _major(line.unit_cost_minor, currency)
        else:
            # Fixed fees and bill-level adjustments are fee-level: IF with units 1 and the amount as adjustment.
            self.type, self.units, cost = "IF", Decimal(1), Decimal(0)
        if self.type != "IF":
            self.units = stated_units(self.units, cost)
        self.cost = None if self.type == "IF" else cost
        self.adjustment = total - cost * self.units if self.type != "IF" else total
        self.total = total
        self.tax = _major(line.tax_minor, currency)
        self.date, self.description = line.on_date, line.narrative


def _merge_if(rows: list[_Row]) -> list[_Row]:
    ifs = [r for r in rows if r.type == "IF"]
    if len(ifs) <= 1:
        return rows
    merged = ifs[-1]
    merged.adjustment = sum((r.adjustment for r in ifs), Decimal(0))
    merged.total = sum((r.total for r in ifs), Decimal(0))
    merged.tax = sum((r.tax for r in ifs), Decimal(0))
    merged.date = max(r.date for r in ifs)
    merged.description = "; ".join(r.description for r in ifs if r.description)
    return [r for r in rows if r.type != "IF"] + [merged]


def _period(doc: InvoiceDoc) -> tuple[date, date]:
    dates = [x.on_date for x in doc.lines]
    return doc.period_start or min(dates), doc.period_end or max(dates)


def _check(doc: InvoiceDoc, profile: LedesProfile) -> None:
    if not doc.law_firm_id.strip():
        # Frozen at issue with the rest of the firm (invariant 2): setting it later does not change this invoice.
        raise ValidationFailed(f"invoice {doc.number} was issued while the firm had no LEDES law firm id (its tax "
                               "id): set it in the firm settings before issuing", field="ledes_law_firm_id")
    if not doc.lines:
        raise ValidationFailed(f"invoice {doc.number} has no lines")
    start, end = _period(doc)
    for x in doc.lines:
        if profile.client_matter_id_required and not x.client_matter_id.strip():
            raise ValidationFailed(f"matter {x.matter_number} has no client matter id, which profile "
                                   f"'{profile.name}' requires", field="client_matter_id")
        if profile.dates_inside_period and not start <= x.on_date <= end:
            raise ValidationFailed(f"line {x.position} is dated {x.on_date}, outside the billing period "
                                   f"{start}..{end} that profile '{profile.name}' requires")


def fit(value: str, field: str) -> str:
    """A descriptive value (a name, an address line) cut to its LEDES field's length. The saves of e-billing
    clients, their matters and the firm's timekeepers refuse values that would be cut (clients/ledes_limits.py);
    this keeps the file valid for an invoice of a client that was not billed in LEDES when it was issued."""
    return clean(value)[:LENGTHS[field]].rstrip()


def _check_ids(doc: InvoiceDoc) -> None:
    """Identifiers cannot be cut (the client's system matches on them): a 1998B/98BI file is refused, with the
    value and the limit, rather than written with a field a portal refuses."""
    values = [("client id", doc.client_id, "CLIENT_ID")]  # the invoice number: the firm's format, not checked
    for x in doc.lines:
        values += [("matter number", x.matter_number, "LAW_FIRM_MATTER_ID"),
                   ("client matter id", x.client_matter_id, "CLIENT_MATTER_ID"),
                   ("timekeeper id", x.timekeeper_id, "TIMEKEEPER_ID")]
    for label, value, field in values:
        written = clean(value) if field == "TIMEKEEPER_ID" else ident(value)
        if len(written) > LENGTHS[field]:
            raise ValidationFailed(f"{label} {written} of invoice {doc.number} is {len(written)} characters long; "
                                   f"LEDES allows at most {LENGTHS[field]} in {field}")


def _rows(doc: InvoiceDoc, profile: LedesProfile) -> list[_Row]:
    _check(doc, profile)
    rows = [_Row(x, doc.currency) for x in doc.lines]
    return _merge_if(rows) if profile.single_if else rows


def _fields_1998b(doc: InvoiceDoc, profile: LedesProfile, number: int, row: _Row, total: str) -> list[str]:
    cur, x = doc.currency, row.line
    start, end = _period(doc)
    fee = row.type == "F"
    return [
        _date(doc.issued_on), ident(doc.number), ident(doc.client_id), ident(x.matter_number), total,
        _date(start), _date(end), clean(doc.description), str(number), row.type, units(row.units),
        money(row.adjustment, cur), money(row.total, cur),
        _date(row.date), clean(x.task_code) if fee else "", clean(x.expense_code) if row.type == "E" else "",
        clean(x.activity_code) if fee else "", clean(x.timekeeper_id) if fee else "", clean(row.description),
        clean(doc.law_firm_id), money(row.cost, cur) if row.cost is not None else "",
        _tk_name(x, profile) if fee else "",
        _classification(x.timekeeper_classification, profile) if fee else "", ident(x.client_matter_id),
    ]


def _write(lines: list[list[str]], first: str, header: tuple[str, ...], profile: LedesProfile) -> bytes:
    out = [first + TERMINATOR, DELIMITER.join(header) + TERMINATOR]
    out += [DELIMITER.join(f) + TERMINATOR for f in lines]
    return (profile.line_break.join(out) + profile.line_break).encode("ascii")


def write_1998b(doc: InvoiceDoc, profile: LedesProfile = DEFAULT_PROFILE) -> bytes:
    """LEDES 1998B. It has no tax fields, so a taxed invoice is refused (use 98BI): adding tax as IF/IE lines
    would misstate fees and expenses to the client's system."""
    if doc.tax_minor:
        raise ValidationFailed(f"invoice {doc.number} carries tax, which LEDES 1998B cannot express: "
                               "export it as 1998BI")
    _check_ids(doc)
    rows = _rows(doc, profile)
    total = money(_major(doc.total_minor, doc.currency), doc.currency)
    return _write([_fields_1998b(doc, profile, i, r, total) for i, r in enumerate(rows, 1)],
                  FORMAT_1998B, FIELDS_1998B, profile)


def _country(code: str, profile: LedesProfile) -> str:
    code = code.strip().upper()
    if not code or not profile.country_alpha3:
        return code
    found = alpha3(code)
    if found is None:
        raise ValidationFailed(f"'{code}' is not an ISO 3166 country code")
    return found


def _party(p: Party, profile: LedesProfile, prefix: str) -> list[str]:
    """The firm (prefix LAW_FIRM_) or the client (CLIENT_): name, address, country."""
    return [fit(p.name, f"{prefix}NAME"), fit(p.address_1, f"{prefix}ADDRESS_1"),
            fit(p.address_2, f"{prefix}ADDRESS_2"), fit(p.city, f"{prefix}CITY"),
            fit(p.region, f"{prefix}STATEorREGION"), fit(p.postcode, f"{prefix}POSTCODE"), _country(p.country, profile)]


def _rate(doc: InvoiceDoc, row: _Row) -> str:
    if not row.tax or not doc.taxes:
        return "0"
    return f"{(Decimal(doc.taxes[0].rate_ppm) / Decimal(1_000_000)).normalize():f}"


def write_98bi(doc: InvoiceDoc, profile: LedesProfile = DEFAULT_PROFILE) -> bytes:
    """LEDES 98BI V2: 1998B's 24 fields plus tax, currency, names and addresses; LINE_ITEM_TOTAL includes
    the line's tax, INVOICE_TOTAL is the invoice's total with tax."""
    _check_ids(doc)
    rows = _rows(doc, profile)
    cur = doc.currency
    total = money(_major(doc.total_minor, cur), cur)
    tax_total = money(_major(doc.tax_minor, cur), cur)
    net = money(_major(doc.total_minor - doc.tax_minor, cur), cur)
    tax_type = fit(doc.taxes[0].name, "LINE_ITEM_TAX_TYPE") if doc.taxes else ""
    out = []
    for i, row in enumerate(rows, 1):
        fields = _fields_1998b(doc, profile, i, row, total)
        fields[12] = money(row.total + row.tax, cur)
        x, fee = row.line, row.type == "F"
        fields += [
            "", "", fit(doc.matter_name, "MATTER_NAME"), tax_total, net, cur,
            fit(x.timekeeper_last_name, "TIMEKEEPER_LAST_NAME") if fee else "",
            fit(x.timekeeper_first_name, "TIMEKEEPER_FIRST_NAME") if fee else "", "O",
            *_party(doc.firm, profile, "LAW_FIRM_"), *_party(doc.client, profile, "CLIENT_"),
            _rate(doc, row), money(row.tax, cur), tax_type if row.tax else "", tax_total, cur,
        ]
        out.append(fields)
    return _write(out, FORMAT_98BI, FIELDS_98BI, profile)


WRITERS: dict[str, Callable[[InvoiceDoc, LedesProfile], bytes]] = {"1998B": write_1998b, "1998BI": write_98bi}


def file_name(number: str, fmt: str) -> str:
    """`<number>.txt` for 1998B/98BI, `<number>.xml` for XML (formats.MEDIA)."""
    return f"{ident(number)}.{MEDIA[fmt][0]}"


# xml21 builds on this module's rows and formatting and adds itself to WRITERS when imported; importing it
# here, last, makes WRITERS complete whichever of the two modules is imported first.
from . import xml21  # noqa: E402, F401
