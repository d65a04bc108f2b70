"""A plain, database-free picture of an issued invoice: everything the LEDES writers need, read in a fixed
number of queries (invoice, lines, taxes) so that the writers stay pure functions of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from lexbill.billing.domain.split import format_share
from lexbill.billing.models import Invoice
from lexbill.billing.snapshot import FrozenParty, snapshot_read


@dataclass(frozen=True)
class Party:
    name: str
    address_1: str = ""
    address_2: str = ""
    city: str = ""
    region: str = ""
    postcode: str = ""
    country: str = ""  # ISO 3166 alpha-2, "" when unknown


@dataclass(frozen=True)
class LineDoc:
    position: int
    kind: str  # billing.models.LineKind value
    on_date: date
    matter_number: str
    client_matter_id: str
    hours: Decimal | None
    rate_minor: int | None
    quantity: Decimal | None
    unit_cost_minor: int | None
    total_minor: int  # before tax
    tax_minor: int
    narrative: str
    task_code: str
    activity_code: str
    expense_code: str
    timekeeper_id: str
    timekeeper_first_name: str
    timekeeper_last_name: str
    timekeeper_classification: str  # the old two-letter code snapshotted on the line
    matter_name: str = ""  # LEDES XML names each matter of a multi-matter invoice


@dataclass(frozen=True)
class TaxDoc:
    name: str
    rate_ppm: int
    tax_minor: int


@dataclass(frozen=True)
class InvoiceDoc:
    number: str
    issued_on: date
    period_start: date | None
    period_end: date | None
    currency: str
    total_minor: int
    tax_minor: int
    description: str
    client_id: str
    law_firm_id: str
    matter_name: str
    firm: Party
    client: Party
    lines: tuple[LineDoc, ...]
    taxes: tuple[TaxDoc, ...]
    payor_share_bp: int | None = None  # split billing: this payor's share of the matter (basis points)
    due_on: date | None = None


def _party(p: FrozenParty) -> Party:
    return Party(name=p.name, address_1=p.address_line1, address_2=p.address_line2, city=p.city, region=p.region,
                 postcode=p.postcode, country=p.country)


def invoice_document(invoice: Invoice) -> InvoiceDoc:
    """From the invoice's frozen rows and its issued snapshot only (invariant 2): renumbering a matter, renaming
    a client or changing a timekeeper's initials never changes an issued invoice's LEDES files.
    Three queries: the invoice, its lines, its taxes."""
    inv = Invoice.objects.get(pk=invoice.pk)
    frozen = snapshot_read(inv.number, inv.snapshot)
    lines = []
    for x in inv.lines.order_by("position"):
        tk, matter = frozen.timekeeper(x.timekeeper_id), frozen.matter(x.matter_id)
        lines.append(LineDoc(
            position=x.position, kind=x.kind, on_date=x.on_date, matter_number=matter.number,
            client_matter_id=inv.payor_matter_id or matter.client_matter_id, hours=x.hours_billed,
            rate_minor=x.rate_minor,
            quantity=x.quantity, unit_cost_minor=x.unit_cost_minor, total_minor=x.total_minor,
            tax_minor=x.tax_minor, narrative=x.narrative, task_code=x.task_code, activity_code=x.activity_code,
            expense_code=x.expense_code, timekeeper_id=tk.initials if tk else "",
            timekeeper_first_name=tk.first_name if tk else "", timekeeper_last_name=tk.last_name if tk else "",
            timekeeper_classification=x.timekeeper_classification, matter_name=matter.name))
    taxes = tuple(TaxDoc(name=t.name, rate_ppm=t.rate_ppm, tax_minor=t.tax_minor)
                  for t in inv.taxes.order_by("pk"))
    matter_name = frozen.matter(inv.matter_id).name if inv.matter_id else ""
    description = f"Legal services: {matter_name}" if matter_name else "Legal services"
    if inv.payor_share_bp is not None:
        description += f" (split billing: {format_share(inv.payor_share_bp)} share)"
    return InvoiceDoc(
        number=inv.number, issued_on=inv.issued_on, period_start=inv.period_start, period_end=inv.period_end,
        currency=inv.currency, total_minor=inv.total_minor, tax_minor=inv.tax_minor,
        description=description,
        client_id=frozen.client.ledes_id or frozen.client.code, law_firm_id=frozen.firm.ledes_id,
        matter_name=matter_name, firm=_party(frozen.firm), client=_party(frozen.client),
        lines=tuple(lines), taxes=taxes, payor_share_bp=inv.payor_share_bp, due_on=inv.due_on)
