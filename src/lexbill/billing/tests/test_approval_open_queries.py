"""Approval refuses a pre-bill with open queries unless the approver overrides them with a reason (issue #9,
defect 4), and issue refuses one approved with open queries and no recorded reason."""

from datetime import UTC, date, datetime

import pytest

from lexbill.billing.models import Invoice, PreBill, PreBillStatus
from lexbill.billing.services.approval import OpenQueriesRefused, prebill_approve, prebill_reject
from lexbill.billing.services.issue import invoices_issue
from lexbill.billing.services.review import prebill_submit
from lexbill.billing.services.review_queries import prebill_query_add, prebill_query_answer
from lexbill.core.errors import ValidationFailed

from .review_helpers import events, lines_of, march_prebill, state

ASKED = datetime(2026, 4, 2, 9, 30, tzinfo=UTC)
NOW = datetime(2026, 4, 3, 10, 0, tzinfo=UTC)


@pytest.fixture
def prebill(firm, matter, partner, associate):
    return march_prebill(firm, matter, partner, associate)


@pytest.fixture
def asked(prebill, admin_user):
    """A query on RA's line and one about the whole bill, both unanswered; the bill is in review."""
    ra = lines_of(prebill)[0]
    on_line = prebill_query_add(prebill=prebill, line=ra, question="Was the 1.5 h all on the complaint?",
                                actor=admin_user, now=ASKED)
    whole = prebill_query_add(prebill=prebill, question="Is the copying billable under the engagement?",
                              actor=admin_user, now=ASKED)
    prebill_submit(prebill=prebill, actor=admin_user, now=ASKED)
    return ra, on_line, whole


def test_open_queries_refuse_approval_naming_how_many_and_which_lines(prebill, asked, admin_user):
    # Given a pre-bill in review with two unanswered queries
    ra, _on_line, _whole = asked
    before = state(prebill)
    # When the approver approves without a reason
    with pytest.raises(OpenQueriesRefused) as refused:
        prebill_approve(prebill=prebill, actor=admin_user, now=NOW)
    # Then it is refused with both queries named, and nothing changed
    assert refused.value.code == "open_queries"
    assert refused.value.message == (
        f"pre-bill {prebill.pk} has 2 open queries (line {ra.pk}: “Was the 1.5 h all on the complaint?”; "
        "whole bill: “Is the copying billable under the engagement?”): have them answered, or approve despite "
        "them with a reason")
    assert state(prebill) == before
    assert PreBill.objects.get(pk=prebill.pk).approved_at is None


def test_a_blank_reason_is_no_override(prebill, asked, admin_user):
    before = state(prebill)
    with pytest.raises(OpenQueriesRefused):
        prebill_approve(prebill=prebill, actor=admin_user, now=NOW, override_open_queries_reason="   ")
    assert state(prebill) == before


def test_answered_queries_do_not_hold_approval(prebill, asked, admin_user):
    _ra, on_line, whole = asked
    for query in (on_line, whole):
        prebill_query_answer(query=query, answer="Yes.", actor=admin_user, now=ASKED)
    approved = prebill_approve(prebill=prebill, actor=admin_user, now=NOW)
    assert (approved.status, approved.open_queries_override_reason) == ("approved", "")
    assert events(prebill, "prebill.approve")[0].after == {"status": "approved",
                                                           "approved_at": "2026-04-03T10:00:00+00:00"}


def test_the_approver_overrides_with_a_reason_that_is_recorded(prebill, asked, admin_user):
    ra, _on_line, _whole = asked
    approved = prebill_approve(prebill=prebill, actor=admin_user, now=NOW,
                               override_open_queries_reason="  Client agreed the bill by phone ")
    fresh = PreBill.objects.get(pk=prebill.pk)
    assert (approved.status, fresh.status, fresh.open_queries_override_reason, fresh.approved_by) == (
        "approved", "approved", "Client agreed the bill by phone", admin_user)
    (event,) = events(prebill, "prebill.approve")
    assert event.after == {"status": "approved", "approved_at": "2026-04-03T10:00:00+00:00",
                           "override_open_queries_reason": "Client agreed the bill by phone", "open_queries": 2,
                           "open_query_lines": [ra.pk]}


def test_a_reason_given_with_no_open_query_is_not_kept(prebill, admin_user):
    approved = prebill_approve(prebill=prebill, actor=admin_user, now=NOW, override_open_queries_reason="just in case")
    assert approved.open_queries_override_reason == ""
    assert "override_open_queries_reason" not in events(prebill, "prebill.approve")[0].after


def test_a_too_long_reason_is_refused(prebill, asked, admin_user):
    before = state(prebill)
    with pytest.raises(ValidationFailed, match="at most 2000 characters"):
        prebill_approve(prebill=prebill, actor=admin_user, now=NOW, override_open_queries_reason="x" * 2001)
    assert state(prebill) == before


def test_rejecting_clears_the_override(prebill, asked, admin_user):
    prebill_approve(prebill=prebill, actor=admin_user, now=NOW, override_open_queries_reason="Agreed by phone")
    prebill_reject(prebill=prebill, actor=admin_user, reason="Wrong matter", now=NOW)
    assert PreBill.objects.get(pk=prebill.pk).open_queries_override_reason == ""


def test_issue_refuses_a_bill_approved_with_open_queries_and_no_reason(prebill, asked, admin_user):
    # Given a pre-bill approved with open queries before approval checked them (no reason recorded)
    ra, _on_line, _whole = asked
    PreBill.objects.filter(pk=prebill.pk).update(status=PreBillStatus.APPROVED, approved_at=NOW)
    before = state(prebill)
    # When it is issued, then it is refused and nothing changed: no invoice, no number used
    with pytest.raises(OpenQueriesRefused) as refused:
        invoices_issue(prebill=prebill, actor=admin_user, issued_on=date(2026, 4, 3), now=NOW)
    assert refused.value.message == (
        f"pre-bill {prebill.pk} was approved with 2 open queries (line {ra.pk}: “Was the 1.5 h all on the "
        "complaint?”; whole bill: “Is the copying billable under the engagement?”) and no recorded reason: reject "
        "it, have the queries answered and approve it again")
    assert state(prebill) == before
    assert not Invoice.objects.exists()


def test_issue_goes_through_after_an_override_with_a_reason(prebill, asked, admin_user):
    prebill_approve(prebill=prebill, actor=admin_user, now=NOW, override_open_queries_reason="Agreed by phone")
    (invoice,) = invoices_issue(prebill=prebill, actor=admin_user, issued_on=date(2026, 4, 3), now=NOW)
    assert (invoice.total_minor, PreBill.objects.get(pk=prebill.pk).status) == (84045, "issued")
