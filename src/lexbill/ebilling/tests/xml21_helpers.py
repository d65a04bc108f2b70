"""Givens for the LEDES XML 2.1 tests: the written file as plain values, and its checks by lexbill's own
XML reader and validator."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from lexbill.billing.models import Invoice
from lexbill.core.money import from_minor
from lexbill.ebilling.ledes.validator import validate
from lexbill.ebilling.ledes.xml21_reader import read_xml21
from lexbill.ebilling.ledes.xml21_spec import NAMESPACE

NS = f"{{{NAMESPACE}}}"


def root_of(data: bytes) -> ET.Element:
    return ET.fromstring(data)  # our own output: the stdlib parser is enough here


def values(element: ET.Element) -> list[tuple[str, str]]:
    """The element's leaf children in order, namespace dropped: (name, text)."""
    return [(c.tag.removeprefix(NS), c.text or "") for c in element if len(c) == 0]


def segments(data: bytes, path: str) -> list[ET.Element]:
    """Elements by a slash path of local names below the root, e.g. "firm/client/invoice/matter/fee"."""
    return root_of(data).findall("/".join(NS + part for part in path.split("/")))


def check_xml(data: bytes) -> Decimal:
    """lexbill's validator finds no error; return the file's inv_total_net_due."""
    errors = [f for f in validate(data) if f.severity == "error"]
    assert not errors, "\n".join(map(str, errors))
    (invoice,) = read_xml21(data).invoices
    return invoice.net_due


def assert_xml_round_trip(invoice: Invoice, data: bytes) -> None:
    """Write -> read gives back the database's numbers to the cent: total, tax, and every line before tax and
    its tax."""
    (read_back,) = read_xml21(data).invoices
    cur = invoice.currency
    assert (read_back.net_due, read_back.total_tax) == (from_minor(invoice.total_minor, cur),
                                                        from_minor(invoice.tax_minor, cur))
    written = sorted((item.total, item.tax) for item in read_back.items)
    stored = sorted((from_minor(x.total_minor, cur), from_minor(x.tax_minor, cur)) for x in invoice.lines.all())
    assert written == stored
