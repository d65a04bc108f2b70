from datetime import UTC, date, datetime

import pytest
from django_scopes import scopes_disabled

from lexbill.billing.models import PreBillLine
from lexbill.billing.selectors_prebill import held_entry_ids, held_expense_ids, prebill_totals
from lexbill.billing.services.review_moves import prebill_line_hold, prebill_line_move
from lexbill.core.errors import Conflict, NotFound, ValidationFailed
from lexbill.core.models import AuditEvent
from lexbill.testing import factories
from lexbill.timekeeping.models import EntryStatus, Expense, TimeEntry

from .review_helpers import events, lines_of, march_prebill, state

NOW = datetime(2026, 4, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def prebill(firm, matter, partner, associate):
    return march_prebill(firm, matter, partner, associate)


@pytest.fixture
def other_matter(firm, client_acme, partner):
    return factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-002",
                                 name="Acme lease")


def test_a_moved_line_leaves_the_bill_and_its_entry_goes_to_wip_on_the_other_matter(
        prebill, matter, other_matter, admin_user):
    fee = lines_of(prebill)[0]
    prebill_line_move(line=fee, to_matter=other_matter, actor=admin_user, now=NOW)
    line = PreBillLine.objects.get(pk=fee.pk)
    entry = TimeEntry.objects.get(pk=fee.time_entry_id)
    assert (line.is_current, line.is_held, line.matter_id) == (False, False, matter.pk)
    assert (entry.matter_id, entry.status) == (other_matter.pk, EntryStatus.OPEN)
    assert prebill_totals(prebill).subtotal_minor == 9045
    [event] = events(prebill, "prebill.line_move")
    assert (event.at, event.before, event.after) == (
        NOW, {"line": fee.pk, "matter": "ACME-001", "is_current": True, "time_entry": entry.pk},
        {"line": fee.pk, "matter": "ACME-002", "is_current": False, "time_entry": entry.pk})
    entry_event = AuditEvent.objects.get(action="time.move")
    assert (entry_event.entity, entry_event.entity_id, entry_event.before, entry_event.after) == (
        "timeentry", str(entry.pk), {"matter": "ACME-001", "status": "on_prebill"},
        {"matter": "ACME-002", "status": "open"})


def test_a_moved_entry_is_not_held(prebill, other_matter, firm, admin_user):
    fee = lines_of(prebill)[0]
    prebill_line_move(line=fee, to_matter=other_matter, actor=admin_user)
    assert list(held_entry_ids(firm, date(2026, 3, 31))) == []


def test_an_expense_can_be_moved(prebill, other_matter, admin_user):
    copies = lines_of(prebill)[2]
    prebill_line_move(line=copies, to_matter=other_matter, actor=admin_user)
    expense = Expense.objects.get(pk=copies.expense_id)
    assert (expense.matter_id, expense.status) == (other_matter.pk, EntryStatus.OPEN)
    assert AuditEvent.objects.get(action="expense.move").after == {"matter": "ACME-002", "status": "open"}
    assert prebill_totals(prebill).subtotal_minor == 84000


def test_moving_to_the_same_matter_another_currency_or_a_closed_matter_is_refused(
        firm, prebill, matter, client_acme, partner, admin_user):
    euro_client = factories.make_client(firm, code="EURO", name="Euro GmbH", currency="EUR")
    euro = factories.make_matter(firm, client=euro_client, billing_attorney=partner, number="EURO-001",
                                 currency="EUR")
    closed = factories.make_matter(firm, client=client_acme, billing_attorney=partner, number="ACME-OLD",
                                   status="closed", closed_on=date(2026, 2, 1))
    fee = lines_of(prebill)[0]
    before = state(prebill)
    for target, message in ((matter, "already on matter ACME-001"), (euro, "bills in EUR"),
                            (closed, "ACME-OLD is closed")):
        with pytest.raises(ValidationFailed, match=message):
            prebill_line_move(line=fee, to_matter=target, actor=admin_user)
    assert state(prebill) == before


def test_moving_to_another_firms_matter_is_not_found(prebill, other_firm, admin_user):
    with scopes_disabled():
        foreign = factories.make_matter(other_firm, number="X-001")
    fee = lines_of(prebill)[0]
    before = state(prebill)
    with pytest.raises(NotFound, match="no such matter"):
        prebill_line_move(line=fee, to_matter=foreign, actor=admin_user)
    assert state(prebill) == before


