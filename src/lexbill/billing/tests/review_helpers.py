"""Shared givens for the pre-bill review tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from lexbill.billing.models import PreBill, PreBillLine, PreBillQuery
from lexbill.clients.models import Matter
from lexbill.core.models import AuditEvent, Firm
from lexbill.staff.models import Timekeeper
from lexbill.testing.billing import make_prebill
from lexbill.timekeeping.models import Expense, TimeEntry


def march_prebill(firm: Firm, matter: Matter, partner: Timekeeper, associate: Timekeeper, **fields: Any) -> PreBill:
    """Lines: RA 1.5 h x 500.00 = 75,000; JD 0.3 h x 300.00 = 9,000; copies 3 x 0.15 = 45. Subtotal 84,045."""
    return make_prebill(firm, matter, work=[(partner, date(2026, 3, 2), "1.5", "Draft complaint"),
                                            (associate, date(2026, 3, 3), "0.3", "Research")],
                        expenses=[(date(2026, 3, 4), "Copies", 15, "3")], **fields)


def lines_of(prebill: PreBill) -> list[PreBillLine]:
    return list(PreBillLine.objects.filter(prebill=prebill).order_by("position"))


def figures(prebill: PreBill) -> list[tuple[Any, ...]]:
    return [(line.hours_billed, line.base_minor, line.adjustment_minor, line.total_minor)
            for line in lines_of(prebill)]


def events(prebill: PreBill, action: str | None = None) -> list[AuditEvent]:
    found = AuditEvent.objects.filter(entity="prebill", entity_id=str(prebill.pk)).order_by("pk")
    return list(found.filter(action=action) if action else found)


def state(prebill: PreBill) -> dict[str, Any]:
    """Everything a review operation could change, to assert that a refusal changed nothing."""
    fresh = PreBill.objects.get(pk=prebill.pk)
    return {
        "prebill": (fresh.status, fresh.updated_at),
        "lines": [(line.pk, line.is_current, line.is_held, line.is_no_charge, line.hours_billed, line.base_minor,
                   line.adjustment_minor, line.total_minor, line.narrative) for line in lines_of(prebill)],
        "entries": sorted(TimeEntry.objects.values_list("pk", "matter_id", "status")),
        "expenses": sorted(Expense.objects.values_list("pk", "matter_id", "status")),
        "queries": sorted(PreBillQuery.objects.values_list("pk", "answer")),
        "audit": AuditEvent.objects.count(),
    }
