"""Reading CSV and XLSX files into rows of text cells, numbered as a spreadsheet shows them.

Every cell becomes a string so one set of parsers serves both formats. XLSX numbers arrive from openpyxl
as int or float; a float's repr is the shortest text that reads back to it, which is the figure the
spreadsheet displays, so it is parsed as Decimal text and never used as a float.
"""

from __future__ import annotations

import csv
import hashlib
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from lexbill.core.errors import ValidationFailed

XLSX_SUFFIXES = {".xlsx", ".xlsm"}


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells); blank rows left out
    sha256: str


def file_format(path: Path) -> str:
    return "xlsx" if path.suffix.lower() in XLSX_SUFFIXES else "csv"


def read_table(path: Path) -> Table:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    raw = _read_xlsx(path) if file_format(path) == "xlsx" else _read_csv(path)
    if not raw:
        raise ValidationFailed(f"{path.name} is empty: the first row must hold the column names", field="header")
    headers = raw[0]
    rows = [(number, cells) for number, cells in enumerate(raw[1:], start=2) if any(c.strip() for c in cells)]
    return Table(headers=headers, rows=rows, sha256=digest)


def _read_csv(path: Path) -> list[list[str]]:
    try:
        # utf-8-sig: spreadsheet programs often start a UTF-8 CSV with a byte-order mark.
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return [list(row) for row in csv.reader(handle)]
    except UnicodeDecodeError as exc:
        raise ValidationFailed(f"{path.name} is not UTF-8 text (save the CSV as UTF-8)") from exc
    except csv.Error as exc:
        raise ValidationFailed(f"{path.name} is not a readable CSV file: {exc}") from exc


def _read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, zipfile.BadZipFile) as exc:
        # An .xlsx is a zip archive: a file that is not one (a renamed CSV, a truncated download) is refused.
        raise ValidationFailed(f"{path.name} is not a readable XLSX workbook") from exc
    try:
        sheet = workbook.worksheets[0]
        return [[cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        # Shortest round-tripping text of the stored number; positional, never '1e-05'.
        return format(Decimal(repr(value)), "f")
    return str(value)
