"""rules.code_problems: every kind of problem, per field, and the clean cases."""

import pytest

from lexbill.codes.rules import (
    MISSING,
    NOT_REQUIRED_SET,
    PHASE,
    REFUSED_KINDS,
    UNKNOWN,
    WRONG_FIELD,
    Problem,
    code_problems,
    required_by_field,
)

LIT = ["litigation", "activity", "expense"]


def test_required_sets_grouped_by_field() -> None:
    assert required_by_field(["litigation", "expense", "bankruptcy", "activity"]) == {
        "task_code": ["litigation", "bankruptcy"], "expense_code": ["expense"], "activity_code": ["activity"]}
    assert required_by_field([]) == {}


@pytest.mark.parametrize(("required", "codes", "expected"), [
    # clean
    (LIT, {"task_code": "L110", "activity_code": "A101"}, []),
    (LIT, {"expense_code": "E101"}, []),
    ([], {"task_code": "", "activity_code": ""}, []),
    ([], {"task_code": "B110", "activity_code": "A111"}, []),
    (["litigation", "bankruptcy"], {"task_code": "B110"}, []),
    # nothing required: a phase code is allowed, an unknown one is not
    ([], {"task_code": "L100"}, []),
    ([], {"task_code": "L170"}, [Problem("task_code", UNKNOWN, "L170 is not a known UTBMS code")]),
    ([], {"expense_code": "E125"}, [Problem("expense_code", UNKNOWN, "E125 is not a known UTBMS code")]),
    # missing
    (LIT, {"task_code": "", "activity_code": ""}, [
        Problem("task_code", MISSING, "missing task code (required: litigation)"),
        Problem("activity_code", MISSING, "missing activity code (required: activity)")]),
    (LIT, {"expense_code": "  "}, [Problem("expense_code", MISSING, "missing expense code (required: expense)")]),
    (["litigation"], {"task_code": "L120", "activity_code": ""}, []),
    (["expense"], {"task_code": "", "activity_code": ""}, []),
    # wrong field
    ([], {"task_code": "A101"}, [Problem("task_code", WRONG_FIELD, "A101 is an activity code, not a task code")]),
    ([], {"activity_code": "L110"},
     [Problem("activity_code", WRONG_FIELD, "L110 is a litigation code, not an activity code")]),
    # not in the required set
    (["bankruptcy"], {"task_code": "L110"},
     [Problem("task_code", NOT_REQUIRED_SET, "L110 is a litigation code; this matter requires bankruptcy")]),
    # phase where a task is required
    (["litigation"], {"task_code": "l300"},
     [Problem("task_code", PHASE, "L300 is a phase (Discovery); give one of its task codes")]),
    # several at once, in field order
    (LIT, {"activity_code": "X1", "task_code": "C100"}, [
        Problem("task_code", NOT_REQUIRED_SET, "C100 is a counseling code; this matter requires litigation"),
        Problem("activity_code", UNKNOWN, "X1 is not a known UTBMS code")]),
])
def test_code_problems(required: list[str], codes: dict[str, str], expected: list[Problem]) -> None:
    assert code_problems(required_sets=required, codes=codes) == expected


def test_only_a_missing_code_is_not_refused() -> None:
    assert {UNKNOWN, WRONG_FIELD, NOT_REQUIRED_SET, PHASE} == REFUSED_KINDS
    assert MISSING not in REFUSED_KINDS
