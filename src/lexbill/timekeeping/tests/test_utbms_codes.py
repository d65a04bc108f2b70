"""Time and expense services refuse codes outside the matter's required UTBMS sets and unknown codes;
an entry without a code is still recorded (the pre-bill flags it)."""

from datetime import date
from decimal import Decimal

import pytest

from lexbill.clients.code_sets import required_code_sets
from lexbill.core.errors import ValidationFailed
from lexbill.testing import factories
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.models import Expense, TimeEntry
from lexbill.timekeeping.services import (
    expense_create,
    expense_update,
    time_entry_create,
    time_entry_update,
)

TODAY = date(2026, 3, 10)


def _time(firm, matter, partner, **codes):
    return time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=partner, worked_on=TODAY,
                             duration=Duration(hours=Decimal("1.5")), narrative="Draft complaint", today=TODAY,
                             **codes)


def _expense(firm, matter, **codes):
    return expense_create(firm=firm, actor=None, matter=matter, incurred_on=TODAY, description="Courier",
                          unit_cost_minor=2500, today=TODAY, **codes)


def test_required_sets_come_from_the_matter_else_the_client(firm, client_acme, matter):
    client_acme.utbms_code_sets = ["litigation", "expense"]
    client_acme.save()
    assert required_code_sets(matter) == ["litigation", "expense"]
    matter.utbms_code_sets = ["bankruptcy"]
    matter.save()
    assert required_code_sets(matter) == ["bankruptcy"]


def test_codes_of_the_required_sets_are_saved(firm, client_acme, matter, partner):
    client_acme.utbms_code_sets = ["litigation", "activity", "expense"]
    client_acme.save()
    entry = _time(firm, matter, partner, task_code="l110", activity_code="A103")
    expense = _expense(firm, matter, expense_code="E107")
    assert (entry.task_code, entry.activity_code, expense.expense_code) == ("L110", "A103", "E107")


def test_an_entry_without_a_code_is_still_recorded(firm, client_acme, matter, partner):
    client_acme.utbms_code_sets = ["litigation", "activity", "expense"]
    client_acme.save()
    entry = _time(firm, matter, partner)
    expense = _expense(firm, matter)
    assert (entry.task_code, entry.activity_code, expense.expense_code) == ("", "", "")


@pytest.mark.parametrize(("sets", "codes", "field", "message"), [
    (["bankruptcy"], {"task_code": "L110"}, "task_code",
     "L110 is a litigation code; this matter requires bankruptcy"),
    ([], {"task_code": "L170"}, "task_code", "L170 is not a known UTBMS code"),
    ([], {"task_code": "A101"}, "task_code", "A101 is an activity code, not a task code"),
    (["litigation"], {"task_code": "L100"}, "task_code", "L100 is a phase (Case Assessment, Development and "
                                                         "Administration); give one of its task codes"),
    ([], {"task_code": "L110", "activity_code": "A112"}, "activity_code", "A112 is not a known UTBMS code"),
])
def test_time_entry_create_refuses_and_writes_nothing(firm, client_acme, matter, partner, sets, codes, field,
                                                      message):
    matter.utbms_code_sets = sets
    matter.save()
    with pytest.raises(ValidationFailed) as caught:
        _time(firm, matter, partner, **codes)
    assert (caught.value.field, str(caught.value)) == (field, message)
    assert TimeEntry.objects.count() == 0


def test_expense_create_refuses_an_unknown_code_and_writes_nothing(firm, matter):
    with pytest.raises(ValidationFailed) as caught:
        _expense(firm, matter, expense_code="E125")
    assert (caught.value.field, str(caught.value)) == ("expense_code", "E125 is not a known UTBMS code")
    assert Expense.objects.count() == 0


def test_time_entry_update_refuses_a_code_outside_the_required_set(firm, matter, partner):
    entry = _time(firm, matter, partner, task_code="L110", activity_code="A101")
    matter.utbms_code_sets = ["litigation", "activity"]
    matter.save()
    with pytest.raises(ValidationFailed) as caught:
        time_entry_update(entry=entry, actor=None, today=TODAY, task_code="B110")
    assert (caught.value.field, str(caught.value)) == (
        "task_code", "B110 is a bankruptcy code; this matter requires litigation")
    entry.refresh_from_db()
    assert entry.task_code == "L110"
    updated = time_entry_update(entry=entry, actor=None, today=TODAY, task_code="L120", narrative="Research")
    assert (updated.task_code, updated.narrative) == ("L120", "Research")


def test_moving_an_entry_checks_its_codes_against_the_new_matter(firm, client_acme, matter, partner):
    entry = _time(firm, matter, partner, task_code="L110")
    other = factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-002",
                                  name="Acme restructuring", utbms_code_sets=["bankruptcy"])
    with pytest.raises(ValidationFailed) as caught:
        time_entry_update(entry=entry, actor=None, today=TODAY, matter=other)
    assert caught.value.field == "task_code"
    entry.refresh_from_db()
    assert entry.matter_id == matter.pk


def test_an_old_code_does_not_block_an_unrelated_edit(firm, matter, partner):
    entry = _time(firm, matter, partner, task_code="L110")
    matter.utbms_code_sets = ["bankruptcy"]  # the requirement changed after the entry was made
    matter.save()
    updated = time_entry_update(entry=entry, actor=None, today=TODAY, narrative="Call with client")
    assert (updated.narrative, updated.task_code) == ("Call with client", "L110")


def test_expense_update_refuses_a_code_outside_the_required_set(firm, matter):
    expense = _expense(firm, matter, expense_code="E101")
    with pytest.raises(ValidationFailed) as caught:
        expense_update(expense=expense, actor=None, expense_code="E199")
    assert (caught.value.field, str(caught.value)) == ("expense_code", "E199 is not a known UTBMS code")
    expense.refresh_from_db()
    assert expense.expense_code == "E101"
