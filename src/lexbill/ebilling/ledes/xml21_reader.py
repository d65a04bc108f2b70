"""Read LEDES XML 2.1 files: a safe parse into a tree that remembers source lines, and typed invoices.

Files come from outside, so parsing goes through defusedxml with DTDs, entity declarations and external
references all refused: an entity bomb ("billion laughs") or an external entity is rejected before it can
expand. ElementTree keeps no line numbers, so the tree here is lexbill's own (`Node`), built from the
expat events with the parser's current line: findings can then name the line a clerk's editor shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from .reader import LedesReadError
from .xml21_spec import FORMAT_XML21, NAMESPACE, ROOT

MONEY_RE = re.compile(r"-?\d+(\.\d{1,4})?")
UNITS_RE = re.compile(r"\d+(\.\d{1,4})?")
PERCENT_RE = re.compile(r"\d+(\.\d{1,6})?")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
ITEM_NBR_RE = re.compile(r"[1-9]\d{0,9}")


@dataclass
class Node:
    tag: str  # local name, without the namespace
    namespace: str
    line: int
    text: str = ""
    children: list[Node] = field(default_factory=list)
    parts: list[str] = field(default_factory=list, repr=False)

    def first(self, name: str) -> Node | None:
        return next((c for c in self.children if c.tag == name), None)

    def all(self, name: str) -> list[Node]:
        return [c for c in self.children if c.tag == name]

    def value(self, name: str) -> str:
        child = self.first(name)
        return child.text if child is not None else ""

    @property
    def item_nbr(self) -> str:
        return self.value("file_item_nbr")

    def where(self) -> str:
        """How a clerk finds this segment: portals report XML problems by file_item_nbr."""
        return f"<{self.tag}> file_item_nbr {self.item_nbr}" if self.item_nbr else f"<{self.tag}>"


class XmlProblem(Exception):
    """The file cannot be parsed at all: not well-formed, or refused for safety."""

    def __init__(self, line: int, code: str, message: str):
        super().__init__(message)
        self.line, self.code, self.message = line, code, message


class _TreeTarget:
    """An ElementTree parser target that builds Nodes and stamps each with expat's current line."""

    def __init__(self) -> None:
        self.parser: DefusedXMLParser | None = None
        self.stack: list[Node] = []
        self.root: Node | None = None

    def line(self) -> int:
        return self.parser.parser.CurrentLineNumber if self.parser is not None else 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
        node = Node(local, namespace, self.line())
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def end(self, tag: str) -> None:
        node = self.stack.pop()
        node.text = "".join(node.parts).strip()
        node.parts = []

    def data(self, data: str) -> None:
        if self.stack:
            self.stack[-1].parts.append(data)

    def close(self) -> Node | None:
        return self.root


def looks_like_xml(data: bytes | str) -> bool:
    """True when the first thing after a BOM and white space is `<`: no LEDES 1998B/98BI file starts so."""
    if isinstance(data, str):
        return data.lstrip("\ufeff \t\r\n").startswith("<")
    return data.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n").startswith(b"<")


