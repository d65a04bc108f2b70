"""What a corrected resubmission changed against the file it replaces: pure logic, no ORM.

A portal that rejected a file must receive a different one (issue #9, defect 5): the same bytes again are
refused before anything is written. The lines of the two files are aligned by what identifies a line apart
from its money (kind, date, timekeeper, codes, description), so a line removed in the middle does not show
every later line as "changed"; a line that keeps its identity but not its amount is "changed".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any


@dataclass(frozen=True)
class FileLine:
    """One line item of a LEDES file: its number in the file, what identifies it, its total before tax."""

    number: int
    key: tuple[str, ...]
    total: Decimal


@dataclass(frozen=True)
class LineChange:
    number_before: int
    number_after: int
    total_before: Decimal
    total_after: Decimal


@dataclass(frozen=True)
class LineDiff:
    added: list[FileLine]
    removed: list[FileLine]
    changed: list[LineChange]
    total_before: Decimal
    total_after: Decimal

    def as_json(self) -> dict[str, Any]:
        return {
            "lines_added": [{"line": x.number, "total": str(x.total)} for x in self.added],
            "lines_removed": [{"line": x.number, "total": str(x.total)} for x in self.removed],
            "lines_changed": [{"line_before": c.number_before, "line": c.number_after,
                               "total_before": str(c.total_before), "total": str(c.total_after)}
                              for c in self.changed],
            "total_before": str(self.total_before), "total_after": str(self.total_after),
        }


def diff_lines(before: list[FileLine], after: list[FileLine]) -> LineDiff:
    """Align the lines of two files by identity and list what was added, removed and changed in amount."""
    matcher = SequenceMatcher(a=[x.key for x in before], b=[x.key for x in after], autojunk=False)
    added: list[FileLine] = []
    removed: list[FileLine] = []
    changed: list[LineChange] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for old, new in zip(before[i1:i2], after[j1:j2], strict=True):
                if old.total != new.total:
                    changed.append(LineChange(old.number, new.number, old.total, new.total))
            continue
        removed.extend(before[i1:i2])
        added.extend(after[j1:j2])
    return LineDiff(added, removed, changed, sum((x.total for x in before), Decimal(0)),
                    sum((x.total for x in after), Decimal(0)))


def change_summary(changes: dict[str, Any]) -> str:
    """The recorded changes in words, e.g. 'invoice INV-1 -> INV-2; format 1998B -> 1998BI; 1 line added,
    1 line changed (line 2: 600.00 -> 450.00); total 1375.10 -> 1225.10'. Empty for a first submission."""
    if not changes:
        return ""
    parts = []
    for field, label in (("invoice", "invoice"), ("format", "format"), ("profile", "profile")):
        was, now = changes.get(f"{field}_before"), changes.get(f"{field}_after")
        if was != now:
            parts.append(f"{label} {was} -> {now}")
    counts = []
    for field, word in (("lines_added", "added"), ("lines_removed", "removed")):
        n = len(changes.get(field, []))
        if n:
            lines = ", ".join(f"{x['line']}" for x in changes[field])
            counts.append(f"{n} line{'s' if n != 1 else ''} {word} ({lines})")
    moved = changes.get("lines_changed", [])
    if moved:
        detail = ", ".join(f"line {x['line']}: {x['total_before']} -> {x['total']}" for x in moved)
        counts.append(f"{len(moved)} line{'s' if len(moved) != 1 else ''} changed ({detail})")
    parts.extend(counts)
    if changes.get("total_before") != changes.get("total_after"):
        parts.append(f"total {changes.get('total_before')} -> {changes.get('total_after')}")
    return "; ".join(parts) or "the file's bytes changed, its lines and totals did not"
