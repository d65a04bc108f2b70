"""Exports: each kind as rows of the documented columns, streamed from the database, written as CSV or XLSX.

In XLSX, money, hours and quantities are numbers with an explicit number format (so sums work in the
spreadsheet) written from Decimal text; they have at most 15 significant digits, which a spreadsheet
double holds exactly, and the readers turn them back into the same Decimal.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from lexbill.clients.models import Client, Matter
from lexbill.core.hours import display_hours, milli_to_hours
from lexbill.core.models import Firm
from lexbill.core.money import from_minor
from lexbill.ebilling.models import client_ebilling_settings
from lexbill.rates.models import Rate
from lexbill.staff.models import Timekeeper
from lexbill.timekeeping.models import Expense, TimeEntry

from .columns import KINDS, Column, Type, column_names

Value = str | Decimal | int | date | bool | None
CHUNK = 2000


def _money(minor: int | None, currency: str) -> Decimal | None:
    return None if minor is None else from_minor(minor, currency)


def _hours(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(display_hours(value))


def _increment(milli: int | None) -> Decimal | None:
    return None if milli is None else _hours(milli_to_hours(milli))


def _timekeepers(firm: Firm) -> tuple[Any, Callable[[Any], list[Value]]]:
    def row(t: Timekeeper) -> list[Value]:
        return [t.initials, t.first_name, t.last_name, t.title, t.classification,
                _money(t.standard_rate_minor, firm.currency), t.is_active]
    return Timekeeper.objects.order_by("initials"), row


def _clients(firm: Firm) -> tuple[Any, Callable[[Any], list[Value]]]:
    def row(c: Client) -> list[Value]:
        return [c.code, c.name, c.address_line1, c.address_line2, c.city, c.region, c.postcode, c.country,
                c.currency, c.payment_terms_days, client_ebilling_settings(c).ledes_client_id,
                _increment(c.billing_increment_milli), c.is_consolidated_billing, c.is_active, c.notes]
    return Client.objects.select_related("ebilling_settings").order_by("code"), row


def _matters(firm: Firm) -> tuple[Any, Callable[[Any], list[Value]]]:
    def initials(t: Timekeeper | None) -> str:
        return t.initials if t is not None else ""

    def row(m: Matter) -> list[Value]:
        percent = None if m.fee_percent_bp is None else (Decimal(m.fee_percent_bp) / 100).quantize(Decimal("0.01"))
        return [m.number, m.client.code, m.name, m.client_matter_id, m.description, initials(m.billing_attorney),
                initials(m.responsible_attorney), initials(m.originating_attorney), m.status, m.opened_on,
                m.closed_on, m.currency, m.fee_arrangement, _money(m.fee_amount_minor, m.currency), percent,
                _increment(m.billing_increment_milli), _money(m.budget_minor, m.currency), m.retainer_first_month,
                m.retainer_last_month]
    rows = Matter.objects.select_related("client", "billing_attorney", "responsible_attorney",
                                         "originating_attorney").order_by("number")
    return rows, row


def _rates(firm: Firm) -> tuple[Any, Callable[[Any], list[Value]]]:
    def row(r: Rate) -> list[Value]:
        return [r.timekeeper.initials if r.timekeeper else "", r.classification, r.client.code if r.client else "",
                r.matter.number if r.matter else "", r.effective_on, _money(r.rate_minor, r.currency), r.currency,
                r.note]
    return Rate.objects.select_related("timekeeper", "client", "matter").order_by("effective_on", "id"), row


def export_ref(entry: TimeEntry | Expense) -> str:
    """The ref a re-import matches: the imported key, or this installation's id for rows entered here."""
    return entry.source_ref or f"lexbill:{entry.pk}"


def _time(firm: Firm) -> tuple[Any, Callable[[Any], list[Value]]]:
    def row(e: TimeEntry) -> list[Value]:
        return [export_ref(e), e.worked_on, e.timekeeper.initials, e.matter.number, _hours(e.hours_worked),
                _hours(e.hours_billable), e.narrative, e.task_code, e.activity_code, e.charge_type]
    return TimeEntry.objects.select_related("timekeeper", "matter").order_by("worked_on", "id"), row


def _expenses(firm: Firm) -> tuple[Any, Callable[[Any], list[Value]]]:
    def row(e: Expense) -> list[Value]:
        currency = e.matter.currency
        return [export_ref(e), e.incurred_on, e.matter.number, e.timekeeper.initials if e.timekeeper else "",
                e.expense_code, e.description, _hours(e.quantity), _money(e.unit_cost_minor, currency),
                _money(e.amount_minor, currency), currency, e.cost_type, e.charge_type]
    return Expense.objects.select_related("timekeeper", "matter").order_by("incurred_on", "id"), row


EXPORTERS = {"timekeepers": _timekeepers, "clients": _clients, "matters": _matters, "rates": _rates,
             "time": _time, "expenses": _expenses}


def export_rows(*, firm: Firm, kind: str) -> tuple[int, Iterator[list[Value]]]:
    """(row count, rows as Python values) of one kind for the firm in scope, streamed in chunks."""
    queryset, to_row = EXPORTERS[kind](firm)
    total = queryset.count()
    return total, (to_row(obj) for obj in queryset.iterator(chunk_size=CHUNK))


def csv_text(value: Value, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return display_hours(value) if column.type is Type.HOURS else format(value, "f")
    return str(value)


def write_csv(stream: IO[str], kind: str, rows: Iterable[list[Value]]) -> int:
    columns = KINDS[kind]
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(column_names(kind))
    count = 0
    for row in rows:
        writer.writerow([csv_text(v, c) for v, c in zip(row, columns, strict=True)])
        count += 1
    return count


def _number_format(value: Decimal, column: Column) -> str:
    if column.type is Type.MONEY:
        places = max(0, -int(value.as_tuple().exponent))
        return "0." + "0" * places if places else "0"
    return "0.0##"


def write_xlsx(path: Path, kind: str, rows: Iterable[list[Value]]) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    columns = KINDS[kind]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(kind)
    sheet.append(column_names(kind))
    count = 0
    for row in rows:
        cells: list[Any] = []
        for value, column in zip(row, columns, strict=True):
            if isinstance(value, Decimal):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = _number_format(value, column)
            elif isinstance(value, date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, int) and not isinstance(value, bool):
                cell = WriteOnlyCell(sheet, value=value)
            else:
                # Text stays text: codes like "0042" must not turn into numbers.
                cell = WriteOnlyCell(sheet, value=csv_text(value, column))
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    workbook.save(path)
    return count


def export_file(
    *, firm: Firm, kind: str, path: Path | None, fmt: str,
    progress: Callable[[Iterable[Any], int, str], Iterable[Any]] | None = None,
    stream: IO[str] | None = None,
) -> int:
    """Write one kind to `path` (or a text stream, CSV only). Returns the number of rows written."""
    total, rows = export_rows(firm=firm, kind=kind)
    if progress is not None:
        rows = iter(progress(rows, total, f"export {kind}"))
    if fmt == "xlsx":
        if path is None:
            raise ValueError("an XLSX export needs a file name")
        return write_xlsx(path, kind, rows)
    if path is None:
        if stream is None:
            raise ValueError("a CSV export needs a file name or a stream")
        return write_csv(stream, kind, rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        return write_csv(handle, kind, rows)