def parse_tree(data: bytes | str) -> Node:
    """The file's element tree. XmlProblem when it is not well-formed XML or carries a DTD or entities."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    target = _TreeTarget()
    parser = DefusedXMLParser(target=target, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    target.parser = parser
    try:
        parser.feed(raw)
        root = parser.close()
    except DefusedXmlException as exc:
        raise XmlProblem(target.line() or 1, "forbidden_xml",
                         f"refused for safety: {type(exc).__name__} (LEDES XML needs no DTD or entities)") from None
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else 1
        raise XmlProblem(line, "not_well_formed", f"not well-formed XML: {exc}") from None
    if root is None:
        raise XmlProblem(1, "not_well_formed", "no root element")
    return root  # type: ignore[no-any-return]


# Typed values ---------------------------------------------------------------------------------------------

def parse_money(value: str) -> Decimal:
    if not MONEY_RE.fullmatch(value):
        raise ValueError(f"{value!r} is not an amount (digits, optional leading -, at most 4 decimals)")
    return Decimal(value)


def parse_units(value: str) -> Decimal:
    if not UNITS_RE.fullmatch(value):
        raise ValueError(f"{value!r} is not a quantity (digits, at most 4 decimals, not negative)")
    return Decimal(value)


def parse_percent(value: str) -> Decimal:
    if not PERCENT_RE.fullmatch(value) or Decimal(value) > 100:
        raise ValueError(f"{value!r} is not a percentage from 0 to 100")
    return Decimal(value)


def parse_item_nbr(value: str) -> int:
    if not ITEM_NBR_RE.fullmatch(value):
        raise ValueError(f"{value!r} is not a positive integer")
    return int(value)


def parse_date(value: str) -> date:
    if not DATE_RE.fullmatch(value):
        raise ValueError(f"{value!r} is not a date in YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a real calendar date") from None


@dataclass
class XmlItem:
    """A fee, an expense or a matter_disc_cred: the lines a portal answers on, by file_item_nbr."""

    kind: str  # "fee", "expense" or "matter_disc_cred"
    line: int
    file_item_nbr: int
    total: Decimal  # total_amount, or disc_cred_amount; before tax
    tax: Decimal  # the sum of its <tax> tax_on_charge
    charge_date: date | None = None
    units: Decimal | None = None
    rate: Decimal | None = None
    base: Decimal | None = None
    discount: Decimal | None = None
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class XmlMatter:
    lf_matter_id: str
    cl_matter_id: str
    values: dict[str, Decimal]  # the matter's money elements
    items: list[XmlItem]


@dataclass
class XmlInvoice:
    number: str
    date: date
    currency: str
    total_tax: Decimal
    net_due: Decimal
    matters: list[XmlMatter]

    @property
    def items(self) -> list[XmlItem]:
        return [item for matter in self.matters for item in matter.items]


@dataclass
class XmlFile:
    format: str
    invoices: list[XmlInvoice]


def read_xml21(data: bytes | str) -> XmlFile:
    """Typed invoices of a LEDES XML 2.1 file; LedesReadError on anything that cannot be read (arithmetic is
    not checked here: see xml21_validator)."""
    try:
        root = parse_tree(data)
    except XmlProblem as problem:
        raise LedesReadError(f"line {problem.line}: {problem.message}") from None
    if root.tag != ROOT or root.namespace != NAMESPACE:
        raise LedesReadError(f"line {root.line}: the root element is not <{ROOT} xmlns=\"{NAMESPACE}\">")
    invoices = []
    for firm in root.all("firm"):
        for client in firm.all("client"):
            for invoice in client.all("invoice"):
                invoices.append(_typed(invoice))
    return XmlFile(FORMAT_XML21, invoices)


def _read_value(node: Node, name: str, parse: Any) -> Any:
    child = node.first(name)
    if child is None or child.text == "":
        raise LedesReadError(f"line {node.line}: {node.where()} has no <{name}>")
    try:
        return parse(child.text)
    except ValueError as exc:
        raise LedesReadError(f"line {child.line}: <{name}>: {exc}") from None


def _tax(node: Node) -> Decimal:
    return sum((_read_value(t, "tax_on_charge", parse_money) for t in node.all("tax")), Decimal(0))


def _typed(invoice: Node) -> XmlInvoice:
    get = _read_value
    matters = []
    for matter in invoice.all("matter"):
        items = []
        for kind in ("matter_disc_cred", "fee", "expense"):
            for node in matter.all(kind):
                nbr = get(node, "file_item_nbr", parse_item_nbr)
                if kind == "matter_disc_cred":
                    items.append(XmlItem(kind, node.line, nbr, get(node, "disc_cred_amount", parse_money), _tax(node),
                                         values={c.tag: c.text for c in node.children if not c.children}))
                    continue
                items.append(XmlItem(
                    kind, node.line, nbr, get(node, "total_amount", parse_money), _tax(node),
                    charge_date=get(node, "charge_date", parse_date), units=get(node, "units", parse_units),
                    rate=get(node, "rate", parse_money), base=get(node, "base_amount", parse_money),
                    discount=get(node, "item_disc_cred_amount", parse_money),
                    values={c.tag: c.text for c in node.children if not c.children}))
        money = {c.tag: get(matter, c.tag, parse_money) for c in matter.children
                 if c.tag.startswith("matter_") and not c.children and c.tag not in
                 ("matter_name", "matter_desc", "matter_final_bill", "matter_perc_shar_fees", "matter_perc_shar_exp")}
        matters.append(XmlMatter(matter.value("lf_matter_id"), matter.value("cl_matter_id"), money,
                                 sorted(items, key=lambda i: i.line)))
    return XmlInvoice(
        number=invoice.value("inv_id"), date=get(invoice, "inv_date", parse_date),
        currency=invoice.value("inv_currency"), total_tax=get(invoice, "inv_total_tax", parse_money),
        net_due=get(invoice, "inv_total_net_due", parse_money), matters=matters)
