"""Validate a LEDES XML 2.1 file: structure (lexbill's own sequences, no XSD is available), formats, the math
statement of docs/ledes.md and duplicates. Like `validator.validate` it never raises and returns every
finding; `line` is the XML source line of the element and messages name the segment's file_item_nbr, the
number portals use to point at a problem.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from .validator import CLASSIFICATIONS, WARNING, Finding, _Collector, _show, code_problems
from .xml21_reader import (
    Node,
    XmlProblem,
    parse_date,
    parse_item_nbr,
    parse_money,
    parse_percent,
    parse_tree,
    parse_units,
)
from .xml21_spec import (
    ACTIVITY_CODE,
    COUNTRY,
    CURRENCY,
    DATE,
    ENUMS,
    EXPENSE_CODE,
    ITEM_NBR,
    LEVEL,
    MONEY,
    NAMESPACE,
    PERCENT,
    ROOT,
    SEGMENT,
    SEGMENTS,
    TASK_CODE,
    UNITS,
    Element,
)

PARSERS: dict[str, Callable[[str], Any]] = {DATE: parse_date, MONEY: parse_money, UNITS: parse_units,
                                            PERCENT: parse_percent, ITEM_NBR: parse_item_nbr}
FORMAT_CODES = {DATE: "date_format", MONEY: "number_format", UNITS: "number_format", PERCENT: "number_format",
                ITEM_NBR: "file_item_nbr"}
# The 1998B field whose UTBMS rules each XML code element follows.
CODE_FIELDS = {TASK_CODE: "LINE_ITEM_TASK_CODE", ACTIVITY_CODE: "LINE_ITEM_ACTIVITY_CODE",
               EXPENSE_CODE: "LINE_ITEM_EXPENSE_CODE"}


def validate_xml21(data: bytes | str) -> list[Finding]:
    out = _Collector()
    try:
        root = parse_tree(data)
    except XmlProblem as problem:
        head = (data if isinstance(data, str) else data.decode("latin-1"))[:4096].lower()
        # e.g. an SGML OFX bank file: say what it is not, rather than where its XML breaks
        if problem.code == "not_well_formed" and "<ledes" not in head:
            return [Finding(1, None, "not_ledes", f"not a LEDES file (no <{ROOT}> element; {problem.message})")]
        out.add(problem.line, None, problem.code, problem.message)
        return out.findings
    if not root.tag.lower().startswith("ledes"):  # a bank statement, an OFX file: no LEDES to check
        return [Finding(root.line, None, "not_ledes", f"not a LEDES file (its root element is <{root.tag}>, "
                                                      f"not <{ROOT}>)")]
    if root.tag != ROOT or root.namespace != NAMESPACE:
        got = f"<{root.tag}>" + (f" in namespace {root.namespace!r}" if root.namespace else " without a namespace")
        out.add(root.line, None, "root", f"the root element must be <{ROOT} xmlns=\"{NAMESPACE}\">, not {got}")
        if root.tag != ROOT:
            return _sorted(out.findings)
    numbers: dict[int, Node] = {}
    _structure(root, out, numbers)
    invoices: Counter[str] = Counter()
    for firm in root.all("firm"):
        for client in firm.all("client"):
            for invoice in client.all("invoice"):
                number = invoice.value("inv_id")
                invoices[number] += 1
                if number and invoices[number] == 2:
                    out.add(invoice.line, "inv_id", "duplicate_invoice", f"invoice {number} appears twice in the file")
                _invoice(invoice, out)
    return _sorted(out.findings)


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: f.line)


# Structure and formats ------------------------------------------------------------------------------------

def _structure(node: Node, out: _Collector, numbers: dict[int, Node]) -> None:
    """Children known, in the fixed order, not repeated unless allowed, required ones present; every leaf's
    format; file_item_nbr unique."""
    spec = SEGMENTS[node.tag]
    place = {e.name: i for i, e in enumerate(spec)}
    seen: Counter[str] = Counter()
    furthest = -1
    for child in node.children:
        index = place.get(child.tag)
        if child.namespace != NAMESPACE or index is None:
            # Real 2.1 files have elements lexbill does not write (lf_remit_address, firm_URL, ...): a warning.
            out.add(child.line, child.tag, "unknown_element",
                    f"<{child.tag}> in {node.where()} is not one lexbill knows; it was not checked", WARNING)
            continue
        element = spec[index]
        if index < furthest:
            out.add(child.line, child.tag, "element_order",
                    f"<{child.tag}> must come before <{spec[furthest].name}> in {node.where()}")
        furthest = max(furthest, index)
        seen[child.tag] += 1
        if seen[child.tag] == 2 and not element.repeats:
            out.add(child.line, child.tag, "repeated_element", f"<{child.tag}> appears twice in {node.where()}")
        if element.kind == SEGMENT:
            _structure(child, out, numbers)
        else:
            _leaf(node, child, element, out, numbers)
    for element in spec:
        if element.required and not seen[element.name]:
            out.add(node.line, element.name, "required", f"{node.where()} has no <{element.name}>")


def _leaf(parent: Node, node: Node, element: Element, out: _Collector, numbers: dict[int, Node]) -> None:
    value, name = node.text, node.tag
    if node.children:
        out.add(node.line, name, "element_order", f"<{name}> holds a value, not elements")
    if value == "":
        if element.required:
            out.add(node.line, name, "required", f"<{name}> is empty in {parent.where()}")
        return
    kind = element.kind
    if kind in PARSERS:
        try:
            parsed = PARSERS[kind](value)
        except ValueError as exc:
            out.add(node.line, name, FORMAT_CODES[kind], f"{exc} in {parent.where()}")
            return
        if kind == ITEM_NBR:
            if parsed in numbers:
                out.add(node.line, name, "duplicate_file_item_nbr",
                        f"file_item_nbr {parsed} of <{parent.tag}> is already used on line {numbers[parsed].line}")
            else:
                numbers[parsed] = parent
    elif kind == CURRENCY and not re.fullmatch(r"[A-Z]{3}", value):
        out.add(node.line, name, "code_format", f"{value!r} is not a three-letter ISO 4217 currency code")
    elif kind == COUNTRY and not re.fullmatch(r"[A-Z]{2,3}", value):
        out.add(node.line, name, "code_format", f"{value!r} is not a two- or three-letter country code")
    elif kind == LEVEL and value not in CLASSIFICATIONS:
        out.add(node.line, name, "classification",
                f"{value!r} is neither a LOC 2014 classification (PARTNR, ASSOC, ...) nor PT/AS/OC/LA/OT")
    elif kind in CODE_FIELDS:
        for code, message, severity in code_problems(CODE_FIELDS[kind], value):
            out.add(node.line, name, code, f"{message} in {parent.where()}", severity)
    elif name in ENUMS and value not in ENUMS[name]:
        out.add(node.line, name, "code_format", f"{value!r} is not one of {', '.join(ENUMS[name])}")


# Arithmetic and consistency -------------------------------------------------------------------------------

def _num(node: Node, name: str, parse: Callable[[str], Any] = parse_money) -> Any:
    """The value, or None when absent or unreadable (that is already a finding of its own)."""
    try:
        return parse(node.value(name))
    except ValueError:
        return None


def _sum(values: list[Decimal | None]) -> Decimal | None:
    return None if None in values else sum((v for v in values if v is not None), Decimal(0))


def _expect(out: _Collector, node: Node, name: str, code: str, expected: Decimal | None, how: str) -> None:
    declared = _num(node, name)
    if declared is not None and expected is not None and declared != expected:
        child = node.first(name)
        out.add(child.line if child else node.line, name, code,
                f"{node.where()}: <{name}> {_show(declared)} but {how} = {_show(expected)}")


def _tax(node: Node) -> Decimal | None:
    return _sum([_num(t, "tax_on_charge") for t in node.all("tax")])


def _invoice(invoice: Node, out: _Collector) -> None:
    start, end = _num(invoice, "inv_start_date", parse_date), _num(invoice, "inv_end_date", parse_date)
    if start and end and start > end:
        out.add(invoice.line, "inv_end_date", "period_reversed",
                f"{invoice.where()}: the billing period ends before it starts ({start} to {end})")
        start = end = None
    due, taxes, matters = [], [], Counter[str]()
    for matter in invoice.all("matter"):
        key = matter.value("lf_matter_id")
        matters[key] += 1
        if key and matters[key] == 2:
            out.add(matter.line, "lf_matter_id", "duplicate_matter", f"matter {key} appears twice in the invoice")
        _matter(matter, out, start, end)
        due.append(_num(matter, "matter_total_due"))
        tax_fees, tax_exp = _num(matter, "matter_tax_on_fees"), _num(matter, "matter_tax_on_exp")
        taxes.append(None if tax_fees is None or tax_exp is None else tax_fees + tax_exp)
    _expect(out, invoice, "inv_total_net_due", "invoice_total", _sum(due), "the sum of matter_total_due")
    _expect(out, invoice, "inv_total_tax", "invoice_tax_total", _sum(taxes), "the sum of the matters' taxes")
    if invoice.all("tax"):
        _expect(out, invoice, "inv_total_tax", "invoice_tax_total", _tax(invoice),
                "the sum of the invoice's <tax> tax_on_charge")


def _matter(matter: Node, out: _Collector, start: date | None, end: date | None) -> None:
    lines = matter.all("fee") + matter.all("expense")
    credits = matter.all("matter_disc_cred")
    if not lines and not credits:
        out.add(matter.line, None, "no_line_items", f"{matter.where()} has no fee, expense or matter_disc_cred")
    for line in lines:
        _line(line, out, start, end)
    for credit in credits:
        amount, direction = _num(credit, "disc_cred_amount"), credit.value("increase_decrease")
        wrong = "Increase" if amount is not None and amount < 0 else "Decrease" if amount else None
        if amount is not None and direction == wrong:
            out.add(_line_of(credit, "disc_cred_amount"), "disc_cred_amount", "disc_cred_sign",
                    f"{credit.where()}: {_show(amount)} is marked {direction} (a decrease is negative)")
    _timekeepers(matter, out)

    def totals(nodes: list[Node], name: str) -> Decimal | None:
        return _sum([_num(n, name) for n in nodes])

    def taxes(nodes: list[Node]) -> Decimal | None:
        return _sum([_tax(n) for n in nodes])

    fee_credits = [c for c in credits if c.value("disc_cred_category") == "Fee"]
    exp_credits = [c for c in credits if c.value("disc_cred_category") == "Exp"]
    fees, expenses = matter.all("fee"), matter.all("expense")
    rule = "matter_total"
    _expect(out, matter, "matter_total_detail_fees", rule, totals(fees, "total_amount"), "the sum of fee total_amount")
    _expect(out, matter, "matter_total_detail_exp", rule, totals(expenses, "total_amount"),
            "the sum of expense total_amount")
    _expect(out, matter, "matter_disc_credit_fees", rule, totals(fee_credits, "disc_cred_amount"),
            "the sum of Fee disc_cred_amount")
    _expect(out, matter, "matter_disc_credit_exp", rule, totals(exp_credits, "disc_cred_amount"),
            "the sum of Exp disc_cred_amount")
    fee_tax, exp_tax = taxes(fees + fee_credits), taxes(expenses + exp_credits)
    _expect(out, matter, "matter_tax_on_fees", rule, fee_tax, "the tax on fees and Fee credits")
    _expect(out, matter, "matter_tax_on_exp", rule, exp_tax, "the tax on expenses and Exp credits")
    m = {name: _num(matter, name) for name in (
        "matter_total_detail_fees", "matter_total_detail_exp", "matter_disc_credit_fees", "matter_disc_credit_exp",
        "matter_net_fees", "matter_net_exp", "matter_tax_on_fees", "matter_tax_on_exp")}
    share_fees = _num(matter, "matter_perc_shar_fees", parse_percent)
    share_exp = _num(matter, "matter_perc_shar_exp", parse_percent)

    def add(*names: str) -> Decimal | None:
        values = [m[n] for n in names]
        return None if None in values else sum((v for v in values if v is not None), Decimal(0))

    fee_base, exp_base = add("matter_total_detail_fees", "matter_disc_credit_fees"), add(
        "matter_total_detail_exp", "matter_disc_credit_exp")
    _expect(out, matter, "matter_disc_cred_total", rule, add("matter_disc_credit_fees", "matter_disc_credit_exp"),
            "matter_disc_credit_fees + matter_disc_credit_exp")
    _expect(out, matter, "matter_net_fees", rule,
            None if fee_base is None or share_fees is None else fee_base * share_fees / 100,
            "(matter_total_detail_fees + matter_disc_credit_fees) x matter_perc_shar_fees %")
    _expect(out, matter, "matter_net_exp", rule,
            None if exp_base is None or share_exp is None else exp_base * share_exp / 100,
            "(matter_total_detail_exp + matter_disc_credit_exp) x matter_perc_shar_exp %")
    _expect(out, matter, "matter_total_due", rule,
            add("matter_net_fees", "matter_net_exp", "matter_tax_on_fees", "matter_tax_on_exp"),
            "net fees + net expenses + tax on fees + tax on expenses")


def _line(line: Node, out: _Collector, start: date | None, end: date | None) -> None:
    units, rate = _num(line, "units", parse_units), _num(line, "rate")
    base, discount, total = _num(line, "base_amount"), _num(line, "item_disc_cred_amount"), _num(line, "total_amount")
    if units is not None and rate is not None and base is not None and units * rate != base:
        out.add(_line_of(line, "base_amount"), "base_amount", "base_amount",
                f"{line.where()}: base_amount {_show(base)} but units x rate = {_show(units)} x {_show(rate)} = "
                f"{_show(units * rate)}")
    if base is not None and discount is not None and total is not None and base + discount != total:
        out.add(_line_of(line, "total_amount"), "total_amount", "line_total",
                f"{line.where()}: total_amount {_show(total)} but base_amount + item_disc_cred_amount = "
                f"{_show(base + discount)}")
    day = _num(line, "charge_date", parse_date)
    if day and start and end and not start <= day <= end:
        out.add(_line_of(line, "charge_date"), "charge_date", "date_outside_period",
                f"{line.where()}: {day} is outside the billing period {start} to {end}", WARNING)
    if line.tag == "fee":
        for name in ("task_code", "task_activity"):
            if not line.value(name):
                out.add(line.line, name, "code_missing", f"{line.where()} has no UTBMS {name}", WARNING)
    elif not line.value("expense_code"):
        out.add(line.line, "expense_code", "code_missing", f"{line.where()} has no UTBMS expense_code", WARNING)


def _line_of(node: Node, name: str) -> int:
    child = node.first(name)
    return child.line if child is not None else node.line


def _timekeepers(matter: Node, out: _Collector) -> None:
    """Every fee's timekeeper and rate has its tk_sum, and no tk_sum is listed twice."""
    summed: dict[tuple[str, Decimal | None], Node] = {}
    for tk in matter.all("tk_sum"):
        key = (tk.value("tk_id"), _num(tk, "tk_rate"))
        if key in summed:
            out.add(tk.line, "tk_id", "duplicate_tk_sum",
                    f"{tk.where()}: timekeeper {key[0]} at {key[1]} is already summed on line {summed[key].line}")
        summed.setdefault(key, tk)
    for fee in matter.all("fee"):
        key = (fee.value("tk_id"), _num(fee, "rate"))
        if key[0] and key[1] is not None and key not in summed:
            out.add(fee.line, "tk_id", "tk_sum_missing",
                    f"{fee.where()}: no <tk_sum> for timekeeper {key[0]} at rate {_show(key[1])}", WARNING)
