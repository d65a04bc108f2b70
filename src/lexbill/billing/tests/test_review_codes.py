"""Coding a pre-bill line on review: what clears approval's refusal of uncoded lines (issue #9, defect 6), checked
as a time entry's codes are, with the history saying what was done."""

from datetime import UTC, datetime

import pytest

from lexbill.billing.domain.history import describe
from lexbill.billing.models import PreBill, PreBillLine
from lexbill.billing.services.approval import MissingCodesRefused, prebill_approve
from lexbill.billing.services.review_codes import prebill_line_set_codes
from lexbill.core.errors import Conflict, ValidationFailed

from .review_helpers import events, lines_of, march_prebill, state

NOW = datetime(2026, 4, 3, 10, 0, tzinfo=UTC)


@pytest.fixture
def uncoded(firm, client_acme, matter, partner, associate):
    """A pre-bill for a client requiring litigation and activity codes; JD's fee line has none."""
    prebill = march_prebill(firm, matter, partner, associate)
    client_acme.utbms_code_sets = ["litigation", "activity"]
    client_acme.save()
    _ra, jd, copies = lines_of(prebill)
    PreBillLine.objects.filter(pk=jd.pk).update(task_code="", activity_code="")
    return prebill, PreBillLine.objects.get(pk=jd.pk), copies


def test_coding_the_line_on_review_lets_the_bill_be_approved(uncoded, admin_user):
    prebill, jd, _copies = uncoded
    with pytest.raises(MissingCodesRefused):
        prebill_approve(prebill=prebill, actor=admin_user, now=NOW)
    # When the clerk codes the line (lower case, spaces: normalised as a time entry's codes are)
    line = prebill_line_set_codes(line=jd, actor=admin_user, task_code=" l120 ", activity_code="A104", now=NOW)
    # Then the line carries them, the history says so in words, and approval goes through
    assert (line.task_code, line.activity_code) == ("L120", "A104")
    event = events(prebill, "prebill.line_codes")[-1]
    assert describe(event.action, event.before, event.after, "USD") == (
        f"Coded line {jd.pk}: task L120, activity A104")
    assert prebill_approve(prebill=prebill, actor=admin_user, now=NOW).status == "approved"


@pytest.mark.parametrize(("codes", "message", "field"), [
    ({"task_code": "ZZ99"}, "'ZZ99' is not a UTBMS task code", "task_code"),
    ({"task_code": "L999"}, "L999 is not a known UTBMS code", "task_code"),
    ({"task_code": "L100"}, "L100 is a phase (Case Assessment, Development and Administration); give one of its task "
                            "codes", "task_code"),
    ({"activity_code": "E101"}, "'E101' is not a UTBMS activity code", "activity_code"),
    ({"expense_code": "E101"}, "line {jd} is a fee line: it takes no expense code", "expense_code"),
    ({}, "give a code to set (or an empty one to clear it)", None),
])
def test_a_bad_code_is_refused_and_nothing_changes(uncoded, admin_user, codes, message, field):
    prebill, jd, _copies = uncoded
    before = state(prebill)
    with pytest.raises(ValidationFailed) as refused:
        prebill_line_set_codes(line=jd, actor=admin_user, **codes)
    assert (refused.value.message, refused.value.field) == (message.format(jd=jd.pk), field)
    assert state(prebill) == before


def test_an_expense_line_takes_an_expense_code_and_a_blank_clears_it(uncoded, admin_user):
    _prebill, _jd, copies = uncoded
    assert prebill_line_set_codes(line=copies, actor=admin_user, expense_code="e102").expense_code == "E102"
    assert prebill_line_set_codes(line=copies, actor=admin_user, expense_code="").expense_code == ""
    with pytest.raises(ValidationFailed, match="it takes no task code"):
        prebill_line_set_codes(line=copies, actor=admin_user, task_code="L120")


def test_the_same_codes_again_change_nothing_and_record_nothing(uncoded, admin_user):
    prebill, jd, _copies = uncoded
    prebill_line_set_codes(line=jd, actor=admin_user, task_code="L120")
    count = len(events(prebill))
    prebill_line_set_codes(line=jd, actor=admin_user, task_code="L120")
    assert len(events(prebill)) == count


def test_an_approved_bill_cannot_be_recoded(uncoded, admin_user):
    prebill, jd, _copies = uncoded
    prebill_line_set_codes(line=jd, actor=admin_user, task_code="L120", activity_code="A104")
    prebill_approve(prebill=prebill, actor=admin_user, now=NOW)
    before = state(prebill)
    with pytest.raises(Conflict, match="only a draft or a pre-bill in review can be changed"):
        prebill_line_set_codes(line=jd, actor=admin_user, task_code="L130")
    assert state(prebill) == before and PreBill.objects.get(pk=prebill.pk).status == "approved"
