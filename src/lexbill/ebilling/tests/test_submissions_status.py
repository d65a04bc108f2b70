"""submission_status_set (allowed transitions, per-line verdicts) and submission_write_down."""

from datetime import date

import pytest

from lexbill.billing.models import Invoice, InvoiceKind
from lexbill.core.errors import Conflict, ValidationFailed
from lexbill.core.models import AuditEvent
from lexbill.ebilling.models import SubmissionLine
from lexbill.ebilling.services import (
    LineAnswer,
    file_lines,
    reduction_minor,
    submission_status_set,
    submission_write_down,
)

from .submission_helpers import submitted

APRIL_10 = date(2026, 4, 10)


def _state(sub):
    sub.refresh_from_db()
    return sub.status, sub.status_on, sub.reason, list(sub.lines.values_list("line_number", "status",
                                                                               "reason_code", "reduced_by_minor"))


def test_the_file_lines_are_the_invoice_lines_before_tax(firm, matter, partner, associate):
    sub = submitted(firm, matter, partner, associate)
    assert {n: str(v) for n, v in file_lines(sub).items()} == {1: "750.00", 2: "600.00", 3: "25.10"}


def test_accepted_then_paid(firm, matter, partner, associate):
    sub = submitted(firm, matter, partner, associate)
    submission_status_set(submission=sub, status="accepted", actor=None, on=APRIL_10)
    assert _state(sub) == ("accepted", APRIL_10, "", [])
    submission_status_set(submission=sub, status="paid", actor=None, on=date(2026, 5, 1))
    assert _state(sub) == ("paid", date(2026, 5, 1), "", [])
    actions = list(AuditEvent.objects.filter(firm=firm, action__startswith="submission.")
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["submission.created", "submission.accepted", "submission.paid"]


def test_whole_rejection_keeps_the_reason(firm, matter, partner, associate):
    sub = submitted(firm, matter, partner, associate)
    submission_status_set(submission=sub, status="rejected", reason="Matter closed", actor=None, on=APRIL_10)
    assert _state(sub) == ("rejected", APRIL_10, "Matter closed", [])


def test_line_rejections_with_reason_codes_add_up(firm, matter, partner, associate):
    sub = submitted(firm, matter, partner, associate)
    submission_status_set(submission=sub, status="rejected", actor=None, on=APRIL_10,
                          lines=[LineAnswer(2, reason="block billing", reason_code="BB01")])
    submission_status_set(submission=sub, status="rejected", actor=None, on=APRIL_10,
                          lines=[LineAnswer(3, reason="courier not allowed", reason_code="EX09")])
    assert _state(sub) == ("rejected", APRIL_10, "line 2: BB01; line 3: EX09",
                           [(2, "rejected", "BB01", 0), (3, "rejected", "EX09", 0)])


def test_reductions_per_line_and_their_write_down(firm, matter, partner, associate):
    sub = submitted(firm, matter, partner, associate)
    submission_status_set(submission=sub, status="reduced", actor=None, on=APRIL_10, lines=[
        LineAnswer(1, reason="rate above guideline", reason_code="RATE", reduced_by_minor=5000),
        LineAnswer(2, reason="excessive time", reduced_by_minor=12000)])
    assert _state(sub)[3] == [(1, "reduced", "RATE", 5000), (2, "reduced", "", 12000)]
    assert reduction_minor(sub) == 17000
    note = submission_write_down(submission=sub, actor=None, issued_on=APRIL_10)
    assert (note.kind, note.credits_id, note.subtotal_minor, note.total_minor) == (
        InvoiceKind.CREDIT_NOTE, sub.invoice_id, -17000, -17000)
    assert note.reason == (f"E-billing reduction, submission {sub.pk}: Legal Tracker reduced "
                           "line 1 50.00 USD (RATE), line 2 120.00 USD (excessive time)")
    with pytest.raises(Conflict, match="already written down"):
        submission_write_down(submission=sub, actor=None, issued_on=APRIL_10)
    assert Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).count() == 1


@pytest.mark.parametrize(("lines", "error", "message"), [
    ([LineAnswer(4, reason="x", reduced_by_minor=100)], ValidationFailed, "no line 4 .lines 1 to 3"),
    ([LineAnswer(3, reason="x", reduced_by_minor=2511)], ValidationFailed, "cannot reduce by 25.11 USD, the line is 25.10 USD"),
    ([LineAnswer(3, reason="x", reduced_by_minor=0)], ValidationFailed, "more than zero"),
    ([LineAnswer(3, reduced_by_minor=100)], ValidationFailed, "give the portal's reason"),
    ([LineAnswer(1, reason="a", reduced_by_minor=1), LineAnswer(1, reason="b", reduced_by_minor=1)], Conflict,
     "line 1 already has"),
    ([], ValidationFailed, "recorded per line"),
])
def test_bad_reductions_change_nothing(firm, matter, partner, associate, lines, error, message):
    sub = submitted(firm, matter, partner, associate)
    events = AuditEvent.objects.filter(firm=firm).count()
    with pytest.raises(error, match=message):
        submission_status_set(submission=sub, status="reduced", actor=None, lines=lines)
    assert _state(sub) == ("submitted", date(2026, 4, 3), "", [])
    assert (SubmissionLine.objects.count(), AuditEvent.objects.filter(firm=firm).count()) == (0, events)


@pytest.mark.parametrize(("path", "refused"), [
    (["accepted"], "accepted"),          # accepted twice
    ([], "paid"),                        # paid before any answer
    ([], "appealed"),                    # nothing to appeal yet
    (["accepted", "paid"], "rejected"),  # paid is final
    (["rejected"], "accepted"),          # a rejection is appealed or corrected, not accepted as is
])
def test_transitions_not_allowed_change_nothing(firm, matter, partner, associate, path, refused):
    sub = submitted(firm, matter, partner, associate)
    for status in path:
        submission_status_set(submission=sub, status=status, actor=None, reason="r", on=APRIL_10)
    before = _state(sub)
    with pytest.raises(Conflict, match=f"cannot become {refused}"):
        submission_status_set(submission=sub, status=refused, actor=None, reason="r", on=date(2026, 4, 20))
    assert _state(sub) == before


def test_appeal_then_accepted(firm, matter, partner, associate):
    sub = submitted(firm, matter, partner, associate)
    submission_status_set(submission=sub, status="rejected", reason="no UTBMS codes", actor=None, on=APRIL_10)
    submission_status_set(submission=sub, status="appealed", reason="codes are optional", actor=None,
                          on=date(2026, 4, 11))
    submission_status_set(submission=sub, status="accepted", actor=None, on=date(2026, 4, 20))
    assert _state(sub) == ("accepted", date(2026, 4, 20), "", [])


def test_a_write_down_needs_a_reduction(firm, matter, partner, associate):
    sub = submitted(firm, matter, partner, associate)
    with pytest.raises(Conflict, match="only a reduced submission is written down; this one is submitted"):
        submission_write_down(submission=sub, actor=None)
    assert Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).count() == 0
