"""What time is worth before it is billed: each entry's rate and value, and the WIP total in money.

The rate comes from the same resolution a bill run uses (`lexbill.rates`, one query for every rate that can
apply), and a value is rounded once per entry, half-up (`line_amount_minor`), so a WIP total is the sum of
the values a bill run would put on its lines. Reads only; every function costs a fixed number of queries,
however many rows it values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet

from lexbill.clients.models import Matter
from lexbill.core.errors import RateNotFound
from lexbill.core.models import Firm
from lexbill.core.money import line_amount_minor
from lexbill.rates.services import RateBook, rate_resolve_many
from lexbill.staff.models import Timekeeper

from .models import ChargeType, EntryStatus, TimeEntry


@dataclass
class WipValue:
    """Unbilled, billable (not no-charge) time: hours, and money by currency (a firm may bill in several)."""

    hours: Decimal = Decimal(0)
    by_currency: dict[str, int] = field(default_factory=dict)
    unpriced: int = 0  # entries no rate resolves for: left out of the money, counted so the page can say so


def _book(firm: Firm, matter_ids: Iterable[int] | QuerySet[TimeEntry, Any], through_on: date) -> RateBook:
    return rate_resolve_many(firm=firm, matters=Matter.objects.filter(pk__in=matter_ids), through_on=through_on)


def _rate(book: RateBook, matter: Matter, timekeeper: Timekeeper, worked_on: date) -> int | None:
    try:
        return book.resolve(matter=matter, timekeeper=timekeeper, worked_on=worked_on).rate_minor
    except RateNotFound:
        return None


def entry_value_minor(entry: TimeEntry, rate_minor: int | None) -> int | None:
    """Billable hours x rate, rounded once; no-charge is worth 0 (as on the bill), non-billable nothing."""
    if rate_minor is None or entry.charge_type == ChargeType.NON_BILLABLE:
        return None
    if entry.charge_type == ChargeType.NO_CHARGE:
        return 0
    return line_amount_minor(Decimal(entry.hours_billable), rate_minor)


def value_entries(firm: Firm, entries: list[TimeEntry]) -> None:
    """Set `rate_minor_wip` and `value_minor` on entries fetched with their matter and timekeeper.

    A billed entry keeps the rate and amount it was billed with; open ones are priced as a bill run would.
    """
    open_rows = [e for e in entries if e.rate_minor is None]
    book = _book(firm, {e.matter_id for e in open_rows}, max(e.worked_on for e in open_rows)) if open_rows else None
    for entry in entries:
        if entry.rate_minor is not None:
            rate: int | None = entry.rate_minor
        else:
            assert book is not None
            rate = _rate(book, entry.matter, entry.timekeeper, entry.worked_on)
        entry.rate_minor_wip = rate  # type: ignore[attr-defined]
        entry.value_minor = entry_value_minor(entry, rate)  # type: ignore[attr-defined]


def wip_value(firm: Firm, entries: QuerySet[TimeEntry]) -> WipValue:
    """The money of the unbilled, billable entries among `entries`, in five queries for any number of rows.

    Entries of one matter, timekeeper, day and hours have one value: they are valued once and counted.
    """
    wip = entries.filter(status=EntryStatus.OPEN, charge_type=ChargeType.BILLABLE).order_by()
    groups = list(wip.values("matter_id", "timekeeper_id", "worked_on", "hours_billable")
                  .annotate(n=Count("id")).order_by())
    result = WipValue()
    if not groups:
        return result
    through_on = max(g["worked_on"] for g in groups)
    # Subqueries rather than lists of ids: a firm-wide grid may span ten thousand matters.
    matters = {m.pk: m for m in Matter.objects.filter(pk__in=wip.values("matter_id"))
               .only("id", "number", "client_id", "currency")}
    timekeepers = {t.pk: t for t in Timekeeper.objects.filter(pk__in=wip.values("timekeeper_id"))
                   .only("id", "initials", "classification", "standard_rate_minor")}
    book = _book(firm, wip.values("matter_id"), through_on)
    for g in groups:
        matter, hours = matters[g["matter_id"]], Decimal(g["hours_billable"])
        result.hours += hours * g["n"]
        rate = _rate(book, matter, timekeepers[g["timekeeper_id"]], g["worked_on"])
        if rate is None:
            result.unpriced += g["n"]
            continue
        result.by_currency[matter.currency] = (result.by_currency.get(matter.currency, 0)
                                               + line_amount_minor(hours, rate) * g["n"])
    return result
