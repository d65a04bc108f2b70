"""ebilling_dashboard and submission_list: what waits, what was refused, what is late."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lexbill.core.errors import NotFound, ValidationFailed
from lexbill.ebilling.selectors import ebilling_dashboard, submission_latest, submission_list
from lexbill.ebilling.services import LineAnswer, submission_status_set
from lexbill.testing import factories

from .submission_helpers import submitted


def _five(firm, matter, partner, associate):
    """Five submissions of 3 April 2026 (deadline 30 days: 3 May): submitted, accepted, rejected, reduced,
    appealed."""
    subs = [submitted(firm, matter, partner, associate)]
    for _ in range(4):
        other = factories.make_matter(firm, client=matter.client, billing_attorney=partner)
        subs.append(submitted(firm, other, partner, associate))
    submission_status_set(submission=subs[1], status="accepted", actor=None, on=date(2026, 4, 9))
    submission_status_set(submission=subs[2], status="rejected", reason="closed", actor=None, on=date(2026, 4, 9))
    submission_status_set(submission=subs[3], status="reduced", actor=None, on=date(2026, 4, 9),
                          lines=[LineAnswer(1, reason="rate", reduced_by_minor=100)])
    submission_status_set(submission=subs[4], status="rejected", reason="x", actor=None, on=date(2026, 4, 9))
    submission_status_set(submission=subs[4], status="appealed", reason="y", actor=None, on=date(2026, 4, 10))
    return subs


def test_dashboard_sorts_the_open_submissions(firm, matter, partner, associate):
    subs = _five(firm, matter, partner, associate)
    with CaptureQueriesContext(connection) as queries:
        board = ebilling_dashboard(today=date(2026, 5, 3))
        ids = ([s.pk for s in board.waiting], [s.pk for s in board.rejected], [s.pk for s in board.reduced],
               [s.pk for s in board.ageing], [s.invoice.client.code for s in board.waiting])
    assert len(queries) == 2
    assert ids == ([subs[0].pk, subs[4].pk], [subs[2].pk], [subs[3].pk], [], ["ACME", "ACME"])
    assert board.counts == {"submitted": 1, "accepted": 1, "rejected": 1, "reduced": 1, "appealed": 1,
                            "paid": 0, "superseded": 0}


def test_ageing_is_past_the_clients_deadline_and_not_accepted(firm, matter, partner, associate):
    subs = _five(firm, matter, partner, associate)
    board = ebilling_dashboard(today=date(2026, 5, 4))  # 3 April + 30 days = 3 May < 4 May
    assert [s.pk for s in board.ageing] == [subs[0].pk, subs[2].pk, subs[3].pk, subs[4].pk]


def test_no_deadline_never_ages(firm, matter, partner, associate):
    submitted(firm, matter, partner, associate, deadline_days=None)
    assert ebilling_dashboard(today=date(2027, 1, 1)).ageing == []


def test_list_filters_and_latest(firm, matter, partner, associate):
    subs = _five(firm, matter, partner, associate)
    assert [s.pk for s in submission_list(status="rejected")] == [subs[2].pk]
    assert submission_list(portal="legal tracker").count() == 5
    assert submission_list(portal="Brightflag").count() == 0
    assert submission_latest(subs[3].invoice) == subs[3]
    with pytest.raises(ValidationFailed, match="no submission status 'lost'"):
        submission_list(status="lost")


def test_latest_of_an_invoice_never_submitted(firm, matter, partner, associate):
    from .submission_helpers import portal_invoice

    invoice = portal_invoice(firm, matter, partner, associate)
    with pytest.raises(NotFound, match=f"{invoice.number} was never submitted"):
        submission_latest(invoice)
