"""The UTBMS code sets, read once from the CSV files in data/ (one file per set: code, name, level).

`level` is "phase" for a heading code (L100) that groups task codes (L110...) and "task" for a code an entry
may carry. Which code field a set fills is fixed by the standard: activity -> activity_code, expense ->
expense_code, every other set -> task_code.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

SET_NAMES = ("litigation", "counseling", "bankruptcy", "project", "activity", "expense")
SET_LABELS = {
    "litigation": "Litigation (L)", "counseling": "Counseling (C)", "bankruptcy": "Bankruptcy (B)",
    "project": "Project (P)", "activity": "Activity (A)", "expense": "Expense (E)",
}
FIELD_OF_SET = {"activity": "activity_code", "expense": "expense_code"}  # every other set: task_code


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    set_name: str
    is_phase: bool

    @property
    def field(self) -> str:
        return field_of(self.set_name)


def field_of(set_name: str) -> str:
    return FIELD_OF_SET.get(set_name, "task_code")


def _read(set_name: str) -> tuple[Code, ...]:
    text = resources.files(__package__).joinpath("data", f"{set_name}.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return tuple(Code(code=row["code"].strip(), name=row["name"].strip(), set_name=set_name,
                      is_phase=row["level"].strip() == "phase") for row in rows)


@cache
def code_sets() -> dict[str, tuple[Code, ...]]:
    """Every known set by name, codes in file order."""
    return {name: _read(name) for name in SET_NAMES}


@cache
def _index() -> dict[str, Code]:
    index: dict[str, Code] = {}
    for codes in code_sets().values():
        for code in codes:
            if code.code in index:  # the sets use distinct letters; a clash means a broken data file
                raise ValueError(f"UTBMS code {code.code} is in two sets")
            index[code.code] = code
    return index


def lookup(code: str) -> Code | None:
    """The known code (case and spaces ignored), or None."""
    return _index().get((code or "").strip().upper())


def describe(code: str) -> str:
    """'L110 Fact Investigation/Development', or the code itself when it is not known."""
    found = lookup(code)
    return f"{found.code} {found.name}" if found else (code or "").strip().upper()


def set_choices() -> list[tuple[str, str]]:
    """(name, label) for forms."""
    return [(name, SET_LABELS[name]) for name in SET_NAMES]
