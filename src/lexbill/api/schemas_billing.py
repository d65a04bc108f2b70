"""Request and response shapes of the billing endpoints (bill runs, pre-bills, invoices).

Same conventions as `schemas`: money is a decimal string in major units plus the currency, hours a decimal
string, inputs are strings with a pattern so no amount passes through a float. Responses are built by the
`*_out` functions below from rows already loaded, so a line needs no query to learn its bill's currency.

Action bodies give their required text fields a default of "" (the service refuses an empty one with 422):
ninja validates the body before the view runs, and a required field would answer 422 where another firm's
pre-bill id must answer 404 like any missing one.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from lexbill.billing.domain.lines import BillTotals
from lexbill.billing.models import BillRun, Invoice, InvoiceLine, InvoiceTax, PreBill, PreBillLine, PreBillQuery
from lexbill.core.hours import display_hours
from lexbill.core.percent import percent_text

from .schemas import MAX_ID, MAX_TEXT, Amount, Hours, InSchema, money_str

SignedAmount = Annotated[str, Field(pattern=r"^-?[0-9]{1,12}(\.[0-9]{1,3})?$", examples=["-50.00"],
                                    description="Signed decimal string in major units: negative writes down")]
Percent = Annotated[str, Field(pattern=r"^-?[0-9]{1,4}(\.[0-9]{1,4})?$", examples=["10"],
                               description='Write-down percent: "10" writes down 10 %, "-5" writes up 5 %')]
Initials = Annotated[str, Field(min_length=1, max_length=10, description="timekeeper initials")]
MatterNumber = Annotated[str, Field(min_length=1, max_length=40)]


def _hours(value: Decimal | None) -> str | None:
    return None if value is None else display_hours(value)


def _user(user: Any) -> str | None:
    return user.username if user is not None else None


# --- bill runs ----------------------------------------------------------------------------------------------


class BillRunIn(InSchema):
    through: date = Field(..., description="cut-off: work up to and including this date")
    client: str | None = Field(None, min_length=1, max_length=30, description="client code")
    matters: list[MatterNumber] | None = Field(None, min_length=1, max_length=500, description="matter numbers")
    billing_attorney: Initials | None = None


class SkippedOut(Schema):
    matter: str
    reason: str
    detail: str


class BillRunOut(Schema):
    id: int
    through: date
    status: str
    selection: dict[str, Any]
    total_matters: int
    done_matters: int
    prebills_created: int
    skipped: list[SkippedOut]
    error: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None



class BillRunPage(Schema):
    items: list[BillRunOut]
    count: int


def billrun_out(run: BillRun) -> dict[str, Any]:
    return {"id": run.pk, "through": run.through_on, "status": run.status, "selection": run.selection,
            "total_matters": run.total_matters, "done_matters": run.done_matters,
            "prebills_created": run.prebills_created, "skipped": run.skipped, "error": run.error,
            "created_at": run.created_at, "started_at": run.started_at, "finished_at": run.finished_at}


# --- pre-bills ----------------------------------------------------------------------------------------------


class TotalsOut(Schema):
    fees: str
    expenses: str
    adjustments: str
    subtotal: str


class PreBillOut(Schema):
    id: int
    status: str
    client: str
    client_id: int
    matter: str | None
    matter_id: int | None
    bill_run_id: int | None
    currency: str
    period_start: date | None
    period_end: date
    line_count: int
    total: str
    invoices: list[str] = Field(description="numbers of the invoices it was issued as (an issued pre-bill's "
                                            "line_count and total are those it was issued with)")
    rejected_reason: str
    approved_by: str | None
    approved_at: datetime | None
    open_queries_override_reason: str = Field(description="why it was approved although queries were open")
    created_at: datetime
    updated_at: datetime


class PreBillPage(Schema):
    items: list[PreBillOut]
    count: int


class PreBillLineOut(Schema):
    id: int
    position: int
    kind: str
    matter: str
    matter_id: int
    on_date: date
    timekeeper: str | None
    timekeeper_id: int | None
    time_entry_id: int | None
    expense_id: int | None
    hours_worked: str | None
    hours_billed: str | None
    rate: str | None
    quantity: str | None
    unit_cost: str | None
    base: str
    adjustment: str
    total: str
    narrative: str
    task_code: str
    activity_code: str
    expense_code: str
    is_no_charge: bool
    open_query: str | None = Field(None, description="the question of the line's (first) unanswered query")
    code_problems: list[str] = Field([], description="UTBMS codes the line lacks or has wrong for its matter")


class QueryOut(Schema):
    id: int
    prebill_id: int
    line_id: int | None
    question: str
    asked_by: str | None
    asked_at: datetime
    answer: str
    answered_by: str | None
    answered_at: datetime | None


class PreBillDetailOut(PreBillOut):
    lines: list[PreBillLineOut]
    totals: TotalsOut
    open_queries: list[QueryOut]
    lines_missing_codes: list[int] = Field(description="ids of the lines with UTBMS code problems")
    missing_codes: str = Field(description="the client's setting: refuse (approval refuses those lines) or warn")


class HistoryEventOut(Schema):
    at: datetime
    who: str
    action: str = Field(description="the recorded action, e.g. prebill.line_write_percent")
    description: str = Field(description="what happened, in words: Wrote line 12 down 10 % (−173.60)")


class ApproveIn(InSchema):
    override_open_queries_reason: str = Field(
        "", max_length=2000, description="approve although queries are open, for this reason (recorded)")


class LineWriteIn(InSchema):
    hours: Hours | None = Field(None, description="hours billed (the base is recomputed at the line's rate)")
    amount: SignedAmount | None = Field(None, description="the line's adjustment: negative writes down")
    percent: Percent | None = None


class BillWriteIn(InSchema):
    amount: SignedAmount | None = Field(None, description="spread over the lines: negative writes down")
    percent: Percent | None = None


class NoChargeIn(InSchema):
    no_charge: bool = Field(True, description="false charges the line again")


class LineCodesIn(InSchema):
    """The codes to set; a field left out stays as it is, an empty one clears it."""
    task_code: str | None = Field(None, max_length=10)
    activity_code: str | None = Field(None, max_length=10)
    expense_code: str | None = Field(None, max_length=10)


class NarrativeIn(InSchema):
    narrative: str = Field("", max_length=MAX_TEXT, description="required")


class MoveIn(InSchema):
    matter: str = Field("", max_length=40, description="number of the matter to move the work to (required)")


class QueryIn(InSchema):
    question: str = Field("", max_length=MAX_TEXT, description="required")
    line: int | None = Field(None, ge=1, le=MAX_ID, description="a line of this pre-bill, or none for the bill")


class AnswerIn(InSchema):
    answer: str = Field("", max_length=MAX_TEXT, description="required")


class RejectIn(InSchema):
    reason: str = Field("", max_length=MAX_TEXT, description="required")


def totals_out(totals: BillTotals, currency: str) -> dict[str, str | None]:
    return {"fees": money_str(totals.fees_minor, currency), "expenses": money_str(totals.expenses_minor, currency),
            "adjustments": money_str(totals.adjustments_minor, currency),
            "subtotal": money_str(totals.subtotal_minor, currency)}


def prebill_out(pb: PreBill, *, line_count: int, total_minor: int, invoices: list[str]) -> dict[str, Any]:
    return {
        "id": pb.pk, "status": pb.status, "client": pb.client.code, "client_id": pb.client_id,
        "matter": pb.matter.number if pb.matter else None, "matter_id": pb.matter_id,
        "bill_run_id": pb.bill_run_id, "currency": pb.currency, "period_start": pb.period_start,
        "period_end": pb.period_end, "line_count": line_count, "total": money_str(total_minor, pb.currency),
        "invoices": invoices,
        "rejected_reason": pb.rejected_reason, "approved_by": _user(pb.approved_by), "approved_at": pb.approved_at,
        "open_queries_override_reason": pb.open_queries_override_reason,
        "created_at": pb.created_at, "updated_at": pb.updated_at,
    }


def prebill_line_out(line: PreBillLine, currency: str, *, open_query: str | None = None,
                     code_problems: list[str] | None = None) -> dict[str, Any]:
    tk = line.timekeeper
    return {
        "id": line.pk, "position": line.position, "kind": line.kind, "matter": line.matter.number,
        "matter_id": line.matter_id, "on_date": line.on_date, "timekeeper": tk.initials if tk else None,
        "timekeeper_id": line.timekeeper_id, "time_entry_id": line.time_entry_id, "expense_id": line.expense_id,
        "hours_worked": _hours(line.hours_worked), "hours_billed": _hours(line.hours_billed),
        "rate": money_str(line.rate_minor, currency),
        "quantity": None if line.quantity is None else format(line.quantity, "f"),
        "unit_cost": money_str(line.unit_cost_minor, currency), "base": money_str(line.base_minor, currency),
        "adjustment": money_str(line.adjustment_minor, currency), "total": money_str(line.total_minor, currency),
        "narrative": line.narrative, "task_code": line.task_code, "activity_code": line.activity_code,
        "expense_code": line.expense_code, "is_no_charge": line.is_no_charge, "open_query": open_query,
        "code_problems": code_problems or [],
    }


def query_out(query: PreBillQuery) -> dict[str, Any]:
    return {"id": query.pk, "prebill_id": query.prebill_id, "line_id": query.line_id, "question": query.question,
            "asked_by": _user(query.asked_by), "asked_at": query.asked_at, "answer": query.answer,
            "answered_by": _user(query.answered_by), "answered_at": query.answered_at}


# --- invoices -----------------------------------------------------------------------------------------------


class InvoiceIn(InSchema):
    prebill: int = Field(..., ge=1, le=MAX_ID, description="id of an approved pre-bill")
    issued_on: date | None = Field(None, description="default: today")


class CreditNoteIn(InSchema):
    full: bool = Field(False, description="credit the whole invoice (its work goes back to WIP)")
    amount: Amount | None = Field(None, description="or credit this amount before tax")
    reason: str = Field("", max_length=MAX_TEXT, description="required")
    issued_on: date | None = Field(None, description="default: today")


class InvoiceOut(Schema):
    id: int
    number: str
    kind: str
    client: str
    client_id: int
    matter: str | None
    matter_id: int | None
    prebill_id: int | None
    credits: str | None
    credits_id: int | None
    reason: str
    currency: str
    issued_on: date
    due_on: date
    period_start: date | None
    period_end: date | None
    fees: str
    expenses: str
    adjustments: str
    subtotal: str
    tax: str
    total: str
    tax_method: str
    pdf_sha256: str
    payor_share: str | None = Field(None, description="split billing: this payor's share of the matter, percent")


class InvoiceLineOut(Schema):
    position: int
    kind: str
    matter: str
    matter_id: int
    on_date: date
    timekeeper: str
    timekeeper_classification: str
    time_entry_id: int | None
    expense_id: int | None
    hours_worked: str | None
    hours_billed: str | None
    rate: str | None
    quantity: str | None
    unit_cost: str | None
    base: str
    adjustment: str
    total: str
    tax: str
    narrative: str
    task_code: str
    activity_code: str
    expense_code: str
    is_no_charge: bool


class InvoiceTaxOut(Schema):
    name: str
    rate_ppm: int
    taxable: str
    tax: str


class InvoiceDetailOut(InvoiceOut):
    lines: list[InvoiceLineOut]
    taxes: list[InvoiceTaxOut]
    credited: str = Field(..., description="credited so far by credit notes, before tax (invoices only)")
    credit_notes: list[str]
    split_invoices: list[str] = Field(..., description="split billing: the other payors' invoices of the same bill")


class InvoicePage(Schema):
    items: list[InvoiceOut]
    count: int


def invoice_out(inv: Invoice) -> dict[str, Any]:
    """An invoice or credit note without its lines (rows of `selectors_invoice.invoice_list`)."""
    cur = inv.currency
    return {
        "id": inv.pk, "number": inv.number, "kind": inv.kind, "client": inv.client.code, "client_id": inv.client_id,
        "matter": inv.matter.number if inv.matter else None, "matter_id": inv.matter_id,
        "prebill_id": inv.prebill_id, "credits": inv.credits.number if inv.credits else None,
        "credits_id": inv.credits_id, "reason": inv.reason, "currency": cur, "issued_on": inv.issued_on,
        "due_on": inv.due_on, "period_start": inv.period_start, "period_end": inv.period_end,
        "fees": money_str(inv.fees_minor, cur), "expenses": money_str(inv.expenses_minor, cur),
        "adjustments": money_str(inv.adjustments_minor, cur), "subtotal": money_str(inv.subtotal_minor, cur),
        "tax": money_str(inv.tax_minor, cur), "total": money_str(inv.total_minor, cur),
        "tax_method": inv.tax_method, "pdf_sha256": inv.pdf_sha256,
        "payor_share": None if inv.payor_share_bp is None else percent_text(inv.payor_share_bp),
    }


def invoice_line_out(line: InvoiceLine, currency: str) -> dict[str, Any]:
    return {
        "position": line.position, "kind": line.kind, "matter": line.matter.number, "matter_id": line.matter_id,
        "on_date": line.on_date, "timekeeper": line.timekeeper_name,
        "timekeeper_classification": line.timekeeper_classification, "time_entry_id": line.time_entry_id,
        "expense_id": line.expense_id, "hours_worked": _hours(line.hours_worked),
        "hours_billed": _hours(line.hours_billed), "rate": money_str(line.rate_minor, currency),
        "quantity": None if line.quantity is None else format(line.quantity, "f"),
        "unit_cost": money_str(line.unit_cost_minor, currency), "base": money_str(line.base_minor, currency),
        "adjustment": money_str(line.adjustment_minor, currency), "total": money_str(line.total_minor, currency),
        "tax": money_str(line.tax_minor, currency), "narrative": line.narrative, "task_code": line.task_code,
        "activity_code": line.activity_code, "expense_code": line.expense_code, "is_no_charge": line.is_no_charge,
    }


def invoice_tax_out(tax: InvoiceTax, currency: str) -> dict[str, Any]:
    return {"name": tax.name, "rate_ppm": tax.rate_ppm, "taxable": money_str(tax.taxable_minor, currency),
            "tax": money_str(tax.tax_minor, currency)}
