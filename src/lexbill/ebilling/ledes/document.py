"""A plain, database-free picture of an issued invoice: everything the LEDES writers need, read in a fixed
number of queries (invoice, lines, taxes) so that the writers stay pure functions of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from lexbill.billing.domain.split import format_share
from lexbill.billing.models import Invoice
from lexbill.clients.models import Client
from lexbill.core.models import Firm
from lexbill.ebilling.models import client_ebilling_settings, firm_ebilling_settings


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


def _party(name: str, holder: Firm | Client) -> Party:
    return Party(name=name, address_1=holder.address_line1, address_2=holder.address_line2, city=holder.city,
                 region=holder.region, postcode=holder.postcode, country=holder.country)


def invoice_document(invoice: Invoice) -> InvoiceDoc:
    """Three queries: the invoice with firm/client/matter (and their e-billing settings), its lines with matter
    and timekeeper, its taxes."""
    inv = (Invoice.objects.select_related("firm__ebilling_settings", "client__ebilling_settings", "matter")
           .get(pk=invoice.pk))
    firm, client = inv.firm, inv.client
    lines = []
    for x in inv.lines.select_related("matter", "timekeeper").order_by("position"):
        tk = x.timekeeper
        lines.append(LineDoc(
            position=x.position, kind=x.kind, on_date=x.on_date, matter_number=x.matter.number,
            client_matter_id=inv.payor_matter_id or x.matter.client_matter_id, hours=x.hours_billed,
            rate_minor=x.rate_minor,
            quantity=x.quantity, unit_cost_minor=x.unit_cost_minor, total_minor=x.total_minor,
            tax_minor=x.tax_minor, narrative=x.narrative, task_code=x.task_code, activity_code=x.activity_code,
            expense_code=x.expense_code, timekeeper_id=tk.initials if tk else "",
            timekeeper_first_name=tk.first_name if tk else "", timekeeper_last_name=tk.last_name if tk else "",
            timekeeper_classification=x.timekeeper_classification, matter_name=x.matter.name))
    taxes = tuple(TaxDoc(name=t.name, rate_ppm=t.rate_ppm, tax_minor=t.tax_minor)
                  for t in inv.taxes.order_by("pk"))
    matter_name = inv.matter.name if inv.matter else ""
    description = f"Legal services: {matter_name}" if matter_name else "Legal services"
    if inv.payor_share_bp is not None:
        description += f" (split billing: {format_share(inv.payor_share_bp)} share)"
    return InvoiceDoc(
        number=inv.number, issued_on=inv.issued_on, period_start=inv.period_start, period_end=inv.period_end,
        currency=inv.currency, total_minor=inv.total_minor, tax_minor=inv.tax_minor,
        description=description,
        client_id=client_ebilling_settings(client).ledes_client_id or client.code,
        law_firm_id=firm_ebilling_settings(firm).ledes_law_firm_id,
        matter_name=matter_name, firm=_party(firm.name, firm), client=_party(client.name, client),
        lines=tuple(lines), taxes=taxes, payor_share_bp=inv.payor_share_bp, due_on=inv.due_on)
