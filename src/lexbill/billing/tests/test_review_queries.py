from datetime import UTC, datetime

import pytest

from lexbill.billing.models import PreBillQuery
from lexbill.billing.selectors_prebill import prebill_open_queries
from lexbill.billing.services.review_moves import prebill_line_hold
from lexbill.billing.services.review_queries import prebill_query_add, prebill_query_answer
from lexbill.core.errors import Conflict, ValidationFailed
from lexbill.testing import factories

from .review_helpers import events, lines_of, march_prebill, state

ASKED = datetime(2026, 4, 2, 9, 30, tzinfo=UTC)
ANSWERED = datetime(2026, 4, 2, 14, 0, tzinfo=UTC)


@pytest.fixture
def prebill(firm, matter, partner, associate):
    return march_prebill(firm, matter, partner, associate)


@pytest.fixture
def lawyer(firm, partner):
    """RA's user: the billing attorney of the matter, who answers queries about its bill."""
    user = factories.make_user(firm, email="ra@arnsley.example", role="attorney")
    partner.user = user
    partner.save(update_fields=["user"])
    return user


def test_a_query_about_a_line_is_asked_listed_answered_and_recorded(prebill, admin_user, lawyer):
    fee = lines_of(prebill)[0]
    query = prebill_query_add(prebill=prebill, line=fee, question=" Was the 1.5 h all on the complaint? ",
                              actor=admin_user, now=ASKED)
    assert (query.question, query.asked_by, query.asked_at, query.line_id) == (
        "Was the 1.5 h all on the complaint?", admin_user, ASKED, fee.pk)
    assert list(prebill_open_queries(prebill)) == [query]

    prebill_query_answer(query=query, answer="Yes, drafting and revising.", actor=lawyer, now=ANSWERED)
    answered = PreBillQuery.objects.get(pk=query.pk)
    assert (answered.answer, answered.answered_by, answered.answered_at) == (
        "Yes, drafting and revising.", lawyer, ANSWERED)
    assert list(prebill_open_queries(prebill)) == []
    asked, replied = events(prebill)
    assert (asked.action, asked.actor_label, asked.after) == (
        "prebill.query_add", "admin@arnsley.example",
        {"query": query.pk, "line": fee.pk, "question": "Was the 1.5 h all on the complaint?"})
    assert (replied.action, replied.actor_label, replied.before, replied.after) == (
        "prebill.query_answer", "ra@arnsley.example", {"query": query.pk, "line": fee.pk, "answer": ""},
        {"query": query.pk, "line": fee.pk, "answer": "Yes, drafting and revising."})


def test_a_query_about_the_whole_bill(prebill, admin_user):
    query = prebill_query_add(prebill=prebill, question="Should the copies be billed?", actor=admin_user)
    assert query.line_id is None
    assert list(prebill_open_queries(prebill)) == [query]


def test_only_open_queries_are_listed_in_the_order_asked(prebill, admin_user, lawyer):
    first = prebill_query_add(prebill=prebill, question="One?", actor=admin_user, now=ASKED)
    second = prebill_query_add(prebill=prebill, question="Two?", actor=admin_user, now=ANSWERED)
    third = prebill_query_add(prebill=prebill, question="Three?", actor=admin_user, now=ANSWERED)
    prebill_query_answer(query=second, answer="Done.", actor=lawyer)
    assert list(prebill_open_queries(prebill)) == [first, third]


def test_answering_twice_is_a_conflict(prebill, admin_user, lawyer):
    query = prebill_query_add(prebill=prebill, question="Why?", actor=admin_user)
    prebill_query_answer(query=query, answer="Because.", actor=lawyer)
    before = state(prebill)
    with pytest.raises(Conflict, match="already answered"):
        prebill_query_answer(query=query, answer="Changed my mind.", actor=lawyer)
    assert state(prebill) == before


def test_empty_questions_and_answers_and_foreign_lines_are_refused(firm, matter, partner, associate, prebill,
                                                                    admin_user, lawyer):
    other = march_prebill(firm, matter, partner, associate)
    held = lines_of(prebill)[1]
    prebill_line_hold(line=held, actor=admin_user)
    query = prebill_query_add(prebill=prebill, question="Why?", actor=admin_user)
    before = state(prebill)
    with pytest.raises(ValidationFailed, match="question is required"):
        prebill_query_add(prebill=prebill, question="  ", actor=admin_user)
    with pytest.raises(ValidationFailed, match="is not on pre-bill"):
        prebill_query_add(prebill=prebill, line=lines_of(other)[0], question="Which?", actor=admin_user)
    with pytest.raises(ValidationFailed, match="is not on pre-bill"):
        prebill_query_add(prebill=prebill, line=held, question="Held?", actor=admin_user)
    with pytest.raises(ValidationFailed, match="answer is required"):
        prebill_query_answer(query=query, answer="", actor=lawyer)
    assert state(prebill) == before
