"""LEDES XML E-Billing 2.1 writer: a pure function from an InvoiceDoc to the file's bytes (UTF-8).

Structure and element order: xml21_spec.SEGMENTS. Arithmetic (the "math statement" of docs/ledes.md, "XML
2.1"), exact in the file and equal to the database to the cent:

    fee/expense:  base_amount = units x rate;  total_amount = base_amount + item_disc_cred_amount (pre-tax)
    matter:       net_fees = (total_detail_fees + disc_credit_fees) x perc_shar_fees / 100  (likewise exp)
                  total_due = net_fees + net_exp + tax_on_fees + tax_on_exp
    invoice:      inv_total_tax = sum of the matters' taxes;  inv_total_net_due = sum of matter_total_due

The numbers and the refusals (law firm id, client matter id, dates inside the period) come from the same
`_rows` the 1998B/98BI writers use, so the three formats can never disagree on a line.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from decimal import Decimal
from importlib import metadata

from .document import InvoiceDoc, Party
from .profiles import DEFAULT_PROFILE, LedesProfile
from .writer import WRITERS, _classification, _country, _major, _period, _Row, _rows, ident, money, units
from .xml21_spec import DISC_CRED_FIXED, NAMESPACE, ROOT, SOURCE_APP

# Characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def text(value: str) -> str:
    """Free text for an element: UTF-8 is allowed (unlike 1998B), but no control characters, and line breaks
    folded into spaces because portals show descriptions on one line."""
    return re.sub(r"\s+", " ", _NOT_XML.sub("", value)).strip()


def percent(rate_ppm: int) -> str:
    return f"{(Decimal(rate_ppm) / Decimal(10_000)).normalize():f}"


def _version() -> str:
    try:
        return metadata.version("lexbill")
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        return "0"


Leaf = tuple[str, str | None]  # None: an optional element that is absent
# A field is a value, or a nested segment placed before the parent's own file_item_nbr (an address).
Field = tuple[str, str | None] | tuple[str, list[Leaf]]


class _Builder:
    """Appends segments in document order. A segment takes the next file_item_nbr when its own number is
    written (after its values and any nested address), so the numbers rise down the file."""

    def __init__(self) -> None:
        self.count = 0

    def segment(self, parent: ET.Element, tag: str, fields: Iterable[Field]) -> ET.Element:
        element = ET.SubElement(parent, tag)
        for name, value in fields:
            if isinstance(value, list):
                if any(v for _, v in value):
                    self.segment(element, name, value)
            elif value is not None:
                ET.SubElement(element, name).text = value
        self.count += 1
        ET.SubElement(element, "file_item_nbr").text = str(self.count)
        return element


def _address(p: Party, profile: LedesProfile) -> list[Leaf]:
    """An address segment; both the firm's and the client's carry the country (issue #9, item 10)."""
    values = [("address_1", text(p.address_1)), ("address_2", text(p.address_2)), ("city", text(p.city)),
              ("state_province", text(p.region)), ("zip_postal_code", text(p.postcode)),
              ("country", _country(p.country, profile))]
    return [(name, value or None) for name, value in values]


class _Matter:
    def __init__(self, rows: list[_Row]):
        self.rows = rows
        self.fees = [r for r in rows if r.type == "F"]
        self.expenses = [r for r in rows if r.type == "E"]
        self.adjustments = [r for r in rows if r.type == "IF"]  # all fee-level in lexbill
        zero = Decimal(0)
        self.detail_fees = sum((r.total for r in self.fees), zero)
        self.detail_exp = sum((r.total for r in self.expenses), zero)
        self.disc_fees = sum((r.total for r in self.adjustments), zero)
        self.disc_exp = zero
        self.tax_fees = sum((r.tax for r in self.fees + self.adjustments), zero)
        self.tax_exp = sum((r.tax for r in self.expenses), zero)
        self.net_fees = self.detail_fees + self.disc_fees  # x 100 % share: lexbill bills one payor per invoice
        self.net_exp = self.detail_exp + self.disc_exp
        self.total_due = self.net_fees + self.net_exp + self.tax_fees + self.tax_exp


def _by_matter(rows: list[_Row]) -> dict[str, list[_Row]]:
    groups: dict[str, list[_Row]] = {}
    for row in rows:
        groups.setdefault(row.line.matter_number, []).append(row)
    return groups


def write_xml21(doc: InvoiceDoc, profile: LedesProfile = DEFAULT_PROFILE) -> bytes:
    """LEDES XML 2.1 of one invoice: firm > client > invoice > matter(s) > adjustments, timekeepers, lines."""
    rows = _rows(doc, profile)
    cur = doc.currency

    def m(value: Decimal | int) -> str:
        return money(_major(value, cur) if isinstance(value, int) else value, cur)

    out = _Builder()
    root = ET.Element(ROOT, {"xmlns": NAMESPACE})
    firm = out.segment(root, "firm", [
        ("lf_vendor_id", ident(doc.law_firm_id)), ("lf_id", ident(doc.law_firm_id)), ("lf_name", text(doc.firm.name)),
        ("lf_address", _address(doc.firm, profile)), ("source_app", SOURCE_APP),
        ("app_version", _version())])
    client = out.segment(firm, "client", [
        ("cl_id", ident(doc.client_id)), ("cl_lf_id", ident(doc.client_id)), ("cl_name", text(doc.client.name)),
        ("cl_address", _address(doc.client, profile))])
    start, end = _period(doc)
    invoice = out.segment(client, "invoice", [
        ("inv_id", ident(doc.number)), ("inv_date", doc.issued_on.isoformat()),
        ("inv_due_date", doc.due_on.isoformat() if doc.due_on else None), ("inv_currency", cur),
        ("inv_start_date", start.isoformat()), ("inv_end_date", end.isoformat()),
        ("inv_desc", text(doc.description) or None), ("inv_total_tax", m(doc.tax_minor)),
        ("inv_total_net_due", m(doc.total_minor))])
    for tax in doc.taxes:
        out.segment(invoice, "tax", [("tax_type", text(tax.name)), ("tax_rate_percent", percent(tax.rate_ppm)),
                                     ("tax_on_charge", m(tax.tax_minor))])
    line_tax_type = " + ".join(text(t.name) for t in doc.taxes) or "Tax"
    # One rate describes a line's tax only when the invoice has one tax; with several, the line carries its
    # share of all of them (lexbill spreads the total tax over lines, not each tax separately).
    line_tax_rate = percent(doc.taxes[0].rate_ppm) if len(doc.taxes) == 1 else None

    def line_tax(parent: ET.Element, row: _Row) -> None:
        if row.tax:
            out.segment(parent, "tax", [("tax_type", line_tax_type), ("tax_rate_percent", line_tax_rate),
                                        ("tax_on_charge", m(row.tax))])

    for group in _by_matter(rows).values():
        matter = _Matter(group)
        first = group[0].line
        element = out.segment(invoice, "matter", [
            ("cl_matter_id", ident(first.client_matter_id) or None), ("lf_matter_id", ident(first.matter_number)),
            ("matter_name", text(first.matter_name or doc.matter_name) or ident(first.matter_number)),
            ("account_type", "O"), ("matter_final_bill", "N"),
            ("matter_total_detail_fees", m(matter.detail_fees)), ("matter_total_detail_exp", m(matter.detail_exp)),
            ("matter_disc_credit_fees", m(matter.disc_fees)), ("matter_disc_credit_exp", m(matter.disc_exp)),
            ("matter_disc_cred_total", m(matter.disc_fees + matter.disc_exp)),
            ("matter_perc_shar_fees", "100"), ("matter_perc_shar_exp", "100"),
            ("matter_tax_on_fees", m(matter.tax_fees)), ("matter_tax_on_exp", m(matter.tax_exp)),
            ("matter_net_fees", m(matter.net_fees)), ("matter_net_exp", m(matter.net_exp)),
            ("matter_total_due", m(matter.total_due))])
        for row in matter.adjustments:
            adj = out.segment(element, "matter_disc_cred", [
                ("disc_cred", DISC_CRED_FIXED), ("disc_cred_category", "Fee"),
                ("increase_decrease", "Decrease" if row.total < 0 else "Increase"),
                ("disc_cred_amount", m(row.total))])
            line_tax(adj, row)
        timekeepers: dict[tuple[str, Decimal | None], _Row] = {}
        for row in matter.fees:
            timekeepers.setdefault((row.line.timekeeper_id, row.cost), row)
        for row in timekeepers.values():
            x = row.line
            out.segment(element, "tk_sum", [
                ("tk_id", text(x.timekeeper_id)), ("tk_lname", text(x.timekeeper_last_name)),
                ("tk_fname", text(x.timekeeper_first_name)),
                ("tk_level", _classification(x.timekeeper_classification, profile)),
                ("tk_rate", m(row.cost or Decimal(0)))])
        for row in matter.fees + matter.expenses:
            x, fee, cost = row.line, row.type == "F", row.cost or Decimal(0)
            fields: list[Field] = [("charge_date", row.date.isoformat())]
            if fee:
                fields += [("tk_id", text(x.timekeeper_id)),
                           ("tk_level", _classification(x.timekeeper_classification, profile)),
                           ("charge_desc", text(row.description)), ("task_code", text(x.task_code) or None),
                           ("task_activity", text(x.activity_code) or None)]
            else:
                fields += [("tk_id", text(x.timekeeper_id) or None), ("charge_desc", text(row.description)),
                           ("expense_code", text(x.expense_code) or None)]
            fields += [("charge_type", "U"), ("units", units(row.units)), ("rate", m(cost)),
                       ("base_amount", m(cost * row.units)), ("item_disc_cred_amount", m(row.adjustment)),
                       ("total_amount", m(row.total))]
            line_tax(out.segment(element, "fee" if fee else "expense", fields), row)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


WRITERS["XML2.1"] = write_xml21
