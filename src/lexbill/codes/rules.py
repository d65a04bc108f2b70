"""Pure rules: which problems an entry's UTBMS codes have, given the code sets its matter requires.

No ORM. `codes` maps the entry's code fields to their values: a time entry gives task_code and activity_code,
an expense gives expense_code. A field the entry does not have is simply absent.

Problem kinds:
- missing: a required set fills this field and the entry has no code (flagged on the pre-bill, not refused);
- unknown: the code is in no known set;
- wrong_field: a known code in the wrong field (A101 as a task code);
- not_required_set: a known code, but the matter requires other sets for this field;
- phase: a phase heading (L100) where the required set wants one of its tasks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .loader import field_of, lookup

MISSING = "missing"
UNKNOWN = "unknown"
WRONG_FIELD = "wrong_field"
NOT_REQUIRED_SET = "not_required_set"
PHASE = "phase"
# Everything but a missing code is refused when an entry is saved; a missing code only flags the pre-bill.
REFUSED_KINDS = frozenset({UNKNOWN, WRONG_FIELD, NOT_REQUIRED_SET, PHASE})

FIELD_WORDS = {"task_code": "task", "activity_code": "activity", "expense_code": "expense"}


@dataclass(frozen=True)
class Problem:
    field: str
    kind: str
    message: str


def required_by_field(required_sets: Iterable[str]) -> dict[str, list[str]]:
    """The required set names grouped by the code field they fill, in the order given."""
    out: dict[str, list[str]] = {}
    for name in required_sets:
        out.setdefault(field_of(name), []).append(name)
    return out


def code_problems(*, required_sets: Iterable[str], codes: Mapping[str, str]) -> list[Problem]:
    """Every problem, in field order (task, activity, expense); an empty list when the codes are fine."""
    required = required_by_field(required_sets)
    problems: list[Problem] = []
    for field in FIELD_WORDS:
        if field not in codes:
            continue
        value = (codes[field] or "").strip().upper()
        wanted = required.get(field, [])
        problem = _field_problem(field, value, wanted)
        if problem is not None:
            problems.append(problem)
    return problems


def _field_problem(field: str, value: str, wanted: list[str]) -> Problem | None:
    word = FIELD_WORDS[field]
    if not value:
        if wanted:
            return Problem(field, MISSING, f"missing {word} code (required: {', '.join(wanted)})")
        return None
    found = lookup(value)
    if found is None:
        return Problem(field, UNKNOWN, f"{value} is not a known UTBMS code")
    if found.field != field:
        return Problem(field, WRONG_FIELD,
                       f"{value} is {_a(found.set_name)} {found.set_name} code, not {_a(word)} {word} code")
    if wanted and found.set_name not in wanted:
        return Problem(field, NOT_REQUIRED_SET,
                       f"{value} is a {found.set_name} code; this matter requires {', '.join(wanted)}")
    if wanted and found.is_phase:
        return Problem(field, PHASE, f"{value} is a phase ({found.name}); give one of its task codes")
    return None


def _a(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"