def test_a_line_that_left_cannot_be_moved_again(prebill, other_matter, admin_user):
    fee = lines_of(prebill)[0]
    prebill_line_hold(line=fee, actor=admin_user)
    before = state(prebill)
    with pytest.raises(Conflict, match="no longer on pre-bill"):
        prebill_line_move(line=fee, to_matter=other_matter, actor=admin_user)
    assert state(prebill) == before


def test_an_adjustment_line_cannot_be_moved_or_held(firm, prebill, other_matter, admin_user):
    cap = PreBillLine.objects.create(firm=firm, prebill=prebill, position=9, kind="adjustment",
                                     matter=prebill.matter, on_date=date(2026, 3, 31), base_minor=-5000,
                                     adjustment_minor=0, total_minor=-5000)
    before = state(prebill)
    with pytest.raises(ValidationFailed, match="only time and expense lines"):
        prebill_line_move(line=cap, to_matter=other_matter, actor=admin_user)
    with pytest.raises(ValidationFailed, match="only time and expense lines"):
        prebill_line_hold(line=cap, actor=admin_user)
    assert state(prebill) == before


def test_a_held_line_leaves_the_bill_and_its_entry_goes_back_to_wip(firm, prebill, admin_user):
    _, research, copies = lines_of(prebill)
    prebill_line_hold(line=research, actor=admin_user, now=NOW)
    prebill_line_hold(line=copies, actor=admin_user, now=NOW)
    line = PreBillLine.objects.get(pk=research.pk)
    assert (line.is_current, line.is_held) == (False, True)
    assert TimeEntry.objects.get(pk=research.time_entry_id).status == EntryStatus.OPEN
    assert Expense.objects.get(pk=copies.expense_id).status == EntryStatus.OPEN
    assert prebill_totals(prebill).subtotal_minor == 75000
    first = events(prebill, "prebill.line_hold")[0]
    assert (first.before, first.after) == (
        {"line": research.pk, "is_current": True, "is_held": False, "time_entry": research.time_entry_id},
        {"line": research.pk, "is_current": False, "is_held": True, "held_until_after": "2026-03-31",
         "time_entry": research.time_entry_id})


def test_held_work_is_skipped_by_runs_through_the_held_month_and_billed_after(firm, prebill, admin_user):
    _, research, copies = lines_of(prebill)
    prebill_line_hold(line=research, actor=admin_user)
    prebill_line_hold(line=copies, actor=admin_user)
    # Given the pre-bill's period ends on 2026-03-31, a run (or rerun) through March skips the held work ...
    assert set(held_entry_ids(firm, date(2026, 3, 31))) == {research.time_entry_id}
    assert set(held_entry_ids(firm, date(2026, 3, 15))) == {research.time_entry_id}
    assert set(held_expense_ids(firm, date(2026, 3, 31))) == {copies.expense_id}
    wip = TimeEntry.objects.filter(status=EntryStatus.OPEN, worked_on__lte=date(2026, 3, 31))
    assert list(wip.exclude(pk__in=held_entry_ids(firm, date(2026, 3, 31)))) == []
    # ... and April's run bills it.
    assert list(held_entry_ids(firm, date(2026, 4, 30))) == []
    assert list(held_expense_ids(firm, date(2026, 4, 1))) == []
    assert [e.pk for e in wip.exclude(pk__in=held_entry_ids(firm, date(2026, 4, 30)))] == [research.time_entry_id]


def test_held_work_billed_later_is_no_longer_reported_as_held(firm, prebill, admin_user):
    research = lines_of(prebill)[1]
    prebill_line_hold(line=research, actor=admin_user)
    TimeEntry.objects.filter(pk=research.time_entry_id).update(status=EntryStatus.BILLED)
    assert list(held_entry_ids(firm, date(2026, 3, 31))) == []


def test_held_ids_are_per_firm(firm, prebill, other_firm, admin_user):
    prebill_line_hold(line=lines_of(prebill)[1], actor=admin_user)
    with scopes_disabled():
        assert list(held_entry_ids(other_firm, date(2026, 3, 31))) == []
