"""Builders for billing tests: a pre-bill with fee and expense lines made from real WIP.

Until the bill run exists everywhere, tests of later steps (review, approval, issue, PDF) start from
`make_prebill`, which puts real time entries and expenses on a pre-bill exactly as a bill run would:
entries move to ON_PREBILL, each line's base is computed by the shared line arithmetic.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from lexbill.billing.domain.lines import fee_base_minor
from lexbill.billing.models import LineKind, PreBill, PreBillLine, PreBillStatus
from lexbill.clients.models import Matter
from lexbill.core.models import Firm
from lexbill.rates.services import rate_resolve
from lexbill.staff.models import Timekeeper
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.models import ChargeType, EntryStatus
from lexbill.timekeeping.services import expense_create, time_entry_create


def make_prebill(
    firm: Firm,
    matter: Matter,
    *,
    work: list[tuple[Timekeeper, date, str, str]] = (),  # type: ignore[assignment]
    expenses: list[tuple[date, str, int, str]] = (),  # type: ignore[assignment]
    period_end: date = date(2026, 3, 31),
    status: str = PreBillStatus.DRAFT,
    **prebill_fields: Any,
) -> PreBill:
    """work: (timekeeper, date, hours, narrative); expenses: (date, description, unit cost minor, quantity)."""
    prebill = PreBill.objects.create(firm=firm, client=matter.client, matter=matter, currency=matter.currency,
                                     period_end=period_end, status=status, **prebill_fields)
    position = 0
    for timekeeper, worked_on, hours, narrative in work:
        entry = time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=timekeeper, worked_on=worked_on,
                                  duration=Duration(hours=Decimal(hours)), narrative=narrative,
                                  task_code="L120", activity_code="A104", today=period_end)
        rate = rate_resolve(matter=matter, timekeeper=timekeeper, worked_on=worked_on).rate_minor
        base = fee_base_minor(entry.hours_billable, rate, is_no_charge=entry.charge_type == ChargeType.NO_CHARGE)
        position += 1
        PreBillLine.objects.create(
            firm=firm, prebill=prebill, position=position, kind=LineKind.FEE, matter=matter, time_entry=entry,
            on_date=worked_on, timekeeper=timekeeper, hours_worked=entry.hours_worked,
            hours_billed=entry.hours_billable, rate_minor=rate, base_minor=base, adjustment_minor=0,
            total_minor=base, narrative=narrative, task_code=entry.task_code, activity_code=entry.activity_code)
        entry.status = EntryStatus.ON_PREBILL
        entry.save(update_fields=["status"])
    for incurred_on, description, unit_cost_minor, quantity in expenses:
        expense = expense_create(firm=firm, actor=None, matter=matter, incurred_on=incurred_on,
                                 description=description, unit_cost_minor=unit_cost_minor,
                                 quantity=Decimal(quantity), expense_code="E101", today=period_end)
        position += 1
        PreBillLine.objects.create(
            firm=firm, prebill=prebill, position=position, kind=LineKind.EXPENSE, matter=matter, expense=expense,
            on_date=incurred_on, quantity=expense.quantity, unit_cost_minor=unit_cost_minor,
            base_minor=expense.amount_minor, adjustment_minor=0, total_minor=expense.amount_minor,
            narrative=description, expense_code=expense.expense_code)
        expense.status = EntryStatus.ON_PREBILL
        expense.save(update_fields=["status"])
    return prebill
