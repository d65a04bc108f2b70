"""Reads of a matter's fee schedule and recoveries, each row with where it was billed (fixed query count)."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import OuterRef, QuerySet, Subquery

from lexbill.clients.models import Matter
from lexbill.core.errors import NotFound

from .domain.fees import percent_of
from .models import FeeItem, InvoiceLine, PreBillLine, Recovery

Row = TypeVar("Row", FeeItem, Recovery)


def _billing(queryset: QuerySet, field_name: str) -> QuerySet:  # type: ignore[type-arg]
    """Annotate `on_prebill_id` (a current pre-bill line) and `invoice_number` (the first invoice billing it)."""
    current = PreBillLine.objects.filter(is_current=True, **{field_name: OuterRef("pk")}).values("prebill_id")[:1]
    invoiced = InvoiceLine.objects.filter(**{field_name: OuterRef("pk")}) \
        .order_by("invoice__issued_on", "invoice_id").values("invoice__number")[:1]
    return queryset.annotate(on_prebill_id=Subquery(current), invoice_number=Subquery(invoiced))


def _mark(row: Row) -> Row:
    row.is_billed = bool(row.on_prebill_id or row.invoice_number)  # type: ignore[union-attr,attr-defined]
    return row


def fee_items_of(matter: Matter) -> list[FeeItem]:
    """The matter's fee items by date (milestones last), each with `on_prebill_id`, `invoice_number`,
    `is_billed` and `state` (scheduled / milestone / reached / on pre-bill / invoiced)."""
    rows = _billing(FeeItem.objects.filter(matter=matter), "fee_item").order_by("due_on", "pk")
    items = [_mark(row) for row in rows]
    dated = [i for i in items if i.due_on is not None]
    milestones = [i for i in items if i.due_on is None]
    for item in items:
        item.state = _state(item)  # type: ignore[union-attr]
    return dated + milestones  # type: ignore[return-value]


def _state(item: FeeItem | Recovery) -> str:
    if getattr(item, "invoice_number", None):
        return f"invoiced ({item.invoice_number})"  # type: ignore[union-attr]
    if getattr(item, "on_prebill_id", None):
        return f"on pre-bill {item.on_prebill_id}"  # type: ignore[union-attr]
    if isinstance(item, Recovery):
        return "unbilled"
    if item.due_on is not None:
        return "scheduled"
    return "milestone reached" if item.is_milestone_reached else "milestone pending"


def recoveries_of(matter: Matter) -> list[Recovery]:
    """The matter's recoveries by date, each with `share_minor` (the firm's contingency share), the billing
    annotations of `fee_items_of` and `state`."""
    rows = _billing(Recovery.objects.filter(matter=matter), "recovery").order_by("received_on", "pk")
    recoveries = [_mark(row) for row in rows]
    for rec in recoveries:
        rec.state = _state(rec)  # type: ignore[union-attr]
        rec.share_minor = (percent_of(rec.amount_minor, matter.fee_percent_bp)  # type: ignore[union-attr]
                           if matter.fee_percent_bp is not None else None)
    return recoveries  # type: ignore[return-value]


def fee_item_get(pk: int) -> FeeItem:
    item = FeeItem.objects.select_related("matter", "matter__client").filter(pk=pk).first()
    if item is None:
        raise NotFound(f"no fee item {pk}")
    return item


def recovery_get(pk: int) -> Recovery:
    recovery = Recovery.objects.select_related("matter", "matter__client").filter(pk=pk).first()
    if recovery is None:
        raise NotFound(f"no recovery {pk}")
    return recovery
