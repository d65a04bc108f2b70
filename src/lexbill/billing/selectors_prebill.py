"""Reads for pre-bill review: lists, one pre-bill with its lines, totals, open queries, edit history,
and the entries held for a later bill run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum

from lexbill.access import Actor, restrict
from lexbill.core.errors import NotFound, ValidationFailed
from lexbill.core.models import AuditEvent, Firm
from lexbill.timekeeping.models import EntryStatus

from .domain.lines import BillTotals
from .models import PreBill, PreBillLine, PreBillQuery, PreBillStatus

CURRENT = Q(lines__is_current=True)


def visible_prebills(actor: Actor | None) -> QuerySet[PreBill]:
    """Pre-bills the actor may see (an attorney: those of her matters; None: all)."""
    return restrict(actor, "prebills", PreBill.objects.all())


def prebill_list(*, status: str | None = None, actor: Actor | None = None) -> QuerySet[PreBill]:
    """Pre-bills with `line_count` and `total_minor` (sum of current line totals) in one query."""
    if status is not None and status not in PreBillStatus.values:
        raise ValidationFailed(f"unknown status {status!r} (choose from {', '.join(PreBillStatus.values)})",
                               field="status")
    prebills = visible_prebills(actor).select_related("client", "matter").annotate(
        line_count=Count("lines", filter=CURRENT), lines_total_minor=Sum("lines__total_minor", filter=CURRENT))
    if status is not None:
        prebills = prebills.filter(status=status)
    return prebills.order_by("-created_at", "-id")


def prebill_get(prebill_id: int, actor: Actor | None = None) -> PreBill:
    prebill = visible_prebills(actor).select_related("client", "matter", "firm").filter(pk=prebill_id).first()
    if prebill is None:
        raise NotFound(f"no pre-bill {prebill_id}")
    return prebill


def prebill_lines(prebill: PreBill) -> QuerySet[PreBillLine]:
    """The lines on the bill now (held and moved lines have left it)."""
    return (PreBillLine.objects.filter(prebill=prebill, is_current=True)
            .select_related("timekeeper").order_by("position", "id"))


def prebill_totals(prebill: PreBill) -> BillTotals:
    return BillTotals.of(PreBillLine.objects.filter(prebill=prebill, is_current=True)
                         .only("kind", "base_minor", "adjustment_minor", "total_minor"))


def prebill_open_queries(prebill: PreBill) -> QuerySet[PreBillQuery]:
    return (PreBillQuery.objects.filter(prebill=prebill, answered_at__isnull=True)
            .select_related("asked_by").order_by("asked_at", "id"))


def prebill_history(prebill: PreBill) -> QuerySet[AuditEvent]:
    """Every recorded edit of the pre-bill, oldest first: who, when, what, before and after."""
    return AuditEvent.objects.filter(entity="prebill", entity_id=str(prebill.pk)).order_by("pk")


@dataclass(frozen=True)
class PreBillDetail:
    prebill: PreBill
    lines: list[PreBillLine]
    totals: BillTotals
    open_queries: list[PreBillQuery]


def prebill_detail(prebill_id: int, actor: Actor | None = None) -> PreBillDetail:
    """One pre-bill for the review page / `prebill show`: a fixed number of queries however many lines."""
    prebill = prebill_get(prebill_id, actor)
    lines = list(prebill_lines(prebill))
    return PreBillDetail(prebill=prebill, lines=lines, totals=BillTotals.of(lines),
                         open_queries=list(prebill_open_queries(prebill)))


def _held(firm: Firm, through_on: date, entry_field: str) -> QuerySet[PreBillLine, int]:
    return (PreBillLine.objects.filter(firm=firm, is_held=True, prebill__period_end__gte=through_on,
                                       **{f"{entry_field}__status": EntryStatus.OPEN})
            .values_list(entry_field, flat=True).distinct())


def held_entry_ids(firm: Firm, through_on: date) -> QuerySet[PreBillLine, int]:
    """Time entries held for next month that a bill run through `through_on` must skip.

    A line held on a pre-bill whose period ends on or after the cut-off keeps its entry out of that run (and of
    a rerun with the same cut-off); a run with a later cut-off bills it. Usable as a subquery:
    `TimeEntry.objects.exclude(pk__in=held_entry_ids(firm, through_on))`.
    """
    return _held(firm, through_on, "time_entry")


def held_expense_ids(firm: Firm, through_on: date) -> QuerySet[PreBillLine, int]:
    """The same rule for expenses."""
    return _held(firm, through_on, "expense")
