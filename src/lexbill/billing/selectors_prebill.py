"""Reads for pre-bill review: lists, one pre-bill with its lines, totals, open queries, edit history,
and the entries held for a later bill run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from lexbill.access import Actor, restrict
from lexbill.core.errors import Conflict, NotFound, ValidationFailed
from lexbill.core.models import AuditEvent, Firm
from lexbill.timekeeping.models import EntryStatus

from .domain.lines import BillTotals
from .models import Invoice, InvoiceKind, InvoiceLine, PreBill, PreBillLine, PreBillQuery, PreBillStatus


class _Joined(Aggregate):
    """The values joined with ", " (STRING_AGG on PostgreSQL, GROUP_CONCAT on SQLite)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ', ')"
    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


def _scalar(queryset: QuerySet[Any], **aggregate: Any) -> Subquery:
    """One aggregate of `queryset` per outer pre-bill, as a subquery (grouped by a constant)."""
    (name,) = aggregate
    return Subquery(queryset.order_by().annotate(_one=Value(1)).values("_one").annotate(**aggregate)
                    .values(name)[:1])


def _issued_invoices() -> QuerySet[Invoice]:
    return Invoice.objects.filter(prebill=OuterRef("pk"), kind=InvoiceKind.INVOICE)


def with_line_totals(prebills: QuerySet[PreBill]) -> QuerySet[PreBill]:
    """Annotate `line_count`, `lines_total_minor` and `invoice_numbers` ("" or "A, B") in the same query.

    A pre-bill not yet issued counts its current lines; an issued one the lines and pre-tax total it was
    issued with, read from its invoices (issuing takes the lines off the pre-bill), and names those invoices.
    """
    current = PreBillLine.objects.filter(prebill=OuterRef("pk"), is_current=True)
    issued = Q(status=PreBillStatus.ISSUED)
    issued_lines = InvoiceLine.objects.filter(invoice__prebill=OuterRef("pk"), invoice__kind=InvoiceKind.INVOICE)
    return prebills.annotate(
        line_count=Case(
            # a split matter's invoices each carry every line: count positions, not rows
            When(issued, then=Coalesce(_scalar(issued_lines, n=Count("position", distinct=True)), 0)),
            default=Coalesce(_scalar(current, n=Count("pk")), 0), output_field=IntegerField()),
        lines_total_minor=Case(
            When(issued, then=Coalesce(_scalar(_issued_invoices(), s=Sum("subtotal_minor")), 0)),
            default=Coalesce(_scalar(current, s=Sum("total_minor")), 0), output_field=IntegerField()),
        invoice_numbers=Coalesce(_scalar(_issued_invoices(), numbers=_Joined("number")), Value("")),
    )


def invoice_numbers(prebill: PreBill) -> list[str]:
    """The numbers of the invoices an annotated pre-bill became, sorted ([] before it is issued)."""
    joined: str = getattr(prebill, "invoice_numbers", "") or ""
    return sorted(n for n in joined.split(", ") if n)


def visible_prebills(actor: Actor | None) -> QuerySet[PreBill]:
    """Pre-bills the actor may see (an attorney: those of her matters; None: all)."""
    return restrict(actor, "prebills", PreBill.objects.all())


def prebill_list(*, status: str | None = None, actor: Actor | None = None) -> QuerySet[PreBill]:
    """Pre-bills with `line_count`, `lines_total_minor` and `invoice_numbers` in one query (`with_line_totals`)."""
    if status is not None and status not in PreBillStatus.values:
        raise ValidationFailed(f"unknown status {status!r} (choose from {', '.join(PreBillStatus.values)})",
                               field="status")
    prebills = with_line_totals(visible_prebills(actor).select_related("client", "matter"))
    if status is not None:
        prebills = prebills.filter(status=status)
    return prebills.order_by("-created_at", "-id")


def prebill_get(prebill_id: int, actor: Actor | None = None) -> PreBill:
    prebill = visible_prebills(actor).select_related("client", "matter", "firm").filter(pk=prebill_id).first()
    if prebill is None:
        raise NotFound(f"no pre-bill {prebill_id}")
    return prebill


def pro_forma_allowed(prebill: PreBill) -> PreBill:
    """The pre-bill, if it still has a DRAFT pro forma; an issued one is on its invoice(s): Conflict."""
    if prebill.status != PreBillStatus.ISSUED:
        return prebill
    numbers = sorted(Invoice.objects.filter(prebill=prebill, kind=InvoiceKind.INVOICE).values_list("number", flat=True))
    raise Conflict(f"pre-bill {prebill.pk} is issued, so it has no pro forma: print invoice "
                   f"{', '.join(numbers) or '(none)'} instead (lexbill invoice pdf NUMBER)")


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
