"""One row of an import file: typed access to its cells, collecting every problem of the row.

Each getter returns `MISSING` when the column is absent from the file (so an update leaves that field
alone), and records a problem instead of raising so a row reports all its bad cells at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from lexbill.core.currencies import is_known_currency, unknown_currency_message
from lexbill.core.errors import LexbillError
from lexbill.core.hours import hours_to_milli, milli_to_hours
from lexbill.core.money import parse_amount


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()

_TRUE = {"yes", "y", "true", "t", "1"}
_FALSE = {"no", "n", "false", "f", "0"}


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.column}: " if self.column else ""
        return f"row {self.row}: {where}{self.message}"


@dataclass
class Row:
    number: int
    cells: list[str]
    positions: dict[str, int]
    problems: list[Problem] = field(default_factory=list)

    def has(self, column: str) -> bool:
        return column in self.positions

    def raw(self, column: str) -> str | None:
        """The stripped cell text, '' when blank, None when the file has no such column."""
        index = self.positions.get(column)
        if index is None:
            return None
        return self.cells[index].strip() if index < len(self.cells) else ""

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.number, column, message))

    @property
    def ok(self) -> bool:
        return not self.problems

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> Any:
        value = self.raw(column)
        if value is None:
            if required:
                self.problem(column, "is required")
            return MISSING
        if required and not value:
            self.problem(column, "is required")
        if max_length is not None and len(value) > max_length:
            self.problem(column, f"longer than {max_length} characters")
        return value

    def date(self, column: str, *, required: bool = False) -> Any:
        value = self.text(column, required=required)
        if not value:
            return None if value is not MISSING else MISSING
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.problem(column, f"not a date YYYY-MM-DD ({value!r})")
            return None

    def decimal(self, column: str, *, required: bool = False) -> Any:
        value = self.text(column, required=required)
        if not value:
            return None if value is not MISSING else MISSING
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.problem(column, f"not a number ({value!r})")
            return None
        return number

    def hours(self, column: str, *, required: bool = False) -> Any:
        number = self.decimal(column, required=required)
        if number is None or number is MISSING:
            return number
        try:
            return milli_to_hours(hours_to_milli(number))
        except ValueError as exc:
            self.problem(column, str(exc))
            return None

    def money(self, column: str, currency: str, *, required: bool = False, signed: bool = False) -> Any:
        """Major units in the given currency -> integer minor units, read by the parser every face uses."""
        value = self.text(column, required=required)
        if not value:
            return None if value is not MISSING else MISSING
        try:
            return parse_amount(value, currency, signed=signed, field=column)
        except LexbillError as exc:
            self.problem(column, exc.message)
            return None

    def currency(self, column: str = "currency") -> Any:
        """An ISO 4217 code (upper-cased), None when blank or unknown (then a problem), MISSING when absent."""
        value = self.text(column)
        if not value:
            return None if value is not MISSING else MISSING
        if not is_known_currency(value.upper()):
            self.problem(column, unknown_currency_message(value))
            return None
        return value.upper()

    def integer(self, column: str) -> Any:
        number = self.decimal(column)
        if number is None or number is MISSING:
            return number
        if number != number.to_integral_value():
            self.problem(column, f"not a whole number ({self.raw(column)!r})")
            return None
        return int(number)

    def boolean(self, column: str) -> Any:
        value = self.text(column)
        if not value:
            return None if value is not MISSING else MISSING
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        self.problem(column, f"not yes or no ({value!r})")
        return None

    def choice(self, column: str, choices: list[tuple[str, str]], *, required: bool = False) -> Any:
        """A choice by its code or its label, case-insensitively; returns the code."""
        value = self.text(column, required=required)
        if not value:
            return None if value is not MISSING else MISSING
        wanted = value.lower()
        for code, label in choices:
            if wanted in (code.lower(), str(label).lower()):
                return code
        self.problem(column, f"{value!r} is not one of {', '.join(code for code, _ in choices)}")
        return None
