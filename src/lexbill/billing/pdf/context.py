"""The data an invoice or pro forma PDF shows, built from the database as plain JSON-ready strings.

Every figure is formatted here, in Python, from minor units with `core.money` (exact, thousands separators,
currency code), so the Typst template only lays text out and can never round or re-add anything: the PDF
shows exactly what the database holds (invariant 3). The document's own sums (fees, expenses, adjustments,
subtotal) come from the shared line arithmetic and, for an invoice, are checked against the frozen totals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from lexbill.billing.bill_adjustment import whole_bill_adjustment_label
from lexbill.billing.domain.lines import BillTotals
from lexbill.billing.domain.split import format_share
from lexbill.billing.domain.timekeepers import charged_and_free_hours, timekeeper_summary
from lexbill.billing.models import Invoice, InvoiceKind, LineKind, PreBill, firm_billing_settings
from lexbill.billing.snapshot import Snapshot, snapshot_read
from lexbill.core.errors import Conflict
from lexbill.core.hours import display_hours
from lexbill.core.money import format_money

# UTBMS litigation phases (the first digit of a task code's hundreds). Other code sets fall back to the code.
PHASES = {
    "L100": "Case Assessment, Development and Administration",
    "L200": "Pre-Trial Pleadings and Motions",
    "L300": "Discovery",
    "L400": "Trial Preparation and Trial",
    "L500": "Appeal",
}
UNCODED_PHASE = "Other services"
GROUP_BY_PHASE = "phase"


@dataclass
class PdfLine:
    """One bill line, whether it comes from an invoice or a pre-bill (not frozen: it must satisfy the
    LineFigures protocol of the shared line arithmetic, whose attributes are plain)."""

    kind: str
    matter_number: str
    on_date: date
    timekeeper_name: str
    timekeeper_initials: str
    timekeeper_classification: str
    hours_billed: Decimal | None
    rate_minor: int | None
    quantity: Decimal | None
    unit_cost_minor: int | None
    base_minor: int
    adjustment_minor: int
    total_minor: int
    narrative: str
    task_code: str
    activity_code: str
    expense_code: str
    is_no_charge: bool


def long_date(value: date | None) -> str:
    return f"{value:%B} {value.day}, {value.year}" if value else ""


def phase_of(task_code: str) -> str:
    """'L120' -> 'L100'; codes that are not letter + three digits have no phase."""
    code = task_code.strip().upper()
    if len(code) == 4 and code[0].isalpha() and code[1:].isdigit():
        return f"{code[0]}{code[1]}00"
    return ""


def phase_heading(phase: str) -> str:
    if not phase:
        return UNCODED_PHASE
    name = PHASES.get(phase)
    return f"{phase} {name}" if name else f"Phase {phase}"


class PostalAddress(Protocol):
    """The address fields a firm and a client both have (live rows, or their frozen copies on an invoice)."""

    @property
    def address_line1(self) -> str: ...
    @property
    def address_line2(self) -> str: ...
    @property
    def city(self) -> str: ...
    @property
    def region(self) -> str: ...
    @property
    def postcode(self) -> str: ...
    @property
    def country(self) -> str: ...


def address_lines(party: PostalAddress, *, home_country: str) -> list[str]:
    """Lines as on an envelope: street, suite, "City, ST 12345", then the country code unless it is
    `home_country` (the other party's), since a letter within one country does not name it."""
    place = " ".join(part for part in (f"{party.city}," if party.city else "", party.region, party.postcode)
                     if part).rstrip(",")
    lines = [party.address_line1, party.address_line2, place, party.country if party.country != home_country else ""]
    return [line for line in lines if line]


def _text_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _fee_row(line: PdfLine, money: Any) -> dict[str, str]:
    is_time = line.kind == LineKind.FEE
    return {
        "date": line.on_date.isoformat(),
        "timekeeper": line.timekeeper_initials if is_time else "",
        "hours": display_hours(line.hours_billed) if is_time and line.hours_billed is not None else "",
        "rate": money(line.rate_minor) if is_time and line.rate_minor is not None else "",
        "amount": "No charge" if line.is_no_charge else money(line.base_minor),
        "narrative": line.narrative,
        "code": " ".join(code for code in (line.task_code, line.activity_code) if code),
    }


def _fee_groups(fees: Sequence[PdfLine], group_by: str, money: Any) -> list[dict[str, Any]]:
    by_date = sorted(fees, key=lambda line: line.on_date)  # stable: same-day lines keep their bill order
    if group_by != GROUP_BY_PHASE:
        return [{"heading": "", "short": "", "rows": [_fee_row(line, money) for line in by_date],
                 "total": money(sum(line.base_minor for line in by_date))}] if by_date else []
    phases: dict[str, list[PdfLine]] = {}
    for line in by_date:
        phases.setdefault(phase_of(line.task_code), []).append(line)
    # Coded phases in code order; uncoded work last.
    order = sorted(phases, key=lambda phase: (phase == "", phase))
    return [{"heading": phase_heading(phase), "short": phase or UNCODED_PHASE,
             "rows": [_fee_row(line, money) for line in phases[phase]],
             "total": money(sum(line.base_minor for line in phases[phase]))} for phase in order]


def _timekeeper_summary(fees: Iterable[PdfLine], money: Any) -> list[dict[str, str]]:
    """Charged hours and amount per timekeeper and rate (hours x rate = amount on every row; a rate change
    mid-period gives the timekeeper two rows), and the timekeeper's no-charge hours on a row of their own."""
    return [{"name": row.name, "classification": row.classification, "hours": display_hours(row.hours),
             "rate": "" if row.rate_minor is None else money(row.rate_minor),
             "amount": "No charge" if row.is_no_charge else money(row.amount_minor)}
            for row in timekeeper_summary(fees)]


def _adjustment_rows(lines: Sequence[PdfLine], money: Any, bill_adjustment: str = "") -> list[dict[str, str]]:
    """The Adjustments section. A whole-bill write-down standing on every line (`bill_adjustment` names it)
    is ONE row, the sum of the lines' adjustments, which stay spread over the lines in the database and in
    LEDES; otherwise each line's write-down or write-up is a row of its own. Adjustment lines are rows either
    way. Either way the rows add up to the lines' adjustments, so fees + expenses + adjustments = subtotal."""
    rows = []
    if bill_adjustment:
        # An adjustment line's own row already shows its total (adjustment included): not counted twice.
        spread = sum(line.adjustment_minor for line in lines if line.kind != LineKind.ADJUSTMENT)
        if spread:
            rows.append({"date": "", "description": bill_adjustment, "amount": money(spread)})
    for line in lines:
        if line.kind == LineKind.ADJUSTMENT:
            rows.append({"date": line.on_date.isoformat(), "description": line.narrative or "Adjustment",
                         "amount": money(line.total_minor)})
        elif line.adjustment_minor and not bill_adjustment:
            what = "Write-up" if line.adjustment_minor > 0 else "Write-down"
            who = f" ({line.timekeeper_initials})" if line.timekeeper_initials else ""
            rows.append({"date": line.on_date.isoformat(), "description": f"{what}{who}: {line.narrative}",
                         "amount": money(line.adjustment_minor)})
    return rows


def _quantity(value: Decimal) -> str:
    # 3.000 -> "3", 2.500 -> "2.5"; never an exponent (normalize() alone turns 30 into 3E+1).
    return f"{value.normalize():f}"


def _expense_rows(lines: Iterable[PdfLine], money: Any) -> list[dict[str, str]]:
    return [{"date": line.on_date.isoformat(), "code": line.expense_code, "description": line.narrative,
             "quantity": "" if line.quantity is None else _quantity(line.quantity),
             "unit_cost": "" if line.unit_cost_minor is None else money(line.unit_cost_minor),
             "amount": money(line.base_minor)}
            for line in sorted(lines, key=lambda line: line.on_date)]


class MatterHeading(Protocol):
    """What a bill says of a matter (a live Matter on a pro forma, a FrozenMatter on an invoice)."""

    @property
    def number(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def client_matter_id(self) -> str: ...


class Addressee(PostalAddress, Protocol):
    @property
    def name(self) -> str: ...


class Letterhead(Addressee, Protocol):
    """The firm at the top of a bill (a live Firm on a pro forma, a FrozenParty on an invoice)."""


def _matters(matter: MatterHeading | None, lines: Sequence[PdfLine],
             all_matters: Mapping[str, MatterHeading]) -> list[dict[str, str]]:
    chosen = [matter] if matter else [all_matters[number] for number in sorted({line.matter_number for line in lines})]
    return [{"number": m.number, "name": m.name, "client_matter_id": m.client_matter_id} for m in chosen]


def build_context(
    *, firm: Letterhead, client: Addressee, matter: MatterHeading | None, currency: str, lines: Sequence[PdfLine],
    matters: Mapping[str, MatterHeading], group_by: str, header: dict[str, Any], taxes: list[dict[str, str]],
    tax_minor: int | None, total_minor: int, is_draft: bool, payment_instructions: str = "",
    bill_adjustment: str = "",
) -> dict[str, Any]:
    def money(minor: int) -> str:
        return format_money(minor, currency)

    totals = BillTotals.of(lines)
    fees = [line for line in lines if line.kind in (LineKind.FEE, LineKind.FIXED_FEE)]
    expenses = [line for line in lines if line.kind == LineKind.EXPENSE]
    charged_hours, free_hours = charged_and_free_hours(fees)
    return {
        **header,
        "is_draft": is_draft,
        "currency": currency,
        # A firm without a country is taken as a US one, as the client lines did before firms had one.
        "firm": {"name": firm.name, "address": address_lines(firm, home_country=client.country)},
        "client": {"name": client.name, "address": address_lines(client, home_country=firm.country or "US")},
        "matters": _matters(matter, lines, matters),
        "group_by": GROUP_BY_PHASE if group_by == GROUP_BY_PHASE else "date",
        "fee_groups": _fee_groups(fees, group_by, money),
        "timekeepers": _timekeeper_summary(fees, money),
        # Charged hours only: "Total fees" is their amount; no-charge hours are shown apart.
        "hours_total": display_hours(charged_hours),
        "no_charge_hours": display_hours(free_hours) if free_hours else "",
        "expenses": _expense_rows(expenses, money),
        "adjustments": _adjustment_rows(lines, money, bill_adjustment),
        "totals": {
            "fees": money(totals.fees_minor),
            "expenses": money(totals.expenses_minor),
            "adjustments": money(totals.adjustments_minor),
            "subtotal": money(totals.subtotal_minor),
            "tax": None if tax_minor is None else money(tax_minor),
            "total": money(total_minor),
        },
        "taxes": taxes,
        "payment_instructions": _text_lines(payment_instructions),
    }


def _percent(rate_ppm: int) -> str:
    # Exact: 200000 ppm -> "20", 88750 -> "8.875".
    value = Decimal(rate_ppm) / Decimal(10000)
    text = f"{value:f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def _initials(issued: Snapshot, timekeeper_id: int | None) -> str:
    timekeeper = issued.timekeeper(timekeeper_id)
    return timekeeper.initials if timekeeper else ""


def invoice_context(invoice: Invoice) -> dict[str, Any]:
    """From the invoice's frozen rows and its issued snapshot only (invariant 2): names, addresses, matter
    numbers and initials are as they were at issue, whatever became of the firm, client, matter or timekeeper."""
    issued = snapshot_read(invoice.number, invoice.snapshot)
    rows = list(invoice.lines.order_by("position"))
    lines = [PdfLine(
        kind=line.kind, matter_number=issued.matter(line.matter_id).number, on_date=line.on_date,
        timekeeper_name=line.timekeeper_name, timekeeper_initials=_initials(issued, line.timekeeper_id),
        timekeeper_classification=line.timekeeper_classification, hours_billed=line.hours_billed,
        rate_minor=line.rate_minor, quantity=line.quantity, unit_cost_minor=line.unit_cost_minor,
        base_minor=line.base_minor, adjustment_minor=line.adjustment_minor, total_minor=line.total_minor,
        narrative=line.narrative, task_code=line.task_code, activity_code=line.activity_code,
        expense_code=line.expense_code, is_no_charge=line.is_no_charge,
    ) for line in rows]
    totals = BillTotals.of(lines)
    frozen = (invoice.fees_minor, invoice.expenses_minor, invoice.adjustments_minor, invoice.subtotal_minor)
    if (totals.fees_minor, totals.expenses_minor, totals.adjustments_minor, totals.subtotal_minor) != frozen:
        # Never print a document whose figures disagree with each other (invariant 3).
        raise Conflict(f"invoice {invoice.number}: its lines do not add up to its totals")
    taxes = list(invoice.taxes.order_by("id"))
    if sum(tax.tax_minor for tax in taxes) != invoice.tax_minor:
        raise Conflict(f"invoice {invoice.number}: its tax lines do not add up to its tax")
    money = lambda minor: format_money(minor, invoice.currency)  # noqa: E731
    is_credit = invoice.kind == InvoiceKind.CREDIT_NOTE
    header = {
        "title": "Credit note" if is_credit else "Invoice",
        "number_label": "Credit note no." if is_credit else "Invoice no.",
        "number": invoice.number,
        "issued_on": long_date(invoice.issued_on),
        # A credit note is not paid: it has no due date and no "total due" (issue #9, item 10).
        "due_on": "" if is_credit else long_date(invoice.due_on),
        "total_label": "Credit note total" if is_credit else "Total due",
        "period": _period(invoice.period_start, invoice.period_end),
        "credits": invoice.credits.number if is_credit and invoice.credits else "",
        "reason": invoice.reason if is_credit else "",
        # Hours and rates show the whole work; the amounts are this payor's share of it.
        "split": (f"this invoice is for {format_share(invoice.payor_share_bp)} of the matter's fees and expenses; "
                  "hours and rates show the whole work" if invoice.payor_share_bp is not None else ""),
    }
    tax_rows = [{"name": tax.name, "rate": _percent(tax.rate_ppm), "taxable": money(tax.taxable_minor),
                 "tax": money(tax.tax_minor)} for tax in taxes]
    matters = {issued.matter(line.matter_id).number: issued.matter(line.matter_id) for line in rows}
    context = build_context(
        firm=issued.firm, client=issued.client,
        matter=issued.matter(invoice.matter_id) if invoice.matter_id else None, currency=invoice.currency,
        lines=lines, matters=matters, group_by=issued.group_by, header=header, taxes=tax_rows,
        tax_minor=invoice.tax_minor,
        total_minor=invoice.total_minor, is_draft=False,
        payment_instructions="" if is_credit else issued.firm.payment_instructions,
        bill_adjustment=issued.bill_adjustment)
    if invoice.payor_matter_id:  # a split invoice (one matter) shows the payor's own reference
        for row in context["matters"]:
            row["client_matter_id"] = invoice.payor_matter_id
    return context


def prebill_context(prebill: PreBill) -> dict[str, Any]:
    current = list(prebill.lines.filter(is_current=True, is_held=False)
                   .select_related("matter", "timekeeper").order_by("position", "id"))
    lines = [PdfLine(
        kind=line.kind, matter_number=line.matter.number, on_date=line.on_date,
        timekeeper_name=f"{line.timekeeper.first_name} {line.timekeeper.last_name}" if line.timekeeper else "",
        timekeeper_initials=line.timekeeper.initials if line.timekeeper else "",
        timekeeper_classification=line.timekeeper.classification if line.timekeeper else "",
        hours_billed=line.hours_billed, rate_minor=line.rate_minor, quantity=line.quantity,
        unit_cost_minor=line.unit_cost_minor, base_minor=line.base_minor, adjustment_minor=line.adjustment_minor,
        total_minor=line.total_minor, narrative=line.narrative, task_code=line.task_code,
        activity_code=line.activity_code, expense_code=line.expense_code, is_no_charge=line.is_no_charge,
    ) for line in current]
    header = {
        "title": "Pro forma",
        "number_label": "Pre-bill no.",
        "number": str(prebill.pk),
        "issued_on": "",
        "due_on": "",
        "total_label": "Total before tax",
        "period": _period(prebill.period_start, prebill.period_end),
        "credits": "",
        "reason": "",
    }
    # Tax is worked out when the pre-bill is issued; a pro forma shows the total before tax.
    return build_context(
        firm=prebill.firm, client=prebill.client, matter=prebill.matter, currency=prebill.currency, lines=lines,
        matters={line.matter.number: line.matter for line in current}, group_by=prebill.group_by, header=header,
        taxes=[], tax_minor=None, total_minor=BillTotals.of(lines).subtotal_minor, is_draft=True,
        payment_instructions=firm_billing_settings(prebill.firm).payment_instructions,
        bill_adjustment=whole_bill_adjustment_label(prebill.pk, current))


def _period(start: date | None, end: date | None) -> str:
    if start and end:
        return f"{long_date(start)} to {long_date(end)}"
    return f"through {long_date(end)}" if end else ""
