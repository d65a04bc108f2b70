"""Issue #8 item 11: the services refuse work that cannot be true, with a clear message, and write nothing.

Billable hours above hours worked, more than 24 h for one timekeeper on one day, a date before the matter
opened, an expense of 0.00 or less. (Faces and the import each have their own test of one refusal.)
"""

from datetime import date
from decimal import Decimal

import pytest

from lexbill.billing.services.review import prebill_line_write_hours
from lexbill.core.errors import ValidationFailed
from lexbill.core.models import AuditEvent
from lexbill.testing.billing import make_prebill
from lexbill.timekeeping.domain import Duration
from lexbill.timekeeping.models import Expense, TimeEntry
from lexbill.timekeeping.services import expense_create, expense_update, time_entry_create, time_entry_update

MARCH_2 = date(2026, 3, 2)
TODAY = date(2026, 3, 31)


def record(firm, matter, timekeeper, hours, *, on=MARCH_2, **extra):
    return time_entry_create(firm=firm, actor=None, matter=matter, timekeeper=timekeeper, worked_on=on,
                             duration=Duration(hours=Decimal(hours)), narrative="Draft motion", today=TODAY,
                             **extra)


def spend(firm, matter, unit_cost_minor, quantity="1", on=MARCH_2):
    return expense_create(firm=firm, actor=None, matter=matter, incurred_on=on, description="Courier",
                          unit_cost_minor=unit_cost_minor, quantity=Decimal(quantity), today=TODAY)


def state():
    return (list(TimeEntry.objects.order_by("pk").values_list("pk", "worked_on", "hours_worked", "hours_billable")),
            list(Expense.objects.order_by("pk").values_list("pk", "unit_cost_minor", "amount_minor")),
            AuditEvent.objects.count())


# --- billable hours above hours worked ----------------------------------------------------------------


def test_billable_above_worked_is_refused_on_create(firm, matter, associate):
    before = state()
    with pytest.raises(ValidationFailed) as info:
        record(firm, matter, associate, "1", hours_billable=Decimal("1.5"))
    assert info.value.field == "hours_billable"
    assert info.value.message == ("hours billable (1.5) cannot be more than hours worked (1): "
                                  "write the line up in the pre-bill review instead")
    assert state() == before


def test_billable_below_worked_is_a_write_down_and_is_kept(firm, matter, associate):
    entry = record(firm, matter, associate, "1", hours_billable=Decimal("0.5"))
    assert (entry.hours_worked, entry.hours_billable) == (Decimal("1"), Decimal("0.5"))


def test_billable_above_worked_is_refused_on_update_either_way(firm, matter, associate):
    entry = record(firm, matter, associate, "1")
    before = state()
    with pytest.raises(ValidationFailed, match=r"hours billable \(9.9\) cannot be more than hours worked \(1\)"):
        time_entry_update(entry=TimeEntry.objects.get(pk=entry.pk), actor=None, today=TODAY,
                          hours_billable=Decimal("9.9"))
    with pytest.raises(ValidationFailed, match=r"hours billable \(1\) cannot be more than hours worked \(0.5\)"):
        time_entry_update(entry=TimeEntry.objects.get(pk=entry.pk), actor=None, today=TODAY,
                          hours_worked=Decimal("0.5"))
    assert state() == before


def test_the_pre_bill_review_still_writes_a_line_up_above_the_hours_worked(firm, matter, partner):
    prebill = make_prebill(firm, matter, work=[(partner, MARCH_2, "1", "Call")])
    line = prebill.lines.get()

    written = prebill_line_write_hours(line=line, hours_billed="1.5", actor=None)

    assert (written.hours_worked, written.hours_billed, written.base_minor) == (Decimal("1"), Decimal("1.5"), 75000)
    # Recorded where write-ups belong: the pre-bill's history, with the figures before and after.
    event = AuditEvent.objects.get(action="prebill.line_write_hours")
    assert (event.entity_id, event.before["hours_billed"], event.after["hours_billed"]) == (
        str(prebill.pk), "1", "1.5")


# --- 24 hours a day ------------------------------------------------------------------------------------


