"""submission_create and submission_resubmit: the file sent is written, validated, kept with its hash."""

import hashlib
from datetime import date

import pytest

from lexbill.billing.services.credit import credit_note_issue
from lexbill.core.errors import Conflict, NotFound, ValidationFailed
from lexbill.core.models import AuditEvent
from lexbill.ebilling.ledes.document import invoice_document
from lexbill.ebilling.ledes.profiles import profile_get
from lexbill.ebilling.ledes.writer import write_98bi, write_1998b
from lexbill.ebilling.models import Submission, SubmissionStatus
from lexbill.ebilling.services import submission_create, submission_resubmit, submission_status_set
from lexbill.testing.settings_rows import set_firm_settings

from .submission_helpers import SUBMITTED_AT, SUBMITTED_ON, portal_invoice, submitted


def test_create_writes_the_clients_file_and_keeps_it(firm, matter, partner, associate, admin_user):
    invoice = portal_invoice(firm, matter, partner, associate)
    sub = submission_create(invoice=invoice, actor=admin_user, today=SUBMITTED_ON, now=SUBMITTED_AT)
    expected = write_1998b(invoice_document(invoice))
    sub.refresh_from_db()
    assert (sub.portal, sub.ledes_format, sub.profile, sub.status, sub.submitted_on, sub.status_on) == (
        "Legal Tracker", "1998B", "standard", "submitted", SUBMITTED_ON, SUBMITTED_ON)
    assert bytes(sub.file_bytes) == expected
    assert sub.file_sha256 == hashlib.sha256(expected).hexdigest()
    assert sub.file_name == f"{invoice.number}.txt"
    assert sub.submitted_by == admin_user
    event = AuditEvent.objects.filter(firm=firm, action="submission.created").get()
    assert (event.entity_id, event.after["file_sha256"], event.actor_label) == (
        str(sub.pk), sub.file_sha256, "admin@arnsley.example")


def test_create_with_a_given_format_and_profile(firm, matter, partner, associate):
    invoice = portal_invoice(firm, matter, partner, associate)
    sub = submission_create(invoice=invoice, actor=None, portal="Brightflag", ledes_format="98bi",
                            profile="brightflag", today=SUBMITTED_ON, now=SUBMITTED_AT)
    assert (sub.portal, sub.ledes_format, sub.profile) == ("Brightflag", "1998BI", "brightflag")
    assert bytes(sub.file_bytes) == write_98bi(invoice_document(invoice), profile_get("brightflag"))


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"portal": ""}, ValidationFailed, "has no e-billing portal"),
    ({"ledes_format": "2000"}, ValidationFailed, "no LEDES format '2000'"),
    ({"profile": "odd"}, NotFound, "no LEDES profile 'odd'"),
])
def test_create_refusals_change_nothing(firm, matter, partner, associate, kwargs, error, message):
    invoice = portal_invoice(firm, matter, partner, associate)
    events = AuditEvent.objects.filter(firm=firm).count()
    with pytest.raises(error, match=message):
        submission_create(invoice=invoice, actor=None, **kwargs)
    assert (Submission.objects.count(), AuditEvent.objects.filter(firm=firm).count()) == (0, events)


def test_a_file_the_validator_refuses_is_not_submitted(firm, matter, partner, associate):
    # The 1998B INVOICE_NUMBER field holds 20 characters: a longer number fails validation.
    set_firm_settings(firm, invoice_number_format="ARNSLEY-{year}-{seq:010d}")
    invoice = portal_invoice(firm, matter, partner, associate)
    with pytest.raises(ValidationFailed, match=r"would be refused by a portal: .*INVOICE_NUMBER"):
        submission_create(invoice=invoice, actor=None)
    assert Submission.objects.count() == 0


def test_an_invoice_with_a_live_submission_is_not_submitted_twice(firm, matter, partner, associate):
    sub = submitted(firm, matter, partner, associate)
    with pytest.raises(Conflict, match=r"already submitted to Legal Tracker on 2026-04-03 \(submitted\)"):
        submission_create(invoice=sub.invoice, actor=None)
    assert Submission.objects.count() == 1


def test_a_credit_note_is_not_submitted(firm, matter, partner, associate):
    invoice = portal_invoice(firm, matter, partner, associate)
    note = credit_note_issue(invoice=invoice, actor=None, reason="typo", issued_on=date(2026, 4, 5), full=True)
    with pytest.raises(ValidationFailed, match="is a credit note"):
        submission_create(invoice=note, actor=None)
    assert Submission.objects.count() == 0


def test_resubmit_supersedes_the_rejected_submission(firm, matter, partner, associate):
    old = submitted(firm, matter, partner, associate)
    submission_status_set(submission=old, status="rejected", reason="wrong format", actor=None,
                          on=date(2026, 4, 6))
    new = submission_resubmit(submission=old, actor=None, ledes_format="1998BI", today=date(2026, 4, 7))
    old.refresh_from_db()
    assert (old.status, old.status_on) == (SubmissionStatus.SUPERSEDED, date(2026, 4, 7))
    assert (new.corrects_id, new.status, new.ledes_format, new.portal, new.invoice_id) == (
        old.pk, "submitted", "1998BI", "Legal Tracker", old.invoice_id)
    assert list(old.corrections.all()) == [new]
    # The corrected one is now the live submission: a second resubmission of the old one is refused.
    with pytest.raises(Conflict, match="only a rejected submission can be resubmitted; this one is superseded"):
        submission_resubmit(submission=old, actor=None)
    assert Submission.objects.count() == 2


def test_resubmit_refuses_a_submission_not_rejected(firm, matter, partner, associate):
    sub = submitted(firm, matter, partner, associate)
    with pytest.raises(Conflict, match="this one is submitted"):
        submission_resubmit(submission=sub, actor=None)
    sub.refresh_from_db()
    assert (sub.status, Submission.objects.count()) == ("submitted", 1)
