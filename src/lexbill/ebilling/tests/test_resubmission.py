"""A corrected resubmission carries a changed file and records what changed (issue #9, defect 5)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from lexbill.billing.models import LineKind, PreBillLine, PreBillStatus
from lexbill.billing.services.credit import credit_note_issue, prebill_rebill
from lexbill.billing.services.issue import invoice_issue
from lexbill.core.models import AuditEvent
from lexbill.ebilling.models import Submission
from lexbill.ebilling.resubmission import FileLine, change_summary, diff_lines
from lexbill.ebilling.selectors import replacement_invoices
from lexbill.ebilling.services import UnchangedResubmission, submission_resubmit, submission_status_set

from .submission_helpers import submitted

REJECTED_ON = date(2026, 4, 6)


def rejected(firm, matter, partner, associate) -> Submission:
    sub = submitted(firm, matter, partner, associate)
    return submission_status_set(submission=sub, status="rejected", reason="line 2: rate too high", actor=None,
                                 on=REJECTED_ON)


def rebilled_with_line_2_written_down(invoice, *, down_minor: int):
    """Credit the invoice in full, re-bill its work, write the second line down and issue the re-bill."""
    note = credit_note_issue(invoice=invoice, actor=None, reason="rate too high", issued_on=date(2026, 4, 8),
                             full=True)
    prebill = prebill_rebill(credit_note=note, actor=None, now=datetime(2026, 4, 8, 10, 0, tzinfo=UTC))
    line = prebill.lines.filter(kind=LineKind.FEE).order_by("position")[1]
    PreBillLine.objects.filter(pk=line.pk).update(adjustment_minor=-down_minor,
                                                  total_minor=line.base_minor - down_minor)
    prebill.status = PreBillStatus.APPROVED
    prebill.save(update_fields=["status"])
    return invoice_issue(prebill=prebill, actor=None, issued_on=date(2026, 4, 9),
                         now=datetime(2026, 4, 9, 10, 0, tzinfo=UTC))


def test_the_byte_identical_file_is_refused_and_nothing_changes(firm, matter, partner, associate):
    # Given a rejected submission and no correction since
    old = rejected(firm, matter, partner, associate)
    events = AuditEvent.objects.filter(firm=firm).count()
    # When it is resubmitted as it is, then it is refused with a typed error naming the submission
    with pytest.raises(UnchangedResubmission, match=(
            rf"^the file is unchanged since submission {old.pk}: credit and re-bill the invoice, or correct "
            r"the export first$")) as refused:
        submission_resubmit(submission=old, actor=None, today=date(2026, 4, 7))
    assert refused.value.code == "file_unchanged"
    old.refresh_from_db()
    assert (old.status, old.status_on, Submission.objects.count()) == ("rejected", REJECTED_ON, 1)
    assert AuditEvent.objects.filter(firm=firm).count() == events


def test_a_corrected_export_records_what_changed(firm, matter, partner, associate):
    old = rejected(firm, matter, partner, associate)
    new = submission_resubmit(submission=old, actor=None, ledes_format="1998BI", today=date(2026, 4, 7))
    new.refresh_from_db()
    number = old.invoice.number
    assert new.changes == {
        "invoice_before": number, "invoice_after": number, "format_before": "1998B", "format_after": "1998BI",
        "profile_before": "standard", "profile_after": "standard", "sha256_before": old.file_sha256,
        "lines_added": [], "lines_removed": [], "lines_changed": [],
        "total_before": "1375.10", "total_after": "1375.10"}
    assert change_summary(new.changes) == "format 1998B -> 1998BI"
    event = AuditEvent.objects.get(action="submission.created", entity_id=str(new.pk))
    assert event.after["changes"]["format_after"] == "1998BI"


def test_the_re_bill_after_a_credit_note_is_resubmitted_with_its_line_diff(firm, matter, partner, associate):
    # Given a rejected submission whose invoice was credited and re-billed with line 2 written down by 150.00
    old = rejected(firm, matter, partner, associate)
    rebill = rebilled_with_line_2_written_down(old.invoice, down_minor=15000)
    assert replacement_invoices(old) == [rebill]
    # When the re-bill is resubmitted in place of the rejected submission
    new = submission_resubmit(submission=old, actor=None, invoice=rebill, today=date(2026, 4, 10))
    # Then it corrects the old one and says what changed: the invoice, line 2 and the total
    new.refresh_from_db()
    old.refresh_from_db()
    assert (new.invoice_id, new.corrects_id, old.status) == (rebill.pk, old.pk, "superseded")
    assert (new.changes["invoice_before"], new.changes["invoice_after"]) == (old.invoice.number, rebill.number)
    assert new.changes["lines_changed"] == [{"line_before": 2, "line": 2, "total_before": "600.00",
                                             "total": "450.00"}]
    assert (new.changes["lines_added"], new.changes["lines_removed"]) == ([], [])
    assert change_summary(new.changes) == (
        f"invoice {old.invoice.number} -> {rebill.number}; 1 line changed (line 2: 600.00 -> 450.00); "
        "total 1375.10 -> 1225.10")
    assert replacement_invoices(old) == []


def test_no_replacement_is_offered_while_the_invoice_is_not_credited(firm, matter, partner, associate):
    old = rejected(firm, matter, partner, associate)
    assert replacement_invoices(old) == []


def _line(number: int, key: str, total: str) -> FileLine:
    return FileLine(number, (key,), Decimal(total))


def test_diff_aligns_lines_by_identity_not_by_number():
    # A line removed in the middle shifts the later ones: they are not "changed"
    before = [_line(1, "a", "100.00"), _line(2, "b", "200.00"), _line(3, "c", "300.00")]
    after = [_line(1, "a", "100.00"), _line(2, "c", "250.00"), _line(3, "d", "10.00")]
    diff = diff_lines(before, after)
    assert [x.number for x in diff.removed] == [2]
    assert [x.number for x in diff.added] == [3]
    assert [(c.number_before, c.number_after, c.total_before, c.total_after) for c in diff.changed] == [
        (3, 2, Decimal("300.00"), Decimal("250.00"))]
    assert (diff.total_before, diff.total_after) == (Decimal("600.00"), Decimal("360.00"))
    assert change_summary({"invoice_before": "X", "invoice_after": "X", **diff.as_json()}) == (
        "1 line added (3); 1 line removed (2); 1 line changed (line 2: 300.00 -> 250.00); total 600.00 -> 360.00")