def test_a_day_of_more_than_24_hours_is_refused(firm, matter, associate):
    record(firm, matter, associate, "20")
    before = state()
    with pytest.raises(ValidationFailed) as info:
        record(firm, matter, associate, "4.1")
    assert info.value.field == "hours_worked"
    assert info.value.message == ("JD would have 24.1 h on 2026-03-02 (20 h already recorded): "
                                  "more than 24 h in one day")
    assert state() == before


def test_exactly_24_hours_and_other_days_and_people_are_fine(firm, matter, associate, partner):
    record(firm, matter, associate, "20")
    record(firm, matter, associate, "4")
    record(firm, matter, partner, "20")
    record(firm, matter, associate, "20", on=date(2026, 3, 3))
    assert TimeEntry.objects.filter(timekeeper=associate, worked_on=MARCH_2).count() == 2


def test_an_update_counts_the_entry_once_and_refuses_a_day_over_24_hours(firm, matter, associate):
    first = record(firm, matter, associate, "10")
    second = record(firm, matter, associate, "10")
    grown = time_entry_update(entry=first, actor=None, today=TODAY, hours_worked=Decimal("14"))
    assert grown.hours_worked == Decimal("14")
    before = state()
    with pytest.raises(ValidationFailed, match=r"JD would have 24.5 h on 2026-03-02 \(14 h already recorded\)"):
        time_entry_update(entry=TimeEntry.objects.get(pk=second.pk), actor=None, today=TODAY,
                          hours_worked=Decimal("10.5"))
    assert state() == before


def test_moving_an_entry_onto_a_full_day_is_refused(firm, matter, associate):
    record(firm, matter, associate, "20")
    other = record(firm, matter, associate, "5", on=date(2026, 3, 3))
    before = state()
    with pytest.raises(ValidationFailed, match="JD would have 25 h on 2026-03-02"):
        time_entry_update(entry=other, actor=None, today=TODAY, worked_on=MARCH_2)
    assert state() == before


# --- before the matter opened ----------------------------------------------------------------------------


def test_work_before_the_matter_opened_is_refused(firm, matter, associate):
    assert matter.opened_on == date(2026, 1, 1)
    entry = record(firm, matter, associate, "1")
    before = state()
    with pytest.raises(ValidationFailed) as info:
        record(firm, matter, associate, "1", on=date(2025, 12, 31))
    assert (info.value.field, info.value.message) == (
        "worked_on", "2025-12-31 is before matter ACME-001 opened (2026-01-01)")
    with pytest.raises(ValidationFailed, match="is before matter ACME-001 opened") as info:
        spend(firm, matter, 1000, on=date(2025, 12, 31))
    assert info.value.field == "incurred_on"
    with pytest.raises(ValidationFailed, match="2025-12-31 is before matter ACME-001 opened"):
        time_entry_update(entry=entry, actor=None, today=TODAY, worked_on=date(2025, 12, 31))
    assert state() == before


# --- expenses of 0.00 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("unit_cost_minor", "quantity", "message"), [
    (0, "1", "an expense must be more than 0 (quantity x unit cost is 0.00 USD)"),
    (1, "0.001", "an expense must be more than 0 (quantity x unit cost is 0.00 USD)"),  # rounds to nothing
    (-500, "1", "unit cost cannot be negative"),
])
def test_an_expense_of_nothing_is_refused(firm, matter, unit_cost_minor, quantity, message):
    before = state()
    with pytest.raises(ValidationFailed) as info:
        spend(firm, matter, unit_cost_minor, quantity)
    assert (info.value.field, info.value.message) == ("unit_cost_minor", message)
    assert state() == before


def test_an_expense_cannot_be_updated_to_nothing(firm, matter):
    expense = spend(firm, matter, 1250, "2")
    assert expense.amount_minor == 2500
    before = state()
    with pytest.raises(ValidationFailed, match=r"quantity x unit cost is 0.00 USD"):
        expense_update(expense=Expense.objects.get(pk=expense.pk), actor=None, unit_cost_minor=0)
    assert state() == before
