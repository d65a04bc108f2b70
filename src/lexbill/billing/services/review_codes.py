"""Coding a pre-bill line on review: its UTBMS task and activity codes (a fee) or expense code (an expense).

This is how a clerk clears what approval refuses for a client that requires codes (`approval.MissingCodesRefused`):
the codes are checked exactly as a time entry's are (`codes.rules.code_problems` against the required sets of
the line's matter), so a line cannot be given a code its entry could not have had. A blank code clears it; a
missing code is flagged on the pre-bill, never refused here. Same lock order and history as `review`.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User

from lexbill.access import enforce
from lexbill.clients.code_sets import required_code_sets
from lexbill.codes.rules import REFUSED_KINDS, code_problems
from lexbill.core.errors import ValidationFailed
from lexbill.core.transactions import service_transaction
from lexbill.timekeeping.domain import ACTIVITY_CODE, EXPENSE_CODE, TASK_CODE, check_code

from ..models import LineKind, PreBillLine
from .review import lock_line, record

FIELDS_OF_KIND = {LineKind.FEE: ("task_code", "activity_code"), LineKind.EXPENSE: ("expense_code",)}
PATTERNS = {"task_code": (TASK_CODE, "task"), "activity_code": (ACTIVITY_CODE, "activity"),
            "expense_code": (EXPENSE_CODE, "expense")}


def _cleaned(line: PreBillLine, codes: dict[str, str | None]) -> dict[str, str]:
    """The given codes of the fields this kind of line has, normalised; refuses a code for another kind."""
    allowed = FIELDS_OF_KIND.get(line.kind, ())  # type: ignore[call-overload]
    given = {field: value for field, value in codes.items() if value is not None}
    for field in given:
        if field not in allowed:
            raise ValidationFailed(f"line {line.pk} is {'an' if line.kind == 'expense' else 'a'} {line.kind} line: "
                                   f"it takes no {PATTERNS[field][1]} code", field=field)
    cleaned: dict[str, str] = {}
    for field, value in given.items():
        pattern, what = PATTERNS[field]
        try:
            cleaned[field] = check_code(value or "", pattern, what)
        except ValueError as exc:
            raise ValidationFailed(str(exc), field=field) from exc
    return cleaned


def prebill_line_set_codes(*, line: PreBillLine, actor: User | None, task_code: str | None = None,
                           activity_code: str | None = None, expense_code: str | None = None,
                           now: datetime | None = None) -> PreBillLine:
    """Set the codes given (None: leave that field as it is; "": clear it) on a draft or in-review line."""
    enforce(actor, line.firm_id, "prebills.change")
    codes = _cleaned(line, {"task_code": task_code, "activity_code": activity_code, "expense_code": expense_code})
    if not codes:
        raise ValidationFailed("give a code to set (or an empty one to clear it)")
    with service_transaction():
        prebill, locked = lock_line(line)
        for problem in code_problems(required_sets=required_code_sets(locked.matter), codes=codes):
            if problem.kind in REFUSED_KINDS:
                raise ValidationFailed(problem.message, field=problem.field)
        before = {"line": locked.pk, **{field: getattr(locked, field) for field in codes}}
        if all(before[field] == value for field, value in codes.items()):
            return locked
        for field, value in codes.items():
            setattr(locked, field, value)
        locked.save(update_fields=list(codes))
        record(prebill, actor=actor, action="line_codes", before=before, after={"line": locked.pk, **codes}, now=now)
    return locked
