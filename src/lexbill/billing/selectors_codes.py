"""Reads: the UTBMS code problems of a pre-bill's lines (missing required codes, codes outside the sets)."""

from __future__ import annotations

from lexbill.clients.code_sets import required_code_sets
from lexbill.codes.rules import code_problems

from .models import LineKind, PreBill, PreBillLine

_FIELDS = {LineKind.FEE: ("task_code", "activity_code"), LineKind.EXPENSE: ("expense_code",)}


def prebill_code_lines(prebill: PreBill) -> list[tuple[PreBillLine, list[str]]]:
    """The current fee and expense lines with at least one problem, in page order, with their messages."""
    lines = (PreBillLine.objects.filter(prebill=prebill, is_current=True, kind__in=list(_FIELDS))
             .select_related("matter__client", "timekeeper").order_by("position", "pk"))
    found = []
    for line in lines:
        codes = {field: getattr(line, field) for field in _FIELDS[LineKind(line.kind)]}
        problems = code_problems(required_sets=required_code_sets(line.matter), codes=codes)
        if problems:
            found.append((line, [p.message for p in problems]))
    return found


def prebill_code_findings(prebill: PreBill) -> dict[int, list[str]]:
    """{line id: [messages]} for every current line whose codes a portal requiring the sets would reject."""
    return {line.pk: messages for line, messages in prebill_code_lines(prebill)}
